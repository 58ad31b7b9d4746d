-- Issue 13 item 4: 教学/班主任基本功大赛 and other competitions (以赛促训, seed 001 §三(四); 000 §二(三)).
-- An edition (one year) of a competition series, organised by an org for its subtree; rounds (初赛/复赛/决赛);
-- entries (a school enters its teachers; last year's non-qualifiers are re-entered when the edition opens);
-- judges (accounts or named experts) and their scores per entry and round; results per entry and round. Rows
-- are history: an entry is withdrawn, a score or a result superseded, never rewritten or deleted.

CREATE TABLE competitions (
  id               serial PRIMARY KEY,
  -- The series an edition belongs to (e.g. 班主任基本功大赛): last year's edition is the same series, organiser, year - 1.
  series           text NOT NULL,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('homeroomSkills','teachingSkills','youngTeacher','other')),
  organiser_org_id integer NOT NULL REFERENCES orgs(id),
  -- The region it is held for (the organiser's scope: a bureau's own subtree, the county a 发展中心 serves).
  region_org_id    integer NOT NULL REFERENCES orgs(id),
  year             integer NOT NULL,
  -- Who may be entered: { stages?: string[], subjects?: string[], maxTeachingYears?: int, homeroomOnly?: bool }.
  audience         jsonb NOT NULL DEFAULT '{}'::jsonb,
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','open','judging','published')),
  opened_at        timestamptz,
  judging_at       timestamptz,
  published_on     date,
  created_by       integer REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
)
--;
CREATE UNIQUE INDEX competitions_edition ON competitions (organiser_org_id, series, year)
--;
CREATE TABLE competition_rounds (
  id             serial PRIMARY KEY,
  competition_id integer NOT NULL REFERENCES competitions(id),
  seq            integer NOT NULL CHECK (seq BETWEEN 1 AND 5),
  name           text NOT NULL,
  held_on        date NOT NULL,
  UNIQUE (competition_id, seq)
)
--;
CREATE TABLE competition_entries (
  id             serial PRIMARY KEY,
  competition_id integer NOT NULL REFERENCES competitions(id),
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  -- The teacher's school when entered.
  school_org_id  integer NOT NULL REFERENCES orgs(id),
  -- school: entered by the school (or the organiser); reentry: last year's non-qualifier, entered automatically.
  source         text NOT NULL CHECK (source IN ('school','reentry')),
  previous_entry_id integer REFERENCES competition_entries(id),
  entered_by     integer REFERENCES users(id),
  entered_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_at   timestamptz,
  withdrawn_reason text,
  -- The honour recorded in the 诚信档案 when the edition was published with an award for this entry.
  honour_id      integer REFERENCES teacher_honours(id)
)
--;
CREATE UNIQUE INDEX competition_entries_one ON competition_entries (competition_id, teacher_id) WHERE withdrawn_at IS NULL
--;
CREATE INDEX competition_entries_teacher_idx ON competition_entries (teacher_id)
--;
CREATE TABLE competition_judges (
  id             serial PRIMARY KEY,
  competition_id integer NOT NULL REFERENCES competitions(id),
  user_id        integer REFERENCES users(id),
  expert_name    text,
  added_by       integer REFERENCES users(id),
  added_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((user_id IS NULL) <> (expert_name IS NULL))
)
--;
CREATE TABLE competition_scores (
  id           serial PRIMARY KEY,
  entry_id     integer NOT NULL REFERENCES competition_entries(id),
  round_id     integer NOT NULL REFERENCES competition_rounds(id),
  judge_id     integer NOT NULL REFERENCES competition_judges(id),
  score        numeric(5,2) NOT NULL CHECK (score >= 0 AND score <= 100),
  recorded_by  integer REFERENCES users(id),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  superseded_at timestamptz
)
--;
CREATE UNIQUE INDEX competition_scores_current ON competition_scores (entry_id, round_id, judge_id) WHERE superseded_at IS NULL
--;
CREATE TABLE competition_results (
  id           serial PRIMARY KEY,
  entry_id     integer NOT NULL REFERENCES competition_entries(id),
  round_id     integer NOT NULL REFERENCES competition_rounds(id),
  mean_score   numeric(5,2),
  rank         integer,
  award        text CHECK (award IN ('first','second','third')),
  qualifies    boolean NOT NULL DEFAULT false,
  recorded_by  integer REFERENCES users(id),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  superseded_at timestamptz
)
--;
CREATE UNIQUE INDEX competition_results_current ON competition_results (entry_id, round_id) WHERE superseded_at IS NULL
