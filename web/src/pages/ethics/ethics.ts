import type { Returned } from '../../api/wire';
import type { categoriesFor, IntakeReceipt, trackReport } from '../../../../server/src/modules/ethics-reports/ethics-intake.service';
import type { getReport, listReports } from '../../../../server/src/modules/ethics-reports/ethics-reports.service';

/** 师德举报受理 (issue 12 item 1): response types from the server module. */
export type Categories = Returned<typeof categoriesFor>;
export type Receipt = Omit<IntakeReceipt, 'id'>;
export type Tracking = Returned<typeof trackReport>;
export type ReportList = Returned<typeof listReports>;
export type ReportSummary = ReportList['items'][number];
export type ReportDetail = Returned<typeof getReport>;

export interface OrgOption {
  id: number;
  name: string;
  parentId?: number | null;
  level?: string;
}

export const ATTACH_KINDS = ['image/jpeg', 'image/png', 'application/pdf'];

/** The status tag colour of a report. */
export const STATUS_COLORS: Record<string, string> = { received: 'gold', accepted: 'blue', investigating: 'blue', rejected: 'default', closed: 'green' };
