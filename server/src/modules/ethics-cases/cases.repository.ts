import type { Queryable } from '../../db/db.js';

/** All SQL of 案件办理 (ethics_cases, ethics_case_events, and the report's status when a case opens or closes). */

export interface CaseRow {
  id: number;
  report_id: number | null;
  teacher_id: number;
  teacher_name: string;
  teacher_org_name: string;
  handling_org_id: number;
  handling_org_path: string;
  handling_org_name: string;
  category: string;
  stage: string;
  origin: string | null;
  description_enc: string | null;
  outcome: string | null;
  investigator_id: number | null;
  investigator_name: string | null;
  school_informed: boolean;
  school_informed_at: string | null;
  opened_at: string;
  opened_on: string;
  notified_at: string | null;
  appeal_by: string | null;
  closed_at: string | null;
  report_conclude_by: string | null;
  report_tracking_code: string | null;
}

const CASE_SELECT = `SELECT c.id, c.report_id, c.teacher_id, t.name AS teacher_name, tso.name AS teacher_org_name,
    c.handling_org_id, o.name AS handling_org_name, o.path AS handling_org_path, c.category, c.stage, c.origin, c.description_enc, c.outcome,
    c.investigator_id, iu.display_name AS investigator_name, c.school_informed, c.school_informed_at,
    c.opened_at, (c.opened_at AT TIME ZONE 'Asia/Shanghai')::date::text AS opened_on, c.notified_at,
    c.appeal_by::text AS appeal_by, c.closed_at, r.conclude_by::text AS report_conclude_by, r.tracking_code AS report_tracking_code
  FROM ethics_cases c
  JOIN orgs o ON o.id = c.handling_org_id
  JOIN teachers t ON t.id = c.teacher_id
  JOIN orgs tso ON tso.id = t.org_id
  LEFT JOIN users iu ON iu.id = c.investigator_id
  LEFT JOIN ethics_reports r ON r.id = c.report_id`;

/** A case whose handling org is in the scope (null scope: any); FOR UPDATE OF c when locking. */
export async function getCase(q: Queryable, scopePath: string | null, id: number, lock = false): Promise<CaseRow | null> {
  const r = await q.query<CaseRow>(`${CASE_SELECT} WHERE c.id = $1 AND ($2::text IS NULL OR o.path LIKE $2 || '%')${lock ? ' FOR UPDATE OF c' : ''}`, [
    id,
    scopePath,
  ]);
  return r.rows[0] ?? null;
}

