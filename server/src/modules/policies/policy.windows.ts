/**
 * Dates and windows, pure. Dates are 'YYYY-MM-DD' strings (what the DB layer returns); comparing
 * them as strings is comparing them as dates.
 */
import { OPEN_END, type Policy, type Window } from './policy.format.js';

export type IsoDate = string;

const toUtc = (d: IsoDate) => new Date(`${d}T00:00:00Z`);
const fromUtc = (d: Date): IsoDate => d.toISOString().slice(0, 10);

export function addDays(d: IsoDate, n: number): IsoDate {
  const x = toUtc(d);
  x.setUTCDate(x.getUTCDate() + n);
  return fromUtc(x);
}

const daysInMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** Same day n months later; the 31st (or 29 Feb) becomes the month's last day rather than spilling over. */
export function addMonths(d: IsoDate, n: number): IsoDate {
  const [y, m, day] = d.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  return fromUtc(new Date(Date.UTC(ny, nm, Math.min(day, daysInMonth(ny, nm)))));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: IsoDate, to: IsoDate) => Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);

export const addYears = (d: IsoDate, n: number) => addMonths(d, 12 * n);
export const yearOf = (d: IsoDate) => Number(d.slice(0, 4));
export const minDate = (a: IsoDate, b: IsoDate) => (a < b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

/** Calendar months [from, to] touches (a partial month counts as one). */
function monthIndex(d: IsoDate): number {
  return Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
}

export function monthsTouched(from: IsoDate, to: IsoDate): number {
  if (from > to) return 0;
  return monthIndex(to) - monthIndex(from) + 1;
}

export interface ResolvedWindow {
  from: IsoDate;
  to: IsoDate;
  /**
   * Chinese, always absolute (a year, dates), never "今年"/"本年度": after a policy ends the window is
   * its last one, e.g. '2025 年' evaluated in 2026. Examples: '2025 年', '2023-01-01 至 2025-12-31'.
   */
  label: string;
  /** year | term: "this year"; the rest: "this cycle/period" (the teacher page groups by it). */
  horizon: 'year' | 'cycle';
}

export type WindowResolution = { ok: true; window: ResolvedWindow } | { ok: false; reason: 'noHireDate' | 'notHiredYet' };

/**
 * School terms: 春季学期 from 1 February, 秋季学期 from 1 August to the end of January. The seeds never
 * define terms; these are the usual calendar and documented in policies/README.md.
 */
function termOf(d: IsoDate): ResolvedWindow {
  const y = yearOf(d);
  const md = d.slice(5);
  if (md >= '02-01' && md < '08-01') return { from: `${y}-02-01`, to: `${y}-07-31`, label: `${y} 年春季学期`, horizon: 'year' };
  const start = md >= '08-01' ? y : y - 1;
  return { from: `${start}-08-01`, to: addDays(`${start + 1}-02-01`, -1), label: `${start} 年秋季学期`, horizon: 'year' };
}

/**
 * The window instance a rule is judged in on date `on` (the evaluation date clamped into the
 * policy period). hireDate is needed only for afterHire windows.
 */
export function resolveWindow(w: Window, period: Policy['period'], on: IsoDate, hireDate: IsoDate | null = null): WindowResolution {
  if (w.every === 'year') {
    const y = yearOf(on);
    return { ok: true, window: { from: `${y}-01-01`, to: `${y}-12-31`, label: `${y} 年`, horizon: 'year' } };
  }
  if (w.every === 'term') return { ok: true, window: termOf(on) };
  if (w.period) {
    const label = period.to === OPEN_END ? `${period.from} 起` : `${period.from} 至 ${period.to}`;
    return { ok: true, window: { from: period.from, to: period.to, label, horizon: 'cycle' } };
  }
  if (w.from && w.to) return { ok: true, window: { from: w.from, to: w.to, label: `${w.from} 至 ${w.to}`, horizon: 'cycle' } };
  if (w.cycle) {
    const { years, anchor } = w.cycle;
    // Whole cycles since the anchor (negative before it), then the cycle holding `on`.
    let k = Math.floor((yearOf(on) - yearOf(anchor)) / years);
    let from = addYears(anchor, k * years);
    if (from > on) from = addYears(anchor, --k * years);
    else if (addYears(from, years) <= on) from = addYears(anchor, ++k * years);
    const to = addDays(addYears(from, years), -1);
    return { ok: true, window: { from, to, label: `${from.slice(0, 4)}—${to.slice(0, 4)} 年周期`, horizon: 'cycle' } };
  }
  if (w.rolling) {
    const from = addDays(addYears(on, -w.rolling.years), 1);
    return { ok: true, window: { from, to: on, label: `近 ${w.rolling.years} 年（${from} 至 ${on}）`, horizon: 'cycle' } };
  }
  if (w.afterHire) {
    if (!hireDate) return { ok: false, reason: 'noHireDate' };
    if (hireDate > on) return { ok: false, reason: 'notHiredYet' };
    const from = addDays(hireDate, -w.afterHire.leadDays);
    const to = addDays(addYears(hireDate, w.afterHire.years), -1);
    return { ok: true, window: { from, to, label: `入职 ${w.afterHire.years} 年内（${hireDate} 起）`, horizon: 'cycle' } };
  }
  throw new Error('unreachable: window validated by the schema');
}

export interface Interval {
  from: IsoDate | null;
  to: IsoDate | null;
}

/** Months of the window covered by the union of intervals (a partly covered month counts). */
export function monthsCovered(window: { from: IsoDate; to: IsoDate }, intervals: Interval[]): number {
  // Common case: held throughout.
  if (intervals.some((i) => (i.from === null || i.from <= window.from) && (i.to === null || i.to >= window.to))) return monthsTouched(window.from, window.to);
  const clipped = intervals
    .map((i) => ({ from: maxDate(i.from ?? window.from, window.from), to: minDate(i.to ?? window.to, window.to) }))
    .filter((i) => i.from <= i.to)
    .sort((a, b) => (a.from < b.from ? -1 : 1));
  let total = 0;
  let lastMonth = -1;
  for (const i of clipped) {
    const a = yearOf(i.from) * 12 + Number(i.from.slice(5, 7));
    const b = yearOf(i.to) * 12 + Number(i.to.slice(5, 7));
    const start = Math.max(a, lastMonth + 1);
    if (b >= start) total += b - start + 1;
    lastMonth = Math.max(lastMonth, b);
  }
  return total;
}

/** Round a required figure up to one decimal (ledger hours have one decimal), tolerant of float noise. */
export const ceil1 = (x: number) => Math.ceil(x * 10 - 1e-9) / 10;
export const round1 = (x: number) => Math.round(x * 10) / 10;
