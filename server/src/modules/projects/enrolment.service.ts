import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { piiViewOf, viewNationalIdMask } from '../../platform/pii-view.js';
import { conflict, notFound } from '../../platform/errors.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './projects.repository.js';
import type { ProjectRow } from './projects.repository.js';
import * as erepo from './enrolment.repository.js';
import type { TeacherFactsRow } from './enrolment.repository.js';
import { eligibilityProblem, enrolmentMachine, type EnrolmentStatus } from './lifecycle.js';
import { assertRunning, managedPath, projectOr404, viewableProjectOr404 } from './projects.service.js';

/** Enrolments by the organiser (list, enrol, withdraw, history) and the helpers the 选派 and 报名 flows share. */
export const teacherLabel = (t: { name: string; org_name: string }) => `${t.name}（${t.org_name}）`;

export const myLink = '/my/projects';

export const facts = (t: TeacherFactsRow) => ({ status: t.status, stage: t.stage, subjects: t.subjects, roles: t.roles, title: t.title });

export async function notifyTeachers(q: Queryable, teacherIds: number[], title: string, body = '', to = myLink): Promise<void> {
  await notify(q, await repo.usersOfTeachers(q, teacherIds), { kind: 'enrolment', title, body, link: to });
}

/** 409 when adding `adding` seats would exceed the project's capacity. */
export async function assertCapacity(q: Queryable, p: ProjectRow, adding: number): Promise<void> {
  if (!p.capacity || adding <= 0) return;
  const taken = await erepo.countSeats(q, p.id);
  if (taken + adding > p.capacity) throw conflict(`项目名额已满：容量 ${p.capacity} 人，已报名 ${taken} 人${adding > 1 ? `，本次 ${adding} 人` : ''}`);
}

/** Locked project a manager of it may enrol into (open or running). */
export async function managedRunningProject(q: Queryable, user: CurrentUser, projectId: number): Promise<ProjectRow> {
  const lock = await repo.lockProject(q, managedPath(user), projectId, 'noKeyUpdate');
  if (!lock) throw notFound('培训项目');
  assertRunning(lock.status);
  return projectOr404(q, user, projectId);
}

// ----------------------------------------------------------------- organiser

