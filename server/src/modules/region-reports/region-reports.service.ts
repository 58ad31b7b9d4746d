/**
 * 实施情况报告 (issue 14 item 7): the yearly report a bureau sends upward on a policy — 标题, 文号, 主送, 正文 (总体情况、
 * 各项指标完成情况、存在问题、下一步措施) and 附表 — assembled from the compliance engine's summary of the policy at the
 * org as of a date, the same summary at each plan year's end (the trend), the per-sub-unit shortfalls and the
 * platform's records of what was done (reminders sent, projects run). Figures only: no teacher names.
 * The PDF (region-reports.pdf.ts) and the workbook (region-reports.xlsx.ts) render this one structure.
 */
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { todayInChina } from '../../platform/china-time.js';
import { audit } from '../../platform/audit.js';
import { CATEGORIES } from '../../platform/vocab.js';
import { OPEN_END, type Rule } from '../policies/policy.format.js';
import { citeLabel } from '../policies/policy.cite.js';
import { isOpen, STATUS_LABELS, type Status } from '../policies/policy.status.js';
import { policyForEvaluation } from '../policies/policies.service.js';
import { summarizePolicy, type SummaryDto } from '../compliance/compliance.service.js';
import { orgInScope } from '../compliance/compliance.scope.js';
import type { Outcome } from '../compliance/compliance.engine.js';
import { loadOrgs } from '../compliance/compliance.repository.js';
import type { OrgChild, RuleSummary, Totals } from '../compliance/compliance.summary.js';
import * as repo from './region-reports.repository.js';

export interface ReportRule {
  id: string;
  title: string;
  kindLabel: string;
  unit: string;
  /** 要求 as written: 'at least 40 学时', '≥ 5 %' or the open figure of the plan. */
  requirement: string;
  /** The region-level status: a single verdict (targets, ratios) or the worst open outcome of its subjects. */
  status: Status;
  statusLabel: string;
  /** 完成情况 in words: the verdict's explanation, or 达标率 and counts. */
  figure: string;
  share: number | null;
  subjects: number;
  compliant: number;
  notMet: number;
  cite: string;
}

export interface TrendYear {
  year: number;
  asOf: string;
  /** Share of judged teachers meeting every rule. */
  teachersShare: number | null;
  /** Per rule: 达标率 (teacher/school rules) or the figure done (a region target), and its status. */
  rules: Record<string, { share: number | null; done: number | null; status: Status }>;
}

export interface ShortfallRow {
  orgId: number;
  orgName: string;
  ruleId: string;
  ruleTitle: string;
  subjects: number;
  compliant: number;
  overdue: number;
  dueSoon: number;
  inProgress: number;
  share: number | null;
  /** Sum of what the open subjects still lack (学时, 人 …), or null when the rule has no figure. */
  lacking: number | null;
  unit: string;
  /** The sub-unit's own verdict where the rule judges the sub-unit itself (its ratio, its target). */
  verdict: string | null;
}

export interface ReportSection {
  key: 'overview' | 'indicators' | 'problems' | 'nextSteps';
  heading: string;
  paragraphs: string[];
}

export interface RegionReport {
  title: string;
  docNo: string;
  recipient: string;
  issuer: string;
  dateText: string;
  asOf: string;
  year: number;
  policy: { id: number; key: string; title: string; version: number; period: { from: string; to: string | null } };
  org: { id: number; name: string };
  teachers: SummaryDto['teachers'];
  rules: ReportRule[];
  trend: TrendYear[];
  shortfalls: ShortfallRow[];
  actions: { reminders: (repo.ReminderCount & { ruleTitle: string })[]; projects: (repo.ProjectCount & { label: string })[] };
  nextSteps: string;
  nextStepsDefault: string;
  sections: ReportSection[];
}

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (up to 99). */
export function zhNumber(n: number): string {
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}
/** One sentence: trailing 。 (or 。。) of an embedded text reduced to one. */
const sentence = (t: string) => `${t.replace(/[。；，\s]+$/u, '')}。`;
export const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
export const zhDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const num = (x: number) => String(Math.round(x * 10) / 10);

/** The region-level status of a rule: its single verdict, else the most pressing outcome among its subjects. */
export function ruleStatus(r: Pick<RuleSummary, 'result' | 'totals'>): Status {
  if (r.result) return r.result.status;
  const t = r.totals;
  if (t.overdue) return 'overdue';
  if (t.dueSoon) return 'dueSoon';
  if (t.inProgress) return 'inProgress';
  if (t.compliant) return 'compliant';
  if (t.noData) return 'noData';
  return 'notApplicable';
}

