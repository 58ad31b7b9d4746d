import type { Queryable } from '../../db/db.js';

// The ethics board (issue 12 item 7): figures over the 0044 tables of the caller's subtree. Parameters:
// $1 org path, $2 period start, $3 period end (dates, inclusive, China time), $4 today.

/** A timestamp's date in China. */
const L = (col: string) => `((${col}) AT TIME ZONE 'Asia/Shanghai')::date`;

const REPORTS_IN_SUBTREE = `ethics_reports r JOIN orgs ho ON ho.id = r.handling_org_id WHERE ho.path LIKE $1 || '%'`;
const OPEN = `r.status IN ('received','accepted') AND r.answered_at IS NULL`;

/** Open reports (now) by age since receipt, in days: 0–7, 8–30, 31–90, over 90. */
export async function openByAge(q: Queryable, orgPath: string, today: string) {
  return (
    await q.query<{ d7: number; d30: number; d90: number; older: number; total: number }>(
      `SELECT count(*) FILTER (WHERE $2::date - ${L('r.received_at')} <= 7)::int AS d7,
              count(*) FILTER (WHERE $2::date - ${L('r.received_at')} BETWEEN 8 AND 30)::int AS d30,
              count(*) FILTER (WHERE $2::date - ${L('r.received_at')} BETWEEN 31 AND 90)::int AS d90,
              count(*) FILTER (WHERE $2::date - ${L('r.received_at')} > 90)::int AS older,
              count(*)::int AS total
         FROM ${REPORTS_IN_SUBTREE} AND ${OPEN}`,
      [orgPath, today],
    )
  ).rows[0];
}

/** Open reports past a deadline now: no first response by respond_by, no answer by conclude_by; escalated ones. */
export async function overdue(q: Queryable, orgPath: string, today: string) {
  return (
    await q.query<{ respond: number; conclude: number; escalated: number }>(
      `SELECT count(*) FILTER (WHERE r.first_response_at IS NULL AND r.respond_by < $2::date)::int AS respond,
              count(*) FILTER (WHERE r.conclude_by < $2::date)::int AS conclude,
              count(*) FILTER (WHERE r.escalated_at IS NOT NULL)::int AS escalated
         FROM ${REPORTS_IN_SUBTREE} AND ${OPEN}`,
      [orgPath, today],
    )
  ).rows[0];
}

/** Overdue open reports, oldest deadline first (tracking code, handling org, dates — no content, no names). */
export async function overdueList(q: Queryable, orgPath: string, today: string) {
  return (
    await q.query<{
      id: number;
      tracking_code: string;
      org_name: string;
      category: string;
      received_on: string;
      respond_by: string;
      conclude_by: string;
      responded: boolean;
      escalated: boolean;
    }>(
      `SELECT r.id, r.tracking_code, ho.name AS org_name, r.category, ${L('r.received_at')}::text AS received_on,
              r.respond_by::text AS respond_by, r.conclude_by::text AS conclude_by, r.first_response_at IS NOT NULL AS responded,
              r.escalated_at IS NOT NULL AS escalated
         FROM ${REPORTS_IN_SUBTREE} AND ${OPEN}
          AND ((r.first_response_at IS NULL AND r.respond_by < $2::date) OR r.conclude_by < $2::date)
        ORDER BY LEAST(CASE WHEN r.first_response_at IS NULL THEN r.respond_by END, r.conclude_by), r.id LIMIT 100`,
      [orgPath, today],
    )
  ).rows;
}

/** Cases of the subtree by stage (now). */
export async function casesByStage(q: Queryable, orgPath: string) {
  return (
    await q.query<{ stage: string; n: number }>(
      `SELECT c.stage, count(*)::int AS n FROM ethics_cases c JOIN orgs o ON o.id = c.handling_org_id
        WHERE o.path LIKE $1 || '%' GROUP BY c.stage`,
      [orgPath],
    )
  ).rows;
}

/** Cases opened in the period by category. */
export async function casesByCategory(q: Queryable, orgPath: string, from: string, to: string) {
  return (
    await q.query<{ category: string; n: number }>(
      `SELECT c.category, count(*)::int AS n FROM ethics_cases c JOIN orgs o ON o.id = c.handling_org_id
        WHERE o.path LIKE $1 || '%' AND ${L('c.opened_at')} BETWEEN $2::date AND $3::date GROUP BY c.category ORDER BY n DESC, c.category`,
      [orgPath, from, to],
    )
  ).rows;
}

