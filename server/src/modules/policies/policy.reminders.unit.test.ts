import { describe, expect, it } from 'vitest';
import { loadPolicy } from './policy.loader.js';
import { reminderDays } from './policy.format.js';
import { reminderDue, reminderKey } from '../notifications/deadline-reminders.js';
import { reminderPolicy } from '../../../../test/reminder-policy.js';

/** A minimal valid document; `top` goes before rules:, `rule` into the first rule. */
const doc = (top = '', rule = '') => reminderPolicy({ key: 'test-reminders', title: '提醒设置测试政策', top, homeroom: rule });

const errorsOf = (text: string) => {
  const r = loadPolicy(text);
  expect(r.ok).toBe(false);
  return r.errors.map((e) => ({ line: e.line, path: e.path, message: e.message }));
};

describe('policy document: reminders (达标期限提醒)', () => {
  it('absent: every rule is reminded 7 days before its deadline', () => {
    const r = loadPolicy(doc());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.policy.reminders).toBeUndefined();
    expect(r.policy.rules.map((rule) => reminderDays(r.policy, rule))).toEqual([[7], [7]]);
  });

  it('a document-wide setting applies to every rule; a rule may override it; days come largest first', () => {
    const r = loadPolicy(doc('reminders: { daysBefore: [7, 30] }\n', '    reminders: { daysBefore: [3] }\n'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.policy.reminders).toEqual({ daysBefore: [7, 30] });
    expect(r.policy.rules.map((rule) => reminderDays(r.policy, rule))).toEqual([[3], [30, 7]]);
  });

  it('block style works too', () => {
    const r = loadPolicy(doc('reminders:\n  daysBefore:\n    - 60\n    - 14\n    - 1\n'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(reminderDays(r.policy, r.policy.rules[0])).toEqual([60, 14, 1]);
  });

  it('rejects a day count that is not a positive integer ≤ 365, naming the line and field', () => {
    // Line 7 is the reminders line of the document.
    expect(errorsOf(doc('reminders: { daysBefore: [30, 0] }\n'))).toEqual([
      { line: 7, path: 'reminders.daysBefore[1]', message: '第 7 行 reminders.daysBefore[1]：提醒天数应为 1—365 的整数' },
    ]);
    expect(errorsOf(doc('reminders: { daysBefore: [366] }\n'))).toEqual([
      { line: 7, path: 'reminders.daysBefore[0]', message: '第 7 行 reminders.daysBefore[0]：提醒天数不能超过 365 天' },
    ]);
    expect(errorsOf(doc('reminders: { daysBefore: [7.5] }\n'))[0].message).toContain('提醒天数应为 1—365 的整数');
    expect(errorsOf(doc('reminders: { daysBefore: [-3] }\n'))[0].message).toContain('提醒天数应为 1—365 的整数');
    expect(errorsOf(doc('reminders: { daysBefore: ["七"] }\n'))[0].message).toContain('提醒天数应为 1—365 的整数');
  });

  it('rejects more than 5 values, an empty list, duplicates, a bare number and unknown keys', () => {
    expect(errorsOf(doc('reminders: { daysBefore: [60, 30, 14, 7, 3, 1] }\n'))).toEqual([
      { line: 7, path: 'reminders.daysBefore', message: '第 7 行 reminders.daysBefore：提醒天数最多 5 个' },
    ]);
    expect(errorsOf(doc('reminders: { daysBefore: [] }\n'))[0].message).toBe('第 7 行 reminders.daysBefore：至少填写一个提醒天数，例如 [7]');
    expect(errorsOf(doc('reminders: { daysBefore: [30, 7, 30] }\n'))[0].message).toBe('第 7 行 reminders.daysBefore[2]：提醒天数 30 重复');
    expect(errorsOf(doc('reminders: { daysBefore: 7 }\n'))[0].message).toBe('第 7 行 reminders.daysBefore：daysBefore 应为天数列表，例如 [30, 7]');
    const misspelt = errorsOf(doc('reminders: { days: [7] }\n')).map((e) => e.message);
    expect(misspelt).toContain('第 7 行 reminders.days：无法识别的字段 “days”，请检查拼写（字段名区分大小写）');
    expect(misspelt).toContain('第 7 行 reminders.daysBefore：daysBefore 应为天数列表，例如 [30, 7]');
  });

  it('an error in a rule’s own setting points at that rule’s line', () => {
    // The rule's reminders line is line 16 (after the 8 lines of the first rule starting at line 8).
    const errors = errorsOf(doc('', '    reminders: { daysBefore: [0] }\n'));
    expect(errors).toEqual([
      { line: 16, path: 'rules[0].reminders.daysBefore[0]', message: '第 16 行 rules[0].reminders.daysBefore[0]：提醒天数应为 1—365 的整数' },
    ]);
  });
});

describe('which reminder is due', () => {
  it('the smallest configured day count not below the days left; none beyond the largest', () => {
    const days = [30, 7];
    expect(reminderDue(days, 31)).toBeNull();
    expect(reminderDue(days, 30)).toBe(30);
    expect(reminderDue(days, 20)).toBe(30);
    expect(reminderDue(days, 7)).toBe(7);
    expect(reminderDue(days, 0)).toBe(7);
    expect(reminderDue([7], 8)).toBeNull();
  });

  it('each day count has its own dedupe key; the 7-day key is the one used before the setting existed', () => {
    expect(reminderKey(3, 'homeroom-annual', '2025-12-31', 7)).toBe('deadline:3:homeroom-annual:2025-12-31');
    expect(reminderKey(3, 'homeroom-annual', '2025-12-31', 30)).toBe('deadline:3:homeroom-annual:2025-12-31:30d');
  });
});
