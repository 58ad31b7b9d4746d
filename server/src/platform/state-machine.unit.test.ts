import { describe, expect, it } from 'vitest';
import { defineMachine } from './state-machine.js';
import { AppError } from './errors.js';

const m = defineMachine({
  states: { a: '甲', b: '乙', c: '丙' },
  transitions: {
    go: { from: ['a'], to: 'b', label: '前进' },
    end: { from: ['a', 'b'], to: 'c', label: '结束' },
  },
});

describe('defineMachine', () => {
  it('returns the target state of a legal transition', () => {
    expect(m.assertTransition('a', 'go')).toBe('b');
    expect(m.assertTransition('b', 'end')).toBe('c');
  });
  it('refuses an illegal transition with 409 and a Chinese message', () => {
    try {
      m.assertTransition('c', 'go');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(409);
      expect((e as AppError).message).toBe('当前状态「丙」不能执行「前进」');
    }
  });
  it('lists allowed actions per state', () => {
    expect(m.allowedActions('a').map((x) => x.action)).toEqual(['go', 'end']);
    expect(m.allowedActions('b')).toEqual([{ action: 'end', label: '结束', to: 'c' }]);
    expect(m.allowedActions('c')).toEqual([]);
    expect(m.can('b', 'go')).toBe(false);
  });
});
