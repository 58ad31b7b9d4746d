import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
});
afterAll(async () => e?.close());

describe('the ethics board and 师德通报 in the browser', () => {
  it('the officer opens the board, exports it, publishes a notice; the school admin confirms it; the officer sees the confirmation', async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    const o = await newPage(e);
    await uiLogin(o.page, 'ethics.officer', DEMO_PASSWORD);
    // The board is the 师德专干's start page, with the demo county's figures.
    await o.page.waitForURL('**/ethics/board');
    const rate = o.page.getByTestId('board-rate');
    await rate.waitFor();
    await expect.poll(() => rate.innerText(), { timeout: 30_000 }).toMatch(/件件有回音[\s\S]*%/);
    await expect
      .poll(async () => Number((await o.page.getByTestId('board-open').locator('.ant-statistic-content-value').innerText()).trim()))
      .toBeGreaterThan(0);
    await expect.poll(() => o.page.getByTestId('board-answer-rate').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    await shot(o.page, 'ethics-board-01');

    // Export: an .xlsx, and an audit line.
    const [download] = await Promise.all([o.page.waitForEvent('download'), o.page.getByRole('button', { name: /导出 Excel/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^师德工作看板-.*\.xlsx$/);
    const audited = await e.ctx.db.query(
      `SELECT 1 FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action = 'ethics.board.export' AND u.username = 'ethics.officer'`,
    );
    expect(audited.rows.length).toBe(1);

    // Publish a notice to the demo school.
    await o.page.getByRole('menuitem', { name: /师德通报/ }).click();
    await o.page.waitForURL('**/ethics/notices');
    await o.page.getByRole('button', { name: /发布通报/ }).click();
    const dialog = o.page.getByRole('dialog', { name: '发布典型问题通报' });
    await dialog.getByLabel('标题').fill('浏览器测试：关于一起体罚学生问题的通报');
    await dialog.getByLabel('发往（所选单位下的全部学校）').click();
    await o.page.keyboard.type(school.name);
    await o.page.locator('.ant-select-dropdown:visible .ant-select-tree').getByTitle(school.name, { exact: true }).click();
    await dialog.getByLabel('通报正文').fill('各学校：\n请组织全体教师认真学习，引以为戒。');
    await dialog.getByRole('button', { name: '发布' }).click();
    await dialogCloses(dialog);
    await o.page.waitForURL(/\/ethics\/notices\/\d+$/);
    const id = Number(new URL(o.page.url()).pathname.split('/').pop());
    const status = o.page.getByTestId('notice-schools');
    await status.waitFor();
    await expect.poll(() => status.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await status.locator('tbody tr.ant-table-row').innerText()).toContain('未确认');
    await shot(o.page, 'ethics-board-02-published');

    // The school admin finds it in 师德通报 and confirms it.
    const a = await newPage(e);
    await uiLogin(a.page, 'school.admin', DEMO_PASSWORD);
    await a.page.getByRole('menuitem', { name: /师德通报/ }).click();
    await a.page.waitForURL('**/ethics/notices');
    await a.page.getByTestId('ethics-notice-list').getByText('浏览器测试：关于一起体罚学生问题的通报').click();
    await a.page.waitForURL(`**/ethics/notices/${id}`);
    await a.page.getByRole('button', { name: /确认已阅/ }).click();
    const confirmed = a.page.getByTestId('notice-confirmed');
    await confirmed.waitFor();
    expect(await confirmed.innerText()).toContain('本校已确认');
    await shot(a.page, 'ethics-board-03-confirmed');
    await a.context.close();

    // The officer sees the school's confirmation (who).
    await o.page.reload();
    const row = o.page.getByTestId('notice-schools').locator('tbody tr.ant-table-row');
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('已确认');
    expect(await row.innerText()).not.toContain('未确认');
    await shot(o.page, 'ethics-board-04-status');
    await o.context.close();
  }, 240_000);
});
