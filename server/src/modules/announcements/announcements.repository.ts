import type { Queryable } from '../../db/db.js';
import type { Audience } from './announcements.schema.js';

// 通知公告. Scoping: an announcement of org X reaches the accounts whose role acts at an org of X's subtree and
// matches its audience (never the publisher); the managers of X and above (their org subtree holds X) see it
// and its receipts. Recipients are the role holders of today, so a newcomer also finds it.

export interface Caller {
  id: number;
  role: string;
  orgId: number;
  orgPath: string;
}

/** The audience test for a role `role` acting at org `o` (SQL, over announcement `a`). */
const AUDIENCE = (role: string, orgKind: string) =>
  `(a.audience = 'all' OR (a.audience = 'teachers' AND ${role} = 'teacher') OR (a.audience = 'schools' AND ${role} <> 'teacher' AND ${orgKind} = 'school'))`;

/** Announcements the caller (in the role of the session) receives: $1 user, $2 role, $3 org id, $4 org path. */
const RECEIVED = `$4 LIKE ao.path || '%' AND a.published_by <> $1
  AND ${AUDIENCE('$2', '(SELECT kind FROM orgs WHERE id = $3)')}`;

const callerParams = (c: Caller) => [c.id, c.role, c.orgId, c.orgPath];

export interface AnnouncementRow {
  id: number;
  org_id: number;
  org_name: string;
  org_path: string;
  audience: Audience;
  title: string;
  body: string;
  published_by_name: string;
  published_at: Date;
  read_at: Date | null;
}

const SELECT = `SELECT a.id, a.org_id, ao.name AS org_name, ao.path AS org_path, a.audience, a.title, a.body,
    pu.display_name AS published_by_name, a.published_at, rd.read_at
  FROM announcements a JOIN orgs ao ON ao.id = a.org_id JOIN users pu ON pu.id = a.published_by
  LEFT JOIN announcement_reads rd ON rd.announcement_id = a.id AND rd.user_id = $1`;

export async function insert(q: Queryable, c: { orgId: number; audience: Audience; title: string; body: string; userId: number }): Promise<number> {
  const r = await q.query<{ id: number }>('INSERT INTO announcements (org_id, audience, title, body, published_by) VALUES ($1,$2,$3,$4,$5) RETURNING id', [
    c.orgId,
    c.audience,
    c.title,
    c.body,
    c.userId,
  ]);
  return r.rows[0].id;
}

