/**
 * Session dates and times are local wall-clock times of the region. Every region this platform serves
 * is in China Standard Time (UTC+8, no daylight saving), so local time is a fixed offset.
 */
export const LOCAL_UTC_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3600_000;

/** Today's date in China, 'YYYY-MM-DD'. */
export function localToday(now = new Date()): string {
  return new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a session (local date + 'HH:MM') starts. */
export function localInstant(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00${LOCAL_UTC_OFFSET}`);
}
