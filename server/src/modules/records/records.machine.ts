import { defineMachine } from '../../platform/state-machine.js';

/**
 * A change to a teacher's record (报送 → 审核 → 退回/生效). The teacher drafts it (fields, evidence) and 报送s it;
 * the school's 信息管理员 approves it (生效: a new version of the entry is written) or returns it with a reason;
 * the teacher edits and resubmits a returned change, or withdraws it while it is not decided.
 */
export const CHANGE_STATES = {
  draft: '草稿',
  pending: '待审核',
  returned: '已退回',
  approved: '已生效',
  withdrawn: '已撤回',
} as const;
export type ChangeState = keyof typeof CHANGE_STATES;

export const changeMachine = defineMachine({
  states: CHANGE_STATES,
  transitions: {
    submit: { from: ['draft', 'returned'], to: 'pending', label: '报送' },
    withdraw: { from: ['draft', 'pending', 'returned'], to: 'withdrawn', label: '撤回' },
    approve: { from: ['pending'], to: 'approved', label: '审核通过' },
    return: { from: ['pending'], to: 'returned', label: '退回' },
  },
});
export type ChangeAction = keyof typeof changeMachine.transitions;
export const CHANGE_ACTIONS = Object.keys(changeMachine.transitions) as [ChangeAction, ...ChangeAction[]];

/** The teacher's actions; the others are the reviewer's. */
export const TEACHER_ACTIONS: readonly ChangeAction[] = ['submit', 'withdraw'];

/** States in which the teacher may still change the fields and the evidence. */
export const EDITABLE: readonly ChangeState[] = ['draft', 'returned'];

export const KIND_LABELS = { add: '新增', edit: '修改', remove: '删除' } as const;
