import type { Queryable } from '../../db/db.js';
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
  status: 'open' | 'closed';
  org_id: number;
  org_name: string;
  session_count: number;
  enrolled_count: number;
  created_at: Date;
}

const PROJECT_SELECT = `SELECT p.id, p.code, p.name, p.level, p.form, p.categories, p.target_hours, p.start_date, p.end_date,
    p.status, p.org_id, o.name AS org_name, p.created_at,
    (SELECT count(*)::int FROM project_sessions s WHERE s.project_id = p.id) AS session_count,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = p.id) AS enrolled_count
  FROM projects p JOIN orgs o ON o.id = p.org_id`;

export async function listProjects(q: Queryable, orgPath: string, f: ProjectListQuery): Promise<{ rows: ProjectRow[]; total: number }> {
  const params: unknown[] = [orgPath];
  const conds = [`o.path LIKE $1 || '%'`];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(sql(params.length));
  };
  if (f.status) add((n) => `p.status = $${n}`, f.status);
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

/**
 * Lock the project row for the rest of the transaction and return its status (null: not in scope).
 * 'update' (close, unenrol) excludes 'keyShare' (check-in, marking), so attendance cannot change while
 * hours are being recognised, while check-ins among themselves never wait for each other.
 */
export async function lockProject(q: Queryable, orgPath: string, id: number, mode: 'update' | 'keyShare'): Promise<{ status: 'open' | 'closed'; name: string } | null> {
  const r = await q.query<{ status: 'open' | 'closed'; name: string }>(
    `SELECT p.status, p.name FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1 AND o.path LIKE $2 || '%'
      FOR ${mode === 'update' ? 'UPDATE' : 'KEY SHARE'} OF p`,
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
}

/** Insert with a readable code built from the start year and the id, e.g. P2026-000123. */
export async function insertProject(q: Queryable, c: ProjectColumns): Promise<number> {
  const r = await q.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('projects', 'id'))::int AS id)
     INSERT INTO projects (id, code, org_id, name, level, form, categories, target_hours, start_date, end_date, created_by)
     SELECT n.id, 'P' || $1 || '-' || lpad(n.id::text, 6, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM n
     RETURNING id`,
    [c.start_date.slice(0, 4), c.org_id, c.name, c.level, c.form, c.categories, c.target_hours, c.start_date, c.end_date, c.created_by],
  );
  return r.rows[0].id;
}

/** Recognise hours and close: status, who/when, and every session's check-in shut. */
export async function markClosed(q: Queryable, id: number, userId: number): Promise<void> {
  await q.query(`UPDATE projects SET status = 'closed', closed_at = now(), closed_by = $2 WHERE id = $1`, [id, userId]);
  await q.query(`UPDATE project_sessions SET checkin_open = false WHERE project_id = $1 AND checkin_open`, [id]);
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
  attended_count: number;
  enrolled_count: number;
}

/** A session plus the facts of its project the organiser's use cases check. */
export interface ScopedSessionRow extends SessionRow {
  project_name: string;
  project_status: 'open' | 'closed';
}

const SESSION_SELECT = `SELECT s.id, s.project_id, s.title, s.date, s.start_time, s.end_time, s.place, s.hours, s.category, s.checkin_open,
    (SELECT count(*)::int FROM attendance a WHERE a.session_id = s.id) AS attended_count,
    (SELECT count(*)::int FROM enrolments e WHERE e.project_id = s.project_id) AS enrolled_count
  FROM project_sessions s`;

export async function listSessions(q: Queryable, projectId: number): Promise<SessionRow[]> {
  return (await q.query<SessionRow>(`${SESSION_SELECT} WHERE s.project_id = $1 ORDER BY s.date, s.start_time, s.id`, [projectId])).rows;
}

/** The session if its project's owner org is under orgPath ('/' = anywhere, for a checking-in teacher). */
export async function findSession(q: Queryable, orgPath: string, sessionId: number): Promise<ScopedSessionRow | null> {
  const r = await q.query<ScopedSessionRow>(
    `SELECT x.*, p.name AS project_name, p.status AS project_status
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

export async function setCheckinOpen(q: Queryable, sessionId: number, open: boolean): Promise<void> {
  await q.query('UPDATE project_sessions SET checkin_open = $2 WHERE id = $1', [sessionId, open]);
}

export interface EnrolmentRow {
  teacher_id: number;
  name: string;
  org_name: string;
  national_id_mask: string;
  stage: string;
  attended_sessions: number;
}

export async function listEnrolments(q: Queryable, projectId: number, page: number, pageSize: number): Promise<{ rows: EnrolmentRow[]; total: number }> {
  const total = (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM enrolments WHERE project_id = $1', [projectId])).rows[0].n;
  const rows = (
    await q.query<EnrolmentRow>(
      `SELECT t.id AS teacher_id, t.name, o.name AS org_name, t.national_id_mask, t.stage,
              (SELECT count(*)::int FROM attendance a JOIN project_sessions s ON s.id = a.session_id
                WHERE s.project_id = e.project_id AND a.teacher_id = e.teacher_id) AS attended_sessions
         FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE e.project_id = $1
        ORDER BY o.path, t.name, t.id
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      [projectId],
    )
  ).rows;
  return { rows, total };
}

/** Of the given ids, the teachers that exist inside scopePath, with their status. */
export async function teachersInScope(q: Queryable, scopePath: string, ids: number[]): Promise<{ id: number; status: string }[]> {
  return (
    await q.query<{ id: number; status: string }>(
      `SELECT t.id, t.status FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = ANY($1::int[]) AND o.path LIKE $2 || '%'`,
      [ids, scopePath],
    )
  ).rows;
}

/** Enrol; already-enrolled teachers are skipped. Returns the ids actually added. */
export async function insertEnrolments(q: Queryable, projectId: number, teacherIds: number[], userId: number): Promise<number[]> {
  if (!teacherIds.length) return [];
  const r = await q.query<{ teacher_id: number }>(
    `INSERT INTO enrolments (project_id, teacher_id, enrolled_by) SELECT $1, unnest($2::int[]), $3
     ON CONFLICT DO NOTHING RETURNING teacher_id`,
    [projectId, teacherIds, userId],
  );
  return r.rows.map((x) => x.teacher_id);
}

export async function isEnrolled(q: Queryable, projectId: number, teacherId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM enrolments WHERE project_id = $1 AND teacher_id = $2', [projectId, teacherId])).rows.length > 0;
}

export async function countTeacherAttendance(q: Queryable, projectId: number, teacherId: number): Promise<number> {
  return (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM attendance a JOIN project_sessions s ON s.id = a.session_id WHERE s.project_id = $1 AND a.teacher_id = $2`,
      [projectId, teacherId],
    )
  ).rows[0].n;
}

export async function deleteEnrolment(q: Queryable, projectId: number, teacherId: number): Promise<boolean> {
  return (await q.query('DELETE FROM enrolments WHERE project_id = $1 AND teacher_id = $2', [projectId, teacherId])).rowCount > 0;
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

export interface MyProjectRow {
  id: number;
  code: string;
  name: string;
  level: string;
  form: string;
  status: 'open' | 'closed';
  start_date: string | null;
  end_date: string | null;
  target_hours: number;
  org_name: string;
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
    attended: boolean;
    attendedAt: string | null;
    method: string | null;
  }[];
}

/** A teacher's enrolled projects (open first), each with its sessions and the teacher's own attendance. */
export async function myProjects(q: Queryable, teacherId: number): Promise<MyProjectRow[]> {
  return (
    await q.query<MyProjectRow>(
      `SELECT p.id, p.code, p.name, p.level, p.form, p.status, p.start_date, p.end_date, p.target_hours, o.name AS org_name,
              COALESCE((
                SELECT json_agg(json_build_object('id', s.id, 'title', s.title, 'date', s.date, 'startTime', s.start_time,
                         'endTime', s.end_time, 'place', s.place, 'hours', s.hours, 'category', s.category,
                         'checkinOpen', s.checkin_open, 'attended', a.teacher_id IS NOT NULL, 'attendedAt', a.at, 'method', a.method)
                       ORDER BY s.date, s.start_time, s.id)
                  FROM project_sessions s LEFT JOIN attendance a ON a.session_id = s.id AND a.teacher_id = e.teacher_id
                 WHERE s.project_id = p.id), '[]'::json) AS sessions
         FROM enrolments e JOIN projects p ON p.id = e.project_id JOIN orgs o ON o.id = p.org_id
        WHERE e.teacher_id = $1
        ORDER BY p.status = 'closed', p.start_date DESC NULLS LAST, p.id DESC
        LIMIT 500`,
      [teacherId],
    )
  ).rows;
}
