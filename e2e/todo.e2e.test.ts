import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { dialogCloses, type E2E, newPage, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
});
afterAll(async () => e?.close());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Todo {
  items: { kind: string; count: number }[];
}
/** The signed-in user's count of one to-do kind, as the server computes it. */
async function apiCount(page: Page, kind: string): Promise<number> {
  const r = await page.request.get('/api/todo');
  return ((await r.json()) as Todo).items.find((i) => i.kind === kind)?.count ?? 0;
}
/** The number the home page's 待办中心 shows for a kind (0 when the kind is not listed: nothing waits). */
async function cardCount(page: Page, kind: string): Promise<number> {
  const item = page.getByTestId(`todo-${kind}`);
  if (!(await item.count())) return 0;
  return Number((await item.locator('.ant-badge-count').first().getAttribute('title')) ?? 0);
}
/** The badge of a menu entry (0 when it shows none). */
async function menuBadge(page: Page, label: RegExp): Promise<number> {
  const badge = page.getByRole('menuitem', { name: label }).locator('.ant-badge-count');
  if (!(await badge.count())) return 0;
  return Number((await badge.first().getAttribute('title')) ?? 0);
}

describe('待办中心 and 通知公告 in the browser', () => {
  it('a school admin’s to-do count and menu badge follow the work: a claim arrives, is approved, and both drop', async () => {
    // The teacher submits a claim with evidence (through the API of their signed-in browser).
    const t = await newPage(e);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    const c = await t.page.request.post('/api/claims', {
      data: { title: '待办测试：暑期网络研修', category: 'it', hours: 4, occurredOn: '2025-07-15', description: '线上学习' },
    });
    expect(c.status()).toBe(201);
    const id = ((await c.json()) as { id: number }).id;
    expect(
      (await t.page.request.post(`/api/claims/${id}/files`, { multipart: { file: { name: '证明.pdf', mimeType: 'application/pdf', buffer: PDF } } })).status(),
    ).toBe(201);
    expect((await t.page.request.post(`/api/claims/${id}/transitions`, { data: { action: 'submit' } })).status()).toBe(200);

    const a = await newPage(e);
    await uiLogin(a.page, 'school.admin', DEMO_PASSWORD);
    const before = await apiCount(a.page, 'claimsAtSchool');
    expect(before).toBeGreaterThan(0);
    await expect.poll(() => cardCount(a.page, 'claimsAtSchool'), { timeout: 30_000 }).toBe(before);
    await expect.poll(() => menuBadge(a.page, /申报审核/), { timeout: 30_000 }).toBe(before);
    await shot(a.page, 'todo-01-school-home');

    // One click from the to-do centre to the review page; approve the claim there.
    await a.page
      .getByTestId('todo-claimsAtSchool')
      .getByRole('button', { name: /去处理/ })
      .click();
    await a.page.waitForURL('**/claims/review');
    const row = a.page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '待办测试：暑期网络研修' });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    await row.locator('input[type=checkbox]').check();
    await a.page.getByRole('button', { name: /批量通过/ }).click();
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
    // The badge follows without reloading the page.
    await expect.poll(() => menuBadge(a.page, /申报审核/), { timeout: 30_000 }).toBe(before - 1);
    await a.page.getByRole('menuitem', { name: /首页/ }).click();
    await expect.poll(() => cardCount(a.page, 'claimsAtSchool'), { timeout: 30_000 }).toBe(before - 1);
    expect(await apiCount(a.page, 'claimsAtSchool')).toBe(before - 1);
    await shot(a.page, 'todo-02-school-home-after');
    await a.context.close();

    // The county now has it waiting.
    const county = await newPage(e);
    await uiLogin(county.page, 'county.admin', DEMO_PASSWORD);
    await expect.poll(() => cardCount(county.page, 'claimsAtCounty'), { timeout: 30_000 }).toBeGreaterThan(0);
    await county.context.close();
    await t.context.close();
  });

  it('a bureau publishes an announcement; a teacher sees it in the to-do centre, reads it; the bureau sees the receipt', async () => {
    const b = await newPage(e);
    await uiLogin(b.page, 'county.admin', DEMO_PASSWORD);
    await b.page.getByRole('menuitem', { name: /通知公告/ }).click();
    await b.page.getByRole('tab', { name: '发布与阅读情况' }).click();
    await b.page.getByRole('button', { name: /发布通知公告/ }).click();
    const dialog = b.page.getByRole('dialog', { name: '发布通知公告' });
    await dialog.getByLabel('标题').fill('关于做好暑期教师研修的通知');
    await dialog.getByLabel('仅教师').check();
    await dialog.getByLabel('正文（纯文本，可换行）').fill('各学校：\n请组织教师于 8 月底前完成暑期研修。');
    await dialog.getByRole('button', { name: '发布' }).click();
    await dialogCloses(dialog);
    const sentRow = b.page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '关于做好暑期教师研修的通知' });
    await expect.poll(() => sentRow.count(), { timeout: 30_000 }).toBe(1);

    const t = await newPage(e);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    const unread = await apiCount(t.page, 'announcements');
    expect(unread).toBeGreaterThan(0);
    await expect.poll(() => cardCount(t.page, 'announcements'), { timeout: 30_000 }).toBe(unread);
    await shot(t.page, 'todo-03-teacher-home');
    await t.page
      .getByTestId('todo-announcements')
      .getByRole('button', { name: /去处理/ })
      .click();
    await t.page.getByText('关于做好暑期教师研修的通知').first().click();
    const detail = t.page.getByTestId('announcement-detail');
    await expect.poll(() => detail.textContent(), { timeout: 30_000 }).toContain('请组织教师于 8 月底前完成暑期研修。');
    await shot(t.page, 'todo-04-teacher-reads');
    await t.page.getByRole('dialog').locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => menuBadge(t.page, /通知公告/), { timeout: 30_000 }).toBe(unread - 1);
    expect(await apiCount(t.page, 'announcements')).toBe(unread - 1);
    await t.context.close();

    await sentRow.getByRole('button', { name: '阅读情况' }).click();
    const receipts = b.page.getByTestId('announcement-receipts');
    await expect.poll(() => receipts.locator('.ant-statistic').nth(1).textContent(), { timeout: 30_000 }).toContain('1');
    await shot(b.page, 'todo-05-receipts');
    await b.context.close();
  });

  it('a role that starts on a work page (审计管理员 → 审计日志) sees its to-do centre there when something waits', async () => {
    const b = await newPage(e);
    await uiLogin(b.page, 'city.admin', DEMO_PASSWORD);
    const r = await b.page.request.post('/api/announcements', {
      data: { title: '关于开展年度安全检查的通知', body: '请各单位按期自查。', audience: 'all' },
    });
    expect(r.status(), await r.text()).toBe(201);
    await b.context.close();

    const a = await newPage(e);
    await uiLogin(a.page, 'auditor', DEMO_PASSWORD);
    await a.page.waitForURL(/\/audit/);
    const unread = await apiCount(a.page, 'announcements');
    expect(unread).toBeGreaterThan(0);
    await expect.poll(() => cardCount(a.page, 'announcements'), { timeout: 30_000 }).toBe(unread);
    await shot(a.page, 'todo-06-auditor-start-page');
    await a.context.close();
  });
});
