/**
 * 职称 eligibility for a teacher (own page) and for a school's teachers (list with filters), and the 学时证明 PDF.
 * Review rounds are in rounds.service.ts.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina, addDays } from '../../platform/china-time.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { piiViewOf, viewNationalIdMask } from '../../platform/pii-view.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { resolveWindow } from '../policies/policy.windows.js';
import type { Window } from '../policies/policy.format.js';
import { titleLabel } from '../policies/policy.titles.js';
import { teacherStatus } from '../compliance/compliance.worklist.js';
import { orgInScope } from '../compliance/compliance.scope.js';
import { titleEligibility, titleRulesAt, type TitleEligibility } from './eligibility.js';
import { renderHoursProof } from './hours-proof.pdf.js';
import * as repo from './titles.repository.js';
import { teacherInScope } from '../compliance/compliance.repository.js';

/** The most teachers one list evaluates (a school; a bureau narrows by school). */
export const LIST_LIMIT = 300;

function teacherOf(user: CurrentUser): number {
  if (user.role !== 'teacher') throw forbidden('只有教师本人可以查看自己的职称申报条件和学时证明');
  if (!user.teacherId) throw notFound('教师档案');
  return user.teacherId;
}

/** A reviewer (titles.review) and a teacher of its subtree, else 403 / 404. */
export async function reviewable(ctx: AppContext, user: CurrentUser, teacherId: number): Promise<void> {
  requirePermission(user, 'titles.review');
  if (!(await teacherInScope(ctx.db, teacherId, user.scopePath))) throw notFound('教师');
}

/** 我的职称申报条件: the teacher's own eligibility on a date (default today). */
export async function myEligibility(ctx: AppContext, user: CurrentUser, date = todayInChina()) {
  const id = teacherOf(user);
  const e = await titleEligibility(ctx, user, id, date);
  return { ...e, targets: (await titleRulesAt(ctx.db, (await repo.titleFactsOn(ctx.db, id, date)).path, date)).rules.targets };
}

/** One teacher's eligibility (a school or bureau reviewer, the teacher in scope). */
export async function teacherEligibility(ctx: AppContext, user: CurrentUser, teacherId: number, date = todayInChina(), target?: string) {
  await reviewable(ctx, user, teacherId);
  return titleEligibility(ctx, user, teacherId, date, target);
}

export interface ListQuery {
  orgId?: number;
  date?: string;
  target?: string;
  status?: 'eligible' | 'short';
}

/** The teachers of an org (in scope) with their eligibility on a date; filtered by target and 可申报/还差. */
export async function listEligibility(ctx: AppContext, user: CurrentUser, query: ListQuery) {
  requirePermission(user, 'titles.review');
  const org = await orgInScope(ctx, user, query.orgId);
  const date = query.date ?? todayInChina();
  const ids = await repo.teachersUnder(ctx.db, org.path, LIST_LIMIT + 1);
  if (ids.length > LIST_LIMIT) throw badRequest(`${org.name}在职教师超过 ${LIST_LIMIT} 人，请选择下级学校后再查看`);
  const view = piiViewOf(user);
  const rows: (TitleEligibility & { nationalIdMask: string })[] = [];
  for (const id of ids) {
    const e = await titleEligibility(ctx, user, id, date);
    if (query.target && e.target !== query.target) continue;
    if (query.status === 'eligible' && !e.eligible) continue;
    if (query.status === 'short' && e.eligible) continue;
    const f = await repo.titleFactsOn(ctx.db, id, date);
    rows.push({ ...e, nationalIdMask: viewNationalIdMask(f.nationalIdMask, view) });
  }
  const { rules, source } = await titleRulesAt(ctx.db, org.path, date);
  return {
    org: { id: org.id, name: org.name },
    asOf: date,
    rules: { targets: rules.targets.map((t) => ({ ...t, fromLabel: titleLabel(t.from), toLabel: titleLabel(t.to) })), source },
    counts: { total: rows.length, eligible: rows.filter((r) => r.eligible).length },
    items: rows,
  };
}

