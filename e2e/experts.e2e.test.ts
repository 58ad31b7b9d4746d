import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

// 评审专家 sign in: the demo expert opens 我的评审, scores an assigned project, and the admin sees the score
// marked as the expert's own; the admin opens an account for another expert from the pool page.

let e: E2E;
let projectId: number;
let projectName: string;

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  // The demo expert's first assigned project still open for scoring (the seed assigns 已结项 and 实施中 ones).
  const r = await e.ctx.db.query<{ id: number; name: string }>(
    `SELECT p.id, p.name FROM projects p JOIN project_experts pe ON pe.project_id = p.id JOIN experts x ON x.id = pe.expert_id
       JOIN users u ON u.id = x.user_id
      WHERE u.username = 'expert' AND p.status IN ('running','recognitionPending','closed') ORDER BY p.id LIMIT 1`,
  );
  projectId = r.rows[0].id;
  projectName = r.rows[0].name;
});
afterAll(async () => e?.close());

describe('experts score in the browser', () => {
  it('the expert logs in, opens 我的评审 and scores a project', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'expert', DEMO_PASSWORD);
    await page.waitForURL(/\/my\/reviews/, { timeout: 60_000 });
    // One menu entry, with the count of reviews waiting as its badge.
    expect((await page.getByRole('menuitem').allInnerTexts()).map((t) => t.replace(/\s*\d+$/, ''))).toEqual(['我的评审']);
    const card = page.getByTestId(`review-${projectId}`);
    await card.waitFor({ timeout: 60_000 });
    expect(await card.innerText()).toContain(projectName);
    expect(await card.innerText()).toContain('未评分');
    const form = page.getByTestId(`review-form-${projectId}`);
    await form.getByLabel('方案设计').fill('92');
    await form.getByLabel('师资水平').fill('88');
    await form.getByLabel('实施过程').fill('85');
    await form.getByLabel('培训效果').fill('90');
    await form.getByLabel('评语').fill('方案扎实，建议增加跟岗实践');
    await form.getByRole('button', { name: '提交评分' }).click();
    await card.getByText('已评分 88.8').waitFor({ timeout: 60_000 });
    await shot(page, 'experts-01-my-reviews');
    // Other pages are not the expert's: the project list is refused.
    await page.goto('/projects');
    await page.getByText('无权访问', { exact: false }).first().waitFor({ timeout: 60_000 });
    await context.close();
  });

  it("the admin sees the score as the expert's own, and a 代录 one labelled", async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.goto(`/projects/${projectId}/evaluation`);
    await page.getByRole('tab', { name: '专家评分' }).click();
    const panel = page.getByTestId('experts-panel');
    const own = panel.locator('.ant-table-row', { hasText: '郭文博' });
    await own.waitFor({ timeout: 60_000 });
    await own.getByText('专家本人提交').waitFor({ timeout: 60_000 });
    expect(await own.innerText()).toContain('88.8');
    await shot(page, 'experts-02-admin-sees-own-score');
    // The demo's score entered by the admin for the other expert is labelled 代录 with who entered it.
    const proxied = (
      await e.ctx.db.query<{ project_id: number }>(`SELECT s.project_id FROM expert_scores s JOIN experts x ON x.id = s.expert_id WHERE x.name = '包乌兰'`)
    ).rows[0].project_id;
    await page.goto(`/projects/${proxied}/evaluation`);
    await page.getByRole('tab', { name: '专家评分' }).click();
    const other = page.getByTestId('experts-panel').locator('.ant-table-row', { hasText: '包乌兰' });
    await other.getByText('代录').waitFor({ timeout: 60_000 });
    expect(await other.innerText()).toContain('刘振华');
    await context.close();
  });

  it('the admin opens an account for an expert; the initial password is shown once and works', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /专家库/ }).click();
    await page.waitForURL(/\/experts/);
    const row = page.locator('.ant-table-row', { hasText: '陈思远' });
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: '开通账号' }).click();
    await page.getByTestId('account-form').getByLabel('用户名').fill('chen.expert');
    await page.getByRole('button', { name: '确定' }).click();
    const created = page.getByTestId('account-created');
    await created.waitFor({ timeout: 60_000 });
    const password = (await created.locator('code').innerText()).trim();
    expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
    await shot(page, 'experts-03-account-created');
    await page.getByRole('button', { name: '知道了' }).click();
    await row.getByText('chen.expert').waitFor({ timeout: 60_000 });
    await context.close();

    const fresh = await newPage(e);
    await uiLogin(fresh.page, 'chen.expert', password);
    await fresh.page.waitForURL(/\/my\/reviews/, { timeout: 60_000 });
    await fresh.page.getByText('暂无指派给您的评审项目').waitFor({ timeout: 60_000 });
    await fresh.context.close();
  });
});
