-- Issue 12 items 3–5: the 诚信档案 (integrity record), the 行业禁入 register in use and the 一票否决 (veto).
-- Sanctions (0044) are the record's hub; this adds what else the record holds — 师德考核 results per year,
-- 承诺书 / 入职宣誓 records, honours (先进典型) — and lets a ban come from a sanction without a name of its own.
-- Everything here is history: a row is never edited or deleted; a corrected 师德考核 result is superseded by a
-- new row (superseded_by / superseded_at set once); a pledge or honour recorded in error is voided once.

-- A ban that comes from a 行业禁入 sanction names the teacher through the sanction (teachers.name); a ban
-- registered by hand keeps the name it was given, sealed.
ALTER TABLE ethics_bans ALTER COLUMN name_enc DROP NOT NULL
--;
CREATE UNIQUE INDEX ethics_bans_one_per_sanction ON ethics_bans (sanction_id) WHERE sanction_id IS NOT NULL
--;
CREATE FUNCTION ethics_bans_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'ethics_bans rows are history' USING ERRCODE = 'P0001'; END IF;
  IF (to_jsonb(NEW) - ARRAY['lifted_on','lifted_reason','lifted_by']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['lifted_on','lifted_reason','lifted_by'])
     OR (OLD.lifted_on IS NOT NULL AND NEW.lifted_on IS DISTINCT FROM OLD.lifted_on) THEN
    RAISE EXCEPTION 'ethics_bans: a ban is lifted once, never edited' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER ethics_bans_history BEFORE UPDATE OR DELETE ON ethics_bans FOR EACH ROW EXECUTE FUNCTION ethics_bans_history()
--;
-- ---------------------------------------------------------------- 师德考核 (yearly ethics appraisal)
-- One current result per teacher and year, recorded by the school (or a bureau above it). excellent 优秀,
-- pass 合格, basicPass 基本合格, fail 不合格. The veto (integrity/veto.service.ts) refuses 优秀 (and 合格 where
-- the policy says so) while a sanction vetoes it.
CREATE TABLE ethics_appraisals (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  result           text NOT NULL CHECK (result IN ('excellent','pass','basicPass','fail')),
  note             text,
  recorded_by_org_id integer NOT NULL REFERENCES orgs(id),
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  corrects         integer REFERENCES ethics_appraisals(id),
  -- Deferred: the old row names its successor before the successor is inserted (one current row per year).
  superseded_by    integer REFERENCES ethics_appraisals(id) DEFERRABLE INITIALLY DEFERRED,
  superseded_at    timestamptz
)
--;
CREATE UNIQUE INDEX ethics_appraisals_current ON ethics_appraisals (teacher_id, year) WHERE superseded_at IS NULL
--;
CREATE FUNCTION ethics_appraisals_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'ethics_appraisals rows are history' USING ERRCODE = 'P0001'; END IF;
  IF (to_jsonb(NEW) - ARRAY['superseded_by','superseded_at']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['superseded_by','superseded_at'])
     OR OLD.superseded_at IS NOT NULL THEN
    RAISE EXCEPTION 'ethics_appraisals: a result is superseded once, never edited' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER ethics_appraisals_history BEFORE UPDATE OR DELETE ON ethics_appraisals FOR EACH ROW EXECUTE FUNCTION ethics_appraisals_history()
--;
-- ---------------------------------------------------------------- 承诺书 / 入职宣誓 and honours (先进典型)
-- kind: pledge 师德承诺书, oath 新教师入职宣誓. file_id: the signed document (files, optional).
CREATE TABLE ethics_pledges (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  kind             text NOT NULL CHECK (kind IN ('pledge','oath')),
  signed_on        date NOT NULL,
  file_id          bigint REFERENCES files(id),
  note             text,
  recorded_by_org_id integer NOT NULL REFERENCES orgs(id),
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  voided_at        timestamptz,
  voided_reason    text
)
--;
CREATE INDEX ethics_pledges_teacher_idx ON ethics_pledges (teacher_id)
--;
-- level: national 国家级, province 省级, city 市级, county 县级, school 校级.
CREATE TABLE teacher_honours (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  title            text NOT NULL,
  level            text NOT NULL CHECK (level IN ('national','province','city','county','school')),
  awarded_on       date NOT NULL,
  awarding_org     text NOT NULL,
  recorded_by_org_id integer NOT NULL REFERENCES orgs(id),
  recorded_by      integer REFERENCES users(id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  voided_at        timestamptz,
  voided_reason    text
)
--;
CREATE INDEX teacher_honours_teacher_idx ON teacher_honours (teacher_id)
--;
CREATE FUNCTION integrity_void_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '% rows are history', TG_TABLE_NAME USING ERRCODE = 'P0001'; END IF;
  IF (to_jsonb(NEW) - ARRAY['voided_at','voided_reason']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['voided_at','voided_reason'])
     OR OLD.voided_at IS NOT NULL THEN
    RAISE EXCEPTION '%: a record is voided once, never edited', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER ethics_pledges_history BEFORE UPDATE OR DELETE ON ethics_pledges FOR EACH ROW EXECUTE FUNCTION integrity_void_only()
--;
CREATE TRIGGER teacher_honours_history BEFORE UPDATE OR DELETE ON teacher_honours FOR EACH ROW EXECUTE FUNCTION integrity_void_only()
