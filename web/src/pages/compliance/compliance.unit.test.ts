import { describe, expect, it } from 'vitest';
import { openingPolicyId, trendDates } from './logic';

describe('trend dates for a chosen evaluation date', () => {
  const period = { from: '2023-01-01', to: '2025-12-31' };
  it('takes the year ends before the date and the date itself', () => {
    expect(trendDates(period, '2025-06-30')).toBe('2023-12-31,2024-12-31,2025-06-30');
  });
  it('stops at the end of the period', () => {
    expect(trendDates(period, '2027-03-01')).toBe('2023-12-31,2024-12-31,2025-12-31');
  });
  it('leaves the default to the server without a date, or before the period', () => {
    expect(trendDates(period, undefined)).toBeUndefined();
    expect(trendDates(period, '2022-05-01')).toBeUndefined();
  });
  it('keeps at most six points for an open-ended policy', () => {
    expect(trendDates({ from: '2015-01-01', to: null }, '2025-03-01')!.split(',')).toEqual([
      '2020-12-31',
      '2021-12-31',
      '2022-12-31',
      '2023-12-31',
      '2024-12-31',
      '2025-03-01',
    ]);
  });
});

describe('the policy the dashboard opens on', () => {
  const ended = { id: 1, inForce: true, period: { from: '2023-01-01', to: '2025-12-31' } };
  const current = { id: 2, inForce: true, period: { from: '2022-01-01', to: '2035-12-31' } };
  const later = { id: 3, inForce: true, period: { from: '2027-01-01', to: null } };
  const elsewhere = { id: 4, inForce: false, period: { from: '2026-01-01', to: '2026-12-31' } };
  it('is the one in force on the date, not one that has ended, even when the ended one is listed first', () => {
    expect(openingPolicyId([ended, current, elsewhere], '2026-12-03')).toBe(2);
    expect(openingPolicyId([ended, current], '2025-06-30')).toBe(1);
  });
  it('else the latest, and only among the policies in force at the org when there are any', () => {
    expect(openingPolicyId([ended, later, elsewhere], '2026-06-01')).toBe(3);
    expect(openingPolicyId([ended, elsewhere], '2026-06-01')).toBe(1);
    expect(openingPolicyId([{ ...elsewhere }], '2026-06-01')).toBe(4);
    expect(openingPolicyId([], '2026-06-01')).toBeUndefined();
  });
});
