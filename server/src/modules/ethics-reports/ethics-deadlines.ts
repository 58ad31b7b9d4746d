import type { Queryable } from '../../db/db.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { DEFAULT_ETHICS, type EthicsPolicy } from '../policies/policy.ethics.js';
import { citeLabel } from '../policies/policy.cite.js';

/**
 * Deadlines of a report in working days, and the region's category vocabulary, from the policy data in force for the
 * handling bureau (the `ethics` key of a policy document, policy.ethics.ts), else the platform's defaults.
 * Working days are Monday to Friday: there is no holiday table yet, so 法定节假日 count as working days.
 */

const dayMs = 86_400_000;

/** The date `n` working days (Mon–Fri) after `from` (YYYY-MM-DD); the day of receipt itself does not count. */
export function addWorkingDays(from: string, n: number): string {
  let t = Date.parse(`${from}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    t += dayMs;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return new Date(t).toISOString().slice(0, 10);
}

export interface EthicsRules {
  ethics: EthicsPolicy;
  /** Where they come from: the policy's title and citation, or null for the platform's defaults. */
  source: { policyKey: string; title: string; cite: string | null } | null;
}

/**
 * The rules in force on `day` for a bureau: the `ethics` key of the policy attached nearest to it (its own org, then
 * upwards) whose period holds that day; else DEFAULT_ETHICS.
 */
export async function ethicsRulesFor(q: Queryable, orgPath: string, day: string): Promise<EthicsRules> {
  const loaded = await policiesInForceAt(q, orgPath);
  let best: { depth: number; rules: EthicsRules } | null = null;
  for (const p of loaded) {
    const e = p.policy.ethics;
    if (!e || p.policy.period.from > day || p.policy.period.to < day) continue;
    const depth = Math.max(...p.attachments.map((a) => a.org_path.length));
    if (!best || depth > best.depth) {
      const cite = e.cite ? citeLabel({ title: e.cite.title ?? p.policy.source.title ?? p.policy.title, file: e.cite.file, section: e.cite.section }) : null;
      best = { depth, rules: { ethics: e, source: { policyKey: p.key, title: p.policy.title, cite } } };
    }
  }
  return best?.rules ?? { ethics: DEFAULT_ETHICS, source: null };
}

/** 受理 and 办结 deadlines of a report received on `receivedOn`. */
export function deadlinesOf(ethics: EthicsPolicy, receivedOn: string): { respondBy: string; concludeBy: string } {
  return {
    respondBy: addWorkingDays(receivedOn, ethics.deadlines.respondWorkingDays),
    concludeBy: addWorkingDays(receivedOn, ethics.deadlines.concludeWorkingDays),
  };
}

/**
 * The category labels in force on `day` for each handling bureau path (a code unknown there keeps its code): the
 * report list, the case list and the case page name categories the way the region's vocabulary does.
 */
export async function categoryLabelsAt(q: Queryable, orgPaths: string[], day: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of new Set(orgPaths)) {
    const rules = await ethicsRulesFor(q, path, day);
    for (const c of rules.ethics.categories) if (!out.has(c.code)) out.set(c.code, c.label);
  }
  return out;
}
