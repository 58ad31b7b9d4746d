import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { buildApp } from '../../app.js';
import { buildContext, type AppContext } from '../../platform/context.js';
import { freshDb } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { call, freshIp, newAccount, requireTotp, sessionCookie } from '../../../../test/security.js';
import { APP_ORIGIN, ProviderBrowser, startTestProvider, type TestProvider } from '../../../../test/oidc-provider.js';
import type { Db } from '../../db/db.js';
import { createTeacher } from '../teachers/teachers.service.js';

// 统一身份认证 (issue 8 item 3) against a real OpenID Provider (oidc-provider) started in this process: the
// browser goes app → provider (sign-in, consent) → app callback; accounts are found through the blind index of
// the claim; the refusals are Chinese pages; logout ends our session and the provider's.

let op: TestProvider;
let db: Db;
let w: World;
/** Two apps on the same database: the provider's id_card claim carries a 身份证号 / its phone_number a phone. */
let byId: { app: FastifyInstance; ctx: AppContext };
let byPhone: { app: FastifyInstance; ctx: AppContext };

async function appWith(kind: 'nationalId' | 'phone') {
  const ctx = buildContext(
    loadConfig({
      NODE_ENV: 'test',
      DEMO: '1',
      DATA_DIR: '.tmp/test-data',
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      OIDC_REDIRECT_URI: op.redirectUri,
      OIDC_ID_CLAIM: kind === 'nationalId' ? 'id_card' : 'phone_number',
      OIDC_ID_KIND: kind,
      OIDC_SCOPES: kind === 'nationalId' ? 'openid idcard' : 'openid phone',
    }),
    db,
  );
  const app = await buildApp(ctx, { webDir: '/nonexistent' });
  await app.ready();
  return { app, ctx };
}

beforeAll(async () => {
  op = await startTestProvider();
  db = await freshDb();
  byId = await appWith('nationalId');
  byPhone = await appWith('phone');
  w = await seedWorld(byId.ctx);
});
afterAll(async () => {
  await byId?.app.close();
  await byPhone?.app.close();
  await db?.close();
  await op?.close();
});

/** A teacher with an account; its 身份证号 and phone as the provider knows them. */
async function teacherWithAccount() {
  const input = buildTeacher(w.school1);
  const teacherId = await createTeacher(byId.ctx, w.cityAdmin, input);
  const acc = await newAccount(byId.ctx, 'teacher', w.school1, { teacherId });
  return { ...acc, nationalId: input.nationalId, phone: input.phone as string };
}

interface Flow {
  /** The app's answer to the callback. */
  res: LightMyRequestResponse;
  callbackUrl: string;
  stateCookie: string;
  authorizeUrl: URL;
  pages: string[];
}

/** Click the button (start), sign in at the provider as `login` with `claims`, come back to the callback. */
async function signIn(
  target: { app: FastifyInstance },
  login: string,
  claims: Record<string, string>,
  opts: { browser?: ProviderBrowser; returnTo?: string } = {},
): Promise<Flow> {
  op.accounts[login] = claims;
  const browser = opts.browser ?? new ProviderBrowser(op.issuer);
  const start = await target.app.inject({ method: 'GET', url: `/api/auth/oidc/start${opts.returnTo ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''}` });
  expect(start.statusCode, start.body).toBe(302);
  const authorizeUrl = new URL(start.headers.location as string);
  const state = start.cookies.find((c) => c.name === 'qs_oidc_state');
  expect(state?.httpOnly).toBe(true);
  const pages: string[] = [];
  const back = await browser.go(authorizeUrl.href, login, { pages });
  expect(back.href.startsWith(op.redirectUri)).toBe(true);
  const callbackUrl = back.pathname + back.search;
  const stateCookie = `qs_oidc_state=${state?.value}`;
  const res = await target.app.inject({ method: 'GET', url: callbackUrl, headers: { cookie: stateCookie }, remoteAddress: freshIp() });
  return { res, callbackUrl, stateCookie, authorizeUrl, pages };
}

const lastAudit = async (action: string) =>
  (
    await db.query<{ user_id: number | null; detail: Record<string, unknown> }>(
      'SELECT user_id, detail FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1',
      [action],
    )
  ).rows[0];

