import { describe, expect, it } from 'vitest';
import type { CredentialRule, FundingRule, HoursRule, ParticipationRule, PlanContentRule, Policy, StaffingRule, TargetRule } from './policy.format.js';
import {
  evaluateCredential,
  evaluateFunding,
  evaluateHoursFromEntries,
  evaluatePlanContent,
  evaluateSessionRate,
  evaluateSessionsPerTeacher,
  evaluateStaffing,
  evaluateTarget,
  measureEntries,
  policyClock,
  qualificationCoversStage,
  type Entry,
} from './policy.evaluate.js';
import { addYears, monthsCovered, resolveWindow } from './policy.windows.js';
import { parseRule, teacherFacts, TEST_PERIOD } from './policy.fixtures.js';

const policy: Pick<Policy, 'period'> = { period: TEST_PERIOD };
const e = (hours: number, category: string, occurredOn: string): Entry => ({ hours, category, occurredOn });

const homeroom = parseRule<HoursRule>({
  kind: 'hours',
  label: '班主任研修',
  who: { role: 'homeroom' },
  categories: ['homeroom'],
  atLeast: 40,
  window: { every: 'year' },
});
const homeroomTeacher = (since: string | null, until: string | null = null) => teacherFacts({ roles: [{ role: 'homeroom', since, until }] });

describe('windows', () => {
  it('a calendar year ends on 31 December and the next starts on 1 January', () => {
    const dec31 = resolveWindow({ every: 'year' }, TEST_PERIOD, '2024-12-31');
    const jan1 = resolveWindow({ every: 'year' }, TEST_PERIOD, '2025-01-01');
    expect(dec31).toMatchObject({ ok: true, window: { from: '2024-01-01', to: '2024-12-31' } });
    expect(jan1).toMatchObject({ ok: true, window: { from: '2025-01-01', to: '2025-12-31' } });
  });

  it('terms: spring from 1 Feb, autumn from 1 Aug to 31 Jan (leap February included)', () => {
    expect(resolveWindow({ every: 'term' }, TEST_PERIOD, '2024-01-31')).toMatchObject({
      window: { from: '2023-08-01', to: '2024-01-31', label: '2023 年秋季学期' },
    });
    expect(resolveWindow({ every: 'term' }, TEST_PERIOD, '2024-02-01')).toMatchObject({ window: { from: '2024-02-01', to: '2024-07-31' } });
    expect(resolveWindow({ every: 'term' }, TEST_PERIOD, '2024-07-31')).toMatchObject({ window: { to: '2024-07-31' } });
    expect(resolveWindow({ every: 'term' }, TEST_PERIOD, '2024-08-01')).toMatchObject({ window: { from: '2024-08-01', to: '2025-01-31' } });
  });

  it('five-year cycles from an anchor', () => {
    const w = { cycle: { years: 5, anchor: '2021-01-01' } };
    expect(resolveWindow(w, TEST_PERIOD, '2025-12-31')).toMatchObject({ window: { from: '2021-01-01', to: '2025-12-31' } });
    expect(resolveWindow(w, TEST_PERIOD, '2026-01-01')).toMatchObject({ window: { from: '2026-01-01', to: '2030-12-31' } });
    expect(resolveWindow(w, TEST_PERIOD, '2020-12-31')).toMatchObject({ window: { from: '2016-01-01', to: '2020-12-31' } });
  });

  it('leap days: 29 February plus a year is 28 February; a rolling year reaches back to 29 February', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(resolveWindow({ rolling: { years: 1 } }, TEST_PERIOD, '2025-02-28')).toMatchObject({ window: { from: '2024-02-29', to: '2025-02-28' } });
    expect(resolveWindow({ rolling: { years: 1 } }, TEST_PERIOD, '2025-03-01')).toMatchObject({ window: { from: '2024-03-02', to: '2025-03-01' } });
  });

  it('hire-relative windows need a hire date', () => {
    const w = { afterHire: { years: 1, leadDays: 92 } };
    expect(resolveWindow(w, TEST_PERIOD, '2025-06-01', '2024-09-01')).toMatchObject({ window: { from: '2024-06-01', to: '2025-08-31' } });
    expect(resolveWindow(w, TEST_PERIOD, '2025-06-01', null)).toEqual({ ok: false, reason: 'noHireDate' });
  });

  it('counts months covered, a partly covered month as one, overlapping intervals once', () => {
    const y = { from: '2025-01-01', to: '2025-12-31' };
    expect(monthsCovered(y, [{ from: '2025-09-30', to: null }])).toBe(4);
    expect(monthsCovered(y, [{ from: null, to: '2025-03-01' }])).toBe(3);
    expect(
      monthsCovered(y, [
        { from: '2025-01-15', to: '2025-06-30' },
        { from: '2025-03-01', to: '2025-08-01' },
      ]),
    ).toBe(8);
    expect(monthsCovered(y, [{ from: '2020-01-01', to: null }])).toBe(12);
  });
});

