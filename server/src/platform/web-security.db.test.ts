import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../test/factories.js';
import { proposal } from '../../../test/projects.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { buildContext } from './context.js';

/**
 * Issue 9 items 2, 3, 10, 16, 17: forwarding headers only from trusted proxies, the session cookie's Secure flag,
 * CSRF origin check, CSP, absolute URLs from PUBLIC_URL (never the Host header), API docs in production.
 */

const SECRET = 'web-security-test-secret-0123456789abcdef';
const PUBLIC = 'https://qs.example.cn';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

/** A second app on the same database with other settings (PUBLIC_URL, proxies, production). */
async function appWith(env: NodeJS.ProcessEnv) {
  const ctx = buildContext(loadConfig({ DATA_DIR: '.tmp/test-data', ...env }), t.db);
  const app = await buildApp(ctx, { webDir: '/nonexistent' });
  await app.ready();
  return app;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'teacher', 'school.admin']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

const lastLoginFailureIp = async () =>
  (await t.db.query<{ ip: string | null }>(`SELECT ip FROM audit_log WHERE action LIKE 'login%' ORDER BY id DESC LIMIT 1`)).rows[0]?.ip;

describe('forwarding headers are believed only from TRUSTED_PROXIES (item 3)', () => {
  it('by default a spoofed X-Forwarded-For changes neither the back-off address nor the audit log', async () => {
    await t.db.query('DELETE FROM login_ip_failures');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': '203.0.113.77' },
      payload: { username: 'teacher', password: 'wrong-password-1' },
    });
    expect(r.statusCode).toBe(401);
    const ips = (await t.db.query<{ ip: string }>('SELECT ip FROM login_ip_failures')).rows.map((x) => x.ip);
    expect(ips).toEqual(['127.0.0.1']);
    expect(await lastLoginFailureIp()).toBe('127.0.0.1');
  });

  it('from a configured proxy, X-Forwarded-For is the client address', async () => {
    const app = await appWith({ TRUSTED_PROXIES: '127.0.0.1' });
    try {
      await t.db.query('DELETE FROM login_ip_failures');
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-for': '198.51.100.9' },
        payload: { username: 'teacher', password: 'wrong-password-2' },
      });
      expect(r.statusCode).toBe(401);
      expect((await t.db.query<{ ip: string }>('SELECT ip FROM login_ip_failures')).rows.map((x) => x.ip)).toEqual(['198.51.100.9']);
    } finally {
      await app.close();
      await t.db.query('DELETE FROM login_ip_failures');
    }
  });
});

describe('the session cookie is Secure over HTTPS (item 2)', () => {
  const sessionCookie = async (app: typeof t.app, headers: Record<string, string> = {}) => {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: 'teacher', password: PASSWORD } });
    expect(r.statusCode).toBe(200);
    return r.cookies.find((c) => c.name === 'qs_session');
  };

  it('not over plain http, nor when an untrusted client claims X-Forwarded-Proto: https', async () => {
    expect((await sessionCookie(t.app))?.secure).toBeFalsy();
    expect((await sessionCookie(t.app, { 'x-forwarded-proto': 'https' }))?.secure).toBeFalsy();
  });

  it('when a trusted proxy says https, or PUBLIC_URL is https', async () => {
    const proxied = await appWith({ TRUSTED_PROXIES: '127.0.0.0/8' });
    const pub = await appWith({ PUBLIC_URL: PUBLIC });
    try {
      expect((await sessionCookie(proxied, { 'x-forwarded-proto': 'https' }))?.secure).toBe(true);
      expect((await sessionCookie(proxied))?.secure).toBeFalsy();
      expect((await sessionCookie(pub))?.secure).toBe(true);
    } finally {
      await proxied.close();
      await pub.close();
    }
  });
});

