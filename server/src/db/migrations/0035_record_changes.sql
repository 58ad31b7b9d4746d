-- Issue 10 item 4: teacher self-service records with school review (报送 → 审核 → 退回/生效).
--
-- A teacher's record sections (学习经历, 工作经历, 教师资格, 职称, 普通话, 其他证书, 荣誉, 教学科研成果) hold entries.
-- An entry is never edited in place: every approved change appends a version (record_entry_versions, append-only:
-- the fields, the evidence files, what changed from the previous version, who submitted and who approved). A
-- removal is a version marked removed. The teacher proposes changes (record_changes: add / edit / remove) which the
-- school's 信息管理员 approves (the new version is written then) or returns with a reason.
CREATE TABLE record_entries (
  id          serial PRIMARY KEY,
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  section     text NOT NULL CHECK (section IN ('education','work','qualification','title','mandarin','certificate','honour','achievement')),
  created_by  integer REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX record_entries_teacher_idx ON record_entries (teacher_id, section)
--;
CREATE TABLE record_entry_versions (
  id           serial PRIMARY KEY,
  entry_id     integer NOT NULL REFERENCES record_entries(id),
  seq          integer NOT NULL,
  fields       jsonb NOT NULL,
  file_ids     bigint[] NOT NULL DEFAULT '{}',
  removed      boolean NOT NULL DEFAULT false,
  -- What this version changed against the previous one: { field: { from, to } }.
  changes      jsonb NOT NULL DEFAULT '{}',
  change_id    integer NOT NULL,
  submitted_by integer REFERENCES users(id),
  approved_by  integer REFERENCES users(id),
  approved_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entry_id, seq)
)
--;
CREATE TABLE record_changes (
  id               serial PRIMARY KEY,
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  entry_id         integer NOT NULL REFERENCES record_entries(id),
  section          text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('add','edit','remove')),
  -- The version the change was made against (null for an added entry): the "before" of the review.
  base_version_id  integer REFERENCES record_entry_versions(id),
  fields           jsonb NOT NULL DEFAULT '{}',
  note             text NOT NULL DEFAULT '',
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','pending','returned','approved','withdrawn')),
  return_reason    text,
  created_by       integer REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  submitted_at     timestamptz,
  decided_at       timestamptz,
  decided_by       integer REFERENCES users(id),
  -- The version its approval wrote.
  version_id       integer REFERENCES record_entry_versions(id)
)
--;
-- One open change per entry at a time (a second edit waits until the first is decided or withdrawn).
CREATE UNIQUE INDEX record_changes_open_key ON record_changes (entry_id) WHERE status IN ('draft','pending','returned')
--;
CREATE INDEX record_changes_queue_idx ON record_changes (status, submitted_at)
--;
CREATE INDEX record_changes_teacher_idx ON record_changes (teacher_id, id)
--;
ALTER TABLE record_entry_versions ADD FOREIGN KEY (change_id) REFERENCES record_changes(id)
--;
-- Evidence of a change. inherited: carried over from the version being edited (removing it from the change
-- must not delete the file, which the earlier version still shows).
CREATE TABLE record_change_files (
  change_id  integer NOT NULL REFERENCES record_changes(id),
  file_id    bigint NOT NULL REFERENCES files(id),
  inherited  boolean NOT NULL DEFAULT false,
  PRIMARY KEY (change_id, file_id)
)
--;
-- Every step of a change: who, when, from, to, why.
CREATE TABLE record_change_events (
  id          bigserial PRIMARY KEY,
  change_id   integer NOT NULL REFERENCES record_changes(id),
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES users(id),
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  comment     text
)
--;
-- Versions are history: never updated; deleted only on the audited mistake path, which sets
-- qiangshi.record_purge for its own transaction.
CREATE FUNCTION record_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('qiangshi.record_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'record_entry_versions is append-only' USING ERRCODE = 'restrict_violation';
END $$
--;
CREATE TRIGGER record_entry_versions_append_only BEFORE UPDATE OR DELETE ON record_entry_versions
  FOR EACH ROW EXECUTE FUNCTION record_versions_append_only()
