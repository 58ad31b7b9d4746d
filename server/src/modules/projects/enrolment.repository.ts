import type { Queryable } from '../../db/db.js';
import type { EnrolmentStatus } from './lifecycle.js';
import { SQL_TODAY_IN_CHINA } from '../../platform/china-time.js';

// Teachers are scoped by their school: `o.path LIKE scopePath || '%'`. Only status 'approved' counts as enrolled.

export interface EnrolmentRecord {
  project_id: number;
  teacher_id: number;
  status: EnrolmentStatus;
  source: 'organiser' | 'nomination' | 'self';
  quota_org_id: number | null;
}

/** The enrolment row, locked for the rest of the transaction. */
export async function lockEnrolment(q: Queryable, projectId: number, teacherId: number): Promise<EnrolmentRecord | null> {
  return (
    (
      await q.query<EnrolmentRecord>(
        'SELECT project_id, teacher_id, status, source, quota_org_id FROM enrolments WHERE project_id = $1 AND teacher_id = $2 FOR UPDATE',
        [projectId, teacherId],
      )
    ).rows[0] ?? null
  );
}

/** Existing enrolment rows of these teachers in the project (any status), locked. */
export async function lockEnrolments(q: Queryable, projectId: number, teacherIds: number[]): Promise<Map<number, EnrolmentRecord>> {
  if (!teacherIds.length) return new Map();
  const r = await q.query<EnrolmentRecord>(
    'SELECT project_id, teacher_id, status, source, quota_org_id FROM enrolments WHERE project_id = $1 AND teacher_id = ANY($2::int[]) FOR UPDATE',
    [projectId, teacherIds],
  );
  return new Map(r.rows.map((e) => [e.teacher_id, e]));
}

export interface EnrolmentWrite {
  projectId: number;
  teacherId: number;
  status: EnrolmentStatus;
  source: EnrolmentRecord['source'];
  quotaOrgId: number | null;
  userId: number;
  replacesTeacherId?: number | null;
}

/** Create the enrolment or restart a finished one (withdrawn, rejected, replaced): the caller checked the transition. */
export async function upsertEnrolment(q: Queryable, w: EnrolmentWrite): Promise<void> {
  await q.query(
    `INSERT INTO enrolments (project_id, teacher_id, status, source, quota_org_id, enrolled_by, replaces_teacher_id,
                             decided_by, decided_at)
     VALUES ($1::int, $2::int, $3::text, $4::text, $5::int, $6::int, $7::int, CASE WHEN $3::text = 'approved' THEN $6::int END, CASE WHEN $3::text = 'approved' THEN now() END)
     ON CONFLICT (project_id, teacher_id) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source,
       quota_org_id = EXCLUDED.quota_org_id, enrolled_by = EXCLUDED.enrolled_by, enrolled_at = now(),
       replaces_teacher_id = EXCLUDED.replaces_teacher_id, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at, reason = NULL`,
    [w.projectId, w.teacherId, w.status, w.source, w.quotaOrgId, w.userId, w.replacesTeacherId ?? null],
  );
}

export async function setEnrolmentStatus(
  q: Queryable,
  projectId: number,
  teacherId: number,
  status: EnrolmentStatus,
  userId: number,
  reason: string | null,
): Promise<void> {
  await q.query('UPDATE enrolments SET status = $3, decided_by = $4, decided_at = now(), reason = $5 WHERE project_id = $1 AND teacher_id = $2', [
    projectId,
    teacherId,
    status,
    userId,
    reason,
  ]);
}

export interface EnrolmentHistoryInput {
  projectId: number;
  teacherId: number;
  userId: number;
  action: string;
  from: string | null;
  to: string;
  reason?: string | null;
  otherTeacherId?: number | null;
}

export async function insertEnrolmentHistory(q: Queryable, rows: EnrolmentHistoryInput[]): Promise<void> {
  if (!rows.length) return;
  await q.query(
    `INSERT INTO enrolment_history (project_id, teacher_id, user_id, action, from_status, to_status, reason, other_teacher_id)
     SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])`,
    [
      rows.map((r) => r.projectId),
      rows.map((r) => r.teacherId),
      rows.map((r) => r.userId),
      rows.map((r) => r.action),
      rows.map((r) => r.from),
      rows.map((r) => r.to),
      rows.map((r) => r.reason ?? null),
      rows.map((r) => r.otherTeacherId ?? null),
    ],
  );
}

