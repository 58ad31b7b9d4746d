import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import * as repo from './projects.repository.js';
import type { ProjectRow, SessionRow } from './projects.repository.js';
import type { ProjectInput, ProjectListQuery, SessionInput } from './projects.schema.js';
import {
  describeAudience,
  EDITABLE_STATES,
  FROZEN_STATES,
  planHours,
  projectMachine,
  RUNNING_STATES,
  type ProjectAction,
  type ProjectStatus,
} from './lifecycle.js';
import { DEFAULT_PARTICIPATION_THRESHOLD, participationThresholdFor } from './projects.policy.js';
import { assertInstitutionActive } from '../evaluations/institutions.service.js';
import { todayInChina } from '../../platform/china-time.js';

export const CLOSED_MESSAGE = '项目已结项，不能再修改';
export const NOT_OPEN_MESSAGE = '项目尚未开放报名（方案审核通过后开放）';
export const RECOGNITION_PENDING_MESSAGE = '学时认定已提交，等待审批单位确认；考勤和学员名单已冻结（如需修改，请审批单位退回）';

/**
 * Projects are run by their owner org: the caller manages projects owned by orgs under their own org
 * (orgPath, not scopePath: an institution manages only its own projects, a bureau its subtree's).
 */
export function managedPath(user: CurrentUser): string {
  requirePermission(user, 'projects.manage');
  return user.orgPath;
}

/** The message for work that needs the project open or running (enrolment, check-in, attendance). */
export function notRunningMessage(status: ProjectStatus): string {
  if (status === 'closed' || status === 'evaluated') return CLOSED_MESSAGE;
  if (status === 'rejected') return '项目未获立项';
  if (status === 'deleted') return '项目草稿已删除';
  if (status === 'recognitionPending') return RECOGNITION_PENDING_MESSAGE;
  return NOT_OPEN_MESSAGE;
}

/** 409 unless the project is open or running. */
export function assertRunning(status: ProjectStatus): void {
  if (!RUNNING_STATES.includes(status)) throw conflict(notRunningMessage(status));
}

/**
 * Which of the project's legal actions this user may take. THE table of who does what:
 * the proposer org submits, withdraws and submits the plan; the bureau whose move it is (pending_org_id)
 * approves, returns, rejects, files and reviews the plan, and confirms or returns the hour recognition;
 * managers of the project (its org or an org above it) start it, submit the recognition and mark it evaluated.
 * The organiser confirms its own recognition only where it is also that bureau, and then as a second step.
 */
export function mayAct(p: ProjectRow, user: CurrentUser, action: ProjectAction): boolean {
  if (!can(user, 'projects.manage')) return false;
  const proposer = user.orgId === p.org_id;
  const manager = p.org_path.startsWith(user.orgPath);
  const decider = user.role === 'bureauAdmin' && p.pending_org_id === user.orgId;
  const lastStep = p.approval_step >= p.approval_chain.length - 1;
  switch (action) {
    case 'submit':
    case 'withdraw':
    case 'submitPlan':
    case 'discard':
      return proposer;
    case 'approveStep':
      return decider && !lastStep;
    case 'approve':
      return decider && lastStep;
    case 'return':
    case 'reject':
    case 'file':
    case 'approvePlan':
    case 'returnPlan':
    case 'confirmRecognition':
    case 'returnRecognition':
      return decider;
    case 'start':
    case 'submitRecognition':
    case 'evaluate':
      return manager;
  }
}

export function allowedActionsFor(p: ProjectRow, user: CurrentUser) {
  return projectMachine.allowedActions(p.status).filter((a) => mayAct(p, user, a.action));
}

