import { createHmac, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { deriveKey } from '../../config.js';
import type { AppContext } from '../../platform/context.js';
import { SECOND_FACTOR_EXEMPT_ROLES, type CurrentUser } from '../../platform/access.js';
import { destroySession, rotateSessionToken, sessionRulesOf } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, conflict } from '../../platform/errors.js';
import { checkIpBackoff, confirmSuccess, lockedError, lockedUntil, recordFailure, reserveAttempt } from './lockout.js';
import * as repo from './totp.repository.js';

/**
 * TOTP second factor (RFC 6238, 6 digits, 30 s: every authenticator app): enrolment with a QR code, then every
 * sign-in of the account asks for a code after the password; 10 one-time recovery codes for a lost phone.
 */
export const RECOVERY_CODE_COUNT = 10;
export const TOTP_ISSUER = '强师';
/** A code of the previous or next 30-second step is accepted too (phone clocks drift). */
const TOLERANCE_SECONDS = 30;
// Recovery codes: 10 characters without look-alikes (no 0/O, 1/I/L), shown as XXXXX-XXXXX: 50 bits each.
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const recoveryKey = (ctx: AppContext) => deriveKey(ctx.config.secret, 'totp-recovery-codes');

/** The keyed hash a recovery code is stored as (codes are random: a keyed SHA-256 suffices and allows lookup). */
export function recoveryCodeHash(ctx: AppContext, code: string): string {
  return createHmac('sha256', recoveryKey(ctx)).update(normaliseRecoveryCode(code)).digest('base64url');
}

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** The time step a code matches, or null. `after`: refuse steps up to this one (used before). */
async function matchCode(secret: string, code: string, after: number | null): Promise<number | null> {
  const r = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS, ...(after !== null ? { afterTimeStep: after } : {}) });
  // The union also covers HOTP results; a TOTP match carries its time step.
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

/** 绑定动态口令, step 1: a new secret as a QR code (otpauth URI) and as text for typing in. */
export async function setupTotp(ctx: AppContext, user: CurrentUser): Promise<{ secret: string; uri: string; qrDataUrl: string }> {
  const secret = generateSecret();
  if (!(await repo.startEnrolment(ctx.db, user.id, ctx.pii.encrypt(secret)))) throw conflict('该账号已绑定动态口令；如需更换，请联系安全管理员重置');
  const uri = generateURI({ issuer: TOTP_ISSUER, label: user.username, secret });
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/**
 * 绑定动态口令, step 2: the first code from the app proves it is set up. The enrolment completes, 10 recovery
 * codes are issued (shown this once; only their hashes are kept), this session counts as having passed the
 * second factor and gets a new token (returned, for the cookie).
 */
export async function enableTotp(
  ctx: AppContext,
  user: CurrentUser,
  code: string,
  token: string,
  ip: string,
): Promise<{ recoveryCodes: string[]; token: string }> {
  const row = await repo.findTotp(ctx.db, user.id);
  if (!row) throw conflict('请先生成绑定二维码');
  if (row.enrolled_at) throw conflict('该账号已绑定动态口令');
  const step = /^\d{6}$/.test(code) ? await matchCode(ctx.pii.decrypt(row.secret_enc), code, null) : null;
  if (step === null) throw badRequest('动态口令不正确，请核对手机时间后输入应用中当前显示的 6 位数字', [{ field: 'code', message: '动态口令不正确' }]);
  const settings = await ctx.security.get();
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const next = await ctx.db.tx(async (q) => {
    if (!(await repo.completeEnrolment(q, user.id, step))) throw conflict('该账号已绑定动态口令');
    await repo.replaceRecoveryCodes(
      q,
      user.id,
      recoveryCodes.map((c) => recoveryCodeHash(ctx, c)),
    );
    const t = await rotateSessionToken(q, token, { secondFactor: true, policy: sessionRulesOf(settings) });
    if (!t) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录');
    await audit(q, user, 'totp.enrol', 'user', user.id, { recoveryCodes: RECOVERY_CODE_COUNT }, ip);
    return t;
  });
  return { recoveryCodes, token: next };
}

/**
 * The second step of a sign-in: the 6-digit code of the authenticator, or one of the recovery codes. Wrong
 * codes count towards the account's lockout like wrong passwords (and towards the address's back-off); on
 * success the session gets its full rights and a new token (returned, for the cookie).
 */
export async function verifySecondFactor(ctx: AppContext, user: CurrentUser, input: string, token: string, ip: string): Promise<{ token: string }> {
  if (user.secondFactor !== 'verify') throw conflict('本次登录无需输入动态口令');
  const settings = await ctx.security.get();
  await checkIpBackoff(ctx.db, ip);
  const fail = async (reason: string, extra: Record<string, unknown> = {}) => {
    const locked = await recordFailure(ctx.db, [user.id], ip, settings);
    await audit(ctx.db, user, 'login.failed', 'user', user.id, { by: 'secondFactor', reason, ...extra }, ip);
    if (locked.length) {
      await audit(ctx.db, user, 'account.locked', 'user', user.id, { until: locked[0].until.toISOString(), failures: settings.lockoutThreshold }, ip);
      await destroySession(ctx.db, token);
      throw lockedError(locked[0].until);
    }
  };
  if (!(await reserveAttempt(ctx.db, user.id, settings.lockoutThreshold))) {
    await audit(ctx.db, user, 'login.failed', 'user', user.id, { by: 'secondFactor', reason: 'locked' }, ip);
    await destroySession(ctx.db, token);
    throw lockedError(await lockedUntil(ctx.db, user.id));
  }
  const code = input.trim();
  let via: 'totp' | 'recovery';
  if (/^\d{6}$/.test(code)) {
    via = 'totp';
    const row = await repo.findTotp(ctx.db, user.id);
    const step = row?.enrolled_at ? await matchCode(ctx.pii.decrypt(row.secret_enc), code, row.last_step) : null;
    if (step === null || !(await repo.acceptStep(ctx.db, user.id, step))) {
      await fail('totp');
      throw badRequest('动态口令不正确或已使用过，请输入应用中当前显示的 6 位数字', [{ field: 'code', message: '动态口令不正确' }]);
    }
  } else {
    via = 'recovery';
    if (normaliseRecoveryCode(code).length !== 10 || !(await repo.spendRecoveryCode(ctx.db, user.id, recoveryCodeHash(ctx, code)))) {
      await fail('recovery');
      throw badRequest('恢复码不正确或已使用过', [{ field: 'code', message: '恢复码不正确或已使用过' }]);
    }
  }
  return ctx.db.tx(async (q) => {
    if (!(await confirmSuccess(q, user.id))) throw lockedError(await lockedUntil(q, user.id));
    const next = await rotateSessionToken(q, token, { secondFactor: true, policy: sessionRulesOf(settings) });
    if (!next) throw new AppError('UNAUTHENTICATED', '登录已超时，请重新登录');
    const left = via === 'recovery' ? await repo.unusedRecoveryCodes(q, user.id) : undefined;
    await audit(q, user, 'login', 'user', user.id, { by: 'secondFactor', mfa: via, ...(left !== undefined ? { recoveryCodesLeft: left } : {}) }, ip);
    return { token: next };
  });
}

export async function secondFactorOwed(ctx: AppContext, userId: number): Promise<'verify' | 'enrol' | null> {
  const s = await ctx.security.get();
  return repo.secondFactorOwed(ctx.db, userId, s.totpRequired, SECOND_FACTOR_EXEMPT_ROLES);
}
