import type { Queryable } from '../../db/db.js';
import type { ClaimStatus } from './claims.machine.js';

// Claims are scoped through their teacher's school: `o.path LIKE scopePath || '%'`.

export interface ClaimRow {
  id: number;
  teacher_id: number;
  teacher_name: string;
  org_id: number;
  org_name: string;
  org_path: string;
  title: string;
  category: string;
  hours: number;
  occurred_on: string;
  description: string;
  status: ClaimStatus;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
  file_count: number;
  /** Hours approved when fewer than claimed (null = as claimed). */
  approved_hours: number | null;
}

const SELECT = `SELECT c.id, c.teacher_id, t.name AS teacher_name, t.org_id, o.name AS org_name, o.path AS org_path,
    c.title, c.category, c.hours, c.occurred_on, c.description, c.status, c.created_at, c.updated_at, c.submitted_at, c.decided_at, c.approved_hours,
    (SELECT count(*)::int FROM hour_claim_files f WHERE f.claim_id = c.id) AS file_count
  FROM hour_claims c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id`;

export interface ClaimFilter {
  scopePath: string;
  /** Only this teacher's claims (the teacher's own view). */
  teacherId?: number;
  /** Leave out drafts: reviewers never see a claim before it is submitted. */
  excludeDrafts: boolean;
  statuses?: ClaimStatus[];
  q?: string;
}

function where(f: ClaimFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.scopePath];
  const conds = [`o.path LIKE $1 || '%'`];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(sql(params.length));
  };
  if (f.teacherId !== undefined) add((n) => `c.teacher_id = $${n}`, f.teacherId);
  if (f.excludeDrafts) conds.push(`c.status <> 'draft'`);
  if (f.statuses) add((n) => `c.status = ANY($${n}::text[])`, f.statuses);
  if (f.q) add((n) => `(t.name LIKE $${n} OR c.title LIKE $${n})`, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return { sql: conds.join(' AND '), params };
}

export async function listClaims(q: Queryable, f: ClaimFilter, page: number, pageSize: number): Promise<{ rows: ClaimRow[]; total: number }> {
  const w = where(f);
  const total = (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hour_claims c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id WHERE ${w.sql}`,
      w.params,
    )
  ).rows[0].n;
  const rows = (
    await q.query<ClaimRow>(
      `${SELECT} WHERE ${w.sql} ORDER BY COALESCE(c.submitted_at, c.created_at) DESC, c.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      w.params,
    )
  ).rows;
  return { rows, total };
}

/** The claims among ids whose teacher is in scope, locked for the rest of the transaction when `lock`. */
export async function findClaims(q: Queryable, scopePath: string, ids: number[], lock = false): Promise<ClaimRow[]> {
  if (!ids.length) return [];
  if (lock) {
    // Lock first (FOR UPDATE cannot sit beside the aggregate sub-select), then read.
    await q.query(
      `SELECT c.id FROM hour_claims c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE c.id = ANY($1::int[]) AND o.path LIKE $2 || '%' ORDER BY c.id FOR UPDATE OF c`,
      [ids, scopePath],
    );
  }
  return (await q.query<ClaimRow>(`${SELECT} WHERE c.id = ANY($1::int[]) AND o.path LIKE $2 || '%' ORDER BY c.id`, [ids, scopePath])).rows;
}

export interface ClaimColumns {
  title: string;
  category: string;
  hours: number;
  occurred_on: string;
  description: string;
}

export async function insertClaim(q: Queryable, teacherId: number, c: ClaimColumns, userId: number): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO hour_claims (teacher_id, title, category, hours, occurred_on, description, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [teacherId, c.title, c.category, c.hours, c.occurred_on, c.description, userId],
  );
  return r.rows[0].id;
}

export async function updateClaim(q: Queryable, id: number, c: ClaimColumns): Promise<void> {
  await q.query(`UPDATE hour_claims SET title = $2, category = $3, hours = $4, occurred_on = $5, description = $6, updated_at = now() WHERE id = $1`, [
    id,
    c.title,
    c.category,
    c.hours,
    c.occurred_on,
    c.description,
  ]);
}

export async function deleteClaim(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM hour_claims WHERE id = $1', [id]);
}

/**
 * Move a claim to `to`, but only from `from` (a concurrent change makes this a no-op: returns false).
 * approvedHours: a reviewer approved fewer hours than claimed; a returned claim starts again as claimed.
 */
