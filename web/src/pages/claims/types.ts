/** Shapes of the claims API, taken from the server module (type-only imports, erased at build). */
import type { ClaimDto as ServerClaimDto, getClaim, batchTransition, listClaims } from '../../../../server/src/modules/claims/claims.service';
import type { ClaimStatus } from '../../../../server/src/modules/claims/claims.machine';
import type { Returned, Wire } from '../../api/wire';

export type { ClaimStatus, ClaimAction } from '../../../../server/src/modules/claims/claims.machine';
export type { ClaimInput } from '../../../../server/src/modules/claims/claims.schema';

export type ClaimDto = Wire<ServerClaimDto>;
export type ClaimDetail = Returned<typeof getClaim>;
export type ClaimFile = ClaimDetail['files'][number];
export type ClaimHistoryEntry = ClaimDetail['history'][number];
export type DuplicateMatch = ClaimDetail['duplicates'][number];
export type ClaimListItem = Returned<typeof listClaims>['items'][number];
export type BatchResult = Returned<typeof batchTransition>;

export const CLAIM_STATUS_COLORS: Record<ClaimStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  schoolApproved: 'cyan',
  countyApproved: 'success',
  returned: 'warning',
  rejected: 'error',
  withdrawn: 'default',
};

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  draft: '草稿',
  submitted: '待学校审核',
  schoolApproved: '待区县审核',
  countyApproved: '已认定',
  returned: '已退回',
  rejected: '已驳回',
  withdrawn: '已撤回',
};

export const MAX_CLAIM_FILES = 5;
export const MAX_FILE_MB = 10;
