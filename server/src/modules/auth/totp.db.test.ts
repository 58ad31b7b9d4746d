import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { auditActions, call, enrolTotp, grantRole, loginAs, newAccount, requireTotp, sessionCookie, totpCode, tryLogin } from '../../../../test/security.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { RECOVERY_CODE_COUNT } from './totp.service.js';

// Second factor (issue 9 item 9): with 「管理员须使用动态口令」 on, an admin account binds a TOTP authenticator
// (QR code, first code, 10 recovery codes) before it may do anything; from then on every sign-in asks for the
// code after the password, and the password step alone gives a session that can do nothing but enter it.

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  await requireTotp(t.ctx, true);
});
afterAll(async () => t?.close());

const me = (cookie: string) => call(t.app, cookie, 'GET', '/api/auth/me');
const verify = (cookie: string, code: string) => call(t.app, cookie, 'POST', '/api/auth/totp/verify', { code });
/** Codes of one account must come from different 30-second steps (a used step is refused): −1, 0, +1. */
const clearReplayGuard = (userId: number) => t.db.query('UPDATE user_totp SET last_step = NULL WHERE user_id = $1', [userId]);

/** An admin (教育局管理员 at the county) with an authenticator bound; its secret and recovery codes. */
async function enrolledAdmin() {
  const a = await newAccount(t.ctx, 'bureauAdmin', w.county1);
  const first = await loginAs(t.app, a.username);
  expect(first.secondFactor).toBe('enrol');
  const e = await enrolTotp(t.app, first.cookie);
  await clearReplayGuard(a.id);
  return { ...a, ...e };
}

