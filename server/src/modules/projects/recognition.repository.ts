import type { Queryable } from '../../db/db.js';
import { shutCheckin } from './sessions.repository.js';

// 学时认定: the attendance that becomes ledger entries, its per-teacher preview, closing the project.

/** Recognise hours and close: status, who/when, and every session's check-in and check-out shut. */
export async function markClosed(q: Queryable, id: number, userId: number): Promise<void> {
  await q.query(`UPDATE projects SET status = 'closed', closed_at = now(), closed_by = $2, pending_org_id = NULL WHERE id = $1`, [id, userId]);
  await shutCheckin(q, id);
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
