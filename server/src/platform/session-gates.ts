import type { CurrentUser } from './access.js';
import { AppError } from './errors.js';

/**
 * What a session that still owes something may do (checked on every /api request, app.ts onRequest):
 * - the second factor of this sign-in ('verify'): enter the code, read who it is, log out;
 * - an initial or reset password: change it;
 * - an admin account without a TOTP authenticator ('enrol'): bind one (or change the password).
 * Everything else answers 403 with a code the web app turns into the matching page.
 */
const ALWAYS = ['GET /api/auth/me', 'POST /api/auth/logout', 'GET /api/health'];
const VERIFY_ALLOWED = new Set([...ALWAYS, 'POST /api/auth/totp/verify']);
const PASSWORD_CHANGE_ALLOWED = new Set([...ALWAYS, 'POST /api/auth/password']);
const ENROL_ALLOWED = new Set([...ALWAYS, 'POST /api/auth/password', 'POST /api/auth/totp/setup', 'POST /api/auth/totp/enable']);

export function enforceSessionGates(user: CurrentUser | null, method: string, url: string): void {
  if (!user) return;
  const route = `${method} ${url.split('?')[0]}`;
  // The sign-in is not complete: nothing else applies before the code (not even an initial password change).
  if (user.secondFactor === 'verify') {
    if (!VERIFY_ALLOWED.has(route)) throw new AppError('SECOND_FACTOR_REQUIRED', '请先输入动态口令完成登录');
    return;
  }
  // An initial or reset password must be changed before the account does anything else.
  if (user.mustChangePassword && !PASSWORD_CHANGE_ALLOWED.has(route)) {
    throw new AppError('PASSWORD_CHANGE_REQUIRED', '请先修改初始密码后再继续使用');
  }
  if (user.secondFactor === 'enrol' && !ENROL_ALLOWED.has(route)) {
    throw new AppError('TOTP_ENROLMENT_REQUIRED', '管理员账号须先绑定动态口令（手机验证器）后再继续使用');
  }
}
