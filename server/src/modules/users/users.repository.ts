import type { Queryable } from '../../db/db.js';
import type { Role } from '../../platform/access.js';

/**
 * A new account with its first role (at orgId; a teacher role follows the teacher record's school instead).
 * Tests, the demo and the expert pool use it; the accounts module issues accounts to people.
 */
export async function insertUser(
  q: Queryable,
  u: {
    username: string;
    passwordHash: string;
    displayName: string;
    role: Role;
    orgId: number;
    teacherId?: number | null;
    mustChangePassword?: boolean;
    createdBy?: number | null;
  },
): Promise<number> {
  if (u.role === 'teacher' && !u.teacherId) throw new Error('a teacher account needs its teacher record');
  const r = await q.query<{ id: number }>(
    'INSERT INTO users (username, password_hash, display_name, teacher_id, must_change_password, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
    [u.username, u.passwordHash, u.displayName, u.teacherId ?? null, u.mustChangePassword ?? false, u.createdBy ?? null],
  );
  const id = r.rows[0].id;
  await grantRole(q, id, u.role, u.orgId, u.createdBy ?? null);
  return id;
}

/** Give a user a role at an org (a teacher role: no org of its own). Returns the user_roles id. */
export async function grantRole(q: Queryable, userId: number, role: Role, orgId: number, grantedBy: number | null): Promise<number> {
  const r = await q.query<{ id: number }>('INSERT INTO user_roles (user_id, role, org_id, granted_by) VALUES ($1,$2,$3,$4) RETURNING id', [
    userId,
    role,
    role === 'teacher' ? null : orgId,
    grantedBy,
  ]);
  return r.rows[0].id;
}
