import { z } from 'zod';
import { keysOf } from '../../platform/vocab.js';
import { SHARE_BACK_KINDS, shareBackMachine } from './lifecycle.js';
import { IsoDate, MinText, RequiredText, Text, Name } from '../../platform/schemas.js';

export const ShareBackSubmit = z.object({
  kind: z.enum(keysOf(SHARE_BACK_KINDS)),
  title: Name(2, 100, '主题'),
  heldOn: IsoDate,
  place: RequiredText(100, '地点'),
  summary: MinText(10, 2000, '说明', '请简要说明分享内容和参加人员（至少 10 个字）'),
});
export type ShareBackSubmit = z.infer<typeof ShareBackSubmit>;

export const ShareBackReview = z.object({
  action: z.enum(['confirm', 'return']),
  comment: Text(500, '意见').optional(),
});

export const ShareBackListQuery = z.object({ status: z.enum(keysOf(shareBackMachine.states)).optional() });
