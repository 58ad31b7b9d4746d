-- Issue 10 item 5: change processes (人员变动) — 新教师入职, 调动, 退休, 离职, 死亡. A request names the teacher,
-- the kind, the effective date and a reason; the bureau directly above each school it touches approves (a
-- transfer across counties: both bureaus, in either order). Approved with a date not after today it is applied
-- at once; a later date is applied by the daily job (applyDueMoves). Applying writes the teacher's dated facts
-- (0033: assignment / status periods); the account follows (teacher role = the teacher's school; leaving ends
-- the account, 0021/0023). Requests and their steps are history: never rewritten, never deleted.
CREATE TABLE teacher_moves (
  id              serial PRIMARY KEY,
  teacher_id      integer NOT NULL REFERENCES teachers(id),
  kind            text NOT NULL CHECK (kind IN ('hire','transfer','retire','resign','death')),
  -- The school the teacher is at when the request is filed; the receiving school (hire: the same school).
  from_org_id     integer NOT NULL REFERENCES orgs(id),
  to_org_id       integer REFERENCES orgs(id),
  -- The bureaus that must approve (the bureau directly above each school touched), one or two.
  approver_org_ids integer[] NOT NULL,
  effective_date  date NOT NULL,
  reason          text NOT NULL,
  evidence        text,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','applied','returned','withdrawn')),
  filed_by        integer NOT NULL REFERENCES users(id),
  filed_org_id    integer NOT NULL REFERENCES orgs(id),
  filed_at        timestamptz NOT NULL DEFAULT now(),
  closed_at       timestamptz,
  applied_at      timestamptz,
  CHECK ((kind IN ('hire','transfer')) = (to_org_id IS NOT NULL)),
  CHECK (kind <> 'transfer' OR to_org_id <> from_org_id)
)
--;
-- One open request per teacher: a second one waits for the first to be decided or withdrawn.
CREATE UNIQUE INDEX teacher_moves_one_open ON teacher_moves (teacher_id) WHERE status IN ('pending','approved')
--;
CREATE INDEX teacher_moves_due_idx ON teacher_moves (effective_date) WHERE status = 'approved'
--;
CREATE INDEX teacher_moves_from_idx ON teacher_moves (from_org_id)
--;
CREATE INDEX teacher_moves_to_idx ON teacher_moves (to_org_id)
--;
-- The trail: filed, approved (once per approving bureau), returned, withdrawn, applied.
CREATE TABLE teacher_move_steps (
  id          serial PRIMARY KEY,
  move_id     integer NOT NULL REFERENCES teacher_moves(id),
  action      text NOT NULL CHECK (action IN ('file','approve','return','withdraw','apply')),
  org_id      integer REFERENCES orgs(id),
  by_user     integer REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now(),
  comment     text
)
--;
CREATE UNIQUE INDEX teacher_move_steps_one_approval ON teacher_move_steps (move_id, org_id) WHERE action = 'approve'
--;
CREATE INDEX teacher_move_steps_move_idx ON teacher_move_steps (move_id, id)
--;
-- Steps are append-only; a request changes only its status (forward) and the times it closed / was applied.
CREATE FUNCTION teacher_move_steps_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'teacher_move_steps rows are history' USING ERRCODE = 'P0001';
END $$
--;
CREATE TRIGGER teacher_move_steps_append_only BEFORE UPDATE OR DELETE ON teacher_move_steps
  FOR EACH ROW EXECUTE FUNCTION teacher_move_steps_append_only()
--;
CREATE FUNCTION teacher_moves_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'teacher_moves rows are history' USING ERRCODE = 'P0001'; END IF;
  IF (to_jsonb(NEW) - ARRAY['status','closed_at','applied_at']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status','closed_at','applied_at'])
     OR NOT ((OLD.status = 'pending' AND NEW.status IN ('approved','applied','returned','withdrawn'))
          OR (OLD.status = 'approved' AND NEW.status = 'applied')) THEN
    RAISE EXCEPTION 'teacher_moves: % → % is not a step of the process', OLD.status, NEW.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER teacher_moves_forward_only BEFORE UPDATE OR DELETE ON teacher_moves
  FOR EACH ROW EXECUTE FUNCTION teacher_moves_forward_only()
