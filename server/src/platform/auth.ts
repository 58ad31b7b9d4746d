import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/db.js';
import { type CurrentUser, type Role, SECOND_FACTOR_EXEMPT_ROLES } from './access.js';
import { AppError } from './errors.js';

export const SESSION_COOKIE = 'qs_session';

/**
 * Session lifetime (等保 defaults): idle 30 min, absolute 12 h. The 安全管理员's settings are the source
 * (ctx.security); the configuration only gives their defaults.
 */
export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 30, absoluteHours: 12 };

/** What loadSessionUser needs to know: the session limits and whether admins must use a second factor. */
export interface SessionRules extends SessionPolicy {
  totpRequired?: boolean;
}

/** A session waiting for its second factor lives this long: enough to open the authenticator app. */
export const PENDING_SECOND_FACTOR_MINUTES = 10;

/** The policy of the current settings (SecuritySettings has more fields; these are the session's). */
export function sessionRulesOf(s: { sessionIdleMinutes: number; sessionAbsoluteHours: number; totpRequired: boolean }): SessionRules {
  return { idleMinutes: s.sessionIdleMinutes, absoluteHours: s.sessionAbsoluteHours, totpRequired: s.totpRequired };
}

/**
 * Argon2id parameters of new password hashes: OWASP's minimum (19 MiB, t=2, p=1). Chosen for the morning rush
 * (bench/login-rush.ts, BENCHMARKS.md): the whole sign-in stays within 1.5× of bare verifies at this cost.
 * A stored hash carries its own parameters, so changing them never breaks existing passwords.
 */
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 defaults to Argon2id.
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
/** How a session token is stored (auth_sessions.token_hash): for modules that keep more per session (OIDC). */
export const sessionTokenHash = tokenHash;

/**
 * The role a new session of this user acts in: the one last used if still in force, else the first one
 * granted. Null when the user has no role in force (then they cannot sign in).
 */
export async function defaultRoleId(q: Queryable, userId: number): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `SELECT a.role_id AS id FROM active_user_roles a JOIN users u ON u.id = a.user_id
      WHERE a.user_id = $1 ORDER BY (a.role_id = u.last_role_id) DESC, a.role_id LIMIT 1`,
    [userId],
  );
  return r.rows[0]?.id ?? null;
}

/**
 * Create a session row acting in `roleId` (default: defaultRoleId's choice, in force) and return the raw token
 * for the cookie (only its hash is stored), with the role and the org it acts at. A new token every time:
 * logging in never reuses a token the browser had. One statement (choose the role, insert the session, remember
 * the role as the last used): a morning rush of sign-ins pays one round trip for it (bench/login-rush.ts).
 */
export async function createSession(
  q: Queryable,
  userId: number,
  opts: { roleId?: number; policy?: SessionPolicy; pendingSecondFactor?: boolean } = {},
): Promise<{ token: string; expires: Date; roleId: number; orgId: number }> {
  const token = newToken();
  // A session that still has to pass the second factor ends soon unless it does.
  const expires = new Date(
    Date.now() + (opts.pendingSecondFactor ? PENDING_SECOND_FACTOR_MINUTES * 60_000 : (opts.policy ?? DEFAULT_SESSION_POLICY).absoluteHours * 3600_000),
  );
  const r = await q.query<{ role_id: number; org_id: number }>(
    `WITH r AS (SELECT a.role_id, a.org_id FROM active_user_roles a JOIN users u ON u.id = a.user_id
                 WHERE a.user_id = $1 AND ($4::int IS NULL OR a.role_id = $4)
                 ORDER BY (a.role_id = u.last_role_id) DESC, a.role_id LIMIT 1),
          s AS (INSERT INTO auth_sessions (token_hash, user_id, role_id, expires_at) SELECT $2, $1, role_id, $3 FROM r RETURNING role_id),
          l AS (UPDATE users SET last_role_id = s.role_id FROM s WHERE users.id = $1)
     SELECT role_id, org_id FROM r`,
    [userId, tokenHash(token), expires, opts.roleId ?? null],
  );
  const row = r.rows[0];
  if (!row) throw new AppError('FORBIDDEN', '该账号没有可用的角色，请联系本单位系统管理员');
  return { token, expires, roleId: row.role_id, orgId: row.org_id };
}

const newToken = () => randomBytes(32).toString('base64url');

/**
 * Give the session of `token` a new token (the old one stops working at once) and return it: after a
 * password change and when the session passes (or enrols) the second factor, so a token seen before the
 * change — a fixed or stolen one — is worth nothing after it. `secondFactor`: mark the session as having
 * passed it, and give it its full lifetime from the login. Null when there is no such session.
 */
export async function rotateSessionToken(q: Queryable, token: string, opts: { secondFactor?: boolean; policy?: SessionPolicy } = {}): Promise<string | null> {
  const next = newToken();
  const r = opts.secondFactor
    ? await q.query(
        `UPDATE auth_sessions SET token_hash = $2, mfa_at = now(), expires_at = created_at + make_interval(hours => $3::int)
          WHERE token_hash = $1`,
        [tokenHash(token), tokenHash(next), (opts.policy ?? DEFAULT_SESSION_POLICY).absoluteHours],
      )
    : await q.query('UPDATE auth_sessions SET token_hash = $2 WHERE token_hash = $1', [tokenHash(token), tokenHash(next)]);
  return r.rowCount ? next : null;
}

