import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { call, freshIp, loginAs, newAccount, sessionCookie, tryLogin } from '../../../../test/security.js';
import { setSettingsAsSystem } from '../security/security.service.js';
import { createTeacher } from '../teachers/teachers.service.js';

// Sessions (issue 9 item 4) and passwords (item 9): the token changes at password change (the old one is dead
// at once), idle and absolute limits come from the 安全管理员's settings (also for sessions already running),
// and a new password may not be any of the last 5.

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
});
afterAll(async () => t?.close());

beforeEach(async () => {
  // Every case starts from the 等保 defaults (idle 30 min, absolute 12 h, history 5).
  await setSettingsAsSystem(t.ctx, { sessionIdleMinutes: 30, sessionAbsoluteHours: 12, passwordHistory: 5 }, '测试：默认值');
});

async function teacherAccount() {
  const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
  return newAccount(t.ctx, 'teacher', w.school1, { teacherId });
}

const me = (cookie: string) => call(t.app, cookie, 'GET', '/api/auth/me');
const sessionOf = (cookie: string) => cookie.replace('qs_session=', '');
/** Move the timestamps of every session of this user (SQL, instead of waiting). */
const age = (userId: number, column: 'last_seen_at' | 'created_at', interval: string) =>
  t.db.query(`UPDATE auth_sessions SET ${column} = now() - $2::interval WHERE user_id = $1`, [userId, interval]);

describe('token rotation', () => {
  it('at login: a token the browser had before is never reused', async () => {
    const u = await teacherAccount();
    const a = await loginAs(t.app, u.username);
    const b = await loginAs(t.app, u.username);
    expect(a.cookie).not.toBe(b.cookie);
  });

  it('at password change: the session goes on under a new token, the old token is dead at once, the login time is kept', async () => {
    const u = await teacherAccount();
    const { cookie } = await loginAs(t.app, u.username);
    const before = (await t.db.query<{ created_at: Date }>('SELECT created_at FROM auth_sessions WHERE user_id = $1', [u.id])).rows[0].created_at;
    const r = await call(t.app, cookie, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Rotate2025!x' });
    expect(r.statusCode).toBe(204);
    const next = sessionCookie(r);
    expect(next).toBeTruthy();
    expect(sessionOf(next as string)).not.toBe(sessionOf(cookie));
    expect((await me(cookie)).statusCode).toBe(401);
    expect((await me(next as string)).statusCode).toBe(200);
    const after = await t.db.query<{ created_at: Date }>('SELECT created_at FROM auth_sessions WHERE user_id = $1', [u.id]);
    expect(after.rows).toHaveLength(1);
    // The absolute limit still counts from the login, not from the change.
    expect(new Date(after.rows[0].created_at).getTime()).toBe(new Date(before).getTime());
  });
});

describe('idle and absolute limits from the settings', () => {
  it('idle 30 min: a session idle for 29 minutes works, one idle for 31 does not', async () => {
    const u = await teacherAccount();
    const { cookie } = await loginAs(t.app, u.username);
    await age(u.id, 'last_seen_at', '29 minutes');
    expect((await me(cookie)).statusCode).toBe(200);
    await age(u.id, 'last_seen_at', '31 minutes');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('a shorter idle limit set by the 安全管理员 applies to running sessions', async () => {
    const u = await teacherAccount();
    const { cookie } = await loginAs(t.app, u.username);
    await age(u.id, 'last_seen_at', '12 minutes');
    expect((await me(cookie)).statusCode).toBe(200);
    await setSettingsAsSystem(t.ctx, { sessionIdleMinutes: 10 }, '测试：空闲 10 分钟');
    await age(u.id, 'last_seen_at', '11 minutes');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('absolute 12 h: a busy session ends 12 hours after its login', async () => {
    const u = await teacherAccount();
    const { cookie } = await loginAs(t.app, u.username);
    await age(u.id, 'created_at', '11 hours 50 minutes');
    expect((await me(cookie)).statusCode).toBe(200);
    await age(u.id, 'created_at', '12 hours 1 minute');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('a shorter absolute limit applies to running sessions; a new login gets the new lifetime', async () => {
    const u = await teacherAccount();
    const { cookie } = await loginAs(t.app, u.username);
    await age(u.id, 'created_at', '3 hours');
    expect((await me(cookie)).statusCode).toBe(200);
    await setSettingsAsSystem(t.ctx, { sessionAbsoluteHours: 2 }, '测试：最长 2 小时');
    expect((await me(cookie)).statusCode).toBe(401);
    await loginAs(t.app, u.username);
    const hours = await t.db.query<{ h: number }>(
      'SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS h FROM auth_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
      [u.id],
    );
    expect(hours.rows[0].h).toBe(2);
  });

  it('the session cookie has no persistent expiry', async () => {
    const u = await teacherAccount();
    const r = await tryLogin(t.app, u.username, PASSWORD);
    const c = r.cookies.find((x) => x.name === 'qs_session');
    expect(c?.expires).toBeUndefined();
    expect(c?.maxAge).toBeUndefined();
    expect(c?.httpOnly).toBe(true);
  });
});

describe('password history', () => {
  const change = (cookie: string, currentPassword: string, newPassword: string) =>
    call(t.app, cookie, 'POST', '/api/auth/password', { currentPassword, newPassword }, freshIp());

  it('refuses each of the last 5 passwords (the current one included) and accepts the one before them', async () => {
    const u = await teacherAccount();
    let { cookie } = await loginAs(t.app, u.username);
    const passwords = [PASSWORD, 'History1!a', 'History2!b', 'History3!c', 'History4!d', 'History5!e'];
    for (let i = 1; i < passwords.length; i++) {
      const r = await change(cookie, passwords[i - 1], passwords[i]);
      expect(r.statusCode).toBe(204);
      cookie = sessionCookie(r) as string;
    }
    const current = passwords[passwords.length - 1];
    for (const old of passwords.slice(2, 5)) {
      const r = await change(cookie, current, old);
      expect(r.statusCode).toBe(400);
      expect(r.json().fields).toEqual([{ field: 'newPassword', message: '新密码不能与最近 5 次使用过的密码相同' }]);
    }
    // The current one is refused by its own rule.
    expect((await change(cookie, current, current)).json().fields[0].message).toBe('新密码不能与当前密码相同');
    // History1 is the 5th most recent (with History2–5): refused; the demo password is the 6th: accepted.
    expect((await change(cookie, current, passwords[1])).statusCode).toBe(400);
    expect((await change(cookie, current, PASSWORD)).statusCode).toBe(204);
    // Kept hashed (argon2id), never in clear.
    const h = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM password_history WHERE user_id = $1', [u.id]);
    expect(h.rows.length).toBe(6);
    for (const r of h.rows) expect(r.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('follows the setting: with history 2, the password before the previous one may come back', async () => {
    await setSettingsAsSystem(t.ctx, { passwordHistory: 2 }, '测试：密码历史 2');
    const u = await teacherAccount();
    let { cookie } = await loginAs(t.app, u.username);
    let r = await change(cookie, PASSWORD, 'Second2!xx');
    cookie = sessionCookie(r) as string;
    r = await change(cookie, 'Second2!xx', 'Third3!yyy');
    cookie = sessionCookie(r) as string;
    expect((await change(cookie, 'Third3!yyy', 'Second2!xx')).json().fields[0].message).toBe('新密码不能与最近 2 次使用过的密码相同');
    expect((await change(cookie, 'Third3!yyy', PASSWORD)).statusCode).toBe(204);
  });
});
