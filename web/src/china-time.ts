import dayjs, { type Dayjs } from 'dayjs';

/**
 * The China wall clock (UTC+8, no daylight saving) as a Dayjs, whatever zone the browser is in. Business
 * dates — form defaults, "not after today", 逾期, this year — follow the server's todayInChina(); the
 * browser's own "today" differs for 8 hours a day when it runs in UTC (or anywhere outside UTC+8).
 */
export function chinaNow(now: number = Date.now()): Dayjs {
  return dayjs(now + (480 + new Date(now).getTimezoneOffset()) * 60_000);
}

/** Today in China at 00:00 (for DatePicker defaults and comparisons with 'day' precision). */
export const chinaToday = (now?: number): Dayjs => chinaNow(now).startOf('day');

/** Today in China, 'YYYY-MM-DD'. */
export const chinaTodayISO = (now?: number): string => chinaNow(now).format('YYYY-MM-DD');

/** This year in China. */
export const chinaYear = (now?: number): number => chinaNow(now).year();

/** Whether a picker's day is after today in China (a DatePicker's disabledDate for past-only dates). */
export const afterChinaToday = (d: Dayjs): boolean => d.isAfter(chinaToday(), 'day');

/** The China date of a server value: a 'YYYY-MM-DD' date as is, an instant (ISO timestamp) at UTC+8. */
export function chinaDateOf(value: string): Dayjs {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? dayjs(value) : chinaNow(Date.parse(value)).startOf('day');
}
