import { api, apiUrl, ApiError, type Query } from '../../api/client';
import { queryClient } from '../../api/query';
import type { Returned, Wire } from '../../api/wire';
import type {
  AccountDetail as ServerAccountDetail,
  AdminAccountDto as ServerAdminAccountDto,
  listTeacherAccounts,
  teacherAccount,
} from '../../../../server/src/modules/accounts/accounts.service';
import type { IssueResult as ServerIssueResult, ResetResult as ServerResetResult } from '../../../../server/src/modules/accounts/issue.service';
import type { CreateAdminResult as ServerCreateAdminResult } from '../../../../server/src/modules/accounts/roles.service';
import type { SlipDto as ServerSlipDto } from '../../../../server/src/modules/accounts/slips';
import type { passwordHelp } from '../../../../server/src/modules/accounts/password-help';

/** Response shapes of /api/accounts (server/src/modules/accounts), as JSON. */
export type TeacherAccountList = Returned<typeof listTeacherAccounts>;
export type TeacherAccountRow = TeacherAccountList['items'][number];
export type AdminAccount = Wire<ServerAdminAccountDto>;
export type AccountDetail = Wire<ServerAccountDetail>;
export type IssueResult = Wire<ServerIssueResult>;
export type IssuedAccount = IssueResult['issued'][number];
export type ResetResult = Wire<ServerResetResult>;
export type CreateAdminResult = Wire<ServerCreateAdminResult>;
export type Slip = Wire<ServerSlipDto>;
export type TeacherAccount = Returned<typeof teacherAccount>;
export type PasswordHelp = Returned<typeof passwordHelp>;
export type { AccountStatus } from '../../../../server/src/modules/accounts/accounts.vocab';
export { ACCOUNT_STATUS, ISSUE_CHUNK } from '../../../../server/src/modules/accounts/accounts.vocab';
export { GRANTABLE_ROLES, placeText, ROLE_ORG_KINDS } from '../../../../server/src/modules/accounts/role-rules';

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Query keys: everything under ['accounts'] (and the teacher page's ['teachers', id, 'account']). */
export const keys = {
  all: ['accounts'] as const,
  teachers: (f: Query) => ['accounts', 'teachers', f] as const,
  admins: (f: Query) => ['accounts', 'admins', f] as const,
  detail: (id: number) => ['accounts', 'detail', id] as const,
  slips: ['accounts', 'slips'] as const,
  ofTeacher: (teacherId: number) => ['teachers', teacherId, 'account'] as const,
};

/** After any change to accounts: every list, detail and the teacher pages' account panels refetch. */
export function invalidateAccounts(): Promise<void> {
  return Promise.all([queryClient.invalidateQueries({ queryKey: keys.all }), queryClient.invalidateQueries({ queryKey: ['teachers'] })]).then(() => undefined);
}

export const fetchTeacherAccounts = (f: Query) => api.get<TeacherAccountList>('/accounts/teachers', f);
export const fetchAdminAccounts = (f: Query) => api.get<Paged<AdminAccount>>('/accounts/admins', f);
export const fetchAccount = (id: number) => api.get<AccountDetail>(`/accounts/${id}`);
export const fetchSlips = () => api.get<Slip[]>('/accounts/slips');

/**
 * Download a 账号单 (POST: it is used up). Done with fetch so a refusal (already downloaded, expired)
 * shows the server's Chinese message instead of a page of JSON.
 */
export async function downloadSlip(slipId: number): Promise<void> {
  const res = await fetch(apiUrl(`/accounts/slips/${slipId}/download`), { method: 'POST', credentials: 'same-origin', headers: { Accept: '*/*' } });
  if (!res.ok) {
    let msg = '账号单下载失败，请稍后重试';
    try {
      msg = ((await res.json()) as { message?: string }).message ?? msg;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, `HTTP_${res.status}`, msg);
  }
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = m ? decodeURIComponent(m[1]) : '账号单.xlsx';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  await queryClient.invalidateQueries({ queryKey: keys.slips });
}
