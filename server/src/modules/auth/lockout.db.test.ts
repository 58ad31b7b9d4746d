import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { call, freshIp, loginAs, newAccount, tryLogin } from '../../../../test/security.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { IP_FREE_FAILURES, IP_MAX_DELAY_SECONDS, ipDelaySeconds } from './lockout.js';

// Brute force (issue 9 item 3): an account locks after 5 failures for 30 minutes (安全策略) — the right
// password does not open it then —, the 安全管理员 unlocks it (audited) or time does; an address that fails
// often backs off for seconds, while a whole school signing in from one NAT address is never shut out.

let t: TestApp;
let w: World;
let security: { id: number; username: string };

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  security = await newAccount(t.ctx, 'securityAdmin', w.city);
});
afterAll(async () => t?.close());

async function teacherAccount() {
  const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
  return newAccount(t.ctx, 'teacher', w.school1, { teacherId });
}

const lockState = async (id: number) =>
  (
    await t.db.query<{ failed_logins: number; locked: boolean }>(
      'SELECT failed_logins, COALESCE(locked_until > now(), false) AS locked FROM users WHERE id = $1',
      [id],
    )
  ).rows[0];

describe('account lockout', () => {
  it('the 225-wrong-then-right attack fails: after the 5th wrong password even the right one is refused', async () => {
    const u = await teacherAccount();
    // From many addresses (a botnet), so the per-IP back-off plays no part.
    for (let i = 0; i < 4; i++) expect((await tryLogin(t.app, u.username, `Wrong${i}pass!`)).statusCode).toBe(401);
    expect(await lockState(u.id)).toEqual({ failed_logins: 4, locked: false });
    const fifth = await tryLogin(t.app, u.username, 'Wrong5pass!');
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().error).toBe('ACCOUNT_LOCKED');
    for (let i = 0; i < 220; i++) expect((await tryLogin(t.app, u.username, `More${i}wrong!`)).json().error).toBe('ACCOUNT_LOCKED');
    const right = await tryLogin(t.app, u.username, PASSWORD);
    expect(right.statusCode).toBe(401);
    expect(right.json()).toMatchObject({ error: 'ACCOUNT_LOCKED' });
    expect(right.json().message).toContain('账号已被锁定');
    expect(right.cookies.find((c) => c.name === 'qs_session')).toBeUndefined();
    const locks = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.locked' AND user_id = $1`, [u.id]);
    expect(locks.rows[0].n).toBe(1);
    const failed = await t.db.query<{ reason: string; n: number }>(
      `SELECT detail->>'reason' AS reason, count(*)::int AS n FROM audit_log WHERE action = 'login.failed' AND user_id = $1 GROUP BY 1 ORDER BY 1`,
      [u.id],
    );
    expect(failed.rows).toEqual([
      { reason: 'locked', n: 221 },
      { reason: 'password', n: 5 },
    ]);
  });

  it('200 wrong passwords at once are checked at most 5 times and lock the account; the right one afterwards is refused', async () => {
    const u = await teacherAccount();
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => tryLogin(t.app, u.username, `Burst${i}pass!`)));
    expect(rs.every((r) => r.statusCode === 401)).toBe(true);
    const checked = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'login.failed' AND user_id = $1 AND detail->>'reason' = 'password'`,
      [u.id],
    );
    expect(checked.rows[0].n).toBeLessThanOrEqual(5);
    expect((await tryLogin(t.app, u.username, PASSWORD)).json().error).toBe('ACCOUNT_LOCKED');
  });

  it('a success resets the count: four typos, the right password, four typos do not lock', async () => {
    const u = await teacherAccount();
    for (let i = 0; i < 4; i++) await tryLogin(t.app, u.username, `Typo${i}abc!`);
    await loginAs(t.app, u.username);
    for (let i = 0; i < 4; i++) await tryLogin(t.app, u.username, `Typo${i}xyz!`);
    expect(await lockState(u.id)).toEqual({ failed_logins: 4, locked: false });
    await loginAs(t.app, u.username);
  });

  it('the lock ends by itself after the lock time (moved in SQL, not waited for)', async () => {
    const u = await teacherAccount();
    for (let i = 0; i < 5; i++) await tryLogin(t.app, u.username, `Wrong${i}pass!`);
    const until = (
      await t.db.query<{ minutes: number }>('SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM users WHERE id = $1', [u.id])
    ).rows[0].minutes;
    expect(until).toBe(30);
    await t.db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [u.id]);
    await loginAs(t.app, u.username);
    expect(await lockState(u.id)).toEqual({ failed_logins: 0, locked: false });
  });

  it('the 安全管理员 sees the locked account and unlocks it (audited); then the right password works', async () => {
    const u = await teacherAccount();
    for (let i = 0; i < 5; i++) await tryLogin(t.app, u.username, `Wrong${i}pass!`);
    const sec = await loginAs(t.app, security.username);
    const locked = await call(t.app, sec.cookie, 'GET', '/api/security/accounts?locked=1');
    expect(locked.statusCode).toBe(200);
    const row = (locked.json() as { id: number; lockedUntil: string | null }[]).find((a) => a.id === u.id);
    expect(row?.lockedUntil).toBeTruthy();

    const r = await call(t.app, sec.cookie, 'POST', `/api/security/accounts/${u.id}/unlock`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: u.id, lockedUntil: null, failedLogins: 0 });
    const line = await t.db.query<{ user_id: number; entity_id: string }>(
      `SELECT user_id, entity_id FROM audit_log WHERE action = 'account.unlock' ORDER BY id DESC LIMIT 1`,
    );
    expect(line.rows[0]).toEqual({ user_id: security.id, entity_id: String(u.id) });
    await loginAs(t.app, u.username);
    // Unlocking an account that is not locked says so.
    expect((await call(t.app, sec.cookie, 'POST', `/api/security/accounts/${u.id}/unlock`)).statusCode).toBe(409);
  });

  it('a county 安全管理员 cannot see or unlock an account of another county (404)', async () => {
    const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3));
    const u = await newAccount(t.ctx, 'teacher', w.school3, { teacherId });
    for (let i = 0; i < 5; i++) await tryLogin(t.app, u.username, `Wrong${i}pass!`);
    const county = await newAccount(t.ctx, 'securityAdmin', w.county1);
    const c = await loginAs(t.app, county.username);
    const list = (await call(t.app, c.cookie, 'GET', '/api/security/accounts?locked=1')).json() as { id: number }[];
    expect(list.map((a) => a.id)).not.toContain(u.id);
    expect((await call(t.app, c.cookie, 'POST', `/api/security/accounts/${u.id}/unlock`)).statusCode).toBe(404);
    expect((await lockState(u.id)).locked).toBe(true);
  });
});

describe('per-address back-off', () => {
  it('grows 1, 2, 4 … seconds after the free failures, at most a minute', () => {
    expect(ipDelaySeconds(IP_FREE_FAILURES - 1)).toBe(0);
    expect([0, 1, 2, 3].map((k) => ipDelaySeconds(IP_FREE_FAILURES + k))).toEqual([1, 2, 4, 8]);
    expect(ipDelaySeconds(IP_FREE_FAILURES + 30)).toBe(IP_MAX_DELAY_SECONDS);
  });

  it('a school behind one NAT address signs in 25 teachers with 10 typos among them (35 attempts in a minute): nobody is refused', async () => {
    const nat = freshIp();
    const teachers = [];
    for (let i = 0; i < 25; i++) teachers.push(await teacherAccount());
    let typos = 0;
    for (const [i, u] of teachers.entries()) {
      if (i % 2 === 0 && typos < 10) {
        typos++;
        expect((await tryLogin(t.app, u.username, 'Mistyped1!', nat)).statusCode).toBe(401);
      }
      expect((await tryLogin(t.app, u.username, PASSWORD, nat)).statusCode).toBe(200);
    }
  });

  it('an address that keeps failing is refused for seconds (429 + Retry-After), other addresses are not; then it may try again', async () => {
    const attacker = freshIp();
    const victim = await teacherAccount();
    const other = await teacherAccount();
    // Spread over accounts (password spraying), so no account locks.
    const sprayed = [];
    for (let i = 0; i < 6; i++) sprayed.push(await teacherAccount());
    for (let i = 0; i < IP_FREE_FAILURES; i++) {
      const r = await tryLogin(t.app, sprayed[i % sprayed.length].username, `Spray${i}pass!`, attacker);
      expect(r.statusCode).toBe(401);
    }
    // The last failure "just now" (the test's own speed must not matter): one second to wait.
    await t.db.query('UPDATE login_ip_failures SET last_at = now() WHERE ip = $1', [attacker]);
    const refused = await tryLogin(t.app, victim.username, PASSWORD, attacker);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toBe('该网络登录失败次数较多，请 1 秒后再试');
    expect(refused.headers['retry-after']).toBe('1');
    // Five more failures: 32 seconds.
    await t.db.query('UPDATE login_ip_failures SET failures = failures + 5, last_at = now() WHERE ip = $1', [attacker]);
    expect((await tryLogin(t.app, victim.username, PASSWORD, attacker)).headers['retry-after']).toBe('32');
    // Refusals are not failures: the account is not touched.
    expect(await lockState(victim.id)).toEqual({ failed_logins: 0, locked: false });
    // Another address is unaffected.
    await loginAs(t.app, other.username, PASSWORD, freshIp());
    // After the delay (moved in SQL) the address may try again.
    await t.db.query(`UPDATE login_ip_failures SET last_at = now() - make_interval(secs => $2) WHERE ip = $1`, [attacker, IP_MAX_DELAY_SECONDS + 1]);
    await loginAs(t.app, victim.username, PASSWORD, attacker);
  });
});
