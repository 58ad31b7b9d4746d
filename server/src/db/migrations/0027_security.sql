-- Security hardening (issue 9 items 3, 4, 5, 9): settings of the 安全管理员, account lockout, per-IP back-off,
-- password history, TOTP second factor with recovery codes, and the audit log's retention and hash chain.

-- A table whose rows are facts that must never change (settings versions, audit seals): refuse UPDATE/DELETE.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% 只能追加，不能修改或删除', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$
--;
-- 安全策略: each change is a new version (who, when, why); the newest version is in force. Without any row the
-- 等保 defaults of the configuration apply (lockout 5 → 30 min, idle 30 min, absolute 12 h, history 5, TOTP on).
CREATE TABLE security_settings (
  version                serial PRIMARY KEY,
  lockout_threshold      integer NOT NULL CHECK (lockout_threshold BETWEEN 3 AND 10),
  lockout_minutes        integer NOT NULL CHECK (lockout_minutes BETWEEN 1 AND 1440),
  session_idle_minutes   integer NOT NULL CHECK (session_idle_minutes BETWEEN 1 AND 1440),
  session_absolute_hours integer NOT NULL CHECK (session_absolute_hours BETWEEN 1 AND 720),
  password_history       integer NOT NULL CHECK (password_history BETWEEN 1 AND 24),
  totp_required          boolean NOT NULL,
  changed_by             integer REFERENCES users(id),
  changed_at             timestamptz NOT NULL DEFAULT now(),
  reason                 text NOT NULL
)
--;
CREATE TRIGGER security_settings_append_only BEFORE UPDATE OR DELETE ON security_settings
  FOR EACH ROW EXECUTE FUNCTION refuse_change()
--;
-- Lockout: consecutive failed sign-ins (password or second factor) and the end of the current lock.
ALTER TABLE users
  ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
  ADD COLUMN locked_until timestamptz
--;
CREATE INDEX users_locked_idx ON users (locked_until) WHERE locked_until IS NOT NULL
--;
-- Per-IP back-off for failed sign-ins (a school behind one NAT shares an address: slow down, never ban).
-- A failure more than 15 minutes after the first of the window starts a new window.
CREATE TABLE login_ip_failures (
  ip        text PRIMARY KEY,
  failures  integer NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL
)
--;
-- Password history: the hashes a user's password had before (argon2id), written by a trigger so every path
-- that changes a password (own change, reset by the 系统管理员) records it. At most 24 kept per user.
CREATE TABLE password_history (
  id            bigserial PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  password_hash text NOT NULL,
  replaced_at   timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX password_history_user_idx ON password_history (user_id, id DESC)
--;
CREATE FUNCTION users_keep_password_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO password_history (user_id, password_hash) VALUES (OLD.id, OLD.password_hash);
  DELETE FROM password_history WHERE user_id = OLD.id AND id NOT IN (
    SELECT id FROM password_history WHERE user_id = OLD.id ORDER BY id DESC LIMIT 24);
  RETURN NEW;
END $$
--;
CREATE TRIGGER users_password_history AFTER UPDATE OF password_hash ON users
  FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash) EXECUTE FUNCTION users_keep_password_history()
--;
-- Second factor. mfa_at: when this session passed (or enrolled) the second factor; a session of an enrolled
-- account without it may only enter the code.
ALTER TABLE auth_sessions ADD COLUMN mfa_at timestamptz
--;
-- The TOTP secret (AES-256-GCM, like other secrets at rest); enrolled_at is NULL while the enrolment awaits its
-- first code; last_step refuses a code used before (replay).
CREATE TABLE user_totp (
  user_id     integer PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret_enc  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  enrolled_at timestamptz,
  last_step   bigint
)
--;
-- One-time recovery codes: a keyed hash (HMAC-SHA256) only; used_at marks a spent code.
CREATE TABLE user_recovery_codes (
  id         serial PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  UNIQUE (user_id, code_hash)
)
--;
-- Audit log: retention ≥ 180 days (网络安全法 第二十一条: 网络日志留存不少于六个月). No row is ever updated; a row
-- younger than the retention cannot be deleted; the table cannot be truncated.
CREATE FUNCTION audit_log_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.at < now() - interval '180 days' THEN RETURN OLD; END IF;
  RAISE EXCEPTION '审计日志不可修改，保存期（180 天）内不可删除' USING ERRCODE = 'integrity_constraint_violation';
END $$
--;
CREATE TRIGGER audit_log_retention BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_retention()
--;
CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% 不可清空', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$
--;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()
--;
-- The hash chain: each audit row gets a seal (in the order sealed: seq) whose hash is an HMAC, keyed from the
-- server secret, over the row's content and the previous seal's hash. Seals are written by one sealer at a time
-- (it locks the head row), shortly after the row is committed, so writers never wait for each other. No foreign
-- key to audit_log: a deleted row leaves its seal behind, which is how the check finds it.
CREATE TABLE audit_seals (
  seq       bigint PRIMARY KEY,
  log_id    bigint NOT NULL UNIQUE,
  prev_hash text NOT NULL,
  hash      text NOT NULL,
  sealed_at timestamptz NOT NULL DEFAULT now()
)
--;
CREATE FUNCTION audit_seals_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.sealed_at < now() - interval '180 days' THEN RETURN OLD; END IF;
  RAISE EXCEPTION '审计日志校验链不可修改，保存期（180 天）内不可删除' USING ERRCODE = 'integrity_constraint_violation';
END $$
--;
CREATE TRIGGER audit_seals_retention BEFORE UPDATE OR DELETE ON audit_seals FOR EACH ROW EXECUTE FUNCTION audit_seals_retention()
--;
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()
--;
-- The end of the chain (last seq and hash): removing the newest seals shows as a head that points past them.
CREATE TABLE audit_chain_head (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq        bigint NOT NULL,
  hash       text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)
--;
INSERT INTO audit_chain_head (seq, hash) VALUES (0, 'genesis')
--;
-- The auditor's filters and the security page's lists.
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at)
--;
CREATE INDEX audit_log_user_at_idx ON audit_log (user_id, at)
--;
CREATE INDEX audit_log_org_at_idx ON audit_log (org_id, at)
