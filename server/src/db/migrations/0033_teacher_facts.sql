-- Issue 10 items 1–2: a teacher's facts have time. Roles, school assignment, employment status, credentials and
-- key-teacher designations are periods (from … until, both inclusive; NULL from = since the record began, NULL
-- until = still holds) with who recorded them and when. A period is never rewritten: it is ended (until set once)
-- or superseded by a correction (superseded_at/by set once, the corrected row points to it with `corrects`);
-- deleting a period is only for a mistake (the service audits it with a reason). teachers.org_id and
-- teachers.status stay as the denormalised current values, written only by the fact functions
-- (server/src/modules/teachers/teacher-facts.*). Evaluation reads the periods valid on its as-of date.

-- Employment statuses: 离职 and 死亡 join 在职/退休/调出/禁入.
ALTER TABLE teachers DROP CONSTRAINT teachers_status_check
--;
ALTER TABLE teachers ADD CONSTRAINT teachers_status_check CHECK (status IN ('active','retired','transferred','resigned','deceased','banned'))
--;
-- ---------------------------------------------------------------- roles: one row per holding
ALTER TABLE teacher_roles DROP CONSTRAINT teacher_roles_pkey
--;
ALTER TABLE teacher_roles
  ADD COLUMN id serial PRIMARY KEY,
  ADD COLUMN recorded_by integer,
  ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN ended_by integer,
  ADD COLUMN ended_at timestamptz,
  ADD COLUMN superseded_by integer,
  ADD COLUMN superseded_at timestamptz,
  ADD COLUMN corrects integer REFERENCES teacher_roles(id) ON DELETE SET NULL,
  ADD COLUMN note text
--;
CREATE INDEX teacher_roles_teacher_idx ON teacher_roles (teacher_id, since) WHERE superseded_at IS NULL
--;
-- ---------------------------------------------------------------- school assignment over time
CREATE TABLE teacher_assignments (
  id            serial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  org_id        integer NOT NULL REFERENCES orgs(id),
  -- initial: the school on record when the history began; hire 入职; transfer 调入 (after 调出 elsewhere);
  -- rotation 交流轮岗; secondment 借调; orgMerge: the school merged into another
  kind          text NOT NULL CHECK (kind IN ('initial','hire','transfer','rotation','secondment','orgMerge')),
  valid_from    date,
  valid_until   date,
  recorded_by   integer,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  ended_by      integer,
  ended_at      timestamptz,
  superseded_by integer,
  superseded_at timestamptz,
  corrects      integer REFERENCES teacher_assignments(id) ON DELETE SET NULL,
  note          text,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
)
--;
CREATE INDEX teacher_assignments_teacher_idx ON teacher_assignments (teacher_id, valid_from) WHERE superseded_at IS NULL
--;
CREATE INDEX teacher_assignments_org_idx ON teacher_assignments (org_id, teacher_id) WHERE superseded_at IS NULL
--;
-- ---------------------------------------------------------------- employment status over time
CREATE TABLE teacher_statuses (
  id            serial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('active','retired','transferred','resigned','deceased','banned')),
  valid_from    date,
  valid_until   date,
  recorded_by   integer,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  ended_by      integer,
  ended_at      timestamptz,
  superseded_by integer,
  superseded_at timestamptz,
  corrects      integer REFERENCES teacher_statuses(id) ON DELETE SET NULL,
  note          text,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
)
--;
CREATE INDEX teacher_statuses_teacher_idx ON teacher_statuses (teacher_id, valid_from) WHERE superseded_at IS NULL
--;
-- ---------------------------------------------------------------- credentials over time, one row per field
-- field: qualification_type/stage/subject/no/expiry (教师资格), title and title_date (职称), mandarin_level (普通话),
-- certificates (other certificates, a JSON array), education and second_degree (学历). value is JSON (null allowed).
CREATE TABLE teacher_credentials (
  id            serial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  field         text NOT NULL CHECK (field IN ('qualification_type','qualification_stage','qualification_subject','qualification_no',
                  'qualification_expiry','title','title_date','mandarin_level','certificates','education','second_degree')),
  value         jsonb,
  valid_from    date,
  valid_until   date,
  recorded_by   integer,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  ended_by      integer,
  ended_at      timestamptz,
  superseded_by integer,
  superseded_at timestamptz,
  corrects      integer REFERENCES teacher_credentials(id) ON DELETE SET NULL,
  note          text,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
)
--;
CREATE INDEX teacher_credentials_teacher_idx ON teacher_credentials (teacher_id, field, valid_from) WHERE superseded_at IS NULL
--;
-- ---------------------------------------------------------------- key-teacher designations (骨干教师 …) with their term
CREATE TABLE teacher_designations (
  id            serial PRIMARY KEY,
  teacher_id    integer NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,
  level         text NOT NULL CHECK (level IN ('school','county','city','province','national')),
  category      text,
  valid_from    date,
  valid_until   date,
  recorded_by   integer,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  ended_by      integer,
  ended_at      timestamptz,
  superseded_by integer,
  superseded_at timestamptz,
  corrects      integer REFERENCES teacher_designations(id) ON DELETE SET NULL,
  note          text,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
)
--;
CREATE INDEX teacher_designations_teacher_idx ON teacher_designations (teacher_id, valid_from) WHERE superseded_at IS NULL
--;
-- ---------------------------------------------------------------- history is never rewritten
-- An UPDATE may only set the end (until/ended_*) once, or mark the row superseded once; nothing else changes.
CREATE FUNCTION teacher_fact_end_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o jsonb; n jsonb; ou text; nu text;
BEGIN
  o := to_jsonb(OLD) - ARRAY['until','valid_until','ended_by','ended_at','superseded_by','superseded_at'];
  n := to_jsonb(NEW) - ARRAY['until','valid_until','ended_by','ended_at','superseded_by','superseded_at'];
  -- The row a correction pointed to was deleted as a mistake (ON DELETE SET NULL): allowed, nothing else.
  IF NEW.corrects IS NULL AND OLD.corrects IS NOT NULL AND (to_jsonb(OLD) - 'corrects') = (to_jsonb(NEW) - 'corrects') THEN RETURN NEW; END IF;
  IF o IS DISTINCT FROM n THEN
    RAISE EXCEPTION '% rows are ended or corrected, never rewritten', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  IF OLD.superseded_at IS NOT NULL THEN
    RAISE EXCEPTION 'a superseded % row is history' , TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  ou := COALESCE(to_jsonb(OLD) ->> 'until', to_jsonb(OLD) ->> 'valid_until');
  nu := COALESCE(to_jsonb(NEW) ->> 'until', to_jsonb(NEW) ->> 'valid_until');
  IF ou IS NOT NULL AND ou IS DISTINCT FROM nu THEN
    RAISE EXCEPTION 'an ended % row is corrected by a new row, not rewritten', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
