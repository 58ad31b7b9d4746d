import type { Queryable } from '../../db/db.js';
import type { ExpertListQuery } from './experts.schema.js';

// The expert pool is regional: a caller sees the experts of every pool in their scope (subtree) and of
// the pools above their own org (a county uses the city's experts), and edits only those of their own subtree.

export interface ExpertRow {
  id: number;
  org_id: number;
  org_name: string;
  name: string;
  affiliation: string;
  title: string | null;
  fields: string[];
  level: string;
  phone_enc: string | null;
  phone_mask: string | null;
  status: 'active' | 'inactive';
  version: number;
  project_count: number;
  editable: boolean;
  account_username: string | null;
}

export interface ExpertColumns {
  name: string;
  affiliation: string;
  title: string | null;
  fields: string[];
  level: string;
  phone_enc: string | null;
  phone_idx: string | null;
  phone_mask: string | null;
  status: string;
}

/** The caller's two paths: $1 scope (subtree they see), $2 own org (pools above it are visible, editing is below it). */
const VISIBLE = `(o.path LIKE $1 || '%' OR $2 LIKE o.path || '%')`;

const SELECT = `SELECT e.id, e.org_id, o.name AS org_name, e.name, e.affiliation, e.title, e.fields, e.level, e.phone_enc, e.phone_mask,
    e.status, e.version, (SELECT count(*)::int FROM project_experts pe WHERE pe.expert_id = e.id) AS project_count,
    (o.path LIKE $2 || '%') AS editable, au.username AS account_username
  FROM experts e JOIN orgs o ON o.id = e.org_id LEFT JOIN users au ON au.id = e.user_id`;

export async function listExperts(q: Queryable, scopePath: string, orgPath: string, f: ExpertListQuery): Promise<{ rows: ExpertRow[]; total: number }> {
  const params: unknown[] = [scopePath, orgPath];
  const conds = [VISIBLE];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(sql(params.length));
  };
  if (f.level) add((n) => `e.level = $${n}`, f.level);
  if (f.status) add((n) => `e.status = $${n}`, f.status);
  if (f.field) add((n) => `$${n} = ANY(e.fields)`, f.field);
  if (f.q) add((n) => `(e.name LIKE $${n} OR e.affiliation LIKE $${n})`, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const where = conds.join(' AND ');
  const total = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM experts e JOIN orgs o ON o.id = e.org_id WHERE ${where}`, params)).rows[0].n;
  const rows = (
    await q.query<ExpertRow>(
      `${SELECT} WHERE ${where} ORDER BY e.status, array_position(ARRAY['national','province','city','county'], e.level), e.name, e.id
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      params,
    )
  ).rows;
  return { rows, total };
}

export async function findExpert(q: Queryable, scopePath: string, orgPath: string, id: number): Promise<ExpertRow | null> {
  return (await q.query<ExpertRow>(`${SELECT} WHERE e.id = $3 AND ${VISIBLE}`, [scopePath, orgPath, id])).rows[0] ?? null;
}

/** Visible experts among ids, with their status (for assignment). */
export async function visibleExperts(q: Queryable, scopePath: string, orgPath: string, ids: number[]): Promise<{ id: number; name: string; status: string }[]> {
  return (
    await q.query<{ id: number; name: string; status: string }>(
      `SELECT e.id, e.name, e.status FROM experts e JOIN orgs o ON o.id = e.org_id WHERE e.id = ANY($3::int[]) AND ${VISIBLE}`,
      [scopePath, orgPath, ids],
    )
  ).rows;
}

export async function insertExpert(q: Queryable, orgId: number, c: ExpertColumns, userId: number): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO experts (org_id, name, affiliation, title, fields, level, phone_enc, phone_idx, phone_mask, status, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
    [orgId, c.name, c.affiliation, c.title, c.fields, c.level, c.phone_enc, c.phone_idx, c.phone_mask, c.status, userId],
  );
  return r.rows[0].id;
}

