-- Org administration (组织机构管理): school attributes, closing and merging, the history of names and parents,
-- and the memberships of 学区 / 教育集团 groupings.

-- stage is the school type (学校类型): it already held 九年一贯制/十二年一贯制; 完全中学 joins them.
ALTER TABLE orgs DROP CONSTRAINT IF EXISTS orgs_stage_check
--;
ALTER TABLE orgs
  ADD CONSTRAINT orgs_stage_check CHECK (stage IN ('kindergarten','primary','junior','senior','complete','nineYear','twelveYear','vocational','special')),
  -- 办学性质 公办/民办, 城乡类型 城区/镇区/乡村 (schools).
  ADD COLUMN ownership text CHECK (ownership IN ('public','private')),
  ADD COLUMN locale text CHECK (locale IN ('urban','town','rural')),
  -- 学校标识码: 10 digits, issued by the Ministry, unique where present.
  ADD COLUMN school_id_code text CHECK (school_id_code ~ '^[0-9]{10}$'),
  -- 撤销: an org is closed, never deleted (its history, projects and ledger entries keep pointing at it).
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN closed_reason text,
  ADD COLUMN merged_into integer REFERENCES orgs(id),
  ADD COLUMN version integer NOT NULL DEFAULT 1
--;
CREATE UNIQUE INDEX orgs_school_id_code_idx ON orgs (school_id_code) WHERE school_id_code IS NOT NULL
--;
-- The history of an org's name, code, 学校标识码, parent and closing: one row per change, never overwritten.
-- Written by trigger, so every path (form, import, merge) keeps it; the service names who and why through
-- the transaction-local settings qiangshi.actor / qiangshi.reason.
CREATE TABLE org_history (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  field       text NOT NULL CHECK (field IN ('created','name','code','schoolIdCode','parent','closed','reopened')),
  old_value   text,
  new_value   text,
  valid_from  timestamptz NOT NULL DEFAULT now(),
  changed_by  integer REFERENCES users(id),
  reason      text
)
--;
CREATE INDEX org_history_org_idx ON org_history (org_id, valid_from)
--;
CREATE TRIGGER org_history_append_only BEFORE UPDATE OR DELETE ON org_history
  FOR EACH ROW EXECUTE FUNCTION account_history_append_only()
--;
CREATE FUNCTION org_history_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor integer := NULLIF(current_setting('qiangshi.actor', true), '')::integer;
  why text := NULLIF(current_setting('qiangshi.reason', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO org_history (org_id, field, new_value, changed_by, reason) VALUES (NEW.id, 'created', NEW.name, actor, why);
    RETURN NEW;
  END IF;
  IF NEW.name IS DISTINCT FROM OLD.name THEN
    INSERT INTO org_history (org_id, field, old_value, new_value, changed_by, reason) VALUES (NEW.id, 'name', OLD.name, NEW.name, actor, why);
  END IF;
  IF NEW.code IS DISTINCT FROM OLD.code THEN
    INSERT INTO org_history (org_id, field, old_value, new_value, changed_by, reason) VALUES (NEW.id, 'code', OLD.code, NEW.code, actor, why);
  END IF;
  IF NEW.school_id_code IS DISTINCT FROM OLD.school_id_code THEN
    INSERT INTO org_history (org_id, field, old_value, new_value, changed_by, reason) VALUES (NEW.id, 'schoolIdCode', OLD.school_id_code, NEW.school_id_code, actor, why);
  END IF;
  IF NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
    INSERT INTO org_history (org_id, field, old_value, new_value, changed_by, reason) VALUES (NEW.id, 'parent', OLD.parent_id::text, NEW.parent_id::text, actor, why);
  END IF;
  IF NEW.closed_at IS NOT NULL AND OLD.closed_at IS NULL THEN
    INSERT INTO org_history (org_id, field, new_value, changed_by, reason) VALUES (NEW.id, 'closed', NEW.merged_into::text, actor, why);
  ELSIF NEW.closed_at IS NULL AND OLD.closed_at IS NOT NULL THEN
    INSERT INTO org_history (org_id, field, changed_by, reason) VALUES (NEW.id, 'reopened', actor, why);
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER orgs_history_insert AFTER INSERT ON orgs FOR EACH ROW EXECUTE FUNCTION org_history_write()
--;
CREATE TRIGGER orgs_history_update AFTER UPDATE OF name, code, school_id_code, parent_id, closed_at ON orgs
  FOR EACH ROW EXECUTE FUNCTION org_history_write()
--;
-- The starting point of the history of the orgs that exist already.
INSERT INTO org_history (org_id, field, new_value, valid_from) SELECT id, 'created', name, created_at FROM orgs
--;
-- Nobody is placed in a closed org (a form, an import or a change process alike): check_violation = 400.
CREATE FUNCTION teachers_org_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM orgs WHERE id = NEW.org_id AND closed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'the org % is closed', NEW.org_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER teachers_org_open BEFORE INSERT ON teachers
  FOR EACH ROW EXECUTE FUNCTION teachers_org_open()
--;
CREATE TRIGGER teachers_org_open_move BEFORE UPDATE OF org_id ON teachers
  FOR EACH ROW WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id) EXECUTE FUNCTION teachers_org_open()
--;
-- 学区 / 教育集团: an org of kind district/eduGroup groups schools that stay where they are in the tree.
-- A membership runs from valid_from until valid_to (ended, never deleted).
CREATE TABLE org_group_members (
  id          serial PRIMARY KEY,
  group_id    integer NOT NULL REFERENCES orgs(id),
  org_id      integer NOT NULL REFERENCES orgs(id),
  valid_from  date NOT NULL,
  valid_to    date,
  added_by    integer REFERENCES users(id),
  ended_by    integer REFERENCES users(id),
  CHECK (group_id <> org_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
)
--;
CREATE UNIQUE INDEX org_group_members_active ON org_group_members (group_id, org_id) WHERE valid_to IS NULL
--;
CREATE INDEX org_group_members_org_idx ON org_group_members (org_id)
