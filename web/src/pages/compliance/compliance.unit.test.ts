import { describe, expect, it } from 'vitest';
import { trendDates } from './logic';

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