export interface EnrolmentHistoryRow {
  id: number;
  at: Date;
  teacher_id: number;
  teacher_name: string;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  other_teacher_id: number | null;
  other_teacher_name: string | null;
  user_name: string | null;
}

/** The enrolment log of a project, optionally limited to teachers inside scopePath. */
export async function listEnrolmentHistory(q: Queryable, projectId: number, scopePath: string): Promise<EnrolmentHistoryRow[]> {
  return (
    await q.query<EnrolmentHistoryRow>(
      `SELECT h.id, h.at, h.teacher_id, t.name AS teacher_name, h.action, h.from_status, h.to_status, h.reason,
              h.other_teacher_id, ot.name AS other_teacher_name, u.display_name AS user_name
         FROM enrolment_history h JOIN teachers t ON t.id = h.teacher_id JOIN orgs o ON o.id = t.org_id
         LEFT JOIN teachers ot ON ot.id = h.other_teacher_id LEFT JOIN users u ON u.id = h.user_id
        WHERE h.project_id = $1 AND o.path LIKE $2 || '%'
        ORDER BY h.at DESC, h.id DESC LIMIT 1000`,
      [projectId, scopePath],
    )
  ).rows;
}

/** Enrolments that take a seat: approved and pending. */
export async function countSeats(q: Queryable, projectId: number): Promise<number> {
  return (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM enrolments WHERE project_id = $1 AND status IN ('approved','pending')`, [projectId]))
    .rows[0].n;
}

export interface EnrolmentListRow {
  teacher_id: number;
  name: string;
  org_name: string;
  national_id_mask: string;
  stage: string;
  status: EnrolmentStatus;
  source: string;
  reason: string | null;
  quota_org_name: string | null;
  enrolled_at: Date;
  attended_sessions: number;
}

export async function listEnrolments(
  q: Queryable,
  projectId: number,
  status: EnrolmentStatus,
  page: number,
  pageSize: number,
  teacherPath = '/',
): Promise<{ rows: EnrolmentListRow[]; total: number }> {
  // teacherPath: a school reading its teachers' project sees its own teachers only ('/' = everyone).
  const total = (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE e.project_id = $1 AND e.status = $2 AND o.path LIKE $3 || '%'`,
      [projectId, status, teacherPath],
    )
  ).rows[0].n;
  const rows = (
    await q.query<EnrolmentListRow>(
      `SELECT t.id AS teacher_id, t.name, o.name AS org_name, t.national_id_mask, t.stage, e.status, e.source, e.reason,
              qo.name AS quota_org_name, e.enrolled_at,
              (SELECT count(*)::int FROM attendance a JOIN project_sessions s ON s.id = a.session_id
                WHERE s.project_id = e.project_id AND a.teacher_id = e.teacher_id) AS attended_sessions
         FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
         LEFT JOIN orgs qo ON qo.id = e.quota_org_id
        WHERE e.project_id = $1 AND e.status = $2 AND o.path LIKE $3 || '%'
        ORDER BY o.path, t.name, t.id
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      [projectId, status, teacherPath],
    )
  ).rows;
  return { rows, total };
}

export interface TeacherFactsRow {
  id: number;
  name: string;
  status: string;
  stage: string;
  subjects: string[];
  title: string | null;
  roles: string[];
  org_id: number;
  org_name: string;
  org_path: string;
}

const FACTS_SELECT = `SELECT t.id, t.name, t.status, t.stage, t.subjects, t.title, t.org_id, o.name AS org_name, o.path AS org_path,
    ARRAY(SELECT r.role FROM teacher_roles r WHERE r.teacher_id = t.id AND (r.until IS NULL OR r.until >= ${SQL_TODAY_IN_CHINA}) ORDER BY r.role) AS roles
  FROM teachers t JOIN orgs o ON o.id = t.org_id`;

/** Eligibility facts of the given teachers that exist inside scopePath. */
export async function teacherFacts(q: Queryable, scopePath: string, ids: number[]): Promise<Map<number, TeacherFactsRow>> {
  if (!ids.length) return new Map();
  const r = await q.query<TeacherFactsRow>(`${FACTS_SELECT} WHERE t.id = ANY($1::int[]) AND o.path LIKE $2 || '%'`, [ids, scopePath]);
  return new Map(r.rows.map((t) => [t.id, t]));
}

export interface CandidateRow extends TeacherFactsRow {
  national_id_mask: string;
  enrolment_status: EnrolmentStatus | null;
  projects: number;
  days: number;
}

/**
 * Active teachers inside scopePath with their training load in the year: confirmed enrolments in other
 * projects running that year, and distinct training days (session dates) of those projects.
 */
export interface CandidateFilter {
  /** A school (or any org) inside the scope: its subtree only. */
  orgId?: number;
  stage?: string;
  subject?: string;
}

export async function candidates(
  q: Queryable,
  scopePath: string,
  projectId: number,
  year: number,
  name: string | undefined,
  f: CandidateFilter = {},
): Promise<CandidateRow[]> {
  return (
    await q.query<CandidateRow>(
      `SELECT x.*, t2.national_id_mask, e.status AS enrolment_status,
              (SELECT count(*)::int FROM enrolments e2 JOIN projects p ON p.id = e2.project_id
                WHERE e2.teacher_id = x.id AND e2.status = 'approved' AND e2.project_id <> $2
                  AND COALESCE(p.start_date, p.created_at::date) < make_date($3::int + 1, 1, 1)
                  AND COALESCE(p.end_date, p.start_date, p.created_at::date) >= make_date($3::int, 1, 1)) AS projects,
              (SELECT count(DISTINCT s.date)::int FROM enrolments e2 JOIN project_sessions s ON s.project_id = e2.project_id
                WHERE e2.teacher_id = x.id AND e2.status = 'approved' AND e2.project_id <> $2
                  AND s.date >= make_date($3::int, 1, 1) AND s.date < make_date($3::int + 1, 1, 1)) AS days
         FROM (${FACTS_SELECT} WHERE o.path LIKE $1 || '%' AND t.status = 'active') x
         JOIN teachers t2 ON t2.id = x.id
         LEFT JOIN enrolments e ON e.project_id = $2 AND e.teacher_id = x.id
        WHERE ($4::text IS NULL OR x.name LIKE $4)
          AND ($5::int IS NULL OR x.org_path LIKE (SELECT path FROM orgs WHERE id = $5) || '%')
          AND ($6::text IS NULL OR x.stage = $6)
          AND ($7::text IS NULL OR $7 = ANY(x.subjects))
        ORDER BY x.org_path, x.name, x.id
        LIMIT 3000`,
      [scopePath, projectId, year, name ? `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null, f.orgId ?? null, f.stage ?? null, f.subject ?? null],
    )
  ).rows;
}