export async function listCases(
  q: Queryable,
  scopePath: string,
  f: { stage?: string; limit: number; offset: number },
): Promise<{ rows: CaseRow[]; total: number }> {
  const where = `WHERE o.path LIKE $1 || '%' AND ($2::text IS NULL OR c.stage = $2)`;
  const rows = (
    await q.query<CaseRow>(`${CASE_SELECT} ${where} ORDER BY c.closed_at IS NOT NULL, c.opened_at DESC, c.id DESC LIMIT $3 OFFSET $4`, [
      scopePath,
      f.stage ?? null,
      f.limit,
      f.offset,
    ])
  ).rows;
  const total = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ethics_cases c JOIN orgs o ON o.id = c.handling_org_id ${where}`, [scopePath, f.stage ?? null])
  ).rows[0].n;
  return { rows, total };
}

/** The teacher's own cases, once they were told (告知). */
export async function casesOfTeacher(q: Queryable, teacherId: number, id: number | null = null): Promise<CaseRow[]> {
  return (
    await q.query<CaseRow>(
      `${CASE_SELECT} WHERE c.teacher_id = $1 AND c.notified_at IS NOT NULL AND ($2::int IS NULL OR c.id = $2) ORDER BY c.notified_at DESC, c.id DESC`,
      [teacherId, id],
    )
  ).rows;
}

/** Cases the bureau chose to tell the school about, of teachers now at `schoolOrgId`: existence only. */
export async function informedCases(
  q: Queryable,
  schoolOrgId: number,
): Promise<{ id: number; teacher_name: string; opened_on: string; informed_at: string }[]> {
  return (
    await q.query<{ id: number; teacher_name: string; opened_on: string; informed_at: string }>(
      `SELECT c.id, t.name AS teacher_name, (c.opened_at AT TIME ZONE 'Asia/Shanghai')::date::text AS opened_on, c.school_informed_at AS informed_at
         FROM ethics_cases c JOIN teachers t ON t.id = c.teacher_id
        WHERE c.school_informed AND t.org_id = $1 ORDER BY c.opened_at DESC, c.id DESC`,
      [schoolOrgId],
    )
  ).rows;
}

export interface ReportRow {
  id: number;
  handling_org_id: number;
  handling_path: string;
  category: string;
  status: string;
  teacher_id: number | null;
}

export async function getReport(q: Queryable, scopePath: string, id: number, lock = false): Promise<ReportRow | null> {
  const r = await q.query<ReportRow>(
    `SELECT r.id, r.handling_org_id, o.path AS handling_path, r.category, r.status, r.teacher_id
       FROM ethics_reports r JOIN orgs o ON o.id = r.handling_org_id
      WHERE r.id = $1 AND o.path LIKE $2 || '%'${lock ? ' FOR UPDATE OF r' : ''}`,
    [id, scopePath],
  );
  return r.rows[0] ?? null;
}

/** The report is 受理: teacher identified, status accepted, first response now (kept if already set). */
export async function markReportAccepted(q: Queryable, id: number, teacherId: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE ethics_reports SET status = 'accepted', teacher_id = $2, first_response_at = COALESCE(first_response_at, now())
      WHERE id = $1 AND status = 'received'`,
    [id, teacherId],
  );
  return (r.rowCount ?? 0) > 0;
}

/** 办结: the answer the reporter reads. */
export async function closeReport(q: Queryable, id: number, answer: string): Promise<void> {
  await q.query(`UPDATE ethics_reports SET status = 'closed', answer = $2, answered_at = now() WHERE id = $1 AND status = 'accepted'`, [id, answer]);
}

