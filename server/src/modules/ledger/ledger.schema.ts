import { z } from 'zod';
import { Id, IdParam, MinText, Year } from '../../platform/schemas.js';

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
