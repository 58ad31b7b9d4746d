-- Account administration (账号管理): usernames, sign-in data of accounts without a teacher record, the
-- history of deactivations, the rule that roles end and are never deleted, and the short-lived encrypted
-- 账号单 (slips of initial passwords) a 系统管理员 downloads once.

-- A username is unique whatever its case (sign-in compares lower-case), and t<digits> is reserved for the
-- account of teacher <digits>: nobody else can take the name a teacher's account will get.
CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username))
--;
ALTER TABLE users
  ADD CONSTRAINT users_teacher_username_reserved
    CHECK (lower(username) !~ '^t[0-9]+$' OR (teacher_id IS NOT NULL AND substr(username, 2) = teacher_id::text)),
  -- An account without a teacher record may sign in with its own 身份证号 / phone: national_id_idx and
  -- phone_idx (0021) hold the blind indexes, these the masks shown on screen. The numbers themselves are
  -- not stored.
  ADD COLUMN national_id_mask text,
  ADD COLUMN phone_mask text,
  -- Who deactivated the account and the reason they gave (deactivated_reason holds the cause code:
  -- 'admin', 'lastRole' or 'teacherStatus:<status>').
  ADD COLUMN deactivated_by integer REFERENCES users(id),
  ADD COLUMN deactivated_note text
--;
-- Every deactivation and re-activation, never overwritten (users.active is only the current state).
CREATE TABLE account_status_changes (
  id          bigserial PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  active      boolean NOT NULL,
  cause       text NOT NULL CHECK (cause IN ('admin', 'lastRole', 'teacherStatus')),
  -- The admin's reason, or the teacher status that caused it.
  note        text,
  changed_by  integer REFERENCES users(id)
)
--;
CREATE INDEX account_status_changes_user_idx ON account_status_changes (user_id, at)
--;
CREATE FUNCTION account_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$
--;
CREATE TRIGGER account_status_changes_append_only BEFORE UPDATE OR DELETE ON account_status_changes
  FOR EACH ROW EXECUTE FUNCTION account_history_append_only()
--;
-- A role is granted and later ended; the row stays as the history of who held what, where and when.
-- The only change allowed is ending a role in force (revoked_at, revoked_by, revoke_reason).
CREATE FUNCTION user_roles_end_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'user_roles rows are ended, never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
     OR (NEW.user_id, NEW.role, NEW.org_id, NEW.granted_at, NEW.granted_by) IS DISTINCT FROM (OLD.user_id, OLD.role, OLD.org_id, OLD.granted_at, OLD.granted_by) THEN
    RAISE EXCEPTION 'a role can only be ended once; grant a new one instead' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER user_roles_end_only BEFORE UPDATE OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION user_roles_end_only()
--;
-- Deactivation follows the teacher's status (0021), now with its line in the history.
CREATE OR REPLACE FUNCTION teacher_left_end_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE uid integer;
BEGIN
  SELECT id INTO uid FROM users WHERE teacher_id = NEW.id;
  IF uid IS NULL THEN RETURN NEW; END IF;
  UPDATE user_roles SET revoked_at = now(), revoke_reason = 'teacherStatus:' || NEW.status
   WHERE user_id = uid AND revoked_at IS NULL AND role <> 'expert';
  IF NOT EXISTS (SELECT 1 FROM user_roles WHERE user_id = uid AND revoked_at IS NULL) THEN
    UPDATE users SET active = false, deactivated_at = now(), deactivated_reason = 'teacherStatus:' || NEW.status,
                     deactivated_by = NULL, deactivated_note = NULL
     WHERE id = uid AND active;
    IF FOUND THEN
      INSERT INTO account_status_changes (user_id, active, cause, note) VALUES (uid, false, 'teacherStatus', NEW.status);
    END IF;
    DELETE FROM auth_sessions WHERE user_id = uid;
  END IF;
  RETURN NEW;
END $$
--;
-- 账号单: the initial passwords of one issue (or reset) run, encrypted (AES-256-GCM, one entry per account),
-- readable only by the 系统管理员 who issued them, downloadable once, and gone after 24 hours.
CREATE TABLE account_slips (
  id             serial PRIMARY KEY,
  issued_by      integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('issue', 'reset', 'create')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  entry_count    integer NOT NULL DEFAULT 0,
  downloaded_at  timestamptz
)
--;
CREATE INDEX account_slips_issuer_idx ON account_slips (issued_by, created_at)
--;
CREATE INDEX account_slips_expires_idx ON account_slips (expires_at)
--;
CREATE TABLE account_slip_entries (
  slip_id   integer NOT NULL REFERENCES account_slips(id) ON DELETE CASCADE,
  seq       integer NOT NULL,
  -- Encrypted JSON {name, orgName, username, password, signIn}.
  entry_enc text NOT NULL,
  PRIMARY KEY (slip_id, seq)
)