describe('enrolment', () => {
  it('an admin without an authenticator may only bind one: QR code, wrong code refused, first code binds it and returns 10 recovery codes', async () => {
    const a = await newAccount(t.ctx, 'sysAdmin', w.county1);
    const { cookie, secondFactor } = await loginAs(t.app, a.username);
    expect(secondFactor).toBe('enrol');
    const blocked = await call(t.app, cookie, 'GET', '/api/orgs/tree');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: 'TOTP_ENROLMENT_REQUIRED' });
    expect((await me(cookie)).json()).toMatchObject({ secondFactor: 'enrol', username: a.username });

    const setup = await call(t.app, cookie, 'POST', '/api/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, uri, qrDataUrl } = setup.json() as { secret: string; uri: string; qrDataUrl: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toContain('otpauth://totp/');
    expect(uri).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // The secret is stored encrypted, never in clear.
    const stored = await t.db.query<{ secret_enc: string }>('SELECT secret_enc FROM user_totp WHERE user_id = $1', [a.id]);
    expect(stored.rows[0].secret_enc).not.toContain(secret);

    const wrong = await call(t.app, cookie, 'POST', '/api/auth/totp/enable', { code: '000000' === (await totpCode(secret)) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields).toEqual([{ field: 'code', message: '动态口令不正确' }]);

    const enable = await call(t.app, cookie, 'POST', '/api/auth/totp/enable', { code: await totpCode(secret) });
    expect(enable.statusCode).toBe(200);
    const codes = (enable.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    const hashes = await t.db.query<{ code_hash: string }>('SELECT code_hash FROM user_recovery_codes WHERE user_id = $1', [a.id]);
    expect(hashes.rows).toHaveLength(RECOVERY_CODE_COUNT);
    for (const h of hashes.rows) expect(codes).not.toContain(h.code_hash);

    // The session passed the second factor: new token, full rights; the old token is dead.
    const next = sessionCookie(enable) as string;
    expect((await call(t.app, next, 'GET', '/api/orgs/tree')).statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
    expect(await auditActions(t.ctx, a.id)).toContain('totp.enrol');
    // Bound once: a second setup is refused (the 安全管理员 resets it).
    expect((await call(t.app, next, 'POST', '/api/auth/totp/setup')).statusCode).toBe(409);
  });

  it('teachers and experts are not asked to bind one', async () => {
    const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    const tch = await newAccount(t.ctx, 'teacher', w.school1, { teacherId });
    const r = await loginAs(t.app, tch.username);
    expect(r.secondFactor).toBeNull();
    expect((await call(t.app, r.cookie, 'GET', '/api/my/certificates')).statusCode).toBe(200);
  });

  it('a teacher who also holds an admin role must bind one (switching roles would otherwise skip it)', async () => {
    const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    const tch = await newAccount(t.ctx, 'teacher', w.school1, { teacherId });
    await grantRole(t.db, tch.id, 'schoolAdmin', w.school1, null);
    expect((await loginAs(t.app, tch.username)).secondFactor).toBe('enrol');
  });

  it('with the requirement off, admins are not asked to bind one', async () => {
    await requireTotp(t.ctx, false);
    try {
      const a = await newAccount(t.ctx, 'bureauAdmin', w.county1);
      expect((await loginAs(t.app, a.username)).secondFactor).toBeNull();
    } finally {
      await requireTotp(t.ctx, true);
    }
  });
});

describe('sign-in with a code', () => {
  it('the password step gives a session that can do nothing but enter the code; the right code opens it under a new token', async () => {
    const a = await enrolledAdmin();
    const r = await tryLogin(t.app, a.username, PASSWORD);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, secondFactor: 'verify' });
    const pending = sessionCookie(r) as string;
    const blocked = await call(t.app, pending, 'GET', '/api/orgs/tree');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error).toBe('SECOND_FACTOR_REQUIRED');
    expect((await call(t.app, pending, 'POST', '/api/auth/role', { roleId: 1 })).statusCode).toBe(403);
    expect((await call(t.app, pending, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Other2025!x' })).statusCode).toBe(403);
    const pendingMe = (await me(pending)).json();
    expect(pendingMe).toMatchObject({ secondFactor: 'verify', permissions: [], roles: [] });
    // It ends in 10 minutes unless the code is entered.
    const life = await t.db.query<{ m: number }>(
      'SELECT round(extract(epoch FROM expires_at - created_at) / 60)::int AS m FROM auth_sessions WHERE user_id = $1 AND mfa_at IS NULL',
      [a.id],
    );
    expect(life.rows.map((x) => x.m)).toEqual([10]);

    const wrong = await verify(pending, (await totpCode(a.secret)) === '123456' ? '654321' : '123456');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields[0].field).toBe('code');

    const ok = await verify(pending, await totpCode(a.secret));
    expect(ok.statusCode).toBe(200);
    const full = sessionCookie(ok) as string;
    expect((await call(t.app, full, 'GET', '/api/orgs/tree')).statusCode).toBe(200);
    expect((await me(pending)).statusCode).toBe(401);
    // Full lifetime from the login (12 h), not the pending 10 minutes.
    const hours = await t.db.query<{ h: number }>(
      'SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS h FROM auth_sessions WHERE user_id = $1 AND mfa_at IS NOT NULL ORDER BY created_at DESC LIMIT 1',
      [a.id],
    );
    expect(hours.rows[0].h).toBe(12);
    const actions = await auditActions(t.ctx, a.id);
    expect(actions).toEqual(expect.arrayContaining(['login.password_ok', 'login.failed', 'login']));
    const line = await t.db.query<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_log WHERE user_id = $1 AND action = 'login' ORDER BY id DESC LIMIT 1`,
      [a.id],
    );
    expect(line.rows[0].detail).toMatchObject({ mfa: 'totp' });
  });

  it('a code is accepted once: the same code again (replay) is refused', async () => {
    const a = await enrolledAdmin();
    const code = await totpCode(a.secret);
    const first = await loginAs(t.app, a.username);
    expect((await verify(first.cookie, code)).statusCode).toBe(200);
    const second = await loginAs(t.app, a.username);
    expect((await verify(second.cookie, code)).statusCode).toBe(400);
  });

  it('a recovery code signs in once; the same recovery code again is refused', async () => {
    const a = await enrolledAdmin();
    const s1 = await loginAs(t.app, a.username);
    // Typed in lower case without the hyphen: still recognised.
    const typed = a.recoveryCodes[3].replace('-', '').toLowerCase();
    const ok = await verify(s1.cookie, typed);
    expect(ok.statusCode).toBe(200);
    expect((await call(t.app, sessionCookie(ok) as string, 'GET', '/api/orgs/tree')).statusCode).toBe(200);
    const line = await t.db.query<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_log WHERE user_id = $1 AND action = 'login' ORDER BY id DESC LIMIT 1`,
      [a.id],
    );
    expect(line.rows[0].detail).toMatchObject({ mfa: 'recovery', recoveryCodesLeft: RECOVERY_CODE_COUNT - 1 });
    const s2 = await loginAs(t.app, a.username);
    const again = await verify(s2.cookie, a.recoveryCodes[3]);
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toContain('恢复码不正确或已使用过');
  });

  it('5 wrong codes lock the account; a right password in between does not reset the count', async () => {
    const a = await enrolledAdmin();
    const bad = async () => ((await totpCode(a.secret)) === '000001' ? '000002' : '000001');
    let s = await loginAs(t.app, a.username);
    for (let i = 0; i < 3; i++) expect((await verify(s.cookie, await bad())).statusCode).toBe(400);
    // Signing in again with the right password: the count stays at 3.
    s = await loginAs(t.app, a.username);
    expect((await verify(s.cookie, await bad())).statusCode).toBe(400);
    const fifth = await verify(s.cookie, await bad());
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().error).toBe('ACCOUNT_LOCKED');
    // The pending session is gone and the account refuses the right password until unlocked.
    expect((await me(s.cookie)).statusCode).toBe(401);
    expect((await tryLogin(t.app, a.username, PASSWORD)).json().error).toBe('ACCOUNT_LOCKED');
    expect(await auditActions(t.ctx, a.id)).toContain('account.locked');
  });

  it('an account that bound an authenticator keeps using it when the requirement is turned off', async () => {
    const a = await enrolledAdmin();
    await requireTotp(t.ctx, false);
    try {
      expect((await loginAs(t.app, a.username)).secondFactor).toBe('verify');
    } finally {
      await requireTotp(t.ctx, true);
    }
  });
});

