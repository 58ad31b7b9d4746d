/**
 * 课题 (issue 13 item 5; AI 教学 专项课题, seed 001 §三(六)3): a teacher (or the school for them) applies with a
 * leader, members, level, category and plan; the bureau of that level above the school (or the 教师发展中心 that
 * serves it: research.review) approves or rejects, holds 开题, 中期检查 (pass, or needs work and stays 开题) and
 * 结题 (which needs at least one recorded output), or terminates. Every step is a row of research_steps.
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getFiles, ownerOrInScope } from '../../platform/files.js';
import { defineMachine } from '../../platform/state-machine.js';
import type { z } from 'zod';
import * as repo from './research.repository.js';
import {
  OUTPUT_KIND_LABELS,
  type OutputInput,
  RESEARCH_CATEGORY_LABELS,
  RESEARCH_LEVEL_LABELS,
  type ResearchInput,
  type ResearchStep,
  type StepInput,
} from './research.schema.js';

export const researchMachine = defineMachine({
  states: {
    applied: '已申报',
    approved: '已立项',
    rejected: '未立项',
    started: '已开题',
    midtermPassed: '中期检查通过',
    concluded: '已结题',
    terminated: '已终止',
  },
  transitions: {
    approve: { from: ['applied'], to: 'approved', label: '立项' },
    reject: { from: ['applied'], to: 'rejected', label: '不予立项' },
    start: { from: ['approved'], to: 'started', label: '开题' },
    midterm: { from: ['started'], to: 'midtermPassed', label: '中期检查' },
    conclude: { from: ['midtermPassed'], to: 'concluded', label: '结题' },
    terminate: { from: ['approved', 'started', 'midtermPassed'], to: 'terminated', label: '终止' },
  },
});

const STEP_LABELS: Record<string, string> = { apply: '申报', ...Object.fromEntries(Object.entries(researchMachine.transitions).map(([k, t]) => [k, t.label])) };

const mayApply = (user: CurrentUser) => (user.role === 'teacher' && !!user.teacherId) || can(user, 'teachers.write');
const viewer = (user: CurrentUser): repo.Viewer => ({
  scope: user.scopePath,
  teacherId: user.role === 'teacher' ? user.teacherId : null,
  reviewer: can(user, 'research.review'),
});

function mayRead(user: CurrentUser) {
  if (!mayApply(user) && !can(user, 'research.review')) throw forbidden();
}

async function visible(q: Queryable, user: CurrentUser, id: number, lock = false) {
  mayRead(user);
  const p = await repo.find(q, viewer(user), id, lock);
  if (!p) throw notFound('课题');
  return p;
}

const present = (p: repo.ProjectRow) => ({
  id: p.id,
  title: p.title,
  leaderTeacherId: p.leaderTeacherId,
  leaderName: p.leaderName,
  schoolName: p.schoolName,
  level: p.level,
  levelLabel: RESEARCH_LEVEL_LABELS[p.level],
  approvingName: p.approvingName,
  category: p.category,
  categoryLabel: RESEARCH_CATEGORY_LABELS[p.category as keyof typeof RESEARCH_CATEGORY_LABELS] ?? p.category,
  status: p.status,
  statusLabel: researchMachine.stateLabel(p.status),
});

export async function listProjects(ctx: AppContext, user: CurrentUser) {
  mayRead(user);
  return (await repo.list(ctx.db, viewer(user))).map(present);
}

/** The project with its members, outputs and the history of its steps; the actions the caller may take. */
export async function getProject(ctx: AppContext, user: CurrentUser, id: number) {
  const p = await visible(ctx.db, user, id);
  const reviewer = can(user, 'research.review') && p.approvingPath.startsWith(user.scopePath);
  const [members, outputs, steps] = await Promise.all([repo.members(ctx.db, id), repo.outputs(ctx.db, id), repo.steps(ctx.db, id)]);
  return {
    ...present(p),
    plan: p.plan,
    actions: reviewer ? researchMachine.allowedActions(p.status) : [],
    mayAddOutput:
      mayApply(user) && (user.role !== 'teacher' || p.leaderTeacherId === user.teacherId) && (p.status === 'started' || p.status === 'midtermPassed'),
    members: members.map((m) => ({ ...m, roleLabel: m.role === 'leader' ? '主持人' : '成员' })),
    outputs: outputs.map((o) => ({ ...o, kindLabel: OUTPUT_KIND_LABELS[o.kind as keyof typeof OUTPUT_KIND_LABELS] ?? o.kind })),
    steps: steps.map((s) => ({ ...s, stepLabel: STEP_LABELS[s.step] ?? s.step, statusAfterLabel: researchMachine.stateLabel(s.statusAfter) })),
  };
}

