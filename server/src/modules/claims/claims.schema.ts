import { z } from 'zod';
import { CATEGORIES, keysOf } from '../../platform/vocab.js';
import { CLAIM_ACTIONS, CLAIM_STATES } from './claims.machine.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, '日期无效');
const id = z.coerce.number().int().positive('编号无效').max(2_147_483_647, '编号无效');
const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

export const MAX_CLAIM_FILES = 5;
export const MAX_CLAIM_HOURS = 200;

export const IdParam = z.object({ id });
export const FileParam = z.object({ id, fileId: z.coerce.number().int().positive('编号无效').max(Number.MAX_SAFE_INTEGER, '编号无效') });

/** What a teacher enters for a claim. The date may not lie in the future (checked by the service against today). */
export const ClaimInput = z.object({
  title: z.string().trim().min(2, '培训名称至少 2 个字').max(100, '培训名称不能超过 100 字'),
  category: z.enum(keysOf(CATEGORIES), '请选择培训类别'),
  hours: z.number('请填写学时').gt(0, '学时应大于 0').max(MAX_CLAIM_HOURS, `单次申报学时不能超过 ${MAX_CLAIM_HOURS}`).refine(oneDecimal, '学时最多一位小数'),
  occurredOn: isoDate,
  description: z.string().trim().max(1000, '说明不能超过 1000 字').default(''),
});
export type ClaimInput = z.infer<typeof ClaimInput>;

export const ClaimListQuery = z.object({
  status: z.enum(keysOf(CLAIM_STATES)).optional(),
  /** 1 = only claims waiting for the caller's review step. */
  pending: z.enum(['0', '1']).default('0'),
  q: z.string().trim().max(50).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

const comment = z.string().trim().max(500, '意见不能超过 500 字').optional();

export const TransitionBody = z.object({ action: z.enum(CLAIM_ACTIONS), comment });
export type TransitionBody = z.infer<typeof TransitionBody>;

export const BatchBody = z.object({
  ids: z.array(z.number().int().positive()).min(1, '请至少选择一条申报').max(200, '一次最多处理 200 条'),
  action: z.enum(['schoolApprove', 'countyApprove', 'return', 'reject']),
  comment,
});
export type BatchBody = z.infer<typeof BatchBody>;