/**
 * The 学时证明 content of a teacher: the first cycle hours rule (学时) of the policies in force at the teacher's school,
 * its cycle `which` (the last completed one, or the current one) on `date`, with the ledger's hours by year and category.
 */
async function proofContent(ctx: AppContext, user: CurrentUser, teacherId: number, date: string, which: 'last' | 'current') {
  const f = await repo.titleFactsOn(ctx.db, teacherId, date);
  const lps = await policiesInForceAt(ctx.db, f.path);
  let found: { from: string; to: string; label: string; ruleId: string; policyId: number } | null = null;
  for (const lp of lps)
    for (const rule of lp.policy.rules) {
      if (found || rule.kind !== 'hours' || rule.unit === 'days' || !(rule.window as Window).cycle) continue;
      const w = resolveWindow(rule.window as Window, lp.policy.period, date);
      if (!w.ok) continue;
      let win = w.window;
      if (which === 'last' && win.to > date) {
        const prev = resolveWindow(rule.window as Window, lp.policy.period, addDays(win.from, -1));
        if (!prev.ok) continue;
        win = prev.window;
      }
      found = { from: win.from, to: win.to, label: win.label, ruleId: rule.id, policyId: lp.id };
    }
  if (!found) throw badRequest('本单位适用的政策中没有五年周期学时要求，无法出具周期学时证明');
  const end = found.to < date ? found.to : date;
  // The requirement as the compliance engine sets it for this teacher (pro-rated for a mid-cycle hire).
  const st = await teacherStatus(ctx, user, teacherId, end);
  const item = st.thisCycle.find((i) => i.policyId === found.policyId && i.ruleId === found.ruleId);
  const rows = await repo.hoursByYearCategory(ctx.db, teacherId, found.from, end);
  return { f, found, end, required: item?.required ?? null, rows };
}

async function hoursProof(ctx: AppContext, user: CurrentUser, teacherId: number, date: string, which: 'last' | 'current', ip?: string) {
  const { f, found, end, required, rows } = await proofContent(ctx, user, teacherId, date, which);
  const issuedOn = todayInChina();
  const proofNo = `XS${issuedOn.replaceAll('-', '')}-${teacherId}-${createHash('sha256')
    .update(`${teacherId}|${found.from}|${end}|${rows.map((r) => `${r.year}:${r.category}:${r.hours}`).join(',')}`)
    .digest('hex')
    .slice(0, 8)
    .toUpperCase()}`;
  const total = Math.round(rows.reduce((s, r) => s + r.hours, 0) * 10) / 10;
  const buffer = await renderHoursProof({
    teacherName: f.name,
    nationalIdMask: viewNationalIdMask(f.nationalIdMask, 'limited'),
    orgName: f.orgName,
    titleLabel: titleLabel(f.title),
    from: found.from,
    to: end,
    cycleLabel: found.label,
    required,
    rows,
    issuer: f.orgName,
    issuedOn,
    proofNo,
  });
  // Every proof is an export of personal data: the number, cycle and total are kept in the audit log (the issuer checks a number there).
  await audit(ctx.db, user, 'titles.hoursProof', 'teacher', teacherId, { proofNo, from: found.from, to: end, total, required }, ip);
  return { buffer, fileName: `继续教育学时证明_${f.name}_${found.label}.pdf` };
}

export const myHoursProof = (ctx: AppContext, user: CurrentUser, date = todayInChina(), which: 'last' | 'current' = 'last', ip?: string) =>
  hoursProof(ctx, user, teacherOf(user), date, which, ip);

export async function teacherHoursProof(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  date = todayInChina(),
  which: 'last' | 'current' = 'last',
  ip?: string,
) {
  await reviewable(ctx, user, teacherId);
  return hoursProof(ctx, user, teacherId, date, which, ip);
}
