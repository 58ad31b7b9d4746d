import { describe, expect, it } from 'vitest';
import { actionLabel, AUDIT_ACTION_LABELS } from './audit-actions.js';
import { maskLongDigits } from './audit.service.js';

describe('the auditor sees', () => {
  it('long digit runs (an ID or phone typed as a filter) masked', () => {
    expect(maskLongDigits('q=150102198503127716')).toBe('q=150*************16');
    expect(maskLongDigits('13800138000 和 15010219850312771X')).toBe('138******00 和 150*************1X');
    expect(maskLongDigits('第 12345 行')).toBe('第 12345 行');
  });
  it('every action the code writes with a Chinese label; an unknown one as it is', () => {
    for (const a of [
      'login',
      'login.failed',
      'account.locked',
      'account.unlock',
      'totp.enrol',
      'security.settings',
      'audit.export',
      'teacher.unmask',
      'policy.publish',
    ])
      expect(AUDIT_ACTION_LABELS[a]).toMatch(/[\u4e00-\u9fa5]/);
    expect(actionLabel('something.new')).toBe('something.new');
  });
});
