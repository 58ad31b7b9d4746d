/**
 * 交流轮岗 (issue 14 item 2): a county bureau's plans per unit and year, and the records of teachers who served
 * elsewhere (交流/轮岗/支教/送教下乡). 交流 and 轮岗 move the teacher's school of record through the teacher-facts
 * service (assignSchool, kind 'rotation'); 支教 and 送教下乡 do not. A record is ended once (end date) and
 * corrected by superseding it with a reason; nothing is deleted.
 */
import type { AppContext } from '../../platform/context.js';
import type { Queryable } from '../../db/db.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { todayInChina, yearInChina } from '../../platform/china-time.js';
import { addDays } from '../policies/policy.windows.js';
import { ROTATION_KINDS, type RotationKind } from '../policies/policy.rotation.js';
import { assignSchool } from '../teachers/teacher-facts.service.js';
import { getTeacher } from '../teachers/teachers.service.js';
import { findInScope } from '../orgs/orgs.repository.js';
import { countsFor, eligibleOn, fullYears, rotationRulesAt, rotationServiceFor } from './rotation-figures.js';
import * as repo from './rotations.repository.js';
import type { CorrectInput, PlanInput, RecordInput } from './rotations.schema.js';

/** 交流 and 轮岗 change the school of record; 支教 and 送教下乡 do not. */
export const movesSchool = (kind: string) => kind === 'exchange' || kind === 'rotation';

function bureau(user: CurrentUser) {
  requirePermission(user, 'rotations.manage');
  if (user.orgLevel === 'school') throw forbidden('交流轮岗由教育局安排和登记');
}

const kindLabel = (k: string) => ROTATION_KINDS[k as RotationKind] ?? k;

export async function listPlans(ctx: AppContext, user: CurrentUser, year: number) {
  requirePermission(user, 'rotations.manage');
  return { year, plans: await repo.listPlans(ctx.db, user.scopePath, year) };
}

export async function savePlan(ctx: AppContext, user: CurrentUser, b: PlanInput, ip?: string) {
  bureau(user);
  const org = await findInScope(ctx.db, user.scopePath, { id: b.orgId });
  if (!org) throw notFound('单位');
  if (!(org.kind === 'school' || (org.kind === 'bureau' && org.level === 'county')))
    throw badRequest('交流轮岗计划按学校或区县制定', [{ field: 'orgId', message: '请选择学校或区县教育局' }]);
  return ctx.db.tx(async (q) => {
    const r = await repo.savePlan(q, { orgId: org.id, year: b.year, plannedCount: b.plannedCount, note: b.note || null, by: user.id, byOrgId: user.orgId });
    await audit(q, user, 'rotations.plan', 'org', org.id, { year: b.year, plannedCount: b.plannedCount, replaced: r.replaced }, ip);
    return r;
  });
}

export async function listRecords(ctx: AppContext, user: CurrentUser, f: { year?: number; teacherId?: number }) {
  requirePermission(user, 'rotations.manage');
  return { records: await repo.listRecords(ctx.db, user.scopePath, f) };
}

/** A teacher's rotation history (the teacher detail page; the teacher's own page): every row, corrections included. */
export async function teacherRotations(ctx: AppContext, user: CurrentUser, teacherId: number) {
  if (user.role !== 'teacher') requirePermission(user, 'teachers.read');
  const t = await getTeacher(ctx, user, teacherId);
  const records = await repo.listRecords(ctx.db, '/', { teacherId: t.id, history: true });
  const summary = (await rotationServiceFor(ctx.db, [t.id], todayInChina())).get(t.id);
  return { records, summary };
}

async function checkOverlap(q: Parameters<typeof repo.overlapping>[0], teacherId: number, from: string, until: string | null, exceptId: number | null) {
  const clash = await repo.overlapping(q, teacherId, from, until, exceptId);
  if (clash.length)
    throw conflict(
      `该教师在此期间已有交流轮岗记录（${clash[0].startDate} 起${clash[0].endDate ? `至 ${clash[0].endDate}` : '，未结束'}），请先结束或更正该记录`,
    );
}

