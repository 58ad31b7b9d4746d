import { describe, expect, it } from 'vitest';
import { defaultAsOf } from './report-api';

describe('the report date a page opens with', () => {
  it('is today within the plan, the plan’s last day once it has ended', () => {
    expect(defaultAsOf({ from: '2022-01-01', to: '2035-12-31' }, '2026-12-04')).toBe('2026-12-04');
    expect(defaultAsOf({ from: '2023-01-01', to: '2025-12-31' }, '2026-12-04')).toBe('2025-12-31');
    expect(defaultAsOf({ from: '2023-05-23', to: null }, '2026-12-04')).toBe('2026-12-04');
    expect(defaultAsOf(undefined, '2026-12-04')).toBe('2026-12-04');
  });
});
