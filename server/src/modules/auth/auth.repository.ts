import type { Queryable } from '../../db/db.js';

/** The user's password hash, row-locked so two concurrent changes run one after the other. */
export async function lockPasswordHash(q: Queryable, userId: number): Promise<string | null> {
  const r = await q.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1 AND active FOR UPDATE', [userId]);
  return r.rows[0]?.password_hash ?? null;
}

export async function updatePasswordHash(q: Queryable, userId: number, passwordHash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
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
