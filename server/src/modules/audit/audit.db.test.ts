import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { call, loginAs, newAccount, tryLogin } from '../../../../test/security.js';
import { readXlsxRows } from '../../platform/excel.js';

// The 审计管理员's page (issue 9 item 5): filters, paging, detail, .xlsx export (itself audited), the chain
// check; everything in the auditor's subtree; sign-ins, failures, lockouts, logouts and unmasking recorded.

let t: TestApp;
let w: World;
let cityAuditor: string;
let countyAuditor: string;
let cityAuditorId: number;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  const a = await newAccount(t.ctx, 'auditor', w.city);
  cityAuditorId = a.id;
  cityAuditor = (await loginAs(t.app, a.username)).cookie;
  countyAuditor = (await loginAs(t.app, (await newAccount(t.ctx, 'auditor', w.county1)).username)).cookie;
  // Activity: sign-ins at the city, a county and a school, a failure, an unknown identifier, an unmasking, a logout.
  const city = await loginAs(t.app, 'city.admin');
  await loginAs(t.app, 'county.admin');
  await loginAs(t.app, 'school.admin');
  await tryLogin(t.app, 'school.admin', 'Wrong1234!', '10.66.0.1');
  await tryLogin(t.app, 'nobody.here', 'Wrong1234!', '10.66.0.2');
  await call(t.app, city.cookie, 'POST', `/api/teachers/${w.teacherId}/unmask`);
  await call(t.app, city.cookie, 'POST', '/api/auth/logout');
});
afterAll(async () => t?.close());

interface Entry {
  id: number;
  action: string;
  actionLabel: string;
  username: string | null;
  orgName: string | null;
  entityLabel: string;
  detail: Record<string, unknown>;
  reasonLabel: string | null;
  ip: string | null;
  seq: number | null;
}
const list = async (cookie: string, query = '') => {
  const r = await call(t.app, cookie, 'GET', `/api/audit${query}`);
  expect(r.statusCode).toBe(200);
  return r.json() as { items: Entry[]; total: number; page: number; pageSize: number };
};
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('what is recorded', () => {
  it('sign-ins (with the org acted at), failures with their reason, unmasking and logout, in Chinese', async () => {
    const { items } = await list(cityAuditor, '?pageSize=100');
    const by = (action: string, username: string) => items.find((e) => e.action === action && e.username === username);
    expect(by('login', 'city.admin')).toMatchObject({ actionLabel: '登录成功', orgName: '测试市教育局', entityLabel: '账号' });
    expect(by('login', 'school.admin')).toMatchObject({ orgName: '甲区第一小学' });
    expect(by('login.failed', 'school.admin')).toMatchObject({ actionLabel: '登录失败', reasonLabel: '密码错误或账号不存在', ip: '10.66.0.1' });
    expect(by('login.failed', 'nobody.here')).toMatchObject({ orgName: null, ip: '10.66.0.2' });
    expect(by('teacher.unmask', 'city.admin')).toMatchObject({ actionLabel: '查看教师完整身份证号/手机号', entityLabel: '教师' });
    expect(by('logout', 'city.admin')).toMatchObject({ actionLabel: '退出登录' });
    // Never a password, never the typed password of a failure.
    expect(JSON.stringify(items)).not.toContain('Wrong1234!');
    expect(JSON.stringify(items)).not.toContain(PASSWORD);
  });
});

