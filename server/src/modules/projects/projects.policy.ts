import type { Queryable } from '../../db/db.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import type { ParticipationRule, PlanContentRule } from '../policies/policy.format.js';
import type { PlanRule } from './lifecycle.js';

/**
 * The two policy figures the project workflow enforces, taken from the policy engine: the planContent
 * and participation (sessionRate) rules of the policies in force at the project owner's org. Where no
 * policy in force has such a rule, the seeds' own figures below apply.
 */

/** 004 §三(三)1: 各级各类培训应将“思想政治和师德师风教育”列为必修内容，作为培训内容第一模块。 */
export const DEFAULT_PLAN_RULE: PlanRule = { category: 'ethics', position: 'first', source: '侯马市实施方案 §三(三)1' };

/** 001 §三(二): 专任教师每次集中培训参训人数须达到 95% 以上。 */
export const DEFAULT_PARTICIPATION_THRESHOLD = 0.95;
export const PARTICIPATION_SOURCE = '阿拉善高新区实施方案 §三(二)';

/** What of a project decides whether a rule's project filter (forms, levels) covers it. */
export interface ProjectKind {
  form?: string;
  level?: string;
}

const covers = (list: string[] | undefined, v: string | undefined) => !list || v === undefined || list.includes(v);

async function rulesInForce<R>(q: Queryable, orgPath: string, kind: string): Promise<{ rule: R; title: string }[]> {
  const out: { rule: R; title: string }[] = [];
  for (const p of await policiesInForceAt(q, orgPath)) for (const r of p.policy.rules) if (r.kind === kind) out.push({ rule: r as R, title: p.policy.title });
  return out;
}

/** The plan-content rule for a project owned by the org at orgPath. */
export async function planRuleFor(q: Queryable, orgPath: string, project: ProjectKind = {}): Promise<PlanRule> {
  const rules = await rulesInForce<PlanContentRule>(q, orgPath, 'planContent');
  // 'first' is the stricter reading: if any rule in force demands the position, it wins.
  const match = rules
    .filter(({ rule }) => covers(rule.projects?.forms, project.form) && covers(rule.projects?.levels, project.level))
    .sort((a, b) => (a.rule.module.position === 'first' ? -1 : 0) - (b.rule.module.position === 'first' ? -1 : 0))[0];
  if (!match) return DEFAULT_PLAN_RULE;
  return { category: match.rule.module.category, position: match.rule.module.position, source: `${match.title} §${match.rule.cite.section}` };
}

/** The per-session participation threshold (share of enrolled teachers present) for the org at orgPath. */
export async function participationThresholdFor(q: Queryable, orgPath: string, project: ProjectKind = {}): Promise<{ threshold: number; source: string }> {
  const rules = await rulesInForce<ParticipationRule>(q, orgPath, 'participation');
  const match = rules.find(
    ({ rule }) =>
      rule.measure === 'sessionRate' && rule.atLeast !== null && covers(rule.trainings.forms, project.form) && covers(rule.trainings.levels, project.level),
  );
  if (!match || match.rule.atLeast === null) return { threshold: DEFAULT_PARTICIPATION_THRESHOLD, source: PARTICIPATION_SOURCE };
  return { threshold: match.rule.atLeast, source: `${match.title} §${match.rule.cite.section}` };
}
