import { describe, expect, it } from 'vitest';
import { characterClasses, newPasswordProblem, PASSWORD_RULE_TEXT } from './password-rules.js';

describe('newPasswordProblem', () => {
  it('accepts 8+ characters from at least 3 of the 4 classes', () => {
    expect(newPasswordProblem('Abcd1234', { username: 'teacher' })).toBeNull();
    expect(newPasswordProblem('abcd123!', { username: 'teacher' })).toBeNull();
    expect(newPasswordProblem('Spring 2025 强师', { username: 'teacher', currentPassword: 'Demo@2025' })).toBeNull();
  });
  it('refuses short passwords and those of two classes or fewer (password1 among them)', () => {
    for (const p of ['Ab1!', 'password1', 'PASSWORD1', 'abcdefgh', '12345678', 'abcdEFGH', ''])
      expect(newPasswordProblem(p, { username: 'x' })).toBe(PASSWORD_RULE_TEXT);
  });
  it('refuses the username (any case) and the current password', () => {
    expect(newPasswordProblem('Wang2025a', { username: 'wang2025A' })).toBe('新密码不能与用户名相同');
    expect(newPasswordProblem('Demo@2025', { username: 't', currentPassword: 'Demo@2025' })).toBe('新密码不能与当前密码相同');
  });
  it('counts classes', () => {
    expect(characterClasses('aA1!')).toBe(4);
    expect(characterClasses('强师强师')).toBe(1);
  });
});
