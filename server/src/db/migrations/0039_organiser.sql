-- Organiser shortcuts (issue 11 item 3): a draft proposal can be deleted by its owner. It is not removed:
-- it moves to 'deleted' (kept with its history and audit, left out of the project list).
ALTER TABLE projects DROP CONSTRAINT projects_status_check
--;
ALTER TABLE projects ADD CONSTRAINT projects_status_check CHECK (status IN
  ('draft','submitted','approved','filed','planReview','open','running','recognitionPending','closed','evaluated','rejected','deleted'))