describe('统一身份认证 (OIDC) against oidc-provider', () => {
  it('tells the login page whether the button is shown, and its label', async () => {
    const r = await byId.app.inject({ method: 'GET', url: '/api/auth/oidc' });
    expect(r.json()).toEqual({ enabled: true, label: '统一身份认证登录' });
  });

  it('signs a teacher in matched by 身份证号 (authorization code + PKCE, nonce), like a password login', async () => {
    const t = await teacherWithAccount();
    const f = await signIn(byId, `p-${t.id}`, { id_card: t.nationalId }, { returnTo: '/my/hours' });
    // PKCE S256, state and nonce were sent to the provider.
    expect(f.authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(f.authorizeUrl.searchParams.get('code_challenge')).toBeTruthy();
    expect(f.authorizeUrl.searchParams.get('nonce')).toBeTruthy();
    expect(f.authorizeUrl.searchParams.get('scope')).toBe('openid idcard');
    expect(f.pages).toEqual(['login', 'consent']);
    expect(f.res.statusCode, f.res.body).toBe(302);
    expect(f.res.headers.location).toBe('/my/hours');
    const cookie = sessionCookie(f.res) as string;
    const me = await call(byId.app, cookie, 'GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: t.id, role: 'teacher' });
    const a = await lastAudit('login');
    expect(a).toMatchObject({ user_id: t.id, detail: { by: 'nationalId', method: 'oidc' } });
    // The claim's value is written nowhere in clear: not in the audit line, not in the session row.
    expect(JSON.stringify(a.detail)).not.toContain(t.nationalId);
    const s = await db.query<{ oidc_id_token_enc: string }>('SELECT oidc_id_token_enc FROM auth_sessions WHERE user_id = $1', [t.id]);
    expect(s.rows[0].oidc_id_token_enc).toBeTruthy();
    expect(s.rows[0].oidc_id_token_enc).not.toContain('eyJ');
  });

  it('signs a teacher in matched by phone (the provider sends +86 and spaces)', async () => {
    const t = await teacherWithAccount();
    const f = await signIn(byPhone, `m-${t.id}`, { phone_number: `+86 ${t.phone}` });
    expect(f.res.statusCode, f.res.body).toBe(302);
    expect(f.res.headers.location).toBe('/');
    const me = await call(byPhone.app, sessionCookie(f.res) as string, 'GET', '/api/auth/me');
    expect(me.json()).toMatchObject({ id: t.id });
    expect(await lastAudit('login')).toMatchObject({ user_id: t.id, detail: { by: 'phone', method: 'oidc' } });
  });

  it('a person with no account gets a Chinese page saying whom to ask, audited as a failed login; no session', async () => {
    const stranger = buildTeacher(w.school1).nationalId;
    const f = await signIn(byId, 'stranger', { id_card: stranger });
    expect(f.res.statusCode).toBe(403);
    expect(f.res.headers['content-type']).toContain('text/html');
    expect(f.res.body).toContain('本平台没有与您对应的账号');
    expect(f.res.body).toContain('请联系本单位系统管理员');
    expect(f.res.body).toContain('href="/login"');
    expect(sessionCookie(f.res)).toBeNull();
    const a = await lastAudit('login.failed');
    expect(a.detail).toMatchObject({ method: 'oidc', reason: 'unmatched' });
    expect(JSON.stringify(a.detail)).not.toContain(stranger);
  });

  it('a phone shared by two accounts identifies none: the page asks for a password sign-in instead', async () => {
    const a = await teacherWithAccount();
    const b = await teacherWithAccount();
    await db.query('UPDATE users SET phone_idx = $2 WHERE id = $1', [b.id, byId.ctx.pii.blindIndex(a.phone)]);
    const f = await signIn(byPhone, `shared-${a.id}`, { phone_number: a.phone });
    expect(f.res.statusCode).toBe(403);
    expect(f.res.body).toContain('对应多个账号');
    expect((await lastAudit('login.failed')).detail).toMatchObject({ reason: 'ambiguous' });
  });

  it('a deactivated account is refused with its page, audited against that account', async () => {
    const t = await teacherWithAccount();
    await db.query('UPDATE users SET active = false WHERE id = $1', [t.id]);
    const f = await signIn(byId, `off-${t.id}`, { id_card: t.nationalId });
    expect(f.res.statusCode).toBe(403);
    expect(f.res.body).toContain('账号已停用');
    expect(sessionCookie(f.res)).toBeNull();
    expect(await lastAudit('login.failed')).toMatchObject({ user_id: t.id, detail: { method: 'oidc', reason: 'inactive' } });
  });

  it('a callback replayed, or brought by another browser, is refused (state single use and bound to the browser)', async () => {
    const t = await teacherWithAccount();
    const f = await signIn(byId, `r-${t.id}`, { id_card: t.nationalId });
    expect(f.res.statusCode).toBe(302);
    const sessions = async () => (await db.query('SELECT 1 FROM auth_sessions WHERE user_id = $1', [t.id])).rows.length;
    expect(await sessions()).toBe(1);
    const replay = await byId.app.inject({ method: 'GET', url: f.callbackUrl, headers: { cookie: f.stateCookie } });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('登录请求已失效');
    expect(sessionCookie(replay)).toBeNull();
    // A fresh sign-in whose callback arrives without the browser's state cookie (login CSRF): refused, and
    // the pending sign-in stays unused for its own browser.
    op.accounts[`c-${t.id}`] = { id_card: t.nationalId };
    const start = await byId.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const back = await new ProviderBrowser(op.issuer).go(start.headers.location as string, `c-${t.id}`);
    const csrf = await byId.app.inject({ method: 'GET', url: back.pathname + back.search });
    expect(csrf.statusCode).toBe(400);
    expect(csrf.body).toContain('登录请求已失效');
    expect(await sessions()).toBe(1);
    expect((await lastAudit('login.failed')).detail).toMatchObject({ method: 'oidc', reason: 'state' });
  });

  it('the provider refusing (the person cancels) shows a Chinese page', async () => {
    const start = await byId.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const state = start.cookies.find((c) => c.name === 'qs_oidc_state')?.value as string;
    const r = await byId.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback?error=access_denied&error_description=cancelled&state=${encodeURIComponent(state)}`,
      headers: { cookie: `qs_oidc_state=${state}` },
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('统一身份认证未完成');
  });

  it('keeps the gates of a password login: an admin without an authenticator still owes enrolment', async () => {
    await requireTotp(byId.ctx, true);
    try {
      const admin = await newAccount(byId.ctx, 'schoolAdmin', w.school1);
      const nationalId = buildTeacher(w.school1).nationalId;
      await db.query('UPDATE users SET national_id_idx = $2 WHERE id = $1', [admin.id, byId.ctx.pii.blindIndex(nationalId)]);
      const f = await signIn(byId, `admin-${admin.id}`, { id_card: nationalId });
      expect(f.res.statusCode).toBe(302);
      const cookie = sessionCookie(f.res) as string;
      expect((await call(byId.app, cookie, 'GET', '/api/auth/me')).json()).toMatchObject({ id: admin.id, secondFactor: 'enrol' });
      const blocked = await call(byId.app, cookie, 'GET', '/api/teachers');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json()).toMatchObject({ error: 'TOTP_ENROLMENT_REQUIRED' });
    } finally {
      await requireTotp(byId.ctx, false);
    }
  });

  it('logout ends both: our session at once, and the provider’s through its end_session_endpoint', async () => {
    const t = await teacherWithAccount();
    const browser = new ProviderBrowser(op.issuer);
    const first = await signIn(byId, `l-${t.id}`, { id_card: t.nationalId }, { browser });
    expect(first.pages).toEqual(['login', 'consent']);
    // While the provider's session lives, a second sign-in passes through without any page.
    const again = await signIn(byId, `l-${t.id}`, { id_card: t.nationalId }, { browser });
    expect(again.pages).toEqual([]);
    expect(again.res.statusCode).toBe(302);
    const cookie = sessionCookie(again.res) as string;

    const out = await call(byId.app, cookie, 'POST', '/api/auth/logout');
    expect(out.statusCode).toBe(200);
    const endSessionUrl = new URL((out.json() as { endSessionUrl: string }).endSessionUrl);
    expect(endSessionUrl.href.startsWith(op.issuer)).toBe(true);
    expect(endSessionUrl.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSessionUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${APP_ORIGIN}/login`);
    expect((await call(byId.app, cookie, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect(await lastAudit('logout')).toMatchObject({ user_id: t.id, detail: { method: 'oidc' } });

    // The browser follows the URL: the provider confirms and sends it back to our login page.
    const pages: string[] = [];
    const back = await browser.go(endSessionUrl.href, `l-${t.id}`, { pages });
    expect(pages).toEqual(['logout']);
    expect(back.href).toBe(`${APP_ORIGIN}/login`);
    // The provider's session is over: the next sign-in asks for the login again.
    const after = await signIn(byId, `l-${t.id}`, { id_card: t.nationalId }, { browser });
    expect(after.pages[0]).toBe('login');
  });

  it('a password session logs out without a provider URL', async () => {
    const t = await teacherWithAccount();
    const login = await byId.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: t.username, password: PASSWORD },
      remoteAddress: freshIp(),
    });
    expect(login.statusCode).toBe(200);
    const cookie = sessionCookie(login) as string;
    const out = await call(byId.app, cookie, 'POST', '/api/auth/logout');
    expect(out.json()).toEqual({ ok: true, endSessionUrl: null });
  });
});

describe('without OIDC configured', () => {
  it('the button is hidden and start explains in Chinese', async () => {
    const ctx = buildContext(loadConfig({ NODE_ENV: 'test', DEMO: '1', DATA_DIR: '.tmp/test-data' }), db);
    const app = await buildApp(ctx, { webDir: '/nonexistent' });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/auth/oidc' })).json()).toEqual({ enabled: false, label: null });
      const r = await app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(r.statusCode).toBe(409);
      expect(r.body).toContain('未启用统一身份认证');
    } finally {
      await app.close();
    }
  });
});
