/**
 * 学历提升 / 资格证 plans (issue 13 item 5; seed 001 §三(七): 科证不符 teachers raise their degree or obtain a
 * matching 教师资格证). A teacher (or the school for them) records a plan with its target, institution, expected
 * date and evidence; progress notes follow. Completion is an approved change: the teacher asks (with what was
 * achieved and from when), the school (teachers.write) approves — or records it itself, which is its approval —
 * and the new education or credential is recorded through teacher-facts recordCredentials from that date (never
 * by writing teacher columns). The school sees its 科证不符 teachers and who has a plan.
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getFiles, ownerOrInScope } from '../../platform/files.js';
import { EDUCATION, STAGES } from '../../platform/vocab.js';
import { recordCredentials } from '../teachers/teacher-facts.service.js';
import type { z } from 'zod';
import * as repo from './upgrade.repository.js';
import { type CompletionInput, type PlanInput, type ProgressInput, UPGRADE_KIND_LABELS } from './upgrade.schema.js';

const STATUS_LABELS = { active: '进行中', completed: '已完成', abandoned: '已放弃' } as const;
const PROGRESS_LABELS: Record<string, string> = {
  progress: '进展',
  completionRequested: '申请确认完成',
  completed: '已确认完成',
  returned: '退回',
  abandoned: '放弃',
};

const isTeacher = (user: CurrentUser) => user.role === 'teacher' && !!user.teacherId;
function mayUse(user: CurrentUser) {
  if (!isTeacher(user) && !can(user, 'teachers.write')) throw forbidden();
}
const own = (user: CurrentUser) => (isTeacher(user) ? user.teacherId : null);

async function plan(q: Queryable, user: CurrentUser, id: number, lock = false) {
  mayUse(user);
  const p = await repo.find(q, user.scopePath, own(user), id, lock);
  if (!p) throw notFound('提升计划');
  return p;
}

async function checkFile(q: Queryable, user: CurrentUser, fileId: number | null | undefined, field: string) {
  if (!fileId) return;
  const [f] = await getFiles(q, [fileId]);
  if (!f || !ownerOrInScope(f, user)) throw badRequest('所选文件不存在或无权使用', [{ field, message: '文件不存在' }]);
}

const target = (p: repo.PlanRow) =>
  p.kind === 'degree'
    ? `提升至${EDUCATION[p.targetEducation as keyof typeof EDUCATION] ?? p.targetEducation}`
    : `取得${p.targetStage ? (STAGES[p.targetStage as keyof typeof STAGES] ?? '') : ''}${p.targetSubject}教师资格证`;

const present = (p: repo.PlanRow) => ({
  ...p,
  orgPath: undefined,
  kindLabel: UPGRADE_KIND_LABELS[p.kind],
  targetLabel: target(p),
  statusLabel: STATUS_LABELS[p.status],
});

export async function listPlans(ctx: AppContext, user: CurrentUser) {
  mayUse(user);
  return (await repo.list(ctx.db, user.scopePath, own(user))).map(present);
}

export async function getPlan(ctx: AppContext, user: CurrentUser, id: number) {
  const p = await plan(ctx.db, user, id);
  const steps = await repo.progress(ctx.db, id);
  const pending = pendingRequest(steps);
  return {
    ...present(p),
    progress: steps.map((s) => ({ ...s, kindLabel: PROGRESS_LABELS[s.kind] ?? s.kind })),
    pendingCompletion: pending ? pending.achieved : null,
    mayApprove: p.status === 'active' && !!pending && can(user, 'teachers.write'),
  };
}

export async function createPlan(ctx: AppContext, user: CurrentUser, b: PlanInput, ip?: string) {
  mayUse(user);
  const teacherId = isTeacher(user) ? (user.teacherId as number) : b.teacherId;
  if (!teacherId) throw badRequest('请选择教师', [{ field: 'teacherId', message: '请选择教师' }]);
  if (b.expectedOn < todayInChina()) throw badRequest('预计完成日期不能早于今天', [{ field: 'expectedOn', message: '不能早于今天' }]);
  return ctx.db.tx(async (q) => {
    const t = await repo.teacherIn(q, isTeacher(user) ? '/' : user.scopePath, teacherId);
    if (!t) throw badRequest('教师不存在或不在本单位', [{ field: 'teacherId', message: '教师不存在或不在本单位' }]);
    await checkFile(q, user, b.evidenceFileId, 'evidenceFileId');
    const id = await repo.insertPlan(q, t.id, b, user.id);
    await audit(q, user, 'upgrade.plan', 'teacher', t.id, { planId: id, kind: b.kind }, ip);
    return { id };
  });
}

export async function addProgress(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof ProgressInput>, ip?: string) {
  return ctx.db.tx(async (q) => {
    const p = await plan(q, user, id, true);
    if (p.status !== 'active') throw conflict(`计划${STATUS_LABELS[p.status]}，不能再记录进展`);
    await checkFile(q, user, b.fileId, 'fileId');
    await repo.addProgress(q, id, 'progress', b.note, null, b.fileId ?? null, user.id);
    await audit(q, user, 'upgrade.progress', 'teacher', p.teacherId, { planId: id }, ip);
    return { ok: true };
  });
}

type Steps = Awaited<ReturnType<typeof repo.progress>>;
/** The completion request not yet answered (the last completionRequested after any completed/returned). */
function pendingRequest(steps: Steps) {
  const last = [...steps].reverse().find((s) => s.kind === 'completionRequested' || s.kind === 'returned' || s.kind === 'completed');
  return last?.kind === 'completionRequested' ? last : undefined;
}

