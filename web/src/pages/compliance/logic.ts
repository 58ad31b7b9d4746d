/** Pure helpers of the compliance pages (unit-tested without a browser). */

/**
 * The trend's dates for a chosen evaluation date: the year ends of the policy period before it, and
 * the date itself (or the period's end). Without one, the server picks year ends and today.
 */
export function trendDates(period: { from: string; to: string | null } | undefined, asOf: string | undefined): string | undefined {
  if (!period || !asOf || asOf < period.from) return undefined;
  const end = period.to && period.to < asOf ? period.to : asOf;
  const out: string[] = [];
  for (let y = Number(period.from.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) if (`${y}-12-31` < end) out.push(`${y}-12-31`);
  out.push(end);
  return out.slice(-6).join(',');
}
