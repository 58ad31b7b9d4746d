import { afterEach, describe, expect, it } from 'vitest';
import { chinaNow, chinaTodayISO, chinaYear } from './china-time';

const original = process.env.TZ;
afterEach(() => {
  process.env.TZ = original;
});

// 2026-12-03 17:30 UTC is already 2026-12-04 01:30 in China; 2026-12-31 16:00 UTC is New Year in China.
const EVENING_UTC = Date.UTC(2026, 11, 3, 17, 30);
const NEW_YEAR_UTC = Date.UTC(2026, 11, 31, 16, 0);

describe('the China wall clock in the browser', () => {
  for (const zone of ['UTC', 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
    it(`is China's date and time whatever the browser's zone (${zone})`, () => {
      process.env.TZ = zone;
      expect(chinaTodayISO(EVENING_UTC)).toBe('2026-12-04');
      expect(chinaNow(EVENING_UTC).format('YYYY-MM-DD HH:mm')).toBe('2026-12-04 01:30');
      expect(chinaYear(NEW_YEAR_UTC)).toBe(2027);
      expect(chinaTodayISO(NEW_YEAR_UTC - 1)).toBe('2026-12-31');
    });
  }
});