/** Apply: the leader is the teacher themself, or a teacher of the school's subtree; members from the same scope. */
export async function apply(ctx: AppContext, user: CurrentUser, b: ResearchInput, ip?: string) {
  if (!mayApply(user)) throw forbidden();
  const leaderId = user.role === 'teacher' ? (user.teacherId as number) : b.leaderTeacherId;
  if (!leaderId) throw badRequest('请选择课题主持人', [{ field: 'leaderTeacherId', message: '请选择课题主持人' }]);
  return ctx.db.tx(async (q) => {
    // A teacher names colleagues of its own school; a school admin teachers of its subtree.
    const [leader] = await repo.teachersIn(q, user.role === 'teacher' ? '/' : user.scopePath, [leaderId]);
    if (!leader) throw badRequest('主持人不存在或不在本单位', [{ field: 'leaderTeacherId', message: '教师不存在或不在本单位' }]);
    const scope = user.role === 'teacher' ? leader.orgPath : user.scopePath;
    const memberIds = [...new Set(b.memberTeacherIds)].filter((m) => m !== leaderId);
    const found = new Set((await repo.teachersIn(q, scope, memberIds)).map((t) => t.id));
    const bad = b.memberTeacherIds.flatMap((m, i) =>
      m === leaderId || found.has(m) ? [] : [{ field: `memberTeacherIds.${i}`, message: '教师不存在或不在本单位' }],
    );
    if (bad.length) throw badRequest('有的成员不存在或不在本单位', bad);
    const approving = await repo.bureauAbove(q, leader.orgPath, b.level);
    if (!approving) throw badRequest(`本单位上级没有${RESEARCH_LEVEL_LABELS[b.level]}教育局`, [{ field: 'level', message: '没有该级别的上级教育局' }]);
    const id = await repo.insertProject(q, b, leader.id, leader.orgId, approving, user.id);
    const today = todayInChina();
    await repo.addMember(q, id, leader.id, 'leader', today, user.id);
    for (const m of memberIds) await repo.addMember(q, id, m, 'member', today, user.id);
    await repo.insertStep(q, id, 'apply', null, today, null, 'applied', user.id, user.orgId);
    await audit(q, user, 'research.apply', 'research_project', id, { level: b.level, category: b.category }, ip);
    return { id };
  });
}

/** A reviewer's step (立项/不予立项/开题/中期检查/结题/终止); illegal steps 409; 结题 needs an output. */
export async function step(ctx: AppContext, user: CurrentUser, id: number, s: ResearchStep, b: z.infer<typeof StepInput>, ip?: string) {
  if (!can(user, 'research.review')) throw forbidden();
  return ctx.db.tx(async (q) => {
    const p = await visible(q, user, id, true);
    if (!p.approvingPath.startsWith(user.scopePath)) throw forbidden(`该课题由${p.approvingName}审批`);
    const heldOn = b.heldOn ?? todayInChina();
    if (heldOn > todayInChina()) throw badRequest('日期不能晚于今天', [{ field: 'heldOn', message: '不能晚于今天' }]);
    let to = researchMachine.assertTransition(p.status, s);
    if (s === 'midterm') {
      if (!b.result) throw badRequest('请选择中期检查结果', [{ field: 'result', message: '请选择通过或需改进' }]);
      if (b.result === 'needsWork') to = 'started';
    }
    if ((s === 'reject' || s === 'terminate' || b.result === 'needsWork') && !b.comment)
      throw badRequest('请填写意见（原因）', [{ field: 'comment', message: '请填写意见' }]);
    if (s === 'conclude' && !(await repo.outputs(q, id)).length) throw conflict('结题前请先登记研究成果（论文、课例或研究报告）');
    await repo.setStatus(q, id, to);
    await repo.insertStep(q, id, s, s === 'midterm' ? (b.result ?? null) : null, heldOn, b.comment ?? null, to, user.id, user.orgId);
    await audit(q, user, `research.${s}`, 'research_project', id, { result: b.result ?? null, status: to }, ip);
    return { status: to, statusLabel: researchMachine.stateLabel(to) };
  });
}

/** The leader (or the school) records an output while the project runs (开题 or 中期通过). */
export async function addOutput(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof OutputInput>, ip?: string) {
  if (!mayApply(user)) throw forbidden();
  return ctx.db.tx(async (q) => {
    const p = await visible(q, user, id, true);
    if (user.role === 'teacher' && p.leaderTeacherId !== user.teacherId) throw forbidden('只有课题主持人可以登记成果');
    if (p.status !== 'started' && p.status !== 'midtermPassed') throw conflict(`课题${researchMachine.stateLabel(p.status)}，不能登记成果`);
    if (b.fileId) {
      const [f] = await getFiles(q, [b.fileId]);
      if (!f || !ownerOrInScope(f, user)) throw badRequest('所选文件不存在或无权使用', [{ field: 'fileId', message: '文件不存在' }]);
    }
    const outputId = await repo.insertOutput(q, id, b.kind, b.title, b.fileId ?? null, user.id);
    await audit(q, user, 'research.output', 'research_project', id, { outputId, kind: b.kind }, ip);
    return { id: outputId };
  });
}
