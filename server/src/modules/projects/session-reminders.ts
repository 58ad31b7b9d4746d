import type { AppContext } from '../../platform/context.js';
import { notify } from '../notifications/notifications.service.js';
import { purgeScanTicketUses, sessionsToRemind } from './attendance.repository.js';
import { SCAN_TICKET_SECONDS } from './checkin-token.js';
import { RUNNING_STATES } from './lifecycle.js';
import { startPeriodicJob } from '../../platform/periodic-job.js';
import { todayInChina } from '../../platform/china-time.js';

/** How long before a session starts its enrolled teachers are reminded (the day before). */
export const SESSION_REMINDER_HOURS = 24;

export interface SessionReminderResult {
  sessions: number;
  /** Notifications created now; a repeat run creates none (dedupe key per session and user). */
  sent: number;
}

/**
 * 开课提醒 (issue 11 item 9): every teacher enrolled (approved, not withdrawn) in a running project gets one
 * inbox message when one of its sessions starts within SESSION_REMINDER_HOURS: when, where, and to scan
 * in. Idempotent: the dedupe key `session:<id>:reminder` makes a second run (or a second app process) a no-op.
 */
export async function remindSessions(ctx: AppContext, now = new Date()): Promise<SessionReminderResult> {
  const until = new Date(now.getTime() + SESSION_REMINDER_HOURS * 3600_000);
  const rows = await sessionsToRemind(ctx.db, now, until, todayInChina(now), todayInChina(until), RUNNING_STATES);
  const bySession = new Map<number, { row: (typeof rows)[number]; users: number[] }>();
  for (const r of rows) {
    const s = bySession.get(r.session_id) ?? { row: r, users: [] };
    s.users.push(r.user_id);
    bySession.set(r.session_id, s);
  }
  let sent = 0;
  for (const { row: s, users } of bySession.values()) {
    const when = s.date === todayInChina(now) ? '今天' : s.date === todayInChina(new Date(now.getTime() + 86400_000)) ? '明天' : s.date;
    sent += await notify(ctx.db, users, {
      kind: 'checkin',
      title: `开课提醒：「${s.project_name}」${s.title}将于${when} ${s.start_time} 开始`,
      body: `${s.date} ${s.start_time}–${s.end_time}，地点：${s.place}。请准时参加，到场后扫描现场二维码签到；如不能参加，请在开始前请假。`,
      link: '/my/projects',
      dedupeKey: `session:${s.session_id}:reminder`,
    });
  }
  return { sessions: bySession.size, sent };
}

/** Used scan tickets are kept this long after their scan (well past SCAN_TICKET_SECONDS, when a ticket expires). */
export const SCAN_TICKET_KEEP_MS = SCAN_TICKET_SECONDS * 1000 + 3600_000;

/**
 * Run remindSessions shortly after start and then hourly in this process, and forget the scan tickets that can
 * no longer be presented (purgeScanTicketUses). Returns a stop function.
 */
export function startSessionReminders(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined): () => void {
  return startPeriodicJob(
    10_000,
    async () => {
      const r = await remindSessions(ctx);
      if (r.sent) log(`开课提醒：${r.sessions} 个场次，发出 ${r.sent} 条提醒`);
      await purgeScanTicketUses(ctx.db, new Date(Date.now() - SCAN_TICKET_KEEP_MS));
    },
    (err) => log('开课提醒任务失败', err),
  );
}
