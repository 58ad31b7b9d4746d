import type { Queryable } from '../../db/db.js';

// 警示教育 meetings (migration 0048). A meeting belongs to an org of the recording officer's subtree; its attendance
// is the check-in of the training session it names (project_sessions / attendance), counted per school.

export interface MeetingRow {
  id: number;
  org_id: number;
  org_name: string;
  held_on: string;
  place: string;
  topic: string;
  session_id: number | null;
  session_title: string | null;
  project_name: string | null;
  attended: number;
  recorded_by_name: string;
  recorded_at: Date;
}

const SELECT = `SELECT m.id, m.org_id, o.name AS org_name, m.held_on::text AS held_on, m.place, m.topic, m.session_id,
    s.title AS session_title, p.name AS project_name,
    (SELECT count(*)::int FROM attendance a WHERE a.session_id = m.session_id) AS attended,
    u.display_name AS recorded_by_name, m.recorded_at
  FROM ethics_meetings m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.recorded_by
  LEFT JOIN project_sessions s ON s.id = m.session_id LEFT JOIN projects p ON p.id = s.project_id`;

export async function insert(
  q: Queryable,
  m: { orgId: number; heldOn: string; place: string; topic: string; sessionId: number | null; userId: number; noticeIds: number[] },
): Promise<number> {
  const id = (
    await q.query<{ id: number }>(
      'INSERT INTO ethics_meetings (org_id, held_on, place, topic, session_id, recorded_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [m.orgId, m.heldOn, m.place, m.topic, m.sessionId, m.userId],
    )
  ).rows[0].id;
  if (m.noticeIds.length)
    await q.query('INSERT INTO ethics_meeting_notices (meeting_id, notice_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING', [id, m.noticeIds]);
  return id;
}

export async function list(q: Queryable, orgPath: string): Promise<MeetingRow[]> {
  return (await q.query<MeetingRow>(`${SELECT} WHERE o.path LIKE $1 || '%' ORDER BY m.held_on DESC, m.id DESC LIMIT 200`, [orgPath])).rows;
}

export async function find(q: Queryable, orgPath: string, id: number): Promise<MeetingRow | null> {
  return (await q.query<MeetingRow>(`${SELECT} WHERE m.id = $2 AND o.path LIKE $1 || '%'`, [orgPath, id])).rows[0] ?? null;
}

export async function notices(q: Queryable, id: number): Promise<{ id: number; title: string }[]> {
  return (
    await q.query<{ id: number; title: string }>(
      'SELECT n.id, n.title FROM ethics_meeting_notices mn JOIN ethics_notices n ON n.id = mn.notice_id WHERE mn.meeting_id = $1 ORDER BY n.id',
      [id],
    )
  ).rows;
}

/** Attendance of the session per school of the attending teachers (their school today). */
export async function attendanceBySchool(q: Queryable, sessionId: number): Promise<{ org_id: number; org_name: string; attended: number }[]> {
  return (
    await q.query<{ org_id: number; org_name: string; attended: number }>(
      `SELECT o.id AS org_id, o.name AS org_name, count(*)::int AS attended
         FROM attendance a JOIN teachers t ON t.id = a.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE a.session_id = $1 GROUP BY o.id, o.name, o.path ORDER BY o.path`,
      [sessionId],
    )
  ).rows;
}

/** 师德 sessions of projects run by an org of the caller's subtree: what a meeting may name for its attendance. */
export async function ethicsSessions(q: Queryable, orgPath: string) {
  return (
    await q.query<{ id: number; title: string; date: string; place: string; project_name: string; attended: number }>(
      `SELECT s.id, s.title, s.date::text AS date, s.place, p.name AS project_name,
              (SELECT count(*)::int FROM attendance a WHERE a.session_id = s.id) AS attended
         FROM project_sessions s JOIN projects p ON p.id = s.project_id JOIN orgs o ON o.id = p.org_id
        WHERE o.path LIKE $1 || '%' AND s.category = 'ethics' ORDER BY s.date DESC, s.id DESC LIMIT 200`,
      [orgPath],
    )
  ).rows;
}

export async function sessionInSubtree(q: Queryable, sessionId: number, orgPath: string): Promise<boolean> {
  return (
    (
      await q.query(
        `SELECT 1 AS ok FROM project_sessions s JOIN projects p ON p.id = s.project_id JOIN orgs o ON o.id = p.org_id
          WHERE s.id = $1 AND o.path LIKE $2 || '%'`,
        [sessionId, orgPath],
      )
    ).rows.length > 0
  );
}

/** Of the given notice ids, those whose target lies in the caller's subtree. */
export async function managedNotices(q: Queryable, ids: number[], orgPath: string): Promise<number[]> {
  if (!ids.length) return [];
  return (
    await q.query<{ id: number }>(
      `SELECT n.id FROM ethics_notices n JOIN orgs t ON t.id = n.target_org_id WHERE n.id = ANY($1::int[]) AND t.path LIKE $2 || '%'`,
      [ids, orgPath],
    )
  ).rows.map((r) => r.id);
}
