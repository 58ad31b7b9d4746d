import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Wire } from '../../api/wire';
import type { OrgDetail as ServerOrgDetail } from '../../../../server/src/modules/orgs/orgs.service';
import type { OrgPreview as ServerOrgPreview } from '../../../../server/src/modules/orgs/orgs.import';

export type OrgDetail = Wire<ServerOrgDetail>;
export type OrgPreview = Wire<ServerOrgPreview>;

/** One org's detail with history and memberships (key ['orgs', 'detail', id]; invalidateOrgs reloads it). */
export function useOrgDetail(id: number | undefined) {
  return useQuery({ queryKey: ['orgs', 'detail', id], queryFn: () => api.get<OrgDetail>(`/orgs/${id}`), enabled: id !== undefined });
}

export const HISTORY_FIELDS: Record<string, string> = {
  created: '设立',
  name: '更名',
  code: '单位代码变更',
  schoolIdCode: '学校标识码变更',
  parent: '调整上级单位',
  closed: '撤销',
  reopened: '恢复',
};
