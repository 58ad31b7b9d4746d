/**
 * The platform's one clock for business dates. Every region it serves keeps China Standard Time
 * (UTC+8, no daylight saving), so "today", "this year" and a session's wall-clock start are a fixed
 * offset from UTC — never the server process's own zone, which is often UTC (between 16:00 and 24:00
 * UTC the date in China is already the next day).
 */
export const LOCAL_UTC_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3600_000;

/** Today's date in China, 'YYYY-MM-DD'. */
export function todayInChina(now: Date | number = Date.now()): string {
  const ms = typeof now === 'number' ? now : now.getTime();
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** This year in China (a yearly figure's default year). */
export function yearInChina(now: Date | number = Date.now()): number {
  return Number(todayInChina(now).slice(0, 4));
}

/** The date `days` after (or before, when negative) a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
}

/** The instant a local date + 'HH:MM' (e.g. a session's start) happens. */
export function localInstant(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00${LOCAL_UTC_OFFSET}`);
}

/** Today in China inside SQL (CURRENT_DATE follows the session's zone, often UTC). */
export const SQL_TODAY_IN_CHINA = "(now() AT TIME ZONE INTERVAL '+08:00')::date";
