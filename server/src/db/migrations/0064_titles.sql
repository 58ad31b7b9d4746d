-- Issue 14 item 3: 职称 review rounds. A bureau opens a round (评审年度, 基准日, target titles, deadline); schools put
-- forward applicants, each checked against the region's title rules on the base date (policy key `titles`). An
-- applicant who is not eligible needs an override reason, recorded with the reasons found. Withdrawals end a row, never
-- delete it.
CREATE TABLE title_rounds (
  id          serial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  name        text NOT NULL CHECK (length(name) BETWEEN 4 AND 100),
  base_date   date NOT NULL,
  deadline    date NOT NULL,
  targets     text[] NOT NULL CHECK (cardinality(targets) > 0),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  created_by  integer REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  closed_at   timestamptz
)
--;
CREATE INDEX title_rounds_org_idx ON title_rounds (org_id, year)
--;
CREATE TABLE title_applicants (
  id              serial PRIMARY KEY,
  round_id        integer NOT NULL REFERENCES title_rounds(id),
  teacher_id      integer NOT NULL REFERENCES teachers(id),
  -- The school (or sub-bureau) that put the teacher forward.
  org_id          integer NOT NULL REFERENCES orgs(id),
  target          text NOT NULL CHECK (target IN ('second','first','senior','fullSenior')),
  eligible        boolean NOT NULL,
  -- The reasons found on the base date when put forward ([{code, message, cite}]).
  reasons         jsonb NOT NULL DEFAULT '[]'::jsonb,
  override_reason text,
  created_by      integer REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  withdrawn_by    integer REFERENCES users(id),
  withdrawn_at    timestamptz,
  CHECK (eligible OR override_reason IS NOT NULL)
)
--;
CREATE UNIQUE INDEX title_applicants_current_idx ON title_applicants (round_id, teacher_id) WHERE withdrawn_at IS NULL
