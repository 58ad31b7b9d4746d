-- Issue 9 items 6, 12, 13, 14 (domainsec).

-- Item 12: survey results are released in batches. An answer counts in results and scores only once released;
-- answers are released SURVEY_MIN_ANSWERS at a time, so two readings of the results never differ by one answer.
-- Answers given before this migration were already visible: they count as released.
ALTER TABLE survey_answers ADD COLUMN released boolean NOT NULL DEFAULT false
--;
UPDATE survey_answers SET released = true
--;
-- Item 6: a certificate states the hours the ledger held for (project, teacher) when it was issued. Whenever a
-- later ledger entry of that project changes the teacher's net hours — a reversal by 学时更正, a withdrawn
-- recognition, a reversed import, whatever path wrote it — the certificate is revoked in the same
-- transaction; if the teacher still completes the project, the next download issues a new certificate with
-- the new hours (a new number: the revoked one stays, and verifies as 已撤销 with its date).
ALTER TABLE certificates
  ADD COLUMN revoked_reason text,
  DROP CONSTRAINT certificates_project_id_teacher_id_key
--;
CREATE UNIQUE INDEX certificates_current_key ON certificates (project_id, teacher_id) WHERE revoked_at IS NULL
--;
-- The project's certificate lock (7301, project id), also taken by a download before it reads the hours and
-- issues: a download and a correction of the same project never pass each other (no certificate is issued with
-- hours a concurrent reversal is taking away). One lock per project and transaction, however many rows.
CREATE FUNCTION certificates_follow_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7301, NEW.project_id);
  UPDATE certificates c
     SET revoked_at = now(),
         revoked_reason = CASE WHEN NEW.reverses_id IS NOT NULL THEN '学时已冲销：' || COALESCE(NEW.reason, '') ELSE '认定学时已变更' END
   WHERE c.project_id = NEW.project_id AND c.teacher_id = NEW.teacher_id AND c.revoked_at IS NULL
     AND c.hours <> (SELECT COALESCE(round(sum(l.hours), 1), 0) FROM ledger_entries l
                      WHERE l.project_id = NEW.project_id AND l.teacher_id = NEW.teacher_id);
  RETURN NULL;
END $$
--;
CREATE TRIGGER ledger_entries_revoke_certificates AFTER INSERT ON ledger_entries
  FOR EACH ROW WHEN (NEW.project_id IS NOT NULL) EXECUTE FUNCTION certificates_follow_ledger()
--;
-- Item 14: an entry recognised by an org above the corrector (a city project's hours, reversed by a county) is
-- not reversed at once: the correction goes to that org as a request, which its admin approves (the reversal is
-- written then) or refuses with a reason. One open request per entry. The request is the history of the
-- decision (who asked, who decided, when, why); the ledger stays append-only.
CREATE TABLE ledger_correction_requests (
  id              serial PRIMARY KEY,
  entry_id        bigint NOT NULL REFERENCES ledger_entries(id),
  teacher_id      integer NOT NULL REFERENCES teachers(id),
  owner_org_id    integer NOT NULL REFERENCES orgs(id),
  requested_by    integer NOT NULL REFERENCES users(id),
  requested_org_id integer NOT NULL REFERENCES orgs(id),
  requested_at    timestamptz NOT NULL DEFAULT now(),
  reason          text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused')),
  decided_by      integer REFERENCES users(id),
  decided_at      timestamptz,
  decision_comment text,
  reversal_id     bigint REFERENCES ledger_entries(id),
  CHECK ((status = 'pending') = (decided_at IS NULL))
)
--;
CREATE UNIQUE INDEX ledger_correction_requests_open_key ON ledger_correction_requests (entry_id) WHERE status = 'pending'
--;
CREATE INDEX ledger_correction_requests_owner_idx ON ledger_correction_requests (owner_org_id, status)
--;
CREATE INDEX ledger_correction_requests_requester_idx ON ledger_correction_requests (requested_org_id, requested_at)
--;
