/**
 * 人员变动 (issue 10 item 5): 新教师入职, 调动, 退休, 离职 and 死亡 as requests with an effective date and
 * approvals. A school (or a bureau above it) files; the bureau directly above each school the request touches
 * approves — one bureau within a county, both the sending and the receiving bureau across counties, in either
 * order. A bureau may instead return the request with a reason; the filer may withdraw it while it is pending.
 * Once every approval is in, a request dated today or earlier is applied at once, a later one by the daily job
 * (applyDueMoves). Applying writes the teacher's dated facts through teacher-facts (assignment kind hire or
 * transfer; status retired, resigned or deceased); the account follows by itself: the 教师 role acts at the
 * teacher's current school (0021) and a teacher leaving ends the account (trigger of 0021/0023).
 * Every step is audited and announced to the next approvers and the filer, never to the actor.
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { assignSchool, setStatus } from '../teachers/teacher-facts.service.js';
import * as facts from '../teachers/teacher-facts.repository.js';
import { getTeacher } from '../teachers/teachers.service.js';
import * as repo from './moves.repository.js';
import type { MoveKind, MoveRow, StepRow } from './moves.repository.js';
import type { MoveInput, MoveListQuery } from './moves.schema.js';
import { MOVE_KIND_LABELS, MOVE_STATUS_LABELS, MOVE_STEP_LABELS } from './moves.vocab.js';
import { startPeriodicJob } from '../../platform/periodic-job.js';
import { assertTeacherNotBanned } from '../integrity/bans.service.js';
import { todayInChina } from '../../platform/china-time.js';

const STATUS_OF: Partial<Record<MoveKind, string>> = { retire: 'retired', resign: 'resigned', death: 'deceased' };
const LINK = (id: number) => `/moves?id=${id}`;

export function presentMove(m: MoveRow, steps: StepRow[], user: CurrentUser | null) {
  const approvals = m.approver_org_ids.map((orgId) => {
    const s = steps.find((x) => x.action === 'approve' && x.org_id === orgId);
    return { orgId, orgName: '', approvedByName: s?.by_name ?? null, approvedAt: s?.at ?? null, comment: s?.comment ?? null };
  });
  const approver = !!user && user.role === 'bureauAdmin' && m.approver_org_ids.includes(user.orgId);
  const approvedByMe = !!user && approvals.some((a) => a.orgId === user.orgId && a.approvedAt);
  return {
    id: m.id,
    teacherId: m.teacher_id,
    teacherName: m.teacher_name,
    kind: m.kind,
    kindLabel: MOVE_KIND_LABELS[m.kind],
    fromOrgId: m.from_org_id,
    fromOrgName: m.from_org_name,
    toOrgId: m.to_org_id,
    toOrgName: m.to_org_name,
    effectiveDate: m.effective_date,
    reason: m.reason,
    evidence: m.evidence,
    status: m.status,
    statusLabel: MOVE_STATUS_LABELS[m.status],
    filedByName: m.filed_by_name,
    filedOrgName: m.filed_org_name,
    filedAt: m.filed_at,
    closedAt: m.closed_at,
    appliedAt: m.applied_at,
    approvals,
    trail: steps.map((s) => ({
      action: s.action,
      actionLabel: MOVE_STEP_LABELS[s.action],
      orgName: s.org_name,
      byName: s.by_name,
      at: s.at,
      comment: s.comment,
    })),
    canApprove: m.status === 'pending' && approver && !approvedByMe,
    canReturn: m.status === 'pending' && approver,
    canWithdraw: m.status === 'pending' && !!user && m.filed_by === user.id,
  };
}
export type MoveDto = ReturnType<typeof presentMove>;

async function present(q: Queryable, rows: MoveRow[], user: CurrentUser | null): Promise<MoveDto[]> {
  const steps = await repo.stepsOf(
    q,
    rows.map((r) => r.id),
  );
  const names = await repo.orgNames(q, [...new Set(rows.flatMap((r) => r.approver_org_ids))]);
  return rows.map((r) => {
    const dto = presentMove(
      r,
      steps.filter((s) => s.move_id === r.id),
      user,
    );
    for (const a of dto.approvals) a.orgName = names.get(a.orgId) ?? '';
    return dto;
  });
}

async function reload(q: Queryable, id: number, user: CurrentUser | null): Promise<MoveDto> {
  const m = await repo.getMove(q, null, id);
  if (!m) throw notFound('变动申请');
  return (await present(q, [m], user))[0];
}

function canFile(user: CurrentUser) {
  requirePermission(user, 'teachers.write');
}

/** 行业禁入 (issue 12): a barred person is neither hired nor transferred (checked today and on the effective date). */
async function checkNotBanned(q: Queryable, teacherId: number, kind: MoveKind, date: string) {
  if (kind !== 'hire' && kind !== 'transfer') return;
  const what = kind === 'hire' ? '办理新教师入职' : '办理调动';
  for (const d of new Set([todayInChina(), date])) await assertTeacherNotBanned(q, teacherId, d, what);
}

