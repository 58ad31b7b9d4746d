import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import type { CurrentUser, Role } from '../../platform/access.js';
import { createSession, hashPassword, loadSessionUser } from '../../platform/auth.js';
import { createTeacher } from '../teachers/teachers.service.js';
import type { TeacherInput } from '../teachers/teachers.schema.js';
import { grantRole, insertUser } from '../users/users.repository.js';

/**
 * The world of the accounts tests: seedWorld's city (甲区 with 一小 and 二中, 乙县 with 一中, an
 * institution) plus 系统管理员 accounts at the city, both counties and 一小, a 安全管理员 and an 审计管理员
 * at the city. Every account has the password PASSWORD. Requests come from a new address per login, so
 * the per-IP login limit never decides a test.
 */
export interface AccountsWorld {
  t: TestApp;
  w: World;
  ids: Record<string, number>;
  /** Log in through the real route; the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  tryLogin(username: string, password: string): Promise<LightMyRequestResponse>;
  call(cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** A new teacher of `orgId` (no account); its id. */
  teacher(orgId: number, overrides?: Partial<TeacherInput>): Promise<number>;
  /** The Cookie of a session acting in `role` (switching to it if it is not the first). */
  loginAs(username: string, role: Role): Promise<string>;
  /** The account as a service caller (its first role), for calling services directly. */
  asUser(username: string): Promise<CurrentUser>;
}

export const ADMINS = {
  'city.sys': ['sysAdmin', 'city'],
  'county.sys': ['sysAdmin', 'county1'],
  'county2.sys': ['sysAdmin', 'county2'],
  'school.sys': ['sysAdmin', 'school1'],
  'city.sec': ['securityAdmin', 'city'],
  'city.audit': ['auditor', 'city'],
} as const;

let ipSeq = 0;
const nextIp = () => {
  ipSeq++;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

export async function accountsWorld(): Promise<AccountsWorld> {
  const t = await createTestApp();
  const w = await seedWorld(t.ctx);
  const hash = await hashPassword(PASSWORD);
  const ids: Record<string, number> = {};
  for (const [username, [role, org]] of Object.entries(ADMINS)) {
    ids[username] = await insertUser(t.db, { username, passwordHash: hash, displayName: username, role, orgId: w[org] });
  }
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution'])
    ids[u] = (await t.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [u])).rows[0].id;

  const tryLogin = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: nextIp() });
  const login = async (username: string, password = PASSWORD) => {
    const r = await tryLogin(username, password);
    expect(r.statusCode, `login ${username}: ${r.body}`).toBe(200);
    return `qs_session=${r.cookies.find((c) => c.name === 'qs_session')?.value}`;
  };
  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, remoteAddress: nextIp(), ...(payload === undefined ? {} : { payload: payload as object }) });
  const teacher = (orgId: number, overrides: Partial<TeacherInput> = {}) => createTeacher(t.ctx, w.cityAdmin, buildTeacher(orgId, overrides));
  const loginAs = async (username: string, role: Role) => {
    const cookie = await login(username);
    const me = (await call(cookie, 'GET', '/api/auth/me')).json() as { role: Role; roles: { id: number; role: Role }[] };
    if (me.role !== role) {
      const target = me.roles.find((r) => r.role === role);
      expect(target, `${username} holds ${role}`).toBeTruthy();
      expect((await call(cookie, 'POST', '/api/auth/role', { roleId: target?.id })).statusCode).toBe(200);
    }
    return cookie;
  };
  const asUser = async (username: string) => {
    const s = await createSession(t.db, ids[username]);
    const u = await loadSessionUser(t.db, s.token);
    if (!u) throw new Error(`no session for ${username}`);
    return u;
  };
  return { t, w, ids, login, tryLogin, call, teacher, loginAs, asUser };
}

/** Give an existing account one more role (test set-up, bypassing the rules under test). */
export const addRole = (aw: AccountsWorld, userId: number, role: Role, orgId: number) => grantRole(aw.t.db, userId, role, orgId, null);

/** The Cookie header of the new session token a response set (修改密码 rotates it). */
export function rotatedCookie(r: LightMyRequestResponse): string {
  const c = r.cookies.find((x) => x.name === 'qs_session');
  expect(c?.value, 'a rotated session cookie').toBeTruthy();
  return `qs_session=${c?.value}`;
}
