import { z } from 'zod';
import { Id, RequiredText, Year } from '../../platform/schemas.js';

/** 学时证明 period: a year (fromYear alone; default this year) or up to five years (a training cycle). */
export const StatementQuery = z
  .object({
    fromYear: Year.optional(),
    toYear: Year.optional(),
  })
  .superRefine((v, c) => {
    if (v.toYear !== undefined && v.fromYear !== undefined && v.toYear < v.fromYear)
      c.addIssue({ code: 'custom', path: ['toYear'], message: '结束年度不能早于开始年度' });
    if (v.toYear !== undefined && v.fromYear !== undefined && v.toYear - v.fromYear > 4)
      c.addIssue({ code: 'custom', path: ['toYear'], message: '一份学时证明最多包含 5 个年度' });
  });
export type StatementQuery = z.infer<typeof StatementQuery>;

export const StatementCodeParam = z.object({ code: RequiredText(200, '验证码') });

export const StatsTableQuery = z.object({
  orgId: Id.optional(),
  year: Year.optional(),
  by: z.enum(['school', 'subject'], { error: '统计方式只能是 school（按学校）或 subject（按学科）' }).default('school'),
  target: z.coerce.number('达标标准应为数字').gt(0, '达标标准应大于 0').max(1000, '达标标准不能超过 1000').optional(),
});
export type StatsTableQuery = z.infer<typeof StatsTableQuery>;
