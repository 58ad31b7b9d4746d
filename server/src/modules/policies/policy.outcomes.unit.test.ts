/**
 * The four outcomes at their edges: 已达标, 进行中 (with the pace), 临期 (within the 临期 days, the boundary
 * day included), 未达标 (deadline passed). Each rule kind keeps its own deadline.
 */
import { describe, expect, it } from 'vitest';
import type { CredentialRule, HoursRule, StaffingRule, TargetRule } from './policy.format.js';
import { dueSoonDays, OPEN_END } from './policy.format.js';
import {
  evaluateCredential,
  evaluateHoursFromEntries,
  evaluateStaffing,
  evaluateTarget,
  outcomeOf,
  paceOn,
  type Entry,
  type PolicyFrame,
} from './policy.evaluate.js';
import { loadPolicy } from './policy.loader.js';
import { DEFAULT_DUE_SOON_DAYS, STATUS_COLORS, STATUS_LABELS, urgencyOf } from './policy.status.js';
import { parseRule, teacherFacts, TEST_PERIOD } from './policy.fixtures.js';
import { reminderPolicy } from '../../../../test/reminder-policy.js';

const policy: PolicyFrame = { period: TEST_PERIOD };
const e = (hours: number, occurredOn: string): Entry => ({ hours, category: 'subject', occurredOn });

/** 40 学时 a year; the 2025 window ends on 2025-12-31 (also the end of the test period). */
const annual = parseRule<HoursRule>({ kind: 'hours', label: '年度研修', who: { all: true }, categories: ['subject'], atLeast: 40, window: { every: 'year' } });
const t = teacherFacts();
const hours = (done: number, asOf: string, frame: PolicyFrame = policy, rule = annual) =>
  evaluateHoursFromEntries(rule, t, done ? [e(done, '2025-03-01')] : [], frame, asOf);

describe('outcomeOf', () => {
  it('met is compliant whatever the date; unmet is overdue once due, else dueSoon within the days (boundary included), else inProgress', () => {
    expect(outcomeOf(true, true, -5, 60)).toBe('compliant');
    expect(outcomeOf(true, false, 100, 60)).toBe('compliant');
    expect(outcomeOf(false, true, -1, 60)).toBe('overdue');
    expect(outcomeOf(false, false, 0, 60)).toBe('dueSoon');
    expect(outcomeOf(false, false, 60, 60)).toBe('dueSoon');
    expect(outcomeOf(false, false, 61, 60)).toBe('inProgress');
    expect(outcomeOf(false, false, null, 60)).toBe('inProgress');
  });
});

