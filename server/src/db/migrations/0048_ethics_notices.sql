-- Issue 12 items 6 and 7: 典型问题通报 with one read confirmation per receiving school, and 警示教育 meetings.
-- A notice is published once by a bureau's 师德专干 to the schools of a subtree and never edited; withdrawing it
-- (with a reason) sets withdrawn_* once and keeps the row. The receiving schools are written at publication (the
-- schools of the subtree that day): a school moved later still shows what it received. A confirmation is set once.

CREATE TABLE ethics_notices (
  id               serial PRIMARY KEY,
  -- The bureau that publishes and the org whose schools receive it (the bureau itself or an org below it).
  publisher_org_id integer NOT NULL REFERENCES orgs(id),
  target_org_id    integer NOT NULL REFERENCES orgs(id),
  title            text NOT NULL,
  body             text NOT NULL,
  -- The typical case it reports (optional, a case of the publisher's subtree) and the sanction kind it names.
  case_id          integer REFERENCES ethics_cases(id),
  sanction_kind    text,
  -- How the teacher is named: full (全名) / surname (张某某) / anonymous (某教师); subject_label is the name as
  -- rendered by the server at publication — the only form a reader ever receives.
  name_mask        text CHECK (name_mask IN ('full','surname','anonymous')),
  subject_label    text,
  published_on     date NOT NULL,
  published_by     integer NOT NULL REFERENCES users(id),
  published_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_at     timestamptz,
  withdrawn_by     integer REFERENCES users(id),
  withdrawn_reason text,
  CHECK ((case_id IS NULL) = (name_mask IS NULL)),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
)
--;
CREATE INDEX ethics_notices_target_idx ON ethics_notices (target_org_id, published_at DESC)
--;
CREATE TABLE ethics_notice_schools (
  notice_id      integer NOT NULL REFERENCES ethics_notices(id),
  school_org_id  integer NOT NULL REFERENCES orgs(id),
  confirmed_at   timestamptz,
  confirmed_by   integer REFERENCES users(id),
  reminded_at    timestamptz,
  PRIMARY KEY (notice_id, school_org_id)
)
--;
CREATE INDEX ethics_notice_schools_school_idx ON ethics_notice_schools (school_org_id)
--;
CREATE FUNCTION ethics_notices_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '师德通报记录不可删除' USING ERRCODE = 'check_violation'; END IF;
  IF TG_TABLE_NAME = 'ethics_notices' THEN
    IF (to_jsonb(NEW) - ARRAY['withdrawn_at','withdrawn_by','withdrawn_reason'])
         IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['withdrawn_at','withdrawn_by','withdrawn_reason'])
       OR OLD.withdrawn_at IS NOT NULL THEN
      RAISE EXCEPTION '师德通报发布后不可修改（只能撤回一次）' USING ERRCODE = 'check_violation';
    END IF;
  ELSE
    IF (to_jsonb(NEW) - ARRAY['confirmed_at','confirmed_by','reminded_at'])
         IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['confirmed_at','confirmed_by','reminded_at'])
       OR (OLD.confirmed_at IS NOT NULL AND (NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at OR NEW.confirmed_by IS DISTINCT FROM OLD.confirmed_by)) THEN
      RAISE EXCEPTION '学校的阅读确认只记录一次' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER ethics_notices_history BEFORE UPDATE OR DELETE ON ethics_notices FOR EACH ROW EXECUTE FUNCTION ethics_notices_history()
--;
CREATE TRIGGER ethics_notice_schools_history BEFORE UPDATE OR DELETE ON ethics_notice_schools FOR EACH ROW EXECUTE FUNCTION ethics_notices_history()
--;
-- 警示教育 meetings. Attendance is the check-in of a training session (a 师德 session of a project, QR or manual
-- check-in as for any session): the meeting names that session, and counts per school come from `attendance`.
CREATE TABLE ethics_meetings (
  id           serial PRIMARY KEY,
  org_id       integer NOT NULL REFERENCES orgs(id),
  held_on      date NOT NULL,
  place        text NOT NULL,
  topic        text NOT NULL,
  session_id   integer REFERENCES project_sessions(id) ON DELETE SET NULL,
  recorded_by  integer NOT NULL REFERENCES users(id),
  recorded_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX ethics_meetings_org_idx ON ethics_meetings (org_id, held_on DESC)
--;
CREATE TABLE ethics_meeting_notices (
  meeting_id  integer NOT NULL REFERENCES ethics_meetings(id),
  notice_id   integer NOT NULL REFERENCES ethics_notices(id),
  PRIMARY KEY (meeting_id, notice_id)
)
