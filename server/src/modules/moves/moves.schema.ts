import { z } from 'zod';
import { Id, IsoDate, Page, PageSize, RequiredText, Text } from '../../platform/schemas.js';

/** 人员变动: the kinds of change and the states of a request (labels in moves.vocab.ts). */
export const MOVE_KINDS = ['hire', 'transfer', 'retire', 'resign', 'death'] as const;
export const MOVE_STATUSES = ['pending', 'approved', 'applied', 'returned', 'withdrawn'] as const;

const Kind = z.enum(MOVE_KINDS, { error: '变动类型只能是入职、调动、退休、离职或死亡' });

export const MoveInput = z
  .object({
    teacherId: Id,
    kind: Kind,
    /** The receiving school of a transfer (any county); ignored for the other kinds. */
    toOrgId: Id.optional().nullable(),
    effectiveDate: IsoDate,
    reason: RequiredText(500, '变动原因'),
    /** 文件文号 or other evidence, optional. */
    evidence: Text(500, '依据').optional().nullable(),
  })
  .superRefine((b, c) => {
    if (b.kind === 'transfer' && !b.toOrgId) c.addIssue({ code: 'custom', path: ['toOrgId'], message: '请选择调入学校' });
  });
export type MoveInput = z.infer<typeof MoveInput>;

export const MoveListQuery = z.object({
  kind: Kind.optional(),
  status: z.enum(MOVE_STATUSES, { error: '状态只能是 pending、approved、applied、returned 或 withdrawn' }).optional(),
  teacherId: Id.optional(),
  page: Page,
  pageSize: PageSize(100, 20),
});
export type MoveListQuery = z.infer<typeof MoveListQuery>;

export const ApproveBody = z.object({ comment: Text(200, '审批意见').optional().nullable() });
export const ReturnBody = z.object({ reason: RequiredText(200, '退回原因') });
export const WithdrawBody = z.object({ reason: Text(200, '撤回原因').optional().nullable() });
