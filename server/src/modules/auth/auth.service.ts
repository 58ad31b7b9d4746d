import type { AppContext } from '../../platform/context.js';
import { permissionsOf, ROLE_LABELS, type CurrentUser } from '../../platform/access.js';
import {
  createSession,
  destroyOtherSessions,
  destroySession,
  hashPassword,
  rotateSessionToken,
  sessionRulesOf,
  switchSessionRole,
  verifyPassword,
} from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, type FieldError } from '../../platform/errors.js';
import * as repo from './auth.repository.js';
import type { ChangePasswordInput, LoginInput } from './auth.schema.js';
import { checkIpBackoff, confirmSuccess, lockedError, lockedUntil, recordFailure, releaseAttempt, reserveAttempt } from './lockout.js';
import { classifyLoginIdentifier } from './login-identifier.js';
import { newPasswordProblem, reusedPasswordMessage } from './password-rules.js';
import { secondFactorOwed } from './totp.service.js';
import { oidcLogoutUrl, sessionIdToken } from './oidc.service.js';

// A fixed hash to verify against when no account matches, so timing does not reveal which identifiers exist.
let dummyHash: Promise<string> | null = null;

const LOGIN_FAILED = '账号或密码错误';

/**
 * Sign in with a username, a 身份证号 or a mobile number (both through their keyed blind indexes, never
 * in clear) and the password. A phone shared by several accounts cannot identify one: the person is asked
 * for their 身份证号 or username instead (said only after the password matched one of them, so the answer
 * reveals nothing to someone without a password). Returns the new session's token and what the session still
 * owes: 'verify' (the account has a TOTP authenticator: this session may only enter the code, and ends in
 * 10 minutes unless it does) or 'enrol' (an admin account must bind one first).
 *
 * Brute force (lockout.ts): an address in its back-off is refused before anything is checked; each candidate
 * account's attempt is counted before its password is verified, so a locked account is refused even with the
 * right password (the 225-wrong-then-right attack ends at the 5th wrong one).
 */
export async function login(
  ctx: AppContext,
  input: LoginInput,
  ip: string,
): Promise<{ token: string; userId: number; secondFactor: 'verify' | 'enrol' | null }> {
  const settings = await ctx.security.get();
  await checkIpBackoff(ctx.db, ip);
  const ident = classifyLoginIdentifier(input.username);
  const candidates =
    ident.kind === 'nationalId'
      ? await repo.byNationalIdIndex(ctx.db, ctx.pii.blindIndex(ident.value))
      : ident.kind === 'phone'
        ? await repo.byPhoneIndex(ctx.db, ctx.pii.blindIndex(ident.value))
        : await repo.byUsername(ctx.db, ident.value);
  const reserved: repo.LoginCandidate[] = [];
  for (const c of candidates) if (await reserveAttempt(ctx.db, c.id, settings.lockoutThreshold)) reserved.push(c);
  dummyHash ??= hashPassword('not-a-real-password');
  const matched: repo.LoginCandidate[] = [];
  // No such account: spend the same time as a real check. A locked account is refused without any check.
  if (!candidates.length) await verifyPassword(await dummyHash, input.password);
  for (const c of reserved) if (await verifyPassword(c.password_hash, input.password)) matched.push(c);
  const u = matched.length === 1 ? matched[0] : null;
  const allLocked = candidates.length > 0 && reserved.length === 0;
  const one = candidates.length === 1 ? candidates[0] : null;
  if (!u?.active) {
    // Not a wrong password of these accounts (ambiguous phone, inactive account): take the attempts back.
    const wrongPassword = matched.length === 0;
    if (!wrongPassword) for (const c of reserved) await releaseAttempt(ctx.db, c.id);
    const locked = wrongPassword
      ? await recordFailure(
          ctx.db,
          reserved.map((c) => c.id),
          ip,
          settings,
        )
      : [];
    // The identifier kind only, never what was typed: a mistyped password or a 身份证号 must not land in the log.
    await audit(
      ctx.db,
      one ? { id: one.id, orgId: one.org_id } : null,
      'login.failed',
      'user',
      one?.id ?? null,
      {
        by: ident.kind,
        ...(ident.kind === 'username' ? { username: ident.value.slice(0, 64) } : {}),
        reason: allLocked ? 'locked' : !u ? (matched.length > 1 ? 'ambiguous' : 'password') : 'inactive',
      },
      ip,
    );
    for (const l of locked) {
      const c = candidates.find((x) => x.id === l.userId);
      await audit(
        ctx.db,
        { id: l.userId, orgId: c?.org_id ?? null },
        'account.locked',
        'user',
        l.userId,
        { until: l.until.toISOString(), failures: settings.lockoutThreshold },
        ip,
      );
    }
    if (allLocked || (locked.length && locked.length === candidates.length))
      throw lockedError(locked[0]?.until ?? (one ? await lockedUntil(ctx.db, one.id) : null));
    if (matched.length > 1) throw new AppError('UNAUTHENTICATED', '该手机号对应多个账号，请改用身份证号或用户名登录');
    if (u && !u.active) throw new AppError('UNAUTHENTICATED', '该账号已停用，请联系本单位系统管理员');
    throw new AppError('UNAUTHENTICATED', LOGIN_FAILED);
  }
  for (const c of reserved) if (c.id !== u.id) await releaseAttempt(ctx.db, c.id);
  const owed = await secondFactorOwed(ctx, u.id);
  return ctx.db.tx(async (q) => {
    if (owed === 'verify') {
      // Only the password is proven: the count stays until the code is right (a right password between wrong
      // codes must not reset it).
      await releaseAttempt(q, u.id);
    } else if (!(await confirmSuccess(q, u.id))) {
      throw lockedError(await lockedUntil(q, u.id));
    }
    const s = await createSession(q, u.id, { policy: sessionRulesOf(settings), pendingSecondFactor: owed === 'verify' });
    const orgId = s.orgId;
    await audit(q, { id: u.id, orgId }, owed === 'verify' ? 'login.password_ok' : 'login', 'user', u.id, { by: ident.kind }, ip);
    return { token: s.token, userId: u.id, secondFactor: owed };
  });
}

