import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { CATEGORIES, LEDGER_SOURCES, PROJECT_FORMS, PROJECT_LEVELS, STAGES, TEACHER_ROLES, TEACHER_STATUS, TITLES } from '../server/src/platform/vocab.js';
import { projectMachine } from '../server/src/modules/projects/lifecycle.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

const LONG = 60_000;

// Codes a user must never read: every vocabulary the list and detail pages render, plus the project states.
const CODES = [
  ...[CATEGORIES, LEDGER_SOURCES, PROJECT_FORMS, PROJECT_LEVELS, STAGES, TEACHER_ROLES, TEACHER_STATUS, TITLES].flatMap((v) => Object.keys(v)),
  ...Object.keys(projectMachine.states),
].filter((c) => /[A-Z]/.test(c) || c.length > 4); // short lowercase words (e.g. 'it', 'none') also occur in normal text
const LEAKS = new RegExp(`\\b(${[...new Set(CODES)].join('|')}|null|undefined|NaN)\\b|\\d{4}-\\d\\d-\\d\\dT\\d\\d:|\\d{4}/\\d{1,2}/\\d{1,2}`);

async function settle(page: Page, path: string, ready: string): Promise<string> {
  await page.goto(path);
  await page.locator(ready).first().waitFor({ timeout: LONG });
  await page.waitForLoadState('networkidle');
  return page.locator('body').innerText();
}

describe('UI polish: what a user reads', () => {
  it('an admin never reads a raw code, null, or an ISO / locale timestamp on the project and teacher pages', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);

    const list = await settle(page, '/projects', '[data-testid="project-table"] .ant-table-row');
    expect(list).not.toMatch(LEAKS);
    // The list fits a 1366 px screen: the date column is not cut off by the fixed 状态 column.
    expect(await page.locator('[data-testid="project-table"] .ant-table-content').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

    // Demo projects have no capacity: the summary says 不限人数, not "null 人".
    await page.locator('[data-testid="project-table"] .ant-table-row a').first().click();
    await page.getByTestId('project-name').waitFor({ timeout: LONG });
    await page.waitForLoadState('networkidle');
    const detail = await page.locator('body').innerText();
    expect(detail).toContain('不限人数');
    expect(detail).toMatch(/计划学时[:：]?\s*[\d.]+ 学时/);
    expect(detail).not.toMatch(LEAKS);
    await page.getByRole('tab', { name: '名额分配' }).click();
    await page.getByTestId('quotas-top').waitFor({ timeout: LONG });
    expect(await page.getByTestId('quotas-top').innerText()).toContain('项目容量不限人数');
    await shot(page, 'polish-01-project-detail');

    const teachers = await settle(page, '/teachers', '.ant-table-tbody tr.ant-table-row');
    expect(teachers).not.toMatch(LEAKS);
    await context.close();
  });

  it('the teacher on a phone: certificates, claims and hours fit the screen and hours carry their unit', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    await uiLogin(page, 'teacher', DEMO_PASSWORD);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await page.goto('/my/certificates');
    const firstRow = page.locator('.ant-table-tbody tr.ant-table-row').first();
    await firstRow.waitFor({ timeout: LONG });
    expect(await fits()).toBe(true);
    // Nothing hides sideways: the last cell (download or the reason) is inside the screen.
    const box = await firstRow.locator('td').last().boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.locator('body').innerText()).not.toMatch(LEAKS);
    await shot(page, 'polish-02-certificates-phone');

    await page.goto('/my/claims');
    await page.getByRole('button', { name: '新建申报' }).waitFor({ timeout: LONG });
    await page.waitForLoadState('networkidle');
    expect(await fits()).toBe(true);

    await page.goto('/my/hours');
    const entry = page.locator('.ant-list-item').first();
    await entry.waitFor({ timeout: LONG });
    expect(await entry.innerText()).toMatch(/\n学时/);
    const hours = await page.locator('body').innerText();
    expect(hours).not.toMatch(LEAKS);
    // A school-based entry does not say 校本研修 twice.
    expect(hours).not.toContain('校本研修：校本研修');
    expect(await fits()).toBe(true);
    await shot(page, 'polish-03-hours-phone');
    await context.close();
  });

  it("the institution's home lists running (实施中) projects too, not only those open for enrolment", async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'institution', DEMO_PASSWORD);
    // What the list holds comes from its answer (the table shows its empty state while it loads).
    const listed = page.waitForResponse((r) => r.url().includes('/api/projects?') && r.url().includes('status=running'), { timeout: LONG });
    await page.goto('/projects?status=running');
    const total = ((await (await listed).json()) as { total: number }).total;
    const rows = page.locator('[data-testid="project-table"] .ant-table-row');
    if (total) await rows.first().waitFor({ timeout: LONG });
    const running = total ? await rows.first().locator('a').first().innerText() : null;
    await page.goto('/');
    await page.locator('.ant-list-item, .ant-empty').first().waitFor({ timeout: LONG });
    if (running) expect(await page.locator('.ant-list-item', { hasText: running }).count()).toBe(1);
    else {
      // Nothing under way: the empty state's button opens the proposal form, as its label says.
      await page.getByRole('button', { name: '立项申报' }).click();
      await page.waitForURL(/\/projects\/new$/);
    }
    await shot(page, 'polish-04-institution-home');
    await context.close();
  });
});
