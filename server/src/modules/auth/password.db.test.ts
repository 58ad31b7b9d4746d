import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { PASSWORD_FAILURE_LIMIT } from './auth.service.js';

// 修改密码: the current password must match, the new one meets the rules; success ends the user's other
// sessions, keeps this one, and leaves an audit line without any password in it.

let t: TestApp;
let w: World;
let hash: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  hash = await hashPassword(PASSWORD);
});
afterAll(async () => t?.close());

let seq = 0;
/** A fresh teacher account (password PASSWORD) so each case starts from a known state. */
async function newUser(prefix = 'pw.user'): Promise<string> {
  const username = `${prefix}${++seq}`;
  const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
  await insertUser(t.db, { username, passwordHash: hash, displayName: `改密教师${seq}`, role: 'teacher', orgId: w.school1, teacherId });
  return username;
}

// Each account calls from its own address: login and 修改密码 are rate-limited per IP (20 a minute).
const ipOf = (username: string) => `10.9.${username.length}.${Number(username.replace(/\D/g, '').slice(-2) || 0)}`;
const ipByCookie = new Map<string, string>();
const change = (cookie: string, body: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/auth/password', payload: body as object, headers: { cookie }, remoteAddress: ipByCookie.get(cookie) });
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
const tryLogin = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ipOf(username) });
/** Log in; the Cookie header value. */
async function login(username: string, password: string): Promise<string> {
  const r = await tryLogin(username, password);
  expect(r.statusCode).toBe(200);
  const cookie = `qs_session=${r.cookies.find((x) => x.name === 'qs_session')!.value}`;
  ipByCookie.set(cookie, ipOf(username));
  return cookie;
}
const fieldsOf = (body: string) => (JSON.parse(body) as { fields: { field: string; message: string }[] }).fields;