describe('hours rules', () => {
  it('an entry dated 31 December counts for that year, 1 January for the next', () => {
    const t = homeroomTeacher('2020-09-01');
    const entries = [e(30, 'homeroom', '2024-06-01'), e(10, 'homeroom', '2024-12-31'), e(10, 'homeroom', '2025-01-01')];
    expect(evaluateHoursFromEntries(homeroom, t, entries, policy, '2024-12-31')).toMatchObject({ status: 'compliant', done: 40 });
    const y2025 = evaluateHoursFromEntries(homeroom, t, entries, policy, '2025-01-01');
    expect(y2025).toMatchObject({ status: 'inProgress', done: 10, shortfall: 30, deadline: '2025-12-31', due: false, daysLeft: 364 });
    expect(y2025.explanation).toBe('还需 30 学时 班主任研修，剩余 364 天（截止 2025-12-31）；按进度此时应完成 0.1 学时，进度正常');
  });

  it('counts only entries up to the evaluation date', () => {
    const t = homeroomTeacher(null);
    const r = evaluateHoursFromEntries(homeroom, t, [e(40, 'homeroom', '2025-07-01')], policy, '2025-06-30');
    expect(r).toMatchObject({ status: 'inProgress', done: 0 });
  });

  it('a teacher who became 班主任 on 1 September owes 4/12 of 40 = 13.4 学时 (month of start counts)', () => {
    const r = evaluateHoursFromEntries(homeroom, homeroomTeacher('2025-09-01'), [e(13.4, 'homeroom', '2025-11-01')], policy, '2025-12-31');
    expect(r).toMatchObject({ status: 'compliant', required: 13.4 });
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher('2025-09-30'), [], policy, '2025-12-31')).toMatchObject({ required: 13.4 });
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher('2025-10-01'), [], policy, '2025-12-31')).toMatchObject({ required: 10 });
    const short = evaluateHoursFromEntries(homeroom, homeroomTeacher('2025-09-01'), [e(13.3, 'homeroom', '2025-11-01')], policy, '2025-12-31');
    expect(short).toMatchObject({ status: 'dueSoon', shortfall: 0.1, daysLeft: 0 });
    expect(short.explanation).toContain('（统计期内在岗 4/12 个月，按月折算应完成 13.4 学时）');
  });

  it('a 班主任 who stepped down on 31 March owes 3/12 of 40 = 10; one who stepped down last year is not selected', () => {
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher('2019-09-01', '2025-03-31'), [], policy, '2025-12-31')).toMatchObject({ required: 10 });
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher('2019-09-01', '2024-12-31'), [], policy, '2025-12-31')).toMatchObject({
      status: 'notApplicable',
    });
  });

  it('prorate: none asks the full figure of a mid-year 班主任', () => {
    const full = parseRule<HoursRule>({
      kind: 'hours',
      who: { role: 'homeroom' },
      categories: ['homeroom'],
      atLeast: 40,
      window: { every: 'year' },
      prorate: 'none',
    });
    expect(evaluateHoursFromEntries(full, homeroomTeacher('2025-09-01'), [], policy, '2025-12-31')).toMatchObject({ required: 40 });
  });

  it('a new hire (1 July) owes half the yearly 8 学时 of IT training', () => {
    const it8 = parseRule<HoursRule>({ kind: 'hours', who: { all: true }, categories: ['it'], atLeast: 8, window: { every: 'year' } });
    expect(evaluateHoursFromEntries(it8, teacherFacts({ hireDate: '2025-07-01' }), [e(4, 'it', '2025-09-01')], policy, '2025-12-31')).toMatchObject({
      status: 'compliant',
      required: 4,
    });
    expect(
      evaluateHoursFromEntries(it8, teacherFacts({ hireDate: '2026-02-01' }), [], { period: { from: '2023-01-01', to: '2026-12-31' } }, '2026-01-15'),
    ).toMatchObject({ status: 'notApplicable' });
  });

  it('after the policy period the last window is final and overdue; before it nothing applies', () => {
    const t = homeroomTeacher('2020-01-01');
    const late = evaluateHoursFromEntries(homeroom, t, [e(12, 'homeroom', '2025-03-01')], policy, '2026-03-01');
    expect(late).toMatchObject({ status: 'overdue', due: true, deadline: '2025-12-31' });
    expect(late.explanation).toContain('截止 2025-12-31 已过');
    expect(evaluateHoursFromEntries(homeroom, t, [], policy, '2022-12-31')).toMatchObject({ status: 'notApplicable' });
    expect(policyClock(policy, '2026-03-01')).toEqual({ asOf: '2026-03-01', on: '2025-12-31', state: 'ended' });
  });

  it('days: distinct days with net positive hours; a reversed day does not count', () => {
    const rule = parseRule<HoursRule>({
      kind: 'hours',
      label: '岗前脱产培训',
      who: { newTeacher: true },
      categories: ['induction'],
      unit: 'days',
      atLeast: 10,
      window: { afterHire: { years: 1, leadDays: 92 } },
    });
    const t = teacherFacts({ hireDate: '2024-09-01' });
    const days = Array.from({ length: 9 }, (_, i) => e(6, 'induction', `2024-08-${String(10 + i).padStart(2, '0')}`));
    const withTwoOnOneDay = [...days, e(3, 'induction', '2024-08-10'), e(6, 'induction', '2024-08-25'), e(-6, 'induction', '2024-08-25')];
    const r = evaluateHoursFromEntries(rule, t, withTwoOnOneDay, policy, '2025-06-01');
    expect(r).toMatchObject({ status: 'inProgress', done: 9, shortfall: 1, pace: { expected: 8, behind: false } });
    expect(r.explanation).toBe('还需 1 天 岗前脱产培训，剩余 91 天（截止 2025-08-31）；按进度此时应完成 8 天，进度正常');
    expect(evaluateHoursFromEntries(rule, t, withTwoOnOneDay, policy, '2025-09-01').explanation).toBe('还差 1 天 岗前脱产培训，截止 2025-08-31 已过');
    expect(evaluateHoursFromEntries(rule, teacherFacts({ hireDate: '2015-09-01' }), [], policy, '2025-06-01')).toMatchObject({ status: 'notApplicable' });
  });

  it('categories: any sums every category', () => {
    expect(measureEntries({ categories: 'any', unit: 'hours' }, [e(1.5, 'it', '2025-01-01'), e(2, 'ethics', '2025-02-01')], '2025-01-01', '2025-12-31')).toBe(
      3.5,
    );
  });
});

