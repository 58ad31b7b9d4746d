-- Issue 13: growing teachers. The shared core of the development modules: studios (工作室) with their members over
-- time, and 磨课 rounds (lesson polishing), which the mentoring gate, the key-teacher eligibility and studio
-- activities all read. Later migrations of the development modules add to these tables (new columns nullable or
-- with defaults); rows are history: a status moves forward, a membership or a round is ended or superseded, never
-- rewritten or deleted.

-- ---------------------------------------------------------------- studios (名师/名班主任/名校长/双师型/技能大师工作室)
CREATE TABLE studios (
  id               serial PRIMARY KEY,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('masterTeacher','masterHomeroom','principal','dualQualified','skillMaster')),
  level            text NOT NULL CHECK (level IN ('school','county','city','province')),
  -- The org that names the studio and manages it (a school for 校级, else the bureau of that level).
  naming_org_id    integer NOT NULL REFERENCES orgs(id),
  -- Where the host works (the studio's base school).
  base_org_id      integer NOT NULL REFERENCES orgs(id),
  host_teacher_id  integer NOT NULL REFERENCES teachers(id),
  subject          text,
  -- applying 申报 → reviewing 评审 → named 命名 (term) → warned 警示 → delisted 撤销; rejected 未通过; ended 期满
  status           text NOT NULL DEFAULT 'applying'
                   CHECK (status IN ('applying','reviewing','named','warned','delisted','rejected','ended')),
  named_on         date,
  term_from        date,
  term_until       date,
  applied_by       integer REFERENCES users(id),
  applied_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (term_until IS NULL OR term_from IS NULL OR term_until >= term_from)
)
--;
CREATE INDEX studios_naming_idx ON studios (naming_org_id, status)
--;
CREATE INDEX studios_host_idx ON studios (host_teacher_id)
--;
-- A member from joined_on until left_on (inclusive; NULL = still a member). The host is a member with role 'host'.
CREATE TABLE studio_members (
  id          serial PRIMARY KEY,
  studio_id   integer NOT NULL REFERENCES studios(id),
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  role        text NOT NULL DEFAULT 'member' CHECK (role IN ('host','member','expert')),
  joined_on   date NOT NULL,
  left_on     date,
  recorded_by integer REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (left_on IS NULL OR left_on >= joined_on)
)
--;
CREATE UNIQUE INDEX studio_members_one_current ON studio_members (studio_id, teacher_id) WHERE left_on IS NULL
--;
CREATE INDEX studio_members_teacher_idx ON studio_members (teacher_id, joined_on)
--;
-- ---------------------------------------------------------------- 磨课 rounds
-- One round of polishing one lesson of one teacher: held on a date, observed by the school's 磨课团队 and/or the
-- 教研室 (evaluator_org_id: the school or the research office), with an evaluation (form answers in `evaluation`)
-- and a result. purpose: newTeacher (新入职/新任学科, the gate to 可独立任教), keyCandidate (教龄 ≤ 3 年 重点培养对象,
-- before key-teacher candidacy), studio (a studio activity), other. A correction supersedes the row.
CREATE TABLE polish_rounds (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  school_org_id    integer NOT NULL REFERENCES orgs(id),
  subject          text NOT NULL,
  lesson           text NOT NULL,
  held_on          date NOT NULL,
  purpose          text NOT NULL CHECK (purpose IN ('newTeacher','keyCandidate','studio','other')),
  evaluator_org_id integer NOT NULL REFERENCES orgs(id),
  observers        text[] NOT NULL DEFAULT '{}',
  evaluation       jsonb NOT NULL DEFAULT '{}'::jsonb,
  result           text NOT NULL CHECK (result IN ('passed','failed')),
  comment          text,
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  superseded_by    integer REFERENCES polish_rounds(id),
  superseded_at    timestamptz
)
--;
CREATE INDEX polish_rounds_teacher_idx ON polish_rounds (teacher_id, held_on) WHERE superseded_at IS NULL
