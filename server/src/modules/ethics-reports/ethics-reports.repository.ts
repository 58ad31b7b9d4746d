import type { Queryable } from '../../db/db.js';

/**
 * SQL of 举报受理 (ethics_reports and the intake tables of migration 0045). Officer queries are scoped in SQL: the
 * report's handling bureau is in the caller's subtree, or the report was escalated to the caller's org.
 */

export interface ReportRow {
  id: number;
  tracking_code: string;
  secret_hash: string;
  secret_expires_at: Date | string;
  channel: string;
  handling_org_id: number;
  handling_org_name: string;
  handling_org_path: string;
  school_org_id: number | null;
  school_name: string | null;
  teacher_id: number | null;
  subject_name_enc: string | null;
  category: string;
  content_enc: string;
  anonymous: boolean;
  reporter_enc: string | null;
  received_at: Date | string;
  received_by: number | null;
  received_by_name: string | null;
  respond_by: string;
  conclude_by: string;
  status: 'received' | 'accepted' | 'rejected' | 'closed';
  first_response_at: Date | string | null;
  escalated_to_org_id: number | null;
  escalated_to_name: string | null;
  escalated_at: Date | string | null;
  escalation_reason: 'respond' | 'conclude' | null;
  answer: string | null;
  answered_at: Date | string | null;
  occurred_on: string | null;
  case_stage: string | null;
}

const SELECT = `
  SELECT r.id, r.tracking_code, r.secret_hash, r.secret_expires_at, r.channel, r.handling_org_id, h.name AS handling_org_name,
         h.path AS handling_org_path, r.school_org_id, s.name AS school_name, r.teacher_id, r.subject_name_enc, r.category,
         r.content_enc, r.anonymous, r.reporter_enc, r.received_at, r.received_by, u.display_name AS received_by_name,
         to_char(r.respond_by, 'YYYY-MM-DD') AS respond_by, to_char(r.conclude_by, 'YYYY-MM-DD') AS conclude_by, r.status,
         r.first_response_at, r.escalated_to_org_id, e.name AS escalated_to_name, r.escalated_at, r.escalation_reason,
         r.answer, r.answered_at, to_char(r.occurred_on, 'YYYY-MM-DD') AS occurred_on,
         -- The stage of the case opened from the report (the cases module's table, read only for the status words).
         (SELECT c.stage FROM ethics_cases c WHERE c.report_id = r.id) AS case_stage
    FROM ethics_reports r
    JOIN orgs h ON h.id = r.handling_org_id
    LEFT JOIN orgs s ON s.id = r.school_org_id
    LEFT JOIN orgs e ON e.id = r.escalated_to_org_id
    LEFT JOIN users u ON u.id = r.received_by`;

/** The caller reaches the report: handled in its subtree, or escalated to its org. Params: $1 path, $2 org id. */
const REACH = `(h.path LIKE $1 || '%' OR r.escalated_to_org_id = $2)`;

export interface NewReport {
  trackingCode: string;
  secretHash: string;
  secretExpiresAt: Date;
  channel: string;
  handlingOrgId: number;
  schoolOrgId: number | null;
  subjectNameEnc: string | null;
  category: string;
  contentEnc: string;
  anonymous: boolean;
  reporterEnc: string | null;
  receivedAt: Date;
  receivedBy: number | null;
  respondBy: string;
  concludeBy: string;
  occurredOn: string | null;
}

/** Insert a report; null when the tracking code is taken (the caller draws another). */
export async function insertReport(q: Queryable, r: NewReport): Promise<number | null> {
  const res = await q.query<{ id: number }>(
    `INSERT INTO ethics_reports (tracking_code, secret_hash, secret_expires_at, channel, handling_org_id, school_org_id, subject_name_enc,
                                 category, content_enc, anonymous, reporter_enc, received_at, received_by, respond_by, conclude_by, occurred_on)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
     ON CONFLICT (tracking_code) DO NOTHING RETURNING id`,
    [
      r.trackingCode,
      r.secretHash,
      r.secretExpiresAt,
      r.channel,
      r.handlingOrgId,
      r.schoolOrgId,
      r.subjectNameEnc,
      r.category,
      r.contentEnc,
      r.anonymous,
      r.reporterEnc,
      r.receivedAt,
      r.receivedBy,
      r.respondBy,
      r.concludeBy,
      r.occurredOn,
    ],
  );
  return res.rows[0]?.id ?? null;
}

export async function insertEvent(
  q: Queryable,
  e: { reportId: number; action: string; fromOrgId?: number | null; toOrgId?: number | null; byUser: number | null; commentEnc?: string | null },
): Promise<void> {
  await q.query('INSERT INTO ethics_report_events (report_id, action, from_org_id, to_org_id, by_user, comment_enc) VALUES ($1,$2,$3,$4,$5,$6)', [
    e.reportId,
    e.action,
    e.fromOrgId ?? null,
    e.toOrgId ?? null,
    e.byUser,
    e.commentEnc ?? null,
  ]);
}