describe('hours rules at the deadline edges (临期 = 60 days by default)', () => {
  it('61 days before: 进行中; 60 days before: 临期; the day before and the day itself: 临期; the day after: 未达标', () => {
    expect(hours(10, '2025-10-31')).toMatchObject({ status: 'inProgress', daysLeft: 61, due: false });
    expect(hours(10, '2025-11-01')).toMatchObject({ status: 'dueSoon', daysLeft: 60, due: false });
    expect(hours(10, '2025-12-30')).toMatchObject({ status: 'dueSoon', daysLeft: 1, due: false });
    // The deadline day: still 临期 (today is the last day), but due — it counts in the 达标率.
    const today = hours(10, '2025-12-31');
    expect(today).toMatchObject({ status: 'dueSoon', daysLeft: 0, due: true });
    expect(today.explanation).toContain('还需 30 学时 年度研修，今天截止（2025-12-31）');
    const after = hours(10, '2026-01-01');
    expect(after).toMatchObject({ status: 'overdue', daysLeft: -1, due: true, pace: null });
    expect(after.explanation).toBe('还差 30 学时 年度研修，截止 2025-12-31 已过');
  });

  it('done exactly = required is 已达标 before, at and after the deadline; 0.1 less is not', () => {
    for (const asOf of ['2025-06-30', '2025-12-31', '2026-01-01']) expect(hours(40, asOf).status).toBe('compliant');
    expect(hours(40, '2025-12-30')).toMatchObject({ due: false, shortfall: 0 });
    expect(hours(40, '2025-12-31')).toMatchObject({ due: true, shortfall: 0 });
    expect(hours(40, '2026-01-01')).toMatchObject({ due: true });
    expect(hours(39.9, '2025-12-31')).toMatchObject({ status: 'dueSoon', shortfall: 0.1 });
    expect(hours(39.9, '2026-01-01')).toMatchObject({ status: 'overdue', shortfall: 0.1 });
  });

  it('pace: required × days elapsed (the evaluation day included) ÷ days of the window; behind when done is less', () => {
    // A 10-day window asking 10 学时: 1 学时 a day.
    const tenDays = parseRule<HoursRule>({
      kind: 'hours',
      label: '短期研修',
      who: { all: true },
      categories: ['subject'],
      atLeast: 10,
      window: { from: '2025-01-01', to: '2025-01-10' },
      reminders: { dueSoonDays: 2 },
    });
    const on = (done: number, asOf: string) => evaluateHoursFromEntries(tenDays, t, done ? [e(done, '2025-01-01')] : [], policy, asOf);
    expect(on(5, '2025-01-05')).toMatchObject({ status: 'inProgress', pace: { expected: 5, behind: false }, daysLeft: 5 });
    expect(on(5, '2025-01-05').explanation).toBe('还需 5 学时 短期研修，剩余 5 天（截止 2025-01-10）；按进度此时应完成 5 学时，进度正常');
    expect(on(4.9, '2025-01-05')).toMatchObject({ status: 'inProgress', pace: { expected: 5, behind: true } });
    expect(on(4.9, '2025-01-05').explanation).toBe('还需 5.1 学时 短期研修，剩余 5 天（截止 2025-01-10）；按进度此时应完成 5 学时，落后 0.1 学时');
    expect(on(0, '2025-01-01').pace).toEqual({ expected: 1, behind: true });
    // Within the rule's 2 临期 days the pace is still given.
    expect(on(7, '2025-01-08')).toMatchObject({ status: 'dueSoon', pace: { expected: 8, behind: true }, daysLeft: 2 });
    expect(paceOn('2025-01-01', '2025-01-10', '2025-01-10', 10, 10)).toEqual({ expected: 10, behind: false });
  });

  it('the first day of a 5-year 360-学时 cycle: 进行中, nobody 未达标', () => {
    const cycle = parseRule<HoursRule>(
      { kind: 'hours', who: { all: true }, categories: 'any', atLeast: 360, window: { cycle: { years: 5, anchor: '2026-01-01' } } },
      { from: '2026-01-01', to: '2030-12-31' },
    );
    const frame: PolicyFrame = { period: { from: '2026-01-01', to: '2030-12-31' } };
    const r = evaluateHoursFromEntries(cycle, teacherFacts({ hireDate: '2010-01-01' }), [], frame, '2026-01-01');
    expect(r).toMatchObject({ status: 'inProgress', due: false, daysLeft: 1825, deadline: '2030-12-31' });
    // A teacher who trained on day one is on pace.
    expect(evaluateHoursFromEntries(cycle, t, [e(1, '2026-01-01')], frame, '2026-01-01').pace).toEqual({ expected: 0.2, behind: false });
  });

  it('a rolling window ends on the evaluation date: the requirement holds now, unmet is 未达标', () => {
    const rolling = parseRule<HoursRule>({ kind: 'hours', who: { all: true }, categories: 'any', atLeast: 20, window: { rolling: { years: 2 } } });
    expect(evaluateHoursFromEntries(rolling, t, [e(10, '2025-03-01')], policy, '2025-06-01')).toMatchObject({ status: 'overdue', due: true });
    expect(evaluateHoursFromEntries(rolling, t, [e(20, '2025-03-01')], policy, '2025-06-01')).toMatchObject({ status: 'compliant', due: true });
  });
});

