import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../server/src/config.js';
import { openDb, type Db } from '../server/src/db/db.js';
import { migrate } from '../server/src/db/migrate.js';
import { buildApp } from '../server/src/app.js';
import { buildContext, type AppContext } from '../server/src/platform/context.js';
import { syncSeedPolicies } from '../server/src/modules/policies/policies.service.js';
import { PASSWORD, seedWorld, type World } from './factories.js';

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

/** The five accounts seedWorld creates, all with password PASSWORD. */
export const WORLD_USERS = ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution'] as const;

/** Cookie header values by username. */
export type Cookies = Record<string, string>;

/** Log each user in (password PASSWORD); the Cookie header value by username. */
export async function loginAll(app: FastifyInstance, usernames: readonly string[] = WORLD_USERS): Promise<Cookies> {
  const cookies: Cookies = {};
  for (const u of usernames) cookies[u] = await login(app, u, PASSWORD);
  return cookies;
}

/** A test app on a fresh database with seedWorld's orgs and users, the five of them logged in. */
export async function worldApp(): Promise<{ t: TestApp; w: World; cookies: Cookies }> {
  const t = await createTestApp();
  const w = await seedWorld(t.ctx);
  return { t, w, cookies: await loginAll(t.app) };
}

/** Load the seed policies and attach one (default the 巴彦淖尔 2023–2025 plan) to an org; the policy id. */
export async function attachSeedPolicy(db: Db, orgId: number, key = 'bayannur-2023-2025'): Promise<number> {
  await syncSeedPolicies(db);
  const id = (await db.query<{ id: number }>('SELECT id FROM policies WHERE key = $1', [key])).rows[0].id;
  await db.query('INSERT INTO policy_attachments (policy_id, org_id) VALUES ($1, $2)', [id, orgId]);
  return id;
}
