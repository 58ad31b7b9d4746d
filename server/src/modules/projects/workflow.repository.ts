import type { Queryable } from '../../db/db.js';

// The approval workflow's records: the history trail, the approving lineage, filing numbers, whom to notify.

export interface HistoryInput {
  projectId: number;
  userId: number | null;
  orgId: number | null;
  action: string;
  from: string | null;
  to: string;
  comment?: string | null;
  detail?: Record<string, unknown>;
}

export async function insertHistory(q: Queryable, h: HistoryInput): Promise<void> {
  await q.query(`INSERT INTO project_history (project_id, user_id, org_id, action, from_status, to_status, comment, detail) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [
    h.projectId,
    h.userId,
    h.orgId,
    h.action,
    h.from,
    h.to,
    h.comment ?? null,
    JSON.stringify(h.detail ?? {}),
  ]);
}

export interface HistoryRow {
  id: number;
  at: Date;
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  detail: Record<string, unknown>;
  user_name: string | null;
  org_name: string | null;
}

export async function listHistory(q: Queryable, projectId: number): Promise<HistoryRow[]> {
  return (
    await q.query<HistoryRow>(
      `SELECT h.id, h.at, h.action, h.from_status, h.to_status, h.comment, h.detail, u.display_name AS user_name, o.name AS org_name
         FROM project_history h LEFT JOIN users u ON u.id = h.user_id LEFT JOIN orgs o ON o.id = h.org_id
        WHERE h.project_id = $1 ORDER BY h.at, h.id`,
      [projectId],
    )
  ).rows;
}

export interface LineageOrg {
  id: number;
  name: string;
  level: string;
  kind: string;
  path: string;
}

/** The org and all its ancestors (every org whose path is a prefix of its path). */
export async function lineage(q: Queryable, orgId: number): Promise<LineageOrg[]> {
  return (
    await q.query<LineageOrg>(
      `SELECT a.id, a.name, a.level, a.kind, a.path FROM orgs me JOIN orgs a ON me.path LIKE a.path || '%' WHERE me.id = $1 ORDER BY length(a.path)`,
      [orgId],
    )
  ).rows;
}

export async function orgNames(q: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ id: number; name: string }>('SELECT id, name FROM orgs WHERE id = ANY($1::int[])', [ids]);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/**
 * The next filing sequence of a bureau in a year, with the bureau's code: one atomic upsert, so concurrent
 * filings of one bureau never share a number; the code in the number keeps two bureaus' numbers apart.
 */
export async function nextFilingSeq(q: Queryable, orgId: number, year: number): Promise<{ seq: number; orgCode: string }> {
  const r = await q.query<{ last: number; code: string }>(
    `INSERT INTO project_filing_counters (org_id, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (org_id, year) DO UPDATE SET last = project_filing_counters.last + 1
     RETURNING last, (SELECT code FROM orgs WHERE id = $1) AS code`,
    [orgId, year],
  );
  return { seq: r.rows[0].last, orgCode: r.rows[0].code };
}

/** Users who act for an org in the workflow (bureau admins for approvals; anyone managing projects for proposers). */
export async function usersOfTeachers(q: Queryable, teacherIds: number[]): Promise<number[]> {
  if (!teacherIds.length) return [];
  return (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = ANY($1::int[]) AND active', [teacherIds])).rows.map((r) => r.id);
}

export interface LastHistoryRow {
  action: string;
  user_id: number | null;
  user_name: string | null;
  org_name: string | null;
  comment: string | null;
  at: Date;
}

/** The project's latest history row among `actions` (e.g. who submitted the recognition, or why it came back). */
export async function lastHistoryOf(q: Queryable, projectId: number, actions: string[]): Promise<LastHistoryRow | null> {
  return (
    (
      await q.query<LastHistoryRow>(
        `SELECT h.action, h.user_id, u.display_name AS user_name, o.name AS org_name, h.comment, h.at
         FROM project_history h LEFT JOIN users u ON u.id = h.user_id LEFT JOIN orgs o ON o.id = h.org_id
        WHERE h.project_id = $1 AND h.action = ANY($2::text[]) ORDER BY h.at DESC, h.id DESC LIMIT 1`,
        [projectId, actions],
      )
    ).rows[0] ?? null
  );
}