const notMet = (t: Totals) => t.overdue + t.dueSoon + t.inProgress;

function requirementOf(r: RuleSummary): string {
  if (r.atLeast === null) return r.openFigure ? `原文未定：${r.openFigure}` : '—';
  return r.unit === '%' ? `≥ ${pct(r.atLeast)}` : `≥ ${num(r.atLeast)} ${r.unit}`;
}

function figureOf(r: RuleSummary): string {
  if (r.result) return r.result.explanation;
  const t = r.totals;
  if (!t.subjects) return '不适用于本级';
  const open = notMet(t) ? `，未完成 ${notMet(t)}（其中已逾期 ${t.overdue}、临期 ${t.dueSoon}、进行中 ${t.inProgress}）` : '';
  return `评估 ${t.subjects}，已达标 ${t.compliant}${open}；达标率 ${pct(t.share)}`;
}

function presentRules(s: SummaryDto): ReportRule[] {
  return s.rules.map((r) => {
    const status = ruleStatus(r);
    return {
      id: r.id,
      title: r.title,
      kindLabel: r.kindLabel,
      unit: r.unit,
      requirement: requirementOf(r),
      status,
      statusLabel: STATUS_LABELS[status],
      figure: figureOf(r),
      share: r.result ? null : r.totals.share,
      subjects: r.totals.subjects,
      compliant: r.totals.compliant,
      notMet: r.result ? (isOpen(r.result.status) ? 1 : 0) : notMet(r.totals),
      cite: citeLabel(r.cite),
    };
  });
}

function trendPoint(year: number, s: SummaryDto): TrendYear {
  return {
    year,
    asOf: s.asOf,
    teachersShare: s.teachers.share,
    rules: Object.fromEntries(s.rules.map((r) => [r.id, { share: r.result ? null : r.totals.share, done: r.result?.done ?? null, status: ruleStatus(r) }])),
  };
}

/** The plan years to chart: the policy's years up to the report's year (at least the report's year). */
export function planYears(period: { from: string; to: string }, asOf: string): number[] {
  const last = Math.min(Number(asOf.slice(0, 4)), Number((period.to === OPEN_END ? asOf : period.to).slice(0, 4)));
  const first = Math.min(Number(period.from.slice(0, 4)), last);
  const out: number[] = [];
  for (let y = Math.max(first, last - 9); y <= last; y++) out.push(y);
  return out;
}

/** Shortfalls by sub-unit: each child org × rule with open outcomes, with the sum of what its subjects still lack. */
function shortfallRows(s: SummaryDto, lacking: Map<string, number>): ShortfallRow[] {
  const out: ShortfallRow[] = [];
  for (const c of s.children) {
    if (c.type !== 'org') continue;
    const child = c as OrgChild;
    for (const r of s.rules) {
      const t = child.totals[r.id];
      const own = child.results[r.id];
      const open = t ? notMet(t) : 0;
      if (!open && !(own && isOpen(own.status))) continue;
      const key = `${child.id}:${r.id}`;
      out.push({
        orgId: child.id,
        orgName: child.name,
        ruleId: r.id,
        ruleTitle: r.title,
        subjects: t?.subjects ?? 0,
        compliant: t?.compliant ?? 0,
        overdue: t?.overdue ?? 0,
        dueSoon: t?.dueSoon ?? 0,
        inProgress: t?.inProgress ?? 0,
        share: t?.share ?? null,
        lacking: !r.unit ? null : lacking.has(key) ? Math.round(lacking.get(key)! * 10) / 10 : (own?.shortfall ?? null),
        unit: r.unit,
        verdict: own && isOpen(own.status) ? `${STATUS_LABELS[own.status]}：${own.explanation}` : null,
      });
    }
  }
  return out;
}

function defaultNextSteps(rules: ReportRule[], shortfalls: ShortfallRow[], year: number): string {
  const short = rules.filter((r) => isOpen(r.status));
  const lines: string[] = [];
  if (short.length) lines.push(`针对${short.map((r) => `“${r.title}”`).join('、')}等未完成事项，逐校逐人建立台账，明确完成时限，按月调度进度。`);
  const units = [...new Set(shortfalls.filter((x) => x.overdue > 0).map((x) => x.orgName))];
  if (units.length) lines.push(`对${units.slice(0, 5).join('、')}${units.length > 5 ? '等' : ''}未达标单位开展专项督导，督促其限期整改。`);
  lines.push('结合各类培训学时缺口，统筹安排相应类别的培训项目，优先保障未达标教师参训。');
  lines.push(`将培训完成情况纳入${year + 1}年度学校年度考核，与评先选优、职称评聘挂钩。`);
  return lines.map((l, i) => `${i + 1}. ${l}`).join('\n');
}

