import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// The web app keeps server answers in one TanStack Query cache (web/src/api/query.ts). These tests move
// between pages inside the app (menu clicks, no page loads), so every answer they see either came from
// that cache or was asked for again because a change invalidated it.

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

describe('server state in the browser (TanStack Query cache)', () => {
  it('a list already shown shows the claim saved since, without reloading the page', async () => {
    const { context, page } = await newPage(e);
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'teacher', DEMO_PASSWORD);
      await page.getByRole('menuitem', { name: /学时申报/ }).click();
      await page.getByRole('button', { name: '新建申报' }).waitFor();
      const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '缓存测试：寒假网络研修' });
      // The list has loaded (rows or the empty text) and is in the cache now, without the claim.
      await expect
        .poll(() => page.locator('.ant-table-tbody tr.ant-table-row, .ant-table-tbody .ant-table-placeholder').count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await expect.poll(() => page.locator('.ant-table-wrapper .ant-spin-spinning').count(), { timeout: 30_000 }).toBe(0);
      expect(await row.count()).toBe(0);

      await page.getByRole('button', { name: '新建申报' }).click();
      await page.getByPlaceholder('如：国家智慧教育平台暑期研修').fill('缓存测试：寒假网络研修');
      await page.getByRole('combobox').first().click();
      await page.getByTitle('信息技术').click();
      await page.getByPlaceholder('学时').fill('4');
      await page.getByPlaceholder('培训日期').fill('2025-01-20');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: '保存草稿' }).click();
      await expect.poll(() => page.getByTestId('claim-status').textContent(), { timeout: 30_000 }).toBe('草稿');

      // Back to the list through the menu, well within the cache's 15 s: saving invalidated ['claims'].
      await page.getByRole('menuitem', { name: /学时申报/ }).click();
      await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
      await shot(page, 'query-cache-01-claim-listed');
    } finally {
      await context.close();
    }
  });

  it('signing out and in as someone else shows their figures, not the cached ones of the one before', async () => {
    const county = await orgOfUser(e.ctx.db, 'county.admin');
    const city = await orgOfUser(e.ctx.db, 'city.admin');
    const { context, page } = await newPage(e);
    page.setDefaultTimeout(60_000);
    const heading = page.locator('.ant-typography', { hasText: /· \d{4}年/ }).first();
    try {
      await uiLogin(page, 'county.admin', DEMO_PASSWORD);
      await page.getByRole('menuitem', { name: /学时统计/ }).click();
      await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toContain(county.name);

      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '退出登录' }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/login'));
      // Hold the city admin's summaries (home and 学时统计) until the page has been looked at: whatever it
      // shows meanwhile can only have come from the cache, and must not be the county's figures.
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      await page.route('**/api/hours/summary*', async (route) => {
        await held;
        await route.continue();
      });
      // The same tab, no page load: the next user signs in on the app's own login page.
      await page.getByPlaceholder('用户名').fill('city.admin');
      await page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.getByRole('menuitem', { name: /学时统计/ }).click();
      await page.getByLabel('年度').waitFor();
      expect(await page.getByText(`${county.name} · `).count()).toBe(0);
      release();
      await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toContain(city.name);
      await shot(page, 'query-cache-02-next-user');
    } finally {
      await context.close();
    }
  });
});
