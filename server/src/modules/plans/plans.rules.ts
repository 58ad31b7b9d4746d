/**
 * 计划报备 rules (issue 14 item 5): the `planCycle` key of the policy in force at a unit (policies/policy.plans.ts),
 * the filing deadline of a year, whether a filing is late (as of China dates), and which reminder is due.
 */
import type { Queryable } from '../../db/db.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { PLAN_CYCLE_DEFAULT, type PlanCyclePolicy } from '../policies/policy.plans.js';
import type { LoadedPolicy } from '../policies/policies.service.js';

export interface PlanRules {
  rules: PlanCyclePolicy;
  /** The policy title the rules come from, or the platform default. */
  source: string;
  /** The policy in force whose results the 年度考核 reads (the one carrying planCycle, else the nearest attached). */
  policy: LoadedPolicy | null;
}

export const DEFAULT_SOURCE = '平台默认规则（依据种子文件）';

const longest = (p: { attachments: { org_path: string }[] }) => Math.max(0, ...p.attachments.map((a) => a.org_path.length));

/** The plan-cycle rules in force at an org path on `date`: the nearest policy in force with a `planCycle` key, else the default. */
export async function planRulesAt(q: Queryable, orgPath: string, date: string): Promise<PlanRules> {
  const inForce = (await policiesInForceAt(q, orgPath))
    .filter((p) => p.policy.period.from <= date && date <= p.policy.period.to)
    .sort((a, b) => longest(b) - longest(a));
  const withKey = inForce.find((p) => p.policy.planCycle);
  if (withKey?.policy.planCycle) return { rules: withKey.policy.planCycle, source: withKey.policy.title, policy: withKey };
  return { rules: PLAN_CYCLE_DEFAULT, source: DEFAULT_SOURCE, policy: inForce[0] ?? null };
}

/** The deadline of a year's filing (China date). */
export const deadlineOf = (rules: PlanCyclePolicy, year: number) => `${year}-${rules.deadline}`;

/** A filing first submitted on `submittedOn` (China date) is late when that day is after the deadline. */
export const isLate = (rules: PlanCyclePolicy, year: number, submittedOn: string) => submittedOn > deadlineOf(rules, year);

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The reminder day count due `left` days before the deadline (the smallest configured count ≥ left), or null. */
export function reminderDueOn(rules: PlanCyclePolicy, left: number): number | null {
  if (left < 0) return null;
  let due: number | null = null;
  for (const d of rules.reminderDays) if (d >= left && (due === null || d < due)) due = d;
  return due;
}

/** The weighted total of component scores, over the components that apply (score not null), rounded to 0.1. */
export function weightedTotal(parts: { weight: number; score: number | null }[]): number {
  const counted = parts.filter((p) => p.score !== null && p.weight > 0);
  const w = counted.reduce((n, p) => n + p.weight, 0);
  if (w <= 0) return 0;
  return Math.round((counted.reduce((n, p) => n + p.weight * (p.score as number), 0) / w) * 10) / 10;
}
