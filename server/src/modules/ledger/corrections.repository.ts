import type { Queryable } from '../../db/db.js';

/** The org whose record an entry is: the bureau that filed (and confirmed the hours of) its project, else the recogniser's admin org. */
export interface EntryOwner {
  org_id: number;
  org_name: string;
  org_path: string;
}

export async function entryOwner(q: Queryable, entryId: number): Promise<EntryOwner | null> {
  const r = await q.query<EntryOwner>(
    `SELECT o.id AS org_id, o.name AS org_name, o.path AS org_path
       FROM ledger_entries e
       LEFT JOIN projects p ON p.id = e.project_id
       JOIN orgs o ON o.id = CASE WHEN e.project_id IS NOT NULL
                                  THEN COALESCE(p.approval_chain[array_length(p.approval_chain, 1)], p.org_id)
                                  -- Otherwise the org where the recogniser acted as an admin (a role in force first).
                                  ELSE (SELECT ur.org_id FROM user_roles ur
                                         WHERE ur.user_id = e.recognised_by AND ur.role IN ('bureauAdmin', 'schoolAdmin')
                                         ORDER BY (ur.revoked_at IS NULL) DESC, ur.granted_at LIMIT 1) END
      WHERE e.id = $1`,
    [entryId],
  );
  return r.rows[0] ?? null;
}

/** A new open request; null when the entry has one already (one open request per entry). */
export async function insertRequest(
  q: Queryable,
  r: { entryId: number; teacherId: number; ownerOrgId: number; userId: number; orgId: number; reason: string },
): Promise<number | null> {
  const res = await q.query<{ id: number }>(
    `INSERT INTO ledger_correction_requests (entry_id, teacher_id, owner_org_id, requested_by, requested_org_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (entry_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
    [r.entryId, r.teacherId, r.ownerOrgId, r.userId, r.orgId, r.reason],
  );
  return res.rows[0]?.id ?? null;
}

export interface RequestRow {
  id: number;
  entry_id: number;
  teacher_id: number;
  teacher_name: string;
  teacher_org_name: string;
  hours: number;
  category: string;
  occurred_on: string;
  description: string;
  owner_org_id: number;
  owner_org_name: string;
  owner_path: string;
  requested_by: number;
  requested_by_name: string;
  requested_org_name: string;
  requested_org_path: string;
  requested_at: Date;
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  reversal_id: number | null;
}

const REQUEST_SELECT = `SELECT r.id, r.entry_id, r.teacher_id, t.name AS teacher_name, tor.name AS teacher_org_name,
    e.hours, e.category, e.occurred_on, e.description,
    r.owner_org_id, oo.name AS owner_org_name, oo.path AS owner_path,
    r.requested_by, ru.display_name AS requested_by_name, ro.name AS requested_org_name, ro.path AS requested_org_path,
    r.requested_at, r.reason, r.status, du.display_name AS decided_by_name, r.decided_at, r.decision_comment, r.reversal_id
  FROM ledger_correction_requests r
  JOIN ledger_entries e ON e.id = r.entry_id
  JOIN teachers t ON t.id = r.teacher_id JOIN orgs tor ON tor.id = t.org_id
  JOIN orgs oo ON oo.id = r.owner_org_id
  JOIN orgs ro ON ro.id = r.requested_org_id
  JOIN users ru ON ru.id = r.requested_by
  LEFT JOIN users du ON du.id = r.decided_by`;

/**
 * Requests addressed to an org in the caller's subtree (to decide) or sent from one (to follow), newest first;
 * open ones first.
 */
export async function listRequests(q: Queryable, orgPath: string, status: string | null): Promise<RequestRow[]> {
  return (
    await q.query<RequestRow>(
      `${REQUEST_SELECT}
        WHERE (oo.path LIKE $1 || '%' OR ro.path LIKE $1 || '%') AND ($2::text IS NULL OR r.status = $2)
        ORDER BY (r.status = 'pending') DESC, r.requested_at DESC, r.id DESC LIMIT 500`,
      [orgPath, status],
    )
  ).rows;
}

/** The request, locked, if it is addressed to an org in the caller's subtree. */
export async function lockRequestFor(q: Queryable, orgPath: string, id: number): Promise<RequestRow | null> {
  const r = await q.query<{ id: number }>(
    `SELECT r.id FROM ledger_correction_requests r JOIN orgs o ON o.id = r.owner_org_id WHERE r.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF r`,
    [id, orgPath],
  );
  if (!r.rows[0]) return null;
  return (await q.query<RequestRow>(`${REQUEST_SELECT} WHERE r.id = $1`, [id])).rows[0] ?? null;
}

export async function getRequest(q: Queryable, id: number): Promise<RequestRow | null> {
  return (await q.query<RequestRow>(`${REQUEST_SELECT} WHERE r.id = $1`, [id])).rows[0] ?? null;
}

export async function decideRequest(
  q: Queryable,
  id: number,
  d: { status: 'approved' | 'refused'; userId: number; comment: string | null; reversalId: number | null },
): Promise<void> {
  await q.query(
    `UPDATE ledger_correction_requests SET status = $2, decided_by = $3, decided_at = now(), decision_comment = $4, reversal_id = $5
      WHERE id = $1 AND status = 'pending'`,
    [id, d.status, d.userId, d.comment, d.reversalId],
  );
}

/** The teacher's sign-in accounts (to tell them about a correction of their hours). */
export async function usersOfTeacher(q: Queryable, teacherId: number): Promise<number[]> {
  return (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1 AND active', [teacherId])).rows.map((r) => r.id);
}