describe('the 临期 days setting', () => {
  it('defaults to 60, or the largest reminder day count when larger; the document and the rule may set it', () => {
    expect(DEFAULT_DUE_SOON_DAYS).toBe(60);
    expect(dueSoonDays({}, {})).toBe(60);
    expect(dueSoonDays({ reminders: { daysBefore: [90, 7] } }, {})).toBe(90);
    expect(dueSoonDays({ reminders: { dueSoonDays: 30 } }, {})).toBe(30);
    expect(dueSoonDays({ reminders: { dueSoonDays: 30 } }, { reminders: { dueSoonDays: 10 } })).toBe(10);
    // 30 days before the deadline: 临期 by default, 进行中 when the document says 14.
    expect(hours(10, '2025-12-01').status).toBe('dueSoon');
    expect(hours(10, '2025-12-01', { ...policy, reminders: { dueSoonDays: 14 } }).status).toBe('inProgress');
    expect(hours(10, '2025-12-17', { ...policy, reminders: { dueSoonDays: 14 } }).status).toBe('dueSoon');
  });

  it('is read from the policy document, with daysBefore or alone; a bad value is refused in Chinese at its line', () => {
    const doc = (top: string) => reminderPolicy({ key: 'test-due-soon', title: '临期设置测试政策', top });
    const ok = loadPolicy(doc('reminders: { dueSoonDays: 30 }\n'));
    expect(ok.ok && ok.policy.reminders).toEqual({ dueSoonDays: 30 });
    const both = loadPolicy(doc('reminders: { daysBefore: [7], dueSoonDays: 45 }\n'));
    expect(both.ok && dueSoonDays(both.policy, both.policy.rules[0])).toBe(45);
    const bad = loadPolicy(doc('reminders: { dueSoonDays: 0 }\n'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((x) => x.message)).toEqual(['第 7 行 reminders.dueSoonDays：临期天数应为 1—365 的整数']);
  });
});

describe('the other rule kinds keep their deadlines', () => {
  it('credential with a deadline: 进行中 / 临期 / 未达标 around it; without one it holds at once', () => {
    const mandarin = parseRule<CredentialRule>({ kind: 'credential', who: { all: true }, require: { mandarin: { atLeast: '2A' } }, deadline: '2025-12-31' });
    const low = teacherFacts({ mandarinLevel: '2B' });
    expect(evaluateCredential(mandarin, low, policy, '2025-10-31')).toMatchObject({ status: 'inProgress', pace: null });
    expect(evaluateCredential(mandarin, low, policy, '2025-11-01')).toMatchObject({ status: 'dueSoon', daysLeft: 60 });
    expect(evaluateCredential(mandarin, low, policy, '2025-12-31')).toMatchObject({ status: 'dueSoon', daysLeft: 0, due: true });
    expect(evaluateCredential(mandarin, low, policy, '2026-01-01')).toMatchObject({ status: 'overdue', due: true });
    const now = parseRule<CredentialRule>({ kind: 'credential', who: { all: true }, require: { mandarin: { atLeast: '2A' } } });
    expect(evaluateCredential(now, low, policy, '2024-06-01')).toMatchObject({ status: 'overdue', due: true, daysLeft: null });
    expect(evaluateCredential(now, teacherFacts({ mandarinLevel: '1B' }), policy, '2024-06-01')).toMatchObject({ status: 'compliant', due: true });
  });

  it('staffing without a deadline is due at the end of the policy period; an open-ended policy never makes it 未达标', () => {
    const psych = parseRule<StaffingRule>({ kind: 'staffing', per: 'school', count: { role: 'psychFullTime' }, atLeast: 1 });
    const none = { teachers: [teacherFacts()] };
    expect(evaluateStaffing(psych, none, policy, '2024-06-01')).toMatchObject({ status: 'inProgress', deadline: '2025-12-31' });
    expect(evaluateStaffing(psych, none, policy, '2025-12-01')).toMatchObject({ status: 'dueSoon' });
    const late = evaluateStaffing(psych, none, policy, '2026-03-01');
    expect(late).toMatchObject({ status: 'overdue', due: true });
    expect(late.explanation).toBe('还差 1 人 专职心理健康教师（现有 0 人，应至少 1 人），实施期已于 2025-12-31 结束');
    const open: PolicyFrame = { period: { from: '2023-01-01', to: OPEN_END } };
    expect(evaluateStaffing(psych, none, open, '2040-01-01')).toMatchObject({ status: 'inProgress', deadline: null, daysLeft: null });
  });

  it('a cumulative target is due at the end of its years', () => {
    const studios = parseRule<TargetRule>({
      kind: 'target',
      metric: 'studios.masterTeacher.city',
      aggregate: 'cumulative',
      years: { from: 2023, to: 2025 },
      atLeast: 45,
    });
    const v = new Map([
      [2023, 15],
      [2024, 14],
    ]);
    expect(evaluateTarget(studios, v, policy, '2025-06-01').status).toBe('inProgress');
    expect(evaluateTarget(studios, v, policy, '2025-11-15').status).toBe('dueSoon');
    expect(evaluateTarget(studios, v, policy, '2026-01-05').status).toBe('overdue');
  });
});

describe('labels and colours', () => {
  it('come from one place: 已达标 green, 进行中 blue, 临期 orange, 未达标 red', () => {
    expect([STATUS_LABELS.compliant, STATUS_LABELS.inProgress, STATUS_LABELS.dueSoon, STATUS_LABELS.overdue]).toEqual(['已达标', '进行中', '临期', '未达标']);
    expect([STATUS_COLORS.compliant, STATUS_COLORS.inProgress, STATUS_COLORS.dueSoon, STATUS_COLORS.overdue]).toEqual(['green', 'blue', 'orange', 'red']);
  });

  it('urgency on the worklist: 未达标, 临期, behind pace, on pace; none for the rest', () => {
    expect(urgencyOf({ status: 'overdue', pace: null })).toBe('overdue');
    expect(urgencyOf({ status: 'dueSoon', pace: { behind: false } })).toBe('dueSoon');
    expect(urgencyOf({ status: 'inProgress', pace: { behind: true } })).toBe('behind');
    expect(urgencyOf({ status: 'inProgress', pace: null })).toBe('onPace');
    expect(urgencyOf({ status: 'compliant', pace: null })).toBeNull();
  });
});
