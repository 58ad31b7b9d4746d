/**
 * The outcomes of a rule and how they are named and coloured, in one place for the server, the CLI,
 * the export and the web pages (the web imports this file; keep it free of other imports).
 *
 * Four outcomes for a subject the rule applies to and that has data:
 * - compliant  已达标: the requirement is met;
 * - inProgress 进行中: not met, the deadline is further away than the policy's 临期 days;
 * - dueSoon    临期:   not met, the deadline is at most that many days away;
 * - overdue    未达标: not met and the deadline has passed (or the requirement holds at once).
 * notApplicable 不适用 and noData 暂无数据 are not outcomes of the requirement.
 */
export type Status = 'compliant' | 'inProgress' | 'dueSoon' | 'overdue' | 'notApplicable' | 'noData';

export const STATUS_LABELS: Record<Status, string> = {
  compliant: '已达标',
  inProgress: '进行中',
  dueSoon: '临期',
  overdue: '未达标',
  notApplicable: '不适用',
  noData: '暂无数据',
};

/** Longer wording where there is room (tooltips, the export's legend, the CLI). */
export const STATUS_HINTS: Record<Status, string> = {
  compliant: '已完成要求',
  inProgress: '未到截止日期，仍在完成中',
  dueSoon: '截止日期临近，尚未完成',
  overdue: '截止日期已过，仍未完成（已逾期）',
  notApplicable: '该要求不适用',
  noData: '缺少判定所需的数据',
};

/** Ant Design tag colours: green / blue / orange / red; grey for the two non-outcomes. */
export const STATUS_COLORS: Record<Status, string> = {
  compliant: 'green',
  inProgress: 'blue',
  dueSoon: 'orange',
  overdue: 'red',
  notApplicable: 'default',
  noData: 'default',
};

/** The same colours as hex (charts, the Excel export). */
export const STATUS_HEX: Record<Status, string> = {
  compliant: '#52c41a',
  inProgress: '#1677ff',
  dueSoon: '#fa8c16',
  overdue: '#ff4d4f',
  notApplicable: '#bfbfbf',
  noData: '#bfbfbf',
};

/** Not met (yet): in progress, due soon or overdue. */
export const isOpen = (s: Status): boolean => s === 'inProgress' || s === 'dueSoon' || s === 'overdue';

/**
 * 临期 when a policy says nothing (policies/README.md §提醒): 60 days before a deadline, or the largest
 * reminder day count when that is larger (a teacher is never reminded of a deadline while 进行中).
 */
export const DEFAULT_DUE_SOON_DAYS = 60;

/** Urgency of a teacher on the school worklist, most urgent first. */
export type Urgency = 'overdue' | 'dueSoon' | 'behind' | 'onPace';

export const URGENCY_LABELS: Record<Urgency, string> = {
  overdue: '未达标（已逾期）',
  dueSoon: '临期',
  behind: '进行中·落后进度',
  onPace: '进行中·进度正常',
};

export const URGENCY_RANK: Record<Urgency, number> = { overdue: 0, dueSoon: 1, behind: 2, onPace: 3 };

/** The urgency of one open result (null for compliant, not applicable, no data). */
export function urgencyOf(r: { status: Status; pace: { behind: boolean } | null }): Urgency | null {
  if (r.status === 'overdue' || r.status === 'dueSoon') return r.status;
  if (r.status === 'inProgress') return r.pace?.behind ? 'behind' : 'onPace';
  return null;
}
