-- Issue 13 item 5: research projects (课题, incl. AI 教学 专项课题, seed 001 §三(六)3) and 学历提升 plans (科证不符
-- teachers raising their degree or obtaining a matching 教师资格证, 001 §三(七)). Rows are history: a project moves
-- forward through its steps (each a row of research_steps), members leave, plans get progress rows; nothing is
-- rewritten or deleted.

CREATE TABLE research_projects (
  id                serial PRIMARY KEY,
  title             text NOT NULL,
  leader_teacher_id integer NOT NULL REFERENCES teachers(id),
  -- The leader's school when applying.
  school_org_id     integer NOT NULL REFERENCES orgs(id),
  level             text NOT NULL CHECK (level IN ('county','city','province')),
  -- The bureau of that level above the school: it (or the 教师发展中心 serving it) approves and checks.
  approving_org_id  integer NOT NULL REFERENCES orgs(id),
  category          text NOT NULL CHECK (category IN ('general','aiTeaching','moralEducation','homeroom','other')),
  plan              text NOT NULL,
  -- applied 申报 → approved 立项 / rejected 未立项 → started 开题 → midtermPassed 中期通过 → concluded 结题; terminated 终止
  status            text NOT NULL DEFAULT 'applied'
                    CHECK (status IN ('applied','approved','rejected','started','midtermPassed','concluded','terminated')),
  applied_by        integer REFERENCES users(id),
  applied_at        timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX research_projects_school_idx ON research_projects (school_org_id)
--;
CREATE INDEX research_projects_leader_idx ON research_projects (leader_teacher_id)
--;
CREATE TABLE research_members (
  id          serial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES research_projects(id),
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  role        text NOT NULL DEFAULT 'member' CHECK (role IN ('leader','member')),
  joined_on   date NOT NULL,
  left_on     date,
  recorded_by integer REFERENCES users(id),
  CHECK (left_on IS NULL OR left_on >= joined_on)
)
--;
CREATE UNIQUE INDEX research_members_one_current ON research_members (project_id, teacher_id) WHERE left_on IS NULL
--;
CREATE INDEX research_members_teacher_idx ON research_members (teacher_id)
--;
-- Every step of a project, in order: apply, approve, reject, start (开题), midterm (pass / needsWork), conclude, terminate.
CREATE TABLE research_steps (
  id          serial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES research_projects(id),
  step        text NOT NULL CHECK (step IN ('apply','approve','reject','start','midterm','conclude','terminate')),
  result      text CHECK (result IN ('pass','needsWork')),
  held_on     date NOT NULL,
  comment     text,
  status_after text NOT NULL,
  by_user     integer REFERENCES users(id),
  by_org_id   integer REFERENCES orgs(id),
  at          timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX research_steps_project_idx ON research_steps (project_id, id)
--;
CREATE TABLE research_outputs (
  id          serial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES research_projects(id),
  kind        text NOT NULL CHECK (kind IN ('paper','lesson','report','other')),
  title       text NOT NULL,
  file_id     integer REFERENCES files(id),
  recorded_by integer REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
)
--;
-- ---------------------------------------------------------------- 学历提升 / 资格证 plans
CREATE TABLE upgrade_plans (
  id            serial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id),
  -- degree: raise the education to target_education; qualification: a 教师资格证 of target_subject (and stage).
  kind          text NOT NULL CHECK (kind IN ('degree','qualification')),
  target_education text CHECK (target_education IN ('associate','bachelor','master','doctor')),
  target_subject text,
  target_stage  text,
  institution   text,
  expected_on   date NOT NULL,
  evidence_file_id integer REFERENCES files(id),
  -- active → completed (approved, credential recorded) | abandoned
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active','completed','abandoned')),
  completed_on  date,
  recorded_by   integer REFERENCES users(id),
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'degree') = (target_education IS NOT NULL)),
  CHECK ((kind = 'qualification') = (target_subject IS NOT NULL))
)
--;
CREATE INDEX upgrade_plans_teacher_idx ON upgrade_plans (teacher_id)
--;
CREATE TABLE upgrade_progress (
  id          serial PRIMARY KEY,
  plan_id     integer NOT NULL REFERENCES upgrade_plans(id),
  kind        text NOT NULL CHECK (kind IN ('progress','completionRequested','completed','returned','abandoned')),
  note        text,
  -- For a completion request: the new education or credential and the date it holds from.
  achieved    jsonb,
  file_id     integer REFERENCES files(id),
  by_user     integer REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX upgrade_progress_plan_idx ON upgrade_progress (plan_id, id)