/** Enrolled (or pending, rejected …) teachers with how many of the project's sessions each attended. */
export async function listEnrolments(ctx: AppContext, user: CurrentUser, projectId: number, f: { status: EnrolmentStatus; page: number; pageSize: number }) {
  // A school reading a project its teachers attend lists its own teachers only.
  const { project: p, teacherPath } = await viewableProjectOr404(ctx.db, user, projectId);
  const r = await erepo.listEnrolments(ctx.db, projectId, f.status, f.page, f.pageSize, teacherPath);
  const view = piiViewOf(user);
  return {
    items: r.rows.map((e) => ({
      teacherId: e.teacher_id,
      name: e.name,
      orgName: e.org_name,
      nationalIdMasked: viewNationalIdMask(e.national_id_mask, view),
      stage: e.stage,
      status: e.status,
      statusLabel: enrolmentMachine.stateLabel(e.status),
      source: e.source,
      reason: e.reason,
      quotaOrgName: e.quota_org_name,
      enrolledAt: e.enrolled_at,
      attendedSessions: e.attended_sessions,
      totalSessions: p.session_count,
    })),
    total: r.total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/**
 * The organiser enrols teachers of its scope (for an institution, the region it serves) directly.
 * Teachers outside the scope are rejected exactly like non-existent ones, so nothing leaks; ineligible
 * ones are rejected with the failed condition; a pending self-enrolment is approved.
 */
export async function enrol(ctx: AppContext, user: CurrentUser, projectId: number, teacherIds: number[]) {
  const ids = [...new Set(teacherIds)];
  return ctx.db.tx(async (q) => {
    const p = await managedRunningProject(q, user, projectId);
    const found = await erepo.teacherFacts(q, user.scopePath, ids);
    const existing = await erepo.lockEnrolments(q, projectId, ids);
    const rejected: { teacherId: number; name: string | null; message: string }[] = [];
    const add: number[] = [];
    let already = 0;
    for (const id of ids) {
      const t = found.get(id);
      const e = existing.get(id);
      if (!t) rejected.push({ teacherId: id, name: null, message: '所选教师不存在或不在本单位范围内' });
      else if (e?.status === 'approved') already++;
      else {
        const problem = eligibilityProblem(p.audience, facts(t));
        if (problem) rejected.push({ teacherId: id, name: t.name, message: `${teacherLabel(t)}${problem}` });
        else add.push(id);
      }
    }
    // A pending self-enrolment already holds its seat.
    await assertCapacity(q, p, add.filter((id) => existing.get(id)?.status !== 'pending').length);
    const history: erepo.EnrolmentHistoryInput[] = [];
    for (const id of add) {
      const e = existing.get(id);
      const action = e ? (e.status === 'pending' ? 'approve' : 'renominate') : null;
      if (e && action) enrolmentMachine.assertTransition(e.status, action);
      if (e?.status === 'pending') await erepo.setEnrolmentStatus(q, projectId, id, 'approved', user.id, null);
      else await erepo.upsertEnrolment(q, { projectId, teacherId: id, status: 'approved', source: 'organiser', quotaOrgId: null, userId: user.id });
      history.push({ projectId, teacherId: id, userId: user.id, action: action ?? 'enrol', from: e?.status ?? null, to: 'approved' });
    }
    await erepo.insertEnrolmentHistory(q, history);
    await notifyTeachers(q, add, `您已报名参加「${p.name}」`);
    return { added: add.length, alreadyEnrolled: already, rejected };
  });
}

/** Withdraw an enrolment (organiser): only while the project runs and the teacher has no attendance yet. */
export async function unenrol(ctx: AppContext, user: CurrentUser, projectId: number, teacherId: number, reason?: string): Promise<void> {
  await ctx.db.tx(async (q) => {
    // FOR UPDATE waits for running check-ins (KEY SHARE), so no attendance can slip in after the check below.
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'update');
    if (!lock) throw notFound('培训项目');
    assertRunning(lock.status);
    await withdrawLocked(q, user, projectId, teacherId, reason ?? null);
  });
}

export async function withdrawLocked(q: Queryable, user: CurrentUser, projectId: number, teacherId: number, reason: string | null): Promise<void> {
  const e = await erepo.lockEnrolment(q, projectId, teacherId);
  if (!e) throw notFound('报名记录');
  enrolmentMachine.assertTransition(e.status, 'withdraw');
  const n = await repo.countTeacherAttendance(q, projectId, teacherId);
  if (n > 0) throw conflict(`该教师已有 ${n} 场签到记录，不能取消报名（如属误签，请先在考勤中取消）`);
  await erepo.setEnrolmentStatus(q, projectId, teacherId, 'withdrawn', user.id, reason);
  await erepo.insertEnrolmentHistory(q, [{ projectId, teacherId, userId: user.id, action: 'withdraw', from: e.status, to: 'withdrawn', reason }]);
}

/** The enrolment log (nominations, decisions, withdrawals, replacements with reasons). */
export async function enrolmentHistory(ctx: AppContext, user: CurrentUser, projectId: number) {
  requirePermission(user, 'projects.manage');
  const managed = await repo.findProject(ctx.db, user.orgPath, projectId);
  // A quota holder sees the log of its own teachers only.
  const scope = managed ? '/' : (await repo.findProjectForQuotaHolder(ctx.db, user.orgId, projectId)) ? user.scopePath : null;
  if (!scope) throw notFound('培训项目');
  const rows = await erepo.listEnrolmentHistory(ctx.db, projectId, scope);
  const labels: Record<string, string> = { enrol: '报名', nominate: '选派', apply: '自主报名', replacement: '替补选派' };
  return rows.map((h) => ({
    id: h.id,
    at: h.at,
    teacherId: h.teacher_id,
    teacherName: h.teacher_name,
    action: h.action,
    actionLabel: labels[h.action] ?? (enrolmentMachine.transitions as Record<string, { label: string }>)[h.action]?.label ?? h.action,
    from: h.from_status,
    to: h.to_status,
    toLabel: enrolmentMachine.stateLabel(h.to_status),
    reason: h.reason,
    otherTeacherId: h.other_teacher_id,
    otherTeacherName: h.other_teacher_name,
    userName: h.user_name,
  }));
}
