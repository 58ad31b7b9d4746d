import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { maskPhone } from '../../platform/national-id.js';
import { EXPERT_CRITERIA } from '../../platform/vocab.js';
import { evaluatedProject } from '../evaluations/project-scope.js';
import { round1 } from '../evaluations/score.js';
import * as repo from './experts.repository.js';
import type { ExpertColumns, ExpertRow, ProjectExpertRow } from './experts.repository.js';
import type { ExpertInput, ExpertListQuery, ExpertUpdate, ScoreInput } from './experts.schema.js';

/** Reading the pool: whoever manages experts or reads evaluations (bureau, development centre). */
function readScope(user: CurrentUser): { scope: string; own: string } {
  if (!can(user, 'experts.manage')) requirePermission(user, 'evaluations.read');
  return { scope: user.scopePath, own: user.orgPath };
}

/** Only masks leave the server; the phone itself only through unmask (audited). */
export function presentExpert(e: ExpertRow) {
  return {
    id: e.id,
    orgId: e.org_id,
    orgName: e.org_name,
    name: e.name,
    affiliation: e.affiliation,
    title: e.title,
    fields: e.fields,
    level: e.level,
    phoneMasked: e.phone_mask,
    status: e.status,
    version: e.version,
    projectCount: e.project_count,
    editable: e.editable,
  };
}
export type ExpertDto = ReturnType<typeof presentExpert>;

export async function listExperts(ctx: AppContext, user: CurrentUser, f: ExpertListQuery) {
  const { scope, own } = readScope(user);
  const r = await repo.listExperts(ctx.db, scope, own, f);
  return { items: r.rows.map(presentExpert), total: r.total, page: f.page, pageSize: f.pageSize };
}

async function expertOr404(ctx: AppContext, user: CurrentUser, id: number, q: Queryable = ctx.db): Promise<ExpertRow> {
  const { scope, own } = readScope(user);
  const e = await repo.findExpert(q, scope, own, id);
  if (!e) throw notFound('专家');
  return e;
}

export async function getExpert(ctx: AppContext, user: CurrentUser, id: number): Promise<ExpertDto> {
  return presentExpert(await expertOr404(ctx, user, id));
}

function columns(input: ExpertInput, phone: { enc: string | null; idx: string | null; mask: string | null }): ExpertColumns {
  return {
    name: input.name,
    affiliation: input.affiliation,
    title: input.title ?? null,
    fields: input.fields,
    level: input.level,
    phone_enc: phone.enc,
    phone_idx: phone.idx,
    phone_mask: phone.mask,
    status: input.status,
  };
}

const encryptPhone = (ctx: AppContext, p: string) => ({ enc: ctx.pii.encrypt(p), idx: ctx.pii.blindIndex(p), mask: maskPhone(p) });

/** Add an expert to the caller's own pool; the phone is stored encrypted with a blind index and a mask. */
export async function createExpert(ctx: AppContext, user: CurrentUser, input: ExpertInput): Promise<ExpertDto> {
  requirePermission(user, 'experts.manage');
  const phone = input.phone ? encryptPhone(ctx, input.phone) : { enc: null, idx: null, mask: null };
  return ctx.db.tx(async (q) => {
    if (phone.idx && (await repo.findByPhone(q, user.orgId, phone.idx))) throw conflict('专家库中已有使用该手机号的专家，请勿重复添加');
    const id = await repo.insertExpert(q, user.orgId, columns(input, phone), user.id);
    await audit(q, user, 'expert.create', 'expert', id, { name: input.name });
    return presentExpert(await expertOr404(ctx, user, id, q));
  });
}

async function editableExpert(ctx: AppContext, user: CurrentUser, id: number, q: Queryable): Promise<ExpertRow> {
  requirePermission(user, 'experts.manage');
  const e = await expertOr404(ctx, user, id, q);
  if (!e.editable) throw forbidden('该专家属于上级专家库，只能由其所属单位修改');
  return e;
}

/** Save an edited expert (optimistic version check: a stale form is a 409). */
export async function updateExpert(ctx: AppContext, user: CurrentUser, id: number, input: ExpertUpdate): Promise<ExpertDto> {
  return ctx.db.tx(async (q) => {
    const e = await editableExpert(ctx, user, id, q);
    let phone = { enc: e.phone_enc, idx: await repo.phoneIdxOf(q, id), mask: e.phone_mask };
    if (input.clearPhone) phone = { enc: null, idx: null, mask: null };
    else if (input.phone) phone = encryptPhone(ctx, input.phone);
    if (phone.idx && input.phone) {
      const other = await repo.findByPhone(q, e.org_id, phone.idx);
      if (other !== null && other !== id) throw conflict('专家库中已有使用该手机号的专家');
    }
    if (!(await repo.updateExpert(q, id, input.version, columns(input, phone)))) throw conflict('该专家信息已被他人修改，请刷新后再保存');
    await audit(q, user, 'expert.update', 'expert', id, { name: input.name, status: input.status });
    return presentExpert(await expertOr404(ctx, user, id, q));
  });
}

