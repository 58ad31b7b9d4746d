import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { destroyAllSessions } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { insertSettingsVersion, type SecurityPolicy, type SecuritySettings } from '../../platform/security-settings.js';
import { unlock } from '../auth/lockout.repository.js';
import { removeTotp } from '../auth/totp.repository.js';
import * as repo from './security.repository.js';
import type { AccountSearchQuery, SettingsInput } from './security.schema.js';

/** 等保2.0 三级 recommended values, shown next to each field of the settings form. */
export const RECOMMENDED: SecurityPolicy = {
  lockoutThreshold: 5,
  lockoutMinutes: 30,
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  passwordHistory: 5,
  totpRequired: true,
};

const POLICY_KEYS = Object.keys(RECOMMENDED) as (keyof SecurityPolicy)[];

/** 安全策略: the one in force, the recommended values and the history of versions (who, when, why). */
export async function getSettings(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'security.manage');
  const [current, history, canEdit] = await Promise.all([
    ctx.security.reload(),
    repo.settingsHistory(ctx.db),
    repo.isTopmost(ctx.db, 'securityAdmin', user.orgPath),
  ]);
  return { current, recommended: RECOMMENDED, history, canEdit };
}

/**
 * Publish a new version of the 安全策略 (the previous versions stay). The settings hold for the whole
 * deployment (one region), so only the topmost 安全管理员 (no one above them holds the role) sets them. The change is audited
 * with what changed and why, and this process uses it at once (others within seconds: SecuritySettingsStore).
 */
export async function updateSettings(ctx: AppContext, user: CurrentUser, input: SettingsInput, ip?: string): Promise<SecuritySettings> {
  requirePermission(user, 'security.manage');
  if (!(await repo.isTopmost(ctx.db, 'securityAdmin', user.orgPath))) throw forbidden('安全策略适用于整个系统，由最上级单位的安全管理员设置');
  const before = await ctx.security.reload();
  const changes = Object.fromEntries(POLICY_KEYS.filter((k) => before[k] !== input[k]).map((k) => [k, [before[k], input[k]]]));
  if (!Object.keys(changes).length && before.version !== null) throw conflict('安全策略没有变化');
  await ctx.db.tx(async (q) => {
    const version = await insertSettingsVersion(q, input, user.id, input.reason);
    await audit(q, user, 'security.settings', 'security_settings', version, { changes, reason: input.reason }, ip);
  });
  return ctx.security.reload();
}

/**
 * Set the 安全策略 without a caller (the demo seed, test fixtures): a new version with these values changed.
 * Audited as a system change.
 */
export async function setSettingsAsSystem(ctx: AppContext, patch: Partial<SecurityPolicy>, reason: string): Promise<SecuritySettings> {
  const before = await ctx.security.reload();
  const next: SecurityPolicy = { ...before, ...patch };
  await ctx.db.tx(async (q) => {
    const version = await insertSettingsVersion(q, next, null, reason);
    await audit(q, null, 'security.settings', 'security_settings', version, { changes: patch, reason });
  });
  return ctx.security.reload();
}

const presentAccount = (a: repo.AccountSecurityRow) => ({
  id: a.id,
  username: a.username,
  displayName: a.display_name,
  active: a.active,
  failedLogins: a.failed_logins,
  lockedUntil: a.locked_until ? new Date(a.locked_until).toISOString() : null,
  totpEnrolled: a.totp_enrolled,
  recoveryCodesLeft: a.recovery_codes_left,
  orgs: a.orgs,
  lastLogin: a.last_login ? new Date(a.last_login).toISOString() : null,
});
export type AccountSecurityDto = ReturnType<typeof presentAccount>;

/** Accounts of the caller's subtree with their lock and second-factor state (by name, or those locked now). */
export async function searchAccounts(ctx: AppContext, user: CurrentUser, query: AccountSearchQuery): Promise<AccountSecurityDto[]> {
  requirePermission(user, 'security.manage');
  if (!query.q && query.locked !== '1') return [];
  return (await repo.searchAccounts(ctx.db, user.scopePath, { q: query.q || undefined, locked: query.locked === '1' })).map(presentAccount);
}

async function accountOr404(ctx: AppContext, user: CurrentUser, userId: number) {
  const a = await repo.accountInScope(ctx.db, user.scopePath, userId);
  if (!a) throw notFound('账号');
  return a;
}

/** 解锁: the account's lock and failure count end at once (audited). 409 when it is not locked. */
export async function unlockAccount(ctx: AppContext, user: CurrentUser, userId: number, ip?: string): Promise<AccountSecurityDto> {
  requirePermission(user, 'security.manage');
  const a = await accountOr404(ctx, user, userId);
  await ctx.db.tx(async (q) => {
    if (!(await unlock(q, userId))) throw conflict('该账号未被锁定');
    await audit(
      q,
      user,
      'account.unlock',
      'user',
      userId,
      { username: a.username, lockedUntil: a.locked_until ? new Date(a.locked_until).toISOString() : null },
      ip,
    );
  });
  return presentAccount(await accountOr404(ctx, user, userId));
}

/**
 * 重置动态口令 (a lost phone and lost recovery codes): the authenticator and recovery codes go, the account's
 * sessions end; at the next sign-in an admin account binds a new one. Audited with the reason.
 */
export async function resetTotp(ctx: AppContext, user: CurrentUser, userId: number, reason: string, ip?: string): Promise<AccountSecurityDto> {
  requirePermission(user, 'security.manage');
  const a = await accountOr404(ctx, user, userId);
  if (userId === user.id) throw forbidden('不能重置本人的动态口令，请联系另一位安全管理员');
  await ctx.db.tx(async (q) => {
    if (!(await removeTotp(q, userId))) throw conflict('该账号尚未绑定动态口令');
    const ended = await destroyAllSessions(q, userId);
    await audit(q, user, 'totp.reset', 'user', userId, { username: a.username, reason, sessionsEnded: ended }, ip);
  });
  return presentAccount(await accountOr404(ctx, user, userId));
}

/** 登录失败记录: failed sign-ins and locks of the last hours in the caller's subtree. */
export async function failedLogins(ctx: AppContext, user: CurrentUser, hours: number) {
  requirePermission(user, 'security.manage');
  const root = await repo.isTopmost(ctx.db, 'securityAdmin', user.orgPath);
  const rows = await repo.recentFailedLogins(ctx.db, user.scopePath, root, hours);
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    action: r.action,
    userId: r.user_id,
    username: r.username ?? (typeof r.detail.username === 'string' ? r.detail.username : null),
    displayName: r.display_name,
    orgName: r.org_name,
    by: typeof r.detail.by === 'string' ? r.detail.by : null,
    reason: typeof r.detail.reason === 'string' ? r.detail.reason : null,
    ip: r.ip,
  }));
}