describe('POST /api/auth/password', () => {
  it('refuses a wrong current password on the currentPassword field and keeps the old password', async () => {
    const u = await newUser();
    const c = await login(u, PASSWORD);
    const r = await change(c, { currentPassword: 'Wrong1234', newPassword: 'NewPass2025' });
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r.body)).toEqual([{ field: 'currentPassword', message: '当前密码不正确' }]);
    expect((await tryLogin(u, PASSWORD)).statusCode).toBe(200);
    expect((await tryLogin(u, 'NewPass2025')).statusCode).toBe(401);
  });

  it.each([
    ['too short', 'ab12cd', '新密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少 3 类'],
    ['no digit', 'abcdefghij', '新密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少 3 类'],
    ['no letter', '1234567890', '新密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少 3 类'],
  ])('refuses a weak new password (%s) on the newPassword field', async (_why, newPassword, message) => {
    const u = await newUser();
    const c = await login(u, PASSWORD);
    const r = await change(c, { currentPassword: PASSWORD, newPassword });
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r.body)).toEqual([{ field: 'newPassword', message }]);
    expect(r.json().message).toContain(message);
    expect((await tryLogin(u, PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a new password equal to the current one or to the username', async () => {
    const u = await newUser('abc.12345');
    const c = await login(u, PASSWORD);
    const same = await change(c, { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.statusCode).toBe(400);
    expect(fieldsOf(same.body)).toEqual([{ field: 'newPassword', message: '新密码不能与当前密码相同' }]);
    const asName = await change(c, { currentPassword: PASSWORD, newPassword: u.toUpperCase() });
    expect(asName.statusCode).toBe(400);
    expect(fieldsOf(asName.body)).toEqual([{ field: 'newPassword', message: '新密码不能与用户名相同' }]);
  });

  it('names both fields when the current password is wrong and the new one weak', async () => {
    const u = await newUser();
    const c = await login(u, PASSWORD);
    const r = await change(c, { currentPassword: 'nope', newPassword: 'short' });
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r.body).map((f) => f.field)).toEqual(['currentPassword', 'newPassword']);
  });

  it('refuses a missing field with a field error (no 500), and an anonymous caller with 401', async () => {
    const u = await newUser();
    const c = await login(u, PASSWORD);
    const r = await change(c, { currentPassword: PASSWORD });
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r.body).map((f) => f.field)).toContain('newPassword');
    const anon = await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: PASSWORD, newPassword: 'NewPass2025' } });
    expect(anon.statusCode).toBe(401);
  });

  it('changes the password: old one no longer logs in, new one does; other sessions end, this one stays (with a new token)', async () => {
    const u = await newUser();
    const phone = await login(u, PASSWORD);
    const laptop = await login(u, PASSWORD);
    const other = await login('teacher', PASSWORD);
    expect((await me(laptop)).statusCode).toBe(200);

    const r = await change(phone, { currentPassword: PASSWORD, newPassword: 'Spring2025x' });
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');

    // This session goes on under a new token (the old one is dead: see security.sessions.db.test.ts).
    const rotated = `qs_session=${r.cookies.find((x) => x.name === 'qs_session')?.value}`;
    expect(rotated).not.toBe(phone);
    expect((await me(rotated)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(laptop)).statusCode).toBe(401);
    // Someone else's session is untouched.
    expect((await me(other)).statusCode).toBe(200);
    expect((await tryLogin(u, PASSWORD)).statusCode).toBe(401);
    expect((await tryLogin(u, 'Spring2025x')).statusCode).toBe(200);

    const hashRow = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [u]);
    expect(hashRow.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('writes an audit line for the change (and for a wrong current password) with no password in it', async () => {
    const u = await newUser();
    const c = await login(u, PASSWORD);
    await login(u, PASSWORD);
    expect((await change(c, { currentPassword: 'Guess12345', newPassword: 'Autumn2025y' })).statusCode).toBe(400);
    expect((await change(c, { currentPassword: PASSWORD, newPassword: 'Autumn2025y' })).statusCode).toBe(204);
    const id = (await t.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [u])).rows[0].id;
    const lines = await t.db.query<{ action: string; entity: string; entity_id: string; detail: unknown; user_id: number }>(
      `SELECT action, entity, entity_id, detail, user_id FROM audit_log WHERE user_id = $1 AND action LIKE 'password.%' ORDER BY id`,
      [id],
    );
    expect(lines.rows.map((l) => l.action)).toEqual(['password.change_failed', 'password.change']);
    expect(lines.rows[1]).toMatchObject({ entity: 'user', entity_id: String(id), detail: { otherSessionsEnded: 1 } });
    const all = JSON.stringify(lines.rows);
    for (const secret of [PASSWORD, 'Guess12345', 'Autumn2025y']) expect(all).not.toContain(secret);
    const anywhere = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE detail::text LIKE '%' || $1 || '%' OR detail::text LIKE '%' || $2 || '%'`,
      ['Autumn2025y', 'Guess12345'],
    );
    expect(anywhere.rows[0].n).toBe(0);
  });

  it(`refuses further attempts after ${PASSWORD_FAILURE_LIMIT} wrong current passwords, even a right one`, async () => {
    const u = await newUser();
    const c = await login(u, PASSWORD);
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) {
      expect((await change(c, { currentPassword: `Wrong${i}xyz`, newPassword: 'Winter2025z' })).statusCode).toBe(400);
    }
    const r = await change(c, { currentPassword: PASSWORD, newPassword: 'Winter2025z' });
    expect(r.statusCode).toBe(429);
    expect(r.json().message).toContain('次数过多');
    expect((await tryLogin(u, 'Winter2025z')).statusCode).toBe(401);
    // Another user's attempts are counted separately.
    const v = await newUser();
    const cv = await login(v, PASSWORD);
    expect((await change(cv, { currentPassword: PASSWORD, newPassword: 'Winter2025z' })).statusCode).toBe(204);
  });
});
