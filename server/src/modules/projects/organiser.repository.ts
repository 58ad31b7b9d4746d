import type { Queryable } from '../../db/db.js';

// SQL of the organiser shortcuts (issue 11 item 3): batch attendance, attendance export, quota units.

/** Of these teachers, the ones with an approved enrolment in the project. */
export async function enrolledAmong(q: Queryable, projectId: number, teacherIds: number[]): Promise<Set<number>> {
  const r = await q.query<{ teacher_id: number }>(
    `SELECT teacher_id FROM enrolments WHERE project_id = $1 AND status = 'approved' AND teacher_id = ANY($2::int[])`,
    [projectId, teacherIds],
  );
  return new Set(r.rows.map((x) => x.teacher_id));
}

/** Mark present (method 'manual'); teachers already present keep their record. Returns the teachers newly marked. */
export async function markPresent(q: Queryable, sessionId: number, teacherIds: number[], byUser: number): Promise<number[]> {
  const r = await q.query<{ teacher_id: number }>(
    `INSERT INTO attendance (session_id, teacher_id, method, by_user)
     SELECT $1, t, 'manual', $3 FROM unnest($2::int[]) AS t
     ON CONFLICT (session_id, teacher_id) DO NOTHING RETURNING teacher_id`,
    [sessionId, teacherIds, byUser],
  );
  return r.rows.map((x) => x.teacher_id);
}

/** Remove presence marks. Returns the teachers whose mark was removed. */
export async function unmarkPresent(q: Queryable, sessionId: number, teacherIds: number[]): Promise<number[]> {
  const r = await q.query<{ teacher_id: number }>('DELETE FROM attendance WHERE session_id = $1 AND teacher_id = ANY($2::int[]) RETURNING teacher_id', [
    sessionId,
    teacherIds,
  ]);
  return r.rows.map((x) => x.teacher_id);
}

export async function clearLeave(q: Queryable, sessionId: number, teacherIds: number[]): Promise<number[]> {
  const r = await q.query<{ teacher_id: number }>('DELETE FROM session_apologies WHERE session_id = $1 AND teacher_id = ANY($2::int[]) RETURNING teacher_id', [
    sessionId,
    teacherIds,
  ]);
  return r.rows.map((x) => x.teacher_id);
}

/** 请假 recorded by the organiser (the teacher's own reason, if any, is kept). */
export async function recordLeave(q: Queryable, sessionId: number, teacherIds: number[], reason: string): Promise<void> {
  await q.query(
    `INSERT INTO session_apologies (session_id, teacher_id, reason)
     SELECT $1, t, $3 FROM unnest($2::int[]) AS t
     ON CONFLICT (session_id, teacher_id) DO NOTHING`,
    [sessionId, teacherIds, reason],
  );
}

export interface AttendanceExportRow {
  session_id: number;
  session_title: string;
  date: string;
  start_time: string;
  teacher_id: number;
  name: string;
  org_name: string;
  phone_mask: string | null;
  present: boolean;
  method: 'qr' | 'manual' | null;
  at: Date | null;
  checked_out_at: Date | null;
  apology: string | null;
}

/** Every enrolled teacher × session of the project (or one session), in schedule and school order. */
export async function attendanceExport(q: Queryable, projectId: number, sessionId: number | null): Promise<AttendanceExportRow[]> {
  return (
    await q.query<AttendanceExportRow>(
      `SELECT s.id AS session_id, s.title AS session_title, to_char(s.date, 'YYYY-MM-DD') AS date, s.start_time,
              t.id AS teacher_id, t.name, o.name AS org_name, t.phone_mask,
              a.teacher_id IS NOT NULL AS present, a.method, a.at, a.checked_out_at, sa.reason AS apology
         FROM project_sessions s
         JOIN enrolments e ON e.project_id = s.project_id AND e.status = 'approved'
         JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
         LEFT JOIN attendance a ON a.session_id = s.id AND a.teacher_id = e.teacher_id
         LEFT JOIN session_apologies sa ON sa.session_id = s.id AND sa.teacher_id = e.teacher_id
        WHERE s.project_id = $1 AND ($2::int IS NULL OR s.id = $2)
        ORDER BY s.date, s.start_time, s.id, o.path, t.name, t.id
        LIMIT 200000`,
      [projectId, sessionId],
    )
  ).rows;
}

export interface UnitRow {
  org_id: number;
  org_name: string;
  path: string;
  teachers: number;
}

/** The open orgs directly below `parentPath` with their active teachers (their whole subtree). */
export async function childUnits(q: Queryable, parentPath: string): Promise<UnitRow[]> {
  return (
    await q.query<UnitRow>(
      `SELECT c.id AS org_id, c.name AS org_name, c.path,
              (SELECT count(*)::int FROM teachers t JOIN orgs o ON o.id = t.org_id
                WHERE o.path LIKE c.path || '%' AND t.status = 'active') AS teachers
         FROM orgs p JOIN orgs c ON c.parent_id = p.id
        WHERE p.path = $1 AND c.closed_at IS NULL AND c.kind IN ('bureau', 'school')
        ORDER BY c.code, c.id`,
      [parentPath],
    )
  ).rows;
}

/** Paths of orgs by id (to place a teacher's school under a unit). */
export async function orgPaths(q: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ id: number; path: string }>('SELECT id, path FROM orgs WHERE id = ANY($1::int[])', [ids]);
  return new Map(r.rows.map((x) => [x.id, x.path]));
}

export async function orgIdAt(q: Queryable, path: string): Promise<number | null> {
  return (await q.query<{ id: number }>('SELECT id FROM orgs WHERE path = $1', [path])).rows[0]?.id ?? null;
}
