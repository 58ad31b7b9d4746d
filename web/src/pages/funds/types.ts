/** Wire shapes of /api/funds and /api/allowances (server/src/modules/funds, allowances). */
export interface RuleStatusDto {
  ruleId: string;
  title: string;
  policyTitle: string;
  cite: string;
  citeText: string;
  atLeast: number | null;
  spentYuan: number | null;
  baseYuan: number | null;
  requiredYuan: number | null;
  shortYuan: number | null;
  status: string;
  explanation: string;
}
export interface EntryDto {
  id: number;
  date: string;
  voucherNo: string;
  projectId: number;
  projectName: string;
  projectStatus: string;
  orgName: string;
  category: string;
  categoryLabel: string;
  amountYuan: number;
  hasVoucher: boolean;
  voucherName: string | null;
  note: string;
  reverses: number | null;
  reversedBy: number | null;
  reason: string | null;
  recordedBy: string | null;
  recordedAt: string;
}
export interface FundsSummaryDto {
  org: { id: number; name: string; kind: string; level: string };
  year: number;
  canOverride: boolean;
  budgets: {
    id: number;
    amountYuan: number;
    sourceLabel: string;
    note: string;
    reason: string | null;
    current: boolean;
    recordedBy: string | null;
    recordedAt: string;
  }[];
  budgetYuan: number;
  bases: {
    id: number;
    metric: string;
    amountYuan: number;
    source: string;
    reason: string | null;
    current: boolean;
    recordedBy: string | null;
    recordedAt: string;
  }[];
  publicFundBudgetYuan: number | null;
  salaryTotalYuan: number | null;
  spentYuan: number;
  override: { amountYuan: number; reason: string; recordedBy: string | null; recordedAt: string } | null;
  byCategory: { category: string; label: string; amountYuan: number }[];
  byProject: { projectId: number; name: string; amountYuan: number }[];
  entries: EntryDto[];
  projects: { id: number; name: string; orgName: string; status: string }[];
  rules: RuleStatusDto[];
}
export interface FundsBoardDto {
  year: number;
  orgs: {
    orgId: number;
    name: string;
    kind: string;
    budgetYuan: number;
    spentYuan: number;
    overridden: boolean;
    rules: { ruleId: string; title: string; status: string; shortYuan: number | null; explanation: string }[];
    unearmarked: number;
  }[];
  unearmarked: EntryDto[];
}
export interface AllowanceGridDto {
  org: { id: number; name: string };
  month: string;
  minimums: { primary: number; junior: number; senior: number; vocational?: number };
  cite: string | null;
  rows: {
    teacherId: number;
    name: string;
    stageLabel: string;
    homeroom: boolean;
    amountYuan: number | null;
    minimumYuan: number | null;
    status: string;
    statusLabel: string;
  }[];
  counts: { homeroom: number; ok: number; below: number; missing: number };
}
export interface AllowanceCheckDto {
  month: string;
  schools: {
    orgId: number;
    name: string;
    homeroom: number;
    below: number;
    missing: number;
    problems: { teacherId: number; name: string; stageLabel: string; amountYuan: number | null; minimumYuan: number | null; statusLabel: string }[];
  }[];
}

export const yuan = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

export const STATUS_TAG: Record<string, { color: string; label: string }> = {
  compliant: { color: 'green', label: '已达标' },
  inProgress: { color: 'blue', label: '进行中' },
  dueSoon: { color: 'orange', label: '临期' },
  overdue: { color: 'red', label: '未达标' },
  noData: { color: 'default', label: '暂无数据' },
  notApplicable: { color: 'default', label: '不适用' },
};
