/**
 * 年度考核 of a sub-unit's plan completion (issue 14 item 5; 000 §三(五), 002 §四(三)). The components and weights are
 * policy data (`planCycle.components`); each has a source the platform reads its figure from:
 * - compliance: the share of the unit's teachers meeting every teacher rule of the policy in force, as of the year's
 *   end (or today), against the plan's 学时目标 (hoursTarget item) when there is one;
 * - projects: planned training projects (project items of the accepted, else latest, version) that ran — a session
 *   held in the year;
 * - targets: for a sub-bureau, the region target rules of the policy (perYear, with a figure) met by the platform's
 *   figure for the unit's subtree (compliance/target-figures.ts);
 * - bureau: the bureau's judgement only.
 * - funds: the unit's training spending of the year on the platform (funds module: entries net of 冲销, or a bureau's
 *   audited override) against the plan's 经费预算 lines;
 * The bureau may put its own score beside any platform score (its judgement counts then), with a comment. A review is
 * stored with who/when; scoring again supersedes the review in force.
 */
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import type { Queryable } from '../../db/db.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { summarizePolicy } from '../compliance/compliance.service.js';
import { orgFacts } from '../compliance/compliance.scope.js';
import { platformTargetValues } from '../compliance/target-figures.js';
import { TARGET_METRICS, type TargetRule, type TargetMetric } from '../policies/policy.format.js';
import { planSourceLabel, type PlanCyclePolicy, type PlanSource } from '../policies/policy.plans.js';
import type { LoadedPolicy } from '../policies/policies.service.js';
import { planRulesAt, weightedTotal } from './plans.rules.js';
import * as repo from './plans.repository.js';
import { fundFigures } from '../funds/figures.js';
import type { ScoreBody } from './plans.schema.js';

export interface PlatformFigure {
  /** 0–100, or null when the component does not apply to this unit (its weight is then left out). */
  score: number | null;
  /** What the figure is, in Chinese (达标 3 / 4 人 …). */
  detail: string;
}

