import type { Queryable } from '../../db/db.js';
import type { PlanRule } from './lifecycle.js';

/**
 * The two policy figures the project workflow enforces. They are the seeds' own rules; the policy
 * engine (modules/policies) holds them per region as planContent and participation rules.
 */

/** 004 §三(三)1: 各级各类培训应将“思想政治和师德师风教育”列为必修内容，作为培训内容第一模块。 */
export const DEFAULT_PLAN_RULE: PlanRule = { category: 'ethics', position: 'first', source: '侯马市实施方案 §三(三)1' };

/** 001 §三(二): 专任教师每次集中培训参训人数须达到 95% 以上。 */
export const DEFAULT_PARTICIPATION_THRESHOLD = 0.95;
export const PARTICIPATION_SOURCE = '阿拉善高新区实施方案 §三(二)';

/** The plan-content rule for a project owned by the org at orgPath. */
export async function planRuleFor(_q: Queryable, _orgPath: string): Promise<PlanRule> {
  return DEFAULT_PLAN_RULE;
}

/** The per-session participation threshold (share of enrolled teachers present) for the org at orgPath. */
export async function participationThresholdFor(_q: Queryable, _orgPath: string): Promise<{ threshold: number; source: string }> {
  return { threshold: DEFAULT_PARTICIPATION_THRESHOLD, source: PARTICIPATION_SOURCE };
}