export interface PendingRow {
  project_id: number;
  project_name: string;
  project_code: string;
  teacher_id: number;
  teacher_name: string;
  org_name: string;
  stage: string;
  enrolled_at: Date;
}

/** Self-enrolments waiting for a decision, of teachers inside scopePath. */
export async function pendingInScope(q: Queryable, scopePath: string): Promise<PendingRow[]> {
  return (
    await q.query<PendingRow>(
      `SELECT e.project_id, p.name AS project_name, p.code AS project_code, t.id AS teacher_id, t.name AS teacher_name,
              o.name AS org_name, t.stage, e.enrolled_at
         FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id JOIN projects p ON p.id = e.project_id
        WHERE e.status = 'pending' AND o.path LIKE $1 || '%'
        ORDER BY e.enrolled_at, e.project_id, t.id LIMIT 1000`,
      [scopePath],
    )
  ).rows;
}

/** The teacher's own enrolment status per project. */
export async function myEnrolmentStatuses(
  q: Queryable,
  teacherId: number,
  projectIds: number[],
): Promise<Map<number, { status: EnrolmentStatus; source: EnrolmentRecord['source'] }>> {
  if (!projectIds.length) return new Map();
  const r = await q.query<{ project_id: number; status: EnrolmentStatus; source: EnrolmentRecord['source'] }>(
    'SELECT project_id, status, source FROM enrolments WHERE teacher_id = $1 AND project_id = ANY($2::int[])',
    [teacherId, projectIds],
  );
  return new Map(r.rows.map((x) => [x.project_id, { status: x.status, source: x.source }]));
}

