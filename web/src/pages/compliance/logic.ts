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

/**
 * The policy the dashboard opens on for a date (today, or the chosen evaluation date): among the
 * policies in force at the user's org (all listed ones if none is), the first whose period contains the
 * date — the list comes ordered here before above before below — else the one with the latest period.
 */
export function openingPolicyId(list: { id: number; inForce: boolean; period: { from: string; to: string | null } }[], on: string): number | undefined {
  const pool = list.some((p) => p.inForce) ? list.filter((p) => p.inForce) : list;
  const current = pool.find((p) => p.period.from <= on && (p.period.to === null || p.period.to >= on));
  if (current) return current.id;
  const end = (p: (typeof pool)[number]) => p.period.to ?? '9999-12-31';
  return [...pool].sort((a, b) => end(b).localeCompare(end(a)) || b.period.from.localeCompare(a.period.from))[0]?.id;
}
