import { describe, expect, it } from 'vitest';
import type { CurrentUser } from './access.js';
import { enforceSessionGates } from './session-gates.js';

const user = (over: Partial<CurrentUser>): CurrentUser => ({
  id: 1,
  username: 'u',
  displayName: 'U',
  roleId: 1,
  role: 'bureauAdmin',
  orgId: 1,
  orgPath: '/1/',
  orgName: 'O',
  orgLevel: 'city',
  teacherId: null,
  scopePath: '/1/',
  mustChangePassword: false,
  ...over,
});
const code = (u: CurrentUser, method: string, url: string) => {
  try {
    enforceSessionGates(u, method, url);
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('enforceSessionGates', () => {
  it('lets a session that owes nothing do anything', () => {
    expect(code(user({}), 'GET', '/api/teachers?page=1')).toBe('ok');
  });
  it('a session owing its TOTP code may only enter it, read who it is, or log out (not even change the password)', () => {
    const u = user({ secondFactor: 'verify', mustChangePassword: true });
    expect(code(u, 'POST', '/api/auth/totp/verify')).toBe('ok');
    expect(code(u, 'GET', '/api/auth/me')).toBe('ok');
    expect(code(u, 'POST', '/api/auth/logout')).toBe('ok');
    expect(code(u, 'POST', '/api/auth/password')).toBe('SECOND_FACTOR_REQUIRED');
    expect(code(u, 'POST', '/api/auth/totp/setup')).toBe('SECOND_FACTOR_REQUIRED');
    expect(code(u, 'GET', '/api/teachers')).toBe('SECOND_FACTOR_REQUIRED');
  });
  it('an initial password comes before binding an authenticator', () => {
    const u = user({ secondFactor: 'enrol', mustChangePassword: true });
    expect(code(u, 'POST', '/api/auth/password')).toBe('ok');
    expect(code(u, 'POST', '/api/auth/totp/setup')).toBe('PASSWORD_CHANGE_REQUIRED');
    const v = user({ secondFactor: 'enrol' });
    expect(code(v, 'POST', '/api/auth/totp/setup')).toBe('ok');
    expect(code(v, 'POST', '/api/auth/totp/enable')).toBe('ok');
    expect(code(v, 'POST', '/api/auth/role')).toBe('TOTP_ENROLMENT_REQUIRED');
    expect(code(v, 'GET', '/api/orgs/tree')).toBe('TOTP_ENROLMENT_REQUIRED');
  });
});
