import { describe, expect, it } from 'vitest';
import { addDays, localInstant, todayInChina, yearInChina } from './china-time.js';

describe('the China clock on the server', () => {
  it('is a day ahead of UTC from 16:00 UTC on', () => {
    expect(todayInChina(Date.UTC(2026, 11, 3, 15, 59))).toBe('2026-12-03');
    expect(todayInChina(new Date(Date.UTC(2026, 11, 3, 16, 0)))).toBe('2026-12-04');
    expect(yearInChina(Date.UTC(2026, 11, 31, 16, 0))).toBe(2027);
  });

  it('places a session start in China time and counts days across months', () => {
    expect(localInstant('2026-12-04', '08:30').toISOString()).toBe('2026-12-04T00:30:00.000Z');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