/**
 * Record one rotation. `q0`: an outer transaction (the Excel import writes all its rows in one); the lookups then
 * run in it too (PGlite serialises a transaction, so a query outside it would wait for it).
 */
export async function createRecord(ctx: AppContext, user: CurrentUser, b: RecordInput, ip?: string, q0?: Queryable) {
  bureau(user);
  const c: AppContext = q0
    ? { ...ctx, db: Object.assign(Object.create(ctx.db), { query: q0.query.bind(q0), tx: <T>(fn: (q: Queryable) => Promise<T>) => fn(q0) }) }
    : ctx;
  const t = await getTeacher(c, user, b.teacherId);
  const to = await findInScope(c.db, user.scopePath, { id: b.toOrgId });
  if (!to) throw notFound('交流学校');
  if (to.kind !== 'school') throw badRequest('交流去向应为学校', [{ field: 'toOrgId', message: '请选择学校' }]);
  if (b.endDate && b.endDate < b.startDate) throw badRequest('结束日期不能早于开始日期', [{ field: 'endDate', message: '结束日期不能早于开始日期' }]);
  const latest = addDays(todayInChina(), 366);
  if (b.startDate > latest) throw badRequest('开始日期不能晚于一年以后', [{ field: 'startDate', message: '开始日期过晚' }]);
  if (b.planId) {
    const plan = await repo.findPlan(c.db, user.scopePath, b.planId);
    if (!plan) throw badRequest('所选交流轮岗计划不存在', [{ field: 'planId', message: '计划不存在' }]);
  }
  return c.db.tx(async (q) => {
    const fromOrgId = await repo.schoolOn(q, t.id, b.startDate);
    if (fromOrgId === to.id) throw badRequest('交流去向与该教师当时所在学校相同', [{ field: 'toOrgId', message: '与原学校相同' }]);
    await checkOverlap(q, t.id, b.startDate, b.endDate ?? null, null);
    const assignmentId = movesSchool(b.kind)
      ? await assignSchool(q, user.id, t.id, to.id, 'rotation', b.startDate, `${kindLabel(b.kind)}（交流轮岗记录）`)
      : null;
    const rural = b.rural ?? (await q.query<{ locale: string | null }>('SELECT locale FROM orgs WHERE id = $1', [to.id])).rows[0]?.locale === 'rural';
    const id = await repo.insertRecord(q, {
      teacherId: t.id,
      fromOrgId,
      toOrgId: to.id,
      kind: b.kind,
      startDate: b.startDate,
      endDate: b.endDate ?? null,
      rural,
      planId: b.planId ?? null,
      assignmentId,
      note: b.note || null,
      by: user.id,
      byOrgId: user.orgId,
    });
    await audit(q, user, 'rotations.record', 'teacher', t.id, { id, kind: b.kind, fromOrgId, toOrgId: to.id, startDate: b.startDate }, ip);
    return { id, assignmentId, rural };
  });
}

/** End a record (its last day). A 交流/轮岗 teacher may return to the sending school the day after. */
export async function endRecord(ctx: AppContext, user: CurrentUser, id: number, b: { endDate: string; returnToOrigin: boolean }, ip?: string) {
  bureau(user);
  return ctx.db.tx(async (q) => {
    const r = await repo.findRecord(q, user.scopePath, id, true);
    if (!r) throw notFound('交流轮岗记录');
    if (r.supersededAt) throw conflict('该记录已被更正，请操作最新的记录');
    if (r.endDate) throw conflict('该记录已结束；如结束日期有误，请使用“更正”');
    if (b.endDate < r.startDate) throw badRequest('结束日期不能早于开始日期', [{ field: 'endDate', message: '结束日期不能早于开始日期' }]);
    if (b.returnToOrigin && !movesSchool(r.kind)) throw badRequest('支教、送教下乡不改变任职学校，无需返回', [{ field: 'returnToOrigin', message: '不适用' }]);
    await repo.setEnd(q, r.id, b.endDate);
    let assignmentId: number | null = null;
    if (b.returnToOrigin) assignmentId = await assignSchool(q, user.id, r.teacherId, r.fromOrgId, 'rotation', addDays(b.endDate, 1), '交流轮岗期满返回');
    await audit(q, user, 'rotations.end', 'teacher', r.teacherId, { id: r.id, endDate: b.endDate, returnToOrigin: b.returnToOrigin }, ip);
    return { id: r.id, assignmentId };
  });
}