/** The effective date must fall after the start of the teacher's current assignment (or status, when leaving). */
async function checkDate(q: Queryable, teacherId: number, kind: MoveKind, date: string) {
  const starts = await repo.currentStarts(q, teacherId);
  if (kind === 'hire') {
    if (starts.assignment !== null)
      throw badRequest('该教师已有带日期的任职记录，入职申请只用于新登记的教师（已在职教师请使用调动）', [{ field: 'teacherId', message: '不是新登记的教师' }]);
    return;
  }
  const start = kind === 'transfer' ? starts.assignment : starts.status;
  if (start !== null && date <= start) {
    const what = kind === 'transfer' ? '现任职学校' : '当前状态';
    throw badRequest(`生效日期须晚于该教师${what}的起始日期 ${start}`, [{ field: 'effectiveDate', message: `须晚于 ${start}` }]);
  }
}

async function openSchool(q: Queryable, id: number) {
  const o = await repo.findSchool(q, id);
  if (o?.kind !== 'school') throw badRequest('所选调入单位不是学校', [{ field: 'toOrgId', message: '请选择学校' }]);
  if (o.closed_at) throw badRequest('所选学校已撤销，请选择其他学校', [{ field: 'toOrgId', message: '该学校已撤销' }]);
  return o;
}

async function bureausFor(q: Queryable, orgIds: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const id of orgIds) {
    const b = await repo.bureauAbove(q, id);
    if (!b) throw badRequest('该学校上级没有教育局，无法审批', [{ field: 'toOrgId', message: '上级没有教育局' }]);
    if (!out.includes(b.id)) out.push(b.id);
  }
  return out;
}

/** Tell users, never the actor themself. */
async function tell(
  q: Queryable,
  actor: number | null,
  userIds: number[],
  n: { kind: 'approval' | 'result' | 'general'; title: string; body?: string; link: string },
) {
  await notify(
    q,
    userIds.filter((u) => u !== actor),
    n,
  );
}

const summary = (m: Pick<MoveRow, 'teacher_name' | 'kind' | 'effective_date'> & { to_org_name?: string | null }) =>
  `${m.teacher_name}${MOVE_KIND_LABELS[m.kind]}${m.kind === 'transfer' && m.to_org_name ? `至${m.to_org_name}` : ''}（${m.effective_date} 生效）`;

// ---------------------------------------------------------------- reading

