import type { Queryable } from '../../db/db.js';
import type { Role } from '../../platform/access.js';

export async function insertUser(
  q: Queryable,
  u: { username: string; passwordHash: string; displayName: string; role: Role; orgId: number; teacherId?: number | null },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    'INSERT INTO users (username, password_hash, display_name, role, org_id, teacher_id) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
    [u.username, u.passwordHash, u.displayName, u.role, u.orgId, u.teacherId ?? null],
  );
  return r.rows[0].id;
}
