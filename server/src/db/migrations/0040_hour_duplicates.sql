-- Issue 11 item 4: hours counted twice, reviewers working blind.
-- A teacher may withdraw a claim that no reviewer has handled yet (status withdrawn, kept as history).
ALTER TABLE hour_claims DROP CONSTRAINT hour_claims_status_check
--;
ALTER TABLE hour_claims ADD CONSTRAINT hour_claims_status_check
  CHECK (status IN ('draft','submitted','schoolApproved','countyApproved','returned','rejected','withdrawn'))
--;
-- The hours a reviewer approved when fewer than claimed (NULL = as claimed); never more than claimed. The
-- reason is the comment of the review event that lowered it; every step's figure stays in hour_claim_events.
ALTER TABLE hour_claims ADD COLUMN approved_hours numeric(6,1) CHECK (approved_hours > 0 AND approved_hours <= hours)
--;
ALTER TABLE hour_claim_events ADD COLUMN hours numeric(6,1)
--;
-- The likely duplicates the reviewer saw when deciding (approved anyway with a reason, or rejected as a duplicate).
ALTER TABLE hour_claim_events ADD COLUMN duplicates jsonb
--;
ALTER TABLE hour_claim_events ADD COLUMN duplicate_reason text
