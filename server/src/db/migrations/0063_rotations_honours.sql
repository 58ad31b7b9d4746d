-- Issue 14 items 2 (交流轮岗) and 4 (表彰荣誉). History: rows are never rewritten or deleted; a correction
-- supersedes with a reason, a revoked honour or 荣退 record is voided (with the reason), not deleted.

-- 交流轮岗计划: the number of teachers a county bureau plans to rotate out of one unit (a school, or the county
-- as a whole) in a year. One plan in force per unit and year; a change supersedes it.
CREATE TABLE rotation_plans (
  id             serial PRIMARY KEY,
  -- The unit the plan counts (a school, or the county bureau for the county as a whole).
  org_id         integer NOT NULL REFERENCES orgs(id),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  planned_count  integer NOT NULL CHECK (planned_count BETWEEN 0 AND 100000),
  note           text,
  created_by_org_id integer NOT NULL REFERENCES orgs(id),
  created_by     integer REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES rotation_plans(id),
  superseded_at  timestamptz
)
--;
CREATE UNIQUE INDEX rotation_plans_in_force_idx ON rotation_plans (org_id, year) WHERE superseded_at IS NULL
--;
ALTER TABLE rotation_records ADD CONSTRAINT rotation_records_plan_fk FOREIGN KEY (plan_id) REFERENCES rotation_plans(id)
--;
-- The school-of-record change (teacher_assignments kind 'rotation') a 交流/轮岗 made; NULL for 支教/送教下乡.
ALTER TABLE rotation_records ADD COLUMN assignment_id integer REFERENCES teacher_assignments(id)
--;
ALTER TABLE rotation_records ADD COLUMN supersede_reason text
--;
ALTER TABLE rotation_records ADD COLUMN recorded_by_org_id integer REFERENCES orgs(id)
--;
CREATE INDEX rotation_records_from_idx ON rotation_records (from_org_id, start_date)
--;
-- 表彰项目: the award types an org confers (最美班主任, 优秀教师 …) at its level.
CREATE TABLE honour_types (
  id             serial PRIMARY KEY,
  org_id         integer NOT NULL REFERENCES orgs(id),
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('national','province','city','county','school')),
  description    text,
  created_by     integer REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  retired_at     timestamptz
)
--;
CREATE UNIQUE INDEX honour_types_name_idx ON honour_types (org_id, name) WHERE retired_at IS NULL
--;
-- 推荐: a nomination of a teacher for an award type and year; awarded → the honour lands in teacher_honours.
CREATE TABLE honour_nominations (
  id             serial PRIMARY KEY,
  type_id        integer NOT NULL REFERENCES honour_types(id),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  nominated_by_org_id integer NOT NULL REFERENCES orgs(id),
  nominated_by   integer REFERENCES users(id),
  nominated_at   timestamptz NOT NULL DEFAULT now(),
  deeds          text,
  status         text NOT NULL DEFAULT 'nominated' CHECK (status IN ('nominated','awarded','rejected','withdrawn')),
  decided_by     integer REFERENCES users(id),
  decided_at     timestamptz,
  decision_note  text,
  honour_id      integer REFERENCES teacher_honours(id)
)
--;
CREATE UNIQUE INDEX honour_nominations_once_idx ON honour_nominations (type_id, year, teacher_id) WHERE status IN ('nominated','awarded')
--;
-- 尊师月 (September) and other 尊师重教 activities an org held.
CREATE TABLE honour_activities (
  id             serial PRIMARY KEY,
  org_id         integer NOT NULL REFERENCES orgs(id),
  held_on        date NOT NULL,
  title          text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('teacherMonth','ceremony','visit','other')),
  participants   integer CHECK (participants IS NULL OR participants BETWEEN 0 AND 1000000),
  note           text,
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  voided_at      timestamptz,
  voided_reason  text
)
--;
CREATE INDEX honour_activities_org_idx ON honour_activities (org_id, held_on)
--;
-- 荣退: a retiring teacher honoured (ceremony date, years of service from the teacher's facts).
CREATE TABLE retirement_honours (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  org_id         integer NOT NULL REFERENCES orgs(id),
  retired_on     date NOT NULL,
  ceremony_on    date NOT NULL,
  service_years  integer NOT NULL CHECK (service_years BETWEEN 0 AND 80),
  note           text,
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  voided_at      timestamptz,
  voided_reason  text
)
--;
CREATE UNIQUE INDEX retirement_honours_once_idx ON retirement_honours (teacher_id) WHERE voided_at IS NULL
