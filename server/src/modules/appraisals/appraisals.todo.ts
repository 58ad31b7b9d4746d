import type { CurrentUser } from '../../platform/access.js';
import { SQL_TODAY_IN_CHINA } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import type { Waiting } from '../todo/todo.repository.js';

/**
 * To-dos of 年度考核 (issue 14 item 1), counted from the rounds themselves: a teacher's self-report still owed, and
 * the entries a school (or the bureau that opened the round) has still to grade.
 */

/** Teacher: open rounds with the teacher's entry not yet self-reported, the self-report deadline not passed (China date). */
export async function appraisalSelfReportWaiting(ctx: AppContext, u: CurrentUser): Promise<Waiting> {
  if (u.teacherId === null) return { n: 0, oldest: null };
  const r = await ctx.db.query<{ n: number; oldest: string | null }>(
    `SELECT count(*)::int AS n, min(r.self_report_until)::text AS oldest
       FROM appraisal_entries e JOIN appraisal_rounds r ON r.id = e.round_id
      WHERE e.teacher_id = $1 AND r.status = 'open' AND e.self_reported_at IS NULL
        AND r.self_report_until >= ${SQL_TODAY_IN_CHINA}`,
    [u.teacherId],
  );
  return r.rows[0];
}

/**
 * School admin: ungraded entries of open rounds for the schools of its scope (rounds it opened or a bureau above
 * opened). Bureau admin: ungraded entries of the open rounds it opened. Opens the round when only one waits.
 */
export async function appraisalGradingWaiting(ctx: AppContext, u: CurrentUser): Promise<Waiting & { link?: string }> {
  const bureau = u.role === 'bureauAdmin';
  const r = await ctx.db.query<{ n: number; oldest: string | null; rounds: number; round: number | null }>(
    `SELECT count(*)::int AS n, min(r.grade_until)::text AS oldest, count(DISTINCT r.id)::int AS rounds, min(r.id) AS round
       FROM appraisal_entries e JOIN appraisal_rounds r ON r.id = e.round_id JOIN orgs so ON so.id = e.school_org_id
      WHERE r.status = 'open' AND e.grade IS NULL AND so.path LIKE $1 || '%'
        AND ($2::int IS NULL OR r.org_id = $2)`,
    [u.scopePath, bureau ? u.orgId : null],
  );
  const w = r.rows[0];
  return { n: w.n, oldest: w.oldest, link: w.rounds === 1 ? `/appraisals/${w.round}` : '/appraisals' };
}