function sections(r: Omit<RegionReport, 'sections'>): ReportSection[] {
  const met = r.rules.filter((x) => x.status === 'compliant').length;
  const judged = r.rules.filter((x) => x.status !== 'notApplicable' && x.status !== 'noData');
  const open = r.rules.filter((x) => isOpen(x.status));
  const t = r.teachers;
  const overview = [
    `按照《${r.policy.title}》（第 ${r.policy.version} 版）的要求，${r.org.name}组织所属学校和教师落实各项任务。截至${zhDate(r.asOf)}，平台按政策逐条评估：共 ${r.rules.length} 条要求，适用于本级的 ${judged.length} 条，其中已达标 ${met} 条，未完成 ${open.length} 条。`,
    t.evaluated
      ? `${r.org.name}纳入评估的在职教师 ${t.evaluated} 人，各项要求全部达到的 ${t.compliantAll} 人，占 ${pct(t.share)}；有已逾期未达标事项的 ${t.overdue} 人。`
      : '本级暂无纳入评估的在职教师。',
  ];
  const rem = r.actions.reminders.reduce((a, x) => a + x.reminders, 0);
  const proj = r.actions.projects.filter((p) => p.category);
  if (rem || proj.length)
    overview.push(
      `${r.year}年已采取的措施：${rem ? `平台向教师和管理员发送截止提醒 ${rem} 条；` : ''}${
        proj.length ? `组织（参加）${proj.map((p) => `${p.label}类培训项目 ${p.projects} 个（本级教师 ${p.teachers} 人参训）`).join('，')}。` : ''
      }`.replace(/；$/, '。'),
    );
  const indicators = r.rules
    .filter((x) => x.status !== 'notApplicable')
    .map(
      (x, i) =>
        `（${zhNumber(i + 1)}）${sentence(x.title)}${x.requirement === '—' ? '' : `要求：${sentence(x.requirement)}`}${sentence(x.figure)}状态：${x.statusLabel}（依据：${x.cite}）。`,
    );
  if (r.trend.length > 1 && t.evaluated)
    indicators.push(`从实施期各年看，教师全部达标比例依次为：${r.trend.map((y) => `${y.year}年 ${pct(y.teachersShare)}`).join('，')}（详见附表2）。`);
  const problems: string[] = [];
  for (const x of open) problems.push(`${x.title}：${sentence(x.figure)}`);
  const worst = [...r.shortfalls].sort((a, b) => b.overdue - a.overdue || (a.share ?? 1) - (b.share ?? 1)).slice(0, 5);
  if (worst.length)
    problems.push(
      `未完成事项较多的下级单位：${worst.map((w) => `${w.orgName}（${w.ruleTitle}${w.overdue ? `，已逾期 ${w.overdue}` : ''}${w.lacking ? `，尚缺 ${num(w.lacking)} ${w.unit}` : ''}）`).join('；')}。各单位明细见附表1。`,
    );
  if (!problems.length) problems.push('截至报告日，各项要求均已达标或尚未到期，暂未发现突出问题。');
  return [
    { key: 'overview', heading: '一、总体情况', paragraphs: overview },
    { key: 'indicators', heading: '二、各项指标完成情况', paragraphs: indicators.length ? indicators : ['本政策暂无适用于本级的要求。'] },
    { key: 'problems', heading: '三、存在问题', paragraphs: problems },
    {
      key: 'nextSteps',
      heading: '四、下一步措施',
      paragraphs: r.nextSteps
        .split(/\n+/)
        .map((l) => l.trim())
        .filter(Boolean),
    },
  ];
}

