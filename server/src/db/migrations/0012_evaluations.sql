-- 绩效评估: anonymous participant survey, expert pool and scores, supervisor inspections,
-- institution qualification status.
--
-- The participant survey is anonymous BY CONSTRUCTION:
--   survey_responses  (survey_id, teacher_id) only says "has answered" and stops a second answer;
--   survey_answers    holds the answers with NO user/teacher id, NO IP, no timestamp (only the Monday
--                     of the week), a random UUID key, and no key shared with survey_responses.
-- The service also rewrites a survey's answers in random order on every submission, so neither the
-- physical row order nor the system column xmin can be matched against survey_responses.
CREATE TABLE surveys (
  id          serial PRIMARY KEY,
  project_id  integer NOT NULL UNIQUE REFERENCES projects(id) ON DELETE CASCADE,
  title       text NOT NULL,
  questions   jsonb NOT NULL,
  comment_label text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  created_by  integer REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE TABLE survey_responses (
  survey_id   integer NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  PRIMARY KEY (survey_id, teacher_id)
)
--;
CREATE TABLE survey_answers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  survey_id       integer NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  submitted_week  date NOT NULL,
  ratings         jsonb NOT NULL,
  comment         text
)
--;
CREATE INDEX survey_answers_survey_idx ON survey_answers (survey_id)
--;
-- 专家库. org_id is the pool that manages the expert (a bureau or development centre).
CREATE TABLE experts (
  id           serial PRIMARY KEY,
  org_id       integer NOT NULL REFERENCES orgs(id),
  name         text NOT NULL,
  affiliation  text NOT NULL,
  title        text,
  fields       text[] NOT NULL DEFAULT '{}',
  level        text NOT NULL CHECK (level IN ('national','province','city','county')),
  phone_enc    text,
  phone_idx    text,
  phone_mask   text,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
  version      integer NOT NULL DEFAULT 1,
  created_by   integer REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX experts_org_idx ON experts (org_id)
--;
CREATE TABLE project_experts (
  project_id   integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  expert_id    integer NOT NULL REFERENCES experts(id),
  assigned_by  integer REFERENCES users(id),
  assigned_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, expert_id)
)
--;
CREATE INDEX project_experts_expert_idx ON project_experts (expert_id)
--;
-- One score per assigned expert per project; recorded by a bureau admin / development centre on the
-- expert's behalf (experts have no login). criteria: {design: 0..100, …}; total = their mean.
CREATE TABLE expert_scores (
  project_id   integer NOT NULL,
  expert_id    integer NOT NULL,
  criteria     jsonb NOT NULL,
  total        numeric(5,1) NOT NULL CHECK (total BETWEEN 0 AND 100),
  comment      text NOT NULL DEFAULT '',
  recorded_by  integer REFERENCES users(id),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, expert_id),
  FOREIGN KEY (project_id, expert_id) REFERENCES project_experts(project_id, expert_id) ON DELETE CASCADE
)
--;
-- 督导: a supervisor's inspection of a project.
CREATE TABLE inspections (
  id            serial PRIMARY KEY,
  project_id    integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  inspected_on  date NOT NULL,
  inspectors    text NOT NULL,
  findings      text NOT NULL,
  score         numeric(5,1) NOT NULL CHECK (score BETWEEN 0 AND 100),
  issues        jsonb NOT NULL DEFAULT '[]',
  recorded_by   integer REFERENCES users(id),
  recorded_at   timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX inspections_project_idx ON inspections (project_id)
--;
-- Attachments of an inspection: the bytes and their owner live in files (platform/files.ts).
CREATE TABLE inspection_files (
  inspection_id  integer NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
  file_id        bigint NOT NULL REFERENCES files(id),
  PRIMARY KEY (inspection_id, file_id)
)
--;
-- 资质准入: current qualification status of an institution (no row = admitted) and its history.
CREATE TABLE institution_status (
  org_id      integer PRIMARY KEY REFERENCES orgs(id),
  status      text NOT NULL CHECK (status IN ('admitted','warning','suspended')),
  reason      text NOT NULL,
  changed_by  integer REFERENCES users(id),
  changed_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE TABLE institution_status_history (
  id           bigserial PRIMARY KEY,
  org_id       integer NOT NULL REFERENCES orgs(id),
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  reason       text NOT NULL,
  changed_by   integer REFERENCES users(id),
  changed_at   timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX institution_status_history_org_idx ON institution_status_history (org_id, changed_at)
