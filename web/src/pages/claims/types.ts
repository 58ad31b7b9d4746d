/** Shapes of the claims API (server/src/modules/claims). */
export type ClaimStatus = 'draft' | 'submitted' | 'schoolApproved' | 'countyApproved' | 'returned' | 'rejected';
export type ClaimAction = 'submit' | 'schoolApprove' | 'countyApprove' | 'return' | 'reject';

export interface ClaimDto {
  id: number;
  teacherId: number;
  teacherName: string;
  orgId: number;
  orgName: string;
  title: string;
  category: string;
  hours: number;
  occurredOn: string;
  description: string;
  status: ClaimStatus;
  statusLabel: string;
  fileCount: number;
  createdAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
  allowedActions: { action: ClaimAction; label: string; to: ClaimStatus }[];
  editable: boolean;
}

export interface ClaimFile {
  id: number;
  name: string;
  kind: 'pdf' | 'png' | 'jpeg';
  size: number;
  uploadedAt: string;
}

export interface ClaimHistoryEntry {
  at: string;
  action: string;
  actionLabel: string;
  from: string | null;
  to: string;
  toLabel: string;
  comment: string | null;
  userName: string | null;
}

export interface ClaimDetail extends ClaimDto {
  files: ClaimFile[];
  history: ClaimHistoryEntry[];
}

export interface ClaimInput {
  title: string;
  category: string;
  hours: number;
  occurredOn: string;
  description: string;
}

export interface BatchResult {
  succeeded: number[];
  failed: { id: number; message: string }[];
}

export const CLAIM_STATUS_COLORS: Record<ClaimStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  schoolApproved: 'cyan',
  countyApproved: 'success',
  returned: 'warning',
  rejected: 'error',
};

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  draft: '草稿',
  submitted: '待学校审核',
  schoolApproved: '待区县审核',
  countyApproved: '已认定',
  returned: '已退回',
  rejected: '已驳回',
};

export const MAX_CLAIM_FILES = 5;
export const MAX_FILE_MB = 10;