export async function attachFile(q: Queryable, reportId: number, fileId: number): Promise<void> {
  await q.query('INSERT INTO ethics_report_files (report_id, file_id) VALUES ($1, $2)', [reportId, fileId]);
}

export async function byTrackingCode(q: Queryable, code: string): Promise<ReportRow | null> {
  return (await q.query<ReportRow>(`${SELECT} WHERE r.tracking_code = $1`, [code])).rows[0] ?? null;
}

/** One report the caller reaches, else null (404). `lock` takes a row lock for a change. */
export async function reportInReach(q: Queryable, path: string, orgId: number, id: number, lock = false): Promise<ReportRow | null> {
  if (lock) await q.query('SELECT id FROM ethics_reports WHERE id = $1 FOR UPDATE', [id]);
  return (await q.query<ReportRow>(`${SELECT} WHERE r.id = $3 AND ${REACH}`, [path, orgId, id])).rows[0] ?? null;
}

/** Reports the caller reaches, the most urgent deadline first. */
export async function listInReach(
  q: Queryable,
  path: string,
  orgId: number,
  f: { statuses: string[]; overdueOn: string | null; limit: number; offset: number },
): Promise<{ rows: ReportRow[]; total: number }> {
  const r = await q.query<ReportRow & { total: number }>(
    `${SELECT.replace('SELECT ', 'SELECT count(*) OVER ()::int AS total, ')}
      WHERE ${REACH} AND r.status = ANY($3::text[])
        AND ($4::date IS NULL OR (r.status = 'received' AND r.respond_by < $4::date) OR (r.status <> 'closed' AND r.status <> 'rejected' AND r.conclude_by < $4::date))
      ORDER BY CASE WHEN r.status = 'received' THEN r.respond_by ELSE r.conclude_by END, r.id
      LIMIT $5 OFFSET $6`,
    [path, orgId, f.statuses, f.overdueOn, f.limit, f.offset],
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export interface EventRow {
  id: number;
  action: string;
  from_org_name: string | null;
  to_org_name: string | null;
  by_name: string | null;
  at: Date | string;
  comment_enc: string | null;
}

export async function eventsOf(q: Queryable, reportId: number): Promise<EventRow[]> {
  return (
    await q.query<EventRow>(
      `SELECT ev.id, ev.action, fo.name AS from_org_name, t.name AS to_org_name, u.display_name AS by_name, ev.at, ev.comment_enc
         FROM ethics_report_events ev
         LEFT JOIN orgs fo ON fo.id = ev.from_org_id
         LEFT JOIN orgs t ON t.id = ev.to_org_id
         LEFT JOIN users u ON u.id = ev.by_user
        WHERE ev.report_id = $1 ORDER BY ev.id`,
      [reportId],
    )
  ).rows;
}

export async function filesOf(q: Queryable, reportId: number): Promise<{ id: number; original_name: string; kind: string; size: number }[]> {
  return (
    await q.query<{ id: number; original_name: string; kind: string; size: number }>(
      `SELECT f.id::int AS id, f.original_name, f.kind, f.size FROM ethics_report_files rf JOIN files f ON f.id = rf.file_id
        WHERE rf.report_id = $1 ORDER BY f.id`,
      [reportId],
    )
  ).rows;
}

export async function hasFile(q: Queryable, reportId: number, fileId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM ethics_report_files WHERE report_id = $1 AND file_id = $2', [reportId, fileId])).rows.length > 0;
}

/** 不予受理: only from 'received'; false when the report moved on meanwhile. */
export async function reject(q: Queryable, id: number, reason: string): Promise<boolean> {
  const r = await q.query(
    `UPDATE ethics_reports SET status = 'rejected', answer = $2, answered_at = now(), first_response_at = coalesce(first_response_at, now())
      WHERE id = $1 AND status = 'received'`,
    [id, reason],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function transfer(q: Queryable, id: number, toOrgId: number): Promise<void> {
  await q.query('UPDATE ethics_reports SET handling_org_id = $2 WHERE id = $1', [id, toOrgId]);
}

// ---------------------------------------------------------------- orgs for the public form

export interface OrgOption {
  id: number;
  name: string;
  parent_id: number | null;
  level: string;
}

/** Open bureaus (names only): the reporter picks the region. */
export async function openBureaus(q: Queryable): Promise<OrgOption[]> {
  return (await q.query<OrgOption>(`SELECT id, name, parent_id, level FROM orgs WHERE kind = 'bureau' AND closed_at IS NULL ORDER BY path`, [])).rows;
}

/** Open bureaus of a subtree, the root first. */
export async function bureausUnder(q: Queryable, path: string): Promise<OrgOption[]> {
  return (
    await q.query<OrgOption>(`SELECT id, name, parent_id, level FROM orgs WHERE kind = 'bureau' AND closed_at IS NULL AND path LIKE $1 || '%' ORDER BY path`, [
      path,
    ])
  ).rows;
}

/** Open schools whose nearest bureau above is the given one (names only). */
export async function schoolsOfBureau(q: Queryable, bureauId: number): Promise<OrgOption[]> {
  return (
    await q.query<OrgOption>(
      `SELECT s.id, s.name, s.parent_id, s.level FROM orgs b JOIN orgs s ON s.path LIKE b.path || '_%'
        WHERE b.id = $1 AND b.kind = 'bureau' AND s.kind = 'school' AND s.closed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM orgs m WHERE m.kind = 'bureau' AND m.path LIKE b.path || '_%' AND s.path LIKE m.path || '%')
        ORDER BY s.name LIMIT 2000`,
      [bureauId],
    )
  ).rows;
}

export async function orgById(
  q: Queryable,
  id: number,
): Promise<{ id: number; name: string; kind: string; path: string; parent_id: number | null; closed: boolean } | null> {
  return (
    (
      await q.query<{ id: number; name: string; kind: string; path: string; parent_id: number | null; closed: boolean }>(
        'SELECT id, name, kind, path, parent_id, closed_at IS NOT NULL AS closed FROM orgs WHERE id = $1',
        [id],
      )
    ).rows[0] ?? null
  );
}

/** The nearest open bureau strictly above an org (the level a report escalates to), or null at the top. */
export async function bureauAbove(q: Queryable, orgId: number): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `SELECT b.id FROM orgs o JOIN orgs b ON o.path LIKE b.path || '_%'
      WHERE o.id = $1 AND b.kind = 'bureau' AND b.closed_at IS NULL ORDER BY length(b.path) DESC LIMIT 1`,
    [orgId],
  );
  return r.rows[0]?.id ?? null;
}

// ---------------------------------------------------------------- deadlines and escalation

/** Reports overdue on `today` and not escalated yet: no first response by respond_by, or not closed by conclude_by. */
export async function overdueNotEscalated(q: Queryable, today: string): Promise<{ id: number; handling_org_id: number; reason: 'respond' | 'conclude' }[]> {
  return (
    await q.query<{ id: number; handling_org_id: number; reason: 'respond' | 'conclude' }>(
      `SELECT id, handling_org_id, CASE WHEN status = 'received' AND respond_by < $1::date THEN 'respond' ELSE 'conclude' END AS reason
         FROM ethics_reports
        WHERE escalated_at IS NULL
          AND ((status = 'received' AND respond_by < $1::date) OR (status = 'accepted' AND conclude_by < $1::date))
        ORDER BY id`,
      [today],
    )
  ).rows;
}

/** Mark a report escalated, once (false when another run did it first). */
export async function markEscalated(q: Queryable, id: number, toOrgId: number, reason: 'respond' | 'conclude'): Promise<boolean> {
  const r = await q.query(
    `UPDATE ethics_reports SET escalated_to_org_id = $2, escalated_at = now(), escalation_reason = $3 WHERE id = $1 AND escalated_at IS NULL`,
    [id, toOrgId, reason],
  );
  return (r.rowCount ?? 0) > 0;
}

// ---------------------------------------------------------------- to-do counts

export interface Waiting {
  n: number;
  oldest: Date | string | null;
}

/** Reports the caller reaches that wait for a first response (受理 / 不予受理). */
export async function awaitingResponse(q: Queryable, path: string, orgId: number): Promise<Waiting> {
  return (
    await q.query<Waiting>(
      `SELECT count(*)::int AS n, min(r.received_at) AS oldest FROM ethics_reports r JOIN orgs h ON h.id = r.handling_org_id
        WHERE ${REACH} AND r.status = 'received'`,
      [path, orgId],
    )
  ).rows[0];
}

/** Reports the caller reaches that are past a deadline. */
export async function overdue(q: Queryable, path: string, orgId: number, today: string): Promise<Waiting> {
  return (
    await q.query<Waiting>(
      `SELECT count(*)::int AS n, min(CASE WHEN r.status = 'received' THEN r.respond_by ELSE r.conclude_by END)::timestamptz AS oldest
         FROM ethics_reports r JOIN orgs h ON h.id = r.handling_org_id
        WHERE ${REACH} AND ((r.status = 'received' AND r.respond_by < $3::date) OR (r.status = 'accepted' AND r.conclude_by < $3::date))`,
      [path, orgId, today],
    )
  ).rows[0];
}