export function presentProject(p: ProjectRow) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    level: p.level,
    form: p.form,
    categories: p.categories,
    targetHours: p.target_hours,
    startDate: p.start_date,
    endDate: p.end_date,
    status: p.status,
    statusLabel: projectMachine.stateLabel(p.status),
    orgId: p.org_id,
    orgName: p.org_name,
    audience: { stages: p.audience.stages ?? [], subjects: p.audience.subjects ?? [], roles: p.audience.roles ?? [], titles: p.audience.titles ?? [] },
    audienceText: describeAudience(p.audience),
    capacity: p.capacity,
    budget: p.budget,
    plan: p.plan,
    selfEnrol: p.self_enrol,
    outbound: p.outbound,
    filingNo: p.filing_no,
    filedAt: p.filed_at,
    pendingOrgId: p.pending_org_id,
    pendingOrgName: p.pending_org_name,
    sessionCount: p.session_count,
    enrolledCount: p.enrolled_count,
    pendingCount: p.pending_count,
    createdAt: p.created_at,
    aims: p.aims,
    enrolDeadline: p.enrol_deadline,
  };
}
export type ProjectDto = ReturnType<typeof presentProject>;

export function presentSession(s: SessionRow, threshold = DEFAULT_PARTICIPATION_THRESHOLD, today = todayInChina()) {
  /**
   * Rate = present ÷ enrolled. A leave (请假) is recorded and shown but stays in the denominator: the
   * participation rule (001 §三(二)) counts the teachers who took part against all who should have, so
   * leaves explain a low rate rather than hide it.
   */
  const rate = s.enrolled_count ? Math.round((s.attended_count / s.enrolled_count) * 10000) / 10000 : 0;
  return {
    id: s.id,
    projectId: s.project_id,
    title: s.title,
    date: s.date,
    startTime: s.start_time,
    endTime: s.end_time,
    place: s.place,
    hours: s.hours,
    category: s.category,
    checkinOpen: s.checkin_open,
    checkoutOpen: s.checkout_open,
    attendedCount: s.attended_count,
    checkedOutCount: s.checked_out_count,
    excusedCount: s.excused_count,
    enrolledCount: s.enrolled_count,
    /** Share of enrolled teachers present, 0..1 (0 when nobody is enrolled). */
    attendanceRate: rate,
    threshold,
    /** The session has taken place (its date is today or past), so its rate can be judged. */
    held: s.date <= today,
    /** Held, with teachers enrolled, and below the participation threshold: the UI shows a warning badge. */
    belowThreshold: s.date <= today && s.enrolled_count > 0 && rate + 1e-9 < threshold,
  };
}
export type SessionDto = ReturnType<typeof presentSession>;

/**
 * A school also reads the projects its own teachers attend (issue 11 item 8): read-only, and showing only
 * its own teachers (their enrolments, attendance and counts), never another school's. null for other roles.
 */
export function attendeePath(user: CurrentUser): string | null {
  return user.role === 'schoolAdmin' ? user.orgPath : null;
}

/** A project the caller may read: managed (every teacher visible) or attended by its teachers (its own only). */
export interface ProjectView {
  project: ProjectRow;
  /** The org path whose teachers the caller sees ('/' = all). */
  teacherPath: string;
  /** Read-only: the caller's teachers attend it, the caller does not manage it. */
  viewOnly: boolean;
}

/** The project as the caller may read it (404 when neither managed nor attended by the caller's teachers). */
export async function viewableProjectOr404(q: Queryable, user: CurrentUser, id: number): Promise<ProjectView> {
  const managed = await repo.findProject(q, managedPath(user), id);
  if (managed) return { project: managed, teacherPath: '/', viewOnly: false };
  const path = attendeePath(user);
  const attended = path ? await repo.findProjectAttendedBy(q, path, id) : null;
  if (!attended || !path) throw notFound('培训项目');
  return { project: attended, teacherPath: path, viewOnly: true };
}

/** Projects owned within the caller's subtree (and, for a school, those its teachers attend), filtered and paged in SQL. */
export async function listProjects(ctx: AppContext, user: CurrentUser, f: ProjectListQuery) {
  const r = await repo.listProjects(ctx.db, managedPath(user), f, attendeePath(user));
  return { items: r.rows.map(presentProject), total: r.total, page: f.page, pageSize: f.pageSize };
}