// ----------------------------------------------------------------- quotas

export interface QuotaRow {
  org_id: number;
  org_name: string;
  org_path: string;
  parent_org_id: number | null;
  quota: number;
  /** Nominations charged to the org (approved or pending) plus quotas it passed on to orgs below it. */
  used: number;
  nominated: number;
}

const QUOTA_SELECT = `SELECT pq.org_id, o.name AS org_name, o.path AS org_path, pq.parent_org_id, pq.quota,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = pq.project_id AND e.quota_org_id = pq.org_id AND e.status IN ('approved','pending')) AS nominated,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = pq.project_id AND e.quota_org_id = pq.org_id AND e.status IN ('approved','pending'))
      + COALESCE((SELECT sum(c.quota)::int FROM project_quotas c WHERE c.project_id = pq.project_id AND c.parent_org_id = pq.org_id), 0) AS used
  FROM project_quotas pq JOIN orgs o ON o.id = pq.org_id`;

export async function listQuotas(q: Queryable, projectId: number): Promise<QuotaRow[]> {
  return (await q.query<QuotaRow>(`${QUOTA_SELECT} WHERE pq.project_id = $1 ORDER BY o.path`, [projectId])).rows;
}

/** The org's quota row, locked so concurrent nominations against it run one after the other. */
export async function lockQuota(q: Queryable, projectId: number, orgId: number): Promise<QuotaRow | null> {
  await q.query('SELECT 1 FROM project_quotas WHERE project_id = $1 AND org_id = $2 FOR UPDATE', [projectId, orgId]);
  return (await q.query<QuotaRow>(`${QUOTA_SELECT} WHERE pq.project_id = $1 AND pq.org_id = $2`, [projectId, orgId])).rows[0] ?? null;
}

/** Orgs with these ids inside the subtree at path (excluding the org at exactly that path when strict). */
export async function orgsUnder(
  q: Queryable,
  path: string,
  ids: number[],
  strict: boolean,
): Promise<Map<number, { id: number; name: string; path: string; kind: string }>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ id: number; name: string; path: string; kind: string }>(
    `SELECT id, name, path, kind FROM orgs WHERE id = ANY($1::int[]) AND path LIKE $2 || '%' ${strict ? 'AND path <> $2' : ''}`,
    [ids, path],
  );
  return new Map(r.rows.map((o) => [o.id, o]));
}

/** Set the quotas allocated by one allocator (parent NULL: the organiser) to exactly `items`. */
export async function replaceQuotas(
  q: Queryable,
  projectId: number,
  parentOrgId: number | null,
  items: { orgId: number; quota: number }[],
  userId: number,
): Promise<void> {
  await q.query(`DELETE FROM project_quotas WHERE project_id = $1 AND parent_org_id IS NOT DISTINCT FROM $2 AND NOT (org_id = ANY($3::int[]))`, [
    projectId,
    parentOrgId,
    items.map((i) => i.orgId),
  ]);
  if (!items.length) return;
  await q.query(
    `INSERT INTO project_quotas (project_id, org_id, parent_org_id, quota, allocated_by)
     SELECT $1, o, $2, n, $3 FROM unnest($4::int[], $5::int[]) AS u(o, n)
     ON CONFLICT (project_id, org_id) DO UPDATE SET quota = EXCLUDED.quota, parent_org_id = EXCLUDED.parent_org_id,
       allocated_by = EXCLUDED.allocated_by, allocated_at = now()`,
    [projectId, parentOrgId, userId, items.map((i) => i.orgId), items.map((i) => i.quota)],
  );
}

/** Enrolments outside any quota that take a seat (organiser's own and self-enrolments). */
export async function countUnquotaSeats(q: Queryable, projectId: number): Promise<number> {
  return (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM enrolments WHERE project_id = $1 AND quota_org_id IS NULL AND status IN ('approved','pending')`,
      [projectId],
    )
  ).rows[0].n;
}
