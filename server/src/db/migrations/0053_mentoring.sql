-- Issue 13 item 3: 师徒结对 (mentor pairs and their records) and the 磨课 gate (待磨课 → 可独立任教), 重点培养对象.
-- Rows are history: a pair is ended (or replaced by a new one), never rewritten; a round is superseded by its
-- correction; a gate moves forward once (opened → released) and the release is a dated, recorded decision.

-- ---------------------------------------------------------------- 师徒结对
CREATE TABLE mentor_pairs (
  id                serial PRIMARY KEY,
  mentor_teacher_id integer NOT NULL REFERENCES teachers(id),
  mentee_teacher_id integer NOT NULL REFERENCES teachers(id),
  -- The mentee's school (the school that pairs them); the mentor may work elsewhere (结对学校, 名师).
  school_org_id     integer NOT NULL REFERENCES orgs(id),
  subject           text NOT NULL,
  term_from         date NOT NULL,
  term_until        date,
  goals             text,
  -- Ended on that day (inclusive); NULL = current. A changed mentor ends this pair and starts a new one (replaces).
  ended_on          date,
  end_reason        text,
  ended_by          integer REFERENCES users(id),
  ended_at          timestamptz,
  replaces          integer REFERENCES mentor_pairs(id),
  recorded_by       integer REFERENCES users(id),
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (mentor_teacher_id <> mentee_teacher_id),
  CHECK (term_until IS NULL OR term_until >= term_from),
  CHECK (ended_on IS NULL OR ended_on >= term_from)
)
--;
CREATE UNIQUE INDEX mentor_pairs_one_current ON mentor_pairs (mentee_teacher_id, subject) WHERE ended_on IS NULL
--;
CREATE INDEX mentor_pairs_mentor_idx ON mentor_pairs (mentor_teacher_id) WHERE ended_on IS NULL
--;
CREATE INDEX mentor_pairs_school_idx ON mentor_pairs (school_org_id)
--;
-- Dated entries of a pair, written by the mentor or the mentee (听课 / 指导 / 反思).
CREATE TABLE mentor_records (
  id                serial PRIMARY KEY,
  pair_id           integer NOT NULL REFERENCES mentor_pairs(id),
  author_side       text NOT NULL CHECK (author_side IN ('mentor','mentee','school')),
  kind              text NOT NULL CHECK (kind IN ('observation','guidance','reflection')),
  held_on           date NOT NULL,
  content           text NOT NULL,
  recorded_by       integer REFERENCES users(id),
  recorded_at       timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX mentor_records_pair_idx ON mentor_records (pair_id, held_on)
--;
-- ---------------------------------------------------------------- 磨课 rounds: corrections name what they correct
ALTER TABLE polish_rounds ADD COLUMN corrects integer REFERENCES polish_rounds(id)
--;
ALTER TABLE polish_rounds ADD COLUMN correction_reason text
--;
-- ---------------------------------------------------------------- the gate 待磨课 → 可独立任教
-- One gate per teacher and subject: opened for a new teacher (新入职) or a new subject (新任学科), released once
-- (released_on, by whom, the rounds it rested on). A new teacher without a row is 待磨课 all the same (computed).
CREATE TABLE teaching_gates (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  school_org_id    integer NOT NULL REFERENCES orgs(id),
  subject          text NOT NULL,
  reason           text NOT NULL CHECK (reason IN ('newTeacher','newSubject')),
  opened_on        date NOT NULL,
  opened_by        integer REFERENCES users(id),
  released_on      date,
  released_by      integer REFERENCES users(id),
  released_at      timestamptz,
  release_note     text,
  release_rounds   integer[] NOT NULL DEFAULT '{}',
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (released_on IS NULL OR released_on >= opened_on)
)
--;
CREATE UNIQUE INDEX teaching_gates_one ON teaching_gates (teacher_id, subject)
--;
-- ---------------------------------------------------------------- 重点培养对象 (教龄 ≤ 3 年, per school, subject and term)
CREATE TABLE key_candidates (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  school_org_id    integer NOT NULL REFERENCES orgs(id),
  subject          text NOT NULL,
  -- 学年学期, e.g. 2026-2027-1 (first term of school year 2026–2027).
  term             text NOT NULL CHECK (term ~ '^[0-9]{4}-[0-9]{4}-[12]$'),
  flagged_on       date NOT NULL,
  flagged_by       integer REFERENCES users(id),
  withdrawn_at     timestamptz,
  withdrawn_by     integer REFERENCES users(id),
  withdraw_reason  text,
  recorded_at      timestamptz NOT NULL DEFAULT now()
)
--;
CREATE UNIQUE INDEX key_candidates_one ON key_candidates (teacher_id, subject, term) WHERE withdrawn_at IS NULL
--;
CREATE INDEX key_candidates_school_idx ON key_candidates (school_org_id, term)
