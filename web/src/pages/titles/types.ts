/** Responses of the 职称 routes (server/src/modules/titles). */
export interface TitleReason {
  code: string;
  message: string;
  cite: string | null;
}
export interface CycleHours {
  ruleTitle: string;
  window: string | null;
  required: number | null;
  done: number | null;
}
export interface TitleEligibility {
  teacherId: number;
  name: string;
  orgName: string;
  asOf: string;
  titleLabel: string;
  titleDate: string | null;
  target: string | null;
  targetLabel: string | null;
  eligible: boolean;
  reasons: TitleReason[];
  lastCycle: CycleHours[];
  currentCycle: CycleHours[];
  source: string;
  assumptions: string[];
  nationalIdMask?: string;
}
export const TARGET_OPTIONS = [
  { value: 'first', label: '一级教师' },
  { value: 'senior', label: '高级教师' },
  { value: 'fullSenior', label: '正高级教师' },
  { value: 'second', label: '二级教师' },
];
