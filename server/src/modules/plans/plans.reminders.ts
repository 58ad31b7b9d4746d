/**
 * Reminders of the plan cycle (issue 14 item 5): before the filing deadline a unit that has not filed its plan of the
 * year gets a notification on each of the policy's reminder days (`planCycle.reminderDays`) and a to-do from the
 * first of them on (and while a returned plan waits); a bureau's to-do counts the plans waiting for its review.
 * The job runs once a day (platform/periodic-job.ts) and is idempotent (dedupe keys name unit, year and day count).
 */
import type { Queryable } from '../../db/db.js';
import type { CurrentUser } from '../../platform/access.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { startPeriodicJob } from '../../platform/periodic-job.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import type { Waiting } from '../todo/todo.repository.js';
import { daysBetween, deadlineOf, planRulesAt, reminderDueOn, type PlanRules } from './plans.rules.js';
import * as repo from './plans.repository.js';

/** Units without a filing for `year`, each with its reviewer (the nearest bureau above). */
async function unfiled(q: Queryable, year: number): Promise<{ unit: repo.OrgRow; reviewer: repo.OrgRow }[]> {
  const units = (
    await q.query<repo.OrgRow>(
      `SELECT o.id, o.name, o.path, o.kind, o.level FROM orgs o
        WHERE o.kind IN ('school','bureau') AND o.parent_id IS NOT NULL AND o.closed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM plan_filings f WHERE f.org_id = o.id AND f.year = $1)
        ORDER BY o.path`,
      [year],
    )
  ).rows;
  const bureaus = new Map(
    (await q.query<repo.OrgRow>(`SELECT id, name, path, kind, level FROM orgs WHERE kind = 'bureau'`)).rows.map((b) => [b.id, b] as const),
  );
  const out: { unit: repo.OrgRow; reviewer: repo.OrgRow }[] = [];
  for (const unit of units) {
    const ids = unit.path.split('/').filter(Boolean).map(Number).reverse();
    const reviewer = ids
      .filter((id) => id !== unit.id)
      .map((id) => bureaus.get(id))
      .find((b) => b);
    if (reviewer) out.push({ unit, reviewer });
  }
  return out;
}

export interface PlanReminderResult {
  asOf: string;
  due: number;
  sent: number;
}

/** Send the reminders due on `asOf` (China date) for the plans of its year. */
export async function remindPlans(ctx: AppContext, asOf: string = todayInChina()): Promise<PlanReminderResult> {
  const year = Number(asOf.slice(0, 4));
  const rulesBy = new Map<number, Promise<PlanRules>>();
  let due = 0;
  let sent = 0;
  for (const { unit, reviewer } of await unfiled(ctx.db, year)) {
    let p = rulesBy.get(reviewer.id);
    if (!p) rulesBy.set(reviewer.id, (p = planRulesAt(ctx.db, reviewer.path, asOf)));
    const { rules } = await p;
    const deadline = deadlineOf(rules, year);
    const days = reminderDueOn(rules, daysBetween(asOf, deadline));
    if (days === null) continue;
    due++;
    sent += await notify(ctx.db, await usersAt(ctx.db, [unit.id], ['schoolAdmin', 'bureauAdmin']), {
      kind: 'deadline',
      title: `${year} 年度计划和培训年度计划将于 ${deadline} 截止报送，本单位尚未报送`,
      body: `请在截止日期前向${reviewer.name}报送。`,
      link: `/plans/mine?year=${year}`,
      dedupeKey: `plan:${unit.id}:${year}:${days}`,
    });
  }
  return { asOf, due, sent };
}

/** Run remindPlans once a day in this process (when the China date changes). Returns a stop function. */
export function startPlanReminders(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined): () => void {
  let lastDay: string | null = null;
  return startPeriodicJob(
    90_000,
    async () => {
      const today = todayInChina();
      if (today === lastDay) return;
      const r = await remindPlans(ctx, today);
      lastDay = today;
      log(`年度计划报送提醒：${r.due} 个单位临近截止，发送 ${r.sent} 条`);
    },
    (err) => log('年度计划报送提醒失败', err),
  );
}

/** To-do of a filing unit: its plan of this year is returned, or missing from the first reminder day on (or overdue). */
export async function planFilingWaiting(ctx: AppContext, u: CurrentUser): Promise<Waiting> {
  const unit = await repo.orgById(ctx.db, u.orgId);
  if (!unit || !['school', 'bureau'].includes(unit.kind)) return { n: 0, oldest: null };
  const reviewer = await repo.reviewerOf(ctx.db, unit);
  if (!reviewer) return { n: 0, oldest: null };
  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const s = (await repo.statusOf(ctx.db, [unit.id], year)).get(unit.id);
  if (s?.decision === 'returned') return { n: 1, oldest: s.latestOn };
  if (s) return { n: 0, oldest: null };
  const { rules } = await planRulesAt(ctx.db, reviewer.path, today);
  const deadline = deadlineOf(rules, year);
  const left = daysBetween(today, deadline);
  return left <= Math.max(...rules.reminderDays) ? { n: 1, oldest: deadline } : { n: 0, oldest: null };
}

/** To-do of a bureau: the plans of its units waiting for review (undecided latest versions). */
export async function planReviewsWaiting(ctx: AppContext, u: CurrentUser): Promise<Waiting> {
  const r = await ctx.db.query<{ n: number; oldest: string | null }>(
    `SELECT count(*)::int AS n, min(f.submitted_at) AS oldest
       FROM plan_filings f JOIN orgs o ON o.id = f.org_id
      WHERE NOT EXISTS (SELECT 1 FROM plan_decisions d WHERE d.filing_id = f.id)
        AND o.path LIKE $1 || '%' AND o.id <> $2
        AND NOT EXISTS (SELECT 1 FROM orgs b WHERE b.kind = 'bureau' AND b.id <> o.id AND b.id <> $2 AND b.path LIKE $1 || '%' AND o.path LIKE b.path || '%')`,
    [u.orgPath, u.orgId],
  );
  return r.rows[0];
}
