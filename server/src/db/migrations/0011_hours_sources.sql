-- 个人申报 (hoursClaim): a teacher's own training, with evidence, reviewed by the school and then the county.
-- Approval at the county step appends one ledger entry (dedupe key claim:{id}); the claim itself is the workflow.
CREATE TABLE hour_claims (
  id            serial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id),
  title         text NOT NULL,
  category      text NOT NULL,
  hours         numeric(6,1) NOT NULL CHECK (hours > 0),
  occurred_on   date NOT NULL,
  description   text NOT NULL DEFAULT '',
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','schoolApproved','countyApproved','returned','rejected')),
  created_by    integer REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  submitted_at  timestamptz,
  decided_at    timestamptz
)
--;
CREATE INDEX hour_claims_teacher_idx ON hour_claims (teacher_id, created_at)
--;
CREATE INDEX hour_claims_status_idx ON hour_claims (status) WHERE status IN ('submitted','schoolApproved')
--;
CREATE TABLE hour_claim_files (
  claim_id  integer NOT NULL REFERENCES hour_claims(id) ON DELETE CASCADE,
  file_id   bigint NOT NULL UNIQUE REFERENCES files(id),
  PRIMARY KEY (claim_id, file_id)
)
--;
-- Every transition of a claim: who, when, from, to, why.
CREATE TABLE hour_claim_events (
  id          bigserial PRIMARY KEY,
  claim_id    integer NOT NULL REFERENCES hour_claims(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES users(id),
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  comment     text
)
--;
CREATE INDEX hour_claim_events_claim_idx ON hour_claim_events (claim_id, at, id)
--;
-- Imports of hour records from other platforms (国家中小学智慧教育平台 …): one row per run, with the
-- column/category mapping used and the report. Rejected rows hold row numbers and messages, no 身份证号.
CREATE TABLE hour_import_runs (
  id          serial PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users(id),
  org_id      integer NOT NULL REFERENCES orgs(id),
  platform    text NOT NULL,
  file_name   text NOT NULL,
  file_sha256 text NOT NULL,
  mapping     jsonb NOT NULL,
  added       integer NOT NULL,
  skipped     integer NOT NULL,
  rejected    integer NOT NULL,
  hours_added numeric(12,1) NOT NULL,
  report      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX hour_import_runs_org_idx ON hour_import_runs (org_id, created_at)
--;
-- Completion certificates: one per teacher per project, numbered once, the hours as recognised at issue.
CREATE TABLE certificates (
  id           serial PRIMARY KEY,
  cert_no      text NOT NULL UNIQUE,
  project_id   integer NOT NULL REFERENCES projects(id),
  teacher_id   integer NOT NULL REFERENCES teachers(id),
  hours        numeric(6,1) NOT NULL,
  issuer_org_id integer NOT NULL REFERENCES orgs(id),
  issued_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  UNIQUE (project_id, teacher_id)
)
