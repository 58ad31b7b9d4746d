import { describe, expect, it } from 'vitest';
import { emptyTotals } from '../compliance/compliance.summary.js';
import { OPEN_END } from '../policies/policy.format.js';
import { planYears, ruleStatus, zhNumber } from './region-reports.service.js';

describe('region report helpers', () => {
  it('numbers sections in Chinese past ten', () => {
    expect([1, 9, 10, 11, 12, 20, 25].map(zhNumber)).toEqual(['一', '九', '十', '十一', '十二', '二十', '二十五']);
  });

  it('charts the plan years up to the report year', () => {
    expect(planYears({ from: '2023-01-01', to: '2025-12-31' }, '2025-12-31')).toEqual([2023, 2024, 2025]);
    // A report after the plan ended stops at the plan's last year; an open-ended plan runs to the report year.
    expect(planYears({ from: '2023-01-01', to: '2025-12-31' }, '2026-06-30')).toEqual([2023, 2024, 2025]);
    expect(planYears({ from: '2023-05-23', to: OPEN_END }, '2026-06-30')).toEqual([2023, 2024, 2025, 2026]);
    // At most ten years.
    expect(planYears({ from: '2010-01-01', to: '2035-12-31' }, '2026-06-30')).toEqual([2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  it('gives a rule its most pressing outcome, or its single verdict', () => {
    const t = { ...emptyTotals(), subjects: 3, compliant: 1, dueSoon: 1, inProgress: 1 };
    expect(ruleStatus({ result: null, totals: t })).toBe('dueSoon');
    expect(ruleStatus({ result: null, totals: { ...t, overdue: 1 } })).toBe('overdue');
    expect(ruleStatus({ result: null, totals: { ...emptyTotals(), subjects: 2, compliant: 2 } })).toBe('compliant');
    expect(ruleStatus({ result: null, totals: { ...emptyTotals(), notApplicable: 4 } })).toBe('notApplicable');
    expect(ruleStatus({ result: { status: 'compliant' } as never, totals: t })).toBe('compliant');
  });
});
