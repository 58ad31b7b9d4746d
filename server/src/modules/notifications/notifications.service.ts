import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import * as repo from './notifications.repository.js';

/**
 * What a notification is, as its tag says (web: pages/notifications/badges.ts): 待审批 only when the recipient has
 * to decide something; a decision reaching the one who asked is a 结果 (result), a reminder 提醒, news 通知.
 */
export const NOTIFICATION_KINDS = {
  approval: '待审批',
  // A decision on something the recipient asked for (立项、备案、方案、学时认定、更正申请 …).
  result: '审批结果',
  enrolment: '报名结果',
  checkin: '签到提醒',
  claim: '学时申报',
  deadline: '达标提醒',
  evaluation: '培训评价',
  general: '通知',
  // 教师档案: a change 报送 (to the 信息管理员), approved or returned (to the teacher).
  record: '教师档案',
  // 通知公告 (issue 11 item 9): a bureau's or school's announcement.
  announcement: '通知公告',
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/**
 * The user whose request is running (set once per request in app.ts, `withActor`). notify() never tells the actor
 * about their own action — a bureau approving its own project, a school admin nominating … — whichever module calls
 * it; jobs (reminders) run without an actor and reach everyone.
 */
const actorContext = new AsyncLocalStorage<{ userId: number | null }>();

/** Run fn (and everything it awaits) as done by userId: notify() leaves that user out. */
export function withActor<T>(userId: number | null, fn: () => T): T {
  return actorContext.run({ userId }, fn);
}

/** The user acting in the current request, if any. */
export function currentActor(): number | null {
  return actorContext.getStore()?.userId ?? null;
}

/**
 * Put a message in the inbox of each user — except the one whose action it announces (`currentActor()`). Call it
 * inside the use case's transaction (q) so a notification exists exactly when the thing it announces does. A
 * dedupeKey makes repeats no-ops (e.g. the 7-days-before deadline reminder). Returns how many were created.
 */
export function notify(
  q: Queryable,
  userIds: number[],
  n: { kind: NotificationKind; title: string; body?: string; link?: string | null; dedupeKey?: string | null },
): Promise<number> {
  const actor = currentActor();
  return repo.insertMany(
    q,
    [...new Set(userIds)].filter((u) => u !== actor),
    { kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null, dedupeKey: n.dedupeKey ?? null },
  );
}

/** Users with one of the roles at the given orgs (e.g. the county admins who must approve). */
export function usersAt(q: Queryable, orgIds: number[], roles: CurrentUser['role'][]): Promise<number[]> {
  return repo.usersAtOrgs(q, orgIds, roles);
}

/** The caller's inbox page. */
export async function listInbox(ctx: AppContext, user: CurrentUser, opts: { unreadOnly: boolean; page: number; pageSize: number }) {
  const r = await repo.list(ctx.db, user.id, opts.unreadOnly, opts.pageSize, (opts.page - 1) * opts.pageSize);
  return {
    items: r.rows.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, link: n.link, createdAt: n.created_at, read: n.read_at !== null })),
    total: r.total,
    unread: r.unread,
  };
}

export async function badges(ctx: AppContext, user: CurrentUser) {
  const byKind = await repo.unreadCounts(ctx.db, user.id);
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}

export function markRead(ctx: AppContext, user: CurrentUser, ids: number[] | null): Promise<number> {
  return repo.markRead(ctx.db, user.id, ids);
}
