/**
 * Rule evaluation, pure: a rule plus the facts about one subject (teacher, school, region, project)
 * give a result with a plain-Chinese explanation. No I/O here, so every rule kind is unit- and
 * property-testable; the compliance module fetches the facts in SQL and calls these.
 */
import { CATEGORIES, EDUCATION, MANDARIN_LEVELS, PROJECT_FORMS, STAGES, TEACHER_ROLES } from '../../platform/vocab.js';
import {
  dueSoonDays,
  FUNDING_METRICS,
  OPEN_END,
  TARGET_METRICS,
  ruleUnit,
  type CredentialRule,
  type FundingRule,
  type HoursRule,
  type ParticipationRule,
  type PlanContentRule,
  type Policy,
  type Rule,
  type Selector,
  type StaffingRule,
  type TargetRule,
} from './policy.format.js';
import {
  addDays,
  ceil1,
  daysBetween,
  maxDate,
  minDate,
  monthsCovered,
  monthsTouched,
  resolveWindow,
  round1,
  yearOf,
  type Interval,
  type IsoDate,
  type ResolvedWindow,
  type WindowResolution,
} from './policy.windows.js';

import type { Status } from './policy.status.js';

export { STATUS_LABELS, isOpen, type Status } from './policy.status.js';

/** What the evaluation functions read of a policy: its period and its reminder settings (临期 days). */
export type PolicyFrame = Pick<Policy, 'period'> & Partial<Pick<Policy, 'reminders'>>;

export interface TeacherFacts {
  id: number;
  name: string;
  orgId: number;
  orgPath: string;
  stage: string;
  subjects: string[];
  hireDate: IsoDate | null;
  employment: string;
  mandarinLevel: string | null;
  certificates: string[];
  qualificationStage: string | null;
  qualificationSubject: string | null;
  qualificationExpiry: IsoDate | null;
  keyLevel: string | null;
  roles: { role: string; since: IsoDate | null; until: IsoDate | null }[];
  /** 学历 (EDUCATION code) as held on the evaluation date; read by educationAtLeast selectors. */
  education?: string | null;
}

/** 学历 levels in order (EDUCATION codes): a selector's educationAtLeast holds for this level and above. */
export const EDUCATION_RANK: Record<string, number> = { secondary: 0, associate: 1, bachelor: 2, master: 3, doctor: 4 };
export const educationAtLeast = (held: string | null | undefined, min: string) =>
  held != null && (EDUCATION_RANK[held] ?? -1) >= (EDUCATION_RANK[min] ?? Number.POSITIVE_INFINITY);

/** One rule's verdict on one subject. Numbers are in ruleUnit(rule); ratios are 0..1. */
export interface RuleResult {
  status: Status;
  required: number | null;
  done: number | null;
  shortfall: number | null;
  window: ResolvedWindow | null;
  deadline: IsoDate | null;
  /**
   * The deadline has been reached — it is today or has passed — or the requirement holds at once: the result
   * counts in the 达标率 (met or not). Unmet on the deadline day itself is still 临期; the day after, 未达标.
   */
  due: boolean;
  /** Days from the evaluation date to the deadline (0 on the deadline day, negative once passed); null without one. */
  daysLeft: number | null;
  /** For windowed counts not yet due: what a linear pace through the window would have done by now. */
  pace: Pace | null;
  explanation: string;
}

/** Due for the 达标率: the deadline has passed or is today. */
const reached = (passed: boolean, daysLeft: number | null) => passed || daysLeft === 0;

/** Linear pace: `expected` = required × days of the window elapsed (the evaluation day included) ÷ days of the window. */
export interface Pace {
  expected: number;
  /** done < expected. */
  behind: boolean;
}

/**
 * The outcome of a requirement: met → compliant; else deadline passed → overdue (未达标); else within `soonDays` of the
 * deadline (the boundary day included) → dueSoon (临期); else inProgress (进行中).
 */
export function outcomeOf(met: boolean, passed: boolean, daysLeft: number | null, soonDays: number): Status {
  if (met) return 'compliant';
  if (passed) return 'overdue';
  return daysLeft !== null && daysLeft <= soonDays ? 'dueSoon' : 'inProgress';
}

/** Linear pace through [from, to] on `on` for `required`, given `done`. */
export function paceOn(from: IsoDate, to: IsoDate, on: IsoDate, required: number, done: number): Pace {
  const total = daysBetween(from, to) + 1;
  const elapsed = Math.min(total, Math.max(0, daysBetween(from, on) + 1));
  const expected = round1((required * elapsed) / total);
  return { expected, behind: done < expected };
}

/** '剩余 12 天（截止 2025-12-31）' or '今天截止（2025-12-31）'. */
const leftText = (daysLeft: number, deadline: IsoDate) => (daysLeft === 0 ? `今天截止（${deadline}）` : `剩余 ${daysLeft} 天（截止 ${deadline}）`);

/** ', 截止 … 已过' once due; ', 剩余 M 天（截止 …）' before. */
const dueTail = (daysLeft: number | null, deadline: IsoDate | null) =>
  deadline === null ? '' : daysLeft !== null && daysLeft >= 0 ? `，${leftText(daysLeft, deadline)}` : deadlineTail(deadline, true);

/** Where "now" is for a policy: the evaluation date clamped into the policy period. */
export interface Clock {
  asOf: IsoDate;
  on: IsoDate;
  state: 'notStarted' | 'active' | 'ended';
}