describe('filters, paging, detail', () => {
  it('by action, by user, by record, by day; newest first; paged', async () => {
    const failed = await list(cityAuditor, '?action=login.failed');
    expect(failed.items.every((e) => e.action === 'login.failed')).toBe(true);
    expect(failed.total).toBeGreaterThanOrEqual(2);
    const school = await list(cityAuditor, '?user=school');
    expect(new Set(school.items.map((e) => e.username))).toEqual(new Set(['school.admin']));
    const teacher = await list(cityAuditor, `?entity=teacher&entityId=${w.teacherId}`);
    expect(teacher.items.map((e) => e.action)).toEqual(['teacher.unmask']);
    expect((await list(cityAuditor, `?from=${today}&to=${today}`)).total).toBeGreaterThan(0);
    expect((await list(cityAuditor, '?from=2020-01-01&to=2020-12-31')).total).toBe(0);
    const all = await list(cityAuditor, '?pageSize=100');
    expect(all.items.map((e) => e.id)).toEqual([...all.items.map((e) => e.id)].sort((a, b) => b - a));
    const p2 = await list(cityAuditor, '?page=2&pageSize=3');
    expect(p2).toMatchObject({ page: 2, pageSize: 3, total: all.total });
    expect(p2.items.map((e) => e.id)).toEqual(all.items.slice(3, 6).map((e) => e.id));
  });

  it('refuses a reversed range and an oversized page with field messages', async () => {
    const r = await call(t.app, cityAuditor, 'GET', '/api/audit?from=2025-05-02&to=2025-05-01');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('开始日期不能晚于结束日期');
    expect((await call(t.app, cityAuditor, 'GET', '/api/audit?pageSize=500')).statusCode).toBe(400);
    expect((await call(t.app, cityAuditor, 'GET', '/api/audit?from=2025-02-30')).statusCode).toBe(400);
  });

  it('one entry in detail; a county auditor sees its subtree only (404 for the city’s rows)', async () => {
    const cityLogin = (await list(cityAuditor, '?action=login&user=city.admin')).items[0];
    const d = await call(t.app, cityAuditor, 'GET', `/api/audit/${cityLogin.id}`);
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ id: cityLogin.id, action: 'login', detail: { by: 'username' } });
    expect((await call(t.app, countyAuditor, 'GET', `/api/audit/${cityLogin.id}`)).statusCode).toBe(404);
    const county = await list(countyAuditor, '?pageSize=100');
    const users = new Set(county.items.map((e) => e.username));
    expect(users.has('county.admin')).toBe(true);
    expect(users.has('school.admin')).toBe(true);
    expect(users.has('city.admin')).toBe(false);
    // Rows of no org (an unknown identifier) belong to the region's top bureau.
    expect(users.has('nobody.here')).toBe(false);
  });
});

describe('export', () => {
  it('an .xlsx of the filtered rows with Chinese labels; the export is itself audited', async () => {
    const r = await call(t.app, cityAuditor, 'GET', '/api/audit/export?action=login');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(String(r.headers['content-disposition'])).toContain('.xlsx');
    const rows = await readXlsxRows(r.rawPayload);
    expect(rows[0].cells.slice(0, 6)).toEqual(['编号', '时间', '用户名', '姓名', '单位', '操作']);
    const data = rows.slice(1);
    expect(data.length).toBe(Number(r.headers['x-row-count']));
    expect(data.length).toBe((await list(cityAuditor, '?action=login')).total);
    expect(data.every((x) => x.cells[5] === '登录成功')).toBe(true);
    const line = await t.db.query<{ user_id: number; detail: Record<string, unknown> }>(
      `SELECT user_id, detail FROM audit_log WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(line.rows[0]).toEqual({ user_id: cityAuditorId, detail: { filters: { action: 'login' }, rows: data.length } });
  });
});

describe('the chain check on the page', () => {
  const check = async () => {
    const r = await call(t.app, cityAuditor, 'POST', '/api/audit/verify');
    expect(r.statusCode).toBe(200);
    return r.json() as { ok: boolean; checked: number; problems: { kind: string; logId: number | null; message: string }[] };
  };
  const tamper = async (sql: string, params: unknown[]) => {
    await t.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_retention');
    try {
      await t.db.query(sql, params);
    } finally {
      await t.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_retention');
    }
  };

  it('passes on the untouched log and is audited; finds a row altered, then a row removed, in SQL', async () => {
    const first = await check();
    expect(first.ok).toBe(true);
    expect(first.checked).toBeGreaterThan(5);
    expect((await list(cityAuditor, '?action=audit.verify')).items[0]).toMatchObject({ actionLabel: '校验审计日志完整性', detail: { ok: true } });
    // Every row checked now has its place in the chain (the check's own line is sealed by the next run).
    const rows = (await list(cityAuditor, '?pageSize=100')).items.filter((e) => e.action !== 'audit.verify');
    expect(rows.every((e) => e.seq !== null)).toBe(true);

    const failedLogin = (await list(cityAuditor, '?action=login.failed&user=school')).items[0];
    await tamper(`UPDATE audit_log SET ip = '127.0.0.1' WHERE id = $1`, [failedLogin.id]);
    const altered = await check();
    expect(altered.ok).toBe(false);
    expect(altered.problems[0]).toMatchObject({ kind: 'altered', logId: failedLogin.id });

    const unmask = (await list(cityAuditor, '?action=teacher.unmask')).items[0];
    await tamper('DELETE FROM audit_log WHERE id = $1', [unmask.id]);
    const removed = await check();
    expect(removed.problems.map((p) => [p.kind, p.logId])).toEqual(
      expect.arrayContaining([
        ['altered', failedLogin.id],
        ['missing', unmask.id],
      ]),
    );
    expect(removed.problems.find((p) => p.kind === 'missing')?.message).toContain('已被删除');
  });
});
