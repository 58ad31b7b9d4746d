import type { Queryable } from '../../db/db.js';

export interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export async function insertMany(
  q: Queryable,
  userIds: number[],
  n: { kind: string; title: string; body: string; link: string | null; dedupeKey: string | null },
): Promise<number> {
  if (!userIds.length) return 0;
  const r = await q.query(
    `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
     SELECT u, $2, $3, $4, $5, $6 FROM unnest($1::int[]) AS u
     ON CONFLICT (user_id, dedupe_key) DO NOTHING`,
    [userIds, n.kind, n.title, n.body, n.link, n.dedupeKey],
  );
  return r.rowCount;
}

export async function list(q: Queryable, userId: number, unreadOnly: boolean, limit: number, offset: number) {
  const where = `user_id = $1${unreadOnly ? ' AND read_at IS NULL' : ''}`;
  const rows = (
    await q.query<NotificationRow>(
      `SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
      [userId],
    )
  ).rows;
  const counts = (
    await q.query<{ total: number; unread: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notifications WHERE ${where}`,
      [userId],
    )
  ).rows[0];
  return { rows, ...counts };
}

export async function unreadCounts(q: Queryable, userId: number): Promise<Record<string, number>> {
  const r = await q.query<{ kind: string; n: number }>(
    'SELECT kind, count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL GROUP BY kind',
    [userId],
  );
  return Object.fromEntries(r.rows.map((x) => [x.kind, x.n]));
}

/** Mark read; ids limited to the caller's own rows. null ids = all. */
export async function markRead(q: Queryable, userId: number, ids: number[] | null): Promise<number> {
  const r = ids
    ? await q.query('UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND id = ANY($2::bigint[])', [userId, ids])
    : await q.query('UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL', [userId]);
  return r.rowCount;
}

/** Users of a role at orgs on the path from the given org up to the root (e.g. the approvers above a school). */
export async function usersAtOrgs(q: Queryable, orgIds: number[], roles: string[]): Promise<number[]> {
  const r = await q.query<{ id: number }>('SELECT DISTINCT user_id AS id FROM active_user_roles WHERE org_id = ANY($1::int[]) AND role = ANY($2::text[])', [
    orgIds,
    roles,
  ]);
  return r.rows.map((x) => x.id);
}
