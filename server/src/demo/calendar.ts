/** Dates as day numbers (days since 1970-01-01, UTC): cheap to compare and add in the generator's hot loops. */

const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
}

const isoCache = new Map<number, string>();
/** 'YYYY-MM-DD' of a day number (memoised: the generator formats the same few thousand days millions of times). */
export function isoOf(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

export function ymd(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Saturdays and Sundays are moved to the next Monday: training happens on working days. */
export function workday(day: number): number {
  const dow = new Date(day * MS_PER_DAY).getUTCDay();
  return dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
}

/** An ISO timestamp (China time, +08:00) for a day and 'HH:MM'. */
export function stamp(day: number, hhmm: string): string {
  return `${isoOf(day)}T${hhmm}:00+08:00`;
}