export function policyClock(policy: PolicyFrame, asOf: IsoDate): Clock {
  if (asOf < policy.period.from) return { asOf, on: policy.period.from, state: 'notStarted' };
  if (asOf > policy.period.to) return { asOf, on: policy.period.to, state: 'ended' };
  return { asOf, on: asOf, state: 'active' };
}

const fmt = (n: number) => String(round1(n));
const pct = (x: number) => `${round1(x * 100)}%`;
const labelOf = (rule: Rule) => rule.label ?? rule.title;

function notInForce(clock: Clock, policy: PolicyFrame): RuleResult | null {
  if (clock.state !== 'notStarted') return null;
  return result('notApplicable', { explanation: `政策自 ${policy.period.from} 起实施，尚未生效` });
}

function result(status: Status, r: Partial<RuleResult> & { explanation: string }): RuleResult {
  return { status, required: null, done: null, shortfall: null, window: null, deadline: null, due: false, daysLeft: null, pace: null, ...r };
}

/** Not applicable, with a reason (the engine's region targets below the region). */
export function notApplicable(explanation: string): RuleResult {
  return result('notApplicable', { explanation });
}

/**
 * Every 'noData' explanation starts with 暂无数据 and says what is missing and where it would come
 * from (a page of the platform, the teacher record, a new policy version).
 */
export const NO_DATA = '暂无数据：';

/** Where region figures and funding figures are entered (engineer B's page). */
export const FIGURES_PAGE = '“目标与经费数据”';

function noData(what: string, r: Partial<RuleResult> = {}): RuleResult {
  return result('noData', { ...r, explanation: `${NO_DATA}${what}` });
}

function openFigureResult(rule: Rule): RuleResult {
  const said = (rule.openFigure ?? '').replace(/[。；;，,\s]+$/, '');
  return noData(`原文未给出具体数字${said ? `（${said}）` : ''}，平台不作判定；地区明确数字后，在“政策管理”中发布写明数字的新版本即可自动判定`);
}

/** A window label as the start of a sentence: a space after a date so it never runs into the next word. */
const lead = (w: { label: string }) => (/\d$/.test(w.label) ? `${w.label} ` : w.label);

/** '，截止 2025-12-31' or '，截止 2025-12-31 已过'. */
const deadlineTail = (deadline: IsoDate, passed: boolean) => `，截止 ${deadline}${passed ? ' 已过' : ''}`;

// ---------------------------------------------------------------- selectors

const QUAL_RANK: Record<string, number> = { kindergarten: 0, primary: 1, junior: 2, senior: 3 };

/**
 * 教师资格 covers the teacher's stage: same or higher level (教师资格条例 第五条: 本级及其以下等级);
 * vocational needs a vocational or senior qualification; special education accepts any school level.
 */
export function qualificationCoversStage(qualStage: string | null, teacherStage: string): boolean {
  if (!qualStage) return false;
  if (qualStage === teacherStage) return true;
  if (teacherStage === 'vocational') return qualStage === 'senior';
  if (teacherStage === 'special') return qualStage in QUAL_RANK;
  return teacherStage in QUAL_RANK && qualStage in QUAL_RANK && QUAL_RANK[qualStage] >= QUAL_RANK[teacherStage];
}

/** 科证相符: the certificate's subject is one the teacher teaches (kindergarten teachers have no subject certificate). */
export function qualificationMatchesSubject(t: Pick<TeacherFacts, 'qualificationSubject' | 'subjects' | 'stage'>): boolean {
  if (!t.qualificationSubject) return false;
  if (t.stage === 'kindergarten') return true;
  return t.subjects.includes(t.qualificationSubject);
}

const overlaps = (i: Interval, from: IsoDate, to: IsoDate) => (i.from ?? from) <= to && (i.to ?? to) >= from;

/**
 * Whether a teacher is selected, judged over [from, to] (a role counts if held on any day of it),
 * and the intervals of that membership (for pro-rating). `period` defines who is a new teacher.
 */
const NOT_SELECTED: { selected: boolean; intervals: Interval[] } = Object.freeze({ selected: false, intervals: [] as Interval[] });

export function selectorMembership(
  sel: Selector,
  t: TeacherFacts,
  from: IsoDate,
  to: IsoDate,
  period: Policy['period'],
): { selected: boolean; intervals: Interval[] } {
  if (t.hireDate && t.hireDate > to) return NOT_SELECTED;
  const r = membership(sel, t, from, to, period);
  return r ?? { selected: true, intervals: [{ from: t.hireDate, to: null }] };
}

/** null: selected, membership = employment since the hire date; else the verdict with its intervals. */
function membership(sel: Selector, t: TeacherFacts, from: IsoDate, to: IsoDate, period: Policy['period']): { selected: boolean; intervals: Interval[] } | null {
  let intervals: Interval[] | null = null;
  if (sel.role) {
    const held = t.roles.filter((r) => sel.role!.includes(r.role as never)).map((r) => ({ from: r.since, to: r.until }));
    const inWindow = held.filter((i) => overlaps(i, from, to));
    if (!inWindow.length) return NOT_SELECTED;
    // Role tenure, but never before the hire date.
    intervals = inWindow.map((i) => ({ from: i.from && t.hireDate ? maxDate(i.from, t.hireDate) : (i.from ?? t.hireDate), to: i.to }));
  }
  if (sel.stage && !sel.stage.includes(t.stage as never)) return NOT_SELECTED;
  if (sel.subject && !sel.subject.some((s) => t.subjects.includes(s))) return NOT_SELECTED;
  if (sel.notSubject && sel.notSubject.some((s) => t.subjects.includes(s))) return NOT_SELECTED;
  if (sel.onlySubject && !(t.subjects.length === 1 && t.subjects[0] === sel.onlySubject)) return NOT_SELECTED;
  if (sel.newTeacher && !(t.roles.some((r) => r.role === 'newTeacher') || (t.hireDate !== null && t.hireDate >= period.from))) return NOT_SELECTED;
  if (sel.keyTeacher !== undefined && (t.keyLevel !== null) !== sel.keyTeacher) return NOT_SELECTED;
  if (sel.qualificationMatch !== undefined && qualificationMatchesSubject(t) !== sel.qualificationMatch) return NOT_SELECTED;
  if (sel.employment && t.employment !== sel.employment) return NOT_SELECTED;
  if (sel.educationAtLeast && !educationAtLeast(t.education, sel.educationAtLeast)) return NOT_SELECTED;
  return intervals ? { selected: true, intervals } : null;
}

