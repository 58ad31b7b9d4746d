import { z } from 'zod';
import { Id, IdList, IdParam, IsoDate, Page, PageSize, Text, Name } from '../../platform/schemas.js';
import { CATEGORIES, keysOf } from '../../platform/vocab.js';
import { CLAIM_ACTIONS, CLAIM_STATES } from './claims.machine.js';

const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

export const MAX_CLAIM_FILES = 5;
export const MAX_CLAIM_HOURS = 200;

export { IdParam };
export const FileParam = z.object({ id: Id, fileId: Id });
/** inline=1: shown in the page (evidence preview) rather than saved. */
export const FileQuery = z.object({ inline: z.enum(['0', '1']).default('0') });

/** What a teacher enters for a claim. The date may not lie in the future (checked by the service against today). */
export const ClaimInput = z.object({
  title: Name(2, 100, '培训名称'),
  category: z.enum(keysOf(CATEGORIES), '请选择培训类别'),
  hours: z.number('请填写学时').gt(0, '学时应大于 0').max(MAX_CLAIM_HOURS, `单次申报学时不能超过 ${MAX_CLAIM_HOURS}`).refine(oneDecimal, '学时最多一位小数'),
  occurredOn: IsoDate,
  description: Text(1000, '说明').default(''),
});
export type ClaimInput = z.infer<typeof ClaimInput>;

export const ClaimListQuery = z.object({
  status: z.enum(keysOf(CLAIM_STATES)).optional(),
  /** 1 = only claims waiting for the caller's review step. */
  pending: z.enum(['0', '1']).default('0'),
  q: Text(50, '搜索词').optional(),
  page: Page,
  pageSize: PageSize(200, 20),
});
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

const comment = Text(500, '意见').optional();

export const TransitionBody = z.object({
  action: z.enum(CLAIM_ACTIONS),
  comment,
  /** Approving: the hours approved when fewer than claimed (the comment then gives the reason); never more. */
  hours: z
    .number('学时应为数字')
    .gt(0, '认定学时应大于 0')
    .max(MAX_CLAIM_HOURS, `认定学时不能超过 ${MAX_CLAIM_HOURS}`)
    .refine(oneDecimal, '学时最多一位小数')
    .optional(),
  /** Approving a claim that looks like a duplicate of hours already held: why it is approved anyway. */
  duplicateReason: Text(500, '仍然通过的理由').optional(),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const BatchBody = z.object({
  ids: IdList(200).min(1, '请至少选择一条申报'),
  action: z.enum(['schoolApprove', 'countyApprove', 'return', 'reject']),
  comment,
});
export type BatchBody = z.infer<typeof BatchBody>;
