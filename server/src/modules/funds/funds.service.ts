import type { Queryable } from '../../db/db.js';
import { type CurrentUser, requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { type Download, getFiles, openDownload, saveUpload, type UploadPart } from '../../platform/files.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { citeLabel } from '../policies/policy.cite.js';
import { evaluateFunding } from '../policies/policy.evaluate.js';
import type { FundingRule, Policy } from '../policies/policy.format.js';
import { BUDGET_SOURCES, DEFAULT_FUNDS, FUND_CATEGORIES, SPENDABLE_PROJECT_STATES } from '../policies/policy.funds.js';
import { type FundFigure, fundFigures, withFundOverride } from './figures.js';
import type { BaseInput, BudgetInput, EntryInput } from './funds.schema.js';
import * as repo from './funds.repository.js';

/**
 * Training funds (经费, issue 14 item 6): budgets and the bases of the ratios per org and year (a correction is a new
 * row that supersedes, with a reason), spending entries on projects of the org's subtree (专款专用; append-only, a
 * mistake is reversed by a 冲销 entry), the funding rules computed from the entries, audited manual overrides, the
 * voucher files and the finance export. Every write is one transaction with its audit row.
 *
 * Who: a school admin for its own school; a bureau admin for its own bureau and every org below (funds.manage).
 * Overrides (data from outside the platform) are a bureau's, for an org below it or itself.
 */

export const yuanOf = (fen: number) => fen / 100;
export const thisYear = () => Number(todayInChina().slice(0, 4));
const STATE_LABEL: Record<string, string> = {
  draft: '草稿',
  submitted: '已申报',
  rejected: '未通过',
  deleted: '已删除',
};

/** The org the caller acts on: its own by default, else one of its subtree (404 outside). */
export async function targetOrg(q: Queryable, user: CurrentUser, orgId?: number): Promise<repo.OrgRow> {
  requirePermission(user, 'funds.manage');
  const org = await repo.orgInScope(q, orgId ?? user.orgId, user.orgPath);
  if (!org) throw notFound('单位');
  return org;
}

/** The funding rules (5 % of 公用经费, share of 工资总额) that apply to an org, from the policies in force there. */
async function rulesFor(q: Queryable, org: repo.OrgRow) {
  const out: { rule: FundingRule; policy: Policy; policyTitle: string; cite: string }[] = [];
  for (const p of await policiesInForceAt(q, org.path)) {
    for (const r of p.policy.rules) {
      if (r.kind !== 'funding') continue;
      const isSchool = org.kind === 'school';
      const isCounty = org.kind === 'bureau' && org.level === 'county';
      if (!((r.per === 'school' && isSchool) || (r.per === 'county' && isCounty))) continue;
      const stages = r.schools?.stage ? [r.schools.stage].flat() : null;
      if (stages && isSchool && !stages.includes(org.stage as never)) continue;
      out.push({
        rule: r,
        policy: p.policy,
        policyTitle: p.policy.title,
        cite: citeLabel({ title: r.cite.title ?? p.policy.source.title ?? p.policy.title, file: r.cite.file, section: r.cite.section }),
      });
    }
  }
  return out;
}

/** As-of day for a year's evaluation: today in the current year, the year's last day for a past one. */
const asOfFor = (year: number) => {
  const today = todayInChina();
  return year >= Number(today.slice(0, 4)) ? today : `${year}-12-31`;
};

export async function ruleStatus(q: Queryable, org: repo.OrgRow, year: number, figure?: FundFigure) {
  const f = figure ?? (await fundFigures(q, org.path, year)).get(org.id);
  const asOf = asOfFor(year);
  // Only the plans in force in that year: a 2023–2025 plan says nothing about 2026's spending.
  const inYear = (p: Policy) => p.period.from <= `${year}-12-31` && (p.period.to === null || p.period.to >= `${year}-01-01`);
  return (await rulesFor(q, org))
    .filter((r) => inYear(r.policy))
    .map(({ rule, policy, policyTitle, cite }) => {
      const get = (m: string) =>
        m === 'trainingBudget' || m === 'trainingSpent'
          ? (f?.spent ?? 0)
          : m === 'publicFundBudget'
            ? (f?.publicFundBudget ?? null)
            : m === 'salaryTotal'
              ? (f?.salaryTotal ?? null)
              : null;
      const numerator = get(rule.numerator);
      const denominator = get(rule.denominator);
      const result = withFundOverride(evaluateFunding(rule, { numerator, denominator }, policy, asOf), f);
      const requiredYuan = denominator !== null && rule.atLeast !== null ? Math.round(denominator * rule.atLeast * 100) / 100 : null;
      const shortYuan = requiredYuan !== null && numerator !== null ? Math.max(0, Math.round((requiredYuan - numerator) * 100) / 100) : null;
      return {
        ruleId: rule.id,
        title: rule.title,
        policyTitle,
        cite,
        citeText: rule.cite.text,
        atLeast: rule.atLeast,
        denominatorMetric: rule.denominator,
        spentYuan: numerator,
        baseYuan: denominator,
        requiredYuan,
        shortYuan,
        status: result.status,
        explanation: result.explanation,
        assumptions: rule.assumptions ?? [],
      };
    });
}

export async function summary(ctx: AppContext, user: CurrentUser, orgId: number | undefined, year: number) {
  const org = await targetOrg(ctx.db, user, orgId);
  const [budgets, bases, entries, figures, projects] = await Promise.all([
    repo.budgets(ctx.db, org.id, year),
    repo.baseFigures(ctx.db, org.id, year),
    repo.entries(ctx.db, org.id, year),
    fundFigures(ctx.db, org.path, year),
    repo.spendableProjects(ctx.db, org.path),
  ]);
  const f = figures.get(org.id);
  const byCategory = new Map<string, number>();
  const byProject = new Map<number, { projectId: number; name: string; fen: number }>();
  for (const e of entries) {
    byCategory.set(e.category, (byCategory.get(e.category) ?? 0) + e.amount_fen);
    const p = byProject.get(e.project_id) ?? { projectId: e.project_id, name: e.project_name, fen: 0 };
    p.fen += e.amount_fen;
    byProject.set(e.project_id, p);
  }
  const spentFen = entries.reduce((s, e) => s + e.amount_fen, 0);
  const current = (m: string) => [...bases].reverse().find((b) => b.metric === m) ?? null;
  return {
    org: { id: org.id, name: org.name, kind: org.kind, level: org.level },
    year,
    canOverride: user.role === 'bureauAdmin',
    budgets: budgets.map((b) => ({
      id: b.id,
      amountYuan: yuanOf(b.amount_fen),
      source: b.source,
      sourceLabel: BUDGET_SOURCES[b.source as keyof typeof BUDGET_SOURCES] ?? b.source,
      note: b.note,
      supersedes: b.supersedes,
      reason: b.reason,
      current: b.current,
      recordedBy: b.recorded_by_name,
      recordedAt: b.recorded_at,
    })),
    budgetYuan: yuanOf(budgets.filter((b) => b.current).reduce((s, b) => s + b.amount_fen, 0)),
    bases: bases.map((b) => ({
      id: b.id,
      metric: b.metric,
      amountYuan: yuanOf(b.amount_fen),
      source: b.source,
      supersedes: b.supersedes,
      reason: b.reason,
      current: current(b.metric)?.id === b.id,
      recordedBy: b.recorded_by_name,
      recordedAt: b.recorded_at,
    })),
    publicFundBudgetYuan: current('publicFundBudget') ? yuanOf(current('publicFundBudget')!.amount_fen) : null,
    salaryTotalYuan: current('salaryTotal') ? yuanOf(current('salaryTotal')!.amount_fen) : null,
    spentYuan: yuanOf(spentFen),
    override: f?.override
      ? { amountYuan: yuanOf(f.override.amount_fen), reason: f.override.reason, recordedBy: f.override.recorded_by_name, recordedAt: f.override.recorded_at }
      : null,
    byCategory: Object.entries(FUND_CATEGORIES).map(([k, label]) => ({ category: k, label, amountYuan: yuanOf(byCategory.get(k) ?? 0) })),
    byProject: [...byProject.values()].map((p) => ({ projectId: p.projectId, name: p.name, amountYuan: yuanOf(p.fen) })),
    entries: entries.map(entryView),
    projects: projects.map((p) => ({ id: p.id, name: p.name, orgName: p.org_name, status: p.status })),
    rules: await ruleStatus(ctx.db, org, year, f),
  };
}

export function entryView(e: repo.EntryRow) {
  return {
    id: e.id,
    orgId: e.org_id,
    orgName: e.org_name,
    date: e.entry_date,
    voucherNo: e.voucher_no,
    projectId: e.project_id,
    projectName: e.project_name,
    projectStatus: e.project_status,
    category: e.category,
    categoryLabel: FUND_CATEGORIES[e.category as keyof typeof FUND_CATEGORIES] ?? e.category,
    amountYuan: yuanOf(e.amount_fen),
    hasVoucher: e.voucher_file_id !== null,
    voucherName: e.voucher_name,
    note: e.note,
    reverses: e.reverses,
    reversedBy: e.reversed_by,
    reason: e.reason,
    recordedBy: e.recorded_by_name,
    recordedAt: e.recorded_at,
  };
}

export async function addBudget(ctx: AppContext, user: CurrentUser, b: BudgetInput) {
  return ctx.db.tx(async (q) => {
    const org = await targetOrg(q, user, b.orgId);
    if (b.supersedes !== undefined) {
      const old = await repo.budgetById(q, b.supersedes);
      if (!old || old.org_id !== org.id || old.year !== b.year) throw notFound('要更正的预算');
      if (old.superseded) throw conflict('这条预算已被更正过，请更正最新的一条');
      if (!b.reason) throw badRequest('更正预算须填写原因', [{ field: 'reason', message: '请填写更正原因' }]);
    }
    const id = await repo.insertBudget(q, {
      orgId: org.id,
      year: b.year,
      amountFen: b.amountYuan,
      source: b.source,
      note: b.note,
      supersedes: b.supersedes ?? null,
      reason: b.supersedes !== undefined ? (b.reason ?? null) : null,
      userId: user.id,
    });
    await audit(q, user, b.supersedes ? 'funds.budget.correct' : 'funds.budget.add', 'fund_budget', id, {
      org: org.name,
      year: b.year,
      amountYuan: yuanOf(b.amountYuan),
      source: b.source,
      supersedes: b.supersedes ?? null,
      reason: b.reason ?? null,
    });
    return { id };
  });
}

export async function addBase(ctx: AppContext, user: CurrentUser, b: BaseInput) {
  return ctx.db.tx(async (q) => {
    const org = await targetOrg(q, user, b.orgId);
    if (b.metric === 'salaryTotal' && org.kind !== 'bureau') throw badRequest('教职工工资总额按旗县区（教育局）录入，学校录入年度公用经费预算总额');
    if (b.metric === 'publicFundBudget' && org.kind !== 'school') throw badRequest('年度公用经费预算总额按学校（幼儿园）录入');
    const prev = await repo.currentBase(q, org.id, b.year, b.metric);
    if (prev && !b.reason) throw badRequest(`${b.year} 年已录入该基数，更正须填写原因`, [{ field: 'reason', message: '请填写更正原因' }]);
    const id = await repo.insertBase(q, {
      orgId: org.id,
      year: b.year,
      metric: b.metric,
      amountFen: b.amountYuan,
      source: b.source,
      supersedes: prev?.id ?? null,
      reason: prev ? (b.reason ?? null) : null,
      userId: user.id,
    });
    await audit(q, user, prev ? 'funds.base.correct' : 'funds.base.add', 'fund_base_figure', id, {
      org: org.name,
      year: b.year,
      metric: b.metric,
      amountYuan: yuanOf(b.amountYuan),
      previousYuan: prev ? yuanOf(prev.amount_fen) : null,
      source: b.source,
      reason: b.reason ?? null,
    });
    return { id };
  });
}

/** 专款专用: the project must be of the org's subtree and approved or later; refused in Chinese otherwise. */
async function assertSpendable(q: Queryable, org: repo.OrgRow, projectId: number) {
  const p = await repo.projectFor(q, projectId);
  if (!p || !p.path.startsWith(org.path))
    throw badRequest('专款专用：培训经费只能列支在本单位（或下级单位）的培训项目上，所选项目不属于本单位', [
      { field: 'projectId', message: '项目不属于本单位' },
    ]);
  if (!(SPENDABLE_PROJECT_STATES as readonly string[]).includes(p.status))
    throw badRequest(
      `专款专用：项目“${p.name}”${STATE_LABEL[p.status] ? `尚${STATE_LABEL[p.status]}` : '未获批准'}，只能列支在已批准（含实施中、已结束）的培训项目上`,
      [{ field: 'projectId', message: '项目未获批准' }],
    );
  return p;
}

export async function addEntry(ctx: AppContext, user: CurrentUser, e: EntryInput) {
  return ctx.db.tx(async (q) => {
    const org = await targetOrg(q, user, e.orgId);
    if (e.date > todayInChina()) throw badRequest('支出日期不能晚于今天', [{ field: 'date', message: '日期不能晚于今天' }]);
    const p = await assertSpendable(q, org, e.projectId);
    if (e.voucherFileId !== undefined) {
      const [f] = await getFiles(q, [e.voucherFileId]);
      if (!f || f.purpose !== 'fundVoucher' || f.ownerOrgId !== org.id)
        throw badRequest('凭证文件不存在或不属于本单位，请重新上传', [{ field: 'voucherFileId', message: '凭证无效' }]);
      const used = await q.query('SELECT 1 FROM fund_entries WHERE voucher_file_id = $1 AND reverses IS NULL', [e.voucherFileId]);
      if (used.rows.length) throw conflict('这份凭证已用于另一笔支出，请上传本笔支出的凭证');
    }
    const id = await repo.insertEntry(q, {
      orgId: org.id,
      date: e.date,
      voucherNo: e.voucherNo,
      projectId: e.projectId,
      category: e.category,
      amountFen: e.amountYuan,
      voucherFileId: e.voucherFileId ?? null,
      note: e.note,
      reverses: null,
      reason: null,
      userId: user.id,
    });
    await audit(q, user, 'funds.entry.add', 'fund_entry', id, {
      org: org.name,
      date: e.date,
      project: p.name,
      category: e.category,
      amountYuan: yuanOf(e.amountYuan),
      voucherNo: e.voucherNo,
    });
    return { id };
  });
}

/**
 * 冲销: a negative entry cancelling one entry, with a reason. Never twice, never a 冲销 itself. It carries the
 * original's date so the year's spending nets out where the mistake was booked; when it was made is recorded_at.
 */
export async function reverse(ctx: AppContext, user: CurrentUser, entryId: number, reason: string) {
  return ctx.db.tx(async (q) => {
    const e = await repo.entryById(q, entryId);
    if (!e || !e.org_path.startsWith(user.orgPath)) throw notFound('支出记录');
    await targetOrg(q, user, e.org_id);
    if (e.reverses !== null) throw conflict('冲销记录不能再冲销');
    if (e.reversed_by !== null) throw conflict('这笔支出已冲销');
    const id = await repo.insertEntry(q, {
      orgId: e.org_id,
      date: e.entry_date,
      voucherNo: e.voucher_no,
      projectId: e.project_id,
      category: e.category,
      amountFen: -e.amount_fen,
      voucherFileId: null,
      note: `冲销第 ${e.id} 号支出`,
      reverses: e.id,
      reason,
      userId: user.id,
    });
    await audit(q, user, 'funds.entry.reverse', 'fund_entry', id, { reverses: e.id, amountYuan: yuanOf(e.amount_fen), reason });
    return { id };
  });
}

export async function setOverride(ctx: AppContext, user: CurrentUser, b: { orgId: number; year: number; amountYuan: number; reason: string }) {
  if (user.role !== 'bureauAdmin') throw badRequest('手工覆盖平台记录的经费支出由教育局填报');
  return ctx.db.tx(async (q) => {
    const org = await targetOrg(q, user, b.orgId);
    const f = (await fundFigures(q, org.path, b.year)).get(org.id);
    const id = await repo.insertOverride(q, { orgId: org.id, year: b.year, amountFen: b.amountYuan, cleared: false, reason: b.reason, userId: user.id });
    await audit(q, user, 'funds.override', 'fund_override', id, {
      org: org.name,
      year: b.year,
      amountYuan: yuanOf(b.amountYuan),
      platformYuan: f?.platformSpent ?? 0,
      previousYuan: f?.override ? yuanOf(f.override.amount_fen) : null,
      reason: b.reason,
    });
    return { id };
  });
}

export async function clearOverride(ctx: AppContext, user: CurrentUser, b: { orgId: number; year: number; reason: string }) {
  if (user.role !== 'bureauAdmin') throw badRequest('撤销覆盖由教育局操作');
  return ctx.db.tx(async (q) => {
    const org = await targetOrg(q, user, b.orgId);
    const f = (await fundFigures(q, org.path, b.year)).get(org.id);
    if (!f?.override) throw conflict(`${org.name} ${b.year} 年没有手工覆盖的经费支出`);
    const id = await repo.insertOverride(q, { orgId: org.id, year: b.year, amountFen: null, cleared: true, reason: b.reason, userId: user.id });
    await audit(q, user, 'funds.override.clear', 'fund_override', id, {
      org: org.name,
      year: b.year,
      wasYuan: yuanOf(f.override.amount_fen),
      reason: b.reason,
    });
    return { id };
  });
}

export async function uploadVoucher(ctx: AppContext, user: CurrentUser, orgId: number | undefined, part: UploadPart) {
  const org = await targetOrg(ctx.db, user, orgId);
  const saved = await saveUpload(ctx, part, { allowed: ['pdf', 'png', 'jpeg'], owner: { userId: user.id, orgId: org.id }, purpose: 'fundVoucher' });
  return { fileId: saved.fileId, name: saved.originalName };
}

export async function downloadVoucher(ctx: AppContext, user: CurrentUser, entryId: number): Promise<Download> {
  requirePermission(user, 'funds.manage');
  const e = await repo.entryById(ctx.db, entryId);
  if (!e || !e.org_path.startsWith(user.orgPath) || e.voucher_file_id === null) throw notFound('凭证');
  return openDownload(ctx, user, e.voucher_file_id, (f) => f.purpose === 'fundVoucher' && f.ownerOrgPath.startsWith(user.orgPath));
}

/** 经费看板: every school and county bureau of the caller's subtree in a year, with its rule status. */
export async function board(ctx: AppContext, user: CurrentUser, year: number) {
  requirePermission(user, 'funds.manage');
  const [orgs, figures, budgets, loose] = await Promise.all([
    repo.fundOrgs(ctx.db, user.orgPath),
    fundFigures(ctx.db, user.orgPath, year),
    repo.budgetsByOrg(ctx.db, user.orgPath, year),
    repo.unearmarked(ctx.db, user.orgPath, year),
  ]);
  const rows = [];
  for (const o of orgs.slice(0, 500)) {
    const f = figures.get(o.id);
    const rules = await ruleStatus(ctx.db, o, year, f);
    rows.push({
      orgId: o.id,
      name: o.name,
      kind: o.kind,
      budgetYuan: yuanOf(budgets.get(o.id) ?? 0),
      spentYuan: f?.spent ?? 0,
      overridden: !!f?.override,
      publicFundBudgetYuan: f?.publicFundBudget ?? null,
      salaryTotalYuan: f?.salaryTotal ?? null,
      rules: rules.map((r) => ({
        ruleId: r.ruleId,
        title: r.title,
        status: r.status,
        shortYuan: r.shortYuan,
        requiredYuan: r.requiredYuan,
        explanation: r.explanation,
      })),
      unearmarked: loose.filter((e) => e.org_id === o.id).length,
    });
  }
  return { year, orgs: rows, unearmarked: loose.map(entryView), earmarkedCite: DEFAULT_FUNDS.earmarked?.cite ?? null };
}
