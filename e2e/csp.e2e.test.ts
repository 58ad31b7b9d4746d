import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

// Issue 9 items 10 and 16 in a real browser: the built app (React, Ant Design's CSS-in-JS, ECharts, QR codes)
// runs under the strict Content-Security-Policy without a single violation, its own requests pass the CSRF
// origin check (Chromium sends Origin under our Referrer-Policy), and a form on another site is refused.

let e: E2E;

beforeAll(async () => {
  e = await startE2E({ teachers: 60 });
});
afterAll(async () => e?.close());

/** Collect CSP violations (the DOM event, before any app code runs) and console errors/page errors. */
async function watch(page: Page): Promise<{ violations: () => Promise<string[]>; errors: string[] }> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (ev) => w.__csp.push(`${ev.violatedDirective} ${ev.blockedURI} ${ev.sourceFile}:${ev.lineNumber}`));
  });
  return { violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []), errors };
}

describe('Content-Security-Policy (browser)', () => {
  it('the app loads and works on several pages with no CSP violation and no console error', async () => {
    const { context, page } = await newPage(e);
    page.setDefaultTimeout(60_000);
    try {
      const w = await watch(page);
      const first = await page.goto('/login');
      const csp = first?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      // The demo lists its accounts (a fetch), the form posts the login (CSRF check with the browser's Origin).
      await page.getByText('city.admin').first().waitFor();
      expect(await w.violations()).toEqual([]);
      await uiLogin(page, 'city.admin', DEMO_PASSWORD);
      const seen: string[] = [];
      for (const path of ['/compliance', '/teachers', '/projects', '/policies']) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        // Ant Design has rendered its components (its styles are injected <style> elements).
        await page.locator('.ant-layout').first().waitFor();
        seen.push(...(await w.violations()).map((v) => `${path}: ${v}`));
      }
      await shot(page, 'csp-policies');
      expect(seen).toEqual([]);
      expect(w.errors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
      // The policy is enforced and the watcher sees it: an injected inline script does not run and is reported.
      const ran = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
        await new Promise((r) => setTimeout(r, 200));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      await expect.poll(async () => (await w.violations()).some((v) => v.startsWith('script-src'))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('a form on another site that posts to the API is refused (CSRF), the API docs load under the same policy', async () => {
    const { context, page } = await newPage(e);
    page.setDefaultTimeout(60_000);
    try {
      await context.route('http://evil.test/**', (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><form id="f" method="post" action="${e.baseUrl}/api/auth/login" enctype="text/plain">
                   <input name='{"username":"city.admin","password":"x","a":"' value='"}'></form>
                 <script>document.getElementById('f').submit()</script>`,
        }),
      );
      const answer = page.waitForResponse((r) => r.url() === `${e.baseUrl}/api/auth/login`);
      await page.goto('http://evil.test/attack');
      const r = await answer;
      expect(r.status()).toBe(403);
      expect((await r.json()).message).toContain('跨站请求防护');

      const w = await watch(page);
      await page.goto('/api/docs/static/index.html');
      await page.locator('.swagger-ui').first().waitFor();
      await page.getByText('强师 Qiangshi API').first().waitFor();
      expect(await w.violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