/** What completion records: the education, or the certificate's subject, stage (and number, type when given). */
function achieved(p: repo.PlanRow, stage: string, b: CompletionInput): Record<string, string> {
  if (p.kind === 'degree') return { education: p.targetEducation as string, achievedOn: b.achievedOn };
  return {
    qualification_subject: p.targetSubject as string,
    qualification_stage: p.targetStage ?? stage,
    ...(b.qualificationNo ? { qualification_no: b.qualificationNo } : {}),
    ...(b.qualificationType ? { qualification_type: b.qualificationType } : {}),
    achievedOn: b.achievedOn,
  };
}

async function record(q: Queryable, user: CurrentUser, p: repo.PlanRow, values: Record<string, string>, note: string | null, ip?: string) {
  const { achievedOn, ...credentials } = values;
  await recordCredentials(q, user.id, p.teacherId, credentials, achievedOn, `${UPGRADE_KIND_LABELS[p.kind]}：${target(p)}`);
  await repo.addProgress(q, p.id, 'completed', note, values, null, user.id);
  await repo.complete(q, p.id, achievedOn);
  await audit(q, user, 'upgrade.complete', 'teacher', p.teacherId, { planId: p.id, ...credentials, from: achievedOn }, ip);
}

/**
 * The teacher asks to confirm completion (what was achieved, from when, the evidence); the school recording it is
 * its own approval, so the credential is recorded at once.
 */
export async function requestCompletion(ctx: AppContext, user: CurrentUser, id: number, b: CompletionInput, ip?: string) {
  return ctx.db.tx(async (q) => {
    const p = await plan(q, user, id, true);
    if (b.achievedOn > todayInChina()) throw badRequest('取得日期不能晚于今天', [{ field: 'achievedOn', message: '不能晚于今天' }]);
    if (p.status !== 'active') throw conflict(`计划${STATUS_LABELS[p.status]}，不能再确认完成`);
    await checkFile(q, user, b.fileId, 'fileId');
    const t = await repo.teacherIn(q, '/', p.teacherId);
    if (!t) throw conflict('该教师已不在职');
    const values = achieved(p, t.stage, b);
    if (isTeacher(user)) {
      if (pendingRequest(await repo.progress(q, id))) throw conflict('已申请确认完成，等待学校审核');
      await repo.addProgress(q, id, 'completionRequested', b.note ?? null, values, b.fileId ?? null, user.id);
      await audit(q, user, 'upgrade.request', 'teacher', p.teacherId, { planId: id }, ip);
      return { status: 'active', pending: true };
    }
    await repo.addProgress(q, id, 'completionRequested', b.note ?? null, values, b.fileId ?? null, user.id);
    await record(q, user, p, values, b.note ?? null, ip);
    return { status: 'completed', pending: false };
  });
}

/** The school approves the teacher's completion request: the credential is recorded from the date achieved. */
export async function approveCompletion(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  requirePermission(user, 'teachers.write');
  return ctx.db.tx(async (q) => {
    const p = await plan(q, user, id, true);
    if (p.status !== 'active') throw conflict(`计划${STATUS_LABELS[p.status]}，不能再确认完成`);
    const pending = pendingRequest(await repo.progress(q, id));
    if (!pending?.achieved) throw conflict('教师还没有申请确认完成');
    await record(q, user, p, pending.achieved, null, ip);
    return { status: 'completed' };
  });
}

/** The school's 科证不符 teachers (subject taught vs the certificate's subject) and who has a plan. */
export async function mismatchList(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'teachers.write');
  const rows = await repo.mismatched(ctx.db, user.scopePath);
  return {
    total: rows.length,
    withPlan: rows.filter((r) => r.planId).length,
    teachers: rows.map((r) => ({
      ...r,
      education: r.education ? (EDUCATION[r.education as keyof typeof EDUCATION] ?? r.education) : null,
      planKindLabel: r.planKind ? UPGRADE_KIND_LABELS[r.planKind as keyof typeof UPGRADE_KIND_LABELS] : null,
    })),
  };
}