-- No two current periods of the same fact overlap (same role; any assignment; any status; same credential field;
-- any designation). check_violation (23514) = a 400 for the user. One static function per table (a cached plan:
-- imports insert hundreds of thousands of rows).
CREATE FUNCTION teacher_roles_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.superseded_at IS NULL AND EXISTS (
    SELECT 1 FROM teacher_roles x WHERE x.teacher_id = NEW.teacher_id AND x.id <> NEW.id AND x.superseded_at IS NULL AND x.role = NEW.role
       AND (x.since IS NULL OR NEW.until IS NULL OR x.since <= NEW.until) AND (NEW.since IS NULL OR x.until IS NULL OR NEW.since <= x.until)) THEN
    RAISE EXCEPTION 'overlapping teacher_roles periods for teacher %', NEW.teacher_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$
--;
CREATE FUNCTION teacher_assignments_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.superseded_at IS NULL AND EXISTS (
    SELECT 1 FROM teacher_assignments x WHERE x.teacher_id = NEW.teacher_id AND x.id <> NEW.id AND x.superseded_at IS NULL 
       AND (x.valid_from IS NULL OR NEW.valid_until IS NULL OR x.valid_from <= NEW.valid_until) AND (NEW.valid_from IS NULL OR x.valid_until IS NULL OR NEW.valid_from <= x.valid_until)) THEN
    RAISE EXCEPTION 'overlapping teacher_assignments periods for teacher %', NEW.teacher_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$
--;
CREATE FUNCTION teacher_statuses_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.superseded_at IS NULL AND EXISTS (
    SELECT 1 FROM teacher_statuses x WHERE x.teacher_id = NEW.teacher_id AND x.id <> NEW.id AND x.superseded_at IS NULL 
       AND (x.valid_from IS NULL OR NEW.valid_until IS NULL OR x.valid_from <= NEW.valid_until) AND (NEW.valid_from IS NULL OR x.valid_until IS NULL OR NEW.valid_from <= x.valid_until)) THEN
    RAISE EXCEPTION 'overlapping teacher_statuses periods for teacher %', NEW.teacher_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$
--;
CREATE FUNCTION teacher_credentials_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.superseded_at IS NULL AND EXISTS (
    SELECT 1 FROM teacher_credentials x WHERE x.teacher_id = NEW.teacher_id AND x.id <> NEW.id AND x.superseded_at IS NULL AND x.field = NEW.field
       AND (x.valid_from IS NULL OR NEW.valid_until IS NULL OR x.valid_from <= NEW.valid_until) AND (NEW.valid_from IS NULL OR x.valid_until IS NULL OR NEW.valid_from <= x.valid_until)) THEN
    RAISE EXCEPTION 'overlapping teacher_credentials periods for teacher %', NEW.teacher_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$