/**
 * 退出登录: the session ends (audited). A session signed in through 统一身份认证 also gets the provider's logout
 * URL, so the browser ends the sign-in there too.
 */
export async function logout(ctx: AppContext, user: CurrentUser | null, token: string, ip: string): Promise<{ endSessionUrl: string | null }> {
  const idToken = await sessionIdToken(ctx.db, token);
  await destroySession(ctx.db, token);
  if (user) await audit(ctx.db, user, 'logout', 'user', user.id, idToken ? { method: 'oidc' } : {}, ip);
  return { endSessionUrl: await oidcLogoutUrl(ctx, idToken) };
}

/** /auth/me: who is signed in, the role they act in, the other roles they may switch to, and what they may do. */
export async function me(ctx: AppContext, u: CurrentUser) {
  // A session that has only proven the password learns who it is, not what it may do, until the code is entered.
  const pending = u.secondFactor === 'verify';
  const roles = pending ? [] : await repo.activeRoles(ctx.db, u.id);
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roleId: u.roleId,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role],
    orgId: u.orgId,
    orgName: u.orgName,
    orgLevel: u.orgLevel,
    teacherId: u.teacherId,
    permissions: pending ? [] : permissionsOf(u),
    mustChangePassword: u.mustChangePassword,
    secondFactor: u.secondFactor ?? null,
    roles: roles.map((r) => ({ id: r.id, role: r.role, roleLabel: ROLE_LABELS[r.role], orgId: r.org_id, orgName: r.org_name })),
  };
}

/** 切换角色: act in another of one's roles in this session, without logging out. */
export async function switchRole(ctx: AppContext, u: CurrentUser, roleId: number, token: string, ip: string): Promise<void> {
  await ctx.db.tx(async (q) => {
    if (!(await switchSessionRole(q, token, u.id, roleId))) throw new AppError('NOT_FOUND', '该角色不存在或已失效');
    await audit(q, u, 'role.switch', 'user', u.id, { from: u.roleId, to: roleId }, ip);
  });
}

/** Wrong current passwords allowed per user in the window before 修改密码 refuses for a while. */
export const PASSWORD_FAILURE_LIMIT = 5;
export const PASSWORD_FAILURE_WINDOW_MIN = 15;
const FAILED_ACTION = 'password.change_failed';

/**
 * 修改密码: the caller proves the current password and sets a new one that meets the rules and is none of
 * the last N passwords (安全策略 password history, the current one included).
 * On success every other session of the user ends, this session gets a new token (returned, for the cookie:
 * the old token stops working) and an audit line is written — never the passwords. Wrong current passwords
 * are counted per user (audit log), so guessing through a stolen session is throttled across app processes.
 */
export async function changePassword(
  ctx: AppContext,
  user: CurrentUser,
  input: ChangePasswordInput,
  session: { token: string; ip?: string },
): Promise<{ token: string }> {
  const failures = await repo.countRecentFailures(ctx.db, user.id, FAILED_ACTION, PASSWORD_FAILURE_WINDOW_MIN);
  if (failures >= PASSWORD_FAILURE_LIMIT) {
    throw new AppError('RATE_LIMITED', `当前密码输错次数过多，请 ${PASSWORD_FAILURE_WINDOW_MIN} 分钟后再试`);
  }
  const settings = await ctx.security.get();

  const outcome = await ctx.db.tx(async (q) => {
    const stored = await repo.lockPasswordHash(q, user.id);
    if (stored === null) throw new AppError('UNAUTHENTICATED', '请先登录');
    const fields: FieldError[] = [];
    const currentOk = await verifyPassword(stored, input.currentPassword);
    if (!currentOk) fields.push({ field: 'currentPassword', message: '当前密码不正确' });
    // Only compare with the current password once it is proven, so the check tells a guesser nothing.
    let problem = newPasswordProblem(input.newPassword, { username: user.username, currentPassword: currentOk ? input.currentPassword : undefined });
    if (!problem && currentOk && settings.passwordHistory > 1) {
      // The older passwords (argon2id hashes kept by a trigger), verified in parallel on the libuv pool.
      const older = await repo.previousPasswordHashes(q, user.id, settings.passwordHistory - 1);
      if ((await Promise.all(older.map((h) => verifyPassword(h, input.newPassword)))).some(Boolean)) problem = reusedPasswordMessage(settings.passwordHistory);
    }
    if (problem) fields.push({ field: 'newPassword', message: problem });
    if (fields.length) return { ok: false as const, fields, wrongCurrent: !currentOk };

    await repo.updatePasswordHash(q, user.id, await hashPassword(input.newPassword));
    const ended = await destroyOtherSessions(q, user.id, session.token);
    const token = await rotateSessionToken(q, session.token);
    if (!token) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录');
    await audit(q, user, 'password.change', 'user', user.id, { otherSessionsEnded: ended }, session.ip);
    return { ok: true as const, token };
  });

  if (!outcome.ok) {
    // Written outside the (read-only) transaction above so the count survives the refusal.
    if (outcome.wrongCurrent) await audit(ctx.db, user, FAILED_ACTION, 'user', user.id, {}, session.ip);
    throw badRequest(outcome.fields.map((f) => f.message).join('；'), outcome.fields);
  }
  return { token: outcome.token };
}
