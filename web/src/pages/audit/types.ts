import type { Wire } from '../../api/wire';
import type { AuditEntryDto } from '../../../../server/src/modules/audit/audit.service';
import type { ChainReport } from '../../../../server/src/modules/audit/audit-chain';

export type AuditEntry = Wire<AuditEntryDto>;
export type ChainCheck = Wire<ChainReport>;
export interface AuditPageData {
  items: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}
export interface AuditFilterValues {
  from?: string;
  to?: string;
  user?: string;
  action?: string;
  entity?: string;
  entityId?: string;
}
