import { randomInt } from 'node:crypto';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { maskPhone } from '../../platform/national-id.js';
import { EXPERT_CRITERIA } from '../../platform/vocab.js';
import { projectMachine } from '../projects/lifecycle.js';
import { insertUser } from '../users/users.repository.js';
import { evaluatedProject, expertManagedProject } from '../evaluations/project-scope.js';
import { round1 } from '../evaluations/score.js';
import * as repo from './experts.repository.js';
import type { ExpertColumns, ExpertRow, ProjectExpertRow } from './experts.repository.js';
import type { AccountInput, ExpertInput, ExpertListQuery, ExpertUpdate, ScoreInput } from './experts.schema.js';

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
    /** Username of the linked 评审专家 login, null when the expert has none. */
    account: e.account_username,
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
  // A parent's pool is readable below it, but its experts' phones are its own business (issue 9 item 17).
  if (!e.editable) throw forbidden('该专家属于上级专家库，只能由其所属单位查看完整手机号');
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
        : {
            criteria: r.criteria ?? {},
            total: r.total,
            comment: r.comment ?? '',
            recordedBy: r.recorded_by_name,
            recordedAt: r.recorded_at,
            // 本人提交 when the expert's own account saved it; otherwise an admin entered it on their behalf (代录).
            byExpert: r.by_expert === true,
          },
  };
}

/** Experts assigned to a project, with their scores; the average of the scored ones. */
export async function projectExperts(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await evaluatedProject(ctx.db, user, projectId);
  const items = (await repo.listProjectExperts(ctx.db, p.id)).map(presentAssignment);
  const totals = items.flatMap((i) => (i.score ? [i.score.total] : []));
  // Whether the caller may assign experts and record scores here (a development centre: only its own projects).
  const manageable =
    can(user, 'experts.manage') &&
    (await expertManagedProject(ctx.db, user, projectId).then(
      () => true,
      () => false,
    ));
  return { items, average: totals.length ? round1(totals.reduce((a, b) => a + b, 0) / totals.length) : null, manageable };
}