describe('credential rules', () => {
  const mandarin = parseRule<CredentialRule>({
    kind: 'credential',
    who: { subject: '语文' },
    require: { mandarin: { atLeast: '2A' } },
    deadline: '2025-12-31',
  });
  it('普通话 二级甲等 or better passes; 二级乙等 is short with the deadline', () => {
    expect(evaluateCredential(mandarin, teacherFacts({ mandarinLevel: '1B' }), policy, '2025-06-01').status).toBe('compliant');
    const r = evaluateCredential(mandarin, teacherFacts({ mandarinLevel: '2B' }), policy, '2025-06-01');
    expect(r).toMatchObject({ status: 'inProgress', due: false });
    expect(r.explanation).toBe('普通话需达到二级甲等（现为二级乙等），剩余 213 天（截止 2025-12-31）');
    expect(evaluateCredential(mandarin, teacherFacts({ mandarinLevel: null }), policy, '2026-01-05')).toMatchObject({ status: 'overdue', due: true });
    expect(evaluateCredential(mandarin, teacherFacts({ subjects: ['数学'] }), policy, '2025-06-01').status).toBe('notApplicable');
  });

  it('certificates match by name, ignoring spaces and brackets', () => {
    const cert = parseRule<CredentialRule>({
      kind: 'credential',
      who: { role: 'psychFullTime' },
      require: { certificate: { anyOf: ['二级心理咨询师', '心理咨询师二级'] } },
      deadline: '2025-12-31',
    });
    const psych = (certificates: string[]) => teacherFacts({ certificates, roles: [{ role: 'psychFullTime', since: null, until: null }] });
    expect(evaluateCredential(cert, psych(['国家二级心理咨询师']), policy, '2025-06-01').status).toBe('compliant');
    expect(evaluateCredential(cert, psych(['心理咨询师（二级）']), policy, '2025-06-01').status).toBe('compliant');
    expect(evaluateCredential(cert, psych(['三级心理咨询师']), policy, '2025-06-01').status).toBe('inProgress');
  });

  it('教师资格 covers its own and lower stages; vocational needs vocational or senior', () => {
    expect(qualificationCoversStage('senior', 'junior')).toBe(true);
    expect(qualificationCoversStage('primary', 'junior')).toBe(false);
    expect(qualificationCoversStage('senior', 'vocational')).toBe(true);
    expect(qualificationCoversStage('junior', 'vocational')).toBe(false);
    const q = parseRule<CredentialRule>({ kind: 'credential', who: { all: true }, require: { qualification: {} } });
    const r = evaluateCredential(q, teacherFacts({ qualificationSubject: '数学' }), policy, '2025-06-01');
    expect(r).toMatchObject({ status: 'overdue', due: true });
    expect(r.explanation).toContain('学科不符');
  });
});

