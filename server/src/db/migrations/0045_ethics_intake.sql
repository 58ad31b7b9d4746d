-- Issue 12 item 1: 举报受理 (complaint intake). Adds to 0044's ethics_reports (new columns nullable or defaulted:
-- other modules insert rows without them) the day the events happened and the reason of the last escalation,
-- and two tables of its own: the reports' attachments and the trail of intake steps (转办, 补充, 不予受理, 升级).

-- When it happened, as the reporter says (a date; free words go into the account itself).
ALTER TABLE ethics_reports ADD COLUMN occurred_on date
--;
-- Why the report went to the level above: 'respond' (no first response by respond_by) or 'conclude' (not closed by
-- conclude_by). Set once, with escalated_to_org_id/escalated_at (the escalation job never escalates twice).
ALTER TABLE ethics_reports ADD COLUMN escalation_reason text CHECK (escalation_reason IN ('respond','conclude'))
--;
CREATE INDEX ethics_reports_escalated_idx ON ethics_reports (escalated_to_org_id) WHERE escalated_to_org_id IS NOT NULL
--;
CREATE INDEX ethics_reports_due_idx ON ethics_reports (respond_by) WHERE status = 'received'
--;
-- The attachments a reporter sent (files.ts rows, purpose 'ethicsReport', owned by the handling bureau).
CREATE TABLE ethics_report_files (
  report_id integer NOT NULL REFERENCES ethics_reports(id),
  file_id   bigint NOT NULL UNIQUE REFERENCES files(id),
  PRIMARY KEY (report_id, file_id)
)
--;
-- Every intake step of a report: received, transferred (转办: from_org → to_org), note (补充), rejected (不予受理),
-- escalated (升级, by the job: by_user NULL). The comment may hold personal data: sealed (comment_enc). Append-only.
CREATE TABLE ethics_report_events (
  id          serial PRIMARY KEY,
  report_id   integer NOT NULL REFERENCES ethics_reports(id),
  action      text NOT NULL CHECK (action IN ('received','transferred','note','rejected','escalated')),
  from_org_id integer REFERENCES orgs(id),
  to_org_id   integer REFERENCES orgs(id),
  by_user     integer REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now(),
  comment_enc text
)
--;
CREATE INDEX ethics_report_events_report_idx ON ethics_report_events (report_id, id)
--;
CREATE FUNCTION ethics_report_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ethics_report_events rows are history' USING ERRCODE = 'P0001';
END $$
--;
CREATE TRIGGER ethics_report_events_append_only BEFORE UPDATE OR DELETE ON ethics_report_events
  FOR EACH ROW EXECUTE FUNCTION ethics_report_events_append_only()
