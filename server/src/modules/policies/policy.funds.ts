import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `funds` key of a policy document (issue 14 items 6 and 8): which projects training money may be spent on
 * (专款专用), the spending categories, and the 班主任津贴 minimum per month by stage. The ratios themselves (5 % of the
 * 公用经费, 1–2 % / 2.5 % of the 工资总额) stay the documents' `funding` rules; since migration 0062 their spending side
 * is summed from the funds module's entries (funds/figures.ts), not typed.
 */

export const FUND_CATEGORIES = { training: '培训费', travel: '差旅费', materials: '资料费', expert: '专家劳务费', other: '其他' } as const;
export type FundCategory = keyof typeof FUND_CATEGORIES;
export const BUDGET_SOURCES = {
  publicFunds: '公用经费',
  salaryShare: '工资总额提取',
  special: '专项经费',
  fiscal: '本级财政',
  other: '其他',
} as const;
export type BudgetSource = keyof typeof BUDGET_SOURCES;
/** Project states on which money may be spent: approved and after, never a draft, a rejected or a deleted proposal. */
export const SPENDABLE_PROJECT_STATES = ['approved', 'filed', 'planReview', 'open', 'running', 'recognitionPending', 'closed', 'evaluated'] as const;

const yuan = (label: string) =>
  z
    .number({ error: `${label}应为金额（元）` })
    .min(0, `${label}不能为负数`)
    .max(100000, `${label}不能超过 100000 元`);

export const fundsSchema = (cite: typeof Cite) =>
  z.strictObject({
    /** 班主任津贴 minimum per month (yuan) by the teacher's stage; a stage absent here has no minimum. */
    homeroomAllowance: z.strictObject({
      primary: yuan('小学班主任津贴下限'),
      junior: yuan('初中班主任津贴下限'),
      senior: yuan('高中班主任津贴下限'),
      vocational: yuan('职业学校班主任津贴下限').optional(),
      cite: cite.optional(),
    }),
    /** 专款专用: the spending rule's citation. */
    earmarked: z.strictObject({ cite: cite.optional() }).optional(),
    assumptions: z.array(z.string().min(2)).optional(),
  });
export type FundsPolicy = z.output<ReturnType<typeof fundsSchema>>;

/** The platform's defaults, from the seeds (000 §二(二) for the allowance, 004 §四(二) for 专款专用). */
export const DEFAULT_FUNDS: FundsPolicy = {
  homeroomAllowance: {
    primary: 800,
    junior: 1000,
    senior: 1200,
    vocational: 1200,
    cite: {
      file: '000_1a3ff7e1cbb247a8.txt',
      section: '二（二）',
      text: '提高班主任津贴标准……提高到小学不少于每月800元，初中不少于每月1000元，高中（含职业学校）不少于每月1200元。',
    },
  },
  earmarked: {
    cite: {
      file: '004_2e4368c11b6d8dec.txt',
      section: '四（二）',
      text: '加强经费使用审计监督,确保专款专用和资金使用规范、安全与有效。',
    },
  },
  assumptions: [
    '班主任津贴下限按教师的学段取：小学 800、初中 1000、高中和中职 1200 元/月；幼儿园、特殊教育的来源文件未给出，不检查。',
    '专款专用：支出只能记在本单位（含下级）已批准及以后状态（已批准、已备案、方案审核、报名中、实施中、学时认定、已结束、已评价）的培训项目上。',
    '经费比例规则的“安排的培训经费”按本年度实际支出（支出减冲销）计算，而不是填报的预算数；预算单独登记、对照显示。',
  ],
};

/** The allowance minimum (yuan a month) for a teacher of this stage, or null where none applies. */
export function allowanceMinimum(p: FundsPolicy, stage: string | null): number | null {
  const m = p.homeroomAllowance;
  if (stage === 'primary') return m.primary;
  if (stage === 'junior') return m.junior;
  if (stage === 'senior') return m.senior;
  if (stage === 'vocational') return m.vocational ?? m.senior;
  return null;
}
