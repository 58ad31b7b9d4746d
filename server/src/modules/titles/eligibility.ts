/**
 * 职称 eligibility (issue 14 item 3): for one teacher on a base date, every failing reason of the region's title rules
 * (policy key `titles`, else TITLES_DEFAULT), each with its figure and citation. Facts read as of the date: the title
 * and its date (teacher credentials, periods of migration 0033), appraisal_results, rotation_records and
 * teacher_assignments kind 'rotation', the cycle hours rules of the compliance engine, and vetoFor('titleEligibility').
 */
import { ruralServiceDays } from '../staffing/staffing.repository.js';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { addDays } from '../../platform/china-time.js';
import { STAGES } from '../../platform/vocab.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { TITLES_DEFAULT, titleLabel, type TitlesPolicy, type TitleTarget } from '../policies/policy.titles.js';
import { resolveWindow } from '../policies/policy.windows.js';
import type { Window } from '../policies/policy.format.js';
import { teacherStatus } from '../compliance/compliance.worklist.js';
import { vetoFor } from '../integrity/veto.service.js';
import * as repo from './titles.repository.js';

export type ReasonCode = 'title' | 'years' | 'hours' | 'appraisal' | 'rotation' | 'rural' | 'veto';
export interface TitleReason {
  code: ReasonCode;
  message: string;
  cite: string | null;
}
export interface TitleRules {
  rules: TitlesPolicy;
  source: string;
}
export interface CycleHours {
  ruleTitle: string;
  window: string | null;
  required: number | null;
  done: number | null;
}
export interface TitleEligibility {
  teacherId: number;
  name: string;
  orgId: number;
  orgName: string;
  stage: string | null;
  asOf: string;
  title: string | null;
  titleLabel: string;
  titleDate: string | null;
  /** The target the teacher's current title leads to under the rules (null: the rules list none). */
  target: string | null;
  targetLabel: string | null;
  eligible: boolean;
  reasons: TitleReason[];
  /** The hours of the last completed cycle (what the rule judged) and of the current one (for information). */
  lastCycle: CycleHours[];
  currentCycle: CycleHours[];
  source: string;
  assumptions: string[];
}

const DEFAULT_SOURCE = '平台默认规则（依据种子文件）';

/** The title rules in force at an org path on `date`: the nearest policy in force with a `titles` key, else the default. */
export async function titleRulesAt(q: Queryable, orgPath: string, date: string): Promise<TitleRules> {
  const found = (await policiesInForceAt(q, orgPath))
    .filter((p) => p.policy.period.from <= date && (p.policy.period.to === null || date <= p.policy.period.to) && p.policy.titles)
    .sort((a, b) => longest(b) - longest(a))[0];
  return found?.policy.titles ? { rules: found.policy.titles, source: found.policy.title } : { rules: TITLES_DEFAULT, source: DEFAULT_SOURCE };
}
const longest = (p: { attachments: { org_path: string }[] }) => Math.max(0, ...p.attachments.map((a) => a.org_path.length));

const citeText = (c: { title?: string | null; file?: string | null; section: string; text: string }) =>
  `${c.title ? `《${c.title}》§` : `${c.file ?? ''} `}${c.section}：${c.text}`.trim();
export const citeOf = (rules: TitlesPolicy, needle: string): string | null => {
  const c = rules.cite?.find((x) => x.text.includes(needle) || x.section.includes(needle));
  return c ? citeText(c) : null;
};

