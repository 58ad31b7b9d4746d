-- Policy engine: a region's plan is a versioned document attached to orgs; evaluations record the version used.
CREATE TABLE policies (
  id          serial PRIMARY KEY,
  key         text NOT NULL UNIQUE,
  title       text NOT NULL,
  origin      text NOT NULL CHECK (origin IN ('seed','upload')),
  seed_file   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES users(id)
)
--;
-- Every published version keeps its full text, so an old evaluation can be recomputed exactly.
CREATE TABLE policy_versions (
  id           serial PRIMARY KEY,
  policy_id    integer NOT NULL REFERENCES policies(id),
  version      integer NOT NULL CHECK (version > 0),
  text         text NOT NULL,
  parsed       jsonb NOT NULL,
  sha256       text NOT NULL,
  note         text,
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by integer REFERENCES users(id),
  UNIQUE (policy_id, version)
)
--;
-- A policy applies to the subtree of each org it is attached to.
CREATE TABLE policy_attachments (
  policy_id   integer NOT NULL REFERENCES policies(id),
  org_id      integer NOT NULL REFERENCES orgs(id),
  attached_at timestamptz NOT NULL DEFAULT now(),
  attached_by integer REFERENCES users(id),
  PRIMARY KEY (policy_id, org_id)
)
--;
CREATE INDEX policy_attachments_org_idx ON policy_attachments (org_id)
--;
-- Region-level counts that later modules fill (studios, recruitment, outbound training …).
-- Append-only: the latest recorded value per (org, metric, year) counts.
CREATE TABLE target_counts (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  metric      text NOT NULL,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  value       numeric(14,2) NOT NULL,
  source      text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by integer REFERENCES users(id)
)
--;
CREATE INDEX target_counts_lookup_idx ON target_counts (org_id, metric, year, recorded_at DESC)
--;
-- Money figures per org and year (training budget, public-fund budget, salary total), same latest-wins rule.
CREATE TABLE funding_figures (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  metric      text NOT NULL CHECK (metric IN ('trainingBudget','trainingSpent','publicFundBudget','salaryTotal')),
  amount      numeric(16,2) NOT NULL CHECK (amount >= 0),
  source      text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by integer REFERENCES users(id)
)
--;
CREATE INDEX funding_figures_lookup_idx ON funding_figures (org_id, year, metric, recorded_at DESC)
--;
-- Per-teacher, per-year, per-category hour totals, maintained as ledger rows arrive. The ledger is
-- append-only (UPDATE/DELETE raise), so adding each inserted statement's rows keeps this exact;
-- `verify` recomputes it from scratch and compares.
CREATE TABLE ledger_year_rollups (
  teacher_id integer NOT NULL,
  year       integer NOT NULL,
  category   text NOT NULL,
  hours      numeric(12,1) NOT NULL,
  entries    integer NOT NULL,
  PRIMARY KEY (teacher_id, year, category)
)
--;
CREATE FUNCTION ledger_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One aggregate per statement (a COPY of millions of rows is one upsert), in key order to avoid deadlocks.
  INSERT INTO ledger_year_rollups (teacher_id, year, category, hours, entries)
  SELECT teacher_id, extract(year FROM occurred_on)::int, category, sum(hours), count(*)
    FROM new_rows
   GROUP BY 1, 2, 3
   ORDER BY 1, 2, 3
  ON CONFLICT (teacher_id, year, category)
  DO UPDATE SET hours = ledger_year_rollups.hours + EXCLUDED.hours,
                entries = ledger_year_rollups.entries + EXCLUDED.entries;
  RETURN NULL;
END $$
--;
CREATE TRIGGER ledger_rollup_after_insert AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rollup_add()
--;
-- Rows that arrived before this migration.
INSERT INTO ledger_year_rollups (teacher_id, year, category, hours, entries)
SELECT teacher_id, extract(year FROM occurred_on)::int, category, sum(hours), count(*)
  FROM ledger_entries GROUP BY 1, 2, 3
--;
-- Each evaluation someone asked for: which policy version, which org, as of when, and the summary shown.
CREATE TABLE compliance_runs (
  id                bigserial PRIMARY KEY,
  policy_version_id integer NOT NULL REFERENCES policy_versions(id),
  org_id            integer NOT NULL REFERENCES orgs(id),
  as_of             date NOT NULL,
  filters           jsonb NOT NULL DEFAULT '{}',
  trigger           text NOT NULL CHECK (trigger IN ('api','cli','export','bench')),
  user_id           integer REFERENCES users(id),
  started_at        timestamptz NOT NULL DEFAULT now(),
  duration_ms       integer NOT NULL,
  summary           jsonb NOT NULL
)
--;
CREATE INDEX compliance_runs_lookup_idx ON compliance_runs (org_id, policy_version_id, as_of)
