-- 返岗分享 (001 §三(五)): an outbound trainee shares back in their school (讲座/座谈/公开课) with
-- evidence (a file in `files`), and the school admin confirms it.
CREATE TABLE share_backs (
  id               serial PRIMARY KEY,
  project_id       integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  status           text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned','submitted','confirmed','returned')),
  kind             text CHECK (kind IN ('lecture','seminar','openClass')),
  title            text,
  held_on          date,
  place            text,
  summary          text,
  evidence_file_id bigint REFERENCES files(id),
  submitted_at     timestamptz,
  reviewed_by      integer REFERENCES users(id),
  reviewed_at      timestamptz,
  review_comment   text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, teacher_id)
)
--;
CREATE INDEX share_backs_teacher_idx ON share_backs (teacher_id)
