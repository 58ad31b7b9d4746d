/**
 * The Chinese explanations: every 'noData' says what is missing and where it comes from, the
 * templates read the same way across rule kinds, and windows name the year rather than "今年".
 */
import { describe, expect, it } from 'vitest';
import type { CredentialRule, FundingRule, HoursRule, ParticipationRule, PlanContentRule, StaffingRule, TargetRule } from './policy.format.js';
import {
  evaluateCredential,
  evaluateFunding,
  evaluateHoursFromEntries,
  evaluatePlanContent,
  evaluateSessionRate,
  evaluateSessionsPerTeacher,
  evaluateStaffing,
  evaluateTarget,
  type Entry,
  type RuleResult,
} from './policy.evaluate.js';
import { resolveWindow } from './policy.windows.js';
import { parseRule, teacherFacts, TEST_PERIOD } from './policy.fixtures.js';

const period = TEST_PERIOD;
const policy = { period };
const e = (hours: number, category: string, occurredOn: string): Entry => ({ hours, category, occurredOn });
const noData = (r: RuleResult, text: string) => {
  expect(r.status).toBe('noData');
  expect(r.explanation).toBe(text);
};

const homeroom = parseRule<HoursRule>({
  kind: 'hours',
  label: '班主任研修',
  who: { role: 'homeroom' },
  categories: ['homeroom'],
  atLeast: 40,
  window: { every: 'year' },
});
const homeroomTeacher = teacherFacts({ roles: [{ role: 'homeroom', since: '2019-09-01', until: null }] });
const induction = parseRule<HoursRule>({
  kind: 'hours',
  label: '岗前脱产培训',
  who: { newTeacher: true },
  categories: ['induction'],
  unit: 'days',
  atLeast: 10,
  window: { afterHire: { years: 1, leadDays: 92 } },
});
const openFigure = '原文只要求“利用3年时间，开展两轮集中系统全员培训”，未规定学时数。';
const OPEN_TEXT =
  '暂无数据：原文未给出具体数字（原文只要求“利用3年时间，开展两轮集中系统全员培训”，未规定学时数），平台不作判定；地区明确数字后，在“政策管理”中发布写明数字的新版本即可自动判定';