/** Selected on one day (staffing counts are a snapshot). */
export const selectedOn = (sel: Selector, t: TeacherFacts, on: IsoDate, period: Policy['period']) => selectorMembership(sel, t, on, on, period).selected;

const selectorText = new WeakMap<Selector, string>();

/** A short Chinese description of a selector, for explanations and the dashboard (memoised per selector). */
export function describeSelector(sel: Selector): string {
  let text = selectorText.get(sel);
  if (text === undefined) selectorText.set(sel, (text = describe(sel)));
  return text;
}

function describe(sel: Selector): string {
  if (sel.all) return '全体教师';
  const parts: string[] = [];
  if (sel.stage) parts.push(sel.stage.map((s) => STAGES[s]).join('、'));
  if (sel.subject) parts.push(`${sel.subject.join('、')}教师`);
  if (sel.onlySubject) parts.push(`专职${sel.onlySubject}教师`);
  if (sel.notSubject) parts.push(`非${sel.notSubject.join('、')}教师`);
  if (sel.role) parts.push(sel.role.map((r) => TEACHER_ROLES[r]).join('或'));
  if (sel.newTeacher) parts.push('新入职教师');
  if (sel.keyTeacher !== undefined) parts.push(sel.keyTeacher ? '骨干教师' : '非骨干教师');
  if (sel.qualificationMatch !== undefined) parts.push(sel.qualificationMatch ? '科证相符' : '科证不符');
  if (sel.employment) parts.push(sel.employment === 'staff' ? '在编' : '非在编');
  if (sel.educationAtLeast) parts.push(`${EDUCATION[sel.educationAtLeast]}及以上学历`);
  return parts.join('，') || '教师';
}

// ---------------------------------------------------------------- hours

const monthsInWindow = new WeakMap<ResolvedWindow, number>();

export interface HoursPlan {
  window: ResolvedWindow;
  /** The part of the window counted as of the evaluation date: [window.from, min(window.to, on)]. */
  countFrom: IsoDate;
  countTo: IsoDate;
  required: number;
  prorated: { months: number; of: number } | null;
  /** 临期 from this many days before the window's end (dueSoonDays of the policy and rule). */
  soonDays: number;
}

/**
 * Which window a teacher is judged in and how many hours are required (pro-rated by month of
 * membership when the rule says so). null: the rule does not apply to this teacher now.
 */
export function planHours(
  rule: HoursRule,
  t: TeacherFacts,
  policy: PolicyFrame,
  clock: Clock,
  /** The rule's window when it is the same for every teacher (resolved once by the caller). */
  shared?: WindowResolution,
): { plan: HoursPlan } | { skip: RuleResult } {
  const nf = notInForce(clock, policy);
  if (nf) return { skip: nf };
  // Hire-relative windows are per teacher: rule out the unselected before doing date arithmetic
  // (selection over the whole period so far is a superset of selection over any window in it).
  if (
    rule.window.afterHire &&
    t.hireDate &&
    t.hireDate <= clock.on &&
    !selectorMembership(rule.who, t, minDate(policy.period.from, addDays(t.hireDate, -rule.window.afterHire.leadDays)), clock.on, policy.period).selected
  )
    return { skip: result('notApplicable', { explanation: `不属于“${describeSelector(rule.who)}”` }) };
  const wr = shared && !rule.window.afterHire ? shared : resolveWindow(rule.window, policy.period, clock.on, t.hireDate);
  if (!wr.ok) {
    return {
      skip:
        wr.reason === 'noHireDate'
          ? noData(`未登记入职日期，无法确定“入职 ${rule.window.afterHire!.years} 年内”的统计期（在“教师信息”中补录入职日期）`)
          : result('notApplicable', { explanation: '尚未入职' }),
    };
  }
  const w = wr.window;
  const m = selectorMembership(rule.who, t, w.from, minDate(w.to, clock.on), policy.period);
  if (!m.selected) return { skip: result('notApplicable', { window: w, explanation: `不属于“${describeSelector(rule.who)}”` }) };
  if (rule.atLeast === null) return { skip: { ...openFigureResult(rule), window: w } };
  let required = rule.atLeast;
  let prorated: HoursPlan['prorated'] = null;
  if (rule.prorate === 'month' && !rule.window.afterHire) {
    let of = monthsInWindow.get(w);
    if (of === undefined) monthsInWindow.set(w, (of = monthsTouched(w.from, w.to)));
    const months = monthsCovered(w, m.intervals);
    if (months < of) {
      required = ceil1((rule.atLeast * months) / of);
      prorated = { months, of };
    }
  }
  return { plan: { window: w, countFrom: w.from, countTo: minDate(w.to, clock.on), required, prorated, soonDays: dueSoonDays(policy, rule) } };
}

