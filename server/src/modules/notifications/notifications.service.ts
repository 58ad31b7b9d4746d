import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import * as repo from './notifications.repository.js';

/** What a notification is about; the UI shows a badge per kind. */
export const NOTIFICATION_KINDS = {
  approval: '待审批',
  enrolment: '报名结果',
  checkin: '签到提醒',
  claim: '学时申报',
  deadline: '达标期限',
  evaluation: '培训评价',
  general: '通知',
  // 教师档案: a change 报送 (to the 信息管理员), approved or returned (to the teacher).
  record: '教师档案',
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/**
 * Put a message in the inbox of each user. Call it inside the use case's transaction (q) so a
 * notification exists exactly when the thing it announces does. A dedupeKey makes repeats no-ops
 * (e.g. the 7-days-before deadline reminder). Returns how many were created.
 */
export function notify(
  q: Queryable,
  userIds: number[],
  n: { kind: NotificationKind; title: string; body?: string; link?: string | null; dedupeKey?: string | null },
): Promise<number> {
  return repo.insertMany(q, [...new Set(userIds)], { kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null, dedupeKey: n.dedupeKey ?? null });
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