/** Full years from `from` to `to` (a year is complete on its anniversary). */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}
/** The date `years` after `from` (29 Feb → 28 Feb). */
export function plusYears(from: string, years: number): string {
  const y = Number(from.slice(0, 4)) + years;
  const md = from.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${y}-${md === '02-29' && !leap ? '02-28' : md}`;
}
const GRADE_LABELS: Record<string, string> = { excellent: '优秀', qualified: '合格', basicallyQualified: '基本合格', unqualified: '不合格' };
export const gradeLabel = (g: string) => GRADE_LABELS[g] ?? g;
const PASSED = new Set(['excellent', 'qualified']);

/** The appraisal reasons for a target (pure): of the N years before the base year, at least minPassed 合格+, none 不合格. */
export function appraisalReasons(target: TitleTarget, baseYear: number, results: { year: number; grade: string }[], cite: string | null): TitleReason[] {
  if (target.appraisalYears === 0) return [];
  const from = baseYear - target.appraisalYears;
  const to = baseYear - 1;
  const inRange = results.filter((r) => r.year >= from && r.year <= to);
  const out: TitleReason[] = [];
  const failed = inRange.filter((r) => r.grade === 'unqualified');
  if (failed.length)
    out.push({ code: 'appraisal', message: `年度考核：${failed.map((r) => `${r.year} 年度不合格`).join('、')}（${from}—${to} 年度须无不合格）`, cite });
  const passed = inRange.filter((r) => PASSED.has(r.grade)).length;
  if (passed < target.minPassed) {
    const missing = [];
    for (let y = from; y <= to; y++) if (!inRange.some((r) => r.year === y)) missing.push(y);
    out.push({
      code: 'appraisal',
      message: `年度考核：${from}—${to} 年度合格以上 ${passed} 次，需 ${target.minPassed} 次，还差 ${target.minPassed - passed} 次${missing.length ? `（无考核结果：${missing.join('、')} 年度）` : ''}`,
      cite,
    });
  }
  return out;
}

/** The cycle hours rules (学时, horizon cycle) of the policies in force, as the compliance engine evaluates them on a date. */
async function cycleHoursOn(ctx: AppContext, user: CurrentUser, teacherId: number, on: string) {
  const st = await teacherStatus(ctx, user, teacherId, on);
  return st.thisCycle.filter((i) => i.unit === '学时');
}

/**
 * Every failing reason for one teacher on `asOf` (the round's 基准日). The caller may read the teacher (the teacher
 * themself, or a reader with the teacher in scope): the compliance engine checks that.
 */
export async function titleEligibility(ctx: AppContext, user: CurrentUser, teacherId: number, asOf: string, wanted?: string): Promise<TitleEligibility> {
  const q = ctx.db;
  const t = await repo.titleFactsOn(q, teacherId, asOf);
  const { rules, source } = await titleRulesAt(q, t.path, asOf);
  const reasons: TitleReason[] = [];
  const target = rules.targets.find((x) => (wanted ? x.to === wanted : x.from === t.title)) ?? null;
  const cite003 = citeOf(rules, '交流') ?? citeOf(rules, '輪崗');
  const citeTraining = citeOf(rules, '培训完成情况');
  const citeAppraisal = citeOf(rules, '年度考核');

  if (!target) {
    reasons.push({ code: 'title', message: `本地区职称规则未列出从「${titleLabel(t.title)}」晋升的条件`, cite: null });
  } else {
    if (target.from !== t.title)
      reasons.push({
        code: 'title',
        message: `现职称为「${titleLabel(t.title)}」，申报「${titleLabel(target.to)}」须现任「${titleLabel(target.from)}」`,
        cite: null,
      });
    else if (!t.titleDate) reasons.push({ code: 'years', message: '教师档案中缺少现职称的取得时间（职称时间），请学校补录后再核查', cite: null });
    else {
      const years = fullYears(t.titleDate, asOf);
      if (years < target.yearsAtTitle) {
        const reach = plusYears(t.titleDate, target.yearsAtTitle);
        reasons.push({
          code: 'years',
          message: `现职称任职 ${Math.max(0, years)} 年，需满 ${target.yearsAtTitle} 年，还差 ${target.yearsAtTitle - Math.max(0, years)} 年（${reach} 起）`,
          cite: null,
        });
      }
    }
    reasons.push(...appraisalReasons(target, Number(asOf.slice(0, 4)), await repo.appraisalsOf(q, teacherId), citeAppraisal));
    const compulsory = t.stage !== null && (rules.rotationStages as string[]).includes(t.stage);
    if (target.rotation && compulsory && !(await repo.hasRotation(q, teacherId, asOf)))
      reasons.push({
        code: 'rotation',
        message: `无交流轮岗经历：${STAGES[t.stage as keyof typeof STAGES] ?? t.stage}教师申报「${titleLabel(target.to)}」须有交流轮岗经历（截至 ${asOf} 无交流轮岗记录）`,
        cite: cite003,
      });
    if (target.ruralYears > 0) {
      // Rural schools the teacher was assigned to and rural 支教/交流 records, overlapping days once (staffing).
      const days = (await ruralServiceDays(q, [teacherId], asOf)).get(teacherId) ?? 0;
      const need = target.ruralYears * 365;
      if (days < need)
        reasons.push({
          code: 'rural',
          message: `乡村学校任教（含支教）${Math.floor(days / 365)} 年 ${days % 365} 天，需满 ${target.ruralYears} 年，还差 ${need - days} 天`,
          cite: null,
        });
    }
  }
  // 继续教育: the last completed cycle of each cycle hours rule must be met.
  let lastCycle: CycleHours[] = [];
  let currentCycle: CycleHours[] = [];
  if (rules.hoursCycleMet) {
    const now = await cycleHoursOn(ctx, user, teacherId, asOf);
    currentCycle = now
      .filter((i) => !(i.deadline !== null && i.deadline <= asOf))
      .map((i) => ({ ruleTitle: i.ruleTitle, window: i.window, required: i.required, done: i.done }));
    // A cycle ending on the base date is complete, as is a rolling window (近 N 年); otherwise the cycle that ended
    // the day before the current one began is judged.
    const lps = await policiesInForceAt(q, t.path);
    const ruleOf = (i: { policyId: number; ruleId: string }) => {
      const lp = lps.find((p) => p.id === i.policyId);
      const rule = lp?.policy.rules.find((r) => r.id === i.ruleId);
      return lp && rule && 'window' in rule ? { lp, window: rule.window as Window } : null;
    };
    const judged = now.filter((i) => (i.deadline !== null && i.deadline <= asOf) || !!ruleOf(i)?.window.rolling);
    const prevEnds = new Map<string, (typeof now)[number][]>();
    for (const i of now) {
      if (judged.includes(i)) continue;
      const r = ruleOf(i);
      if (!r?.window.cycle) continue;
      const w = resolveWindow(r.window, r.lp.policy.period, asOf);
      if (!w.ok) continue;
      const end = addDays(w.window.from, -1);
      prevEnds.set(end, [...(prevEnds.get(end) ?? []), i]);
    }
    for (const [end, items] of prevEnds) {
      const before = await cycleHoursOn(ctx, user, teacherId, end);
      judged.push(...before.filter((p) => items.some((o) => o.ruleId === p.ruleId && o.policyId === p.policyId)));
    }
    lastCycle = judged.map((i) => ({ ruleTitle: i.ruleTitle, window: i.window, required: i.required, done: i.done }));
    for (const i of judged) {
      const required = i.required ?? 0;
      const done = i.done ?? 0;
      if (done < required)
        reasons.push({
          code: 'hours',
          message: `继续教育学时：${i.window ?? ''}周期完成 ${done} 学时，需 ${required} 学时，还差 ${Math.round((required - done) * 10) / 10} 学时（${i.ruleTitle}）`,
          cite: citeText({ ...i.cite, title: i.cite.title ?? i.policyTitle }) + (citeTraining ? `；${citeTraining}` : ''),
        });
    }
  }
  const veto = await vetoFor(q, teacherId, 'titleEligibility', asOf);
  for (const r of veto.reasons)
    reasons.push({ code: 'veto', message: `师德一票否决：${r.label}（${r.from} 起${r.until ? `至 ${r.until}` : ''}，${r.vetoTitle}）`, cite: r.cite });
  return {
    teacherId: t.id,
    name: t.name,
    orgId: t.orgId,
    orgName: t.orgName,
    stage: t.stage,
    asOf,
    title: t.title,
    titleLabel: titleLabel(t.title),
    titleDate: t.titleDate,
    target: target?.to ?? null,
    targetLabel: target ? titleLabel(target.to) : null,
    eligible: reasons.length === 0,
    reasons,
    lastCycle,
    currentCycle,
    source,
    assumptions: rules.assumptions ?? [],
  };
}
