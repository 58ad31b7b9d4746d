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

/** Insert a draft with a readable code built from the start year and the id, e.g. P2026-000123. */
export async function insertProject(q: Queryable, c: ProjectColumns): Promise<number> {
  const r = await q.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('projects', 'id'))::int AS id)
     INSERT INTO projects (id, code, org_id, name, level, form, categories, target_hours, start_date, end_date, created_by,
                           status, audience, capacity, budget, plan, self_enrol, outbound)
     SELECT n.id, 'P' || $1 || '-' || lpad(n.id::text, 6, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10,
            'draft', $11, $12, $13, $14, $15, $16 FROM n
     RETURNING id`,
    [
      c.start_date.slice(0, 4),
      c.org_id,
      c.name,
      c.level,
      c.form,
      c.categories,
      c.target_hours,
      c.start_date,
      c.end_date,
      c.created_by,
      JSON.stringify(c.audience),
      c.capacity,
      c.budget,
      JSON.stringify(c.plan),
      c.self_enrol,
      c.outbound,
    ],
  );
  return r.rows[0].id;
}

/** Overwrite the proposal's editable fields (the code keeps its original year). */
export async function updateProposal(q: Queryable, id: number, c: Omit<ProjectColumns, 'org_id' | 'created_by'>): Promise<void> {
  await q.query(
    `UPDATE projects SET name = $2, level = $3, form = $4, categories = $5, target_hours = $6, start_date = $7, end_date = $8,
            audience = $9, capacity = $10, budget = $11, plan = $12, self_enrol = $13, outbound = $14
      WHERE id = $1`,
    [
      id,
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
    ],
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

/** Shut every session's check-in and check-out (recognition submitted, or the project closed). */
export async function shutCheckin(q: Queryable, projectId: number): Promise<void> {
  await q.query(`UPDATE project_sessions SET checkin_open = false, checkout_open = false WHERE project_id = $1 AND (checkin_open OR checkout_open)`, [
    projectId,
  ]);
}

/** Recognise hours and close: status, who/when, and every session's check-in and check-out shut. */
export async function markClosed(q: Queryable, id: number, userId: number): Promise<void> {
  await q.query(`UPDATE projects SET status = 'closed', closed_at = now(), closed_by = $2, pending_org_id = NULL WHERE id = $1`, [id, userId]);
  await shutCheckin(q, id);
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

export interface SessionRow {
  id: number;
  project_id: number;
  title: string;
  date: string;
  start_time: string;
  end_time: string;
  place: string;
  hours: number;
  category: string;
  checkin_open: boolean;
  checkout_open: boolean;
  attended_count: number;
  checked_out_count: number;
  excused_count: number;
  enrolled_count: number;
}

/** A session plus the facts of its project the organiser's use cases check. */
export interface ScopedSessionRow extends SessionRow {
  project_name: string;
  project_status: ProjectStatus;
  project_org_path: string;
  project_form: string;
  project_level: string;
}

// excused: apologies of enrolled teachers who did not come after all.
/**
 * A session with its counts. With `own` (the parameter number of a teacher org path) the counts are of the
 * teachers under that path only: a school reading its teachers' project sees its own teachers' figures.
 */
const sessionSelect = (own?: number) => {
  const mine = (col: string) =>
    own === undefined ? '' : ` AND ${col} IN (SELECT ot.id FROM teachers ot JOIN orgs oo ON oo.id = ot.org_id WHERE oo.path LIKE $${own} || '%')`;
  return `SELECT s.id, s.project_id, s.title, s.date, s.start_time, s.end_time, s.place, s.hours, s.category, s.checkin_open, s.checkout_open,
    (SELECT count(*)::int FROM attendance a WHERE a.session_id = s.id${mine('a.teacher_id')}) AS attended_count,
    (SELECT count(*)::int FROM attendance a WHERE a.session_id = s.id AND a.checked_out_at IS NOT NULL${mine('a.teacher_id')}) AS checked_out_count,
    (SELECT count(*)::int FROM session_apologies sa JOIN enrolments e ON e.project_id = s.project_id AND e.teacher_id = sa.teacher_id AND e.status = 'approved'
      WHERE sa.session_id = s.id AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.teacher_id = sa.teacher_id)${mine('sa.teacher_id')}) AS excused_count,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = s.project_id AND e.status = 'approved'${mine('e.teacher_id')}) AS enrolled_count
  FROM project_sessions s`;
};
const SESSION_SELECT = sessionSelect();

/** The project's sessions; with teacherPath, counted over the teachers under it only. */
export async function listSessions(q: Queryable, projectId: number, teacherPath?: string): Promise<SessionRow[]> {
  if (teacherPath === undefined)
    return (await q.query<SessionRow>(`${SESSION_SELECT} WHERE s.project_id = $1 ORDER BY s.date, s.start_time, s.id`, [projectId])).rows;
  return (await q.query<SessionRow>(`${sessionSelect(2)} WHERE s.project_id = $1 ORDER BY s.date, s.start_time, s.id`, [projectId, teacherPath])).rows;
}

/** One session with its project's scope columns, counted over the teachers under teacherPath (no owner check). */
export async function findSessionForTeachers(q: Queryable, teacherPath: string, sessionId: number): Promise<ScopedSessionRow | null> {
  const r = await q.query<ScopedSessionRow>(
    `SELECT x.*, p.name AS project_name, p.status AS project_status, o.path AS project_org_path, p.form AS project_form, p.level AS project_level
       FROM (${sessionSelect(2)} WHERE s.id = $1) x
       JOIN projects p ON p.id = x.project_id JOIN orgs o ON o.id = p.org_id`,
    [sessionId, teacherPath],
  );
  return r.rows[0] ?? null;
}

/** The session if its project's owner org is under orgPath ('/' = anywhere, for a checking-in teacher). */
export async function findSession(q: Queryable, orgPath: string, sessionId: number): Promise<ScopedSessionRow | null> {
  const r = await q.query<ScopedSessionRow>(
    `SELECT x.*, p.name AS project_name, p.status AS project_status, o.path AS project_org_path, p.form AS project_form, p.level AS project_level
       FROM (${SESSION_SELECT} WHERE s.id = $1) x
       JOIN projects p ON p.id = x.project_id JOIN orgs o ON o.id = p.org_id
      WHERE o.path LIKE $2 || '%'`,
    [sessionId, orgPath],
  );
  return r.rows[0] ?? null;
}

export async function insertSession(
  q: Queryable,
  projectId: number,
  s: { title: string; date: string; startTime: string; endTime: string; place: string; hours: number; category: string },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [projectId, s.title, s.date, s.startTime, s.endTime, s.place, s.hours, s.category],
  );
  return r.rows[0].id;
}

export async function setCheckinOpen(q: Queryable, sessionId: number, direction: 'checkin' | 'checkout', open: boolean): Promise<void> {
  await q.query(`UPDATE project_sessions SET ${direction === 'checkin' ? 'checkin_open' : 'checkout_open'} = $2 WHERE id = $1`, [sessionId, open]);
}

export async function isEnrolled(q: Queryable, projectId: number, teacherId: number): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM enrolments WHERE project_id = $1 AND teacher_id = $2 AND status = 'approved'`, [projectId, teacherId])).rows.length > 0;
}

