/** Responses of the 职称 routes (server/src/modules/titles). */
import type { TitleEligibility as ServerTitleEligibility } from '../../../../server/src/modules/titles/eligibility';

export type { CycleHours, TitleReason } from '../../../../server/src/modules/titles/eligibility';
/** A teacher's eligibility as the server answers it; an admin's list row adds the masked 身份证号. */
export type TitleEligibility = ServerTitleEligibility & { nationalIdMask?: string };
export const TARGET_OPTIONS = [
  { value: 'first', label: '一级教师' },
  { value: 'senior', label: '高级教师' },
  { value: 'fullSenior', label: '正高级教师' },
  { value: 'second', label: '二级教师' },
];
