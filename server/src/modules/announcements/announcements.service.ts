import type { AppContext } from '../../platform/context.js';
import { ROLE_LABELS, type CurrentUser, type Role } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { writeXlsx } from '../../platform/excel.js';
import * as repo from './announcements.repository.js';
import { AUDIENCE_LABELS, type PublishInput } from './announcements.schema.js';

/**
 * 通知公告 (issue 11 item 9). A bureau or a school publishes to its subtree — everyone, the schools' staff, or the
 * teachers — in the role of its session; recipients find it in their to-do centre and on the 通知公告 page, and
 * opening it writes their read receipt (once). The publisher's org (and the orgs above it) see read and unread per
 * org and export the unread list (name, org and role only; audited).
 */

/** Roles that publish for their org. */
export const PUBLISHERS: readonly Role[] = ['bureauAdmin', 'schoolAdmin'];

function requirePublisher(user: CurrentUser): void {
  if (!PUBLISHERS.includes(user.role)) throw forbidden('只有教育局或学校管理员可以发布通知公告');
}

const caller = (u: CurrentUser): repo.Caller => ({ id: u.id, role: u.role, orgId: u.orgId, orgPath: u.orgPath });

const present = (r: repo.AnnouncementRow) => ({
  id: r.id,
  orgId: r.org_id,
  orgName: r.org_name,
  audience: r.audience,
  audienceLabel: AUDIENCE_LABELS[r.audience],
  title: r.title,
  body: r.body,
  publishedByName: r.published_by_name,
  publishedAt: r.published_at,
  read: r.read_at !== null,
  readAt: r.read_at,
});

/** Publish an announcement of the caller's org (audited). */
export async function publish(ctx: AppContext, user: CurrentUser, input: PublishInput, ip?: string): Promise<{ id: number }> {
  requirePublisher(user);
  return ctx.db.tx(async (q) => {
    const id = await repo.insert(q, { orgId: user.orgId, audience: input.audience, title: input.title, body: input.body, userId: user.id });
    await audit(q, user, 'announcement.publish', 'announcement', id, { audience: input.audience, title: input.title }, ip);
    return { id };
  });
}

/** The caller's received announcements (in the role of the session), newest first. */
export async function inbox(ctx: AppContext, user: CurrentUser, page: number, pageSize: number) {
  const r = await repo.inbox(ctx.db, caller(user), pageSize, (page - 1) * pageSize);
  return { items: r.rows.map(present), total: r.total, unread: r.unread };
}

/** Unread received announcements: the to-do centre's count. */
export function unreadCount(ctx: AppContext, user: CurrentUser): Promise<{ n: number; oldest: Date | null }> {
  return repo.unread(ctx.db, caller(user));
}

/** Open one announcement: a recipient's first opening is their read receipt. */
export async function open(ctx: AppContext, user: CurrentUser, id: number) {
  const a = await repo.findVisible(ctx.db, caller(user), id);
  if (!a) throw notFound('通知公告');
  if (a.recipient && !a.read_at) await repo.markRead(ctx.db, id, user.id);
  const dto = present(a);
  return { ...dto, read: a.recipient ? true : dto.read, canSeeReceipts: a.manager && PUBLISHERS.includes(user.role) };
}

async function managed(ctx: AppContext, user: CurrentUser, id: number) {
  requirePublisher(user);
  const a = await repo.findVisible(ctx.db, caller(user), id);
  if (!a?.manager) throw notFound('通知公告');
  return a;
}

/** Announcements published in the caller's subtree, newest first (the publisher's list). */
export async function sent(ctx: AppContext, user: CurrentUser, page: number, pageSize: number) {
  requirePublisher(user);
  const r = await repo.sent(ctx.db, user.orgPath, pageSize, (page - 1) * pageSize);
  return {
    items: r.rows.map((x) => ({
      id: x.id,
      orgName: x.org_name,
      audience: x.audience,
      audienceLabel: AUDIENCE_LABELS[x.audience],
      title: x.title,
      publishedByName: x.published_by_name,
      publishedAt: x.published_at,
    })),
    total: r.total,
  };
}

/** Read and unread counts per org of an announcement the caller's org (or one below) published. */
export async function receipts(ctx: AppContext, user: CurrentUser, id: number) {
  const a = await managed(ctx, user, id);
  const orgs = (await repo.receiptsByOrg(ctx.db, id)).map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    recipients: r.recipients,
    read: r.read,
    unread: r.recipients - r.read,
  }));
  const recipients = orgs.reduce((n, o) => n + o.recipients, 0);
  const read = orgs.reduce((n, o) => n + o.read, 0);
  return { id: a.id, title: a.title, recipients, read, unread: recipients - read, orgs };
}

/** The unread list as .xlsx (姓名, 单位, 身份 — nothing else about the person); the export is audited. */
export async function unreadXlsx(ctx: AppContext, user: CurrentUser, id: number, ip?: string): Promise<{ fileName: string; buffer: Buffer }> {
  const a = await managed(ctx, user, id);
  const rows = await repo.unreadRecipients(ctx.db, id);
  await audit(ctx.db, user, 'announcement.exportUnread', 'announcement', id, { rows: rows.length }, ip);
  const buffer = await writeXlsx([
    {
      name: '未读名单',
      columns: [
        { header: '姓名', width: 16 },
        { header: '单位', width: 30 },
        { header: '身份', width: 14 },
      ],
      rows: rows.map((r) => [r.name, r.org_name, ROLE_LABELS[r.role as Role] ?? r.role]),
    },
  ]);
  return { fileName: `通知公告未读名单-${a.title.slice(0, 30)}.xlsx`, buffer };
}
