import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './projects.repository.js';
import type { ProjectRow } from './projects.repository.js';
import * as erepo from './enrolment.repository.js';
import type { EnrolmentRecord, TeacherFactsRow } from './enrolment.repository.js';
import { eligibilityProblem, enrolmentMachine, type EnrolmentStatus } from './lifecycle.js';
import { assertRunning, presentProject } from './projects.service.js';
import { todayInChina } from '../../platform/china-time.js';

import { assertCapacity, facts, myLink, notifyTeachers, withdrawLocked } from './enrolment.service.js';

/** The teacher's side (projects open to them, 报名 and withdrawal) and the school's decisions on requests. */
// ----------------------------------------------------------------- self-enrolment (自主选学)

function requireTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可以自主报名');
  return user.teacherId;
}

/** Whether the 报名截止日期 has passed (none: applications close when the project starts running). */
const deadlinePassed = (p: ProjectRow, today = todayInChina()) => !!p.enrol_deadline && p.enrol_deadline < today;

/** One project as a teacher sees it before enrolling: eligibility, their own status, seats left, what they may do. */
function presentEnrollable(p: ProjectRow, me: TeacherFactsRow, mine: { status: EnrolmentStatus; source: EnrolmentRecord['source'] } | undefined) {
  const status = mine?.status ?? null;
  // Only a self-enrolment is the teacher's to cancel; one the school or bureau assigned needs 请假.
  const assigned = status !== null && mine?.source !== 'self';
  const seatsLeft = p.capacity === null ? null : Math.max(0, p.capacity - p.enrolled_count - p.pending_count);
  const closed = deadlinePassed(p);
  return {
    ...presentProject(p),
    myStatus: status,
    myStatusLabel: status ? enrolmentMachine.stateLabel(status) : null,
    eligibility: eligibilityProblem(p.audience, facts(me)),
    seatsLeft,
    /** 报名已截止: the deadline has passed (the button is gone, the reason shown). */
    enrolClosed: closed,
    canApply: p.self_enrol && p.status === 'open' && !closed && (status === null || enrolmentMachine.can(status, 'reapply')),
    canWithdraw: status !== null && !assigned && enrolmentMachine.can(status, 'withdraw'),
    /** Assigned by the school or bureau (选派): the teacher asks for leave (请假) instead of cancelling. */
    assigned: assigned && status === 'approved',
  };
}

/** 可报名项目: open self-selection projects of the teacher's region, with eligibility and their own status. */
export async function enrollable(ctx: AppContext, user: CurrentUser) {
  const teacherId = requireTeacher(user);
  const me = (await erepo.teacherFacts(ctx.db, user.orgPath, [teacherId])).get(teacherId);
  if (!me) throw notFound('教师档案');
  const rows = await repo.projectsServing(ctx.db, me.org_path, ['open', 'running'], 'p.self_enrol');
  const mine = await erepo.myEnrolmentStatuses(
    ctx.db,
    teacherId,
    rows.map((p) => p.id),
  );
  return { items: rows.map((p) => presentEnrollable(p, me, mine.get(p.id))) };
}

/**
 * 项目详情 for a teacher (issue 11 item 9): a project they may enrol in (open or running self-selection project of
 * their region) or one they have an enrolment in — aims, content (plan modules), sessions with time and place,
 * hours and categories, organiser, seats left, deadline, and what they may do. Any other project: 404.
 */
export async function enrollableDetail(ctx: AppContext, user: CurrentUser, projectId: number) {
  const teacherId = requireTeacher(user);
  const me = (await erepo.teacherFacts(ctx.db, user.orgPath, [teacherId])).get(teacherId);
  if (!me) throw notFound('教师档案');
  const mine = (await erepo.myEnrolmentStatuses(ctx.db, teacherId, [projectId])).get(projectId);
  const served = await repo.findProjectServing(ctx.db, me.org_path, projectId);
  const open = served?.self_enrol && (served.status === 'open' || served.status === 'running') ? served : null;
  const p = open ?? (mine ? await repo.findProject(ctx.db, '/', projectId) : null);
  if (!p || p.status === 'draft' || p.status === 'rejected') throw notFound('培训项目');
  const sessions = await repo.listSessions(ctx.db, p.id);
  return {
    ...presentEnrollable(p, me, mine),
    sessions: sessions.map((x) => ({
      id: x.id,
      title: x.title,
      date: x.date,
      startTime: x.start_time,
      endTime: x.end_time,
      place: x.place,
      hours: x.hours,
      category: x.category,
    })),
    places: [...new Set(sessions.map((x) => x.place))],
  };
}

