import type { Queryable } from '../../db/db.js';
import * as repo from './funds.repository.js';

/**
 * The money figures the policy engine's `funding` rules read (issue 14 item 6), per org of a subtree and year, in
 * yuan: the spending side (trainingBudget / trainingSpent) is the sum of the org's entries minus 冲销 — or, where a
 * bureau typed one, the override in force (reason, who, when); the bases (publicFundBudget, salaryTotal) are the
 * current figure entered on the funds page. An org with no funds record for the year is absent, so the engine falls
 * back to the figures typed before migration 0062 (目标与经费数据).
 */
export interface FundFigure {
  /** Spending that counts (yuan): the override where there is one, else the platform's sum. */
  spent: number | null;
  /** The platform's own sum of entries (yuan), null when the org has no entry in the year. */
  platformSpent: number | null;
  override: repo.OverrideRow | null;
  publicFundBudget: number | null;
  salaryTotal: number | null;
}

export async function fundFigures(q: Queryable, rootPath: string, year: number): Promise<Map<number, FundFigure>> {
  const [spent, bases, overrides] = await Promise.all([
    repo.spentByOrg(q, rootPath, year),
    repo.basesByOrg(q, rootPath, year),
    repo.overridesByOrg(q, rootPath, year),
  ]);
  const out = new Map<number, FundFigure>();
  const ids = new Set([...spent.keys(), ...bases.keys(), ...overrides.keys()]);
  for (const id of ids) {
    const s = spent.get(id);
    const o = overrides.get(id) ?? null;
    const b = bases.get(id);
    const platformSpent = s === undefined ? null : s / 100;
    out.set(id, {
      platformSpent,
      override: o,
      // An org that entered bases but no spending yet has spent 0 (a real zero, not missing data).
      spent: o ? o.amount_fen / 100 : (platformSpent ?? 0),
      publicFundBudget: b?.has('publicFundBudget') ? b.get('publicFundBudget')! / 100 : null,
      salaryTotal: b?.has('salaryTotal') ? b.get('salaryTotal')! / 100 : null,
    });
  }
  return out;
}

/** The value of a funding metric from the funds records, or undefined when the funds module has none for it. */
export function fundMetric(f: FundFigure | undefined, metric: string): number | undefined {
  if (!f) return undefined;
  if (metric === 'trainingBudget' || metric === 'trainingSpent') return f.spent ?? undefined;
  if (metric === 'publicFundBudget') return f.publicFundBudget ?? undefined;
  if (metric === 'salaryTotal') return f.salaryTotal ?? undefined;
  return undefined;
}

/** A funding rule's result says so when its spending is a manual override (like a target's 手工填报（覆盖平台记录）). */
export function withFundOverride<R extends { explanation: string }>(r: R, f: FundFigure | undefined): R {
  if (!f?.override) return r;
  const o = f.override;
  const platform = f.platformSpent === null ? '无' : `${f.platformSpent.toLocaleString('zh-CN')} 元`;
  return {
    ...r,
    explanation: `${r.explanation}；培训经费支出为手工填报（覆盖平台记录）：${(o.amount_fen / 100).toLocaleString('zh-CN')} 元（平台记录 ${platform}），${o.recorded_by_name ?? ''} ${o.recorded_at.slice(0, 10)} 录入，原因：${o.reason}`,
  };
}
