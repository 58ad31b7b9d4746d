import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { worklist } from '../compliance/compliance.service.js';
import { policyForEvaluation } from '../policies/policies.service.js';
import { DEFAULT_REMINDER_DAYS, reminderDays, type Policy } from '../policies/policy.format.js';
import { notify } from './notifications.service.js';
import { startPeriodicJob } from '../../platform/periodic-job.js';
import { todayInChina } from '../../platform/china-time.js';

export { DEFAULT_REMINDER_DAYS };

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000);

/** The job acts for the whole tree: one bureau-level reader per root org. */
function systemReader(root: { id: number; path: string; name: string; level: string }): CurrentUser {
  return {
    id: 0,
    username: 'system',
    displayName: '系统',
    role: 'bureauAdmin',
    orgId: root.id,
    orgPath: root.path,
    orgName: root.name,
    orgLevel: root.level,
    teacherId: null,
    scopePath: root.path,
    roleId: 0,
    mustChangePassword: false,
  };
}

/**
 * Which configured reminder is due `left` days before a deadline: the smallest day count not below it
 * (so a job that missed the 30-day run still sends the 30-day reminder on day 20, but never two at once).
 * Null when the deadline is further away than every configured count.
 */
export function reminderDue(days: readonly number[], left: number): number | null {
  let due: number | null = null;
  for (const d of days) if (d >= left && (due === null || d < due)) due = d;
  return due;
}

/** Dedupe key of one reminder. The 7-day one keeps the key used before the days were configurable, so it is not sent again. */
export function reminderKey(policyId: number, ruleId: string, deadline: string, days: number): string {
  const base = `deadline:${policyId}:${ruleId}:${deadline}`;
  return days === 7 ? base : `${base}:${days}d`;
}

export interface ReminderResult {
  asOf: string;
  /** Teacher-rule shortfalls at one of their rule's reminder points (the deadline is within its largest day count). */
  due: number;
  /** Notifications created now (repeats are no-ops thanks to the dedupe key). */
  sent: number;
}

/**
 * 达标期限提醒: every teacher still short of a policy rule gets one inbox message per configured
 * reminder day count (the policy document's `reminders.daysBefore`, per rule or per document, default
 * [7]) before the rule's deadline. Uses the compliance worklist (the policies in force at each school),
 * so the figures match what the teacher sees on their status page. Idempotent: the dedupe key names
 * policy, rule, deadline and day count, so a second run the same day, or on the following days until
 * the next day count is reached, sends nothing new.
 */
export async function remindDeadlines(ctx: AppContext, asOf: string = todayInChina()): Promise<ReminderResult> {
  const roots = (
    await ctx.db.query<{ id: number; path: string; name: string; level: string }>('SELECT id, path, name, level FROM orgs WHERE parent_id IS NULL ORDER BY id')
  ).rows;
  let due = 0;
  let sent = 0;
  for (const root of roots) {
    const reader = systemReader(root);
    // The worklist evaluates the latest versions, so the settings are read from the same versions.
    const policies = new Map<number, Promise<Policy>>();
    const policyOf = (id: number) => {
      let p = policies.get(id);
      if (!p) policies.set(id, (p = policyForEvaluation(ctx, reader, id).then((lp) => lp.policy)));
      return p;
    };
    const pageSize = 2000;
    for (let page = 1; ; page++) {
      // Every teacher with an unmet requirement, on pace or not: a reminder point may fall while 进行中.
      const wl = await worklist(ctx, reader, { asOf, page, pageSize, show: 'all' });
      const teacherIds = wl.items.map((i) => i.teacher.id);
      const accounts = teacherIds.length
        ? (
            await ctx.db.query<{ id: number; teacher_id: number }>('SELECT id, teacher_id FROM users WHERE active AND teacher_id = ANY($1::int[])', [
              teacherIds,
            ])
          ).rows
        : [];
      for (const entry of wl.items) {
        const users = accounts.filter((a) => a.teacher_id === entry.teacher.id).map((a) => a.id);
        for (const item of entry.items) {
          if ((item.status !== 'dueSoon' && item.status !== 'inProgress') || !item.deadline || item.deadline < asOf) continue;
          const policy = await policyOf(item.policyId);
          const rule = policy.rules.find((r) => r.id === item.ruleId);
          const days = reminderDue(rule ? reminderDays(policy, rule) : DEFAULT_REMINDER_DAYS, daysBetween(asOf, item.deadline));
          if (days === null) continue;
          due++;
          if (!users.length) continue;
          const left = item.shortfall !== null && item.unit ? `还差 ${item.shortfall} ${item.unit}` : '尚未达标';
          sent += await notify(ctx.db, users, {
            kind: 'deadline',
            title: `「${item.ruleTitle}」将于 ${item.deadline} 截止，${left}`,
            body: `${item.policyTitle}：${item.explanation}`,
            link: '/my/hours',
            dedupeKey: reminderKey(item.policyId, item.ruleId, item.deadline, days),
          });
        }
      }
      if (page * pageSize >= wl.total) break;
    }
  }
  return { asOf, due, sent };
}

/**
 * Run remindDeadlines once a day in this process: checked hourly, run when the date in China has
 * changed since the last run (and once shortly after start). Several app processes may each run it;
 * the dedupe keys keep the inbox free of repeats. Returns a stop function.
 */
export function startDeadlineReminders(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined): () => void {
  let lastDay: string | null = null;
  return startPeriodicJob(
    60_000,
    async () => {
      const today = todayInChina();
      if (today === lastDay) return;
      const r = await remindDeadlines(ctx, today);
      lastDay = today;
      log(`达标期限提醒：${r.due} 项临近截止，发送 ${r.sent} 条`);
    },
    (err) => log('达标期限提醒失败', err),
  );
}
