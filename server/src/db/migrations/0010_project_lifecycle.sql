-- Training-project lifecycle (004 §三(六)): proposal → approval chain → filing → plan review → enrolment
-- → running → closed → evaluated. 'open' and 'closed' keep their meaning (open: enrolment and check-in
-- possible; closed: hours recognised), so rows written before this migration stay valid.
ALTER TABLE projects DROP CONSTRAINT projects_status_check
--;
ALTER TABLE projects ADD CONSTRAINT projects_status_check CHECK (status IN
  ('draft','submitted','approved','filed','planReview','open','running','closed','evaluated','rejected'))
--;
ALTER TABLE projects
  ADD COLUMN audience        jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN capacity        integer CHECK (capacity IS NULL OR capacity > 0),
  ADD COLUMN budget          numeric(14,2) CHECK (budget IS NULL OR budget >= 0),
  ADD COLUMN plan            jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN self_enrol      boolean NOT NULL DEFAULT false,
  ADD COLUMN outbound        boolean NOT NULL DEFAULT false,
  -- The approving bureaus bottom-up, fixed when the proposal is submitted; the last one files it and reviews the plan.
  ADD COLUMN approval_chain  integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN approval_step   integer NOT NULL DEFAULT 0,
  -- Whose move it is (an approver, the filing bureau, the plan reviewer): the 待我审批 inbox is one index lookup.
  ADD COLUMN pending_org_id  integer REFERENCES orgs(id),
  ADD COLUMN filing_no       text UNIQUE,
  ADD COLUMN filed_at        timestamptz
--;
CREATE INDEX projects_pending_org_idx ON projects (pending_org_id) WHERE pending_org_id IS NOT NULL
--;
-- One counter per filing bureau and year: 备2026-市-0012 numbers are gap-free and race-free.
CREATE TABLE project_filing_counters (
  org_id  integer NOT NULL REFERENCES orgs(id),
  year    integer NOT NULL,
  last    integer NOT NULL,
  PRIMARY KEY (org_id, year)
)
--;
-- Every transition of a project: who, when, what, from, to, why.
CREATE TABLE project_history (
  id          bigserial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES users(id),
  org_id      integer REFERENCES orgs(id),
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  comment     text,
  detail      jsonb NOT NULL DEFAULT '{}'
)
--;
CREATE INDEX project_history_project_idx ON project_history (project_id, at, id)
--;
-- Enrolment workflow: existing rows are confirmed enrolments ('approved'). Only 'approved' rows count as enrolled.
ALTER TABLE enrolments
  ADD COLUMN status       text NOT NULL DEFAULT 'approved' CHECK (status IN ('pending','approved','rejected','withdrawn','replaced')),
  ADD COLUMN source       text NOT NULL DEFAULT 'organiser' CHECK (source IN ('organiser','nomination','self')),
  -- The org whose quota this nomination uses (NULL: the organiser's own enrolment or self-enrolment).
  ADD COLUMN quota_org_id integer REFERENCES orgs(id),
  ADD COLUMN decided_by   integer REFERENCES users(id),
  ADD COLUMN decided_at   timestamptz,
  ADD COLUMN reason       text,
  ADD COLUMN replaces_teacher_id integer REFERENCES teachers(id)
--;
CREATE INDEX enrolments_quota_idx ON enrolments (project_id, quota_org_id) WHERE quota_org_id IS NOT NULL
--;
CREATE INDEX enrolments_pending_idx ON enrolments (status) WHERE status = 'pending'
--;
CREATE TABLE enrolment_history (
  id          bigserial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES users(id),
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  reason      text,
  other_teacher_id integer REFERENCES teachers(id)
)
--;
CREATE INDEX enrolment_history_idx ON enrolment_history (project_id, teacher_id, at)
--;
-- Quotas (名额): the organiser allocates to sub-orgs (parent_org_id NULL); a quota holder may split its own to orgs below it.
CREATE TABLE project_quotas (
  project_id    integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  org_id        integer NOT NULL REFERENCES orgs(id),
  parent_org_id integer REFERENCES orgs(id),
  quota         integer NOT NULL CHECK (quota >= 0),
  allocated_by  integer REFERENCES users(id),
  allocated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, org_id)
)
--;
CREATE INDEX project_quotas_org_idx ON project_quotas (org_id)
--;
-- 训前需求调研: a named questionnaire per project (one per project), answered once per teacher.
CREATE TABLE needs_surveys (
  id           serial PRIMARY KEY,
  project_id   integer NOT NULL UNIQUE REFERENCES projects(id) ON DELETE CASCADE,
  title        text NOT NULL,
  questions    jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','closed')),
  created_by   integer REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  closed_at    timestamptz
)
--;
CREATE TABLE needs_survey_answers (
  survey_id   integer NOT NULL REFERENCES needs_surveys(id) ON DELETE CASCADE,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  answers     jsonb NOT NULL,
  answered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (survey_id, teacher_id)
)
--;
-- Check-out (签退) uses the same rotating QR mechanism; the token carries the direction.
ALTER TABLE project_sessions ADD COLUMN checkout_open boolean NOT NULL DEFAULT false
--;
ALTER TABLE attendance ADD COLUMN checked_out_at timestamptz
--;
-- 请假: recorded by the teacher before the session starts.
CREATE TABLE session_apologies (
  session_id  integer NOT NULL REFERENCES project_sessions(id) ON DELETE CASCADE,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, teacher_id)
)
