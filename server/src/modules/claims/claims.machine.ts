import { defineMachine } from '../../platform/state-machine.js';

/**
 * 个人申报 workflow. The teacher drafts and submits; the school reviews first, then the county; either
 * reviewer may return it for changes (the teacher edits and resubmits) or reject it for good.
 * countyApproved is final and the only state with hours in the ledger. Before the school has reviewed it, the
 * teacher may withdraw it (withdrawn, final: kept as history).
 */
export const CLAIM_STATES = {
  draft: '草稿',
  submitted: '待学校审核',
  schoolApproved: '待区县审核',
  countyApproved: '已认定',
  returned: '已退回',
  rejected: '已驳回',
  withdrawn: '已撤回',
} as const;
export type ClaimStatus = keyof typeof CLAIM_STATES;

export const claimMachine = defineMachine({
  states: CLAIM_STATES,
  transitions: {
    submit: { from: ['draft', 'returned'], to: 'submitted', label: '提交审核' },
    schoolApprove: { from: ['submitted'], to: 'schoolApproved', label: '学校审核通过' },
    countyApprove: { from: ['schoolApproved'], to: 'countyApproved', label: '区县审核通过' },
    return: { from: ['submitted', 'schoolApproved'], to: 'returned', label: '退回修改' },
    reject: { from: ['submitted', 'schoolApproved'], to: 'rejected', label: '驳回' },
    // The teacher takes a claim back while it waits for the school's review (never after a review step).
    withdraw: { from: ['submitted'], to: 'withdrawn', label: '撤回申报' },
  },
});
export type ClaimAction = keyof typeof claimMachine.transitions;
export const CLAIM_ACTIONS = Object.keys(claimMachine.transitions) as [ClaimAction, ...ClaimAction[]];

/** States in which the teacher may still change the claim and its evidence. */
export const EDITABLE: readonly ClaimStatus[] = ['draft', 'returned'];
