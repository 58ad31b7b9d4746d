import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { startPeriodicJob } from '../../platform/periodic-job.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './ethics-reports.repository.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * Overdue reports go to the level above: a report with no first response by respond_by, or not closed by
 * conclude_by, is escalated once to the nearest bureau above its handling bureau (escalated_to_org_id/at, the reason
 * kept), whose ethics officers are notified; from then on that office sees it, may read the reporter and may act.
 * Idempotent: a report is escalated at most once (the UPDATE is conditional), so runs may repeat.
 */
export async function escalateOverdue(ctx: AppContext, today: string = todayInChina()): Promise<{ today: string; escalated: number[] }> {
  const escalated: number[] = [];
  for (const r of await repo.overdueNotEscalated(ctx.db, today)) {
    const done = await ctx.db.tx(async (q) => {
      const above = await repo.bureauAbove(q, r.handling_org_id);
      if (above === null) return false;
      if (!(await repo.markEscalated(q, r.id, above, r.reason))) return false;
      await repo.insertEvent(q, { reportId: r.id, action: 'escalated', fromOrgId: r.handling_org_id, toOrgId: above, byUser: null });
      await notify(q, await usersAt(q, [above], ['ethicsOfficer']), {
        kind: 'approval',
        title: r.reason === 'respond' ? '一件师德举报超过受理时限未答复，已升级到本单位督办' : '一件师德举报超过办结时限未办结，已升级到本单位督办',
        link: `/ethics/reports/${r.id}`,
        dedupeKey: `ethics-escalated:${r.id}`,
      });
      return true;
    });
    if (done) escalated.push(r.id);
  }
  return { today, escalated };
}

/** Run escalateOverdue at start and whenever the date in China changes (checked hourly). Returns a stop function. */
export function startEthicsEscalation(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined): () => void {
  let lastDay: string | null = null;
  return startPeriodicJob(
    7_000,
    async () => {
      const today = todayInChina();
      if (today === lastDay) return;
      const r = await escalateOverdue(ctx, today);
      lastDay = today;
      if (r.escalated.length) log(`师德举报：${r.escalated.length} 件超期，已升级到上级教育局`);
    },
    (err) => log('师德举报超期升级任务失败', err),
  );
}

/** The to-do centre's counts for the 师德专干 (todo.service.ts). */
export const ethicsTodo = {
  awaiting: (ctx: AppContext, u: CurrentUser) => repo.awaitingResponse(ctx.db, u.orgPath, u.orgId),
  overdue: (ctx: AppContext, u: CurrentUser) => repo.overdue(ctx.db, u.orgPath, u.orgId, todayInChina()),
};
