import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { freshDb } from '../../../test/harness.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/db.js';
import { buildApp } from '../app.js';
import { buildContext } from './context.js';

// Issue 9 item 11, the last resort: a data error or integrity violation the schemas missed reaches the error
// handler as a real PostgreSQL error (pg or PGlite) and must answer 4xx with a Chinese message, not 500. The
// unit test covers the SQLSTATE table; this one proves the handler applies it to the errors both drivers throw.

let app: FastifyInstance;
let db: Db;

const PROBES: Record<string, string> = {
  int4: `SELECT '99999999999'::int AS v`,
  date: `SELECT '2023-02-30'::date AS v`,
  year0: `SELECT '0000-01-01'::date AS v`,
  nul: `SELECT convert_from('\\x610062'::bytea, 'UTF8') AS v`,
  unique: `INSERT INTO orgs (code, name, level, kind, path) SELECT code, name, level, kind, path FROM orgs LIMIT 1`,
  check: `INSERT INTO orgs (code, name, level, kind, path) VALUES ('dbe-x', 'x', 'galaxy', 'bureau', '/')`,
  fault: `SELECT * FROM no_such_table`,
};

beforeAll(async () => {
  db = await freshDb();
  await db.query(`INSERT INTO orgs (code, name, level, kind, path) VALUES ('DBE-1', '数据错误测试局', 'city', 'bureau', '/0/')`);
  const ctx = buildContext(loadConfig({ NODE_ENV: 'test', DEMO: '1', DATA_DIR: '.tmp/test-data' }), db);
  app = await buildApp(ctx, { webDir: '/nonexistent' });
  // A probe route that runs one statement the database refuses, as a missed validation would.
  app.get<{ Params: { what: string } }>('/api/test-probe/:what', { config: { public: true } }, async (req) => {
    await db.query(PROBES[req.params.what]);
    return { ok: true };
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('database errors from the request’s data answer 4xx', () => {
  it.each([
    ['int4', 400, '数值超出允许的范围，请检查后重试'],
    ['date', 400, '日期或时间无效，请检查后重试'],
    ['year0', 400, '日期或时间无效，请检查后重试'],
    ['nul', 400, '输入含有无效字符（如空字符），请检查后重试'],
    ['unique', 409, '记录已存在（与现有数据重复），请检查后重试'],
    ['check', 400, '数据不符合要求（超出允许的范围或取值），请检查后重试'],
  ])('%s → %i', async (what, status, message) => {
    const r = await app.inject({ url: `/api/test-probe/${what}` });
    expect(r.statusCode, r.body).toBe(status);
    expect(r.json().message).toBe(message);
  });

  it('a genuine server fault stays a 500 (and says nothing about the SQL)', async () => {
    const r = await app.inject({ url: '/api/test-probe/fault' });
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('no_such_table');
  });
});
