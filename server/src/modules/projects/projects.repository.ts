import type { Queryable } from '../../db/db.js';
import type { Audience, PlanModule, ProjectStatus } from './lifecycle.js';
import type { ProjectListQuery } from './projects.schema.js';

// Projects are scoped by their owner org: `o.path LIKE orgPath || '%'` (the caller's own subtree).

export interface ProjectRow {
  id: number;
  code: string;
  name: string;
  level: string;
  form: string;
  categories: string[];
  target_hours: number;
  start_date: string | null;
  end_date: string | null;
  status: ProjectStatus;
  org_id: number;
  org_name: string;
  org_path: string;
  /** The subtree whose teachers the project is for: the owner's, or for an institution/centre the region it serves. */
  region_path: string;
  audience: Audience;
  capacity: number | null;
  budget: number | null;
  plan: PlanModule[];
  self_enrol: boolean;
  outbound: boolean;
  approval_chain: number[];
  approval_step: number;
  pending_org_id: number | null;
  pending_org_name: string | null;
  filing_no: string | null;
  filed_at: Date | null;
  created_by: number | null;
  session_count: number;
  enrolled_count: number;
  pending_count: number;
  created_at: Date;
  /** 培训目标 and 报名截止日期 (issue 11 item 9): shown to teachers before they enrol. */
  aims: string | null;
  enrol_deadline: string | null;
}

const REGION_PATH = `CASE WHEN o.kind IN ('institution','devCenter','researchOffice') THEN COALESCE(par.path, o.path) ELSE o.path END`;

const PROJECT_SELECT = `SELECT p.id, p.code, p.name, p.level, p.form, p.categories, p.target_hours, p.start_date, p.end_date,
    p.status, p.org_id, o.name AS org_name, o.path AS org_path, ${REGION_PATH} AS region_path, p.created_at,
    p.audience, p.capacity, p.budget, p.plan, p.self_enrol, p.outbound, p.approval_chain, p.approval_step,
    p.pending_org_id, po.name AS pending_org_name, p.filing_no, p.filed_at, p.created_by, p.aims, p.enrol_deadline,
    (SELECT count(*)::int FROM project_sessions s WHERE s.project_id = p.id) AS session_count,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = p.id AND e.status = 'approved') AS enrolled_count,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = p.id AND e.status = 'pending') AS pending_count
  FROM projects p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs par ON par.id = o.parent_id LEFT JOIN orgs po ON po.id = p.pending_org_id`;

/**
 * A project some teacher under teacherPath is enrolled in (approved or awaiting the school's decision):
 * a school reads the projects its own teachers attend ($n is the parameter holding teacherPath).
 */
const attendedBy = (n: number) => `EXISTS (SELECT 1 FROM enrolments ae JOIN teachers at ON at.id = ae.teacher_id JOIN orgs ao ON ao.id = at.org_id
    WHERE ae.project_id = p.id AND ae.status IN ('approved','pending') AND ao.path LIKE $${n} || '%')`;

/** Projects owned under orgPath or, with attendeePath, attended by teachers under it; filtered and paged. */
export async function listProjects(
  q: Queryable,
  orgPath: string,
  f: ProjectListQuery,
  attendeePath: string | null = null,
): Promise<{ rows: ProjectRow[]; total: number }> {
  const params: unknown[] = [orgPath];
  const conds = [`o.path LIKE $1 || '%'`];
  if (attendeePath) {
    params.push(attendeePath);
    conds[0] = `(${conds[0]} OR ${attendedBy(2)})`;
  }
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(sql(params.length));
  };
  if (f.status) add((n) => `p.status = $${n}`, f.status);
  // Deleted drafts stay (with their history) but leave the list unless asked for.
  else conds.push(`p.status <> 'deleted'`);
  if (f.year)
    add(
      (n) => `COALESCE(p.start_date, p.created_at::date) < make_date($${n}::int + 1, 1, 1)
          AND COALESCE(p.end_date, p.start_date, p.created_at::date) >= make_date($${n}::int, 1, 1)`,
      f.year,
    );
  if (f.q) add((n) => `(p.name LIKE $${n} OR p.code LIKE $${n})`, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const where = conds.join(' AND ');
  const total = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM projects p JOIN orgs o ON o.id = p.org_id WHERE ${where}`, params)).rows[0].n;
  const rows = (
    await q.query<ProjectRow>(
      `${PROJECT_SELECT} WHERE ${where} ORDER BY p.start_date DESC NULLS LAST, p.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      params,
    )
  ).rows;
  return { rows, total };
}

