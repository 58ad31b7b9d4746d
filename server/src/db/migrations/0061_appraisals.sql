-- Issue 14 item 1: 年度考核 (annual appraisal). A round per org and year (a school for itself, a bureau for its
-- subtree); one entry per teacher of the subtree (self-report, inputs gathered, the school's grade); 公示 with
-- objections; 确认结果 writes appraisal_results (0060). Plus the 家访 and 学业述评 records teachers enter.
-- Rows are history: an objection is a row, a changed grade is logged, results are superseded, never rewritten.
CREATE TABLE appraisal_rounds (
  id               serial PRIMARY KEY,
  org_id           integer NOT NULL REFERENCES orgs(id),
  year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title            text NOT NULL,
  -- 优秀 share of each school's teachers in the round (from the policy key `appraisal`, or set by the bureau).
  excellent_share  numeric(4,3) NOT NULL CHECK (excellent_share >= 0 AND excellent_share <= 1),
  self_report_until date NOT NULL,
  grade_until      date NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open','publicizing','confirmed','cancelled')),
  publicity_from   date,
  publicity_until  date,
  created_by       integer REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  confirmed_by     integer REFERENCES users(id),
  confirmed_at     timestamptz,
  CHECK (grade_until >= self_report_until)
)
--;
-- One live round per org and year.
CREATE UNIQUE INDEX appraisal_rounds_org_year_idx ON appraisal_rounds (org_id, year) WHERE status <> 'cancelled'
--;
CREATE TABLE appraisal_entries (
  id              serial PRIMARY KEY,
  round_id        integer NOT NULL REFERENCES appraisal_rounds(id),
  teacher_id      integer NOT NULL REFERENCES teachers(id),
  -- The teacher's school when the round opened (the quota counts per school).
  school_org_id   integer NOT NULL REFERENCES orgs(id),
  self_report     text,
  self_reported_at timestamptz,
  grade           text CHECK (grade IN ('excellent','qualified','basicallyQualified','unqualified')),
  grade_comment   text,
  graded_by       integer REFERENCES users(id),
  graded_at       timestamptz,
  result_id       integer REFERENCES appraisal_results(id),
  UNIQUE (round_id, teacher_id)
)
--;
CREATE INDEX appraisal_entries_teacher_idx ON appraisal_entries (teacher_id)
--;
-- Every grade given (the entry shows the latest; this keeps each change, with who and why).
CREATE TABLE appraisal_grade_log (
  id          bigserial PRIMARY KEY,
  entry_id    integer NOT NULL REFERENCES appraisal_entries(id),
  grade       text NOT NULL,
  comment     text,
  by_user     integer REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now()
)
--;
CREATE TABLE appraisal_objections (
  id           serial PRIMARY KEY,
  entry_id     integer NOT NULL REFERENCES appraisal_entries(id),
  received_on  date NOT NULL,
  content      text NOT NULL,
  upheld       boolean NOT NULL,
  decision     text NOT NULL,
  -- When upheld, the grade the school gave instead.
  new_grade    text CHECK (new_grade IN ('excellent','qualified','basicallyQualified','unqualified')),
  recorded_by  integer REFERENCES users(id),
  recorded_at  timestamptz NOT NULL DEFAULT now()
)
--;
ALTER TABLE appraisal_results ADD CONSTRAINT appraisal_results_round_fk FOREIGN KEY (round_id) REFERENCES appraisal_rounds(id)
--;
ALTER TABLE appraisal_results ADD COLUMN correction_reason text
--;
-- 家访 (003 #12 落实中小学教师家访制度): a visit on a date to families of a class; counts only, no student names.
CREATE TABLE home_visits (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  school_org_id  integer NOT NULL REFERENCES orgs(id),
  visited_on     date NOT NULL,
  class_name     text NOT NULL,
  families       integer NOT NULL CHECK (families BETWEEN 1 AND 200),
  mode           text NOT NULL DEFAULT 'visit' CHECK (mode IN ('visit','online')),
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_at   timestamptz,
  withdrawn_reason text
)
--;
CREATE INDEX home_visits_teacher_idx ON home_visits (teacher_id, visited_on)
--;
CREATE INDEX home_visits_school_idx ON home_visits (school_org_id, visited_on)
--;
-- 学业述评 (003 #12 任课教师每学期须对每个学生进行学业述评): per class and term, how many students were reviewed.
CREATE TABLE academic_reviews (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  school_org_id  integer NOT NULL REFERENCES orgs(id),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  term           text NOT NULL CHECK (term IN ('spring','autumn')),
  class_name     text NOT NULL,
  students       integer NOT NULL CHECK (students BETWEEN 1 AND 500),
  reviewed       integer NOT NULL CHECK (reviewed >= 0),
  completed_on   date NOT NULL,
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES academic_reviews(id),
  superseded_at  timestamptz,
  CHECK (reviewed <= students)
)
--;
CREATE UNIQUE INDEX academic_reviews_live_idx ON academic_reviews (teacher_id, year, term, class_name) WHERE superseded_at IS NULL
--;
CREATE INDEX academic_reviews_school_idx ON academic_reviews (school_org_id, year, term)
