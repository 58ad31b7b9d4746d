import type { AppContext } from '../../platform/context.js';
import { permissionsOf, ROLE_LABELS, type CurrentUser } from '../../platform/access.js';
import { createSession, destroyOtherSessions, hashPassword, switchSessionRole, verifyPassword } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, type FieldError } from '../../platform/errors.js';
import * as repo from './auth.repository.js';
import type { ChangePasswordInput, LoginInput } from './auth.schema.js';
import { classifyLoginIdentifier } from './login-identifier.js';
import { newPasswordProblem } from './password-rules.js';

// A fixed hash to verify against when no account matches, so timing does not reveal which identifiers exist.
let dummyHash: Promise<string> | null = null;

const LOGIN_FAILED = '账号或密码错误';

/**
 * Sign in with a username, a 身份证号 or a mobile number (both through their keyed blind indexes, never
 * in clear) and the password. A phone shared by several accounts cannot identify one: the person is asked
 * for their 身份证号 or username instead (said only after the password matched one of them, so the answer
 * reveals nothing to someone without a password). Returns the new session's token.
 */
export async function login(ctx: AppContext, input: LoginInput, ip: string): Promise<{ token: string; userId: number }> {
  const ident = classifyLoginIdentifier(input.username);
  const candidates =
    ident.kind === 'nationalId'
      ? await repo.byNationalIdIndex(ctx.db, ctx.pii.blindIndex(ident.value))
      : ident.kind === 'phone'
        ? await repo.byPhoneIndex(ctx.db, ctx.pii.blindIndex(ident.value))
        : await repo.byUsername(ctx.db, ident.value);
  dummyHash ??= hashPassword('not-a-real-password');
  const matched: repo.LoginCandidate[] = [];
  if (!candidates.length) await verifyPassword(await dummyHash, input.password);
  for (const c of candidates) if (await verifyPassword(c.password_hash, input.password)) matched.push(c);
  const u = matched.length === 1 ? matched[0] : null;
  if (!u?.active) {
    // The identifier kind only, never what was typed: a mistyped password or a 身份证号 must not land in the log.
    await audit(
      ctx.db,
      candidates.length === 1 ? { id: candidates[0].id, orgId: null } : null,
      'login.failed',
      'user',
      candidates.length === 1 ? candidates[0].id : null,
      {
        by: ident.kind,
        ...(ident.kind === 'username' ? { username: ident.value.slice(0, 64) } : {}),
        reason: !u ? (matched.length > 1 ? 'ambiguous' : 'password') : 'inactive',
      },
      ip,
    );
    if (matched.length > 1) throw new AppError('UNAUTHENTICATED', '该手机号对应多个账号，请改用身份证号或用户名登录');
    if (u && !u.active) throw new AppError('UNAUTHENTICATED', '该账号已停用，请联系本单位系统管理员');
    throw new AppError('UNAUTHENTICATED', LOGIN_FAILED);
  }
  return ctx.db.tx(async (q) => {
    const s = await createSession(q, u.id, { policy: ctx.config.session });
    await audit(q, { id: u.id, orgId: null }, 'login', 'user', u.id, { by: ident.kind }, ip);
    return { token: s.token, userId: u.id };
  });
}

/** /auth/me: who is signed in, the role they act in, the other roles they may switch to, and what they may do. */
export async function me(ctx: AppContext, u: CurrentUser) {
  const roles = await repo.activeRoles(ctx.db, u.id);
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
    permissions: permissionsOf(u),
    mustChangePassword: u.mustChangePassword,
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
 * 修改密码: the caller proves the current password and sets a new one that meets the rules.
 * On success every other session of the user ends (the one making the request stays) and an audit
 * line is written — never the passwords. Wrong current passwords are counted per user (audit log),
 * so guessing through a stolen session is throttled across app processes.
 */
export async function changePassword(ctx: AppContext, user: CurrentUser, input: ChangePasswordInput, session: { token: string; ip?: string }): Promise<void> {
  const failures = await repo.countRecentFailures(ctx.db, user.id, FAILED_ACTION, PASSWORD_FAILURE_WINDOW_MIN);
  if (failures >= PASSWORD_FAILURE_LIMIT) {
    throw new AppError('RATE_LIMITED', `当前密码输错次数过多，请 ${PASSWORD_FAILURE_WINDOW_MIN} 分钟后再试`);
  }

  const outcome = await ctx.db.tx(async (q) => {
    const stored = await repo.lockPasswordHash(q, user.id);
    if (stored === null) throw new AppError('UNAUTHENTICATED', '请先登录');
    const fields: FieldError[] = [];
    const currentOk = await verifyPassword(stored, input.currentPassword);
    if (!currentOk) fields.push({ field: 'currentPassword', message: '当前密码不正确' });
    // Only compare with the current password once it is proven, so the check tells a guesser nothing.
    const problem = newPasswordProblem(input.newPassword, { username: user.username, currentPassword: currentOk ? input.currentPassword : undefined });
    if (problem) fields.push({ field: 'newPassword', message: problem });
    if (fields.length) return { ok: false as const, fields, wrongCurrent: !currentOk };

    await repo.updatePasswordHash(q, user.id, await hashPassword(input.newPassword));
    const ended = await destroyOtherSessions(q, user.id, session.token);
    await audit(q, user, 'password.change', 'user', user.id, { otherSessionsEnded: ended }, session.ip);
    return { ok: true as const };
  });

  if (!outcome.ok) {
    // Written outside the (read-only) transaction above so the count survives the refusal.
    if (outcome.wrongCurrent) await audit(ctx.db, user, FAILED_ACTION, 'user', user.id, {}, session.ip);
    throw badRequest(outcome.fields.map((f) => f.message).join('；'), outcome.fields);
  }
}