export async function projectOr404(q: Queryable, user: CurrentUser, id: number): Promise<ProjectRow> {
  const p = await repo.findProject(q, managedPath(user), id);
  if (!p) throw notFound('培训项目');
  return p;
}

/**
 * One project with its sessions, approval chain and the actions the caller may take (404 outside the caller's
 * subtree). A school reading a project its teachers attend gets it read-only (viewOnly, no actions) with the
 * sessions' and enrolment counts of its own teachers.
 */
export async function getProject(ctx: AppContext, user: CurrentUser, id: number) {
  const view = await viewableProjectOr404(ctx.db, user, id);
  const p = view.project;
  if (view.viewOnly) {
    const own = await repo.countEnrolledUnder(ctx.db, id, view.teacherPath);
    p.enrolled_count = own.approved;
    p.pending_count = own.pending;
  }
  const sessions = await repo.listSessions(ctx.db, id, view.viewOnly ? view.teacherPath : undefined);
  const names = await repo.orgNames(ctx.db, p.approval_chain);
  const { threshold, source } = await participationThresholdFor(ctx.db, p.org_path, { form: p.form, level: p.level });
  return {
    ...presentProject(p),
    approvalChain: p.approval_chain.map((orgId, i) => ({
      orgId,
      orgName: names.get(orgId) ?? '',
      done: p.status !== 'submitted' && p.status !== 'draft' && p.status !== 'rejected' ? true : i < p.approval_step,
      current: p.status === 'submitted' && i === p.approval_step,
    })),
    participationThreshold: { threshold, source },
    allowedActions: view.viewOnly ? [] : allowedActionsFor(p, user),
    canEdit: !view.viewOnly && user.orgId === p.org_id && EDITABLE_STATES.includes(p.status) && can(user, 'projects.manage'),
    viewOnly: view.viewOnly,
    sessions: sessions.map((s) => presentSession(s, threshold)),
  };
}

/** The proposal's columns from the input: categories and target hours follow from the plan. */
function proposalColumns(input: ProjectInput) {
  return {
    name: input.name,
    level: input.level,
    form: input.form,
    categories: [...new Set(input.plan.map((m) => m.category))],
    target_hours: planHours(input.plan),
    start_date: input.startDate,
    end_date: input.endDate,
    audience: input.audience,
    capacity: input.capacity,
    budget: input.budget,
    plan: input.plan,
    self_enrol: input.selfEnrol,
    outbound: input.outbound ?? (input.form === 'shadowing' || input.form === 'shadowTeacher'),
  };
}

/**
 * 立项申报: create a draft proposal owned by the caller's org; its code is generated (P{start year}-{id}).
 * Refused (409) while the caller's institution has its qualification suspended.
 */
export async function createProject(ctx: AppContext, user: CurrentUser, input: ProjectInput): Promise<ProjectDto> {
  managedPath(user);
  if (user.role === 'teacher') throw forbidden();
  return ctx.db.tx(async (q) => {
    // 资质暂停: a suspended institution (or an org under one) proposes nothing new (409 with the reason).
    await assertInstitutionActive(q, user.orgId);
    const id = await repo.insertProject(q, { ...proposalColumns(input), org_id: user.orgId, created_by: user.id });
    await repo.setProjectBrief(q, id, input.aims || null, input.enrolDeadline ?? null);
    await repo.insertHistory(q, { projectId: id, userId: user.id, orgId: user.orgId, action: 'create', from: null, to: 'draft' });
    await audit(q, user, 'project.create', 'project', id, { name: input.name });
    return presentProject(await projectOr404(q, user, id));
  });
}

/**
 * Edit the proposal: by the proposer org, in draft (everything) or after filing (the plan may still change
 * before plan review; the level may not, since the approval chain followed from it).
 */