/** Act in another of the user's roles in this session (no new login). False when the role is not theirs or not in force. */
export async function switchSessionRole(q: Queryable, token: string, userId: number, roleId: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE auth_sessions SET role_id = $3
      WHERE token_hash = $1 AND user_id = $2 AND EXISTS (SELECT 1 FROM active_user_roles a WHERE a.role_id = $3 AND a.user_id = $2)`,
    [tokenHash(token), userId, roleId],
  );
  if (r.rowCount) await q.query('UPDATE users SET last_role_id = $2 WHERE id = $1', [userId, roleId]);
  return r.rowCount > 0;
}

export async function destroySession(q: Queryable, token: string): Promise<void> {
  await q.query('DELETE FROM auth_sessions WHERE token_hash = $1', [tokenHash(token)]);
}

/** End every session of the user except the one with `keepToken` (after a password change); how many ended. */
export async function destroyOtherSessions(q: Queryable, userId: number, keepToken: string): Promise<number> {
  const r = await q.query('DELETE FROM auth_sessions WHERE user_id = $1 AND token_hash <> $2', [userId, tokenHash(keepToken)]);
  return r.rowCount;
}

/** End every session of the user (deactivation, password reset by an admin, role revoked); how many ended. */
export async function destroyAllSessions(q: Queryable, userId: number): Promise<number> {
  return (await q.query('DELETE FROM auth_sessions WHERE user_id = $1', [userId])).rowCount;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role_id: number;
  role: Role;
  org_id: number;
  org_path: string;
  org_name: string;
  org_level: string;
  parent_path: string | null;
  teacher_id: number | null;
  must_change_password: boolean;
  touch: boolean;
  mfa_at: Date | null;
  totp_enrolled: boolean;
  admin: boolean;
}

/** An expert sees only their assignments, never an org subtree: this path prefixes no org's path. */
export const EXPERT_SCOPE = '/expert-no-org/';

/** The subtree a role may see at its org: institutions and development centres serve the region above them. */
export function scopeOf(role: Role, orgPath: string, parentPath: string | null): string {
  if (role === 'expert') return EXPERT_SCOPE;
  if ((role === 'institution' || role === 'devCenter') && parentPath) return parentPath;
  return orgPath;
}

/**
 * The caller of a session token, acting in the session's role; null when there is no such session, it has
 * been idle longer than the policy allows or passed its absolute end (counted from the login, so a shorter
 * limit set by the 安全管理员 applies to running sessions too), the account is inactive or the role has
 * ended. Marks the session as seen (at most once a minute, so a page's burst of requests writes once).
 * `secondFactor` says what the session still owes: 'verify' (the account has TOTP and this session has not
 * passed it) or 'enrol' (TOTP is required for the account's admin roles and it has none yet).
 */
export async function loadSessionUser(q: Queryable, token: string | undefined, policy: SessionRules = DEFAULT_SESSION_POLICY): Promise<CurrentUser | null> {
  if (!token) return null;
  const r = await q.query<UserRow>(
    `SELECT u.id, u.username, u.display_name, a.role_id, a.role, o.id AS org_id, o.path AS org_path, o.name AS org_name, o.level AS org_level,
            p.path AS parent_path, u.teacher_id, u.must_change_password, s.last_seen_at < now() - interval '1 minute' AS touch,
            s.mfa_at, EXISTS (SELECT 1 FROM user_totp x WHERE x.user_id = u.id AND x.enrolled_at IS NOT NULL) AS totp_enrolled,
            EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.revoked_at IS NULL AND r.role <> ALL ($4::text[])) AS admin
       FROM auth_sessions s JOIN users u ON u.id = s.user_id
       JOIN active_user_roles a ON a.role_id = s.role_id
       JOIN orgs o ON o.id = a.org_id
       LEFT JOIN orgs p ON p.id = o.parent_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2::int)
        AND s.created_at > now() - make_interval(hours => $3::int)`,
    [tokenHash(token), policy.idleMinutes, policy.absoluteHours, SECOND_FACTOR_EXEMPT_ROLES],
  );
  const u = r.rows[0];
  if (!u) return null;
  if (u.touch) await q.query('UPDATE auth_sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash(token)]);
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roleId: u.role_id,
    role: u.role,
    orgId: u.org_id,
    orgPath: u.org_path,
    orgName: u.org_name,
    orgLevel: u.org_level,
    teacherId: u.teacher_id,
    scopePath: scopeOf(u.role, u.org_path, u.parent_path),
    mustChangePassword: u.must_change_password,
    secondFactor: u.totp_enrolled ? (u.mfa_at ? null : 'verify') : policy.totpRequired && u.admin ? 'enrol' : null,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
  }
}

/** The caller, or 401. Use in every authenticated handler. */
/**
 * The rate-limit key of a signed-in route: the account, not the address (a school behind one NAT shares an
 * address; an account is one person). Anonymous callers fall back to the address.
 */
export const byCaller = (req: FastifyRequest): string => (req.user ? `user:${req.user.id}` : req.ip);

export function currentUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED', '请先登录');
  return req.user;
}

/** The session cookie: no persistent expiry (it ends with the browser), httpOnly, SameSite=Lax. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure });
}
