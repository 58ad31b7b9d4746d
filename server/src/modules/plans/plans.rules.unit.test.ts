import { describe, expect, it } from 'vitest';
import { PLAN_CYCLE_DEFAULT, planCycleSchema } from '../policies/policy.plans.js';
import { Cite } from '../policies/policy.format.js';
import { daysBetween, deadlineOf, isLate, reminderDueOn, weightedTotal } from './plans.rules.js';

describe('plan cycle rules', () => {
  it('the default deadline is 5-31 (004) and a plan is late from the China date 6-01', () => {
    expect(deadlineOf(PLAN_CYCLE_DEFAULT, 2025)).toBe('2025-05-31');
    expect(isLate(PLAN_CYCLE_DEFAULT, 2025, '2025-05-31')).toBe(false);
    expect(isLate(PLAN_CYCLE_DEFAULT, 2025, '2025-06-01')).toBe(true);
    expect(PLAN_CYCLE_DEFAULT.cite?.[0].text).toContain('5月31日前报回');
  });

  it('reminds on the smallest configured day count not below the days left, never after the deadline', () => {
    expect(reminderDueOn(PLAN_CYCLE_DEFAULT, 20)).toBeNull();
    expect(reminderDueOn(PLAN_CYCLE_DEFAULT, 14)).toBe(14);
    expect(reminderDueOn(PLAN_CYCLE_DEFAULT, 8)).toBe(14);
    expect(reminderDueOn(PLAN_CYCLE_DEFAULT, 7)).toBe(7);
    expect(reminderDueOn(PLAN_CYCLE_DEFAULT, 0)).toBe(1);
    expect(reminderDueOn(PLAN_CYCLE_DEFAULT, -1)).toBeNull();
    expect(daysBetween('2025-05-17', '2025-05-31')).toBe(14);
  });

  it('weights only the components that apply: (40 × 83.3 + 30 × 50 + 30 × 80) ÷ 100 = 72.3; without 学时 (60 × …) = 65', () => {
    expect(
      weightedTotal([
        { weight: 40, score: 83.3 },
        { weight: 30, score: 50 },
        { weight: 30, score: 80 },
        { weight: 0, score: 10 },
      ]),
    ).toBe(72.3);
    expect(
      weightedTotal([
        { weight: 40, score: null },
        { weight: 30, score: 50 },
        { weight: 30, score: 80 },
      ]),
    ).toBe(65);
    expect(weightedTotal([{ weight: 40, score: null }])).toBe(0);
  });

  it('rejects a bad deadline, duplicate codes and zero total weight in Chinese', () => {
    const schema = planCycleSchema(Cite);
    const bad = schema.safeParse({ ...PLAN_CYCLE_DEFAULT, deadline: '5-31' });
    expect(bad.error?.issues[0].message).toBe('截止日期应为 MM-DD，例如 05-31');
    const dup = schema.safeParse({ ...PLAN_CYCLE_DEFAULT, components: [PLAN_CYCLE_DEFAULT.components[0], PLAN_CYCLE_DEFAULT.components[0]] });
    expect(dup.error?.issues[0].message).toBe('考核项代码 hours 重复');
    const zero = schema.safeParse({ ...PLAN_CYCLE_DEFAULT, components: [{ code: 'a', label: '某项', source: 'bureau', weight: 0 }] });
    expect(zero.error?.issues[0].message).toBe('考核项权重之和应大于 0');
  });
});