/** Optimistic update: false when the version moved on (someone else saved first). */
export async function updateExpert(q: Queryable, id: number, version: number, c: ExpertColumns): Promise<boolean> {
  const r = await q.query(
    `UPDATE experts SET name = $3, affiliation = $4, title = $5, fields = $6, level = $7, phone_enc = $8, phone_idx = $9, phone_mask = $10,
            status = $11, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2`,
    [id, version, c.name, c.affiliation, c.title, c.fields, c.level, c.phone_enc, c.phone_idx, c.phone_mask, c.status],
  );
  return r.rowCount > 0;
}

export async function deleteExpert(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM experts WHERE id = $1', [id]);
}

export async function phoneIdxOf(q: Queryable, id: number): Promise<string | null> {
  return (await q.query<{ phone_idx: string | null }>('SELECT phone_idx FROM experts WHERE id = $1', [id])).rows[0]?.phone_idx ?? null;
}

/** Another expert of the same pool with this phone (duplicate entry). */
export async function findByPhone(q: Queryable, orgId: number, phoneIdx: string): Promise<number | null> {
  return (await q.query<{ id: number }>('SELECT id FROM experts WHERE org_id = $1 AND phone_idx = $2 LIMIT 1', [orgId, phoneIdx])).rows[0]?.id ?? null;
}

export interface ProjectExpertRow {
  expert_id: number;
  name: string;
  affiliation: string;
  title: string | null;
  level: string;
  fields: string[];
  status: string;
  assigned_at: Date;
  criteria: Record<string, number> | null;
  total: number | null;
  comment: string | null;
  recorded_by_name: string | null;
  recorded_at: Date | null;
  /** The score was submitted by the expert's own account (else an admin entered it: 代录). */
  by_expert: boolean | null;
}

export async function listProjectExperts(q: Queryable, projectId: number): Promise<ProjectExpertRow[]> {
  return (
    await q.query<ProjectExpertRow>(
      `SELECT e.id AS expert_id, e.name, e.affiliation, e.title, e.level, e.fields, e.status, pe.assigned_at,
              s.criteria, s.total, s.comment, u.display_name AS recorded_by_name, s.recorded_at,
              (s.recorded_by = e.user_id) AS by_expert
         FROM project_experts pe JOIN experts e ON e.id = pe.expert_id
         LEFT JOIN expert_scores s ON s.project_id = pe.project_id AND s.expert_id = pe.expert_id
         LEFT JOIN users u ON u.id = s.recorded_by
        WHERE pe.project_id = $1 ORDER BY pe.assigned_at, e.id`,
      [projectId],
    )
  ).rows;
}

export async function insertAssignments(q: Queryable, projectId: number, expertIds: number[], userId: number): Promise<number[]> {
  if (!expertIds.length) return [];
  return (
    await q.query<{ expert_id: number }>(
      `INSERT INTO project_experts (project_id, expert_id, assigned_by) SELECT $1, unnest($2::int[]), $3 ON CONFLICT DO NOTHING RETURNING expert_id`,
      [projectId, expertIds, userId],
    )
  ).rows.map((r) => r.expert_id);
}

export async function isAssigned(q: Queryable, projectId: number, expertId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM project_experts WHERE project_id = $1 AND expert_id = $2 FOR UPDATE', [projectId, expertId])).rows.length > 0;
}

export async function hasScore(q: Queryable, projectId: number, expertId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM expert_scores WHERE project_id = $1 AND expert_id = $2', [projectId, expertId])).rows.length > 0;
}

export async function deleteAssignment(q: Queryable, projectId: number, expertId: number): Promise<void> {
  await q.query('DELETE FROM project_experts WHERE project_id = $1 AND expert_id = $2', [projectId, expertId]);
}

