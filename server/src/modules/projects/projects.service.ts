import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import type { Category } from '../../platform/vocab.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import * as repo from './projects.repository.js';
import type { ProjectRow, SessionRow } from './projects.repository.js';
import type { EnrolmentListQuery, ProjectInput, ProjectListQuery, SessionInput } from './projects.schema.js';

export const CLOSED_MESSAGE = '项目已结项，不能再修改';

/**
 * Projects are run by their owner org: the caller manages projects owned by orgs under their own org
 * (orgPath, not scopePath: an institution manages only its own projects, a bureau its subtree's).
 */
export function managedPath(user: CurrentUser): string {
  requirePermission(user, 'projects.manage');
  return user.orgPath;
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
    orgId: p.org_id,
    orgName: p.org_name,
    sessionCount: p.session_count,
    enrolledCount: p.enrolled_count,
    createdAt: p.created_at,
  };
}
export type ProjectDto = ReturnType<typeof presentProject>;

export function presentSession(s: SessionRow) {
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
    attendedCount: s.attended_count,
    enrolledCount: s.enrolled_count,
    /** Share of enrolled teachers present, 0..1 (0 when nobody is enrolled). */
    attendanceRate: s.enrolled_count ? Math.round((s.attended_count / s.enrolled_count) * 10000) / 10000 : 0,
  };
}
export type SessionDto = ReturnType<typeof presentSession>;

/** Projects owned within the caller's subtree, filtered and paged in SQL. */
export async function listProjects(ctx: AppContext, user: CurrentUser, f: ProjectListQuery) {
  const r = await repo.listProjects(ctx.db, managedPath(user), f);
  return { items: r.rows.map(presentProject), total: r.total, page: f.page, pageSize: f.pageSize };
}

async function projectOr404(q: Queryable, user: CurrentUser, id: number): Promise<ProjectRow> {
  const p = await repo.findProject(q, managedPath(user), id);
  if (!p) throw notFound('培训项目');
  return p;
}

/** One project with its sessions (404 outside the caller's subtree). */
export async function getProject(ctx: AppContext, user: CurrentUser, id: number) {
  const p = await projectOr404(ctx.db, user, id);
  const sessions = await repo.listSessions(ctx.db, id);
  return { ...presentProject(p), sessions: sessions.map(presentSession) };
}

/** Create a project owned by the caller's org; its code is generated (P{start year}-{id}). */
export async function createProject(ctx: AppContext, user: CurrentUser, input: ProjectInput): Promise<ProjectDto> {
  managedPath(user);
  return ctx.db.tx(async (q) => {
    const id = await repo.insertProject(q, {
      org_id: user.orgId,
      name: input.name,
      level: input.level,
      form: input.form,
      categories: input.categories,
      target_hours: input.targetHours,
      start_date: input.startDate,
      end_date: input.endDate,
      created_by: user.id,
    });
    await audit(q, user, 'project.create', 'project', id, { name: input.name });
    return presentProject(await projectOr404(q, user, id));
  });
}

/** Add a session (场次) to an open project; its date must fall within the project's dates. */
export async function addSession(ctx: AppContext, user: CurrentUser, projectId: number, input: SessionInput): Promise<SessionDto> {
  return ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'keyShare');
    if (!lock) throw notFound('培训项目');
    if (lock.status === 'closed') throw conflict(CLOSED_MESSAGE);
    const p = await projectOr404(q, user, projectId);
    if ((p.start_date && input.date < p.start_date) || (p.end_date && input.date > p.end_date))
      throw badRequest(`场次日期应在项目起止日期（${p.start_date} 至 ${p.end_date}）之内`, [{ field: 'date', message: '场次日期不在项目起止日期内' }]);
    const id = await repo.insertSession(q, projectId, input);
    const s = (await repo.listSessions(q, projectId)).find((x) => x.id === id);
    if (!s) throw notFound('场次');
    return presentSession(s);
  });
}

