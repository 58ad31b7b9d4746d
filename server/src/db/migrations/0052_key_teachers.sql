-- Issue 13 item 2: 骨干教师 三级三类. A selection round opened by a bureau (tier, categories, dates, quotas per
-- sub-org) → nominations within quota, each with the eligibility found at nomination → review → 公示 with
-- objections → designation (written to teacher_designations through teacher-facts `designate`). During the term:
-- yearly assessments of the duties, renewal or exit. Rows are history: a status moves forward, an assessment is
-- superseded by its correction, never rewritten or deleted.

CREATE TABLE key_teacher_rounds (
  id               serial PRIMARY KEY,
  org_id           integer NOT NULL REFERENCES orgs(id),
  title            text NOT NULL,
  tier             text NOT NULL CHECK (tier IN ('school','county','city','province')),
  categories       text[] NOT NULL,
  -- The date eligibility is checked as of (the round's date).
  as_of            date NOT NULL,
  nominate_until   date NOT NULL,
  -- nominating 推荐 → reviewing 评审 → publicizing 公示 → designated 已认定; cancelled 已撤销
  status           text NOT NULL DEFAULT 'nominating' CHECK (status IN ('nominating','reviewing','publicizing','designated','cancelled')),
  publicity_from   date,
  publicity_until  date,
  term_from        date,
  term_until       date,
  created_by       integer REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (publicity_until IS NULL OR publicity_from IS NULL OR publicity_until >= publicity_from),
  CHECK (term_until IS NULL OR term_from IS NULL OR term_until >= term_from)
)
--;
CREATE INDEX key_teacher_rounds_org_idx ON key_teacher_rounds (org_id, status)
--;
CREATE TABLE key_teacher_round_quotas (
  round_id  integer NOT NULL REFERENCES key_teacher_rounds(id),
  org_id    integer NOT NULL REFERENCES orgs(id),
  quota     integer NOT NULL CHECK (quota >= 0),
  PRIMARY KEY (round_id, org_id)
)
--;
CREATE TABLE key_teacher_nominations (
  id                serial PRIMARY KEY,
  round_id          integer NOT NULL REFERENCES key_teacher_rounds(id),
  teacher_id        integer NOT NULL REFERENCES teachers(id),
  category          text NOT NULL,
  -- The org whose quota it uses (the nominating school or sub-bureau).
  quota_org_id      integer NOT NULL REFERENCES orgs(id),
  eligibility       jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- nominated 已推荐 → passed 评审通过 / failed 未通过 → designated 已认定 / objected 公示异议成立; withdrawn 已撤回
  status            text NOT NULL DEFAULT 'nominated' CHECK (status IN ('nominated','passed','failed','withdrawn','objected','designated')),
  score             numeric(5,1),
  review_comment    text,
  reviewed_by       integer REFERENCES users(id),
  reviewed_at       timestamptz,
  designation_id    integer REFERENCES teacher_designations(id),
  nominated_by      integer REFERENCES users(id),
  nominated_at      timestamptz NOT NULL DEFAULT now()
)
--;
CREATE UNIQUE INDEX key_teacher_nominations_one ON key_teacher_nominations (round_id, teacher_id) WHERE status <> 'withdrawn'
--;
CREATE INDEX key_teacher_nominations_teacher_idx ON key_teacher_nominations (teacher_id)
--;
-- 公示 objections: received, and what came of them.
CREATE TABLE key_teacher_objections (
  id             serial PRIMARY KEY,
  nomination_id  integer NOT NULL REFERENCES key_teacher_nominations(id),
  received_on    date NOT NULL,
  content        text NOT NULL,
  upheld         boolean NOT NULL,
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now()
)
--;
-- The term: every step (designated, assessed, renewed, exited) of a designation, and the yearly assessment.
CREATE TABLE key_teacher_term_events (
  id              serial PRIMARY KEY,
  teacher_id      integer NOT NULL REFERENCES teachers(id),
  designation_id  integer NOT NULL REFERENCES teacher_designations(id),
  kind            text NOT NULL CHECK (kind IN ('designated','assessed','renewed','exited')),
  on_date         date NOT NULL,
  -- assessed: the year, 合格/不合格 and the duties done
  year            integer,
  result          text CHECK (result IN ('qualified','unqualified')),
  duties          jsonb,
  note            text,
  round_id        integer REFERENCES key_teacher_rounds(id),
  org_id          integer NOT NULL REFERENCES orgs(id),
  recorded_by     integer REFERENCES users(id),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  superseded_by   integer REFERENCES key_teacher_term_events(id),
  superseded_at   timestamptz,
  CHECK (kind <> 'assessed' OR (year IS NOT NULL AND result IS NOT NULL))
)
--;
CREATE INDEX key_teacher_term_events_teacher_idx ON key_teacher_term_events (teacher_id, on_date)
--;
CREATE UNIQUE INDEX key_teacher_assessment_one ON key_teacher_term_events (designation_id, year) WHERE kind = 'assessed' AND superseded_at IS NULL
