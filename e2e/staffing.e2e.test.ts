import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 编制与结构 (issue 14 item 9) as users meet it: the county bureau opens the page, sees each school's 编制数, 在编在岗,
// 空编 and the staffing the 城乡统一 standard requires (demo figures), opens the demo school's reasons and citations,
// records a new 编制数 (the old one kept as history) and sees 空编 follow; the school admin sees only its own school
// and may not change the 编制数.

let e: E2E;
let school: { id: number; name: string };

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  school = await orgOfUser(e.ctx.db, 'school.admin');
});
afterAll(async () => e?.close());

describe('编制与结构 in the browser', () => {
  it('the bureau reads the figures with reasons, records a 编制数 and sees 空编 and the history follow', async () => {
    const { page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /编制与结构/ }).click();
    const row = page.getByRole('row', { name: new RegExp(school.name) }).first();
    await row.waitFor({ timeout: 60_000 });
    // Cells: [expand] 学校 学段 编制数 在编在岗 空编 在校生 按标准应配 低于标准 结构 操作
    const cells = row.locator('td');
    const inPost = Number(await cells.nth(4).innerText());
    expect(inPost).toBeGreaterThan(0);
    expect(Number(await cells.nth(7).innerText()), 'the demo gives the school a student count, so a required figure').toBeGreaterThan(0);
    await row.locator('.ant-table-row-expand-icon').click();
    const detail = page.getByTestId(`staffing-detail-${school.id}`);
    await detail.waitFor();
    expect(await detail.innerText()).toContain('本科及以上学历');
    expect(await detail.innerText()).toContain('《巴彦淖尔市教师专业能力提升行动计划（2023—2025年）》§二（五）1');
    expect(await page.getByTestId('staffing-page').innerText()).toContain('中央编办发〔2014〕72号');
    // 乡村教师 support of the demo's rural school, with the rural service years for 职称.
    const rural = page.getByTestId('rural-support');
    await rural.getByText('乡村教师生活补助').first().waitFor({ timeout: 30_000 });
    expect(await rural.innerText()).toContain('乡村任教年限');
    await shot(page, 'staffing-01-overview');

    // A new 编制数: five more than in post → 空编 5.
    await row.getByRole('button', { name: '编制数' }).click();
    const modal = page.locator('.ant-modal', { hasText: '录入编制数' });
    await modal.getByLabel('编制数').fill(String(inPost + 5));
    await modal.getByLabel('核编文件').fill('河东编〔E2E〕1号');
    await modal.getByRole('button', { name: '保存' }).click();
    await dialogCloses(modal);
    await expect.poll(async () => (await cells.nth(5).innerText()).trim(), { timeout: 30_000 }).toBe('5');
    expect((await cells.nth(3).innerText()).trim()).toBe(String(inPost + 5));

    await row.getByRole('button', { name: '历史' }).click();
    const drawer = page.locator('.ant-drawer', { hasText: '编制数与在校生数记录' });
    await drawer.getByText('河东编〔E2E〕1号').waitFor();
    expect(await drawer.getByText('已被取代').count()).toBeGreaterThan(0);
    await shot(page, 'staffing-02-history');

    // Bad input: a 编制数 without its document is refused in Chinese before anything is written.
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: '编制数' }).click();
    const again = page.locator('.ant-modal', { hasText: '录入编制数' });
    await again.getByRole('button', { name: '保存' }).click();
    await again.getByText('请填写来源（至少 2 个字）').waitFor();
    await again.getByRole('button', { name: '取消' }).click();
  });

  it('the school admin sees its own school and cannot change the 编制数', async () => {
    const { page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.goto('/staffing');
    const row = page.getByRole('row', { name: new RegExp(school.name) }).first();
    await row.waitFor({ timeout: 60_000 });
    expect(await page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
    expect(await row.getByRole('button', { name: '编制数' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: '在校生数' }).count()).toBe(1);
  });
});