--;
CREATE FUNCTION teacher_designations_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.superseded_at IS NULL AND EXISTS (
    SELECT 1 FROM teacher_designations x WHERE x.teacher_id = NEW.teacher_id AND x.id <> NEW.id AND x.superseded_at IS NULL 
       AND (x.valid_from IS NULL OR NEW.valid_until IS NULL OR x.valid_from <= NEW.valid_until) AND (NEW.valid_from IS NULL OR x.valid_until IS NULL OR NEW.valid_from <= x.valid_until)) THEN
    RAISE EXCEPTION 'overlapping teacher_designations periods for teacher %', NEW.teacher_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$
--;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['teacher_roles','teacher_assignments','teacher_statuses','teacher_credentials','teacher_designations'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION teacher_fact_end_only()', t || '_end_only', t);
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE ON %I DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION %I()', t || '_no_overlap', t, t || '_no_overlap');
  END LOOP;
  -- The evaluation reads the new tables: a write to them makes stored summaries out of date (0016).
  FOREACH t IN ARRAY ARRAY['teacher_assignments','teacher_statuses','teacher_credentials','teacher_designations'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION note_data_change()', t || '_note_change', t);
  END LOOP;
END $$
--;
-- ---------------------------------------------------------------- today's data becomes the first period
INSERT INTO teacher_assignments (teacher_id, org_id, kind, valid_from, recorded_at)
SELECT id, org_id, 'initial', NULL, created_at FROM teachers
--;
-- A teacher who is no longer 在职 left on the day the status change was recorded when the history has it
-- (China date), else since always (as the evaluation treated them until now).
INSERT INTO teacher_statuses (teacher_id, status, valid_from, valid_until, recorded_at)
SELECT t.id, 'active', NULL, (l.at AT TIME ZONE 'Asia/Shanghai')::date - 1, t.created_at
  FROM teachers t JOIN LATERAL (
    SELECT max(c.at) AS at FROM teacher_changes c WHERE c.teacher_id = t.id AND c.changes ? 'status' AND c.changes -> 'status' ->> 'from' = 'active'
  ) l ON l.at IS NOT NULL AND (l.at AT TIME ZONE 'Asia/Shanghai')::date > (t.created_at AT TIME ZONE 'Asia/Shanghai')::date
 WHERE t.status <> 'active'
--;
INSERT INTO teacher_statuses (teacher_id, status, valid_from, recorded_at)
SELECT t.id, t.status, (SELECT s.valid_until + 1 FROM teacher_statuses s WHERE s.teacher_id = t.id), t.created_at FROM teachers t
--;
-- Credentials: each field's current value since the last recorded change of it (China date; a teacher's first
-- registration counts as held before), the value before that change until the day before.
INSERT INTO teacher_credentials (teacher_id, field, value, valid_from, valid_until, recorded_at)
SELECT x.teacher_id, x.field, x.before, NULL, x.day - 1, x.at
  FROM (
    SELECT DISTINCT ON (c.teacher_id, k.field) c.teacher_id, k.field, c.changes -> k.field -> 'from' AS before,
           (c.at AT TIME ZONE 'Asia/Shanghai')::date AS day, c.at
      FROM teacher_changes c
     CROSS JOIN unnest(ARRAY['qualification_type','qualification_stage','qualification_subject','qualification_no','qualification_expiry',
                             'title','title_date','mandarin_level','certificates','education','second_degree']) AS k(field)
     WHERE c.changes ? k.field AND NOT (c.changes ? 'national_id_mask' AND c.changes -> 'national_id_mask' ->> 'from' IS NULL)
     ORDER BY c.teacher_id, k.field, c.at DESC, c.id DESC
  ) x
 WHERE x.before IS NOT NULL AND x.before <> 'null'::jsonb AND x.before <> '[]'::jsonb
--;
INSERT INTO teacher_credentials (teacher_id, field, value, valid_from, recorded_at)
SELECT t.id, k.field, k.value,
       (SELECT max(c.valid_until) + 1 FROM teacher_credentials c WHERE c.teacher_id = t.id AND c.field = k.field), t.updated_at
  FROM teachers t
 CROSS JOIN LATERAL (VALUES
   ('qualification_type', to_jsonb(t.qualification_type)), ('qualification_stage', to_jsonb(t.qualification_stage)),
   ('qualification_subject', to_jsonb(t.qualification_subject)), ('qualification_no', to_jsonb(t.qualification_no)),
   ('qualification_expiry', to_jsonb(t.qualification_expiry)), ('title', to_jsonb(t.title)), ('title_date', to_jsonb(t.title_date)),
   ('mandarin_level', to_jsonb(t.mandarin_level)), ('certificates', to_jsonb(t.certificates)),
   ('education', to_jsonb(t.education)), ('second_degree', to_jsonb(t.second_degree))) AS k(field, value)
 WHERE k.value IS NOT NULL AND k.value <> 'null'::jsonb AND k.value <> '[]'::jsonb
--;
INSERT INTO teacher_designations (teacher_id, level, category, valid_from, valid_until, recorded_at)
SELECT id, key_level, key_category, NULL, key_term_end, updated_at FROM teachers WHERE key_level IS NOT NULL
