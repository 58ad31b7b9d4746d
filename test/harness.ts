import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../server/src/config.js';
import { openDb, type Db } from '../server/src/db/db.js';
import { migrate } from '../server/src/db/migrate.js';
import { buildApp } from '../server/src/app.js';
import { buildContext, type AppContext } from '../server/src/platform/context.js';

export const TEST_DB = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'pg';

/**
 * A fresh, migrated, empty database for one test file: in-memory PGlite, or a new database
 * on the test PostgreSQL server. Both run the same migrations and the same tests.
 */
export async function freshDb(): Promise<Db> {
  if (TEST_DB === 'pglite') {
    const db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    return db;
  }
  const adminUrl = inject('pgUrl');
  const name = `qs_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString() });
  await migrate(db);
  return db;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  db: Db;
  close(): Promise<void>;
}

export async function createTestApp(): Promise<TestApp> {
  const db = await freshDb();
  const ctx = buildContext(loadConfig({ NODE_ENV: 'test', DEMO: '1', DATA_DIR: '.tmp/test-data' }), db);
  const app = await buildApp(ctx, { webDir: '/nonexistent' });
  await app.ready();
  return {
    app,
    ctx,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Log in through the real endpoint and return the Cookie header value for app.inject. */
export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
  const c = r.cookies.find((x) => x.name === 'qs_session');
  if (!c) throw new Error('no session cookie');
  return `qs_session=${c.value}`;
}
