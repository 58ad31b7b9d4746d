import type { Queryable } from '../../db/db.js';
import type { Role } from '../../platform/access.js';

/** The user's password hash, row-locked so two concurrent changes run one after the other. */
export async function lockPasswordHash(q: Queryable, userId: number): Promise<string | null> {
  const r = await q.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1 AND active FOR UPDATE', [userId]);
  return r.rows[0]?.password_hash ?? null;
}

/** A new password chosen by the user themself: the must-change flag (initial or reset password) is cleared. */
export async function updatePasswordHash(q: Queryable, userId: number, passwordHash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2, must_change_password = false, password_changed_at = now() WHERE id = $1', [userId, passwordHash]);
}

/** Wrong current passwords this user entered on 修改密码 within the last `minutes` (from the audit log). */
export async function countRecentFailures(q: Queryable, userId: number, action: string, minutes: number): Promise<number> {
  const r = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log
      WHERE at > now() - make_interval(mins => $3::int) AND user_id = $1 AND action = $2`,
    [userId, action, minutes],
  );
  return r.rows[0].n;
}

export interface LoginCandidate {
  id: number;
  password_hash: string;
  active: boolean;
  /** The org the account acts at by default (its last or first role; for the audit line of a failed sign-in). */
  org_id: number | null;
}

const CANDIDATE = `SELECT u.id, u.password_hash, u.active,
  COALESCE((SELECT a.org_id FROM active_user_roles a WHERE a.user_id = u.id ORDER BY (a.role_id = u.last_role_id) DESC, a.role_id LIMIT 1),
           (SELECT COALESCE(r.org_id, t.org_id) FROM user_roles r LEFT JOIN teachers t ON t.id = u.teacher_id WHERE r.user_id = u.id ORDER BY r.id DESC LIMIT 1)) AS org_id
  FROM users u`;

/** The hashes of the user's `n` most recent previous passwords (password_history, newest first). */
export async function previousPasswordHashes(q: Queryable, userId: number, n: number): Promise<string[]> {
  const r = await q.query<{ password_hash: string }>('SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2', [userId, n]);
  return r.rows.map((x) => x.password_hash);
}

/** Accounts signing in by username (exact, case-insensitive). */
export async function byUsername(q: Queryable, username: string): Promise<LoginCandidate[]> {
  return (await q.query<LoginCandidate>(`${CANDIDATE} WHERE lower(u.username) = lower($1)`, [username])).rows;
}

/**
 * Accounts whose teacher record, or the account itself, carries this 身份证号 blind index. A UNION of two index
 * lookups, not an OR (which made every sign-in scan all users: bench/login-rush.ts).
 */
export async function byNationalIdIndex(q: Queryable, idx: string): Promise<LoginCandidate[]> {
  return (
    await q.query<LoginCandidate>(
      `${CANDIDATE} WHERE u.id IN (SELECT x.id FROM users x JOIN teachers t ON t.id = x.teacher_id WHERE t.national_id_idx = $1
                                  UNION ALL SELECT x.id FROM users x WHERE x.national_id_idx = $1)`,
      [idx],
    )
  ).rows;
}

/** Accounts whose teacher record, or the account itself, carries this phone blind index (a phone may be shared). */
export async function byPhoneIndex(q: Queryable, idx: string): Promise<LoginCandidate[]> {
  return (
    await q.query<LoginCandidate>(
      `${CANDIDATE} WHERE u.id IN (SELECT x.id FROM users x JOIN teachers t ON t.id = x.teacher_id WHERE t.phone_idx = $1
                                  UNION ALL SELECT x.id FROM users x WHERE x.phone_idx = $1)`,
      [idx],
    )
  ).rows;
}

export interface RoleRow {
  id: number;
  role: Role;
  org_id: number;
  org_name: string;
}

/** The roles in force of a user, with the org each acts at, in the order they were granted. */
export async function activeRoles(q: Queryable, userId: number): Promise<RoleRow[]> {
  return (
    await q.query<RoleRow>(
      `SELECT a.role_id AS id, a.role, a.org_id, o.name AS org_name FROM active_user_roles a JOIN orgs o ON o.id = a.org_id
        WHERE a.user_id = $1 ORDER BY a.role_id`,
      [userId],
    )
  ).rows;
}
