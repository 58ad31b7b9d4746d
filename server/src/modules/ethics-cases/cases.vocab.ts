import { defineMachine } from '../../platform/state-machine.js';
import { SANCTION_KINDS, SANCTION_LABELS, type SanctionKind } from '../integrity/sanctions.repository.js';

/** 案件 (issue 12 item 2): stages, steps and decision rules, shared with the web app. */
export const CASE_STAGES = ['accepted', 'investigating', 'decided', 'notified', 'appealed', 'redecided', 'closed'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  accepted: '已受理',
  investigating: '调查中',
  decided: '已作出处理决定',
  notified: '已告知',
  appealed: '申诉中',
  redecided: '已复核决定',
  closed: '已办结',
};

export const CASE_ORIGINS = ['report', 'assigned', 'inspection'] as const;
export type CaseOrigin = (typeof CASE_ORIGINS)[number];
export const CASE_ORIGIN_LABELS: Record<CaseOrigin, string> = { report: '举报受理', assigned: '上级交办', inspection: '检查发现' };

/**
 * The state machine. Steps that do not change the stage (调查结论, 证据材料, 告知学校) are events only and are
 * allowed where `NOTE_STAGES` says.
 */
export const caseMachine = defineMachine<CaseStage, 'investigate' | 'decide' | 'notify' | 'appeal' | 'redecide' | 'close'>({
  states: CASE_STAGE_LABELS,
  transitions: {
    investigate: { from: ['accepted'], to: 'investigating', label: '开始调查' },
    decide: { from: ['investigating'], to: 'decided', label: '处理决定' },
    notify: { from: ['decided'], to: 'notified', label: '告知教师' },
    appeal: { from: ['notified'], to: 'appealed', label: '申诉' },
    redecide: { from: ['appealed'], to: 'redecided', label: '复核决定' },
    close: { from: ['notified', 'redecided'], to: 'closed', label: '办结' },
  },
});
export type CaseAction = keyof typeof caseMachine.transitions;

/** Every step's label in the timeline (stage changes and notes). */
export const CASE_STEP_LABELS: Record<string, string> = {
  open: '立案受理',
  investigate: '开始调查',
  findings: '调查结论',
  evidence: '证据材料',
  decide: '处理决定',
  notify: '告知教师',
  appeal: '申诉',
  redecide: '复核决定',
  close: '办结',
  informSchool: '告知学校',
};

/**
 * 申诉期限: the teacher may appeal within this many days after being told (inclusive), as 《中小学教师违反职业道德
 * 行为处理办法》 and 《教师申诉办法》 practice gives (15 日). A region with another rule changes it here.
 */
export const APPEAL_DAYS = 15;

export const OUTCOMES = ['noViolation', ...SANCTION_KINDS] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = { noViolation: '不构成违规（不予处理）', ...SANCTION_LABELS };

/** Kinds with a term: an end date or a number of months is required (处分期). */
export const TERM_REQUIRED: readonly SanctionKind[] = ['warning', 'demerit', 'demotion', 'removal'];
/** Kinds that last (开除, 撤销教师资格, 行业禁入): no end date. */
export const NO_END: readonly SanctionKind[] = ['dismissal', 'credentialRevoked', 'barred'];

/** 复核 (second decision after 申诉): 维持, 变更 (a new outcome replaces the sanction), 撤销 (the sanction is revoked). */
export const REDECISIONS = ['uphold', 'change', 'annul'] as const;
export type Redecision = (typeof REDECISIONS)[number];
export const REDECISION_LABELS: Record<Redecision, string> = { uphold: '维持原处理决定', change: '变更处理决定', annul: '撤销处理决定' };
