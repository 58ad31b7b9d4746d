-- Issue 12 item 2: 案件办理. What a case holds beyond 0044: how it began without a report (上级交办 / 检查发现)
-- and its sealed account, the outcome in force (the latest decision), when the teacher was told and the appeal
-- deadline that follows, when the school was informed. All nullable: other modules insert cases without them.
-- The content of each step (findings, evidence file ids, decisions, the appeal) stays in ethics_case_events.
ALTER TABLE ethics_cases ADD COLUMN origin text CHECK (origin IN ('report','assigned','inspection'))
--;
ALTER TABLE ethics_cases ADD COLUMN description_enc text
--;
-- noViolation or a sanction kind; NULL until 处理决定.
ALTER TABLE ethics_cases ADD COLUMN outcome text
--;
ALTER TABLE ethics_cases ADD COLUMN notified_at timestamptz
--;
-- Last day (inclusive) on which the teacher may file 申诉.
ALTER TABLE ethics_cases ADD COLUMN appeal_by date
--;
ALTER TABLE ethics_cases ADD COLUMN school_informed_at timestamptz
--;
CREATE INDEX ethics_cases_informed_idx ON ethics_cases (teacher_id) WHERE school_informed
--;
-- A case's trail is history: its rows are never changed or removed.
CREATE FUNCTION ethics_case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ethics_case_events rows are history' USING ERRCODE = 'P0001';
END $$
--;
CREATE TRIGGER ethics_case_events_append_only BEFORE UPDATE OR DELETE ON ethics_case_events
  FOR EACH ROW EXECUTE FUNCTION ethics_case_events_append_only()