export async function listMoves(ctx: AppContext, user: CurrentUser, f: MoveListQuery) {
  canFile(user);
  const r = await repo.listMoves(ctx.db, user.scopePath, { ...f, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
  return { items: await present(ctx.db, r.rows, user), total: r.total };
}

export async function getMove(ctx: AppContext, user: CurrentUser, id: number): Promise<MoveDto> {
  canFile(user);
  const m = await repo.getMove(ctx.db, user.scopePath, id);
  if (!m) throw notFound('变动申请');
  return (await present(ctx.db, [m], user))[0];
}

/** Bureaus and open schools of the whole tree: a transfer may go to another county. */
export async function destinations(ctx: AppContext, user: CurrentUser) {
  canFile(user);
  return { items: (await repo.destinations(ctx.db)).map((o) => ({ id: o.id, parentId: o.parent_id, name: o.name, kind: o.kind })) };
}

// ---------------------------------------------------------------- the process

export async function fileMove(ctx: AppContext, user: CurrentUser, b: MoveInput, ip?: string): Promise<MoveDto> {
  canFile(user);
  if (user.role === 'teacher') throw forbidden();
  const t = await getTeacher(ctx, user, b.teacherId);
  return ctx.db.tx(async (q) => {
    const locked = await facts.lockTeacher(q, t.id);
    if (!locked) throw notFound('教师');
    if (locked.status !== 'active') throw badRequest('该教师当前不是在职状态，不能办理变动', [{ field: 'teacherId', message: '教师不在职' }]);
    const fromOrgId = locked.org_id;
    let toOrgId: number | null = null;
    if (b.kind === 'transfer') {
      if (b.toOrgId === fromOrgId) throw badRequest('调入学校与现任职学校相同', [{ field: 'toOrgId', message: '请选择其他学校' }]);
      toOrgId = (await openSchool(q, b.toOrgId as number)).id;
    } else if (b.kind === 'hire') toOrgId = fromOrgId;
    await checkDate(q, t.id, b.kind, b.effectiveDate);
    await checkNotBanned(q, t.id, b.kind, b.effectiveDate);
    const approvers = await bureausFor(q, toOrgId && toOrgId !== fromOrgId ? [fromOrgId, toOrgId] : [fromOrgId]);
    const id = await repo.insertMove(q, {
      teacherId: t.id,
      kind: b.kind,
      fromOrgId,
      toOrgId,
      approverOrgIds: approvers,
      effectiveDate: b.effectiveDate,
      reason: b.reason,
      evidence: b.evidence || null,
      filedBy: user.id,
      filedOrgId: user.orgId,
    });
    if (id === null) throw conflict('该教师已有未办结的变动申请，请先办结或撤回');
    await repo.insertStep(q, id, 'file', user.orgId, user.id, b.reason);
    await audit(q, user, 'move.file', 'teacher_move', id, { teacherId: t.id, kind: b.kind, fromOrgId, toOrgId, effectiveDate: b.effectiveDate }, ip);
    const m = await reload(q, id, user);
    await tell(q, user.id, await usersAt(q, approvers, ['bureauAdmin']), {
      kind: 'approval',
      title: `待审批：${user.orgName}申请${m.teacherName}${m.kindLabel}`,
      body: `${summary({ teacher_name: m.teacherName, kind: m.kind, effective_date: m.effectiveDate, to_org_name: m.toOrgName })}。原因：${b.reason}`,
      link: LINK(id),
    });
    return m;
  });
}

async function lockForDecision(q: Queryable, user: CurrentUser, id: number): Promise<MoveRow> {
  if (user.role !== 'bureauAdmin') throw forbidden('人员变动由教育局审批');
  const m = await repo.getMove(q, user.scopePath, id, true);
  if (!m) throw notFound('变动申请');
  if (m.status !== 'pending') throw conflict(`该申请${MOVE_STATUS_LABELS[m.status]}，不能再审批`);
  if (!m.approver_org_ids.includes(user.orgId)) {
    const names = await repo.orgNames(q, m.approver_org_ids);
    throw forbidden(`该申请由${m.approver_org_ids.map((o) => names.get(o)).join('、')}审批`);
  }
  return m;
}

export async function approveMove(ctx: AppContext, user: CurrentUser, id: number, comment: string | null | undefined, ip?: string): Promise<MoveDto> {
  return ctx.db.tx(async (q) => {
    const m = await lockForDecision(q, user, id);
    const steps = await repo.stepsOf(q, [m.id]);
    if (steps.some((s) => s.action === 'approve' && s.org_id === user.orgId)) throw conflict('本单位已审批同意，等待其他单位审批');
    const approved = new Set(steps.filter((s) => s.action === 'approve').map((s) => s.org_id));
    approved.add(user.orgId);
    const last = m.approver_org_ids.every((o) => approved.has(o));
    if (last) await checkApplicable(q, m);
    await repo.insertStep(q, m.id, 'approve', user.orgId, user.id, comment || null);
    await audit(q, user, 'move.approve', 'teacher_move', m.id, { teacherId: m.teacher_id, kind: m.kind, final: last, comment: comment || null }, ip);
    const waiting = m.approver_org_ids.filter((o) => !approved.has(o));
    if (!last) {
      await tell(q, user.id, await usersAt(q, waiting, ['bureauAdmin']), {
        kind: 'approval',
        title: `待审批：${m.teacher_name}${MOVE_KIND_LABELS[m.kind]}（${user.orgName}已同意）`,
        body: summary(m),
        link: LINK(m.id),
      });
      await tell(q, user.id, [m.filed_by], {
        kind: 'general',
        title: `${user.orgName}已同意${m.teacher_name}${MOVE_KIND_LABELS[m.kind]}，等待其他单位审批`,
        link: LINK(m.id),
      });
      return reload(q, m.id, user);
    }
    if (!(await repo.transition(q, m.id, 'pending', 'approved'))) throw conflict('该申请已被处理，请刷新');
    const today = todayInChina();
    if (m.effective_date <= today) await applyLocked(q, { ...m, status: 'approved' }, user, today);
    else
      await tell(q, user.id, [m.filed_by], {
        kind: 'result',
        title: `已批准：${summary(m)}`,
        body: `将于 ${m.effective_date} 自动生效。`,
        link: LINK(m.id),
      });
    return reload(q, m.id, user);
  });
}

export async function returnMove(ctx: AppContext, user: CurrentUser, id: number, reason: string, ip?: string): Promise<MoveDto> {
  return ctx.db.tx(async (q) => {
    const m = await lockForDecision(q, user, id);
    if (!(await repo.transition(q, m.id, 'pending', 'returned'))) throw conflict('该申请已被处理，请刷新');
    await repo.insertStep(q, m.id, 'return', user.orgId, user.id, reason);
    await audit(q, user, 'move.return', 'teacher_move', m.id, { teacherId: m.teacher_id, kind: m.kind, reason }, ip);
    const others = m.approver_org_ids.filter((o) => o !== user.orgId);
    await tell(q, user.id, [m.filed_by, ...(await usersAt(q, others, ['bureauAdmin']))], {
      kind: 'result',
      title: `已退回：${m.teacher_name}${MOVE_KIND_LABELS[m.kind]}（${user.orgName}）`,
      body: `退回原因：${reason}`,
      link: LINK(m.id),
    });
    return reload(q, m.id, user);
  });
}

export async function withdrawMove(ctx: AppContext, user: CurrentUser, id: number, reason: string | null | undefined, ip?: string): Promise<MoveDto> {
  canFile(user);
  return ctx.db.tx(async (q) => {
    const m = await repo.getMove(q, user.scopePath, id, true);
    if (!m) throw notFound('变动申请');
    if (m.filed_by !== user.id) throw forbidden('只有申请人本人可以撤回');
    if (m.status !== 'pending') throw conflict(`该申请${MOVE_STATUS_LABELS[m.status]}，不能撤回`);
    if (!(await repo.transition(q, m.id, 'pending', 'withdrawn'))) throw conflict('该申请已被处理，请刷新');
    await repo.insertStep(q, m.id, 'withdraw', user.orgId, user.id, reason || null);
    await audit(q, user, 'move.withdraw', 'teacher_move', m.id, { teacherId: m.teacher_id, kind: m.kind, reason: reason || null }, ip);
    await tell(q, user.id, await usersAt(q, m.approver_org_ids, ['bureauAdmin']), {
      kind: 'general',
      title: `已撤回：${m.teacher_name}${MOVE_KIND_LABELS[m.kind]}（${user.orgName}）`,
      body: reason ? `撤回原因：${reason}` : '',
      link: LINK(m.id),
    });
    return reload(q, m.id, user);
  });
}

// ---------------------------------------------------------------- applying on the date

/** Can the request still be applied (the teacher in post, the receiving school open, the date after the current period)? */
async function checkApplicable(q: Queryable, m: MoveRow) {
  const t = await facts.lockTeacher(q, m.teacher_id);
  if (!t) throw notFound('教师');
  if (t.status !== 'active') throw conflict('该教师已不在职，不能办理此变动；请退回申请');
  if (m.kind === 'transfer') {
    if (t.org_id !== m.from_org_id) throw conflict('该教师的任职学校已变化，请退回申请后重新提交');
    await openSchool(q, m.to_org_id as number);
  }
  await checkDate(q, m.teacher_id, m.kind, m.effective_date);
  await checkNotBanned(q, m.teacher_id, m.kind, m.effective_date);
}

/** Write the teacher's dated facts of an approved request (locked) and mark it applied; false when already applied. */
async function applyLocked(q: Queryable, m: MoveRow, by: CurrentUser | null, today: string): Promise<boolean> {
  if (!(await repo.transition(q, m.id, 'approved', 'applied'))) return false;
  const byId = by?.id ?? null;
  const note = `人员变动申请 #${m.id}`;
  if (m.kind === 'transfer') await assignSchool(q, byId, m.teacher_id, m.to_org_id as number, 'transfer', m.effective_date, note);
  else if (m.kind === 'hire') {
    // A new teacher's record began with periods "since the record began": the hire replaces them from its date.
    await facts.lockTeacher(q, m.teacher_id);
    const open = await repo.openSinceRecord(q, m.teacher_id);
    for (const a of open.assignments) await facts.supersedeFact(q, 'assignment', a, byId);
    for (const s of open.statuses) await facts.supersedeFact(q, 'status', s, byId);
    await facts.insertFact(q, 'assignment', m.teacher_id, { org_id: m.to_org_id, kind: 'hire' }, m.effective_date, null, byId, null, note);
    await facts.insertFact(q, 'status', m.teacher_id, { status: 'active' }, m.effective_date, null, byId, null, note);
  } else await setStatus(q, byId, m.teacher_id, STATUS_OF[m.kind] as string, m.effective_date, note);
  // The current values (school, status) as of `today`: the account's scope follows the school, leaving ends it.
  await facts.syncCurrent(q, today, [m.teacher_id]);
  await facts.bumpVersion(q, m.teacher_id);
  await repo.insertStep(q, m.id, 'apply', by?.orgId ?? null, byId, null);
  await audit(q, by, 'move.apply', 'teacher_move', m.id, { teacherId: m.teacher_id, kind: m.kind, effectiveDate: m.effective_date, on: today });
  const receiving = m.kind === 'transfer' && m.to_org_id ? await usersAt(q, [m.to_org_id], ['schoolAdmin', 'infoAdmin']) : [];
  await tell(q, byId, [m.filed_by, ...receiving], { kind: 'general', title: `已生效：${summary(m)}`, link: LINK(m.id) });
  // A new teacher needs an account: the 系统管理员 of the school (or of the bureau above it) opens it on 账号管理.
  if (m.kind === 'hire')
    await tell(q, byId, await usersAt(q, [m.from_org_id, ...m.approver_org_ids], ['sysAdmin']), {
      kind: 'general',
      title: `新教师入职已生效：${m.teacher_name}（${m.from_org_name}），请开通登录账号`,
      link: '/accounts',
    });
  return true;
}

export interface ApplyResult {
  today: string;
  applied: number[];
  failed: { id: number; message: string }[];
}

/**
 * The daily job: every approved request whose date has come is applied, each in its own transaction. Safe to
 * run twice at once: the request row is locked and moves approved → applied only once (a second run finds it
 * applied and skips it). A request that can no longer be applied (the teacher left meanwhile) stays approved
 * and is reported.
 */
export async function applyDueMoves(ctx: AppContext, today: string = todayInChina()): Promise<ApplyResult> {
  const out: ApplyResult = { today, applied: [], failed: [] };
  for (const id of await repo.dueMoves(ctx.db, today)) {
    try {
      const done = await ctx.db.tx(async (q) => {
        const m = await repo.getMove(q, null, id, true);
        if (m?.status !== 'approved' || m.effective_date > today) return false;
        await checkApplicable(q, m);
        return applyLocked(q, m, null, today);
      });
      if (done) out.applied.push(id);
    } catch (err) {
      out.failed.push({ id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** Run applyDueMoves at start and then whenever the date in China changes (checked hourly). Returns a stop function. */
export function startMoveJob(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined): () => void {
  let lastDay: string | null = null;
  return startPeriodicJob(
    5_000,
    async () => {
      const today = todayInChina();
      if (today === lastDay) return;
      const r = await applyDueMoves(ctx, today);
      lastDay = today;
      if (r.applied.length || r.failed.length) log(`人员变动：${r.applied.length} 项生效，${r.failed.length} 项未能生效`);
      for (const f of r.failed) log(`人员变动申请 #${f.id} 未能生效：${f.message}`);
    },
    (err) => log('人员变动生效任务失败', err),
  );
}
