-- 学时认定 in two steps: the organiser submits (recognitionPending: attendance frozen), the approver confirms
-- (closed, ledger entries written) or returns it (running again).
ALTER TABLE projects DROP CONSTRAINT projects_status_check
--;
ALTER TABLE projects ADD CONSTRAINT projects_status_check CHECK (status IN
  ('draft','submitted','approved','filed','planReview','open','running','recognitionPending','closed','evaluated','rejected'))
