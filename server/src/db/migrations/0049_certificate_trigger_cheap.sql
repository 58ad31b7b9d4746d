-- The per-row certificate trigger of 0032 ran its UPDATE (with a sum over the teacher's ledger rows) for every
-- inserted ledger row that has a project, even when no certificate exists for (project, teacher) — which is almost
-- always (a bulk import, a recognition, the demo generator). Its estimated cost grows with the ledger; past
-- jit_above_cost (about 8 million ledger rows with stale statistics) PostgreSQL JIT-compiled that statement for
-- every row, and generating the city benchmark's ledger slowed to ~500 teachers a minute after 30,000. Now the
-- trigger first looks for a current certificate (one index probe) and updates only when there is one. The lock is
-- still taken first, so a download and a correction of the same project never pass each other.
CREATE OR REPLACE FUNCTION certificates_follow_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7301, NEW.project_id);
  IF NOT EXISTS (SELECT 1 FROM certificates c WHERE c.project_id = NEW.project_id AND c.teacher_id = NEW.teacher_id AND c.revoked_at IS NULL) THEN
    RETURN NULL;
  END IF;
  UPDATE certificates c
     SET revoked_at = now(),
         revoked_reason = CASE WHEN NEW.reverses_id IS NOT NULL THEN '学时已冲销：' || COALESCE(NEW.reason, '') ELSE '认定学时已变更' END
   WHERE c.project_id = NEW.project_id AND c.teacher_id = NEW.teacher_id AND c.revoked_at IS NULL
     AND c.hours <> (SELECT COALESCE(round(sum(l.hours), 1), 0) FROM ledger_entries l
                      WHERE l.project_id = NEW.project_id AND l.teacher_id = NEW.teacher_id);
  RETURN NULL;
END $$
