import type { Queryable } from '../../db/db.js';

/**
 * Record presence. The primary key (session_id, teacher_id) plus ON CONFLICT DO NOTHING makes this
 * the only check for "already checked in": concurrent duplicates insert exactly one row.
 * Returns the time recorded, or null if the teacher was already present.
 */
export async function insertAttendance(q: Queryable, sessionId: number, teacherId: number, method: 'qr' | 'manual', byUser: number): Promise<Date | null> {
  const r = await q.query<{ at: Date }>(
    `INSERT INTO attendance (session_id, teacher_id, method, by_user) VALUES ($1,$2,$3,$4)
     ON CONFLICT (session_id, teacher_id) DO NOTHING RETURNING at`,
    [sessionId, teacherId, method, byUser],
  );
  return r.rows[0]?.at ?? null;
}

/**
 * 签退: stamp the check-out time once. Returns the time, or why not: no check-in row, or already out.
 * The conditional UPDATE is the check, so concurrent scans stamp one time.
 */
export async function checkOut(q: Queryable, sessionId: number, teacherId: number): Promise<{ at: Date } | { problem: 'notIn' | 'already' }> {
  const r = await q.query<{ checked_out_at: Date }>(
    `UPDATE attendance SET checked_out_at = now() WHERE session_id = $1 AND teacher_id = $2 AND checked_out_at IS NULL RETURNING checked_out_at`,
    [sessionId, teacherId],
  );
  if (r.rows[0]) return { at: r.rows[0].checked_out_at };
  const exists = await q.query('SELECT 1 FROM attendance WHERE session_id = $1 AND teacher_id = $2', [sessionId, teacherId]);
  return { problem: exists.rows.length ? 'already' : 'notIn' };
}

export async function deleteAttendance(q: Queryable, sessionId: number, teacherId: number): Promise<boolean> {
  return (await q.query('DELETE FROM attendance WHERE session_id = $1 AND teacher_id = $2', [sessionId, teacherId])).rowCount > 0;
}

export interface AttendanceRow {
  teacher_id: number;
  name: string;
  org_name: string;
  present: boolean;
  method: 'qr' | 'manual' | null;
  at: Date | null;
  checked_out_at: Date | null;
  apology: string | null;
}

const MAX_ROWS = 2000;

/** Every enrolled teacher of the session's project, present or not, with any leave (capped; a session has a few hundred). */
export async function listSessionAttendance(q: Queryable, sessionId: number, projectId: number, teacherId?: number): Promise<AttendanceRow[]> {
  const params: unknown[] = [sessionId, projectId];
  if (teacherId !== undefined) params.push(teacherId);
  return (
    await q.query<AttendanceRow>(
      `SELECT t.id AS teacher_id, t.name, o.name AS org_name, a.teacher_id IS NOT NULL AS present, a.method, a.at, a.checked_out_at,
              sa.reason AS apology
         FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
         LEFT JOIN attendance a ON a.session_id = $1 AND a.teacher_id = e.teacher_id
         LEFT JOIN session_apologies sa ON sa.session_id = $1 AND sa.teacher_id = e.teacher_id
        WHERE e.project_id = $2 AND e.status = 'approved' ${teacherId !== undefined ? 'AND e.teacher_id = $3' : ''}
        ORDER BY o.path, t.name, t.id
        LIMIT ${MAX_ROWS}`,
      params,
    )
  ).rows;
}

/** 请假: record or update the teacher's reason for a session. */
export async function upsertApology(q: Queryable, sessionId: number, teacherId: number, reason: string): Promise<void> {
  await q.query(
    `INSERT INTO session_apologies (session_id, teacher_id, reason) VALUES ($1,$2,$3)
     ON CONFLICT (session_id, teacher_id) DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
    [sessionId, teacherId, reason],
  );
}

export async function deleteApology(q: Queryable, sessionId: number, teacherId: number): Promise<boolean> {
  return (await q.query('DELETE FROM session_apologies WHERE session_id = $1 AND teacher_id = $2', [sessionId, teacherId])).rowCount > 0;
}

export async function hasAttendance(q: Queryable, sessionId: number, teacherId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM attendance WHERE session_id = $1 AND teacher_id = $2', [sessionId, teacherId])).rows.length > 0;
}
