import { z } from 'zod';
import { Id, IsoDate } from '../../platform/schemas.js';

/** What a report is about: a policy, an org (a bureau; default the caller's), as of a date (default today). */
export const ReportQuery = z.object({
  policyId: Id,
  orgId: Id.optional(),
  asOf: IsoDate.optional(),
});

/** The download: the same choice plus the 下一步措施 text the user edited (empty: a default drawn from the shortfalls). */
export const ReportBody = ReportQuery.extend({
  nextSteps: z.string({ error: '下一步措施应为文字' }).max(4000, '下一步措施最多 4000 字').optional(),
  docNo: z.string({ error: '文号应为文字' }).max(40, '文号最多 40 字').optional(),
});

export type ReportQuery = z.infer<typeof ReportQuery>;
export type ReportBody = z.infer<typeof ReportBody>;
