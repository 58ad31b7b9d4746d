import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { newPage, shot, startE2E, type E2E, uiLogin } from './support.js';

// 诚信档案 and 准入查询 (issue 12 items 3–4) as users meet them: the demo county's 师德专干 checks an ID against the
// 行业禁入 register and sees the register; a teacher reads their own 诚信档案 on a phone.

let e: E2E;

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
});
afterAll(async () => e?.close());

describe('诚信档案 in the browser', () => {
  it('the 师德专干: 准入查询 names the decision in force; an unknown ID has no record; the register lists the bans', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'ethics.officer', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /诚信档案/ }).click();
    await page.waitForURL(/\/integrity/);
    await page.getByRole('tab', { name: '准入查询' }).click();
    const input = page.getByPlaceholder('18 位身份证号');
    await input.fill(makeNationalId('150203', '1979-04-18', 9001, 'male'));
    await page.getByRole('button', { name: /查\s?询/ }).click();
    await expect.poll(async () => page.locator('.ant-alert').first().innerText(), { timeout: 60_000 }).toContain('塞南市教育局行业禁入决定');
    await shot(page, 'integrity-01-entry-check');
    await input.fill(makeNationalId('150203', '1990-01-01', 9100, 'female'));
    await page.getByRole('button', { name: /查\s?询/ }).click();
    await expect.poll(async () => page.locator('.ant-alert').first().innerText(), { timeout: 60_000 }).toContain('未查询到禁入记录');
    await page.getByRole('tab', { name: '行业禁入名单' }).click();
    await expect.poll(async () => page.locator('.ant-table-row').count(), { timeout: 60_000 }).toBe(2);
    expect(await page.locator('.ant-table-row').first().innerText()).toContain('禁入中');
    await context.close();
  });

  it('a teacher reads their own 诚信档案 on a phone', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    await uiLogin(page, 'teacher', DEMO_PASSWORD);
    await page.goto('/my/integrity');
    await expect.poll(async () => page.locator('.ant-card', { hasText: '师德考核' }).innerText(), { timeout: 60_000 }).toMatch(/合格|优秀/);
    expect(await page.locator('.ant-card', { hasText: '师德承诺与入职宣誓' }).innerText()).toContain('师德承诺书');
    expect(await page.locator('.ant-card', { hasText: '处理与处分' }).innerText()).toContain('无处理或处分记录');
    await shot(page, 'integrity-02-my-record-phone');
    await context.close();
  });
});
