-- Issue 14 item 9: 编制 and structure. Figures entered or imported per school, kept as history: a new figure
-- supersedes the one in force (superseded_by/at), never overwrites it. Teachers in post are not stored here: they
-- are counted from teacher facts (teacher_assignments, teacher_statuses) as of a date.

-- 编制数 of a school from a date, with the document that set it (核编文件).
CREATE TABLE staffing_quotas (
  id             serial PRIMARY KEY,
  org_id         integer NOT NULL REFERENCES orgs(id),
  quota          integer NOT NULL CHECK (quota BETWEEN 0 AND 100000),
  effective_from date NOT NULL,
  source         text NOT NULL CHECK (length(source) BETWEEN 2 AND 200),
  note           text,
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES staffing_quotas(id),
  superseded_at  timestamptz
)
--;
-- One figure in force per school and effective date (a correction of the same date supersedes it).
CREATE UNIQUE INDEX staffing_quotas_in_force_idx ON staffing_quotas (org_id, effective_from) WHERE superseded_at IS NULL
--;
-- 在校生数 of a school in a school year (the year it starts: 2025 = 2025—2026 学年), per stage (a 九年一贯制 school
-- has a primary and a junior figure), with its source (学籍系统、统计年报 …).
CREATE TABLE student_counts (
  id             serial PRIMARY KEY,
  org_id         integer NOT NULL REFERENCES orgs(id),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  stage          text NOT NULL CHECK (stage IN ('kindergarten','primary','junior','senior','vocational','special')),
  students       integer NOT NULL CHECK (students BETWEEN 0 AND 1000000),
  source         text NOT NULL CHECK (length(source) BETWEEN 2 AND 200),
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES student_counts(id),
  superseded_at  timestamptz
)
--;
CREATE UNIQUE INDEX student_counts_in_force_idx ON student_counts (org_id, year, stage) WHERE superseded_at IS NULL
--;
-- 乡村教师 support: 乡村教师生活补助, 周转宿舍, training support, per teacher with dates (002 §三(五)1, 003 #13).
CREATE TABLE rural_support_records (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  org_id         integer NOT NULL REFERENCES orgs(id),
  kind           text NOT NULL CHECK (kind IN ('allowance','housing','training')),
  start_date     date NOT NULL,
  end_date       date,
  amount         numeric(12,2) CHECK (amount IS NULL OR amount >= 0),
  note           text,
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES rural_support_records(id),
  superseded_at  timestamptz,
  CHECK (end_date IS NULL OR end_date >= start_date)
)
--;
CREATE INDEX rural_support_teacher_idx ON rural_support_records (teacher_id) WHERE superseded_at IS NULL
--;
CREATE INDEX staffing_quotas_org_idx ON staffing_quotas (org_id)
--;
CREATE INDEX student_counts_org_idx ON student_counts (org_id, year)
