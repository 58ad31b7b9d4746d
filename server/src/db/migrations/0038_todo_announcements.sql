-- Issue 11 items 2 and 9: 通知公告 with read receipts, and the indexes the to-do centre's counts use.
-- An announcement is published once by a bureau or school to its subtree and never edited (a correction is a new
-- announcement); a read receipt is written the first time a recipient opens it, never changed or deleted.
CREATE TABLE announcements (
  id            serial PRIMARY KEY,
  org_id        integer NOT NULL REFERENCES orgs(id),
  -- Who receives it in the subtree: everyone, the schools' staff (not teachers), or teachers only.
  audience      text NOT NULL CHECK (audience IN ('all','schools','teachers')),
  title         text NOT NULL,
  body          text NOT NULL DEFAULT '',
  published_by  integer NOT NULL REFERENCES users(id),
  published_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX announcements_org_idx ON announcements (org_id, published_at DESC)
--;
CREATE TABLE announcement_reads (
  announcement_id integer NOT NULL REFERENCES announcements(id),
  user_id         integer NOT NULL REFERENCES users(id),
  read_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (announcement_id, user_id)
)
--;
CREATE INDEX announcement_reads_user_idx ON announcement_reads (user_id)
--;
CREATE FUNCTION announcements_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '通知公告及其阅读记录不可修改或删除' USING ERRCODE = 'check_violation';
END $$
--;
CREATE TRIGGER announcements_no_change BEFORE UPDATE OR DELETE ON announcements FOR EACH ROW EXECUTE FUNCTION announcements_immutable()
--;
CREATE TRIGGER announcement_reads_no_change BEFORE UPDATE OR DELETE ON announcement_reads FOR EACH ROW EXECUTE FUNCTION announcements_immutable()
--;
-- To-do counts: a teacher's returned claims, open evaluation surveys, pending record changes by status.
CREATE INDEX hour_claims_returned_idx ON hour_claims (teacher_id) WHERE status = 'returned'
--;
CREATE INDEX teacher_moves_pending_idx ON teacher_moves (filed_at) WHERE status = 'pending'
--;
CREATE INDEX ledger_correction_requests_pending_idx ON ledger_correction_requests (requested_at) WHERE status = 'pending'
