import { z } from 'zod';
import { keysOf } from '../../platform/vocab.js';
import { SHARE_BACK_KINDS, shareBackMachine } from './lifecycle.js';
import { IsoDateSchema } from './projects.schema.js';

export const ShareBackSubmit = z.object({
  kind: z.enum(keysOf(SHARE_BACK_KINDS)),
  title: z.string().trim().min(2, '主题至少 2 个字').max(100, '主题不能超过 100 字'),
  heldOn: IsoDateSchema,
  place: z.string().trim().min(1, '请填写地点').max(100, '地点不能超过 100 字'),
  summary: z.string().trim().min(10, '请简要说明分享内容和参加人员（至少 10 个字）').max(2000, '说明不能超过 2000 字'),
});
export type ShareBackSubmit = z.infer<typeof ShareBackSubmit>;

export const ShareBackReview = z.object({
  action: z.enum(['confirm', 'return']),
  comment: z.string().trim().max(500, '意见不能超过 500 字').optional(),
});

export const ShareBackListQuery = z.object({ status: z.enum(keysOf(shareBackMachine.states)).optional() });