describe('staffing rules', () => {
  const psych = parseRule<StaffingRule>({ kind: 'staffing', per: 'school', count: { role: 'psychPartTime' }, atLeast: 2 });
  const dual = parseRule<StaffingRule>({
    kind: 'staffing',
    per: 'region',
    ratio: { of: { role: 'vocationalSubject' }, having: { role: 'dualQualified' } },
    atLeast: 0.7,
    deadline: '2025-12-31',
  });
  const role = (...roles: string[]) => teacherFacts({ roles: roles.map((r) => ({ role: r, since: null, until: null })) });
  it('counts people holding a role today', () => {
    const r = evaluateStaffing(
      psych,
      { teachers: [role('psychPartTime'), role(), teacherFacts({ roles: [{ role: 'psychPartTime', since: null, until: '2024-06-30' }] })] },
      policy,
      '2025-06-01',
    );
    expect(r).toMatchObject({ status: 'inProgress', done: 1, shortfall: 1 });
    expect(r.explanation).toBe('还差 1 人 兼职心理健康教师（现有 1 人，应至少 2 人）');
  });
  it('ratios: 7 of 10 is exactly 70 %; 6 of 10 is short by one person; no denominator is not applicable', () => {
    const ten = (n: number) => [
      ...Array.from({ length: n }, () => role('vocationalSubject', 'dualQualified')),
      ...Array.from({ length: 10 - n }, () => role('vocationalSubject')),
    ];
    expect(evaluateStaffing(dual, { teachers: ten(7) }, policy, '2025-06-01').status).toBe('compliant');
    const six = evaluateStaffing(dual, { teachers: ten(6) }, policy, '2025-06-01');
    expect(six.status).toBe('inProgress');
    expect(six.explanation).toContain('还差 1 人');
    expect(evaluateStaffing(dual, { teachers: [role()] }, policy, '2025-06-01').status).toBe('notApplicable');
  });
});

describe('target rules', () => {
  const perYear = parseRule<TargetRule>({ kind: 'target', metric: 'studios.masterTeacher.city', aggregate: 'perYear', atLeast: 15 });
  const total = parseRule<TargetRule>({
    kind: 'target',
    metric: 'studios.masterTeacher.city',
    aggregate: 'cumulative',
    years: { from: 2023, to: 2025 },
    atLeast: 45,
  });
  const avg = parseRule<TargetRule>({ kind: 'target', metric: 'teachersHired', aggregate: 'average', years: { from: 2023, to: 2025 }, atLeast: 500 });
  it('no recorded value is no data, never zero', () => {
    expect(evaluateTarget(perYear, new Map(), policy, '2025-06-01')).toMatchObject({ status: 'noData' });
    expect(evaluateTarget(perYear, new Map([[2024, 20]]), policy, '2025-06-01')).toMatchObject({ status: 'noData' });
  });
  it('per year, cumulative and yearly average', () => {
    expect(evaluateTarget(perYear, new Map([[2025, 15]]), policy, '2025-06-01').status).toBe('compliant');
    const c = evaluateTarget(
      total,
      new Map([
        [2023, 15],
        [2024, 14],
      ]),
      policy,
      '2025-06-01',
    );
    expect(c).toMatchObject({ status: 'inProgress', done: 29, shortfall: 16, deadline: '2025-12-31' });
    expect(
      evaluateTarget(
        avg,
        new Map([
          [2023, 450],
          [2024, 560],
          [2025, 500],
        ]),
        policy,
        '2025-12-31',
      ),
    ).toMatchObject({ status: 'compliant', done: 503.3 });
  });
});

