import { z } from 'zod';
import { Id, IdParam, Text } from '../../platform/schemas.js';

export const PolicyIdParam = IdParam;

export const PolicyGetQuery = z.object({ version: z.coerce.number().int('版本号无效').positive('版本号无效').max(100_000, '版本号无效').optional() });

export const PolicyTextBody = z.object({
  text: z.string({ error: '请提供政策文本' }).min(1, '政策文本不能为空').max(200_000, '政策文本过长（最多 20 万字符）'),
  note: Text(200, '说明').optional(),
});
export type PolicyTextBody = z.infer<typeof PolicyTextBody>;

export const AttachBody = z.object({ orgId: Id });
