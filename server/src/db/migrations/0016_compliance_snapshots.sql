-- Compliance summaries kept between requests and restarts (the dashboard's first paint reads one
-- row instead of evaluating 50,000 teachers), and a change log that tells when one is out of date.
--
-- data_changes gets one row per write statement on a table the evaluation reads (statement-level
-- triggers: a bulk import is one row). A snapshot stores (count, max id) of the log as of the start of
-- its computation; it is current while they are unchanged. count(*) rather than max(id) alone: ids
-- are taken before commit, so a transaction may commit a lower id after a higher one was seen.
-- Rows are visible only once their transaction commits, so a snapshot never claims data it did not see.
CREATE TABLE data_changes (
  id         bigserial PRIMARY KEY,
  table_name text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
)
--;
CREATE FUNCTION note_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_changes (table_name) VALUES (TG_TABLE_NAME);
  RETURN NULL;
END $$
--;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ledger_entries','teachers','teacher_roles','orgs','projects','project_sessions','enrolments','attendance',
                           'target_counts','funding_figures','policies','policy_versions','policy_attachments'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION note_data_change()', t || '_note_change', t);
  END LOOP;
END $$
--;
CREATE TABLE compliance_snapshots (
  key               text PRIMARY KEY,
  policy_version_id integer NOT NULL REFERENCES policy_versions(id) ON DELETE CASCADE,
  org_id            integer NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  as_of             date NOT NULL,
  -- (count, max id) of data_changes read before the computation started
  watermark         text NOT NULL,
  computed_at       timestamptz NOT NULL,
  duration_ms       integer NOT NULL,
  -- Opened by a dashboard at start (kept current in the background) rather than on request only.
  opening           boolean NOT NULL DEFAULT false,
  read_at           timestamptz NOT NULL DEFAULT now(),
  body              jsonb NOT NULL
)
--;
CREATE INDEX compliance_snapshots_read_idx ON compliance_snapshots (read_at)
--;
-- Background recomputations of stored summaries are recorded too.
ALTER TABLE compliance_runs DROP CONSTRAINT compliance_runs_trigger_check
--;
ALTER TABLE compliance_runs ADD CONSTRAINT compliance_runs_trigger_check CHECK (trigger IN ('api','cli','export','bench','refresh'))