/** A teacher applies to a self-selection project: a pending enrolment for the school admin to decide. */
export async function selfEnrol(ctx: AppContext, user: CurrentUser, projectId: number) {
  const teacherId = requireTeacher(user);
  return ctx.db.tx(async (q) => {
    const found = await repo.findProjectServing(q, user.orgPath, projectId);
    if (!found) throw notFound('培训项目');
    const lock = await repo.lockProject(q, '/', projectId, 'noKeyUpdate');
    if (!lock) throw notFound('培训项目');
    if (lock.status !== 'open') throw conflict('项目不在报名期');
    if (!found.self_enrol) throw conflict('该项目不接受自主报名，由学校统一选派');
    if (deadlinePassed(found)) throw conflict(`报名已于 ${found.enrol_deadline} 截止`);
    const me = (await erepo.teacherFacts(q, user.orgPath, [teacherId])).get(teacherId);
    if (!me) throw notFound('教师档案');
    const problem = eligibilityProblem(found.audience, facts(me));
    if (problem) throw conflict(problem);
    const e = await erepo.lockEnrolment(q, projectId, teacherId);
    if (e?.status === 'approved') throw conflict('您已报名该项目');
    if (e?.status === 'pending') throw conflict('您的报名正在审核中');
    if (e) enrolmentMachine.assertTransition(e.status, 'reapply');
    await assertCapacity(q, found, 1);
    await erepo.upsertEnrolment(q, { projectId, teacherId, status: 'pending', source: 'self', quotaOrgId: null, userId: user.id });
    await erepo.insertEnrolmentHistory(q, [{ projectId, teacherId, userId: user.id, action: e ? 'reapply' : 'apply', from: e?.status ?? null, to: 'pending' }]);
    const admins = await usersAt(q, [me.org_id], ['schoolAdmin']);
    await notify(q, admins, { kind: 'approval', title: `待审核：${me.name}报名「${found.name}」`, body: '自主选学报名', link: '/enrolment-requests' });
    return { status: 'pending' as const, statusLabel: enrolmentMachine.stateLabel('pending') };
  });
}

/**
 * A teacher withdraws their own application or self-enrolment (no attendance yet). An enrolment the school
 * or bureau assigned (organiser enrolment, nomination) is not theirs to cancel (issue 9 item 13): they ask
 * for leave per session (请假), or the assigner withdraws it.
 */
export async function selfWithdraw(ctx: AppContext, user: CurrentUser, projectId: number) {
  const teacherId = requireTeacher(user);
  await ctx.db.tx(async (q) => {
    const found = await repo.findProjectServing(q, user.orgPath, projectId);
    const lock = found && (await repo.lockProject(q, '/', projectId, 'update'));
    if (!found || !lock) throw notFound('培训项目');
    assertRunning(lock.status);
    const e = await erepo.lockEnrolment(q, projectId, teacherId);
    // The teacher may withdraw, but not this enrolment: its origin refuses it (409, like a state that forbids an action).
    if (e && e.source !== 'self') throw conflict('该报名由学校或教育局选派，不能自行取消；不能参加时请在「我的培训」中为场次请假，或联系选派单位');
    await withdrawLocked(q, user, projectId, teacherId, '本人撤销');
  });
}

/** Self-enrolments waiting for the caller (a school admin; a bureau admin sees its subtree's). */
export async function pendingRequests(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'projects.manage');
  if (user.role !== 'schoolAdmin' && user.role !== 'bureauAdmin') return { items: [] };
  const rows = await erepo.pendingInScope(ctx.db, user.scopePath);
  return {
    items: rows.map((r) => ({
      projectId: r.project_id,
      projectName: r.project_name,
      projectCode: r.project_code,
      teacherId: r.teacher_id,
      teacherName: r.teacher_name,
      orgName: r.org_name,
      stage: r.stage,
      enrolledAt: r.enrolled_at,
    })),
  };
}

/** The teacher's school admin (or a bureau admin above) approves or rejects a self-enrolment. */
export async function decide(ctx: AppContext, user: CurrentUser, projectId: number, teacherId: number, action: 'approve' | 'reject', comment?: string) {
  requirePermission(user, 'projects.manage');
  if (!can(user, 'teachers.write') || (user.role !== 'schoolAdmin' && user.role !== 'bureauAdmin')) throw forbidden('由教师所在学校审核自主报名');
  const text = comment?.trim() || null;
  if (action === 'reject' && !text) throw badRequest('请填写不通过的原因', [{ field: 'comment', message: '请填写原因' }]);
  return ctx.db.tx(async (q) => {
    const t = (await erepo.teacherFacts(q, user.scopePath, [teacherId])).get(teacherId);
    if (!t) throw notFound('报名记录');
    const lock = await repo.lockProject(q, '/', projectId, 'noKeyUpdate');
    if (!lock) throw notFound('报名记录');
    const e = await erepo.lockEnrolment(q, projectId, teacherId);
    if (!e) throw notFound('报名记录');
    const to = enrolmentMachine.assertTransition(e.status, action);
    if (action === 'approve') assertRunning(lock.status);
    await erepo.setEnrolmentStatus(q, projectId, teacherId, to, user.id, text);
    await erepo.insertEnrolmentHistory(q, [{ projectId, teacherId, userId: user.id, action, from: e.status, to, reason: text }]);
    await notifyTeachers(
      q,
      [teacherId],
      action === 'approve' ? `您报名的「${lock.name}」已通过审核` : `您报名的「${lock.name}」未通过审核`,
      text ?? '',
      action === 'approve' ? myLink : '/my/enrol',
    );
    return { teacherId, status: to, statusLabel: enrolmentMachine.stateLabel(to) };
  });
}
