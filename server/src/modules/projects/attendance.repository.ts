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

export interface ScanOutcome {
  title: string;
  project_name: string;
  /** The project is in one of the running states and this direction (check-in / check-out) is open. */
  accepting: boolean;
  enrolled: boolean;
  /** The time recorded by this scan; null when nothing was written. */
  at: Date | null;
  /** Check-out only: the teacher had checked in (tells "not checked in" from "already out"). */
  was_in: boolean;
}

// The session with its project locked KEY SHARE: a concurrent transition (FOR UPDATE: recognition submit,
// confirm) waits for this scan, or this scan waits and sees the new status. No counts: this runs per scan.
const SCAN_TARGET = `SELECT s.id, s.title, p.name AS project_name,
      (p.status = ANY($3::text[]) AND %OPEN%) AS accepting,
      EXISTS (SELECT 1 FROM enrolments e WHERE e.project_id = p.id AND e.teacher_id = $2 AND e.status = 'approved') AS enrolled
    FROM project_sessions s JOIN projects p ON p.id = s.project_id
   WHERE s.id = $1
     FOR KEY SHARE OF p`;

/**
 * A QR scan in ONE statement (one round trip, atomic on its own): look up the session and its project,
 * check the state, the open flag and the enrolment, and write. Check-in is INSERT … ON CONFLICT DO NOTHING
 * (the primary key is the only duplicate check); check-out is the conditional UPDATE. Returns null when
 * the session does not exist.
 */