export async function setStatus(q: Queryable, id: number, from: ClaimStatus, to: ClaimStatus, approvedHours: number | null = null): Promise<boolean> {
  const r = await q.query(
    `UPDATE hour_claims SET status = $3, updated_at = now(),
            submitted_at = CASE WHEN $3 = 'submitted' THEN now() ELSE submitted_at END,
            decided_at = CASE WHEN $3 IN ('countyApproved', 'rejected', 'withdrawn') THEN now() ELSE decided_at END,
            approved_hours = CASE WHEN $3 = 'returned' THEN NULL ELSE COALESCE($4::numeric, approved_hours) END
      WHERE id = $1 AND status = $2`,
    [id, from, to, approvedHours],
  );
  return r.rowCount === 1;
}

export async function insertEvent(
  q: Queryable,
  e: {
    claimId: number;
    userId: number;
    action: string;
    from: ClaimStatus | null;
    to: ClaimStatus;
    comment: string | null;
    /** The hours approved at this step when fewer than claimed. */
    hours?: number | null;
    /** The likely duplicates shown to the reviewer at this decision, and why it was approved anyway. */
    duplicates?: unknown[] | null;
    duplicateReason?: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO hour_claim_events (claim_id, user_id, action, from_status, to_status, comment, hours, duplicates, duplicate_reason)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [
      e.claimId,
      e.userId,
      e.action,
      e.from,
      e.to,
      e.comment,
      e.hours ?? null,
      e.duplicates?.length ? JSON.stringify(e.duplicates) : null,
      e.duplicateReason ?? null,
    ],
  );
}

export interface EventRow {
  id: number;
  at: Date;
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  user_name: string | null;
  hours: number | null;
  duplicates: unknown[] | null;
  duplicate_reason: string | null;
}

export async function listEvents(q: Queryable, claimId: number): Promise<EventRow[]> {
  return (
    await q.query<EventRow>(
      `SELECT e.id, e.at, e.action, e.from_status, e.to_status, e.comment, u.display_name AS user_name, e.hours, e.duplicates, e.duplicate_reason
         FROM hour_claim_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.claim_id = $1 ORDER BY e.at, e.id`,
      [claimId],
    )
  ).rows;
}

export async function claimFileIds(q: Queryable, claimId: number): Promise<number[]> {
  return (await q.query<{ file_id: number }>('SELECT file_id FROM hour_claim_files WHERE claim_id = $1 ORDER BY file_id', [claimId])).rows.map(
    (r) => r.file_id,
  );
}

export async function attachFile(q: Queryable, claimId: number, fileId: number): Promise<void> {
  await q.query('INSERT INTO hour_claim_files (claim_id, file_id) VALUES ($1,$2)', [claimId, fileId]);
}

export async function detachFile(q: Queryable, claimId: number, fileId: number): Promise<boolean> {
  return (await q.query('DELETE FROM hour_claim_files WHERE claim_id = $1 AND file_id = $2', [claimId, fileId])).rowCount === 1;
}

/** The login accounts of these teachers (to notify them). */
export async function usersOfTeachers(q: Queryable, teacherIds: number[]): Promise<{ id: number; teacher_id: number }[]> {
  if (!teacherIds.length) return [];
  return (await q.query<{ id: number; teacher_id: number }>('SELECT id, teacher_id FROM users WHERE active AND teacher_id = ANY($1::int[])', [teacherIds]))
    .rows;
}

/**
 * The bureau admins who review the county step for a school: those at the nearest bureau above it
 * (the county; the city when the school sits directly under a city).
 */
export async function countyReviewers(q: Queryable, schoolPath: string): Promise<number[]> {
  const r = await q.query<{ id: number; depth: number }>(
    `SELECT DISTINCT a.user_id AS id, length(o.path) AS depth FROM active_user_roles a JOIN orgs o ON o.id = a.org_id
      WHERE a.role = 'bureauAdmin' AND o.kind = 'bureau' AND $1 LIKE o.path || '%' AND o.path <> $1
      ORDER BY length(o.path) DESC`,
    [schoolPath],
  );
  const deepest = r.rows[0]?.depth;
  return r.rows.filter((x) => x.depth === deepest).map((x) => x.id);
}

/** Teacher with their school, if in scope (for a teacher: themself, scope '/'). */
export async function findTeacher(q: Queryable, scopePath: string, teacherId: number): Promise<{ id: number; org_id: number; status: string } | null> {
  const r = await q.query<{ id: number; org_id: number; status: string }>(
    `SELECT t.id, t.org_id, t.status FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
    [teacherId, scopePath],
  );
  return r.rows[0] ?? null;
}
