// Imported by the web app too (the preview recomputes while the total is typed): no Node or database imports.

/** How a total is split among units: evenly, by teachers, or by teachers who still need this training. */
export const SPLIT_METHODS = { even: '平均分配', teachers: '按教师人数', needing: '按仍需培训人数' } as const;
export type SplitMethod = keyof typeof SPLIT_METHODS;

/**
 * Split `total` among units in proportion to their weights, in whole numbers that sum exactly to the total
 * (largest remainder: everyone gets the floor of their share, the seats left go to the largest fractions,
 * ties to the larger weight, then to the earlier unit). All weights zero: split evenly.
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  if (!weights.length || total <= 0) return weights.map(() => 0);
  const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const sum = w.reduce((a, b) => a + b, 0);
  const used = sum > 0 ? w : w.map(() => 1);
  const all = sum > 0 ? sum : w.length;
  const exact = used.map((x) => (total * x) / all);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - out[i], weight: used[i] })).sort((a, b) => b.frac - a.frac || b.weight - a.weight || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    if (o.weight <= 0) continue;
    out[o.i]++;
    left--;
  }
  return out;
}

/**
 * Rows pasted from Excel (two columns "单位, 名额", tab- or comma-separated, an optional header row) matched to
 * the units by name. Returns the quotas found and the lines that could not be read, each with its reason.
 */
export function parsePastedQuotas(
  text: string,
  units: readonly { orgId: number; orgName: string }[],
): { items: { orgId: number; quota: number }[]; problems: string[] } {
  const byName = new Map(units.map((u) => [u.orgName.trim(), u.orgId]));
  const items = new Map<number, number>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (!line) return;
    const [name = '', value = ''] = line.split(/\t|,|，/).map((c) => c.trim());
    if (n === 0 && !/\d/.test(value)) return; // a header row such as "单位	名额"
    const orgId = byName.get(name);
    const quota = Number(value);
    if (orgId === undefined) problems.push(`第 ${n + 1} 行：找不到单位「${name}」`);
    else if (!/^\d+$/.test(value) || !Number.isSafeInteger(quota)) problems.push(`第 ${n + 1} 行：「${name}」的名额「${value}」不是非负整数`);
    else items.set(orgId, quota);
  });
  return { items: [...items].map(([orgId, quota]) => ({ orgId, quota })), problems };
}