export async function findProject(q: Queryable, orgPath: string, id: number): Promise<ProjectRow | null> {
  return (await q.query<ProjectRow>(`${PROJECT_SELECT} WHERE p.id = $1 AND o.path LIKE $2 || '%'`, [id, orgPath])).rows[0] ?? null;
}

/** The project if a teacher under teacherPath is enrolled in it (a school reading its teachers' projects). */
export async function findProjectAttendedBy(q: Queryable, teacherPath: string, id: number): Promise<ProjectRow | null> {
  return (await q.query<ProjectRow>(`${PROJECT_SELECT} WHERE p.id = $1 AND ${attendedBy(2)}`, [id, teacherPath])).rows[0] ?? null;
}

/** How many teachers under teacherPath are enrolled (approved) and awaiting a decision (pending). */
export async function countEnrolledUnder(q: Queryable, projectId: number, teacherPath: string): Promise<{ approved: number; pending: number }> {
  const r = await q.query<{ approved: number; pending: number }>(
    `SELECT count(*) FILTER (WHERE e.status = 'approved')::int AS approved, count(*) FILTER (WHERE e.status = 'pending')::int AS pending
       FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
      WHERE e.project_id = $1 AND o.path LIKE $2 || '%'`,
    [projectId, teacherPath],
  );
  return r.rows[0];
}

/** The project if the org holds a quota for it (a county or school nominating trainees). */
export async function findProjectForQuotaHolder(q: Queryable, orgId: number, id: number): Promise<ProjectRow | null> {
  return (
    (
      await q.query<ProjectRow>(
        `${PROJECT_SELECT} WHERE p.id = $1 AND EXISTS (SELECT 1 FROM project_quotas pq WHERE pq.project_id = p.id AND pq.org_id = $2)`,
        [id, orgId],
      )
    ).rows[0] ?? null
  );
}

/** The project if its region contains the org at orgPath (a teacher, a school admin approving a self-enrolment). */
export async function findProjectServing(q: Queryable, orgPath: string, id: number): Promise<ProjectRow | null> {
  return (await q.query<ProjectRow>(`${PROJECT_SELECT} WHERE p.id = $1 AND $2 LIKE ${REGION_PATH} || '%'`, [id, orgPath])).rows[0] ?? null;
}

/** Projects in the given states whose region contains orgPath (the teacher's 可报名项目 and surveys). */
export async function projectsServing(q: Queryable, orgPath: string, statuses: string[], extra = 'true'): Promise<ProjectRow[]> {
  return (
    await q.query<ProjectRow>(
      `${PROJECT_SELECT} WHERE p.status = ANY($2::text[]) AND $1 LIKE ${REGION_PATH} || '%' AND ${extra}
        ORDER BY p.start_date NULLS LAST, p.id LIMIT 200`,
      [orgPath, statuses],
    )
  ).rows;
}

/** Projects waiting for the org's decision (approval, filing, plan review): the 待我审批 inbox. */
export async function projectsPendingAt(q: Queryable, orgId: number): Promise<ProjectRow[]> {
  return (await q.query<ProjectRow>(`${PROJECT_SELECT} WHERE p.pending_org_id = $1 ORDER BY p.id LIMIT 500`, [orgId])).rows;
}

/** Projects the org holds a quota for, in the given states (the nomination list). */
export async function projectsWithQuota(q: Queryable, orgId: number, statuses: string[]): Promise<(ProjectRow & { quota: number })[]> {
  return (
    await q.query<ProjectRow & { quota: number }>(
      `SELECT x.*, pq.quota FROM (${PROJECT_SELECT} WHERE p.status = ANY($2::text[])) x
         JOIN project_quotas pq ON pq.project_id = x.id AND pq.org_id = $1
        ORDER BY x.start_date NULLS LAST, x.id LIMIT 500`,
      [orgId, statuses],
    )
  ).rows;
}

/**
 * Lock the project row for the rest of the transaction and return its status (null: not in scope).
 * 'update' (close, unenrol, transitions) excludes everything; 'noKeyUpdate' (enrolment changes) excludes
 * itself and 'update' but not 'keyShare' (check-in, marking), so check-ins never wait for each other or
 * for an enrolment, while attendance cannot change during hour recognition.
 */
