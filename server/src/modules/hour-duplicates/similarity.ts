/**
 * Are two hour records likely the same course? Same teacher (the caller compares a teacher's own
 * records only), dates at most NEAR_DAYS apart, similar titles and similar hours.
 */

/** Dates this many days apart or fewer count as "near" (a course completed over a month, reported late). */
export const NEAR_DAYS = 31;
/** Bigram Dice coefficient of the normalised titles at or above this counts as similar. */
export const TITLE_SIMILARITY = 0.6;
/** The smaller hours at least this share of the larger (8 vs 12 is similar, 2 vs 40 is not). */
export const HOURS_RATIO = 0.5;

const CN_NUM = '0-9零〇一二三四五六七八九十百';

/**
 * A title reduced to what names the course: NFKC, lower case, no spaces or punctuation, no year
 * ("2026年", "2025-2026学年度"), no edition or class ("第三期", "2班", "（二）"), no "培训班/研修班" tail.
 */
export function normaliseTitle(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\d{4}\s*[-—~至]\s*\d{4}\s*学?年度?/g, '')
    .replace(/\d{2,4}\s*(学年度|年度|学年|年)/g, '')
    .replace(new RegExp(`第?[${CN_NUM}]+\\s*(期|班|批|届|轮)`, 'g'), '')
    .replace(new RegExp(`[（(][${CN_NUM}]+[）)]`, 'g'), '')
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/(培训班|研修班|学习班|班|期)$/u, '');
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const chars = [...s];
  if (chars.length === 1) m.set(s, 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Sørensen–Dice coefficient over character bigrams (with multiplicity): 1 = same, 0 = nothing shared. */
export function dice(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  const x = bigrams(a);
  const y = bigrams(b);
  let shared = 0;
  let total = 0;
  for (const n of x.values()) total += n;
  for (const [g, n] of y) {
    total += n;
    shared += Math.min(n, x.get(g) ?? 0);
  }
  return total ? (2 * shared) / total : 0;
}

// An import compares thousands of rows with each teacher's records: normalise each title once.
const normalised = new Map<string, string>();
function cachedNormal(s: string): string {
  let n = normalised.get(s);
  if (n === undefined) {
    if (normalised.size > 50_000) normalised.clear();
    n = normaliseTitle(s);
    normalised.set(s, n);
  }
  return n;
}

/** Title similarity of two raw titles (after normalising). */
export const titleSimilarity = (a: string, b: string) => dice(cachedNormal(a), cachedNormal(b));

const dayNumber = (iso: string) => Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
export const daysApart = (a: string, b: string) => Math.abs(dayNumber(a) - dayNumber(b));

export interface HourFact {
  title: string;
  hours: number;
  /** 'YYYY-MM-DD' */
  date: string;
  /** A record over a period (a project's sessions): its last day; date is the first. */
  dateTo?: string | null;
}

/** Days between two records' dates, 0 when one's period contains the other's date. */
function gap(a: HourFact, b: HourFact): number {
  const [a1, a2] = [a.date, a.dateTo ?? a.date];
  const [b1, b2] = [b.date, b.dateTo ?? b.date];
  if (a2 < b1) return daysApart(a2, b1);
  if (b2 < a1) return daysApart(b2, a1);
  return 0;
}

/** The title similarity when a and b are likely the same course, else null. */
export function duplicateScore(a: HourFact, b: HourFact): number | null {
  if (gap(a, b) > NEAR_DAYS) return null;
  const ha = Number(a.hours);
  const hb = Number(b.hours);
  if (Math.min(ha, hb) < HOURS_RATIO * Math.max(ha, hb)) return null;
  const sim = titleSimilarity(a.title, b.title);
  return sim >= TITLE_SIMILARITY ? sim : null;
}
