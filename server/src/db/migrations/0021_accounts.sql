-- Accounts: a person (users) signs in once and holds roles (user_roles), each at an org, from a time until
-- a time. A session acts in one of its user's roles (auth_sessions.role_id) and may switch without logging
-- out. A teacher role has no org of its own: it follows the teacher record's school (a transfer moves it).
CREATE TABLE user_roles (
  id            serial PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role          text NOT NULL CHECK (role IN ('bureauAdmin','schoolAdmin','teacher','institution','devCenter','expert','sysAdmin','infoAdmin','securityAdmin','auditor')),
  org_id        integer REFERENCES orgs(id),
  granted_at    timestamptz NOT NULL DEFAULT now(),
  granted_by    integer REFERENCES users(id),
  revoked_at    timestamptz,
  revoked_by    integer REFERENCES users(id),
  revoke_reason text,
  CHECK ((role = 'teacher') = (org_id IS NULL))
)
--;
CREATE UNIQUE INDEX user_roles_one_active ON user_roles (user_id, role, COALESCE(org_id, 0)) WHERE revoked_at IS NULL
--;
CREATE INDEX user_roles_org_idx ON user_roles (org_id, role) WHERE revoked_at IS NULL
--;
CREATE INDEX user_roles_user_idx ON user_roles (user_id)
--;
INSERT INTO user_roles (user_id, role, org_id, granted_at)
  SELECT id, role, CASE WHEN role = 'teacher' THEN NULL ELSE org_id END, created_at FROM users
--;
-- Sign-in by 身份证号 or phone goes through keyed blind indexes: a teacher account uses its teacher record's,
-- an account without a teacher record (an admin, an expert) may carry its own.
ALTER TABLE users
  DROP COLUMN role,
  DROP COLUMN org_id,
  ADD COLUMN national_id_idx text,
  ADD COLUMN phone_idx text,
  ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
  ADD COLUMN password_changed_at timestamptz,
  ADD COLUMN last_role_id integer REFERENCES user_roles(id) ON DELETE SET NULL,
  ADD COLUMN deactivated_at timestamptz,
  ADD COLUMN deactivated_reason text,
  ADD COLUMN created_by integer REFERENCES users(id),
  ADD COLUMN oidc_subject text UNIQUE
--;
CREATE UNIQUE INDEX users_national_id_idx ON users (national_id_idx) WHERE national_id_idx IS NOT NULL
--;
CREATE INDEX users_phone_idx ON users (phone_idx) WHERE phone_idx IS NOT NULL
--;
CREATE UNIQUE INDEX users_teacher_idx ON users (teacher_id) WHERE teacher_id IS NOT NULL
--;
ALTER TABLE auth_sessions
  ADD COLUMN role_id integer REFERENCES user_roles(id) ON DELETE CASCADE,
  ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()
--;
UPDATE auth_sessions s SET role_id = (SELECT min(r.id) FROM user_roles r WHERE r.user_id = s.user_id)
--;
DELETE FROM auth_sessions WHERE role_id IS NULL
--;
ALTER TABLE auth_sessions ALTER COLUMN role_id SET NOT NULL
--;
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id)
--;
-- The roles in force now, with the org each acts at (a teacher role: the teacher's current school), for
-- addressing people by role (notifications, reviewers) without repeating the teacher-role rule.
CREATE VIEW active_user_roles AS
  SELECT r.id AS role_id, r.user_id, r.role, COALESCE(r.org_id, t.org_id) AS org_id
    FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN teachers t ON t.id = u.teacher_id
   WHERE r.revoked_at IS NULL AND u.active AND (r.role <> 'teacher' OR t.status = 'active')
--;
-- Deactivation follows the teacher's status: when a teacher leaves (退休/调出/离职/禁入…), every role of
-- their account ends (a 评审专家 role may outlive employment and stays), and an account left with no role
-- is deactivated. A trigger, so every path that changes a status (form, import, change process) obeys.
CREATE FUNCTION teacher_left_end_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE uid integer;
BEGIN
  SELECT id INTO uid FROM users WHERE teacher_id = NEW.id;
  IF uid IS NULL THEN RETURN NEW; END IF;
  UPDATE user_roles SET revoked_at = now(), revoke_reason = 'teacherStatus:' || NEW.status
   WHERE user_id = uid AND revoked_at IS NULL AND role <> 'expert';
  IF NOT EXISTS (SELECT 1 FROM user_roles WHERE user_id = uid AND revoked_at IS NULL) THEN
    UPDATE users SET active = false, deactivated_at = now(), deactivated_reason = 'teacherStatus:' || NEW.status WHERE id = uid AND active;
    DELETE FROM auth_sessions WHERE user_id = uid;
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER teachers_left_end_account AFTER UPDATE OF status ON teachers
  FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status <> 'active') EXECUTE FUNCTION teacher_left_end_account()