export interface ComponentResult extends PlatformFigure {
  code: string;
  label: string;
  source: PlanSource;
  sourceLabel: string;
  weight: number;
  bureauScore: number | null;
  comment: string | null;
  /** The score that counts: the bureau's where given, else the platform's. */
  final: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The review's as-of date: the year's last day, or today while the year runs. */
export const reviewAsOf = (year: number, today = todayInChina()) => (today < `${year}-12-31` ? today : `${year}-12-31`);

/** The version the review reads: the accepted one, else the latest. */
async function filingFor(q: Queryable, orgId: number, year: number) {
  const versions = await repo.filingsOf(q, orgId, year);
  return versions.find((v) => v.decision === 'accepted') ?? versions[0] ?? null;
}

async function complianceFigure(q: Queryable, lp: LoadedPolicy | null, unit: repo.OrgRow, asOf: string, targetPercent: number | null): Promise<PlatformFigure> {
  if (!lp) return { score: null, detail: '本单位没有适用的政策，不计此项' };
  const s = await summarizePolicy(q, lp, await orgFacts(q, unit.path), asOf);
  const { evaluated, compliantAll } = s.teachers;
  if (!evaluated) return { score: null, detail: `《${lp.policy.title}》下本单位没有参与评估的教师，不计此项` };
  const share = (compliantAll / evaluated) * 100;
  const base = `截至 ${asOf}，${compliantAll} / ${evaluated} 名教师达到《${lp.policy.title}》全部学时要求（${round1(share)}%）`;
  if (targetPercent === null) return { score: round1(share), detail: base };
  return { score: round1(Math.min(100, (share / targetPercent) * 100)), detail: `${base}，计划目标 ${targetPercent}%` };
}

async function projectsFigure(q: Queryable, filing: repo.FilingRow | null, year: number, asOf: string): Promise<PlatformFigure> {
  if (!filing) return { score: 0, detail: '未报送年度计划' };
  const { planned, run } = await repo.plannedProjectsRun(q, filing.id, year, asOf);
  if (!planned) return { score: null, detail: '计划未列培训项目，不计此项' };
  return { score: round1((run / planned) * 100), detail: `计划培训项目 ${planned} 个，已实施（${year} 年内有培训活动）${run} 个` };
}

async function targetsFigure(q: Queryable, lp: LoadedPolicy | null, unit: repo.OrgRow, year: number, asOf: string): Promise<PlatformFigure> {
  if (unit.kind !== 'bureau') return { score: null, detail: '区域目标只考核下级教育局，学校不计此项' };
  const rules = (lp?.policy.rules ?? []).filter(
    (r): r is TargetRule =>
      r.kind === 'target' && (r as TargetRule).aggregate === 'perYear' && typeof (r as TargetRule).atLeast === 'number' && (r as TargetRule).atLeast! > 0,
  );
  if (!rules.length) return { score: null, detail: '适用政策没有逐年的区域目标，不计此项' };
  const parts: string[] = [];
  let sum = 0;
  for (const r of rules) {
    const v = (await platformTargetValues(q, r.metric as TargetMetric, unit.path, year, year, asOf)).get(year) ?? 0;
    sum += Math.min(1, v / (r.atLeast as number));
    parts.push(`${TARGET_METRICS[r.metric as TargetMetric].label} ${v} / ${r.atLeast}`);
  }
  return { score: round1((sum / rules.length) * 100), detail: parts.join('；') };
}

/** 经费执行: spent ÷ budgeted (capped at 100); not counted without budget lines or without the unit's funds records. */
async function fundsFigure(q: Queryable, items: repo.ItemRow[], unit: repo.OrgRow, year: number): Promise<PlatformFigure> {
  const budgeted = items.filter((i) => i.kind === 'budget').reduce((n, i) => n + (i.amount ?? 0), 0);
  if (budgeted <= 0) return { score: null, detail: '计划未列经费预算，不计此项' };
  const f = (await fundFigures(q, unit.path, year)).get(unit.id);
  if (!f) return { score: null, detail: `平台没有该单位 ${year} 年的经费记录，不计此项（计划预算 ${budgeted.toLocaleString('zh-CN')} 元）` };
  const spent = f.spent ?? 0;
  const how = f.override ? '（教育局手工填报，覆盖平台记录）' : '';
  return {
    score: round1(Math.min(1, spent / budgeted) * 100),
    detail: `计划预算 ${budgeted.toLocaleString('zh-CN')} 元，已支出 ${spent.toLocaleString('zh-CN')} 元${how}`,
  };
}

/** The platform's figure of every component for a unit and year. */
export async function platformFigures(q: Queryable, rules: PlanCyclePolicy, lp: LoadedPolicy | null, unit: repo.OrgRow, year: number, asOf: string) {
  const filing = await filingFor(q, unit.id, year);
  const items = filing ? await repo.itemsOf(q, [filing.id]) : [];
  const target = items.find((i) => i.kind === 'hoursTarget')?.targetPercent ?? null;
  const out = new Map<string, PlatformFigure>();
  for (const c of rules.components) {
    if (c.source === 'compliance') out.set(c.code, await complianceFigure(q, lp, unit, asOf, target));
    else if (c.source === 'projects') out.set(c.code, await projectsFigure(q, filing, year, asOf));
    else if (c.source === 'targets') out.set(c.code, await targetsFigure(q, lp, unit, year, asOf));
    else if (c.source === 'funds') out.set(c.code, await fundsFigure(q, items, unit, year));
    else out.set(c.code, { score: null, detail: '由教育局评议打分' });
  }
  return { figures: out, filing };
}

async function subUnit(ctx: AppContext, user: CurrentUser, orgId: number) {
  requirePermission(user, 'plans.review');
  const unit = await repo.orgById(ctx.db, orgId);
  if (!unit || unit.id === user.orgId || !unit.path.startsWith(user.scopePath) || !['school', 'bureau'].includes(unit.kind)) throw notFound('单位');
  return unit;
}

/** The review page of a unit and year: the platform's figures next to the review in force and the ones it superseded. */
export async function reviewOf(ctx: AppContext, user: CurrentUser, orgId: number, year: number) {
  const unit = await subUnit(ctx, user, orgId);
  const asOf = reviewAsOf(year);
  const reviewer = await repo.reviewerOf(ctx.db, unit);
  const { rules, source, policy } = await planRulesAt(ctx.db, reviewer?.path ?? unit.path, asOf);
  const { figures, filing } = await platformFigures(ctx.db, rules, policy, unit, year, asOf);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    year,
    asOf,
    rulesSource: source,
    plan: filing ? { id: filing.id, version: filing.version, decision: filing.decision } : null,
    components: rules.components.map((c) => ({ ...c, sourceLabel: planSourceLabel(c.source), ...figures.get(c.code)! })),
    history: await repo.reviewsOf(ctx.db, unit.id, year),
  };
}

