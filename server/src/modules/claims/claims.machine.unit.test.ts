import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { CLAIM_ACTIONS, CLAIM_STATES, claimMachine, type ClaimAction, type ClaimStatus } from './claims.machine.js';

// The whole table: which action is legal from which state, and where it leads. Anything not listed is refused.
const LEGAL: Record<string, ClaimStatus> = {
  'draft:submit': 'submitted',
  'returned:submit': 'submitted',
  'submitted:schoolApprove': 'schoolApproved',
  'schoolApproved:countyApprove': 'countyApproved',
  'submitted:return': 'returned',
  'schoolApproved:return': 'returned',
  'submitted:reject': 'rejected',
  'schoolApproved:reject': 'rejected',
  'submitted:withdraw': 'withdrawn',
};

describe('claim state machine', () => {
  const states = Object.keys(CLAIM_STATES) as ClaimStatus[];
  for (const s of states) {
    for (const a of CLAIM_ACTIONS as ClaimAction[]) {
      const to = LEGAL[`${s}:${a}`];
      it(`${s} —${a}→ ${to ?? '409'}`, () => {
        if (to) {
          expect(claimMachine.assertTransition(s, a)).toBe(to);
        } else {
          let err: unknown;
          try {
            claimMachine.assertTransition(s, a);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).status).toBe(409);
          expect((err as AppError).message).toBe(`当前状态「${CLAIM_STATES[s]}」不能执行「${claimMachine.transitions[a].label}」`);
        }
      });
    }
  }

  it('final states allow nothing', () => {
    expect(claimMachine.allowedActions('countyApproved')).toEqual([]);
    expect(claimMachine.allowedActions('rejected')).toEqual([]);
    expect(claimMachine.allowedActions('withdrawn')).toEqual([]);
  });
});
