import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { call, loginAs, newAccount, tryLogin } from '../../../../test/security.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { RECOMMENDED } from './security.service.js';

// 安全策略 (issue 9): the 安全管理员 of the region's top bureau publishes versions of the settings (never
// overwritten, each audited); the process uses a new version at once; the failed sign-ins are visible.

let t: TestApp;
let w: World;
let sec: { id: number; username: string };
let secCookie: string;

const valid = { ...RECOMMENDED, totpRequired: false, reason: '按等保测评意见调整' };

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  sec = await newAccount(t.ctx, 'securityAdmin', w.city);
  secCookie = (await loginAs(t.app, sec.username)).cookie;
});
afterAll(async () => t?.close());

describe('安全策略', () => {
  it('shows the settings in force, the 等保 recommended values and the history', async () => {
    const r = await call(t.app, secCookie, 'GET', '/api/security/settings');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.recommended).toEqual({
      lockoutThreshold: 5,
      lockoutMinutes: 30,
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      passwordHistory: 5,
      totpRequired: true,
    });
    // The test world, like the demo, switched the TOTP requirement off (a version with a reason).
    expect(body.current).toMatchObject({ totpRequired: false, lockoutThreshold: 5, sessionIdleMinutes: 30 });
    expect(body.history.length).toBeGreaterThanOrEqual(1);
    expect(body.canEdit).toBe(true);
  });

  it('without any version the 等保 defaults apply (TOTP required)', async () => {
    expect(t.ctx.security.defaultSettings).toMatchObject({ ...RECOMMENDED, version: null });
  });

  it('a change is a new version (the old one stays), audited with what changed and why, and applies at once', async () => {
    const before = (await call(t.app, secCookie, 'GET', '/api/security/settings')).json();
    const r = await call(t.app, secCookie, 'PUT', '/api/security/settings', { ...valid, lockoutThreshold: 3, lockoutMinutes: 10 });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ lockoutThreshold: 3, lockoutMinutes: 10, version: before.current.version + 1, reason: '按等保测评意见调整' });
    const after = (await call(t.app, secCookie, 'GET', '/api/security/settings')).json();
    expect(after.history.map((h: { version: number }) => h.version).slice(0, 2)).toEqual([before.current.version + 1, before.current.version]);
    expect(after.history[0].changedBy).toBe(`securityAdmin${sec.username.split('.')[1]}`);
    const line = await t.db.query<{ user_id: number; detail: Record<string, unknown> }>(
      `SELECT user_id, detail FROM audit_log WHERE action = 'security.settings' ORDER BY id DESC LIMIT 1`,
    );
    expect(line.rows[0]).toEqual({
      user_id: sec.id,
      detail: { changes: { lockoutThreshold: [5, 3], lockoutMinutes: [30, 10] }, reason: '按等保测评意见调整' },
    });
    // Applies at once: three wrong passwords lock an account now.
    const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    const u = await newAccount(t.ctx, 'teacher', w.school1, { teacherId });
    for (let i = 0; i < 3; i++) await tryLogin(t.app, u.username, `Wrong${i}pass!`);
    expect((await tryLogin(t.app, u.username, PASSWORD)).json().error).toBe('ACCOUNT_LOCKED');
    const minutes = await t.db.query<{ m: number }>('SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS m FROM users WHERE id = $1', [u.id]);
    expect(minutes.rows[0].m).toBe(10);
    // Back to the recommended values.
    expect((await call(t.app, secCookie, 'PUT', '/api/security/settings', valid)).statusCode).toBe(200);
  });

  it('versions are append-only in the database too', async () => {
    await expect(t.db.query('UPDATE security_settings SET lockout_threshold = 10')).rejects.toThrow(/只能追加/);
    await expect(t.db.query('DELETE FROM security_settings')).rejects.toThrow(/只能追加/);
  });

  it('refuses values outside the accepted ranges, field by field, and an unchanged submission', async () => {
    const r = await call(t.app, secCookie, 'PUT', '/api/security/settings', { ...valid, lockoutThreshold: 50, sessionIdleMinutes: 0, reason: '' });
    expect(r.statusCode).toBe(400);
    const fields = (r.json().fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['lockoutThreshold', 'reason', 'sessionIdleMinutes']);
    expect(r.json().message).toContain('连续登录失败次数应在 3–10 次之间');
    expect((await call(t.app, secCookie, 'PUT', '/api/security/settings', valid)).statusCode).toBe(409);
  });

  it('only the topmost 安全管理员 sets them (a county one, with one at the city above, reads them only)', async () => {
    const county = await newAccount(t.ctx, 'securityAdmin', w.county1);
    const c = (await loginAs(t.app, county.username)).cookie;
    const read = await call(t.app, c, 'GET', '/api/security/settings');
    expect(read.statusCode).toBe(200);
    expect(read.json().canEdit).toBe(false);
    const r = await call(t.app, c, 'PUT', '/api/security/settings', { ...valid, lockoutThreshold: 4 });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toContain('最上级单位的安全管理员');
  });

  it('lists recent failed sign-ins with their reason and address', async () => {
    const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    const u = await newAccount(t.ctx, 'teacher', w.school1, { teacherId });
    await tryLogin(t.app, u.username, 'NotMine1!', '10.200.1.9');
    await tryLogin(t.app, 'no.such.user', 'Whatever1!', '10.200.1.10');
    const r = await call(t.app, secCookie, 'GET', '/api/security/failed-logins?hours=1');
    expect(r.statusCode).toBe(200);
    const rows = r.json() as { username: string | null; reason: string; ip: string; orgName: string | null }[];
    expect(rows.find((x) => x.username === u.username)).toMatchObject({ reason: 'password', ip: '10.200.1.9', orgName: '甲区第一小学' });
    // Identifiers no account has belong to no org: the top bureau sees them.
    expect(rows.find((x) => x.username === 'no.such.user')).toMatchObject({ reason: 'password', ip: '10.200.1.10' });
    // A county 安全管理员 sees its own subtree only.
    const other = await newAccount(t.ctx, 'securityAdmin', w.county2);
    const c = (await loginAs(t.app, other.username)).cookie;
    const theirs = (await call(t.app, c, 'GET', '/api/security/failed-logins?hours=1')).json() as { username: string | null }[];
    expect(theirs.map((x) => x.username)).not.toContain(u.username);
    expect(theirs.map((x) => x.username)).not.toContain('no.such.user');
  });
});

