-- Marks the demo data: 'started' while the generator runs, 'completed' once it finished.
-- A start that finds 'started' knows the last run was interrupted and may clear the demo data.
CREATE TABLE demo_meta (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)
