import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { worldApp, type TestApp } from '../../../test/harness.js';
import type { World } from '../../../test/factories.js';
import { createSession } from './auth.js';
import { routesOf, type RouteEntry } from './route-list.js';

/**
 * Fuzz every route's schema (issue 9 item 11): as a bureau admin and as a teacher, send path parameters,
 * query strings and bodies made of the inputs that used to crash the server — integers beyond int4, NUL bytes,
 * calendar-invalid and year-0000 dates, huge strings, bidi and zero-width characters, wrong types, deep and
 * huge arrays — and assert that no answer is a 5xx. Deterministic: fast-check with a fixed seed.
 */

const SEED = 20_251_202;
const SAMPLES_PER_CALLER = 3;

let t: TestApp;
let w: World;
let cookies: Record<string, string>;

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
});
afterAll(async () => t?.close());

const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);

/** The inputs that found the 5xx of the security probe, and their relatives. */
const nastyScalar = fc.constantFrom<unknown>(
  2_147_483_648,
  -2_147_483_649,
  9_007_199_254_740_993,
  1e308,
  -1,
  0,
  0.5,
  '99999999999999999999',
  '2147483648',
  '-1',
  'NaN',
  'Infinity',
  '1e400',
  '\u0000',
  'a\u0000b',
  '%00',
  '\u202Eevil.exe',
  'x\u200By',
  '\uFEFF',
  '\uD800',
  '0000-01-01',
  '2025-02-30',
  '2025-13-01',
  '9999-12-31',
  '-001-01-01',
  '1900-01-00',
  "'; DROP TABLE teachers; --",
  '../../../etc/passwd',
  '{"$ne":null}',
  '😀'.repeat(50),
  true,
  false,
  null,
  {},
  [],
  { __proto__: { admin: true } },
);
const nasty = fc.oneof(
  { weight: 6, arbitrary: nastyScalar },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      'x'.repeat(200_000),
      deep(200),
      Array.from({ length: 20_000 }, (_, i) => i),
      [2_147_483_648],
    ),
  },
  { weight: 2, arbitrary: fc.array(nastyScalar, { maxLength: 5 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

/** The top-level keys a zod object schema declares (through defaults, pipes and refinements), or none. */
function keysOf(schema: unknown): string[] {
  if (!schema || typeof schema !== 'object') return [];
  try {
    const js = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    return Object.keys(js.properties ?? {});
  } catch {
    return [];
  }
}

const asQueryValue = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

/** Percent-encode a path segment; a lone surrogate becomes the bytes of an invalid UTF-8 sequence. */
const encodeSegment = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

interface Attempt {
  url: string;
  payload?: unknown;
}

function attempts(route: RouteEntry, seed: number): Attempt[] {
  const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const queryKeys = keysOf(route.schema.querystring);
  const bodyKeys = keysOf(route.schema.body);
  const arb = fc.record({
    params: fc.tuple(...params.map(() => nastyScalar)),
    query: fc.record(Object.fromEntries([...queryKeys, 'extra'].map((k) => [k, nasty])), { requiredKeys: [] }),
    body: fc.oneof(
      { weight: 4, arbitrary: fc.record(Object.fromEntries(bodyKeys.map((k) => [k, nasty])), { requiredKeys: [] }) },
      { weight: 1, arbitrary: nasty },
    ),
  });
  return fc.sample(arb, { seed, numRuns: SAMPLES_PER_CALLER }).map((s) => {
    let i = 0;
    const path = route.url.replace(/:([A-Za-z]+)/g, () => encodeSegment(asQueryValue(s.params[i++]))).replace('*', 'x');
    const qs = new URLSearchParams(Object.entries(s.query).map(([k, v]) => [k, asQueryValue(v)])).toString();
    return { url: qs ? `${path}?${qs}` : path, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : s.body };
  });
}

describe('no 5xx for hostile input on any route', () => {
  it('fuzzes every route as a bureau admin and as a teacher', async () => {
    const userIds = Object.fromEntries(
      (await t.db.query<{ id: number; username: string }>('SELECT id, username FROM users')).rows.map((r) => [r.username, r.id]),
    );
    const routes = routesOf(t.app).filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    const failures: string[] = [];
    let calls = 0;
    for (const [n, route] of routes.entries()) {
      for (const who of ['city.admin', 'teacher']) {
        for (const a of attempts(route, SEED + n * 2 + (who === 'teacher' ? 1 : 0))) {
          // Routes that end or change the session get one of their own.
          const cookie = route.url.startsWith('/api/auth/') ? `qs_session=${(await createSession(t.db, userIds[who])).token}` : cookies[who];
          const res = await t.app.inject({
            method: route.method as 'POST',
            url: a.url,
            payload: a.payload === undefined ? undefined : JSON.stringify(a.payload),
            headers: { cookie, ...(a.payload === undefined ? {} : { 'content-type': 'application/json' }) },
          });
          calls++;
          if (res.statusCode >= 500)
            failures.push(`${route.method} ${a.url.slice(0, 160)} as ${who} → ${res.statusCode} (body ${JSON.stringify(a.payload)?.slice(0, 160)})`);
        }
      }
    }
    expect(calls).toBeGreaterThan(600);
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses a YAML alias bomb in a policy with 400 and a Chinese message', async () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    for (const url of ['/api/policies/validate', '/api/policies']) {
      const r = await t.app.inject({ method: 'POST', url, payload: { text: bomb }, headers: { cookie: cookies['city.admin'] } });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().message).toContain('锚点引用');
    }
  });

  it('refuses NUL, bidi-override and zero-width characters in names and titles with a field message', async () => {
    for (const name of ['张\u0000三', '\u202E三张', '张\u200B三', '张\u2066三']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/claims',
        payload: { title: name, category: 'it', hours: 2, occurredOn: '2025-03-01' },
        headers: { cookie: cookies.teacher },
      });
      expect(r.statusCode, JSON.stringify(name)).toBe(400);
      expect(r.json().fields).toContainEqual({ field: 'title', message: '培训名称含有不可见或控制字符，请删除后重试' });
    }
    const multiLine = await t.app.inject({
      method: 'POST',
      url: '/api/claims',
      payload: { title: '第一行\n第二行', category: 'it', hours: 2, occurredOn: '2025-03-01' },
      headers: { cookie: cookies.teacher },
    });
    expect(multiLine.json().fields).toContainEqual({ field: 'title', message: '培训名称不能包含换行或制表符' });
  });

  it('answers anonymous callers 401 before looking at their input', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/compliance/summary' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/claims', payload: { title: '\u0000' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/hour-imports/analyse', payload: 'x' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/teachers/2147483648' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/demo-accounts' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/no-such-route' })).statusCode).toBe(404);
  });

  it('answers ids beyond int4, year-0000 and calendar-invalid dates with 400, not 500', async () => {
    const admin = { cookie: cookies['city.admin'] };
    expect((await t.app.inject({ method: 'GET', url: '/api/teachers/2147483648', headers: admin })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/teachers?page=1e30', headers: admin })).statusCode).toBe(400);
    for (const occurredOn of ['0000-01-01', '2025-02-30', '2025-00-10']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/claims',
        payload: { title: '线上研修', category: 'it', hours: 2, occurredOn },
        headers: { cookie: cookies.teacher },
      });
      expect(r.statusCode, occurredOn).toBe(400);
      expect(r.json().fields[0].field).toBe('occurredOn');
    }
    const ids = await t.app.inject({ method: 'POST', url: '/api/notifications/read', payload: { ids: [2_147_483_648] }, headers: admin });
    expect(ids.statusCode).toBe(400);
    expect(w.city).toBeGreaterThan(0);
  });
});
