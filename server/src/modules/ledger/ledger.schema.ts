import { z } from 'zod';
import { Id, IdParam, MinText, Text, Year } from '../../platform/schemas.js';

/** ledger_entries.id is a bigint, but ids stay far below 2^31 in practice; Id keeps one rule for every id. */
export const EntryIdParam = z.object({ entryId: Id });

export const TeacherIdParam = IdParam;

export const HoursQuery = z.object({ year: Year.optional() });
export type HoursQuery = z.infer<typeof HoursQuery>;

export const ReverseBody = z.object({
  reason: MinText(2, 200, '冲销原因'),
});
export type ReverseBody = z.infer<typeof ReverseBody>;

export const SummaryQuery = z.object({
  orgId: Id.optional(),
  year: Year.optional(),
});
export type SummaryQuery = z.infer<typeof SummaryQuery>;

// 学时更正申请 (issue 9 item 14)
export const CorrectionListQuery = z.object({
  status: z.enum(['pending', 'approved', 'refused'], { error: '状态只能是 pending、approved 或 refused' }).optional(),
});
export type CorrectionListQuery = z.infer<typeof CorrectionListQuery>;

export const DecisionBody = z.object({
  decision: z.enum(['approve', 'refuse'], { error: '请选择同意或不同意' }),
  comment: Text(200, '审核意见').optional(),
});
export type DecisionBody = z.infer<typeof DecisionBody>;
