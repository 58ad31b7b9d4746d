-- Organisation tree: province → city → county → school, plus bureaus' side units.
-- path is the chain of ids from the root, '/1/4/17/', so a subtree is one prefix match.
CREATE TABLE orgs (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('national','province','city','county','school')),
  kind        text NOT NULL CHECK (kind IN ('bureau','school','devCenter','researchOffice','institution','district','eduGroup')),
  stage       text CHECK (stage IN ('kindergarten','primary','junior','senior','vocational','special','nineYear','twelveYear')),
  parent_id   integer REFERENCES orgs(id),
  path        text NOT NULL,
  public_fund_budget numeric(14,2),
  created_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX orgs_path_idx ON orgs (path text_pattern_ops)
--;
CREATE INDEX orgs_parent_idx ON orgs (parent_id)
--;
CREATE TABLE teachers (
  id               serial PRIMARY KEY,
  org_id           integer NOT NULL REFERENCES orgs(id),
  name             text NOT NULL,
  national_id_enc  text NOT NULL,
  national_id_idx  text NOT NULL UNIQUE,
  national_id_mask text NOT NULL,
  phone_enc        text,
  phone_idx        text,
  phone_mask       text,
  gender           text NOT NULL CHECK (gender IN ('male','female')),
  birth_date       date NOT NULL,
  employment       text NOT NULL DEFAULT 'staff' CHECK (employment IN ('staff','contract')),
  stage            text NOT NULL,
  subjects         text[] NOT NULL DEFAULT '{}',
  hire_date        date,
  education        text CHECK (education IN ('secondary','associate','bachelor','master','doctor')),
  second_degree    text,
  title            text CHECK (title IN ('none','third','second','first','senior','fullSenior')),
  title_date       date,
  qualification_type    text,
  qualification_stage   text,
  qualification_subject text,
  qualification_no      text,
  qualification_expiry  date,
  mandarin_level   text CHECK (mandarin_level IN ('1A','1B','2A','2B','3A','3B')),
  certificates     text[] NOT NULL DEFAULT '{}',
  key_level        text CHECK (key_level IN ('school','county','city','province','national')),
  key_category     text,
  key_term_end     date,
  party_member     boolean NOT NULL DEFAULT false,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active','retired','transferred','banned')),
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX teachers_org_idx ON teachers (org_id)
--;
CREATE INDEX teachers_name_idx ON teachers (name)
--;
CREATE INDEX teachers_phone_idx ON teachers (phone_idx)
--;
-- Roles held by a teacher over time (班主任 since …). until NULL = still holds it.
CREATE TABLE teacher_roles (
  teacher_id integer NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('homeroom','psychFullTime','psychPartTime','ideology','vocationalSubject','dualQualified','newTeacher','mentor')),
  since      date,
  until      date,
  PRIMARY KEY (teacher_id, role)
)
--;
CREATE INDEX teacher_roles_role_idx ON teacher_roles (role, teacher_id)
--;
-- Every change to a teacher's record: who, when, which fields from what to what (PII masked).
CREATE TABLE teacher_changes (
  id          bigserial PRIMARY KEY,
  teacher_id  integer NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  user_id     integer,
  at          timestamptz NOT NULL DEFAULT now(),
  source      text NOT NULL,
  changes     jsonb NOT NULL
)
--;
CREATE INDEX teacher_changes_teacher_idx ON teacher_changes (teacher_id, at)
--;
CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('bureauAdmin','schoolAdmin','teacher','institution','devCenter')),
  org_id        integer NOT NULL REFERENCES orgs(id),
  teacher_id    integer REFERENCES teachers(id),
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
)
--;
CREATE TABLE auth_sessions (
  token_hash  text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
)
--;
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer,
  org_id      integer,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text,
  detail      jsonb NOT NULL DEFAULT '{}',
  ip          text
)
--;
CREATE INDEX audit_log_at_idx ON audit_log (at)
--;
-- Teacher imports: the parsed file is kept between preview and commit; the file hash makes re-imports visible.
CREATE TABLE import_batches (
  id          serial PRIMARY KEY,
  kind        text NOT NULL,
  user_id     integer NOT NULL REFERENCES users(id),
  org_id      integer NOT NULL REFERENCES orgs(id),
  file_name   text NOT NULL,
  file_sha256 text NOT NULL,
  status      text NOT NULL DEFAULT 'previewed' CHECK (status IN ('previewed','committed','discarded')),
  rows        jsonb NOT NULL,
  summary     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  committed_at timestamptz
)
--;
CREATE TABLE projects (
  id            serial PRIMARY KEY,
  org_id        integer NOT NULL REFERENCES orgs(id),
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  level         text NOT NULL CHECK (level IN ('national','province','city','county','school')),
  form          text NOT NULL CHECK (form IN ('inPerson','online','blended','outreach','shadowing','shadowTeacher','onlineClassroom','induction','schoolBased')),
  categories    text[] NOT NULL DEFAULT '{}',
  target_hours  numeric(6,1) NOT NULL,
  start_date    date,
  end_date      date,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  created_by    integer REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  closed_by     integer REFERENCES users(id)
)
--;
CREATE INDEX projects_org_idx ON projects (org_id)
--;
CREATE TABLE project_sessions (
  id          serial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  title       text NOT NULL,
  date        date NOT NULL,
  start_time  text NOT NULL,
  end_time    text NOT NULL,
  place       text NOT NULL,
  hours       numeric(5,1) NOT NULL CHECK (hours > 0),
  category    text NOT NULL,
  checkin_open boolean NOT NULL DEFAULT false
)
--;
CREATE INDEX project_sessions_project_idx ON project_sessions (project_id)
--;
CREATE TABLE enrolments (
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  enrolled_by integer REFERENCES users(id),
  PRIMARY KEY (project_id, teacher_id)
)
--;
CREATE INDEX enrolments_teacher_idx ON enrolments (teacher_id)
--;
-- One row per teacher per session: the unique key makes concurrent or repeated check-ins idempotent.
CREATE TABLE attendance (
  session_id  integer NOT NULL REFERENCES project_sessions(id) ON DELETE CASCADE,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  method      text NOT NULL CHECK (method IN ('qr','manual')),
  at          timestamptz NOT NULL DEFAULT now(),
  by_user     integer REFERENCES users(id),
  PRIMARY KEY (session_id, teacher_id)
)
--;
CREATE INDEX attendance_teacher_idx ON attendance (teacher_id)
--;
-- The hours ledger. Append-only: corrections are reversing entries. dedupe_key makes every
-- source idempotent (a project session recognised twice, a file imported twice).
CREATE TABLE ledger_entries (
  id            bigserial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id),
  hours         numeric(6,1) NOT NULL CHECK (hours <> 0),
  category      text NOT NULL,
  occurred_on   date NOT NULL,
  source_type   text NOT NULL CHECK (source_type IN ('project','claim','import','correction','schoolBased')),
  project_id    integer REFERENCES projects(id),
  session_id    integer REFERENCES project_sessions(id),
  source_ref    text,
  description   text NOT NULL,
  recognised_by integer REFERENCES users(id),
  recognised_at timestamptz NOT NULL DEFAULT now(),
  reverses_id   bigint UNIQUE REFERENCES ledger_entries(id),
  reason        text,
  dedupe_key    text UNIQUE
)
--;
CREATE INDEX ledger_teacher_idx ON ledger_entries (teacher_id, occurred_on)
--;
CREATE INDEX ledger_occurred_idx ON ledger_entries (occurred_on)
--;
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: add a reversing entry instead' USING ERRCODE = 'P0001';
END $$
--;
CREATE TRIGGER ledger_no_update BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only()