describe('every noData result says what is missing and where it would come from', () => {
  it('a figure the seed leaves open, for every rule kind that has one', () => {
    const hours = parseRule<HoursRule>({ kind: 'hours', who: { all: true }, categories: ['subject'], atLeast: null, openFigure, window: { period: true } });
    noData(evaluateHoursFromEntries(hours, teacherFacts(), [], policy, '2025-06-01'), OPEN_TEXT);
    const staffing = parseRule<StaffingRule>({ kind: 'staffing', per: 'school', count: { role: 'psychFullTime' }, atLeast: null, openFigure });
    noData(evaluateStaffing(staffing, { teachers: [] }, policy, '2025-06-01'), OPEN_TEXT);
    const target = parseRule<TargetRule>({ kind: 'target', metric: 'keyTeachersTracked', aggregate: 'perYear', atLeast: null, openFigure });
    noData(evaluateTarget(target, new Map([[2025, 3]]), policy, '2025-06-01'), OPEN_TEXT);
    const funding = parseRule<FundingRule>({
      kind: 'funding',
      per: 'school',
      numerator: 'trainingBudget',
      denominator: 'publicFundBudget',
      atLeast: null,
      openFigure,
      window: { every: 'year' },
    });
    noData(evaluateFunding(funding, { numerator: 1, denominator: 2 }, policy, '2025-06-01'), OPEN_TEXT);
    const rate = parseRule<ParticipationRule>({
      kind: 'participation',
      measure: 'sessionRate',
      trainings: {},
      atLeast: null,
      openFigure,
      window: { every: 'year' },
    });
    noData(evaluateSessionRate(rate, [], 10, policy, '2025-06-01'), OPEN_TEXT);
    const perTeacher = parseRule<ParticipationRule>({
      kind: 'participation',
      measure: 'sessionsPerTeacher',
      trainings: {},
      atLeast: null,
      openFigure,
      window: { every: 'year' },
    });
    noData(evaluateSessionsPerTeacher(perTeacher, teacherFacts(), 3, policy, '2025-06-01'), OPEN_TEXT);
  });

  it('a hire-relative window without a hire date points to the teacher record', () => {
    const t = teacherFacts({ hireDate: null, roles: [{ role: 'newTeacher', since: null, until: null }] });
    noData(
      evaluateHoursFromEntries(induction, t, [], policy, '2025-06-01'),
      '暂无数据：未登记入职日期，无法确定“入职 1 年内”的统计期（在“教师信息”中补录入职日期）',
    );
    const perTeacher = parseRule<ParticipationRule>({
      kind: 'participation',
      measure: 'sessionsPerTeacher',
      trainings: {},
      atLeast: 2,
      window: { afterHire: { years: 1 } },
    });
    noData(
      evaluateSessionsPerTeacher(perTeacher, teacherFacts({ hireDate: null }), 0, policy, '2025-06-01'),
      '暂无数据：未登记入职日期，无法确定“入职 1 年内”的统计期（在“教师信息”中补录入职日期）',
    );
    // Hired after the evaluation date: nothing is missing, the rule does not apply yet.
    expect(evaluateSessionsPerTeacher(perTeacher, teacherFacts({ hireDate: '2025-09-01' }), 0, policy, '2025-06-01')).toMatchObject({
      status: 'notApplicable',
      explanation: '尚未入职',
    });
  });

  it('region targets without figures name the records they are counted from (overrides on 目标与经费数据); registry counts name their source', () => {
    const perYear = parseRule<TargetRule>({ kind: 'target', metric: 'studios.masterTeacher.city', aggregate: 'perYear', atLeast: 15 });
    noData(
      evaluateTarget(perYear, new Map([[2024, 15]]), policy, '2025-06-01'),
      '暂无数据：2025 年 市级名教师工作室数无法统计（由“工作室”的命名记录统计；平台以外的数据可在“目标与经费数据”中手工覆盖）',
    );
    const total = parseRule<TargetRule>({
      kind: 'target',
      metric: 'studios.masterHomeroom.county',
      aggregate: 'cumulative',
      years: { from: 2023, to: 2025 },
      atLeast: 90,
    });
    noData(
      evaluateTarget(total, new Map(), policy, '2024-06-01'),
      '暂无数据：2023—2024 年 旗县区级名班主任工作室数无法统计（由“工作室”的命名记录统计；平台以外的数据可在“目标与经费数据”中手工覆盖）',
    );
    const hired = parseRule<TargetRule>({ kind: 'target', metric: 'teachersHired', aggregate: 'perYear', atLeast: 500 });
    noData(evaluateTarget(hired, new Map(), policy, '2025-06-01'), '暂无数据：2025 年 新招聘教师人数无法统计（由“教师信息”中登记的入职日期统计）');
    const outbound = parseRule<TargetRule>({ kind: 'target', metric: 'outboundTraining', aggregate: 'perYear', atLeast: 50 });
    noData(evaluateTarget(outbound, new Map(), policy, '2025-06-01'), '暂无数据：2025 年 外派培训人次无法统计（由“培训项目”的报名记录统计）');
  });

  it('funding figures not entered (or entered as 0) name the year and the figure', () => {
    const fund = parseRule<FundingRule>({
      kind: 'funding',
      per: 'school',
      numerator: 'trainingBudget',
      denominator: 'publicFundBudget',
      atLeast: 0.05,
      window: { every: 'year' },
    });
    noData(
      evaluateFunding(fund, { numerator: null, denominator: 1_000_000 }, policy, '2025-06-01'),
      '暂无数据：尚未录入 2025 年 教师培训经费预算（在“目标与经费数据”中录入）',
    );
    noData(
      evaluateFunding(fund, { numerator: null, denominator: null }, policy, '2025-06-01'),
      '暂无数据：尚未录入 2025 年 教师培训经费预算、年度公用经费预算总额（在“目标与经费数据”中录入）',
    );
    noData(
      evaluateFunding(fund, { numerator: 10, denominator: 0 }, policy, '2025-06-01'),
      '暂无数据：2025 年 年度公用经费预算总额为 0，无法计算比例（在“目标与经费数据”中更正）',
    );
  });

  it('participation: no session held yet, or a window that cannot be resolved region-wide', () => {
    const rate = parseRule<ParticipationRule>({
      kind: 'participation',
      measure: 'sessionRate',
      trainings: { forms: 'inPerson' },
      atLeast: 0.95,
      window: { every: 'year' },
    });
    noData(
      evaluateSessionRate(rate, [], 100, policy, '2025-06-01'),
      '暂无数据：2025 年尚未举行集中培训场次（在“培训项目”中安排场次，教师扫码签到后按考勤统计）',
    );
    const hireRate = parseRule<ParticipationRule>({
      kind: 'participation',
      measure: 'sessionRate',
      trainings: {},
      atLeast: 0.95,
      window: { afterHire: { years: 1 } },
    });
    noData(
      evaluateSessionRate(hireRate, [], 100, policy, '2025-06-01'),
      '暂无数据：参训率按全区域统计，不能使用按入职日期计算的窗口（afterHire）；请在政策文件中改用 every / period 等窗口',
    );
  });

  it('a project without sessions: its plan cannot be judged yet', () => {
    const first = parseRule<PlanContentRule>({ kind: 'planContent', module: { category: 'ethics', position: 'first' }, window: { every: 'year' } });
    const p = { projectId: 1, name: '暑期培训', orgId: 1, orgPath: '/1/', startDate: '2025-07-01', moduleCategories: [] };
    noData(
      evaluatePlanContent(first, p, policy, '2025-06-01'),
      '暂无数据：「暑期培训」尚未安排培训场次，无法判断培训方案的模块（在“培训项目”的培训方案中安排场次后判定）',
    );
  });
});

