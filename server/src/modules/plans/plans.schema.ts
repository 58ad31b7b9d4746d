import { z } from 'zod';
import { Id, RequiredText, Text, Year } from '../../platform/schemas.js';

export const PLAN_ITEM_KINDS = { project: '培训项目', budget: '经费预算', hoursTarget: '学时目标' } as const;
export const BUDGET_CATEGORIES = ['培训费', '差旅费', '资料费', '专家费', '其他'] as const;

const Amount = z.number({ error: '金额应为数字' }).min(0, '金额不能为负').max(1_000_000_000, '金额过大');

export const PlanItem = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('project'), title: RequiredText(100, '项目名称'), projectId: Id.nullable().default(null) }),
    z.strictObject({
      kind: z.literal('budget'),
      title: RequiredText(100, '预算事项'),
      category: z.enum(BUDGET_CATEGORIES, { error: `类别应为：${BUDGET_CATEGORIES.join('、')}` }),
      amount: Amount,
    }),
    z.strictObject({
      kind: z.literal('hoursTarget'),
      title: RequiredText(100, '目标说明'),
      targetPercent: z.number({ error: '目标比例应为数字' }).gt(0, '目标比例应大于 0').max(100, '目标比例不超过 100'),
    }),
  ],
  { error: '条目类型应为 培训项目 / 经费预算 / 学时目标' },
);
export type PlanItem = z.infer<typeof PlanItem>;

export const FileBody = z.strictObject({
  year: Year,
  planFileId: Id,
  trainingFileId: Id.nullable().default(null),
  note: Text(500, '说明').nullable().default(null),
  items: z.array(PlanItem).max(200, '条目过多（最多 200 条）').default([]),
});
export type FileBody = z.infer<typeof FileBody>;

export const DecideBody = z
  .strictObject({
    decision: z.enum(['returned', 'accepted'], { error: '请选择退回或通过' }),
    reason: Text(500, '退回原因').nullable().default(null),
  })
  .refine((b) => b.decision !== 'returned' || (b.reason ?? '').trim().length > 0, { message: '退回时请填写退回原因', path: ['reason'] });
export type DecideBody = z.infer<typeof DecideBody>;

export const YearQuery = z.object({ year: Year.optional() });
export const ReviewQuery = z.object({ orgId: Id, year: Year });

export const ScoreBody = z.strictObject({
  orgId: Id,
  year: Year,
  components: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, '考核项代码不正确'),
        bureauScore: z.number({ error: '评分应为数字' }).min(0, '评分不能为负').max(100, '评分不超过 100').nullable().default(null),
        comment: Text(300, '评议意见').nullable().default(null),
      }),
    )
    .max(20),
  comment: Text(500, '总体评价').nullable().default(null),
});
export type ScoreBody = z.infer<typeof ScoreBody>;