/** Assign experts of the visible pool to a project in the caller's region (only 在库 experts). */
export async function assignExperts(ctx: AppContext, user: CurrentUser, projectId: number, expertIds: number[]) {
  requirePermission(user, 'experts.manage');
  const ids = [...new Set(expertIds)];
  return ctx.db.tx(async (q) => {
    const p = await expertManagedProject(q, user, projectId);
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

/** The criteria in vocabulary order and their mean (one decimal). */
function scoreOf(input: ScoreInput): { criteria: Record<string, number>; total: number } {
  const keys = Object.keys(EXPERT_CRITERIA) as (keyof typeof EXPERT_CRITERIA)[];
  return {
    criteria: Object.fromEntries(keys.map((k) => [k, input.criteria[k]])),
    total: round1(keys.reduce((s, k) => s + input.criteria[k], 0) / keys.length),
  };
}

/** Withdraw an assignment that has no score yet. */
export async function unassignExpert(ctx: AppContext, user: CurrentUser, projectId: number, expertId: number): Promise<void> {
  requirePermission(user, 'experts.manage');
  await ctx.db.tx(async (q) => {
    const p = await expertManagedProject(q, user, projectId);
    if (!(await repo.isAssigned(q, p.id, expertId))) throw notFound('专家指派');
    if (await repo.hasScore(q, p.id, expertId)) throw conflict('该专家已评分，不能取消指派');
    await repo.deleteAssignment(q, p.id, expertId);
    await audit(q, user, 'expert.unassign', 'project', p.id, { expertId });
  });
}

/**
 * Record (or correct) an assigned expert's score of the project on each criterion (0–100) with a comment,
 * on the expert's behalf (代录): a bureau admin or development centre enters it from the expert's sheet and
 * is recorded as the one who did. Experts with an account submit their own through submitMyScore.
 */
export async function scoreProject(ctx: AppContext, user: CurrentUser, projectId: number, expertId: number, input: ScoreInput) {
  requirePermission(user, 'experts.manage');
  return ctx.db.tx(async (q) => {
    const p = await expertManagedProject(q, user, projectId);
    if (!(await repo.isAssigned(q, p.id, expertId))) throw notFound('专家指派');
    const { criteria, total } = scoreOf(input);
    await repo.upsertScore(q, p.id, expertId, criteria, total, input.comment, user.id);
    await audit(q, user, 'expert.score', 'project', p.id, { expertId, total, onBehalf: true });
    const row = (await repo.listProjectExperts(q, p.id)).find((r) => r.expert_id === expertId);
    if (!row) throw notFound('专家指派');
    return presentAssignment(row);
  });
}

// ---------------------------------------------------------------- 评审专家 accounts and 我的评审

// No 0/O/1/l/I: the initial password is read off a screen and typed by someone else.
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
function initialPassword(): string {
  let p = '';
  for (let i = 0; i < 12; i++) p += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return p;
}

/**
 * 开通账号: give a pool expert a login. mode 'create' makes a new 评审专家 account whose generated initial
 * password is returned once (only its argon2 hash is stored); mode 'link' links an existing 评审专家 account
 * (the same person in another pool). Only the expert's own pool may do either.
 */
export async function openAccount(
  ctx: AppContext,
  user: CurrentUser,
  expertId: number,
  input: AccountInput,
): Promise<{ expert: ExpertDto; username: string; initialPassword: string | null }> {
  const password = input.mode === 'create' ? initialPassword() : null;
  const hash = password ? await hashPassword(password) : null;
  return ctx.db.tx(async (q) => {
    const e = await editableExpert(ctx, user, expertId, q);
    if (e.account_username) throw conflict(`该专家已开通账号（用户名 ${e.account_username}）`);
    let userId: number;
    if (input.mode === 'create') {
      if (await repo.usernameTaken(q, input.username)) throw conflict(`用户名「${input.username}」已被使用，请换一个`);
      userId = await insertUser(q, { username: input.username, passwordHash: hash!, displayName: e.name, role: 'expert', orgId: e.org_id });
    } else {
      const acc = await repo.findAccount(q, user.scopePath, user.orgPath, input.username);
      if (!acc || !acc.visible) throw notFound(`用户「${input.username}」`);
      if (acc.role !== 'expert') throw conflict('只能关联角色为“评审专家”的账号');
      if (!acc.active) throw conflict('该账号已停用，不能关联');
      userId = acc.id;
    }
    await repo.setExpertUser(q, e.id, userId);
    await audit(q, user, 'expert.account', 'expert', e.id, { mode: input.mode, username: input.username });
    return { expert: presentExpert(await expertOr404(ctx, user, e.id, q)), username: input.username, initialPassword: password };
  });
}

/** Unlink the expert's login (the account stays; its other pool entries keep it). */
export async function closeAccount(ctx: AppContext, user: CurrentUser, expertId: number): Promise<void> {
  await ctx.db.tx(async (q) => {
    const e = await editableExpert(ctx, user, expertId, q);
    if (!e.account_username) throw conflict('该专家尚未开通账号');
    await repo.setExpertUser(q, e.id, null);
    await audit(q, user, 'expert.account.unlink', 'expert', e.id, { username: e.account_username });
  });
}

const reviewOpen = (status: string) => repo.REVIEW_OPEN_STATUSES.includes(status);

function reviewClosedReason(status: string): string | null {
  if (reviewOpen(status)) return null;
  if (status === 'evaluated') return '该项目已完成绩效评估，评分已截止';
  if (status === 'rejected') return '该项目未获批准，无需评分';
  return `项目尚未实施（当前状态「${projectMachine.stateLabel(status)}」），暂不能评分`;
}

function presentReview(r: repo.ReviewRow) {
  return {
    projectId: r.project_id,
    expertId: r.expert_id,
    code: r.code,
    name: r.name,
    status: r.status,
    statusLabel: projectMachine.stateLabel(r.status),
    level: r.level,
    form: r.form,
    categories: r.categories,
    targetHours: r.target_hours,
    startDate: r.start_date,
    endDate: r.end_date,
    orgName: r.org_name,
    plan: r.plan,
    sessionCount: r.session_count,
    enrolled: r.enrolled,
    attendanceRate: r.enrolled && r.session_count ? Math.round((r.attended / (r.enrolled * r.session_count)) * 10000) / 10000 : null,
    assignedAt: r.assigned_at,
    /** Scoring is open while the project has run and is not yet 已评估; closedReason says why not. */
    open: reviewOpen(r.status),
    closedReason: reviewClosedReason(r.status),
    score:
      r.total === null
        ? null
        : { criteria: r.criteria ?? {}, total: r.total, comment: r.comment ?? '', recordedAt: r.recorded_at, byExpert: r.by_expert === true },
  };
}
export type ReviewDto = ReturnType<typeof presentReview>;

/** 我的评审: the projects the signed-in expert is assigned to, with their summary and the expert's score. */
export async function myReviews(ctx: AppContext, user: CurrentUser): Promise<{ items: ReviewDto[] }> {
  requirePermission(user, 'experts.review');
  const rows = await repo.listReviews(ctx.db, user.id);
  // Open ones first, newest first; the SQL orders by project for DISTINCT ON.
  rows.sort(
    (a, b) =>
      Number(reviewOpen(b.status)) - Number(reviewOpen(a.status)) || (b.start_date ?? '').localeCompare(a.start_date ?? '') || b.project_id - a.project_id,
  );
  return { items: rows.map(presentReview) };
}

/** One assigned project; any other project is 404 for the expert. */
export async function myReview(ctx: AppContext, user: CurrentUser, projectId: number, q: Queryable = ctx.db): Promise<ReviewDto> {
  requirePermission(user, 'experts.review');
  const r = (await repo.listReviews(q, user.id, projectId))[0];
  if (!r) throw notFound('评审项目');
  return presentReview(r);
}

/**
 * The signed-in expert submits or edits their own score of an assigned project while its evaluation is
 * open; the score is recorded as entered by the expert themself.
 */
export async function submitMyScore(ctx: AppContext, user: CurrentUser, projectId: number, input: ScoreInput): Promise<ReviewDto> {
  requirePermission(user, 'experts.review');
  return ctx.db.tx(async (q) => {
    const r = (await repo.listReviews(q, user.id, projectId))[0];
    if (!r) throw notFound('评审项目');
    const status = await repo.lockProjectStatus(q, r.project_id);
    const closed = reviewClosedReason(status ?? '');
    if (closed) throw conflict(closed);
    if (!(await repo.isAssigned(q, r.project_id, r.expert_id))) throw notFound('评审项目');
    const { criteria, total } = scoreOf(input);
    await repo.upsertScore(q, r.project_id, r.expert_id, criteria, total, input.comment, user.id);
    await audit(q, user, 'expert.score', 'project', r.project_id, { expertId: r.expert_id, total, onBehalf: false });
    return myReview(ctx, user, projectId, q);
  });
}