export async function lockProject(
  q: Queryable,
  orgPath: string,
  id: number,
  mode: 'update' | 'noKeyUpdate' | 'keyShare',
): Promise<{ status: ProjectStatus; name: string } | null> {
  const lock = mode === 'update' ? 'UPDATE' : mode === 'noKeyUpdate' ? 'NO KEY UPDATE' : 'KEY SHARE';
  const r = await q.query<{ status: ProjectStatus; name: string }>(
    `SELECT p.status, p.name FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1 AND o.path LIKE $2 || '%'
      FOR ${lock} OF p`,
    [id, orgPath],
  );
  return r.rows[0] ?? null;
}

export interface ProjectColumns {
  org_id: number;
  name: string;
  level: string;
  form: string;
  categories: string[];
  target_hours: number;
  start_date: string;
  end_date: string;
  created_by: number;
  audience: Audience;
  capacity: number;
  budget: number;
  plan: PlanModule[];
  self_enrol: boolean;
  outbound: boolean;
}

type EditableColumns = Omit<ProjectColumns, 'org_id' | 'created_by'>;

/** The proposal's editable columns as query values, in the order both statements below list them. */
const editableValues = (c: EditableColumns) => [
  c.name,
  c.level,
  c.form,
  c.categories,
  c.target_hours,
  c.start_date,
  c.end_date,
  JSON.stringify(c.audience),
  c.capacity,
  c.budget,
  JSON.stringify(c.plan),
  c.self_enrol,
  c.outbound,
];

/** Insert a draft with a readable code built from the start year and the id, e.g. P2026-000123. */
export async function insertProject(q: Queryable, c: ProjectColumns): Promise<number> {
  const r = await q.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('projects', 'id'))::int AS id)
     INSERT INTO projects (id, code, org_id, created_by, status,
                           name, level, form, categories, target_hours, start_date, end_date, audience, capacity, budget, plan, self_enrol, outbound)
     SELECT n.id, 'P' || $1 || '-' || lpad(n.id::text, 6, '0'), $2, $3, 'draft',
            $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 FROM n
     RETURNING id`,
    [c.start_date.slice(0, 4), c.org_id, c.created_by, ...editableValues(c)],
  );
  return r.rows[0].id;
}

/** Overwrite the proposal's editable fields (the code keeps its original year). */
export async function updateProposal(q: Queryable, id: number, c: EditableColumns): Promise<void> {
  await q.query(
    `UPDATE projects SET name = $2, level = $3, form = $4, categories = $5, target_hours = $6, start_date = $7, end_date = $8,
            audience = $9, capacity = $10, budget = $11, plan = $12, self_enrol = $13, outbound = $14
      WHERE id = $1`,
    [id, ...editableValues(c)],
  );
}

/** 培训目标 and 报名截止日期, saved with the proposal (issue 11 item 9). */
export async function setProjectBrief(q: Queryable, id: number, aims: string | null, enrolDeadline: string | null): Promise<void> {
  await q.query('UPDATE projects SET aims = $2, enrol_deadline = $3 WHERE id = $1', [id, aims, enrolDeadline]);
}

/** Move the project to a state; chain/step/pending org/filing fields only when given. */
export async function setStatus(
  q: Queryable,
  id: number,
  status: ProjectStatus,
  f: { chain?: number[]; step?: number; pendingOrgId?: number | null; filingNo?: string } = {},
): Promise<void> {
  await q.query(
    `UPDATE projects SET status = $2,
            approval_chain = COALESCE($3::int[], approval_chain),
            approval_step = COALESCE($4::int, approval_step),
            pending_org_id = CASE WHEN $5::boolean THEN $6::int ELSE pending_org_id END,
            filing_no = COALESCE($7, filing_no),
            filed_at = CASE WHEN $7::text IS NOT NULL THEN now() ELSE filed_at END
      WHERE id = $1`,
    [id, status, f.chain ?? null, f.step ?? null, f.pendingOrgId !== undefined, f.pendingOrgId ?? null, f.filingNo ?? null],
  );
}

// The module's other tables, one file each; services read them all as `repo` through this file.
export * from './my-projects.repository.js';
export * from './recognition.repository.js';
export * from './sessions.repository.js';
export * from './workflow.repository.js';