/** Record or replace an expert's score of a project. */
export async function upsertScore(
  q: Queryable,
  projectId: number,
  expertId: number,
  criteria: Record<string, number>,
  total: number,
  comment: string,
  userId: number,
): Promise<void> {
  await q.query(
    `INSERT INTO expert_scores (project_id, expert_id, criteria, total, comment, recorded_by) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (project_id, expert_id) DO UPDATE SET criteria = EXCLUDED.criteria, total = EXCLUDED.total, comment = EXCLUDED.comment,
       recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
    [projectId, expertId, JSON.stringify(criteria), total, comment, userId],
  );
}

// ---------------------------------------------------------------- expert accounts (评审专家 login)

/** Link (or, with null, unlink) a user account to an expert of the pool. */
export async function setExpertUser(q: Queryable, expertId: number, userId: number | null): Promise<void> {
  await q.query('UPDATE experts SET user_id = $2, version = version + 1, updated_at = now() WHERE id = $1', [expertId, userId]);
}

export interface AccountCandidate {
  id: number;
  role: string;
  active: boolean;
  visible: boolean;
}

/** A user by username, and whether its org is visible to the caller the way pools are ($1 scope, $2 own org). */
export async function findAccount(q: Queryable, scopePath: string, orgPath: string, username: string): Promise<AccountCandidate | null> {
  return (
    (
      await q.query<AccountCandidate>(
        `SELECT u.id, r.role, u.active, ${VISIBLE} AS visible FROM users u
         JOIN LATERAL (SELECT role, org_id FROM user_roles WHERE user_id = u.id ORDER BY (role = 'expert') DESC, revoked_at IS NULL DESC, id LIMIT 1) r ON true
         JOIN orgs o ON o.id = r.org_id WHERE u.username = $3`,
        [scopePath, orgPath, username],
      )
    ).rows[0] ?? null
  );
}

export async function usernameTaken(q: Queryable, username: string): Promise<boolean> {
  // Usernames are unique whatever their case (users_username_lower_idx).
  return (await q.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [username])).rows.length > 0;
}

/** Project statuses in which the expert evaluation is open: the training has run and is not yet 已评估. */
export const REVIEW_OPEN_STATUSES = ['running', 'recognitionPending', 'closed'];

export interface ReviewRow {
  project_id: number;
  expert_id: number;
  code: string;
  name: string;
  status: string;
  level: string;
  form: string;
  categories: string[];
  target_hours: number;
  start_date: string | null;
  end_date: string | null;
  org_name: string;
  plan: { title: string; hours: number; category: string }[];
  session_count: number;
  enrolled: number;
  attended: number;
  assigned_at: Date;
  criteria: Record<string, number> | null;
  total: number | null;
  comment: string | null;
  recorded_at: Date | null;
  by_expert: boolean | null;
}

/**
 * The projects the user reviews: scoped by the user's assignments (active experts linked to the user: a
 * 停用 expert reviews nothing), never by org.
 * With projectId, that one project only. One row per project (the lowest linked expert when two are assigned).
 */
export async function listReviews(q: Queryable, userId: number, projectId?: number): Promise<ReviewRow[]> {
  return (
    await q.query<ReviewRow>(
      `SELECT DISTINCT ON (p.id) p.id AS project_id, e.id AS expert_id, p.code, p.name, p.status, p.level, p.form, p.categories, p.target_hours,
              p.start_date, p.end_date, o.name AS org_name, p.plan,
              (SELECT count(*)::int FROM project_sessions ps WHERE ps.project_id = p.id) AS session_count,
              (SELECT count(*)::int FROM enrolments en WHERE en.project_id = p.id AND en.status = 'approved') AS enrolled,
              (SELECT count(*)::int FROM attendance a JOIN project_sessions ps ON ps.id = a.session_id WHERE ps.project_id = p.id) AS attended,
              pe.assigned_at, s.criteria, s.total, s.comment, s.recorded_at, (s.recorded_by = e.user_id) AS by_expert
         FROM experts e
         JOIN project_experts pe ON pe.expert_id = e.id
         JOIN projects p ON p.id = pe.project_id
         JOIN orgs o ON o.id = p.org_id
         LEFT JOIN expert_scores s ON s.project_id = pe.project_id AND s.expert_id = pe.expert_id
        WHERE e.user_id = $1 AND e.status = 'active' AND ($2::int IS NULL OR p.id = $2)
        ORDER BY p.id, e.id`,
      [userId, projectId ?? null],
    )
  ).rows;
}

/** The project's status, locked against a concurrent 完成绩效评估 while a score is written. */
export async function lockProjectStatus(q: Queryable, projectId: number): Promise<string | null> {
  return (await q.query<{ status: string }>('SELECT status FROM projects WHERE id = $1 FOR SHARE', [projectId])).rows[0]?.status ?? null;
}
