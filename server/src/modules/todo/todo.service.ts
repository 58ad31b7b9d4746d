import type { AppContext } from '../../platform/context.js';
import type { CurrentUser, Role } from '../../platform/access.js';
import { unreadCount } from '../announcements/announcements.service.js';
import * as repo from './todo.repository.js';
import { ethicsTodo } from '../ethics-reports/ethics-escalation.js';
import { unpairedWaiting } from '../mentoring/board.service.js';
import { planFilingWaiting, planReviewsWaiting } from '../plans/plans.reminders.js';
import { appraisalGradingWaiting, appraisalSelfReportWaiting } from '../appraisals/appraisals.todo.js';
import { allowancesMissingWaiting } from '../allowances/allowances.todo.js';

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
  // 师德通报 (issue 12 item 6): a receiving school's confirmation.
  ethicsNotices: '师德通报待确认',
  // 案件办理 (issue 12 item 2): cases the 师德专干 has to move on (not waiting for the teacher's appeal period).
  ethicsCases: '师德案件待办理',
  // 师德举报 (issue 12, intake)
  ethicsReports: '师德举报待受理',
  ethicsOverdue: '师德举报已超期',
  // 师徒结对 (issue 13 item 3): new teachers of the school without a mentor.
  mentoringUnpaired: '新教师待结对',
  // 骨干教师 (issue 13 item 2)
  keyTeacherNominations: '骨干教师评选待推荐',
  keyTeacherReviews: '骨干教师推荐待评审',
  // 工作室 (issue 13 item 1): applications waiting for the naming org's review.
  studioReviews: '工作室申报待评审',
  // 课题, 学历提升 (issue 13 item 5, growth)
  researchReviews: '待立项课题',
  upgradeCompletions: '学校待审核的学历提升完成申请',
  // 计划报备 (issue 14 item 5): the unit's plan of the year due soon / overdue / returned; plans waiting for review.
  planFiling: '年度计划待报送',
  planReviews: '年度计划待审核',
  // 年度考核 (issue 14 item 1): the teacher's self-report; the entries waiting for a grade.
  appraisalSelfReport: '年度考核待述职',
  appraisalGrading: '年度考核待评定等次',
  // 班主任津贴 (issue 14 item 8): 班主任 without last month's allowance recorded.
  allowancesMissing: '班主任上月津贴未登记',
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

/** The page each kind opens, already filtered. */
const LINKS: Record<TodoKind, string> = {
  claimsAtSchool: '/claims/review',
  claimsAtCounty: '/claims/review',
  enrolmentRequests: '/enrolment-requests',
  nominations: '/nominations',
  projectApprovals: '/approvals',
  corrections: '/hours/corrections',
  recordChanges: '/records/review',
  moves: '/moves?status=pending',
  expertReviews: '/my/reviews',
  surveys: '/my/surveys',
  claimsReturned: '/my/claims',
  recordChangesReturned: '/my/record',
  announcements: '/announcements',
  ethicsNotices: '/ethics/notices',
  ethicsCases: '/ethics/cases',
  ethicsReports: '/ethics/reports?status=received',
  ethicsOverdue: '/ethics/reports?overdue=true',
  mentoringUnpaired: '/mentoring/board',
  keyTeacherNominations: '/key-teachers',
  keyTeacherReviews: '/key-teachers',
  studioReviews: '/studios',
  researchReviews: '/research',
  upgradeCompletions: '/upgrade',
  planFiling: '/plans/mine',
  planReviews: '/plans/review',
  appraisalSelfReport: '/my/appraisal',
  appraisalGrading: '/appraisals',
  allowancesMissing: '/funds?tab=allowances',
};

/** The caller fact a count is scoped by (null: the caller has none, e.g. an account without a teacher record). */
function paramOf(u: CurrentUser, of: repo.CountParam): string | number | null {
  if (of === 'userId') return u.id;
  return u[of];
}

/** Kinds their own module counts (more than one caller fact, or not a single query). */
const COUNTED_BY_MODULE = {
  announcements: unreadCount,
  ethicsReports: ethicsTodo.awaiting,
  ethicsOverdue: ethicsTodo.overdue,
  mentoringUnpaired: unpairedWaiting,
  planFiling: planFilingWaiting,
  planReviews: planReviewsWaiting,
  appraisalSelfReport: appraisalSelfReportWaiting,
  appraisalGrading: appraisalGradingWaiting,
  allowancesMissing: allowancesMissingWaiting,
} satisfies Partial<Record<TodoKind, (ctx: AppContext, u: CurrentUser) => Promise<repo.Waiting & { link?: string }>>>;

/** How many of a kind wait for the caller: the kind's query in the repository, or its module's count. */
function count(ctx: AppContext, u: CurrentUser, kind: TodoKind): Promise<repo.Waiting & { link?: string }> {
  if (kind in COUNTED_BY_MODULE) return COUNTED_BY_MODULE[kind as keyof typeof COUNTED_BY_MODULE](ctx, u);
  const c = repo.COUNTS[kind as Exclude<TodoKind, keyof typeof COUNTED_BY_MODULE>];
  const param = paramOf(u, c.of);
  return param === null ? Promise.resolve({ n: 0, oldest: null }) : repo.countWaiting(ctx.db, c.sql, param);
}

/** The kinds each role has to do (the role of the session: a person who switches roles sees the other list). */
export const TODO_BY_ROLE: Record<Role, TodoKind[]> = {
  bureauAdmin: [
    'projectApprovals',
    'claimsAtCounty',
    'moves',
    'corrections',
    'nominations',
    'announcements',
    'keyTeacherNominations',
    'keyTeacherReviews',
    'studioReviews',
    'researchReviews',
    'planReviews',
    'planFiling',
    'appraisalGrading',
  ],
  schoolAdmin: [
    'claimsAtSchool',
    'enrolmentRequests',
    'nominations',
    'announcements',
    'ethicsNotices',
    'mentoringUnpaired',
    'keyTeacherNominations',
    'studioReviews',
    'upgradeCompletions',
    'planFiling',
    'appraisalGrading',
    'allowancesMissing',
  ],
  devCenter: ['nominations', 'announcements', 'researchReviews'],
  institution: ['announcements'],
  teacher: ['claimsReturned', 'recordChangesReturned', 'surveys', 'announcements', 'appraisalSelfReport'],
  infoAdmin: ['recordChanges', 'announcements'],
  expert: ['expertReviews'],
  sysAdmin: ['announcements'],
  securityAdmin: ['announcements'],
  auditor: ['announcements'],
  ethicsOfficer: ['ethicsReports', 'ethicsOverdue', 'ethicsCases', 'announcements'],
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
    const w = await count(ctx, user, kind);
    items.push({ kind, label: TODO_KINDS[kind], count: w.n, oldestAt: w.n ? iso(w.oldest) : null, link: w.link ?? LINKS[kind] });
  }
  items.sort((a, b) => Number(b.count > 0) - Number(a.count > 0) || (a.oldestAt ?? '9').localeCompare(b.oldestAt ?? '9'));
  return { items, total: items.reduce((n, i) => n + i.count, 0) };
}