describe('explanation templates', () => {
  it('hours: 还需 N 学时，剩余 M 天 with the pace before the deadline; 还差 N 学时 <label>，截止 <date> 已过 after; met ones name the window', () => {
    const entries = [e(12, 'homeroom', '2025-03-01')];
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher, entries, policy, '2025-06-30').explanation).toBe(
      '还需 28 学时 班主任研修，剩余 184 天（截止 2025-12-31）；按进度此时应完成 19.8 学时，落后 7.8 学时',
    );
    // The old template glued the date to the next word ('…2025-12-31差 …').
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher, entries, policy, '2026-01-10').explanation).toBe(
      '还差 28 学时 班主任研修，截止 2025-12-31 已过',
    );
    expect(evaluateHoursFromEntries(homeroom, homeroomTeacher, [e(40, 'homeroom', '2025-03-01')], policy, '2025-06-30').explanation).toBe(
      '已完成 40/40 学时 班主任研修，达标（统计期 2025 年）',
    );
    const midYear = teacherFacts({ roles: [{ role: 'homeroom', since: '2025-09-01', until: null }] });
    expect(evaluateHoursFromEntries(homeroom, midYear, [e(12, 'homeroom', '2025-10-01')], policy, '2025-11-01').explanation).toBe(
      '还需 1.4 学时 班主任研修，剩余 60 天（截止 2025-12-31）；按进度此时应完成 11.2 学时，进度正常（统计期内在岗 4/12 个月，按月折算应完成 13.4 学时）',
    );
    const schoolBased = parseRule<HoursRule>({
      kind: 'hours',
      label: '校本培训',
      who: { all: true },
      categories: ['schoolBased'],
      atLeast: 120,
      window: { period: true },
    });
    expect(evaluateHoursFromEntries(schoolBased, teacherFacts(), [e(120, 'schoolBased', '2024-05-01')], policy, '2025-06-30').explanation).toBe(
      '已完成 120/120 学时 校本培训，达标（统计期 2023-01-01 至 2025-12-31）',
    );
  });

  it('credentials, staffing, targets, participation and funding read the same way', () => {
    const mandarin = parseRule<CredentialRule>({
      kind: 'credential',
      who: { subject: '语文' },
      require: { mandarin: { atLeast: '2A' } },
      deadline: '2025-12-31',
    });
    expect(evaluateCredential(mandarin, teacherFacts({ mandarinLevel: '2B' }), policy, '2026-01-05').explanation).toBe(
      '普通话需达到二级甲等（现为二级乙等），截止 2025-12-31 已过',
    );
    expect(evaluateCredential(mandarin, teacherFacts({ mandarinLevel: '1B' }), policy, '2025-01-05').explanation).toBe('普通话已达到二级甲等（现为一级乙等）');
    const cert = parseRule<CredentialRule>({ kind: 'credential', who: { all: true }, require: { certificate: { anyOf: ['二级心理咨询师'] } } });
    expect(evaluateCredential(cert, teacherFacts({ certificates: ['三级心理咨询师'] }), policy, '2025-01-05').explanation).toBe(
      '需取得二级心理咨询师证书（现有三级心理咨询师），应即时满足',
    );
    const psych = parseRule<StaffingRule>({ kind: 'staffing', per: 'school', count: { role: 'psychFullTime' }, atLeast: 1, deadline: '2025-12-31' });
    expect(evaluateStaffing(psych, { teachers: [teacherFacts()] }, policy, '2025-06-01').explanation).toBe(
      '还差 1 人 专职心理健康教师（现有 0 人，应至少 1 人），剩余 213 天（截止 2025-12-31）',
    );
    const total = parseRule<TargetRule>({
      kind: 'target',
      metric: 'studios.masterTeacher.city',
      aggregate: 'cumulative',
      years: { from: 2023, to: 2025 },
      atLeast: 45,
    });
    expect(
      evaluateTarget(
        total,
        new Map([
          [2023, 15],
          [2025, 14],
        ]),
        policy,
        '2026-06-01',
      ).explanation,
    ).toBe('2023—2025 年累计 市级名教师工作室数 29 个，距目标 45 个还差 16 个，截止 2025-12-31 已过（2024 年尚未录入，未计入）');
    const seven = parseRule<ParticipationRule>({
      kind: 'participation',
      label: '集中全员培训',
      measure: 'sessionsPerTeacher',
      trainings: { forms: 'inPerson' },
      atLeast: 7,
      window: { every: 'year' },
    });
    expect(evaluateSessionsPerTeacher(seven, teacherFacts(), 5, policy, '2026-06-01').explanation).toBe('还差 2 场次 集中全员培训，截止 2025-12-31 已过');
    expect(evaluateSessionsPerTeacher(seven, teacherFacts(), 7, policy, '2025-06-01').explanation).toBe('已参加 7/7 场次 集中全员培训，达标（统计期 2025 年）');
    const fund = parseRule<FundingRule>({
      kind: 'funding',
      per: 'school',
      numerator: 'trainingBudget',
      denominator: 'publicFundBudget',
      atLeast: 0.05,
      window: { every: 'year' },
    });
    expect(evaluateFunding(fund, { numerator: 40_000, denominator: 1_000_000 }, policy, '2025-06-01').explanation).toBe(
      '2025 年 教师培训经费预算占年度公用经费预算总额 4%，低于 5%，还差 10,000 元，剩余 213 天（截止 2025-12-31）',
    );
    const capped = parseRule<FundingRule>({
      kind: 'funding',
      per: 'county',
      numerator: 'trainingBudget',
      denominator: 'salaryTotal',
      atLeast: 0.01,
      atMost: 0.02,
      window: { every: 'year' },
    });
    expect(evaluateFunding(capped, { numerator: 30, denominator: 1000 }, policy, '2025-06-01')).toMatchObject({
      status: 'inProgress',
      explanation: '2025 年 教师培训经费预算占教师（教职工）工资总额 3%，超过上限 2%，剩余 213 天（截止 2025-12-31）',
    });
  });

  it('no template glues a date or a number to the next word', () => {
    const texts = [
      evaluateHoursFromEntries(homeroom, homeroomTeacher, [e(1, 'homeroom', '2025-03-01')], policy, '2026-02-01').explanation,
      evaluateSessionRate(
        parseRule<ParticipationRule>({
          kind: 'participation',
          measure: 'sessionRate',
          trainings: { forms: 'inPerson' },
          atLeast: 0.95,
          window: { period: true },
        }),
        [{ sessionId: 1, date: '2025-02-01', title: '第1场', projectName: '春训', attended: 90 }],
        100,
        policy,
        '2025-06-01',
      ).explanation,
    ];
    for (const t of texts) expect(t).not.toMatch(/\d{4}-\d{2}-\d{2}[\u4e00-\u9fff]/);
  });
});

