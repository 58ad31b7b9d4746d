import type { AppContext } from '../../platform/context.js';
import type { CurrentUser, Role } from '../../platform/access.js';
import { unreadCount } from '../announcements/announcements.service.js';
import * as repo from './todo.repository.js';
import { ethicsTodo } from '../ethics-reports/ethics-escalation.js';

/**
 * 待办中心 (issue 11 item 2): what waits for the caller, in the role of the session, counted from the work itself
 * (claims, requests, quotas …), never from unread messages. One query per kind. The menu badges show the same
 * counts (web: pages/notifications/badges.ts); `link` opens the page of that work, already filtered.
 */

export const TODO_KINDS = {
  claimsAtSchool: '学时申报待学校审核',
  claimsAtCounty: '学时申报待区县审核',
  enrolmentRequests: '自主报名待审核',
  nominations: '名额待选派',
  projectApprovals: '培训项目待审批',
  corrections: '学时更正申请待审核',
  recordChanges: '档案变更待审核',
  moves: '人员变动待审批',
  expertReviews: '项目待评审',
  surveys: '培训评价待填写',
  claimsReturned: '学时申报被退回修改',
  recordChangesReturned: '档案变更被退回',
  announcements: '未读通知公告',
  // 师德举报 (issue 12, intake)
  ethicsReports: '师德举报待受理',
  ethicsOverdue: '师德举报已超期',
} as const;
export type TodoKind = keyof typeof TODO_KINDS;

export interface TodoItem {
  kind: TodoKind;
  label: string;
  count: number;
  /** When the oldest of them started waiting (for 名额待选派: the earliest start date, the deadline). */
  oldestAt: string | null;
  link: string;
}

type Counter = (ctx: AppContext, u: CurrentUser) => Promise<repo.Waiting>;

const COUNTERS: Record<TodoKind, { link: string; count: Counter }> = {
  claimsAtSchool: { link: '/claims/review', count: (c, u) => repo.claimsAtSchool(c.db, u.scopePath) },
  claimsAtCounty: { link: '/claims/review', count: (c, u) => repo.claimsAtCounty(c.db, u.orgPath) },
  enrolmentRequests: { link: '/enrolment-requests', count: (c, u) => repo.enrolmentRequests(c.db, u.scopePath) },
  nominations: { link: '/nominations', count: (c, u) => repo.nominationsDue(c.db, u.orgId) },
  projectApprovals: { link: '/approvals', count: (c, u) => repo.projectApprovals(c.db, u.orgId) },
  corrections: { link: '/hours/corrections', count: (c, u) => repo.correctionRequests(c.db, u.orgPath) },
  recordChanges: { link: '/records/review', count: (c, u) => repo.recordChanges(c.db, u.scopePath) },
  moves: { link: '/moves?status=pending', count: (c, u) => repo.movesToApprove(c.db, u.orgId) },
  expertReviews: { link: '/my/reviews', count: (c, u) => repo.expertReviews(c.db, u.id) },
  surveys: { link: '/my/surveys', count: (c, u) => (u.teacherId ? repo.surveysToAnswer(c.db, u.teacherId) : none()) },
  claimsReturned: { link: '/my/claims', count: (c, u) => (u.teacherId ? repo.claimsReturned(c.db, u.teacherId) : none()) },
  recordChangesReturned: { link: '/my/record', count: (c, u) => (u.teacherId ? repo.recordChangesReturned(c.db, u.teacherId) : none()) },
  announcements: { link: '/announcements', count: (c, u) => unreadCount(c, u) },
  // 师德举报 (issue 12, intake)
  ethicsReports: { link: '/ethics/reports?status=received', count: (c, u) => ethicsTodo.awaiting(c, u) },
  ethicsOverdue: { link: '/ethics/reports?overdue=true', count: (c, u) => ethicsTodo.overdue(c, u) },
};

const none = async (): Promise<repo.Waiting> => ({ n: 0, oldest: null });

/** The kinds each role has to do (the role of the session: a person who switches roles sees the other list). */
export const TODO_BY_ROLE: Record<Role, TodoKind[]> = {
  bureauAdmin: ['projectApprovals', 'claimsAtCounty', 'moves', 'corrections', 'nominations', 'announcements'],
  schoolAdmin: ['claimsAtSchool', 'enrolmentRequests', 'nominations', 'announcements'],
  devCenter: ['nominations', 'announcements'],
  institution: ['announcements'],
  teacher: ['claimsReturned', 'recordChangesReturned', 'surveys', 'announcements'],
  infoAdmin: ['recordChanges', 'announcements'],
  expert: ['expertReviews'],
  sysAdmin: ['announcements'],
  securityAdmin: ['announcements'],
  auditor: ['announcements'],
  ethicsOfficer: ['ethicsReports', 'ethicsOverdue', 'announcements'],
};

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

/**
 * Every kind of the caller's role with its count (zero too, so a badge can go out), those with work first and the
 * longest-waiting of them first.
 */
export async function todoList(ctx: AppContext, user: CurrentUser): Promise<{ items: TodoItem[]; total: number }> {
  const items: TodoItem[] = [];
  // One after the other: PGlite has one connection, and each count is one indexed query.
  for (const kind of TODO_BY_ROLE[user.role]) {
    const c = COUNTERS[kind];
    const w = await c.count(ctx, user);
    items.push({ kind, label: TODO_KINDS[kind], count: w.n, oldestAt: w.n ? iso(w.oldest) : null, link: c.link });
  }
  items.sort((a, b) => Number(b.count > 0) - Number(a.count > 0) || (a.oldestAt ?? '9').localeCompare(b.oldestAt ?? '9'));
  return { items, total: items.reduce((n, i) => n + i.count, 0) };
}