/** Enrolled teachers with how many of the project's sessions each attended. */
export async function listEnrolments(ctx: AppContext, user: CurrentUser, projectId: number, f: EnrolmentListQuery) {
  const p = await projectOr404(ctx.db, user, projectId);
  const r = await repo.listEnrolments(ctx.db, projectId, f.page, f.pageSize);
  return {
    items: r.rows.map((e) => ({
      teacherId: e.teacher_id,
      name: e.name,
      orgName: e.org_name,
      nationalIdMasked: e.national_id_mask,
      stage: e.stage,
      attendedSessions: e.attended_sessions,
      totalSessions: p.session_count,
    })),
    total: r.total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/**
 * Enrol teachers of the caller's scope (for an institution, the region it serves) in an open project.
 * Teachers outside the scope are rejected exactly like non-existent ones, so nothing leaks.
 */
export async function enrol(ctx: AppContext, user: CurrentUser, projectId: number, teacherIds: number[]) {
  const ids = [...new Set(teacherIds)];
  return ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'keyShare');
    if (!lock) throw notFound('培训项目');
    if (lock.status === 'closed') throw conflict(CLOSED_MESSAGE);
    const found = new Map((await repo.teachersInScope(q, user.scopePath, ids)).map((t) => [t.id, t.status]));
    const rejected: { teacherId: number; message: string }[] = [];
    const ok: number[] = [];
    for (const id of ids) {
      const status = found.get(id);
      if (status === undefined) rejected.push({ teacherId: id, message: '教师不存在或无权访问' });
      else if (status !== 'active') rejected.push({ teacherId: id, message: '该教师不在职（退休、调出或禁入），不能报名' });
      else ok.push(id);
    }
    const added = await repo.insertEnrolments(q, projectId, ok, user.id);
    return { added: added.length, alreadyEnrolled: ok.length - added.length, rejected };
  });
}

/** Withdraw an enrolment: only while the project is open and the teacher has no attendance yet. */
export async function unenrol(ctx: AppContext, user: CurrentUser, projectId: number, teacherId: number): Promise<void> {
  await ctx.db.tx(async (q) => {
    // FOR UPDATE waits for running check-ins (KEY SHARE), so no attendance can slip in after the check below.
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'update');
    if (!lock) throw notFound('培训项目');
    if (lock.status === 'closed') throw conflict(CLOSED_MESSAGE);
    if (!(await repo.isEnrolled(q, projectId, teacherId))) throw notFound('报名记录');
    const n = await repo.countTeacherAttendance(q, projectId, teacherId);
    if (n > 0) throw conflict(`该教师已有 ${n} 场签到记录，不能取消报名（如属误签，请先在考勤中取消）`);
    await repo.deleteEnrolment(q, projectId, teacherId);
  });
}

/**
 * 学时认定: in one transaction, turn every attendance of the project into one ledger entry (session hours,
 * category and date) and close the project. The project row is locked first, so a second or concurrent
 * close waits and then finds it closed (409); the per-session-per-teacher dedupe key guards the ledger anyway.
 */
export async function closeProject(ctx: AppContext, user: CurrentUser, projectId: number): Promise<{ entriesCreated: number; teachers: number; hours: number }> {
  return ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'update');
    if (!lock) throw notFound('培训项目');
    if (lock.status === 'closed') throw conflict('项目已结项');
    const rows = await repo.attendanceForRecognition(q, projectId);
    const r = await recordLedgerEntries(
      q,
      rows.map((a) => ({
        teacherId: a.teacher_id,
        hours: a.hours,
        category: a.category as Category,
        occurredOn: a.date,
        sourceType: 'project' as const,
        projectId,
        sessionId: a.session_id,
        description: `「${lock.name}」${a.title}`,
        recognisedBy: user.id,
        dedupeKey: `project:${projectId}:session:${a.session_id}:teacher:${a.teacher_id}`,
      })),
    );
    await repo.markClosed(q, projectId, user.id);
    const result = { entriesCreated: r.inserted, teachers: r.teachers, hours: r.hours };
    await audit(q, user, 'project.close', 'project', projectId, result);
    return result;
  });
}

/** The teacher's own enrolled projects with sessions and their attendance: the mobile home page. */
export async function myProjects(ctx: AppContext, user: CurrentUser) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看“我的培训”');
  const rows = await repo.myProjects(ctx.db, user.teacherId);
  return rows.map((p) => {
    const sessions = p.sessions.map((s) => ({ ...s, attendedAt: s.attendedAt ? new Date(s.attendedAt).toISOString() : null }));
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      level: p.level,
      form: p.form,
      status: p.status,
      startDate: p.start_date,
      endDate: p.end_date,
      targetHours: p.target_hours,
      orgName: p.org_name,
      attendedSessions: sessions.filter((s) => s.attended).length,
      attendedHours: Math.round(sessions.reduce((n, s) => n + (s.attended ? s.hours : 0), 0) * 10) / 10,
      sessions,
    };
  });
}
