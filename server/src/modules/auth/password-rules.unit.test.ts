import { describe, expect, it } from 'vitest';
import { newPasswordProblem, PASSWORD_RULE_TEXT } from './password-rules.js';

describe('newPasswordProblem', () => {
  it('accepts 8+ characters with letters and digits', () => {
    expect(newPasswordProblem('abcd1234', { username: 'teacher' })).toBeNull();
    expect(newPasswordProblem('Spring 2025 强师', { username: 'teacher', currentPassword: 'Demo@2025' })).toBeNull();
  });
  it('refuses short, letter-only and digit-only passwords', () => {
    for (const p of ['abc123', 'abcdefgh', '12345678', '']) expect(newPasswordProblem(p, { username: 'x' })).toBe(PASSWORD_RULE_TEXT);
  });
  it('refuses the username (any case) and the current password', () => {
    expect(newPasswordProblem('Wang2025a', { username: 'wang2025A' })).toBe('新密码不能与用户名相同');
    expect(newPasswordProblem('Demo@2025', { username: 't', currentPassword: 'Demo@2025' })).toBe('新密码不能与当前密码相同');
  });
});