export async function updateProject(ctx: AppContext, user: CurrentUser, id: number, input: ProjectInput): Promise<ProjectDto> {
  return ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), id, 'update');
    if (!lock) throw notFound('培训项目');
    const p = await projectOr404(q, user, id);
    if (p.org_id !== user.orgId) throw forbidden('只有申报单位可以修改项目');
    if (!EDITABLE_STATES.includes(p.status)) throw conflict(`当前状态「${projectMachine.stateLabel(p.status)}」不能修改项目方案`);
    if (p.status === 'filed' && input.level !== p.level)
      throw badRequest('项目已备案，不能修改项目级别', [{ field: 'level', message: '已备案项目不能修改级别' }]);
    await repo.updateProposal(q, id, proposalColumns(input));
    await repo.setProjectBrief(q, id, input.aims || null, input.enrolDeadline ?? null);
    await repo.insertHistory(q, { projectId: id, userId: user.id, orgId: user.orgId, action: 'edit', from: p.status, to: p.status });
    return presentProject(await projectOr404(q, user, id));
  });
}

/** The project's history, oldest first: who, when, what, from, to, why. */
export async function projectHistory(ctx: AppContext, user: CurrentUser, id: number) {
  await projectOr404(ctx.db, user, id);
  const rows = await repo.listHistory(ctx.db, id);
  const label = (a: string) =>
    a === 'create' ? '创建草稿' : a === 'edit' ? '修改方案' : ((projectMachine.transitions as Record<string, { label: string }>)[a]?.label ?? a);
  return rows.map((h) => ({
    id: h.id,
    at: h.at,
    action: h.action,
    // Steps taken together in one action (提交并开放报名) say so.
    actionLabel: `${label(h.action)}${h.detail && typeof h.detail === 'object' && 'combined' in h.detail ? '（一并办理）' : ''}`,
    from: h.from_status,
    fromLabel: h.from_status ? projectMachine.stateLabel(h.from_status) : null,
    to: h.to_status,
    toLabel: projectMachine.stateLabel(h.to_status),
    comment: h.comment,
    detail: h.detail,
    userName: h.user_name,
    orgName: h.org_name,
  }));
}

/** Add a session (场次) to a project not yet closed; its date must fall within the project's dates. */
export async function addSession(ctx: AppContext, user: CurrentUser, projectId: number, input: SessionInput): Promise<SessionDto> {
  return ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'keyShare');
    if (!lock) throw notFound('培训项目');
    if (FROZEN_STATES.includes(lock.status) || lock.status === 'recognitionPending') throw conflict(notRunningMessage(lock.status));
    const p = await projectOr404(q, user, projectId);
    if ((p.start_date && input.date < p.start_date) || (p.end_date && input.date > p.end_date))
      throw badRequest(`场次日期应在项目起止日期（${p.start_date} 至 ${p.end_date}）之内`, [{ field: 'date', message: '场次日期不在项目起止日期内' }]);
    const id = await repo.insertSession(q, projectId, input);
    const s = (await repo.listSessions(q, projectId)).find((x) => x.id === id);
    if (!s) throw notFound('场次');
    return presentSession(s);
  });
}

/** The teacher's own confirmed enrolments with sessions and their attendance: the mobile home page. */
export async function myProjects(ctx: AppContext, user: CurrentUser) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看“我的培训”');
  const rows = await repo.myProjects(ctx.db, user.teacherId);
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  return rows.map((p) => {
    const sessions = p.sessions.map((s) => ({ ...s, attendedAt: iso(s.attendedAt), checkedOutAt: iso(s.checkedOutAt) }));
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      level: p.level,
      form: p.form,
      status: p.status,
      statusLabel: projectMachine.stateLabel(p.status),
      startDate: p.start_date,
      endDate: p.end_date,
      targetHours: p.target_hours,
      orgName: p.org_name,
      outbound: p.outbound,
      attendedSessions: sessions.filter((s) => s.attended).length,
      attendedHours: Math.round(sessions.reduce((n, s) => n + (s.attended ? s.hours : 0), 0) * 10) / 10,
      sessions,
    };
  });
}
