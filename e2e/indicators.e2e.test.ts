import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { attachDemoPolicies } from '../server/src/modules/policies/policies.service.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
let school: string;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  await attachDemoPolicies(e.ctx.db);
  const cityAdminOrg = (await orgOfUser(e.ctx.db, 'city.admin')).path;
  school = (await e.ctx.db.query<{ name: string }>(`SELECT name FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' ORDER BY path LIMIT 1`, [cityAdminOrg]))
    .rows[0].name;
});
afterAll(async () => e?.close());

describe('目标与经费数据, in the browser', () => {
  it('a city admin records a school training budget with its source and sees it in the table and its history', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /目标与经费数据/ }).click();
    await page.waitForURL(/\/indicators/);
    await page.getByRole('tab', { name: '经费数据' }).click();
    const tab = page.getByRole('tabpanel', { name: '经费数据' });
    // Why the figure is asked for: the rule it feeds, with the seed's own words on hover.
    await tab.getByTestId('metric-rules').waitFor();
    expect(await tab.getByTestId('metric-rules').innerText()).toContain('按公用经费预算的 5% 安排培训经费');
    expect(await tab.getByTestId('figures-funding').innerText()).toContain('暂无经费数据');

    await tab.getByTestId('record-funding').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('record-form').waitFor();
    await dialog.locator('#record-org').click();
    await page.keyboard.type(school);
    await page.locator('.ant-select-tree').getByTitle(school, { exact: true }).click();
    await dialog.locator('#record-year').fill('2025');
    await dialog.locator('#record-metric').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '培训经费预算' }).click();
    // The rule this metric feeds is named under the field.
    await expect.poll(() => dialog.getByTestId('rule-tag').count()).toBeGreaterThan(0);
    // Without a source the form refuses.
    await dialog.locator('#record-value').fill('86000');
    await dialog.getByTestId('record-submit').click();
    await dialog.getByText('请填写来源/依据（如文件号）').waitFor();
    await dialog.locator('#record-source').fill('2025 年部门预算批复 测字〔2025〕8号');
    await shot(page, 'indicators-01-record');
    await dialog.getByTestId('record-submit').click();
    await dialogCloses(dialog);

    const table = tab.getByTestId('figures-funding');
    await expect.poll(() => table.innerText(), { timeout: 30_000 }).toContain('测字〔2025〕8号');
    const text = await table.innerText();
    expect(text).toContain(school);
    expect(text).toContain('86,000.00 元');
    expect(text).toContain('培训经费预算');
    await shot(page, 'indicators-02-table');

    // A correction is a new record; the history keeps both.
    await table.getByRole('button', { name: '更新' }).first().click();
    await dialog.getByTestId('record-form').waitFor();
    await dialog.locator('#record-value').fill('90000');
    await dialog.locator('#record-source').fill('追加预算 测字〔2025〕15号');
    await dialog.getByTestId('record-submit').click();
    await dialogCloses(dialog);
    await expect.poll(() => table.innerText(), { timeout: 30_000 }).toContain('90,000.00 元');
    await table.getByRole('button', { name: /历史/ }).first().click();
    const history = page.getByTestId('history-table');
    await expect.poll(() => history.innerText(), { timeout: 30_000 }).toContain('测字〔2025〕8号');
    expect(await history.innerText()).toContain('当前');
    await shot(page, 'indicators-03-history');

    const saved = await e.ctx.db.query<{ amount: number; source: string }>(
      `SELECT f.amount, f.source FROM funding_figures f JOIN orgs o ON o.id = f.org_id WHERE o.name = $1 AND f.metric = 'trainingBudget' AND f.year = 2025 ORDER BY f.id`,
      [school],
    );
    expect(saved.rows.map((r) => Number(r.amount))).toEqual([86000, 90000]);
    await context.close();
  });
});
