import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

// 个人信息保护 in the browser: the teacher list searches names only — a 身份证号 typed there never reaches the
// page URL — and the city admin finds a teacher by 身份证号 through 精确查找 (a POST, audited).

let e: E2E;
let target: { id: number; name: string; nationalId: string };

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  const r = await e.ctx.db.query<{ id: number; name: string; national_id_enc: string }>(
    `SELECT id, name, national_id_enc FROM teachers WHERE status = 'active' ORDER BY id LIMIT 1`,
  );
  target = { id: r.rows[0].id, name: r.rows[0].name, nationalId: e.ctx.pii.decrypt(r.rows[0].national_id_enc) };
});
afterAll(async () => e?.close());

describe('personal data in the teacher list', () => {
  it('refuses a 身份证号 in the name search and finds it through 精确查找', async () => {
    const { context, page } = await newPage(e);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.goto('/teachers');
    const search = page.getByLabel('搜索');
    await search.fill(target.nationalId);
    await search.press('Enter');
    await page.getByText('按身份证号或手机号查找请用「精确查找」').waitFor({ timeout: 30_000 });
    expect(page.url()).not.toContain(target.nationalId);

    await page.getByTestId('exact-search').click();
    await page.getByTestId('exact-search-input').fill(target.nationalId);
    await page.getByTestId('exact-search-go').click();
    const results = page.getByTestId('exact-search-results');
    await results.waitFor({ timeout: 30_000 });
    expect(await results.innerText()).toContain(target.name);
    await shot(page, 'pii-01-exact-search');
    await results.getByRole('link', { name: target.name }).click();
    await page.waitForURL(new RegExp(`/teachers/${target.id}$`));
    // No request the page made carried the number in its URL.
    expect(urls.filter((u) => u.includes(target.nationalId))).toEqual([]);
    const audited = await e.ctx.db.query<{ detail: { field: string; matches: number } }>(
      `SELECT a.detail FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action = 'teacher.search' AND u.username = 'city.admin'`,
    );
    expect(audited.rows.map((r) => r.detail)).toEqual([{ field: 'nationalId', matches: 1 }]);
    await context.close();
  });
});
