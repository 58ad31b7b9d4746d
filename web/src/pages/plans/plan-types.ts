/** Shapes and labels of the plan cycle (issue 14 item 5), shared by the school's and the bureau's pages. */
export const ITEM_KINDS = { project: '培训项目', budget: '经费预算', hoursTarget: '学时目标' } as const;
export const BUDGET_CATEGORIES = ['培训费', '差旅费', '资料费', '专家费', '其他'] as const;
export const STATUS_COLOR: Record<string, string> = { missing: 'default', submitted: 'blue', returned: 'orange', accepted: 'green' };

export interface PlanItem {
  position?: number;
  kind: keyof typeof ITEM_KINDS;
  title: string;
  projectId?: number | null;
  projectName?: string | null;
  category?: string | null;
  amount?: number | null;
  targetPercent?: number | null;
}

export interface Filing {
  id: number;
  orgId: number;
  orgName: string;
  year: number;
  version: number;
  planFileId: number;
  planFileName: string;
  trainingFileId: number | null;
  trainingFileName: string | null;
  note: string | null;
  submittedBy: string;
  submittedAt: string;
  submittedOn: string;
  decision: 'returned' | 'accepted' | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  items: (PlanItem & { position: number })[];
}

export function itemText(i: PlanItem): string {
  const kind = ITEM_KINDS[i.kind];
  if (i.kind === 'budget') return `${kind}：${i.title}（${i.category}，${Number(i.amount ?? 0).toLocaleString('zh-CN')} 元）`;
  if (i.kind === 'hoursTarget') return `${kind}：${i.title}（达标教师比例 ${i.targetPercent}%）`;
  return `${kind}：${i.title}${i.projectName ? `（关联项目：${i.projectName}）` : ''}`;
}
