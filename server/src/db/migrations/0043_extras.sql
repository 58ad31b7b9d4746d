-- Issue 11 item 9: 学时证明 (a teacher's hours over a period, printed with a verification QR). Each issue is one
-- row: the period, the hours by category and the total as printed, the issuing bureau and who printed it. The QR
-- code signs the row id; the public page shows these stored figures and says when the ledger has changed since
-- (a correction after printing). Rows are history: never rewritten, never deleted.
CREATE TABLE hours_statements (
  id             serial PRIMARY KEY,
  statement_no   text NOT NULL UNIQUE,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  from_year      integer NOT NULL CHECK (from_year BETWEEN 1990 AND 2100),
  to_year        integer NOT NULL CHECK (to_year >= from_year AND to_year - from_year < 5),
  total_hours    numeric(8,1) NOT NULL,
  by_category    jsonb NOT NULL,
  by_year        jsonb NOT NULL,
  -- The school and bureau as printed (the teacher may move later; the paper does not).
  school_name    text NOT NULL,
  issuer_org_id  integer NOT NULL REFERENCES orgs(id),
  issued_by      integer NOT NULL REFERENCES users(id),
  issued_at      timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX hours_statements_teacher_idx ON hours_statements (teacher_id)
--;
CREATE FUNCTION hours_statements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hours_statements is append-only' USING ERRCODE = 'restrict_violation';
END $$
--;
CREATE TRIGGER hours_statements_append_only BEFORE UPDATE OR DELETE ON hours_statements
  FOR EACH ROW EXECUTE FUNCTION hours_statements_append_only()
--;
-- The project page a teacher reads before enrolling (报名 → 项目详情): the aims in the organiser's words and the
-- last day to apply (NULL: applications close when the project starts running).
ALTER TABLE projects
  ADD COLUMN aims            text,
  ADD COLUMN enrol_deadline  date
