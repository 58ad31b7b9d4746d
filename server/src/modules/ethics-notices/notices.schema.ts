import { z } from 'zod';
import { Id, IdList, IsoDate, Page, PageSize, RequiredText } from '../../platform/schemas.js';
import { SANCTION_KINDS } from '../integrity/sanctions.repository.js';
import { NAME_MASKS } from './name-mask.js';

export const PublishNoticeBody = z
  .object({
    title: RequiredText(100, '标题').refine((s) => !/[\r\n\t]/.test(s), '标题须为一行'),
    body: RequiredText(10000, '通报正文'),
    targetOrgId: Id,
    caseId: Id.nullish(),
    nameMask: z.enum(NAME_MASKS, { message: '请选择姓名的显示方式' }).nullish(),
    sanctionKind: z.enum(SANCTION_KINDS, { message: '处理种类无效' }).nullish(),
    publishedOn: IsoDate.nullish(),
  })
  .superRefine((b, c) => {
    if (b.caseId && !b.nameMask) c.addIssue({ code: 'custom', path: ['nameMask'], message: '关联案件时请选择姓名的显示方式' });
  });
export type PublishNoticeInput = z.infer<typeof PublishNoticeBody>;

export const WithdrawBody = z.object({ reason: RequiredText(500, '撤回原因') });

export const NoticeListQuery = z.object({ page: Page, pageSize: PageSize(100, 20) });

export const MeetingBody = z.object({
  orgId: Id,
  heldOn: IsoDate,
  place: RequiredText(100, '地点'),
  topic: RequiredText(200, '主题'),
  sessionId: Id.nullish(),
  noticeIds: IdList(20).default([]),
});
export type MeetingInput = z.infer<typeof MeetingBody>;

export const BoardQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: '结束日期不能早于开始日期' });
export type BoardInput = z.infer<typeof BoardQuery>;