/** The caller's received announcements, newest first, with whether they have read each. */
export async function inbox(q: Queryable, c: Caller, limit: number, offset: number): Promise<{ rows: AnnouncementRow[]; total: number; unread: number }> {
  const rows = (
    await q.query<AnnouncementRow>(`${SELECT} WHERE ${RECEIVED} ORDER BY a.published_at DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`, callerParams(c))
  ).rows;
  const counts = (
    await q.query<{ total: number; unread: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE rd.read_at IS NULL)::int AS unread
         FROM announcements a JOIN orgs ao ON ao.id = a.org_id
         LEFT JOIN announcement_reads rd ON rd.announcement_id = a.id AND rd.user_id = $1
        WHERE ${RECEIVED}`,
      callerParams(c),
    )
  ).rows[0];
  return { rows, ...counts };
}

/** How many received announcements the caller has not opened, and since when the oldest waits (the to-do count). */
export async function unread(q: Queryable, c: Caller): Promise<{ n: number; oldest: Date | null }> {
  return (
    await q.query<{ n: number; oldest: Date | null }>(
      `SELECT count(*)::int AS n, min(a.published_at) AS oldest FROM announcements a JOIN orgs ao ON ao.id = a.org_id
        WHERE ${RECEIVED} AND NOT EXISTS (SELECT 1 FROM announcement_reads rd WHERE rd.announcement_id = a.id AND rd.user_id = $1)`,
      callerParams(c),
    )
  ).rows[0];
}

/** One announcement if the caller receives it (recipient) or manages its org (publisher side); null otherwise. */
export async function findVisible(q: Queryable, c: Caller, id: number): Promise<(AnnouncementRow & { recipient: boolean; manager: boolean }) | null> {
  const r = await q.query<AnnouncementRow & { recipient: boolean; manager: boolean }>(
    `SELECT x.* FROM (
       SELECT a.id, a.org_id, ao.name AS org_name, ao.path AS org_path, a.audience, a.title, a.body,
              pu.display_name AS published_by_name, a.published_at, rd.read_at,
              (${RECEIVED}) AS recipient, ao.path LIKE $4 || '%' AS manager
         FROM announcements a JOIN orgs ao ON ao.id = a.org_id JOIN users pu ON pu.id = a.published_by
         LEFT JOIN announcement_reads rd ON rd.announcement_id = a.id AND rd.user_id = $1
        WHERE a.id = $5) x
      WHERE x.recipient OR x.manager`,
    [...callerParams(c), id],
  );
  return r.rows[0] ?? null;
}

/** The read receipt: written once, the first time (later opens change nothing). */
export async function markRead(q: Queryable, id: number, userId: number): Promise<boolean> {
  const r = await q.query('INSERT INTO announcement_reads (announcement_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, userId]);
  return r.rowCount > 0;
}

/** The recipients of announcement $1 (one row per account: the org of its first matching role). */
const RECIPIENTS = `WITH a AS (SELECT a.*, ao.path FROM announcements a JOIN orgs ao ON ao.id = a.org_id WHERE a.id = $1),
  rec AS (
    SELECT DISTINCT ON (r.user_id) r.user_id, r.role, o.id AS org_id, o.name AS org_name, o.path AS org_path
      FROM a CROSS JOIN active_user_roles r JOIN orgs o ON o.id = r.org_id
     WHERE o.path LIKE a.path || '%' AND r.user_id <> a.published_by AND ${AUDIENCE('r.role', 'o.kind')}
     ORDER BY r.user_id, (r.role = 'teacher') DESC, o.path)`;

export interface OrgReceiptRow {
  org_id: number;
  org_name: string;
  recipients: number;
  read: number;
}

/** Read and unread per org of the subtree (orgs with recipients only), in tree order. */
export async function receiptsByOrg(q: Queryable, id: number): Promise<OrgReceiptRow[]> {
  return (
    await q.query<OrgReceiptRow>(
      `${RECIPIENTS}
       SELECT rec.org_id, rec.org_name, count(*)::int AS recipients, count(rd.user_id)::int AS read
         FROM rec LEFT JOIN announcement_reads rd ON rd.announcement_id = $1 AND rd.user_id = rec.user_id
        GROUP BY rec.org_id, rec.org_name, rec.org_path ORDER BY rec.org_path`,
      [id],
    )
  ).rows;
}

export interface UnreadRow {
  name: string;
  org_name: string;
  role: string;
}

/** Who has not read it: the account's name, org and role only (nothing else about the person). */
export async function unreadRecipients(q: Queryable, id: number): Promise<UnreadRow[]> {
  return (
    await q.query<UnreadRow>(
      `${RECIPIENTS}
       SELECT u.display_name AS name, rec.org_name, rec.role
         FROM rec JOIN users u ON u.id = rec.user_id
        WHERE NOT EXISTS (SELECT 1 FROM announcement_reads rd WHERE rd.announcement_id = $1 AND rd.user_id = rec.user_id)
        ORDER BY rec.org_path, u.display_name
        LIMIT 100000`,
      [id],
    )
  ).rows;
}

export interface SentRow {
  id: number;
  org_name: string;
  audience: Audience;
  title: string;
  published_by_name: string;
  published_at: Date;
}

/** Announcements published by orgs of the caller's subtree, newest first. */
export async function sent(q: Queryable, orgPath: string, limit: number, offset: number): Promise<{ rows: SentRow[]; total: number }> {
  const rows = (
    await q.query<SentRow>(
      `SELECT a.id, ao.name AS org_name, a.audience, a.title, pu.display_name AS published_by_name, a.published_at
         FROM announcements a JOIN orgs ao ON ao.id = a.org_id JOIN users pu ON pu.id = a.published_by
        WHERE ao.path LIKE $1 || '%' ORDER BY a.published_at DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`,
      [orgPath],
    )
  ).rows;
  const total = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM announcements a JOIN orgs ao ON ao.id = a.org_id WHERE ao.path LIKE $1 || '%'`, [orgPath])
  ).rows[0].n;
  return { rows, total };
}
