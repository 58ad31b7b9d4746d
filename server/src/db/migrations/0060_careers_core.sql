-- Issue 14: the two career facts other modules read, created once here so that each module that writes them
-- (appraisals, rotations) and each that reads them (职称 eligibility, honours, plan review) share one shape.
-- Both are history: a row is never rewritten or deleted; a correction supersedes it.

-- 年度考核 results: one row in force per teacher and year (优秀/合格/基本合格/不合格).
CREATE TABLE appraisal_results (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  -- The org that graded (the teacher's school that year).
  org_id         integer NOT NULL REFERENCES orgs(id),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  grade          text NOT NULL CHECK (grade IN ('excellent','qualified','basicallyQualified','unqualified')),
  -- The appraisal round that produced it (NULL for a result entered or imported from an earlier system).
  round_id       integer,
  source         text NOT NULL DEFAULT 'round' CHECK (source IN ('round','import','correction')),
  note           text,
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES appraisal_results(id),
  superseded_at  timestamptz
)
--;
CREATE UNIQUE INDEX appraisal_results_in_force_idx ON appraisal_results (teacher_id, year) WHERE superseded_at IS NULL
--;
CREATE INDEX appraisal_results_org_idx ON appraisal_results (org_id, year)
--;
-- 交流轮岗 records: a teacher served at another school (交流/轮岗/支教/送教下乡) from a date until a date.
-- 交流 and 轮岗 also move the teacher's school of record (teacher_assignments kind 'rotation'); 支教 and 送教下乡 do not.
CREATE TABLE rotation_records (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  from_org_id    integer NOT NULL REFERENCES orgs(id),
  to_org_id      integer NOT NULL REFERENCES orgs(id),
  kind           text NOT NULL CHECK (kind IN ('exchange','rotation','supportTeaching','sendTeaching')),
  start_date     date NOT NULL,
  end_date       date,
  -- Served at a rural school (乡村学校): counted as rural service where a region's title rules require it.
  rural          boolean NOT NULL DEFAULT false,
  -- The rotation plan it carries out (the rotations module adds the plans).
  plan_id        integer,
  note           text,
  created_by     integer REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES rotation_records(id),
  superseded_at  timestamptz,
  CHECK (end_date IS NULL OR end_date >= start_date),
  CHECK (from_org_id <> to_org_id)
)
--;
CREATE INDEX rotation_records_teacher_idx ON rotation_records (teacher_id) WHERE superseded_at IS NULL
--;
CREATE INDEX rotation_records_to_idx ON rotation_records (to_org_id, start_date)