describe('participation rules', () => {
  const rate = parseRule<ParticipationRule>(
    { kind: 'participation', measure: 'sessionRate', trainings: { forms: 'inPerson' }, atLeast: 0.95, window: { every: 'year' } },
    { from: '2025-01-01', to: '2025-12-31' },
  );
  const seven = parseRule<ParticipationRule>(
    { kind: 'participation', label: '集中全员培训', measure: 'sessionsPerTeacher', trainings: { forms: 'inPerson' }, atLeast: 7, window: { every: 'year' } },
    { from: '2025-01-01', to: '2025-12-31' },
  );
  const p2025 = { period: { from: '2025-01-01', to: '2025-12-31' } };
  const s = (id: number, attended: number, date = '2025-02-20') => ({ sessionId: id, date, title: `第${id}场`, projectName: '春季集中培训', attended });
  it('every session must reach 95 % of the teachers; 95 of 100 is enough, 94 is not', () => {
    expect(evaluateSessionRate(rate, [s(1, 95), s(2, 100)], 100, p2025, '2025-06-01').status).toBe('compliant');
    const r = evaluateSessionRate(rate, [s(1, 95), s(2, 94)], 100, p2025, '2025-06-01');
    expect(r).toMatchObject({ status: 'overdue', done: 0.94, due: true });
    expect(r.explanation).toContain('有 1 场参训率低于 95%（最低 94%：「春季集中培训」第2场');
    expect(evaluateSessionRate(rate, [s(1, 10, '2025-09-01')], 100, p2025, '2025-06-01').status).toBe('noData');
  });
  it('each teacher at least 7 sessions a year', () => {
    expect(evaluateSessionsPerTeacher(seven, teacherFacts(), 7, p2025, '2025-12-31').status).toBe('compliant');
    expect(evaluateSessionsPerTeacher(seven, teacherFacts(), 5, p2025, '2025-06-01').explanation).toBe(
      '还需 2 场次 集中全员培训，剩余 213 天（截止 2025-12-31）；按进度此时应完成 2.9 场次，进度正常',
    );
    expect(evaluateSessionsPerTeacher(seven, teacherFacts(), 5, p2025, '2026-01-01')).toMatchObject({ status: 'overdue', due: true });
  });
});

describe('funding and plan content rules', () => {
  const fund = parseRule<FundingRule>({
    kind: 'funding',
    per: 'school',
    numerator: 'trainingBudget',
    denominator: 'publicFundBudget',
    atLeast: 0.05,
    window: { every: 'year' },
  });
  it('5 % of the public-fund budget; missing figures are no data', () => {
    expect(evaluateFunding(fund, { numerator: 50_000, denominator: 1_000_000 }, policy, '2025-06-01').status).toBe('compliant');
    const r = evaluateFunding(fund, { numerator: 40_000, denominator: 1_000_000 }, policy, '2025-06-01');
    expect(r.status).toBe('inProgress');
    expect(r.explanation).toContain('还差 10,000 元');
    expect(evaluateFunding(fund, { numerator: null, denominator: 1_000_000 }, policy, '2025-06-01')).toMatchObject({ status: 'noData' });
  });
  const first = parseRule<PlanContentRule>({ kind: 'planContent', module: { category: 'ethics', position: 'first' }, window: { every: 'year' } });
  it('the first module must be 思想政治和师德师风 (ethics)', () => {
    const p = (cats: string[]) => ({ projectId: 1, name: '暑期培训', orgId: 1, orgPath: '/1/', startDate: '2025-07-01', moduleCategories: cats });
    expect(evaluatePlanContent(first, p(['ethics', 'subject']), policy, '2025-08-01').status).toBe('compliant');
    expect(evaluatePlanContent(first, p(['subject', 'ethics']), policy, '2025-08-01').explanation).toBe('「暑期培训」第一模块应为师德师风，现为学科教学');
    expect(evaluatePlanContent(first, p([]), policy, '2025-08-01').status).toBe('noData');
  });
});
