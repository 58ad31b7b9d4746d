import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { todayInChina, worklist } from '../compliance/compliance.service.js';
import { notify } from './notifications.service.js';

/** Days before a rule's deadline that a teacher still short of it is reminded (issue 4 #8). */
export const DEFAULT_REMINDER_DAYS = 7;

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

/** The job acts for the whole tree: one bureau-level reader per root org. */
function systemReader(root: { id: number; path: string; name: string; level: string }): CurrentUser {
  return {
    id: 0, username: 'system', displayName: '系统', role: 'bureauAdmin', orgId: root.id, orgPath: root.path, orgName: root.name,
    orgLevel: root.level, teacherId: null, scopePath: root.path,
  };
}

export interface ReminderResult {
  asOf: string;
  /** Teacher-rule shortfalls whose deadline falls within the window. */
  due: number;
  /** Notifications created now (repeats are no-ops thanks to the dedupe key). */
  sent: number;
}

/**
 * 达标期限提醒: every teacher still short of a policy rule whose deadline is within `withinDays`
 * (default 7) of asOf gets one inbox message per rule and deadline. Uses the compliance worklist (the
 * policies in force at each school), so the figures match what the teacher sees on their status page.
 * Idempotent: the dedupe key deadline:{policy}:{rule}:{deadline} makes a second run the same day, or
 * on the following days, send nothing new.
 */
export async function remindDeadlines(ctx: AppContext, asOf: string = todayInChina(), opts: { withinDays?: number } = {}): Promise<ReminderResult> {
  const within = opts.withinDays ?? DEFAULT_REMINDER_DAYS;
  const until = addDays(asOf, within);
  const roots = (await ctx.db.query<{ id: number; path: string; name: string; level: string }>('SELECT id, path, name, level FROM orgs WHERE parent_id IS NULL ORDER BY id')).rows;
  let due = 0;
  let sent = 0;
  for (const root of roots) {
    const reader = systemReader(root);
    const pageSize = 2000;
    for (let page = 1; ; page++) {
      const wl = await worklist(ctx, reader, { asOf, page, pageSize });
      const teacherIds = wl.items.map((i) => i.teacher.id);
      const accounts = teacherIds.length
        ? (await ctx.db.query<{ id: number; teacher_id: number }>('SELECT id, teacher_id FROM users WHERE active AND teacher_id = ANY($1::int[])', [teacherIds])).rows
        : [];
      for (const entry of wl.items) {
        const users = accounts.filter((a) => a.teacher_id === entry.teacher.id).map((a) => a.id);
        for (const item of entry.items) {
          if (item.status !== 'shortfall' || item.overdue || !item.deadline || item.deadline < asOf || item.deadline > until) continue;
          due++;
          if (!users.length) continue;
          const left = item.shortfall !== null && item.unit ? `还差 ${item.shortfall} ${item.unit}` : '尚未达标';
          sent += await notify(ctx.db, users, {
            kind: 'deadline',
            title: `「${item.ruleTitle}」将于 ${item.deadline} 截止，${left}`,
            body: `${item.policyTitle}：${item.explanation}`,
            link: '/my/hours',
            dedupeKey: `deadline:${item.policyId}:${item.ruleId}:${item.deadline}`,
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
  let running = false;
  const tick = async () => {
    const today = todayInChina();
    if (running || today === lastDay) return;
    running = true;
    try {
      const r = await remindDeadlines(ctx, today);
      lastDay = today;
      log(`达标期限提醒：${r.due} 项临近截止，发送 ${r.sent} 条`);
    } catch (err) {
      log('达标期限提醒失败', err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 60_000);
  const every = setInterval(() => void tick(), 3600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