export async function scan(
  q: Queryable,
  direction: 'in' | 'out',
  sessionId: number,
  teacherId: number,
  byUser: number,
  runningStates: readonly string[],
  scanned?: { at: Date },
): Promise<ScanOutcome | null> {
  // A scan ticket (the teacher logged in after scanning): the time is the scan's, and the open flag was
  // checked at the scan, so a check-in closed while the teacher was logging in still counts.
  const open = (flag: string) => (scanned ? 'true' : flag);
  const sql =
    direction === 'in'
      ? `WITH t AS (${SCAN_TARGET.replace('%OPEN%', open('s.checkin_open'))}),
          w AS (INSERT INTO attendance (session_id, teacher_id, method, by_user, at)
                SELECT t.id, $2, 'qr', $4, COALESCE($5::timestamptz, now()) FROM t WHERE t.accepting AND t.enrolled
                ON CONFLICT (session_id, teacher_id) DO NOTHING RETURNING at)
         SELECT t.title, t.project_name, t.accepting, t.enrolled, (SELECT at FROM w) AS at, false AS was_in FROM t`
      : `WITH t AS (${SCAN_TARGET.replace('%OPEN%', open('s.checkout_open'))}),
          w AS (UPDATE attendance a SET checked_out_at = GREATEST(a.at, COALESCE($4::timestamptz, now())) FROM t
                 WHERE a.session_id = t.id AND a.teacher_id = $2 AND a.checked_out_at IS NULL AND t.accepting AND t.enrolled
                 RETURNING a.checked_out_at AS at)
         SELECT t.title, t.project_name, t.accepting, t.enrolled, (SELECT at FROM w) AS at,
                EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = $1 AND a.teacher_id = $2) AS was_in FROM t`;
  const params: unknown[] = [sessionId, teacherId, runningStates];
  if (direction === 'in') params.push(byUser);
  params.push(scanned?.at ?? null);
  const r = await q.query<ScanOutcome>(sql, params);
  return r.rows[0] ?? null;
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
export async function listSessionAttendance(
  q: Queryable,
  sessionId: number,
  projectId: number,
  teacherId?: number,
  teacherPath = '/',
): Promise<AttendanceRow[]> {
  // teacherPath: a school reading its teachers' project sees its own teachers only ('/' = everyone).
  const params: unknown[] = [sessionId, projectId, teacherPath];
  if (teacherId !== undefined) params.push(teacherId);
  return (
    await q.query<AttendanceRow>(
      `SELECT t.id AS teacher_id, t.name, o.name AS org_name, a.teacher_id IS NOT NULL AS present, a.method, a.at, a.checked_out_at,
              sa.reason AS apology
         FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
         LEFT JOIN attendance a ON a.session_id = $1 AND a.teacher_id = e.teacher_id
         LEFT JOIN session_apologies sa ON sa.session_id = $1 AND sa.teacher_id = e.teacher_id
        WHERE e.project_id = $2 AND e.status = 'approved' AND o.path LIKE $3 || '%' ${teacherId !== undefined ? 'AND e.teacher_id = $4' : ''}
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

/**
 * Use a scan ticket up: its hash goes in once (primary key). False when it was used before. Runs in the
 * check-in's transaction, so a refused check-in (not enrolled, already present) leaves the ticket unused.
 */
export async function useScanTicket(q: Queryable, hash: string, sessionId: number, teacherId: number, scannedAt: Date): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO checkin_scan_uses (ticket_hash, session_id, teacher_id, scanned_at) VALUES ($1,$2,$3,$4)
     ON CONFLICT (ticket_hash) DO NOTHING`,
    [hash, sessionId, teacherId, scannedAt],
  );
  return r.rowCount > 0;
}

/**
 * Forget used scan tickets scanned before `before`: a ticket is refused once SCAN_TICKET_SECONDS have passed
 * since its scan, so its hash guards nothing after that (the attendance row is the record). The number removed.
 */
export async function purgeScanTicketUses(q: Queryable, before: Date): Promise<number> {
  return (await q.query('DELETE FROM checkin_scan_uses WHERE scanned_at < $1', [before])).rowCount;
}

export interface CloseSessionRow {
  id: number;
  title: string;
  date: string;
  start_time: string;
  hours: number;
  present: number;
}

/** Every session of the project with its number of attendances (for the checks before closing). */
export async function sessionsWithAttendance(q: Queryable, projectId: number): Promise<CloseSessionRow[]> {
  return (
    await q.query<CloseSessionRow>(
      `SELECT s.id, s.title, s.date::text AS date, s.start_time, s.hours::float8 AS hours,
              (SELECT count(*)::int FROM attendance a WHERE a.session_id = s.id) AS present
         FROM project_sessions s WHERE s.project_id = $1 ORDER BY s.date, s.start_time, s.id`,
      [projectId],
    )
  ).rows;
}

export interface SessionToRemind {
  session_id: number;
  title: string;
  date: string;
  start_time: string;
  end_time: string;
  place: string;
  project_name: string;
  user_id: number;
}

/**
 * Sessions of running projects starting in [from, until) (local wall-clock times, China), with the active
 * accounts of their approved enrolments: one row per session and user. The dates bound the scan (index on date).
 */
export async function sessionsToRemind(
  q: Queryable,
  from: Date,
  until: Date,
  fromDay: string,
  untilDay: string,
  runningStates: readonly string[],
): Promise<SessionToRemind[]> {
  return (
    await q.query<SessionToRemind>(
      `SELECT s.id AS session_id, s.title, s.date::text AS date, s.start_time, s.end_time, s.place, p.name AS project_name, u.id AS user_id
         FROM project_sessions s
         JOIN projects p ON p.id = s.project_id AND p.status = ANY($5::text[])
         JOIN enrolments e ON e.project_id = p.id AND e.status = 'approved'
         JOIN users u ON u.teacher_id = e.teacher_id AND u.active
        WHERE s.date BETWEEN $3::date AND $4::date
          AND ((s.date + s.start_time::time) AT TIME ZONE 'Asia/Shanghai') >= $1
          AND ((s.date + s.start_time::time) AT TIME ZONE 'Asia/Shanghai') < $2
        ORDER BY s.id, u.id`,
      [from, until, fromDay, untilDay, runningStates],
    )
  ).rows;
}