export async function countTeacherAttendance(q: Queryable, projectId: number, teacherId: number): Promise<number> {
  return (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM attendance a JOIN project_sessions s ON s.id = a.session_id WHERE s.project_id = $1 AND a.teacher_id = $2`,
      [projectId, teacherId],
    )
  ).rows[0].n;
}

export interface RecognitionRow {
  teacher_id: number;
  session_id: number;
  hours: number;
  category: string;
  date: string;
  title: string;
}

/** Every attendance of the project: one future ledger entry each. */
export async function attendanceForRecognition(q: Queryable, projectId: number): Promise<RecognitionRow[]> {
  return (
    await q.query<RecognitionRow>(
      `SELECT a.teacher_id, a.session_id, s.hours, s.category, s.date, s.title
         FROM attendance a JOIN project_sessions s ON s.id = a.session_id
        WHERE s.project_id = $1 ORDER BY s.date, s.id, a.teacher_id`,
      [projectId],
    )
  ).rows;
}

export interface RecognitionPreviewRow {
  teacher_id: number;
  name: string;
  org_name: string;
  sessions: number;
  hours: number;
}

/** 学时认定 preview: per attending teacher, the sessions attended and the hours they will get (the same rows recognition writes). */
export async function recognitionPreview(q: Queryable, projectId: number): Promise<RecognitionPreviewRow[]> {
  return (
    await q.query<RecognitionPreviewRow>(
      `SELECT t.id AS teacher_id, t.name, o.name AS org_name, count(*)::int AS sessions, sum(s.hours)::numeric AS hours
         FROM attendance a JOIN project_sessions s ON s.id = a.session_id JOIN teachers t ON t.id = a.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE s.project_id = $1
        GROUP BY t.id, t.name, o.name, o.path
        ORDER BY o.path, t.name, t.id`,
      [projectId],
    )
  ).rows;
}

export interface MyProjectRow {
  id: number;
  code: string;
  name: string;
  level: string;
  form: string;
  status: ProjectStatus;
  start_date: string | null;
  end_date: string | null;
  target_hours: number;
  org_name: string;
  outbound: boolean;
  sessions: {
    id: number;
    title: string;
    date: string;
    startTime: string;
    endTime: string;
    place: string;
    hours: number;
    category: string;
    checkinOpen: boolean;
    checkoutOpen: boolean;
    attended: boolean;
    attendedAt: string | null;
    checkedOutAt: string | null;
    method: string | null;
    apology: string | null;
  }[];
}

/** A teacher's confirmed enrolments (running first), each with its sessions and the teacher's own attendance. */
export async function myProjects(q: Queryable, teacherId: number): Promise<MyProjectRow[]> {
  return (
    await q.query<MyProjectRow>(
      `SELECT p.id, p.code, p.name, p.level, p.form, p.status, p.start_date, p.end_date, p.target_hours, o.name AS org_name, p.outbound,
              COALESCE((
                SELECT json_agg(json_build_object('id', s.id, 'title', s.title, 'date', s.date, 'startTime', s.start_time,
                         'endTime', s.end_time, 'place', s.place, 'hours', s.hours, 'category', s.category,
                         'checkinOpen', s.checkin_open, 'checkoutOpen', s.checkout_open, 'attended', a.teacher_id IS NOT NULL,
                         'attendedAt', a.at, 'checkedOutAt', a.checked_out_at, 'method', a.method, 'apology', sa.reason)
                       ORDER BY s.date, s.start_time, s.id)
                  FROM project_sessions s LEFT JOIN attendance a ON a.session_id = s.id AND a.teacher_id = e.teacher_id
                  LEFT JOIN session_apologies sa ON sa.session_id = s.id AND sa.teacher_id = e.teacher_id
                 WHERE s.project_id = p.id), '[]'::json) AS sessions
         FROM enrolments e JOIN projects p ON p.id = e.project_id JOIN orgs o ON o.id = p.org_id
        WHERE e.teacher_id = $1 AND e.status = 'approved'
        ORDER BY p.status IN ('closed','evaluated'), p.start_date DESC NULLS LAST, p.id DESC
        LIMIT 500`,
      [teacherId],
    )
  ).rows;
}