/** Remove an expert who never took part in a project; one who did can only be set to 停用. */
export async function deleteExpert(ctx: AppContext, user: CurrentUser, id: number): Promise<void> {
  await ctx.db.tx(async (q) => {
    const e = await editableExpert(ctx, user, id, q);
    if (e.project_count > 0) throw conflict('该专家已参与项目评审，不能删除，可将状态改为“停用”');
    await repo.deleteExpert(q, id);
    await audit(q, user, 'expert.delete', 'expert', id, { name: e.name });
  });
}

/** The expert's full phone number, for a caller who manages the pool; every call is audited. */
export async function unmaskExpert(ctx: AppContext, user: CurrentUser, id: number, ip?: string): Promise<{ phone: string | null }> {
  requirePermission(user, 'experts.manage');
  const e = await expertOr404(ctx, user, id);
  await audit(ctx.db, user, 'expert.unmask', 'expert', id, { fields: ['phone'] }, ip);
  return { phone: e.phone_enc ? ctx.pii.decrypt(e.phone_enc) : null };
}

function presentAssignment(r: ProjectExpertRow) {
  return {
    expertId: r.expert_id,
    name: r.name,
    affiliation: r.affiliation,
    title: r.title,
    level: r.level,
    fields: r.fields,
    status: r.status,
    assignedAt: r.assigned_at,
    score:
      r.total === null
        ? null
        : { criteria: r.criteria ?? {}, total: r.total, comment: r.comment ?? '', recordedBy: r.recorded_by_name, recordedAt: r.recorded_at },
  };
}

/** Experts assigned to a project, with their scores; the average of the scored ones. */
export async function projectExperts(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await evaluatedProject(ctx.db, user, projectId);
  const items = (await repo.listProjectExperts(ctx.db, p.id)).map(presentAssignment);
  const totals = items.flatMap((i) => (i.score ? [i.score.total] : []));
  return { items, average: totals.length ? round1(totals.reduce((a, b) => a + b, 0) / totals.length) : null };
}

/** Assign experts of the visible pool to a project in the caller's region (only 在库 experts). */
export async function assignExperts(ctx: AppContext, user: CurrentUser, projectId: number, expertIds: number[]) {
  requirePermission(user, 'experts.manage');
  const ids = [...new Set(expertIds)];
  return ctx.db.tx(async (q) => {
    const p = await evaluatedProject(q, user, projectId);
    const found = new Map((await repo.visibleExperts(q, user.scopePath, user.orgPath, ids)).map((e) => [e.id, e]));
    const rejected: { expertId: number; message: string }[] = [];
    const ok: number[] = [];
    for (const id of ids) {
      const e = found.get(id);
      if (!e) rejected.push({ expertId: id, message: '专家不存在或无权访问' });
      else if (e.status !== 'active') rejected.push({ expertId: id, message: `「${e.name}」已停用，不能指派` });
      else ok.push(id);
    }
    const added = await repo.insertAssignments(q, p.id, ok, user.id);
    if (added.length) await audit(q, user, 'expert.assign', 'project', p.id, { expertIds: added });
    return { added: added.length, alreadyAssigned: ok.length - added.length, rejected };
  });
}

/** Withdraw an assignment that has no score yet. */
export async function unassignExpert(ctx: AppContext, user: CurrentUser, projectId: number, expertId: number): Promise<void> {
  requirePermission(user, 'experts.manage');
  await ctx.db.tx(async (q) => {
    const p = await evaluatedProject(q, user, projectId);
    if (!(await repo.isAssigned(q, p.id, expertId))) throw notFound('专家指派');
    if (await repo.hasScore(q, p.id, expertId)) throw conflict('该专家已评分，不能取消指派');
    await repo.deleteAssignment(q, p.id, expertId);
    await audit(q, user, 'expert.unassign', 'project', p.id, { expertId });
  });
}

/**
 * Record (or correct) an assigned expert's score of the project on each criterion (0–100) with a comment.
 * Experts have no login: a bureau admin or development centre enters the score from the expert's sheet,
 * and is recorded as the one who did.
 */
export async function scoreProject(ctx: AppContext, user: CurrentUser, projectId: number, expertId: number, input: ScoreInput) {
  requirePermission(user, 'experts.manage');
  return ctx.db.tx(async (q) => {
    const p = await evaluatedProject(q, user, projectId);
    if (!(await repo.isAssigned(q, p.id, expertId))) throw notFound('专家指派');
    const keys = Object.keys(EXPERT_CRITERIA) as (keyof typeof EXPERT_CRITERIA)[];
    const criteria = Object.fromEntries(keys.map((k) => [k, input.criteria[k]]));
    const total = round1(keys.reduce((s, k) => s + input.criteria[k], 0) / keys.length);
    await repo.upsertScore(q, p.id, expertId, criteria, total, input.comment, user.id);
    await audit(q, user, 'expert.score', 'project', p.id, { expertId, total });
    const row = (await repo.listProjectExperts(q, p.id)).find((r) => r.expert_id === expertId);
    if (!row) throw notFound('专家指派');
    return presentAssignment(row);
  });
}
