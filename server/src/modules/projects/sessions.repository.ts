import type { Queryable } from '../../db/db.js';
import type { ProjectStatus } from './lifecycle.js';

// Sessions (场次) of a project with their attendance counts; check-in switches; who attended.

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
/** The sessions the given select finds (aliased x), with their project's scope columns (ScopedSessionRow). */
const scopedSession = (select: string) =>
  `SELECT x.*, p.name AS project_name, p.status AS project_status, o.path AS project_org_path, p.form AS project_form, p.level AS project_level
     FROM (${select}) x JOIN projects p ON p.id = x.project_id JOIN orgs o ON o.id = p.org_id`;

/** The project's sessions; with teacherPath, counted over the teachers under it only. */
export async function listSessions(q: Queryable, projectId: number, teacherPath?: string): Promise<SessionRow[]> {
  if (teacherPath === undefined)
    return (await q.query<SessionRow>(`${SESSION_SELECT} WHERE s.project_id = $1 ORDER BY s.date, s.start_time, s.id`, [projectId])).rows;
  return (await q.query<SessionRow>(`${sessionSelect(2)} WHERE s.project_id = $1 ORDER BY s.date, s.start_time, s.id`, [projectId, teacherPath])).rows;
}

/** One session with its project's scope columns, counted over the teachers under teacherPath (no owner check). */
export async function findSessionForTeachers(q: Queryable, teacherPath: string, sessionId: number): Promise<ScopedSessionRow | null> {
  const r = await q.query<ScopedSessionRow>(scopedSession(`${sessionSelect(2)} WHERE s.id = $1`), [sessionId, teacherPath]);
  return r.rows[0] ?? null;
}

/** The session if its project's owner org is under orgPath ('/' = anywhere, for a checking-in teacher). */
export async function findSession(q: Queryable, orgPath: string, sessionId: number): Promise<ScopedSessionRow | null> {
  const r = await q.query<ScopedSessionRow>(`${scopedSession(`${SESSION_SELECT} WHERE s.id = $1`)} WHERE o.path LIKE $2 || '%'`, [sessionId, orgPath]);
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

/** Shut every session's check-in and check-out (recognition submitted, or the project closed). */
export async function shutCheckin(q: Queryable, projectId: number): Promise<void> {
  await q.query(`UPDATE project_sessions SET checkin_open = false, checkout_open = false WHERE project_id = $1 AND (checkin_open OR checkout_open)`, [
    projectId,
  ]);
}