/** Score a unit's year: the platform figures now, the bureau's scores and comments; supersedes the review in force. */
export async function scoreReview(ctx: AppContext, user: CurrentUser, b: ScoreBody, ip?: string) {
  const unit = await subUnit(ctx, user, b.orgId);
  const asOf = reviewAsOf(b.year);
  if (`${b.year}-01-01` > todayInChina()) throw badRequest('该年度尚未开始，不能考核', [{ field: 'year', message: '年度尚未开始' }]);
  const reviewer = await repo.reviewerOf(ctx.db, unit);
  const { rules, policy } = await planRulesAt(ctx.db, reviewer?.path ?? unit.path, asOf);
  const known = new Set(rules.components.map((c) => c.code));
  b.components.forEach((c, i) => {
    if (!known.has(c.code)) throw badRequest(`考核项 ${c.code} 不在本地区规则中`, [{ field: `components.${i}.code`, message: '考核项不存在' }]);
  });
  const input = new Map(b.components.map((c) => [c.code, c]));
  const { figures } = await platformFigures(ctx.db, rules, policy, unit, b.year, asOf);
  const results: ComponentResult[] = rules.components.map((c) => {
    const f = figures.get(c.code)!;
    const given = input.get(c.code);
    const bureauScore = given?.bureauScore ?? null;
    return {
      code: c.code,
      label: c.label,
      source: c.source,
      sourceLabel: planSourceLabel(c.source),
      weight: c.weight,
      score: f.score,
      detail: f.detail,
      bureauScore,
      comment: given?.comment ?? null,
      final: bureauScore ?? f.score,
    };
  });
  const missing = results.findIndex((r) => r.source === 'bureau' && r.weight > 0 && r.bureauScore === null);
  if (missing >= 0) throw badRequest(`请为「${results[missing].label}」评分`, [{ field: `components.${missing}.bureauScore`, message: '请评分' }]);
  const total = weightedTotal(results.map((r) => ({ weight: r.weight, score: r.final })));
  return ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM orgs WHERE id = $1 FOR UPDATE', [unit.id]);
    const prev = await q.query<{ id: number }>('SELECT id FROM plan_reviews WHERE org_id = $1 AND year = $2 AND superseded_at IS NULL', [unit.id, b.year]);
    if (prev.rows[0]) await q.query('UPDATE plan_reviews SET superseded_at = now() WHERE id = $1', [prev.rows[0].id]);
    const r = await q.query<{ id: number }>(
      `INSERT INTO plan_reviews (org_id, year, reviewer_org_id, components, total, comment, as_of, reviewed_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
      [unit.id, b.year, user.orgId, JSON.stringify(results), total, b.comment, asOf, user.id],
    );
    const id = r.rows[0].id;
    if (prev.rows[0]) await q.query('UPDATE plan_reviews SET superseded_by = $1 WHERE id = $2', [id, prev.rows[0].id]);
    await audit(q, user, 'plans.review.score', 'plan_review', id, { orgId: unit.id, year: b.year, total, supersedes: prev.rows[0]?.id ?? null }, ip);
    return { id, total, components: results };
  });
}