/**
 * Judge an hours rule from the hours (or days) done in plan.countFrom..countTo. Due once the evaluation
 * date is past the window's end; a rolling window ends on the evaluation date itself and is always due.
 */
export function judgeHours(rule: HoursRule, plan: HoursPlan, done: number, clock: Clock): RuleResult {
  const unit = rule.unit === 'days' ? '天' : '学时';
  const label = labelOf(rule);
  const d = round1(done);
  const short = Math.max(0, round1(plan.required - d));
  const w = plan.window;
  const daysLeft = daysBetween(clock.asOf, w.to);
  const passed = daysLeft < 0 || rule.window.rolling !== undefined;
  const status = outcomeOf(short <= 0, passed, daysLeft, plan.soonDays);
  const notes = [
    plan.prorated && `统计期内在岗 ${plan.prorated.months}/${plan.prorated.of} 个月，按月折算应完成 ${fmt(plan.required)} ${unit}`,
    rule.forms && `只计${formsLabel(rule.forms)}项目的学时`,
  ].filter(Boolean);
  const base = { required: plan.required, done: d, shortfall: short, window: w, deadline: w.to, due: reached(passed, daysLeft), daysLeft };
  if (status === 'compliant')
    return result('compliant', {
      ...base,
      explanation: `已完成 ${fmt(d)}/${fmt(plan.required)} ${unit} ${label}，达标（${[`统计期 ${w.label}`, ...notes].join('；')}）`,
    });
  const why = notes.length ? `（${notes.join('；')}）` : '';
  if (status === 'overdue') return result('overdue', { ...base, explanation: `还差 ${fmt(short)} ${unit} ${label}${deadlineTail(w.to, daysLeft < 0)}${why}` });
  const pace = paceOn(w.from, w.to, clock.asOf, plan.required, d);
  return result(status, { ...base, pace, explanation: `还需 ${fmt(short)} ${unit} ${label}，${leftText(daysLeft, w.to)}；${paceText(pace, d, unit)}${why}` });
}

/** '按进度此时应完成 12 学时，落后 4 学时' / '…，进度正常'. */
function paceText(pace: Pace, done: number, unit: string): string {
  return `按进度此时应完成 ${fmt(pace.expected)} ${unit}，${pace.behind ? `落后 ${fmt(pace.expected - done)} ${unit}` : '进度正常'}`;
}

/** '集中培训、跟岗学习'. */
export const formsLabel = (forms: readonly string[]) => forms.map((f) => PROJECT_FORMS[f as keyof typeof PROJECT_FORMS] ?? f).join('、');

/** A ledger entry as the pure evaluator sees it (tests and the SQL cross-check). */
export interface Entry {
  hours: number;
  category: string;
  occurredOn: IsoDate;
  /** Form of the project the entry was recognised from; null/absent for claims, imports, school-based. */
  form?: string | null;
}

/**
 * What an hours rule counts from a teacher's entries: net hours of the rule's categories in
 * [from, to], or for unit days the number of distinct days whose net hours are positive.
 * Reversing entries (negative hours, same date and category) cancel exactly. With `forms`, only
 * entries from projects of those forms count.
 */
export function measureEntries(
  rule: Pick<HoursRule, 'categories' | 'unit'> & Partial<Pick<HoursRule, 'forms'>>,
  entries: Entry[],
  from: IsoDate,
  to: IsoDate,
): number {
  const forms = rule.forms;
  const inRule = entries.filter(
    (e) =>
      e.occurredOn >= from &&
      e.occurredOn <= to &&
      (rule.categories === 'any' || rule.categories.includes(e.category as never)) &&
      (!forms || (e.form != null && forms.includes(e.form as never))),
  );
  if (rule.unit === 'days') {
    const byDay = new Map<string, number>();
    // Tenths as integers so +x and -x cancel without float residue.
    for (const e of inRule) byDay.set(e.occurredOn, (byDay.get(e.occurredOn) ?? 0) + Math.round(e.hours * 10));
    return [...byDay.values()].filter((h) => h > 0).length;
  }
  return inRule.reduce((s, e) => s + Math.round(e.hours * 10), 0) / 10;
}

/** Plan + measure + judge for one teacher from raw entries (used by tests; the engine measures in SQL). */
export function evaluateHoursFromEntries(rule: HoursRule, t: TeacherFacts, entries: Entry[], policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const p = planHours(rule, t, policy, clock);
  if ('skip' in p) return p.skip;
  return judgeHours(rule, p.plan, measureEntries(rule, entries, p.plan.countFrom, p.plan.countTo), clock);
}

export function categoriesLabel(rule: Pick<HoursRule, 'categories'>): string {
  return rule.categories === 'any' ? '全部类别' : rule.categories.map((c) => CATEGORIES[c]).join('、');
}

// ---------------------------------------------------------------- credential

/** Teacher columns a credential rule reads, and their TeacherFacts names. */
export const CREDENTIAL_COLUMNS = {
  mandarin_level: 'mandarinLevel',
  certificates: 'certificates',
  qualification_stage: 'qualificationStage',
  qualification_subject: 'qualificationSubject',
  qualification_expiry: 'qualificationExpiry',
  education: 'education',
} as const satisfies Record<string, keyof TeacherFacts>;
export type CredentialColumn = keyof typeof CREDENTIAL_COLUMNS;

