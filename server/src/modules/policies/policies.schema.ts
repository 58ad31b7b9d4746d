import { z } from 'zod';

export const PolicyIdParam = z.object({ id: z.coerce.number().int().positive('编号无效') });

export const PolicyGetQuery = z.object({ version: z.coerce.number().int().positive('版本号无效').optional() });

export const PolicyTextBody = z.object({
  text: z.string({ error: '请提供政策文本' }).min(1, '政策文本不能为空').max(200_000, '政策文本过长（最多 20 万字符）'),
  note: z.string().trim().max(200, '说明最多 200 字').optional(),
});
export type PolicyTextBody = z.infer<typeof PolicyTextBody>;

export const AttachBody = z.object({ orgId: z.number({ error: '请选择组织' }).int().positive('请选择组织') });