/** Sanctions in force today on teachers of the subtree (not superseded, not revoked, today within the term), by kind. */
export async function sanctionsInForce(q: Queryable, orgPath: string, today: string) {
  return (
    await q.query<{ kind: string; n: number }>(
      `SELECT s.kind, count(*)::int AS n FROM ethics_sanctions s JOIN teachers t ON t.id = s.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $1 || '%' AND s.superseded_at IS NULL AND s.revoked_on IS NULL
          AND s.valid_from <= $2::date AND (s.valid_until IS NULL OR s.valid_until >= $2::date)
        GROUP BY s.kind`,
      [orgPath, today],
    )
  ).rows;
}

/**
 * Audit lines of the period by users of the subtree: 诚信档案 reads (integrity's 'integrity.read', and
 * 'integrity.moveRead' at a transfer) and 准入查询 ('ethics.entryCheck').
 */
export async function lookups(q: Queryable, orgPath: string, from: string, to: string) {
  return (
    await q.query<{ integrity: number; entry_checks: number }>(
      `SELECT count(*) FILTER (WHERE a.action IN ('integrity.read', 'integrity.moveRead'))::int AS integrity,
              count(*) FILTER (WHERE a.action = 'ethics.entryCheck')::int AS entry_checks
         FROM audit_log a JOIN orgs o ON o.id = a.org_id
        WHERE o.path LIKE $1 || '%' AND ${L('a.at')} BETWEEN $2::date AND $3::date
          AND a.action IN ('integrity.read', 'integrity.moveRead', 'ethics.entryCheck')`,
      [orgPath, from, to],
    )
  ).rows[0];
}

/**
 * 件件有回音 per handling bureau, over the reports received in the period:
 *   first response  = first_response_at, or the answer when the report was answered (不予受理 with its reason) without one
 *   on time         = first response on or before respond_by AND answer on or before conclude_by (China dates)
 *   settled         = answered, or a deadline it can no longer meet has passed (conclude_by before today, or no
 *                     first response by a respond_by before today)
 *   rate            = on time / settled; reports still within their deadlines and unanswered are pending, not counted.
 */
export async function answerRate(q: Queryable, orgPath: string, from: string, to: string, today: string) {
  const FIRST = `COALESCE(r.first_response_at, r.answered_at)`;
  const RESPONDED = `(${FIRST} IS NOT NULL AND ${L(FIRST)} <= r.respond_by)`;
  const ANSWERED = `(r.answered_at IS NOT NULL AND ${L('r.answered_at')} <= r.conclude_by)`;
  const SETTLED = `(r.answered_at IS NOT NULL OR r.conclude_by < $4::date OR (NOT ${RESPONDED} AND r.respond_by < $4::date))`;
  return (
    await q.query<{ org_id: number; org_name: string; received: number; settled: number; on_time: number; pending: number }>(
      `SELECT ho.id AS org_id, ho.name AS org_name, count(*)::int AS received,
              count(*) FILTER (WHERE ${SETTLED})::int AS settled,
              count(*) FILTER (WHERE ${SETTLED} AND ${RESPONDED} AND ${ANSWERED})::int AS on_time,
              count(*) FILTER (WHERE NOT ${SETTLED})::int AS pending
         FROM ${REPORTS_IN_SUBTREE} AND ${L('r.received_at')} BETWEEN $2::date AND $3::date
        GROUP BY ho.id, ho.name, ho.path ORDER BY ho.path`,
      [orgPath, from, to, today],
    )
  ).rows;
}

/** Reports received in the period (all channels) and 通报 / meetings of the period. */
export async function periodCounts(q: Queryable, orgPath: string, from: string, to: string) {
  return (
    await q.query<{ reports: number; anonymous: number; notices: number; meetings: number }>(
      `SELECT (SELECT count(*)::int FROM ${REPORTS_IN_SUBTREE} AND ${L('r.received_at')} BETWEEN $2::date AND $3::date) AS reports,
              (SELECT count(*)::int FROM ${REPORTS_IN_SUBTREE} AND r.anonymous AND ${L('r.received_at')} BETWEEN $2::date AND $3::date) AS anonymous,
              (SELECT count(*)::int FROM ethics_notices n JOIN orgs t ON t.id = n.target_org_id
                WHERE t.path LIKE $1 || '%' AND n.withdrawn_at IS NULL AND n.published_on BETWEEN $2::date AND $3::date) AS notices,
              (SELECT count(*)::int FROM ethics_meetings m JOIN orgs mo ON mo.id = m.org_id
                WHERE mo.path LIKE $1 || '%' AND m.held_on BETWEEN $2::date AND $3::date) AS meetings`,
      [orgPath, from, to],
    )
  ).rows[0];
}