/** A teacher (id, name, org path) whose school lies in the subtree of `orgPath`. */
export async function teacherUnder(q: Queryable, teacherId: number, orgPath: string): Promise<{ id: number; name: string; org_id: number } | null> {
  const r = await q.query<{ id: number; name: string; org_id: number }>(
    `SELECT t.id, t.name, t.org_id FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
    [teacherId, orgPath],
  );
  return r.rows[0] ?? null;
}

export async function orgPath(q: Queryable, orgId: number): Promise<string | null> {
  return (await q.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [orgId])).rows[0]?.path ?? null;
}

/** Users holding a current (not revoked) staff role at the org: who may investigate. */
export async function staffAt(q: Queryable, orgId: number): Promise<{ id: number; display_name: string }[]> {
  return (
    await q.query<{ id: number; display_name: string }>(
      `SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles ur ON ur.user_id = u.id
        WHERE ur.org_id = $1 AND ur.revoked_at IS NULL AND ur.role <> 'teacher' AND u.active ORDER BY u.id`,
      [orgId],
    )
  ).rows;
}

/** The accounts of a teacher (to tell them of a decision). */
export async function teacherUsers(q: Queryable, teacherId: number): Promise<number[]> {
  return (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1 AND active', [teacherId])).rows.map((r) => r.id);
}

export async function insertCase(
  q: Queryable,
  c: { reportId: number | null; teacherId: number; handlingOrgId: number; category: string; origin: string; descriptionEnc: string | null; openedBy: number },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO ethics_cases (report_id, teacher_id, handling_org_id, category, origin, description_enc, opened_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [c.reportId, c.teacherId, c.handlingOrgId, c.category, c.origin, c.descriptionEnc, c.openedBy],
    )
  ).rows[0].id;
}

/** Move a case from one stage to another with extra column values; false when it was no longer in `from`. */
export async function moveStage(
  q: Queryable,
  id: number,
  from: string,
  to: string,
  set: { investigatorId?: number; outcome?: string | null; appealBy?: string; notified?: boolean; closed?: boolean } = {},
): Promise<boolean> {
  const r = await q.query(
    `UPDATE ethics_cases SET stage = $3,
        investigator_id = CASE WHEN $4::int IS NULL THEN investigator_id ELSE $4 END,
        outcome = CASE WHEN $5::boolean THEN $6 ELSE outcome END,
        appeal_by = COALESCE($7::date, appeal_by),
        notified_at = CASE WHEN $8::boolean THEN now() ELSE notified_at END,
        closed_at = CASE WHEN $9::boolean THEN now() ELSE closed_at END
      WHERE id = $1 AND stage = $2`,
    [id, from, to, set.investigatorId ?? null, set.outcome !== undefined, set.outcome ?? null, set.appealBy ?? null, !!set.notified, !!set.closed],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function markSchoolInformed(q: Queryable, id: number): Promise<boolean> {
  const r = await q.query('UPDATE ethics_cases SET school_informed = true, school_informed_at = now() WHERE id = $1 AND NOT school_informed', [id]);
  return (r.rowCount ?? 0) > 0;
}

export interface EventRow {
  id: number;
  case_id: number;
  action: string;
  from_stage: string | null;
  to_stage: string | null;
  by_user: number | null;
  by_name: string | null;
  at: string;
  comment: string | null;
  data: Record<string, unknown>;
}

export async function insertEvent(
  q: Queryable,
  e: { caseId: number; action: string; from: string | null; to: string | null; by: number | null; comment?: string | null; data?: Record<string, unknown> },
): Promise<void> {
  await q.query(`INSERT INTO ethics_case_events (case_id, action, from_stage, to_stage, by_user, comment, data) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb)`, [
    e.caseId,
    e.action,
    e.from,
    e.to,
    e.by,
    e.comment ?? null,
    JSON.stringify(e.data ?? {}),
  ]);
}

export async function eventsOf(q: Queryable, caseId: number): Promise<EventRow[]> {
  return (
    await q.query<EventRow>(
      `SELECT e.id, e.case_id, e.action, e.from_stage, e.to_stage, e.by_user, u.display_name AS by_name, e.at, e.comment, e.data
         FROM ethics_case_events e LEFT JOIN users u ON u.id = e.by_user WHERE e.case_id = $1 ORDER BY e.id`,
      [caseId],
    )
  ).rows;
}

/** The sanction of the case in force (not superseded), if any. */
export async function currentSanctionId(q: Queryable, caseId: number): Promise<number | null> {
  return (
    (
      await q.query<{ id: number }>(
        'SELECT id FROM ethics_sanctions WHERE case_id = $1 AND superseded_at IS NULL AND revoked_on IS NULL ORDER BY id DESC LIMIT 1',
        [caseId],
      )
    ).rows[0]?.id ?? null
  );
}

/** Files uploaded for appeals by this user and not yet used by an appeal event. */
export async function ownAppealFiles(q: Queryable, userId: number, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  return (
    await q.query<{ id: number }>(`SELECT f.id FROM files f WHERE f.id = ANY($1::bigint[]) AND f.owner_user_id = $2 AND f.purpose = 'ethicsAppeal'`, [
      ids,
      userId,
    ])
  ).rows.map((r) => Number(r.id));
}

/** Evidence files uploaded for this case (their ids appear in its evidence events). */
export async function caseFileIds(q: Queryable, caseId: number): Promise<number[]> {
  const r = await q.query<{ id: string }>(
    `SELECT DISTINCT jsonb_array_elements_text(data->'fileIds') AS id FROM ethics_case_events WHERE case_id = $1 AND data ? 'fileIds'`,
    [caseId],
  );
  return r.rows.map((x) => Number(x.id));
}
