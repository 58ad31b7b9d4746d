/**
 * Hand-worked scenarios from the seeds, run against the shipped policy files. Each case names the
 * seed sentence it checks; a reviewer can redo the arithmetic from the comment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CredentialRule, HoursRule, ParticipationRule, PlanContentRule, Policy, Rule, StaffingRule } from './policy.format.js';
import { loadPolicy } from './policy.loader.js';
import { POLICY_DIR } from './policies.service.js';
import {
  evaluateCredential,
  evaluateHoursFromEntries,
  evaluatePlanContent,
  evaluateSessionRate,
  evaluateSessionsPerTeacher,
  evaluateStaffing,
  type Entry,
  type TeacherFacts,
} from './policy.evaluate.js';

function policy(file: string): Policy {
  const r = loadPolicy(readFileSync(join(POLICY_DIR, file), 'utf8'));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.policy;
}
const rule = <T extends Rule>(p: Policy, id: string) => p.rules.find((r) => r.id === id) as T;
const teacher = (o: Partial<TeacherFacts> = {}): TeacherFacts => ({
  id: 1,
  name: '甲',
  orgId: 1,
  orgPath: '/1/',
  stage: 'primary',
  subjects: ['数学'],
  hireDate: '2012-08-20',
  employment: 'staff',
  mandarinLevel: '2B',
  certificates: [],
  qualificationStage: 'primary',
  qualificationSubject: '数学',
  qualificationExpiry: null,
  keyLevel: null,
  roles: [],
  ...o,
});
const e = (hours: number, category: string, occurredOn: string): Entry => ({ hours, category, occurredOn });

const bayannur = policy('000-bayannur-2023-2025.yaml');
const alxa = policy('001-alxa-hitech-2025.yaml');
const province = policy('002-province-strong-teacher.yaml');
const beijing = policy('003-beijing-strong-teacher.yaml');
const houma = policy('004-houma-2023.yaml');

describe('000 巴彦淖尔', () => {
  const homeroom = rule<HoursRule>(bayannur, 'homeroom-annual');
  it('二（三）“每位班主任完成每年不少于40学时”: 20 + 8 学时 by 30 June → 还差 12', () => {
    const t = teacher({ roles: [{ role: 'homeroom', since: '2019-09-01', until: null }] });
    const r = evaluateHoursFromEntries(
      homeroom,
      t,
      [e(20, 'homeroom', '2025-03-01'), e(8, 'homeroom', '2025-05-10'), e(6, 'it', '2025-05-11')],
      bayannur,
      '2025-06-30',
    );
    expect(r).toMatchObject({ status: 'inProgress', daysLeft: 184, pace: { expected: 19.8, behind: false } });
    expect(r.explanation).toBe('还需 12 学时 班主任研修，剩余 184 天（截止 2025-12-31）；按进度此时应完成 19.8 学时，进度正常');
  });

  it('a 班主任 from 1 Sept 2025 owes 40 × 4/12 = 13.3… → 13.4 学时 (documented pro-rating)', () => {
    const t = teacher({ roles: [{ role: 'homeroom', since: '2025-09-01', until: null }] });
    expect(evaluateHoursFromEntries(homeroom, t, [], bayannur, '2025-12-31')).toMatchObject({ required: 13.4, shortfall: 13.4 });
  });

  it('二（五）3 “到2025年，所有教师校本培训要完成120学时”: hired 1 Mar 2024 → 22 of 36 months → 120 × 22/36 = 73.3… → 73.4', () => {
    const r = evaluateHoursFromEntries(
      rule(bayannur, 'school-based-120'),
      teacher({ hireDate: '2024-03-01' }),
      [e(70, 'schoolBased', '2025-05-01')],
      bayannur,
      '2025-12-31',
    );
    // On the deadline day it is not yet overdue: 临期, today is the last day.
    expect(r).toMatchObject({ status: 'dueSoon', required: 73.4, done: 70, shortfall: 3.4, due: true, daysLeft: 0 });
    expect(r.explanation).toContain('今天截止（2025-12-31）');
  });

  it('二（五）6 “每人每年不少于8学时”: 8 学时 on 31 Dec 2024 count for 2024, not 2025', () => {
    const it8 = rule<HoursRule>(bayannur, 'it-annual');
    const entries = [e(8, 'it', '2024-12-31')];
    expect(evaluateHoursFromEntries(it8, teacher(), entries, bayannur, '2024-12-31').status).toBe('compliant');
    expect(evaluateHoursFromEntries(it8, teacher(), entries, bayannur, '2025-12-31').status).toBe('dueSoon');
  });

  it('二（四）“不少于10天的岗前脱产培训”: hired 1 Sep 2025, 8 days in August → 还差 2 天 by 31 Aug 2026', () => {
    const days = Array.from({ length: 8 }, (_, i) => e(6, 'induction', `2025-08-${String(18 + i).padStart(2, '0')}`));
    const r = evaluateHoursFromEntries(rule(bayannur, 'induction-10-days'), teacher({ hireDate: '2025-09-01' }), days, bayannur, '2025-10-01');
    expect(r.explanation).toBe('还需 2 天 岗前脱产培训，剩余 334 天（截止 2026-08-31）；按进度此时应完成 2.7 天，进度正常');
  });

  it('二（五）2 普通话: 语文 teachers need 二级甲等, others 二级乙等', () => {
    const chinese = teacher({ subjects: ['语文'], mandarinLevel: '2B' });
    expect(evaluateCredential(rule<CredentialRule>(bayannur, 'mandarin-chinese-2a'), chinese, bayannur, '2025-06-01').status).toBe('inProgress');
    expect(evaluateCredential(rule<CredentialRule>(bayannur, 'mandarin-others-2b'), chinese, bayannur, '2025-06-01').status).toBe('notApplicable');
    expect(evaluateCredential(rule<CredentialRule>(bayannur, 'mandarin-others-2b'), teacher({ mandarinLevel: '2B' }), bayannur, '2025-06-01').status).toBe(
      'compliant',
    );
  });

  it('二（五）5 “双师型”教师占专业课教师 70%: 7 of 10 meets it', () => {
    const r = rule<StaffingRule>(bayannur, 'dual-qualified-share');
    const v = (dual: boolean) =>
      teacher({
        stage: 'vocational',
        roles: [{ role: 'vocationalSubject', since: null, until: null }, ...(dual ? [{ role: 'dualQualified', since: null, until: null }] : [])],
      });
    const ts = [...Array.from({ length: 7 }, () => v(true)), ...Array.from({ length: 3 }, () => v(false))];
    expect(evaluateStaffing(r, { teachers: ts }, bayannur, '2025-06-01')).toMatchObject({ status: 'compliant', done: 0.7 });
  });

  it('the plan ends 2025-12-31: evaluated in 2026 it reports the final 2025 state as overdue', () => {
    const t = teacher({ roles: [{ role: 'homeroom', since: '2019-09-01', until: null }] });
    expect(evaluateHoursFromEntries(homeroom, t, [e(39.9, 'homeroom', '2025-03-01')], bayannur, '2026-11-01')).toMatchObject({
      status: 'overdue',
      due: true,
      shortfall: 0.1,
    });
  });
});

describe('001 阿拉善高新区', () => {
  it('三（二）“每次集中培训参训人数须达到95%以上”: 190 of 200 teachers is 95 %, 189 is not', () => {
    const r = rule<ParticipationRule>(alxa, 'centralised-session-rate');
    const s = (attended: number) => [{ sessionId: 1, date: '2025-02-20', title: '通识讲座', projectName: '春季集中培训', attended }];
    expect(evaluateSessionRate(r, s(190), 200, alxa, '2025-03-01').status).toBe('compliant');
    // A session below the rate has already failed: 未达标 at once, whatever the window's end.
    expect(evaluateSessionRate(r, s(189), 200, alxa, '2025-03-01').status).toBe('overdue');
  });
  it('三（二）“两次集中全员培训每人至少参加 7场次”', () => {
    const r = rule<ParticipationRule>(alxa, 'centralised-sessions-per-teacher');
    expect(evaluateSessionsPerTeacher(r, teacher(), 6, alxa, '2025-09-30').explanation).toBe(
      '还需 1 场次 集中全员培训，剩余 92 天（截止 2025-12-31）；按进度此时应完成 5.2 场次，进度正常',
    );
  });
  it('三（八）“至少 1名专职、2名兼职心理健康教师”', () => {
    const ts = [
      teacher({ roles: [{ role: 'psychFullTime', since: null, until: null }] }),
      teacher({ roles: [{ role: 'psychPartTime', since: null, until: null }] }),
    ];
    expect(evaluateStaffing(rule<StaffingRule>(alxa, 'psych-fulltime-1'), { teachers: ts }, alxa, '2025-06-01').status).toBe('compliant');
    expect(evaluateStaffing(rule<StaffingRule>(alxa, 'psych-parttime-2'), { teachers: ts }, alxa, '2025-06-01').explanation).toBe(
      '还差 1 人 兼职心理健康教师（现有 1 人，应至少 2 人）',
    );
  });
});

describe('002 省级强师计划', () => {
  it('三（三）1 “5年360学时”: hired 1 Sep 2023 → 28 of 60 months of the 2021–2025 cycle → 360 × 28/60 = 168', () => {
    const r = evaluateHoursFromEntries(
      rule(province, 'cycle-360'),
      teacher({ hireDate: '2023-09-01' }),
      [e(100, 'subject', '2024-07-01'), e(60, 'it', '2025-03-01')],
      province,
      '2025-12-31',
    );
    expect(r).toMatchObject({ status: 'dueSoon', required: 168, done: 160, shortfall: 8 });
    expect(evaluateHoursFromEntries(rule(province, 'cycle-360'), teacher({ hireDate: '2023-09-01' }), [], province, '2026-01-01')).toMatchObject({
      status: 'inProgress',
    });
  });
  it('a new cycle starts on 1 Jan 2026', () => {
    const r = evaluateHoursFromEntries(rule(province, 'cycle-360'), teacher(), [e(360, 'subject', '2025-07-01')], province, '2026-01-01');
    expect(r).toMatchObject({ required: 360, done: 0, deadline: '2030-12-31' });
    // Day one of a 5-year cycle: nobody is 未达标; every teacher is 进行中, a linear pace asks 0.2 学时 by the end of the first day.
    expect(r).toMatchObject({ status: 'inProgress', due: false, daysLeft: 1825, pace: { expected: 0.2, behind: true } });
    expect(r.explanation).toBe('还需 360 学时 周期培训，剩余 1825 天（截止 2030-12-31）；按进度此时应完成 0.2 学时，落后 0.2 学时');
  });
  it('四（四）15 %: the base is unclear, so the rule reports no data instead of a number', () => {
    expect(rule(province, 'provincial-training-funding')).toMatchObject({ atLeast: null, openFigure: expect.stringContaining('15%') });
  });
});

describe('003 北京', () => {
  it('14 “每所中小学至少要配备1名专业化的专职心理健康教育教师”', () => {
    const r = rule<StaffingRule>(beijing, 'psych-fulltime-per-school');
    expect(evaluateStaffing(r, { teachers: [teacher()] }, beijing, '2024-06-01').explanation).toBe('还差 1 人 专职心理健康教师（现有 0 人，应至少 1 人）');
  });
});

describe('004 侯马', () => {
  it('三（三）1 “作为培训内容第一模块”: a plan opening with 学科教学 fails', () => {
    const r = rule<PlanContentRule>(houma, 'ethics-first-module');
    const p = { projectId: 1, name: '2024 年暑期全员培训', orgId: 1, orgPath: '/1/', startDate: '2024-07-10', moduleCategories: ['subject', 'ethics'] };
    expect(evaluatePlanContent(r, p, houma, '2024-08-01')).toMatchObject({ status: 'overdue', due: true });
    // Before the project starts the plan can still be fixed: 临期 within the 临期 days, 进行中 before.
    expect(evaluatePlanContent(r, p, houma, '2024-07-09')).toMatchObject({ status: 'dueSoon', daysLeft: 1 });
    expect(evaluatePlanContent(r, p, houma, '2024-07-10')).toMatchObject({ status: 'overdue' });
  });
  it('has no end date: still in force years later', () => {
    expect(houma.period.to).toBe('9999-12-31');
    const p = { projectId: 1, name: '培训', orgId: 1, orgPath: '/1/', startDate: '2030-07-10', moduleCategories: ['ethics'] };
    expect(evaluatePlanContent(rule<PlanContentRule>(houma, 'ethics-first-module'), p, houma, '2030-08-01').status).toBe('compliant');
  });
});
