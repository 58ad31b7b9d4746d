import type { Queryable } from '../../db/db.js';
import type { ProjectStatus } from './lifecycle.js';

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
