import { z } from 'zod';

const year = z.coerce.number().int().min(2000, '年份无效').max(2100, '年份无效');

export const EntryIdParam = z.object({ entryId: z.coerce.number().int().positive('编号无效').max(Number.MAX_SAFE_INTEGER) });

export const TeacherIdParam = z.object({ id: z.coerce.number().int().positive('编号无效').max(2_147_483_647) });

export const HoursQuery = z.object({ year: year.optional() });
export type HoursQuery = z.infer<typeof HoursQuery>;

export const ReverseBody = z.object({
  reason: z.string().trim().min(2, '冲销原因至少 2 个字').max(200, '冲销原因不能超过 200 字'),
});
export type ReverseBody = z.infer<typeof ReverseBody>;

export const SummaryQuery = z.object({
  orgId: z.coerce.number().int().positive('单位编号无效').max(2_147_483_647).optional(),
  year: year.optional(),
});
export type SummaryQuery = z.infer<typeof SummaryQuery>;