/** Build the report (no audit: the preview; the downloads audit in the routes' service calls below). */
export async function buildReport(
  ctx: AppContext,
  user: CurrentUser,
  query: { policyId: number; orgId?: number; asOf?: string; nextSteps?: string; docNo?: string },
): Promise<RegionReport> {
  if (user.role !== 'bureauAdmin') throw forbidden('仅教育局管理员可生成实施情况报告');
  const lp = await policyForEvaluation(ctx, user, query.policyId);
  const display = await orgInScope(ctx, user, query.orgId);
  if (display.kind === 'school') throw badRequest('实施情况报告按教育局（区县）生成，请选择教育局而不是学校', [{ field: 'orgId', message: '请选择教育局' }]);
  const asOf = query.asOf ?? todayInChina();
  const year = Number(asOf.slice(0, 4));
  const period = { from: lp.policy.period.from, to: lp.policy.period.to };
  if (asOf < period.from)
    throw badRequest(`${zhDate(asOf)}政策尚未开始实施（实施期自${zhDate(period.from)}起），请选择实施期内的日期`, [{ field: 'asOf', message: '早于实施期' }]);

  // What the open teacher subjects of each child still lack, summed (hours short, …): the engine's own figures.
  const subtree = await loadOrgs(ctx.db, display.path);
  const children = subtree.filter((o) => o.parentId === display.id);
  const lacking = new Map<string, number>();
  const sink = (o: Outcome) => {
    if (!o.subject.teacher || !isOpen(o.result.status) || o.result.shortfall === null) return;
    const c = children.find((x) => o.subject.orgPath.startsWith(x.path));
    if (!c) return;
    const key = `${c.id}:${o.rule.id}`;
    lacking.set(key, (lacking.get(key) ?? 0) + o.result.shortfall);
  };
  const main = await summarizePolicy(ctx.db, lp, display, asOf, {}, { extraSink: sink });
  const trend: TrendYear[] = [];
  for (const y of planYears(period, asOf)) {
    if (y === year) trend.push(trendPoint(y, main));
    else trend.push(trendPoint(y, await summarizePolicy(ctx.db, lp, display, `${y}-12-31`, {})));
  }
  const rules = presentRules(main);
  const titleOf = new Map(lp.policy.rules.map((r: Rule) => [r.id, r.title]));
  const from = `${year}-01-01` < period.from ? period.from : `${year}-01-01`;
  const reminders = (await repo.remindersSent(ctx.db, lp.id, display.path, from, asOf)).map((x) => ({ ...x, ruleTitle: titleOf.get(x.ruleId) ?? x.ruleId }));
  const projects = (await repo.projectsRun(ctx.db, display.path, from, asOf)).map((p) => ({
    ...p,
    label: p.category ? (CATEGORIES[p.category as keyof typeof CATEGORIES] ?? p.category) : '未分类',
  }));
  const shortfalls = shortfallRows(main, lacking);
  const nextStepsDefault = defaultNextSteps(rules, shortfalls, year);
  const policyName = lp.policy.title.replace(/^《|》$/g, '');
  const base: Omit<RegionReport, 'sections'> = {
    title: `关于${display.name}${year}年度${policyName}实施情况的报告`,
    docNo: query.docNo?.trim() || `〔${year}〕　　号`,
    recipient: (await repo.parentName(ctx.db, display.parentId)) ?? '上级教育行政部门',
    issuer: display.name,
    dateText: zhDate(asOf),
    asOf,
    year,
    policy: {
      id: lp.id,
      key: lp.key,
      title: lp.policy.title,
      version: lp.version,
      period: { from: period.from, to: period.to === OPEN_END ? null : period.to },
    },
    org: { id: display.id, name: display.name },
    teachers: main.teachers,
    rules,
    trend,
    shortfalls,
    actions: { reminders, projects },
    nextSteps: query.nextSteps?.trim() || nextStepsDefault,
    nextStepsDefault,
  };
  return { ...base, sections: sections(base) };
}

export const reportFileName = (r: RegionReport, ext: string) => `实施情况报告_${r.org.name}_${r.policy.key}_${r.asOf}.${ext}`;

/** A download (PDF or workbook) of the report; written to the audit log with what it covered (figures only). */
export async function downloadReport(
  ctx: AppContext,
  user: CurrentUser,
  body: { policyId: number; orgId?: number; asOf?: string; nextSteps?: string; docNo?: string },
  format: 'pdf' | 'xlsx',
  ip?: string,
): Promise<{ buffer: Buffer; filename: string; report: RegionReport }> {
  const report = await buildReport(ctx, user, body);
  const buffer =
    format === 'pdf'
      ? await (await import('./region-reports.pdf.js')).renderReportPdf(report)
      : await (await import('./region-reports.xlsx.js')).renderReportXlsx(report);
  await audit(
    ctx.db,
    user,
    'regionReport.download',
    'policy',
    report.policy.id,
    { format, orgId: report.org.id, asOf: report.asOf, version: report.policy.version, rules: report.rules.length, shortfallRows: report.shortfalls.length },
    ip,
  );
  return { buffer, filename: reportFileName(report, format), report };
}
