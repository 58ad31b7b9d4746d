import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { Role } from '../server/src/platform/access.js';
import type { AppContext } from '../server/src/platform/context.js';
import { hashPassword } from '../server/src/platform/auth.js';
import { grantRole, insertUser } from '../server/src/modules/users/users.repository.js';
import { setSettingsAsSystem } from '../server/src/modules/security/security.service.js';
import { PASSWORD } from './factories.js';

/** Helpers of the security tests (lockout, sessions, TOTP, 安全管理, 审计): accounts, sign-in from an address, codes. */

let hashOnce: Promise<string> | null = null;
export const passwordHash = () => (hashOnce ??= hashPassword(PASSWORD));

let seq = 0;
/** A new account (password PASSWORD) holding `role` at `orgId` (teacher roles need teacherId); its id and username. */
export async function newAccount(ctx: AppContext, role: Role, orgId: number, opts: { teacherId?: number; prefix?: string } = {}) {
  const username = `${opts.prefix ?? role}.${++seq}.${Math.random().toString(36).slice(2, 6)}`;
  const id = await insertUser(ctx.db, { username, passwordHash: await passwordHash(), displayName: `${role}${seq}`, role, orgId, teacherId: opts.teacherId });
  return { id, username };
}

export { grantRole };

/** A distinct client address per call site, so the per-IP back-off of one test does not touch another. */
let ipSeq = 0;
export const freshIp = () => `10.${77 + Math.floor(++ipSeq / 60000)}.${Math.floor(ipSeq / 250) % 250}.${(ipSeq % 250) + 1}`;

export function sessionCookie(r: LightMyRequestResponse): string | null {
  const c = r.cookies.find((x) => x.name === 'qs_session');
  return c?.value ? `qs_session=${c.value}` : null;
}

export const tryLogin = (app: FastifyInstance, username: string, password: string, ip = freshIp()) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

/** Log in (must succeed); the Cookie header and what the session still owes. */
export async function loginAs(app: FastifyInstance, username: string, password = PASSWORD, ip = freshIp()) {
  const r = await tryLogin(app, username, password, ip);
  if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
  return { cookie: sessionCookie(r) as string, secondFactor: (r.json() as { secondFactor: 'verify' | 'enrol' | null }).secondFactor };
}

export const call = (app: FastifyInstance, cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, ip = freshIp()) =>
  app.inject({ method, url, headers: { cookie }, payload, remoteAddress: ip });

/** The TOTP code of `secret` for the 30-second step `offset` steps from now (−1, 0, +1 are accepted). */
export const totpCode = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

export const requireTotp = (ctx: AppContext, on: boolean) =>
  setSettingsAsSystem(ctx, { totpRequired: on }, on ? '测试：要求管理员使用动态口令' : '测试：不要求');

/** Bind an authenticator for a session in the 'enrol' state; the secret, recovery codes and the new cookie. */
export async function enrolTotp(app: FastifyInstance, cookie: string) {
  const setup = await call(app, cookie, 'POST', '/api/auth/totp/setup');
  if (setup.statusCode !== 200) throw new Error(`setup: ${setup.statusCode} ${setup.body}`);
  const { secret } = setup.json() as { secret: string };
  const enable = await call(app, cookie, 'POST', '/api/auth/totp/enable', { code: await totpCode(secret) });
  if (enable.statusCode !== 200) throw new Error(`enable: ${enable.statusCode} ${enable.body}`);
  return { secret, recoveryCodes: (enable.json() as { recoveryCodes: string[] }).recoveryCodes, cookie: sessionCookie(enable) as string };
}

export async function auditActions(ctx: AppContext, userId: number): Promise<string[]> {
  const r = await ctx.db.query<{ action: string }>('SELECT action FROM audit_log WHERE user_id = $1 ORDER BY id', [userId]);
  return r.rows.map((x) => x.action);
}