describe('三权分立', () => {
  it('the 系统管理员 cannot read the audit log or change security settings; the 安全管理员 cannot read the audit log', async () => {
    const sys = await newAccount(t.ctx, 'sysAdmin', w.city);
    const s = (await loginAs(t.app, sys.username)).cookie;
    expect((await call(t.app, s, 'GET', '/api/audit')).statusCode).toBe(403);
    expect((await call(t.app, s, 'POST', '/api/audit/verify')).statusCode).toBe(403);
    expect((await call(t.app, s, 'GET', '/api/audit/export')).statusCode).toBe(403);
    expect((await call(t.app, s, 'PUT', '/api/security/settings', { ...valid, lockoutThreshold: 4 })).statusCode).toBe(403);
    expect((await call(t.app, s, 'POST', `/api/security/accounts/${sys.id}/unlock`)).statusCode).toBe(403);
    expect((await call(t.app, secCookie, 'GET', '/api/audit')).statusCode).toBe(403);
    expect((await call(t.app, secCookie, 'GET', '/api/audit/export')).statusCode).toBe(403);
    // Not even the 教育局管理员 (who holds most business permissions) reads the audit log.
    const city = (await loginAs(t.app, 'city.admin')).cookie;
    expect((await call(t.app, city, 'GET', '/api/audit')).statusCode).toBe(403);
  });

  it('the 审计管理员 reads the audit log and changes nothing', async () => {
    const aud = await newAccount(t.ctx, 'auditor', w.city);
    const a = (await loginAs(t.app, aud.username)).cookie;
    expect((await call(t.app, a, 'GET', '/api/audit')).statusCode).toBe(200);
    const refused: [string, string, object?][] = [
      ['PUT', '/api/security/settings', { ...valid, lockoutThreshold: 4 }],
      ['POST', `/api/security/accounts/${sec.id}/unlock`],
      ['POST', `/api/security/accounts/${sec.id}/totp-reset`, { reason: '试图重置' }],
      ['GET', '/api/security/settings'],
      ['POST', '/api/teachers', buildTeacher(w.school1)],
      ['GET', '/api/teachers'],
      ['POST', `/api/teachers/${w.teacherId}/unmask`],
    ];
    for (const [method, url, body] of refused) {
      const r = await call(t.app, a, method as 'GET', url, body);
      expect([url, r.statusCode]).toEqual([url, 403]);
    }
    // There is no route that deletes or edits audit rows at all.
    for (const method of ['DELETE', 'PUT', 'PATCH'] as const)
      for (const url of ['/api/audit', '/api/audit/:id']) expect(t.app.hasRoute({ method, url })).toBe(false);
    expect(t.app.hasRoute({ method: 'GET', url: '/api/audit/:id' })).toBe(true);
  });
});
