import type { Queryable } from '../../db/db.js';
import type { ShareBackStatus } from './lifecycle.js';

/**
 * One share-back task per confirmed trainee who attended the outbound project (created at close).
 * Returns the teachers who got a new task.
 */
export async function createTasks(q: Queryable, projectId: number): Promise<number[]> {
  return (
    await q.query<{ teacher_id: number }>(
      `INSERT INTO share_backs (project_id, teacher_id)
       SELECT e.project_id, e.teacher_id FROM enrolments e
        WHERE e.project_id = $1 AND e.status = 'approved'
          AND EXISTS (SELECT 1 FROM attendance a JOIN project_sessions s ON s.id = a.session_id WHERE s.project_id = e.project_id AND a.teacher_id = e.teacher_id)
       ON CONFLICT (project_id, teacher_id) DO NOTHING RETURNING teacher_id`,
      [projectId],
    )
  ).rows.map((r) => r.teacher_id);
}

export interface ShareBackRow {
  id: number;
  project_id: number;
  project_name: string;
  project_form: string;
  teacher_id: number;
  teacher_name: string;
  org_id: number;
  org_name: string;
  org_path: string;
  status: ShareBackStatus;
  kind: string | null;
  title: string | null;
  held_on: string | null;
  place: string | null;
  summary: string | null;
  evidence_file_id: number | null;
  evidence_name: string | null;
  submitted_at: Date | null;
  reviewed_at: Date | null;
  review_comment: string | null;
  created_at: Date;
}

const SELECT = `SELECT sb.id, sb.project_id, p.name AS project_name, p.form AS project_form, sb.teacher_id, t.name AS teacher_name,
    t.org_id, o.name AS org_name, o.path AS org_path, sb.status, sb.kind, sb.title, sb.held_on, sb.place, sb.summary,
    sb.evidence_file_id, f.original_name AS evidence_name, sb.submitted_at, sb.reviewed_at, sb.review_comment, sb.created_at
  FROM share_backs sb JOIN projects p ON p.id = sb.project_id JOIN teachers t ON t.id = sb.teacher_id JOIN orgs o ON o.id = t.org_id
  LEFT JOIN files f ON f.id = sb.evidence_file_id`;

export async function listForTeacher(q: Queryable, teacherId: number): Promise<ShareBackRow[]> {
  return (await q.query<ShareBackRow>(`${SELECT} WHERE sb.teacher_id = $1 ORDER BY sb.created_at DESC, sb.id DESC LIMIT 200`, [teacherId])).rows;
}

/** Tasks of teachers inside scopePath, optionally of one status. */
export async function listInScope(q: Queryable, scopePath: string, status: ShareBackStatus | null): Promise<ShareBackRow[]> {
  return (
    await q.query<ShareBackRow>(
      `${SELECT} WHERE o.path LIKE $1 || '%' AND ($2::text IS NULL OR sb.status = $2) ORDER BY sb.submitted_at DESC NULLS LAST, sb.id DESC LIMIT 1000`,
      [scopePath, status],
    )
  ).rows;
}

/** The task if its teacher is inside scopePath; locked when asked. */
export async function findInScope(q: Queryable, scopePath: string, id: number, lock = false): Promise<ShareBackRow | null> {
  if (lock) await q.query('SELECT 1 FROM share_backs WHERE id = $1 FOR UPDATE', [id]);
  return (await q.query<ShareBackRow>(`${SELECT} WHERE sb.id = $1 AND o.path LIKE $2 || '%'`, [id, scopePath])).rows[0] ?? null;
}

export async function setEvidence(q: Queryable, id: number, fileId: number): Promise<void> {
  await q.query('UPDATE share_backs SET evidence_file_id = $2 WHERE id = $1', [id, fileId]);
}

export async function submit(q: Queryable, id: number, f: { kind: string; title: string; heldOn: string; place: string; summary: string }): Promise<void> {
  await q.query(
    `UPDATE share_backs SET status = 'submitted', kind = $2, title = $3, held_on = $4, place = $5, summary = $6, submitted_at = now() WHERE id = $1`,
    [id, f.kind, f.title, f.heldOn, f.place, f.summary],
  );
}

export async function review(q: Queryable, id: number, status: ShareBackStatus, userId: number, comment: string | null): Promise<void> {
  await q.query('UPDATE share_backs SET status = $2, reviewed_by = $3, reviewed_at = now(), review_comment = $4 WHERE id = $1', [id, status, userId, comment]);
}