/** One row of a teacher's change history (teacher_changes): when, and which columns went from what to what. */
export interface TeacherChange {
  at: Date | string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** The first instant after `on` (a Beijing calendar day): changes at or after it happened after that day. */
export const endOfDayChina = (on: IsoDate) => new Date(`${addDays(on, 1)}T00:00:00+08:00`);

/**
 * A change row that records the teacher's first registration (every field from null, the 身份证号 mask
 * among them). Its values are taken as already held before: the platform knows no earlier state, and
 * registering a teacher is not obtaining a credential.
 */
export const isCreation = (c: TeacherChange) => 'national_id_mask' in c.changes && c.changes.national_id_mask?.from == null;

/**
 * The credential columns as they were at the end of day `on`: for each column, the `from` of the first
 * later (non-creation) change that touched it, else the current value. Pure mirror of the engine's
 * one-query reconstruction (compliance.repository credentialsAsOf).
 */
export function credentialOverridesOn(history: TeacherChange[], on: IsoDate): Partial<Record<CredentialColumn, unknown>> {
  const cutoff = endOfDayChina(on).getTime();
  const later = history.filter((c) => new Date(c.at).getTime() >= cutoff && !isCreation(c)).sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  const out: Partial<Record<CredentialColumn, unknown>> = {};
  for (const c of later)
    for (const col of Object.keys(CREDENTIAL_COLUMNS) as CredentialColumn[]) if (col in c.changes && !(col in out)) out[col] = c.changes[col].from;
  return out;
}

/** The teacher with credential columns replaced by their earlier values (null stays null; certificates default to none). */
export function withCredentials<T extends TeacherFacts>(t: T, overrides: Partial<Record<CredentialColumn, unknown>> | undefined): T {
  if (!overrides) return t;
  const out = { ...t };
  for (const [col, v] of Object.entries(overrides) as [CredentialColumn, unknown][]) {
    const key = CREDENTIAL_COLUMNS[col];
    if (key === 'certificates') out.certificates = Array.isArray(v) ? (v as string[]) : [];
    else (out as Record<string, unknown>)[key] = typeof v === 'string' ? (key === 'qualificationExpiry' ? v.slice(0, 10) : v) : null;
  }
  return out;
}

const MANDARIN_ORDER = Object.keys(MANDARIN_LEVELS);
const normCert = (s: string) => s.replace(/[\s（）()【】·]/g, '');

export function evaluateCredential(rule: CredentialRule, t: TeacherFacts, policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  if (!selectorMembership(rule.who, t, clock.on, clock.on, policy.period).selected)
    return result('notApplicable', { explanation: `不属于“${describeSelector(rule.who)}”` });
  // Without a deadline the requirement holds at once.
  const deadline = rule.deadline ?? null;
  const daysLeft = deadline === null ? null : daysBetween(asOf, deadline);
  const passed = daysLeft === null || daysLeft < 0;
  const tail = deadline === null ? '，应即时满足' : dueTail(daysLeft, deadline);
  const req = rule.require;
  let held: boolean;
  let need: string;
  let now: string;
  let met: string;
  if (req.mandarin) {
    const want = MANDARIN_ORDER.indexOf(req.mandarin.atLeast);
    const have = t.mandarinLevel ? MANDARIN_ORDER.indexOf(t.mandarinLevel) : -1;
    held = have >= 0 && have <= want;
    const level = t.mandarinLevel ? (MANDARIN_LEVELS[t.mandarinLevel as keyof typeof MANDARIN_LEVELS] ?? t.mandarinLevel) : null;
    need = `普通话需达到${MANDARIN_LEVELS[req.mandarin.atLeast]}`;
    now = level ? `现为${level}` : '未登记普通话等级';
    met = `普通话已达到${MANDARIN_LEVELS[req.mandarin.atLeast]}（现为${level}）`;
  } else if (req.certificate) {
    const wants = req.certificate.anyOf.map(normCert);
    const found = t.certificates.find((c) => wants.some((w) => normCert(c).includes(w)));
    held = found !== undefined;
    need = `需取得${req.certificate.anyOf[0]}证书`;
    now = t.certificates.length ? `现有${t.certificates.join('、')}` : '未登记相关证书';
    met = `已取得${found}证书`;
  } else {
    const q = req.qualification!;
    const okStage = !q.stage || qualificationCoversStage(t.qualificationStage, t.stage);
    const okSubject = !q.subject || qualificationMatchesSubject(t);
    const okExpiry = !q.unexpired || (t.qualificationExpiry !== null && t.qualificationExpiry >= clock.on);
    held = okStage && okSubject && okExpiry;
    need = '需持有与任教学段、学科相符的教师资格证';
    const problems = [!okStage && '资格证学段不符或未登记', !okSubject && '资格证学科与任教学科不符或未登记', !okExpiry && '定期注册已过有效期'].filter(
      Boolean,
    );
    now = problems.join('，');
    met = '已持有与任教学段、学科相符的教师资格证';
  }
  const base = { required: 1, done: held ? 1 : 0, shortfall: held ? 0 : 1, deadline, due: reached(passed, daysLeft), daysLeft };
  if (held) return result('compliant', { ...base, explanation: met });
  return result(outcomeOf(false, passed, daysLeft, dueSoonDays(policy, rule)), { ...base, explanation: `${need}（${now}）${tail}` });
}

// ---------------------------------------------------------------- staffing

export interface StaffingFacts {
  /** Teachers of the school (or of the whole region for per: region), active on the evaluation date. */
  teachers: TeacherFacts[];
}

export function staffingApplies(rule: StaffingRule, schoolStage: string | null): boolean {
  return !rule.schools?.stage || (schoolStage !== null && rule.schools.stage.includes(schoolStage as never));
}

export function evaluateStaffing(rule: StaffingRule, f: StaffingFacts, policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  if (rule.atLeast === null) return openFigureResult(rule);
  // Without its own deadline a staffing rule is due at the end of the policy period (never for an open-ended one).
  const deadline = rule.deadline ?? (policy.period.to === OPEN_END ? null : policy.period.to);
  const daysLeft = deadline === null ? null : daysBetween(asOf, deadline);
  const passed = daysLeft !== null && daysLeft < 0;
  const tail = rule.deadline ? dueTail(daysLeft, rule.deadline) : passed ? `，实施期已于 ${deadline} 结束` : '';
  const soon = dueSoonDays(policy, rule);
  const verdict = (ok: boolean) => outcomeOf(ok, passed, daysLeft, soon);
  const upper = rule.atMost;
  if (rule.count) {
    const n = f.teachers.filter((t) => selectedOn(rule.count!, t, clock.on, policy.period)).length;
    const who = describeSelector(rule.count);
    const ok = n >= rule.atLeast && (upper === undefined || n <= upper);
    const base = { required: rule.atLeast, done: n, shortfall: Math.max(0, rule.atLeast - n), deadline, due: reached(passed, daysLeft), daysLeft };
    if (ok) return result('compliant', { ...base, explanation: `现有${who} ${n} 人，达到至少 ${rule.atLeast} 人的要求` });
    if (upper !== undefined && n > upper) return result(verdict(false), { ...base, explanation: `现有${who} ${n} 人，超过上限 ${upper} 人${tail}` });
    return result(verdict(false), { ...base, explanation: `还差 ${rule.atLeast - n} 人 ${who}（现有 ${n} 人，应至少 ${rule.atLeast} 人）${tail}` });
  }
  const { of, having } = rule.ratio!;
  const den = f.teachers.filter((t) => selectedOn(of, t, clock.on, policy.period));
  if (den.length === 0) return result('notApplicable', { explanation: `没有${describeSelector(of)}` });
  const num = den.filter((t) => selectedOn(having, t, clock.on, policy.period)).length;
  const ratio = num / den.length;
  const ok = ratio + 1e-9 >= rule.atLeast && (upper === undefined || ratio <= upper + 1e-9);
  const needed = Math.max(0, Math.ceil(rule.atLeast * den.length - 1e-9) - num);
  const base = { required: rule.atLeast, done: ratio, shortfall: ok ? 0 : rule.atLeast - ratio, deadline, due: reached(passed, daysLeft), daysLeft };
  const desc = `${describeSelector(having)}占${describeSelector(of)} ${pct(ratio)}（${num}/${den.length}）`;
  if (ok) return result('compliant', { ...base, explanation: `${desc}，达到 ${pct(rule.atLeast)} 的要求` });
  if (upper !== undefined && ratio > upper + 1e-9) return result(verdict(false), { ...base, explanation: `${desc}，超过上限 ${pct(upper)}${tail}` });
  return result(verdict(false), { ...base, explanation: `${desc}，低于 ${pct(rule.atLeast)}，还差 ${needed} 人${tail}` });
}

// ---------------------------------------------------------------- target

/** Values recorded (or computed) per year; a missing year is "no data", never zero. */
export type YearValues = Map<number, number>;

/** A year's manual figure that replaces the platform's (records metrics): shown as 手工填报（覆盖平台记录）. */
export interface TargetOverrideNote {
  value: number;
  platform: number;
  reason: string;
  recordedBy: string | null;
  recordedAt: string;
}

/** "其中 2024 年为手工填报（覆盖平台记录）：12 个（平台记录 3 个），张三 2025-01-05 录入，原因：…" for the years used. */
export function overrideText(overrides: Map<number, TargetOverrideNote>, years: number[], unit: string): string {
  const used = years.filter((y) => overrides.has(y));
  if (!used.length) return '';
  const parts = used.map((y) => {
    const o = overrides.get(y)!;
    const at = new Date(new Date(o.recordedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    return `${y} 年为手工填报（覆盖平台记录）：${fmt(o.value)} ${unit}（平台记录 ${fmt(o.platform)} ${unit}），${o.recordedBy ?? '（未知）'} ${at} 录入，原因：${o.reason}`;
  });
  return `；其中 ${parts.join('；')}`;
}

export function evaluateTarget(
  rule: TargetRule,
  values: YearValues,
  policy: PolicyFrame,
  asOf: IsoDate,
  overrides: Map<number, TargetOverrideNote> = new Map(),
): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  if (rule.atLeast === null) return openFigureResult(rule);
  const label = TARGET_METRICS[rule.metric].label;
  const unit = ruleUnit(rule);
  const y = yearOf(clock.on);
  let value: number;
  let deadline: IsoDate;
  let what: string;
  let gaps = '';
  if (rule.aggregate === 'perYear') {
    deadline = rule.deadline ?? `${y}-12-31`;
    if (!values.has(y)) return noData(targetMissing(rule, `${y} 年`), { required: rule.atLeast, deadline });
    value = values.get(y)!;
    what = `${y} 年 ${label}`;
  } else {
    const { from, to } = rule.years!;
    deadline = rule.deadline ?? `${to}-12-31`;
    const last = Math.min(y, to);
    const years = Array.from({ length: Math.max(0, last - from + 1) }, (_, i) => from + i);
    const known = years.filter((yy) => values.has(yy));
    if (!known.length) return noData(targetMissing(rule, last > from ? `${from}—${last} 年` : `${from} 年`), { required: rule.atLeast, deadline });
    const sum = known.reduce((s, yy) => s + values.get(yy)!, 0);
    value = rule.aggregate === 'cumulative' ? sum : sum / known.length;
    const span = (a: number, b: number) => (a === b ? `${a} 年` : `${a}—${b} 年`);
    what = rule.aggregate === 'cumulative' ? `${span(from, last)}累计 ${label}` : `${span(known[0], known[known.length - 1])}年均 ${label}`;
    const missing = years.filter((yy) => !values.has(yy));
    if (missing.length) gaps = `（${missing.join('、')} 年尚未录入，未计入）`;
  }
  const ok = value >= rule.atLeast;
  const daysLeft = daysBetween(asOf, deadline);
  const passed = daysLeft < 0;
  const base = {
    required: rule.atLeast,
    done: round1(value),
    shortfall: Math.max(0, round1(rule.atLeast - value)),
    deadline,
    due: reached(passed, daysLeft),
    daysLeft,
  };
  const manual = overrideText(
    overrides,
    rule.aggregate === 'perYear' ? [y] : [...values.keys()].filter((yy) => yy >= rule.years!.from && yy <= Math.min(y, rule.years!.to)).sort((a, b) => a - b),
    unit,
  );
  if (ok) return result('compliant', { ...base, explanation: `${what} ${fmt(value)} ${unit}，达到 ${rule.atLeast} ${unit}的目标${gaps}${manual}` });
  return result(outcomeOf(false, passed, daysLeft, dueSoonDays(policy, rule)), {
    ...base,
    explanation: `${what} ${fmt(value)} ${unit}，距目标 ${rule.atLeast} ${unit}还差 ${fmt(rule.atLeast - value)} ${unit}${dueTail(daysLeft, deadline)}${gaps}${manual}`,
  });
}

/** Why a target has no value: what the registry or the platform's records would count, or a figure nobody entered. */
function targetMissing(rule: TargetRule, when: string): string {
  const m = TARGET_METRICS[rule.metric];
  if (m.source === 'records') {
    const from = rule.metric === 'keyTeachersTracked' ? '“骨干教师评选”的认定记录' : '“工作室”的命名记录';
    return `${when} ${m.label}无法统计（由${from}统计；平台以外的数据可在${FIGURES_PAGE}中手工覆盖）`;
  }
  const from = rule.metric === 'teachersHired' ? '“教师信息”中登记的入职日期' : '“培训项目”的报名记录';
  return `${when} ${m.label}无法统计（由${from}统计）`;
}

// ---------------------------------------------------------------- participation

export interface SessionFacts {
  sessionId: number;
  date: IsoDate;
  title: string;
  projectName: string;
  attended: number;
}

/** Every session of the qualifying trainings must reach the rate, counted against all selected teachers. */
export function evaluateSessionRate(rule: ParticipationRule, sessions: SessionFacts[], population: number, policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  if (rule.atLeast === null) return openFigureResult(rule);
  const wr = resolveWindow(rule.window, policy.period, clock.on);
  if (!wr.ok) return noData('参训率按全区域统计，不能使用按入职日期计算的窗口（afterHire）；请在政策文件中改用 every / period 等窗口');
  const w = wr.window;
  const held = sessions.filter((s) => s.date >= w.from && s.date <= minDate(w.to, clock.on));
  if (population === 0) return result('notApplicable', { window: w, explanation: `没有应参训的${describeSelector(rule.who)}` });
  const what = trainingsLabel(rule);
  if (!held.length)
    return noData(`${lead(w)}尚未举行${what}场次（在“培训项目”中安排场次，教师扫码签到后按考勤统计）`, { window: w, required: rule.atLeast, deadline: w.to });
  const rates = held.map((s) => ({ s, rate: s.attended / population }));
  const low = rates.filter((r) => r.rate + 1e-9 < rule.atLeast!);
  const min = rates.reduce((a, b) => (b.rate < a.rate ? b : a));
  // Each session is judged once held: a session below the rate is a failure already, whatever the window's end.
  const base = {
    required: rule.atLeast,
    done: min.rate,
    shortfall: low.length ? rule.atLeast - min.rate : 0,
    window: w,
    deadline: w.to,
    due: true,
    daysLeft: daysBetween(asOf, w.to),
  };
  if (!low.length)
    return result('compliant', { ...base, explanation: `${lead(w)}共 ${held.length} 场${what}，参训率均达到 ${pct(rule.atLeast)}（最低 ${pct(min.rate)}）` });
  return result('overdue', {
    ...base,
    explanation: `${lead(w)}共 ${held.length} 场${what}，有 ${low.length} 场参训率低于 ${pct(rule.atLeast)}（最低 ${pct(min.rate)}：「${min.s.projectName}」${min.s.title}，${min.s.date}）`,
  });
}

/** '集中培训' (the forms a participation rule counts), or '培训' for every form. */
function trainingsLabel(rule: ParticipationRule): string {
  return rule.trainings.forms ? formsLabel(rule.trainings.forms) : '培训';
}

/** Sessions a teacher attended of the qualifying trainings in the window. */
export function evaluateSessionsPerTeacher(rule: ParticipationRule, t: TeacherFacts, attended: number, policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  const wr = resolveWindow(rule.window, policy.period, clock.on, t.hireDate);
  if (!wr.ok) {
    if (wr.reason === 'notHiredYet') return result('notApplicable', { explanation: '尚未入职' });
    return noData(`未登记入职日期，无法确定“入职 ${rule.window.afterHire!.years} 年内”的统计期（在“教师信息”中补录入职日期）`);
  }
  const w = wr.window;
  if (!selectorMembership(rule.who, t, w.from, minDate(w.to, clock.on), policy.period).selected)
    return result('notApplicable', { window: w, explanation: `不属于“${describeSelector(rule.who)}”` });
  if (rule.atLeast === null) return { ...openFigureResult(rule), window: w };
  const short = Math.max(0, rule.atLeast - attended);
  const daysLeft = daysBetween(asOf, w.to);
  const passed = daysLeft < 0 || rule.window.rolling !== undefined;
  const status = outcomeOf(!short, passed, daysLeft, dueSoonDays(policy, rule));
  const base = { required: rule.atLeast, done: attended, shortfall: short, window: w, deadline: w.to, due: reached(passed, daysLeft), daysLeft };
  const label = labelOf(rule);
  if (status === 'compliant')
    return result('compliant', { ...base, explanation: `已参加 ${attended}/${rule.atLeast} 场次 ${label}，达标（统计期 ${w.label}）` });
  if (status === 'overdue') return result('overdue', { ...base, explanation: `还差 ${short} 场次 ${label}${deadlineTail(w.to, daysLeft < 0)}` });
  const pace = paceOn(w.from, w.to, asOf, rule.atLeast, attended);
  return result(status, { ...base, pace, explanation: `还需 ${short} 场次 ${label}，${leftText(daysLeft, w.to)}；${paceText(pace, attended, '场次')}` });
}

// ---------------------------------------------------------------- funding

export interface FundingFacts {
  numerator: number | null;
  denominator: number | null;
}

export function evaluateFunding(rule: FundingRule, f: FundingFacts, policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  if (rule.atLeast === null) return openFigureResult(rule);
  const wr = resolveWindow(rule.window, policy.period, clock.on);
  const w = wr.ok ? wr.window : null;
  // Funding figures are kept per year: the window's first year (what the engine looks up).
  const when = `${yearOf(w ? w.from : clock.on)} 年`;
  const num = FUNDING_METRICS[rule.numerator];
  const den = FUNDING_METRICS[rule.denominator];
  if (f.denominator === null || f.numerator === null) {
    const missing = [f.numerator === null && num, f.denominator === null && den].filter(Boolean).join('、');
    return noData(`尚未录入 ${when} ${missing}（在${FIGURES_PAGE}中录入）`, { window: w, required: rule.atLeast, deadline: w?.to ?? null });
  }
  if (f.denominator <= 0)
    return noData(`${when} ${den}为 0，无法计算比例（在${FIGURES_PAGE}中更正）`, { window: w, required: rule.atLeast, deadline: w?.to ?? null });
  const ratio = f.numerator / f.denominator;
  const over = rule.atMost !== undefined && ratio > rule.atMost + 1e-9;
  const ok = ratio + 1e-9 >= rule.atLeast && !over;
  const need = Math.max(0, rule.atLeast * f.denominator - f.numerator);
  const daysLeft = w ? daysBetween(asOf, w.to) : null;
  const passed = daysLeft !== null && daysLeft < 0;
  const base = {
    required: rule.atLeast,
    done: ratio,
    shortfall: ok ? 0 : Math.max(0, rule.atLeast - ratio),
    window: w,
    deadline: w?.to ?? null,
    due: reached(passed, daysLeft),
    daysLeft,
  };
  const tail = w ? dueTail(daysLeft, w.to) : '';
  const status = outcomeOf(ok, passed, daysLeft, dueSoonDays(policy, rule));
  const share = `${when} ${num}占${den} ${pct(ratio)}`;
  if (ok) return result('compliant', { ...base, explanation: `${share}，达到 ${pct(rule.atLeast)} 的要求` });
  if (over) return result(status, { ...base, explanation: `${share}，超过上限 ${pct(rule.atMost!)}${tail}` });
  return result(status, { ...base, explanation: `${share}，低于 ${pct(rule.atLeast)}，还差 ${Math.ceil(need).toLocaleString('zh-CN')} 元${tail}` });
}

// ---------------------------------------------------------------- plan content

export interface ProjectFacts {
  projectId: number;
  name: string;
  orgId: number;
  orgPath: string;
  startDate: IsoDate | null;
  /** Session categories in schedule order (date, start time). */
  moduleCategories: string[];
}

export function evaluatePlanContent(rule: PlanContentRule, p: ProjectFacts, policy: PolicyFrame, asOf: IsoDate): RuleResult {
  const clock = policyClock(policy, asOf);
  const nf = notInForce(clock, policy);
  if (nf) return nf;
  const want = CATEGORIES[rule.module.category];
  if (!p.moduleCategories.length)
    return noData(`「${p.name}」尚未安排培训场次，无法判断培训方案的模块（在“培训项目”的培训方案中安排场次后判定）`, { deadline: p.startDate });
  const first = p.moduleCategories[0];
  const ok = rule.module.position === 'first' ? first === rule.module.category : p.moduleCategories.includes(rule.module.category);
  // Due when the project starts (its plan must be right by then).
  const daysLeft = p.startDate === null ? null : daysBetween(asOf, p.startDate);
  const passed = daysLeft !== null && daysLeft <= 0;
  const base = { required: 1, done: ok ? 1 : 0, shortfall: ok ? 0 : 1, deadline: p.startDate, due: passed, daysLeft };
  if (ok) return result('compliant', { ...base, explanation: `「${p.name}」${rule.module.position === 'first' ? `第一模块为${want}` : `包含${want}模块`}` });
  const firstLabel = CATEGORIES[first as keyof typeof CATEGORIES] ?? first;
  return result(outcomeOf(false, passed, daysLeft, dueSoonDays(policy, rule)), {
    ...base,
    explanation: rule.module.position === 'first' ? `「${p.name}」第一模块应为${want}，现为${firstLabel}` : `「${p.name}」缺少${want}模块`,
  });
}

export { maxDate, minDate };
