-- Issue 14 item 5: the plan cycle. Each school (or sub-bureau, for its own plan) files its 年度计划 and 培训年度计划
-- for a year with the bureau above it (004: 于 5 月 31 日前报回); the bureau returns (with a reason) or accepts; a
-- returned plan is revised and filed again as a new version. At year end the bureau scores each sub-unit's 年度考核 of
-- plan completion. Every row is history: a version is never rewritten, a decision is its own row, a re-scored review
-- supersedes the one before.

-- One filed version of a unit's plan for a year. Version 1 is the first filing; a version > 1 follows a returned one.
CREATE TABLE plan_filings (
  id                serial PRIMARY KEY,
  org_id            integer NOT NULL REFERENCES orgs(id),
  year              integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  version           integer NOT NULL CHECK (version >= 1),
  previous_id       integer REFERENCES plan_filings(id),
  -- 年度计划（实施方案） and 培训年度计划: uploaded files (platform/files.ts, purpose 'planDocument').
  plan_file_id      bigint NOT NULL REFERENCES files(id),
  training_file_id  bigint REFERENCES files(id),
  note              text,
  submitted_by      integer NOT NULL REFERENCES users(id),
  submitted_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, year, version),
  CHECK ((version = 1) = (previous_id IS NULL))
)
--;
CREATE INDEX plan_filings_year_idx ON plan_filings (year, org_id)
--;
-- The structured items of a version: training projects planned (optionally the real project), budget lines, hours targets.
CREATE TABLE plan_items (
  id             serial PRIMARY KEY,
  filing_id      integer NOT NULL REFERENCES plan_filings(id),
  position       integer NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('project','budget','hoursTarget')),
  title          text NOT NULL,
  project_id     integer REFERENCES projects(id),
  category       text,
  amount         numeric(14,2) CHECK (amount IS NULL OR amount >= 0),
  -- hoursTarget: the share of the unit's teachers meeting the year's hours rules, in per cent.
  target_percent numeric(5,2) CHECK (target_percent IS NULL OR (target_percent > 0 AND target_percent <= 100)),
  UNIQUE (filing_id, position)
)
--;
-- The bureau's decision on a version: one per version, never changed.
CREATE TABLE plan_decisions (
  filing_id    integer PRIMARY KEY REFERENCES plan_filings(id),
  decision     text NOT NULL CHECK (decision IN ('returned','accepted')),
  reason       text,
  decided_by   integer NOT NULL REFERENCES users(id),
  decided_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (decision <> 'returned' OR length(coalesce(reason, '')) > 0)
)
--;
-- 年度考核 of a sub-unit's plan completion: the components (platform figure, score, the bureau's score and comment)
-- and the weighted total. A re-scored review supersedes the one in force.
CREATE TABLE plan_reviews (
  id             serial PRIMARY KEY,
  org_id         integer NOT NULL REFERENCES orgs(id),
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  reviewer_org_id integer NOT NULL REFERENCES orgs(id),
  components     jsonb NOT NULL,
  total          numeric(5,1) NOT NULL CHECK (total BETWEEN 0 AND 100),
  comment        text,
  as_of          date NOT NULL,
  reviewed_by    integer NOT NULL REFERENCES users(id),
  reviewed_at    timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES plan_reviews(id),
  superseded_at  timestamptz
)
--;
CREATE UNIQUE INDEX plan_reviews_in_force_idx ON plan_reviews (org_id, year) WHERE superseded_at IS NULL