/**
 * Correct a record: the old row is superseded (with the reason) by a corrected copy. A 交流/轮岗's start date
 * moved the school of record on that day, so it is corrected in the teacher's 任职记录, not here.
 */
export async function correctRecord(ctx: AppContext, user: CurrentUser, id: number, b: CorrectInput, ip?: string) {
  bureau(user);
  return ctx.db.tx(async (q) => {
    const r = await repo.findRecord(q, user.scopePath, id, true);
    if (!r) throw notFound('交流轮岗记录');
    if (r.supersededAt) throw conflict('该记录已被更正，请更正最新的记录');
    const start = b.startDate ?? r.startDate;
    const end = b.endDate === undefined ? r.endDate : b.endDate;
    if (start !== r.startDate && r.assignmentId)
      throw badRequest('交流/轮岗的开始日期同时是任职学校的变动日期，请在教师档案“任职记录”中更正', [{ field: 'startDate', message: '请在任职记录中更正' }]);
    if (end && end < start) throw badRequest('结束日期不能早于开始日期', [{ field: 'endDate', message: '结束日期不能早于开始日期' }]);
    await checkOverlap(q, r.teacherId, start, end, r.id);
    const newId = await repo.insertRecord(q, {
      teacherId: r.teacherId,
      fromOrgId: r.fromOrgId,
      toOrgId: r.toOrgId,
      kind: r.kind,
      startDate: start,
      endDate: end,
      rural: b.rural ?? r.rural,
      planId: r.planId,
      assignmentId: r.assignmentId,
      note: b.note === undefined ? r.note : b.note || null,
      by: user.id,
      byOrgId: user.orgId,
    });
    await repo.supersede(q, r.id, newId, b.reason);
    await audit(q, user, 'rotations.correct', 'teacher', r.teacherId, { id: r.id, newId, reason: b.reason }, ip);
    return { id: newId };
  });
}

export async function counts(ctx: AppContext, user: CurrentUser, year: number) {
  requirePermission(user, 'rotations.manage');
  return countsFor(ctx.db, user.scopePath, year);
}

/** 符合交流条件 on a date (default today): years at the same school ≥ the rule's, with their rotation experience. */
export async function eligibleList(ctx: AppContext, user: CurrentUser, f: { asOf?: string; orgId?: number }) {
  requirePermission(user, 'rotations.manage');
  const asOf = f.asOf ?? todayInChina();
  let path = user.scopePath;
  if (f.orgId) {
    const org = await findInScope(ctx.db, user.scopePath, { id: f.orgId });
    if (!org) throw notFound('单位');
    path = org.path;
  }
  const { rules, source } = await rotationRulesAt(ctx.db, path, asOf);
  const rows = await eligibleOn(ctx.db, path, asOf, rules, 2000);
  const svc = await rotationServiceFor(
    ctx.db,
    rows.map((r) => r.teacherId),
    asOf,
  );
  return {
    asOf,
    eligibleYears: rules.eligibleYears,
    source,
    teachers: rows.map((r) => ({
      teacherId: r.teacherId,
      name: r.name,
      orgId: r.orgId,
      orgName: r.orgName,
      since: r.since,
      years: fullYears(r.since, asOf),
      hasRotation: svc.get(r.teacherId)?.hasRotation ?? false,
    })),
  };
}

export const thisYear = () => yearInChina();
