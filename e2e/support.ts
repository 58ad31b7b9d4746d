import { mkdirSync } from 'node:fs';
import { afterEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../server/src/config.js';
import { openDb, type Db } from '../server/src/db/db.js';
import { migrate } from '../server/src/db/migrate.js';
import { buildApp } from '../server/src/app.js';
import { buildContext, type AppContext } from '../server/src/platform/context.js';
import { seedDemo } from '../server/src/demo/seed.js';

export const ARTIFACTS = 'test-results/e2e';
/** Pages opened by newPage in the running test (printed if it fails). */
const openPages = new Set<Page>();

export interface E2E {
  baseUrl: string;
  ctx: AppContext;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The real app as a user meets it: the built web UI (npm run build:web) served by the real server,
 * on an in-memory PGlite seeded with a small demo city, driven by Debian's Chromium.
 */
export async function startE2E(opts: { teachers?: number; asOf?: string } = {}): Promise<E2E> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const db: Db = await openDb({ dataDir: 'memory://' });
  let app: FastifyInstance | null = null;
  let browser: Browser | null = null;
  // Each step runs even when an earlier one fails: a server, database or Chromium left open keeps the
  // test worker alive after the file (vitest then waits for it before it can exit).
  const close = async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await app?.close();
      } finally {
        await db.close();
      }
    }
  };
  try {
    await migrate(db);
    const ctx = buildContext(loadConfig({ NODE_ENV: 'test', DEMO: '1', DATA_DIR: '.tmp/e2e-data' }), db);
    // The demo's "today" is today unless a test pins it (a test reading a fixed year of the demo's history).
    await seedDemo(ctx, { teachers: opts.teachers ?? 300, asOf: opts.asOf });
    app = await buildApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    return { baseUrl: `http://127.0.0.1:${port}`, ctx, browser, close };
  } catch (err) {
    // beforeAll failed: afterAll gets no E2E to close, so close what was opened here.
    await close().catch(() => undefined);
    throw err;
  }
}

export async function newPage(e: E2E, viewport = { width: 1366, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e.browser.newContext({ viewport, locale: 'zh-CN', baseURL: e.baseUrl });
  const page = await context.newPage();
  openPages.add(page);
  return { context, page };
}

export async function uiLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The org a demo account acts at in its first role (school.admin: the demo school). */
export async function orgOfUser(db: Db, username: string): Promise<{ id: number; name: string; path: string }> {
  const r = await db.query<{ id: number; name: string; path: string }>(
    `SELECT o.id, o.name, o.path FROM users u JOIN active_user_roles a ON a.user_id = u.id JOIN orgs o ON o.id = a.org_id
      WHERE u.username = $1 ORDER BY a.role_id LIMIT 1`,
    [username],
  );
  if (!r.rows[0]) throw new Error(`no account ${username}`);
  return r.rows[0];
}

/**
 * A screenshot of what the user sees (the viewport). Not `fullPage`: Chromium takes a full-page screenshot by
 * resizing the window to 1×1 and back, which flips every width media query — the page switches to its phone
 * layout and back mid-test, remounting components and dropping their state (an open dialog and its results).
 */
export const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

// When a browser test fails, print what each open page shows: the CI log then tells a missing element from a
// page that showed an error or something else.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    for (const page of openPages) {
      if (page.isClosed()) continue;
      const text = await page.evaluate(() => document.body.innerText).catch(() => '(unreadable)');
      console.error(`[e2e] ${ctx.task.name} — ${page.url()} shows:\n${text.replace(/\n{2,}/g, '\n').slice(0, 1500)}`);
    }
  openPages.clear();
});

/** Waits for a dialog to close after its submit; if it stays open, fails with what the dialog says (a field or server error). */
export async function dialogCloses(dialog: Locator): Promise<void> {
  try {
    await dialog.waitFor({ state: 'hidden' });
  } catch (e) {
    const text = await dialog.innerText().catch(() => '(unreadable)');
    throw new Error(`the dialog stayed open, showing: ${text.replace(/\s+/g, ' ').slice(0, 400)}`, { cause: e });
  }
}