describe('window labels after the policy has ended', () => {
  it('a 2023–2025 plan evaluated in 2026 judges 2025 and says so, never 今年 / 本年度', () => {
    const on = '2025-12-31'; // the evaluation date clamped to the plan's last day
    expect(resolveWindow({ every: 'year' }, period, on)).toMatchObject({ ok: true, window: { label: '2025 年', to: '2025-12-31' } });
    expect(resolveWindow({ every: 'term' }, period, on)).toMatchObject({ ok: true, window: { label: '2025 年秋季学期' } });
    const met = evaluateHoursFromEntries(homeroom, homeroomTeacher, [e(40, 'homeroom', '2025-05-01')], policy, '2026-03-01');
    expect(met).toMatchObject({ status: 'compliant', window: { label: '2025 年' } });
    expect(met.explanation).toBe('已完成 40/40 学时 班主任研修，达标（统计期 2025 年）');
    const late = evaluateHoursFromEntries(homeroom, homeroomTeacher, [], policy, '2026-03-01');
    expect(late.explanation).toBe('还差 40 学时 班主任研修，截止 2025-12-31 已过');
    const perYear = parseRule<TargetRule>({ kind: 'target', metric: 'studios.masterTeacher.city', aggregate: 'perYear', atLeast: 15 });
    expect(evaluateTarget(perYear, new Map([[2025, 20]]), policy, '2026-03-01').explanation).toBe('2025 年 市级名教师工作室数 20 个，达到 15 个的目标');
    for (const r of [met, late]) expect(r.explanation).not.toMatch(/今年|本年度/);
  });
});
