-- Issue 13 item 1: studios (工作室) — founding, members, annual plan, activities, outputs, annual assessment and
-- 动态管理. Builds on 0050 (studios, studio_members). Every row is history: a step is appended, a plan is superseded,
-- an activity or an output is withdrawn (with who and why), never rewritten or deleted.

-- The application's text and the review's outcome, on the studio row (the steps themselves are in studio_history).
ALTER TABLE studios
  ADD COLUMN plan_text       text,
  ADD COLUMN review_comment  text
--;
-- Every step of a studio: 申报, 受理评审, 命名, 未通过, 警示, 撤销, 整改合格, 期满 — who, when, from, to, why.
CREATE TABLE studio_history (
  id          bigserial PRIMARY KEY,
  studio_id   integer NOT NULL REFERENCES studios(id),
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  on_date     date NOT NULL,
  comment     text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  user_id     integer REFERENCES users(id),
  org_id      integer REFERENCES orgs(id),
  at          timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX studio_history_studio_idx ON studio_history (studio_id, id)
--;
-- One row per studio and year: the yearly project whose sessions carry the offline activities with check-in
-- (members enrolled automatically; hours reach the ledger through the project's 学时认定), and the annual plan.
CREATE TABLE studio_years (
  studio_id          integer NOT NULL REFERENCES studios(id),
  year               integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  project_id         integer REFERENCES projects(id),
  PRIMARY KEY (studio_id, year)
)
--;
-- 年度计划: a new version supersedes the previous one (kept).
CREATE TABLE studio_plans (
  id               serial PRIMARY KEY,
  studio_id        integer NOT NULL REFERENCES studios(id),
  year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  body             text NOT NULL,
  -- [{ kind, title, month }]: the activities the plan announces.
  planned          jsonb NOT NULL DEFAULT '[]'::jsonb,
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  superseded_at    timestamptz
)
--;
CREATE UNIQUE INDEX studio_plans_current ON studio_plans (studio_id, year) WHERE superseded_at IS NULL
--;
CREATE TABLE studio_activities (
  id               serial PRIMARY KEY,
  studio_id        integer NOT NULL REFERENCES studios(id),
  kind             text NOT NULL CHECK (kind IN ('curriculum','textbook','polishing','sameLesson','lecture','research','demoLesson','other')),
  title            text NOT NULL,
  mode             text NOT NULL CHECK (mode IN ('online','offline')),
  held_on          date NOT NULL,
  place            text,
  -- The member who leads it (an expert/银龄 member's 示范 activities count for the expert duty).
  led_by_teacher_id integer REFERENCES teachers(id),
  -- An offline activity with attendance: its session on the studio's yearly project.
  session_id       integer REFERENCES project_sessions(id),
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  withdrawn_at     timestamptz,
  withdrawn_reason text
)
--;
CREATE INDEX studio_activities_studio_idx ON studio_activities (studio_id, held_on)
--;
CREATE TABLE studio_outputs (
  id               serial PRIMARY KEY,
  studio_id        integer NOT NULL REFERENCES studios(id),
  kind             text NOT NULL CHECK (kind IN ('lesson','paper','research','dualQualified')),
  title            text NOT NULL,
  produced_on      date NOT NULL,
  -- The author, or for dualQualified the teacher cultivated (required then).
  teacher_id       integer REFERENCES teachers(id),
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  withdrawn_at     timestamptz,
  withdrawn_reason text,
  CHECK (kind <> 'dualQualified' OR teacher_id IS NOT NULL)
)
--;
CREATE INDEX studio_outputs_studio_idx ON studio_outputs (studio_id, produced_on)
--;
-- 年度考核: the figures computed against the duties in force (kept as computed), the naming org's grade and the
-- 动态管理 step it caused (warned / delisted / restored / none).
CREATE TABLE studio_assessments (
  id           serial PRIMARY KEY,
  studio_id    integer NOT NULL REFERENCES studios(id),
  year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  computed     jsonb NOT NULL,
  duties_met   boolean NOT NULL,
  grade        text NOT NULL CHECK (grade IN ('excellent','pass','fail')),
  comment      text,
  outcome      text NOT NULL CHECK (outcome IN ('none','warned','delisted','restored')),
  decided_on   date NOT NULL,
  decided_by   integer REFERENCES users(id),
  decided_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (studio_id, year)
)