describe('reset by the 安全管理员', () => {
  it('removes the authenticator and recovery codes, ends the sessions (audited); the next sign-in binds a new one', async () => {
    const a = await enrolledAdmin();
    const s = await loginAs(t.app, a.username);
    const full = sessionCookie(await verify(s.cookie, await totpCode(a.secret))) as string;
    const sec = await newAccount(t.ctx, 'securityAdmin', w.city);
    const secSession = await loginAs(t.app, sec.username);
    // The security admin binds their own first.
    const secCookie = (await enrolTotp(t.app, secSession.cookie)).cookie;

    const search = await call(t.app, secCookie, 'GET', `/api/security/accounts?q=${encodeURIComponent(a.username)}`);
    expect((search.json() as { id: number; totpEnrolled: boolean }[]).find((x) => x.id === a.id)?.totpEnrolled).toBe(true);
    const noReason = await call(t.app, secCookie, 'POST', `/api/security/accounts/${a.id}/totp-reset`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const r = await call(t.app, secCookie, 'POST', `/api/security/accounts/${a.id}/totp-reset`, { reason: '手机丢失，恢复码遗失' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: a.id, totpEnrolled: false, recoveryCodesLeft: 0 });
    expect((await me(full)).statusCode).toBe(401);
    const line = await t.db.query<{ user_id: number; detail: Record<string, unknown> }>(
      `SELECT user_id, detail FROM audit_log WHERE action = 'totp.reset' AND entity_id = $1`,
      [String(a.id)],
    );
    expect(line.rows[0]).toMatchObject({ user_id: sec.id, detail: { reason: '手机丢失，恢复码遗失' } });
    expect((await loginAs(t.app, a.username)).secondFactor).toBe('enrol');
    // Resetting one that has none is a conflict.
    expect((await call(t.app, secCookie, 'POST', `/api/security/accounts/${a.id}/totp-reset`, { reason: '再次' })).statusCode).toBe(409);
  });
});