describe('CSRF: state-changing requests from another origin are refused (item 10)', () => {
  const post = (app: typeof t.app, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/auth/role', headers: { cookie: cookies['school.admin'], ...headers }, payload: { roleId: 999999 } });
  const passed = (r: { statusCode: number; json(): { message?: string } }) => r.statusCode !== 403 || !String(r.json().message).includes('跨站');

  it('a foreign or opaque Origin, or a foreign Referer, gets 403 with a Chinese message', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:80.evil.example' },
      { referer: 'https://evil.example/page' },
      { origin: 'https://evil.example', referer: 'http://localhost:80/ok' },
    ];
    for (const headers of cases) {
      const r = await post(t.app, headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.json().message).toContain('跨站请求防护');
    }
  });

  it('the same origin passes, and so does a client that sends neither header (scripts, tests)', async () => {
    // app.inject's Host is localhost:80.
    expect(passed(await post(t.app, { origin: 'http://localhost:80' }))).toBe(true);
    expect(passed(await post(t.app, { referer: 'http://localhost:80/account' }))).toBe(true);
    expect(passed(await post(t.app, {}))).toBe(true);
    // GET is never blocked.
    const g = await t.app.inject({ url: '/api/auth/me', headers: { cookie: cookies.teacher, origin: 'https://evil.example' } });
    expect(g.statusCode).toBe(200);
  });

  it('login from a foreign page is refused too (login CSRF)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'teacher', password: PASSWORD },
    });
    expect(r.statusCode).toBe(403);
    expect(r.cookies.find((c) => c.name === 'qs_session')).toBeUndefined();
  });

  it('with PUBLIC_URL the origin must be PUBLIC_URL’s, whatever Host the request names', async () => {
    const app = await appWith({ PUBLIC_URL: `${PUBLIC}/` });
    try {
      expect(passed(await post(app, { origin: PUBLIC }))).toBe(true);
      const forged = await post(app, { origin: 'https://evil.example', host: 'evil.example' });
      expect(forged.statusCode).toBe(403);
      expect((await post(app, { origin: 'http://localhost:80' })).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('headers: a strict Content-Security-Policy and the other helmet headers (item 16)', () => {
  it('answers every response with a CSP that allows no inline or foreign script', async () => {
    const r = await t.app.inject({ url: '/api/health' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('same-origin');
    expect(r.headers['strict-transport-security']).toBeDefined();
  });
});

describe('absolute URLs come from PUBLIC_URL, never the Host header (item 17)', () => {
  it('the check-in QR code points at PUBLIC_URL even when the organiser’s request names another host', async () => {
    const app = await appWith({ PUBLIC_URL: PUBLIC });
    try {
      const p = (
        await t.db.query<{ id: number }>(
          `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
           VALUES ($1, 'T-HOST', '主机头测试项目', 'county', 'inPerson', '{ethics}', 2, '2026-03-01', '2026-03-31', 'open') RETURNING id`,
          [w.county1],
        )
      ).rows[0].id;
      const s = (
        await t.db.query<{ id: number }>(
          `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category, checkin_open)
           VALUES ($1, '第1讲', '2026-03-10', '09:00', '11:00', '报告厅', 2, 'ethics', true) RETURNING id`,
          [p],
        )
      ).rows[0].id;
      const r = await app.inject({
        url: `/api/sessions/${s}/checkin/token`,
        headers: { cookie: cookies['county.admin'], host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      });
      expect(r.statusCode).toBe(200);
      const tok = r.json() as { checkinUrl: string; qrDataUrl: string };
      const expected = await QRCode.toDataURL(`${PUBLIC}${tok.checkinUrl}`, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
      expect(tok.qrDataUrl).toBe(expected);
      const viaHost = await QRCode.toDataURL(`http://evil.example${tok.checkinUrl}`, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
      expect(tok.qrDataUrl).not.toBe(viaHost);
    } finally {
      await app.close();
    }
  });
});

describe('API docs: public in development, signed-in admins only in production (item 17)', () => {
  it('development: anyone', async () => {
    expect((await t.app.inject({ url: '/api/docs/json' })).statusCode).toBe(200);
  });

  it('production: 401 anonymous, 403 教师, 200 an admin', async () => {
    const app = await appWith({ NODE_ENV: 'production', QIANGSHI_SECRET: SECRET, PUBLIC_URL: PUBLIC });
    try {
      // Sessions are signed-in through this app (its secret differs from the harness's; tokens are stored hashed).
      const admin = await login(app, 'county.admin', PASSWORD);
      const teacher = await login(app, 'teacher', PASSWORD);
      for (const url of ['/api/docs', '/api/docs/json', '/api/docs/static/index.html']) {
        const anon = await app.inject({ url });
        expect(anon.statusCode, url).toBe(401);
        expect(anon.json().message).toBe('请先登录');
        const tr = await app.inject({ url, headers: { cookie: teacher } });
        expect(tr.statusCode, url).toBe(403);
        expect(tr.json().message).toBe('API 文档仅向管理员开放');
      }
      expect((await app.inject({ url: '/api/docs/json', headers: { cookie: admin } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('names and titles: no right-to-left or zero-width characters (item 17)', () => {
  it('a project name with U+202E or U+200B is a 400 naming the field; NFC and trimming are applied to a good one', async () => {
    for (const name of ['2026年培训\u202Egpj.exe', '2026年\u200B班主任培训', '2026年\u2066班主任培训\u2069']) {
      const r = await t.app.inject({ method: 'POST', url: '/api/projects', headers: { cookie: cookies['county.admin'] }, payload: proposal({ name }) });
      expect(r.statusCode, name).toBe(400);
      expect(r.json().fields).toContainEqual(expect.objectContaining({ field: 'name', message: expect.stringContaining('不可见或控制字符') }));
    }
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie: cookies['county.admin'] },
      payload: proposal({ name: '  2026年Cafe\u0301班主任培训  ' }),
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().name).toBe('2026年Caf\u00e9班主任培训');
  });
});
