import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, shot, startE2E, type E2E, uiLogin } from './support.js';

// 基本功竞赛 and 学历提升 (issue 13 items 4–5) as users meet them: the county organises an edition, enters two teachers
// with the teacher picker, two judges score, the results give the demo teacher 一等奖 and publication makes it an
// honour the teacher reads in their 诚信档案; next year's edition opens with the other teacher re-entered
// (上届未达线自动报名). A teacher files a 学历提升 plan on a phone and asks to confirm completion; the school sees the
// to-do, approves, and the new education appears in the teacher's 时间线.
// Dates are fixed and not today (the web's and the server's "today" differ between 16:00 and 24:00 UTC).

let e: E2E;
type T = { id: number; name: string; org_name: string; education: string | null };
let teacher: T;
let other: T;

const one = async <R>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<R>(sql, params)).rows[0];
const NAME = '教学基本功大赛';

beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
  teacher = await one<T>(
    `SELECT t.id, t.name, o.name AS org_name, t.education FROM users u JOIN teachers t ON t.id = u.teacher_id JOIN orgs o ON o.id = t.org_id WHERE u.username = 'teacher'`,
  );
  // A colleague of another name at the same school, so the picker's option is unambiguous.
  other = await one<T>(
    `SELECT t.id, t.name, o.name AS org_name, t.education FROM teachers t JOIN orgs o ON o.id = t.org_id
      WHERE t.org_id = (SELECT org_id FROM teachers WHERE id = $1) AND t.status = 'active' AND t.id <> $1
        AND (SELECT count(*) FROM teachers x WHERE x.name = t.name) = 1 AND t.name <> $2
      ORDER BY t.id LIMIT 1`,
    [teacher.id, teacher.name],
  );
});
afterAll(async () => e?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^${[...name].join('\\s?')}$`) });
const toast = (page: Page, text: string) => page.locator('.ant-message').getByText(text).first().waitFor({ timeout: 60_000 });

async function newEdition(page: Page, year: number, roundOn: string) {
  await page.goto('/competitions');
  const form = page.locator('.ant-card', { hasText: '新建一届竞赛' });
  await form.getByLabel('名称').fill(NAME);
  await form.getByLabel('年度').fill(String(year));
  await button(page, '新建').click();
  const card = page.getByTestId('competition');
  await card.getByText(`${year} 年 ${NAME}（筹备中）`).waitFor({ timeout: 60_000 });
  await card.getByPlaceholder('轮次名称（初赛/复赛/决赛）').fill('决赛');
  const date = card.getByPlaceholder('比赛日期');
  await date.click();
  await date.fill(roundOn);
  await date.press('Enter');
  await button(page, '增加轮次').click();
  await card.locator('.ant-tag', { hasText: `决赛 ${roundOn}` }).waitFor({ timeout: 60_000 });
  return card;
}

async function pick(page: Page, t: T) {
  await page.getByTestId('teacher-picker').click();
  await page.keyboard.type(t.name);
  await page
    .locator('.ant-select-item-option', { hasText: `${t.name} · ${t.org_name}` })
    .first()
    .click({ timeout: 60_000 });
}

describe('基本功竞赛 and 学历提升 in the browser', () => {
  it('the organiser runs an edition to publication; the award is the teacher’s honour; next year re-enters the other teacher', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /基本功竞赛/ }).click();
    await page.waitForURL(/\/competitions/);
    const card = await newEdition(page, 2025, '2025-05-20');
    for (const judge of ['王专家', '李专家']) {
      await card.getByPlaceholder('评委（专家）姓名').fill(judge);
      await button(page, '增加评委').click();
      await card.locator('.ant-tag', { hasText: judge }).waitFor({ timeout: 60_000 });
    }
    await button(page, '开始报名').click();
    await card.getByText(`2025 年 ${NAME}（报名中）`).waitFor({ timeout: 60_000 });

    await pick(page, teacher);
    await pick(page, other);
    await button(page, '报名').click();
    await toast(page, '已报名');
    const entries = card.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => entries.count(), { timeout: 60_000 }).toBe(2);
    await button(page, '开始评审').click();
    await card.getByText(`2025 年 ${NAME}（评审中）`).waitFor({ timeout: 60_000 });

    const scores = page.getByTestId('score-sheet');
    const sheets: [string, number, number][] = [
      ['王专家', 92, 80],
      ['李专家', 90, 78],
    ];
    for (const [judge, a, b] of sheets) {
      await scores.getByText(`评委 ${judge}`).click();
      await scores.getByLabel(`${teacher.name} 分数`).fill(String(a));
      await scores.getByLabel(`${other.name} 分数`).fill(String(b));
      await button(page, '保存评分').click();
      await toast(page, '已保存评分');
    }
    const results = page.getByTestId('result-sheet');
    await expect.poll(() => results.locator('tr', { hasText: teacher.name }).innerText(), { timeout: 60_000 }).toContain('91');
    await results.locator('tr', { hasText: teacher.name }).getByText('一等奖').click();
    await button(page, '保存结果').click();
    await toast(page, '已保存结果');
    const published = page.getByTestId('competition-results').locator('.ant-table-tbody tr', { hasText: '一等奖' });
    await expect.poll(() => published.count(), { timeout: 60_000 }).toBe(1);
    expect(await published.innerText()).toContain(teacher.name);
    await shot(page, 'growth-01-results');

    await button(page, '公布结果').click();
    await page.getByRole('button', { name: '确认公布' }).click();
    await card.getByText(`2025 年 ${NAME}（已公布）`).waitFor({ timeout: 60_000 });
    await expect.poll(() => card.getByText('已记入诚信档案').count(), { timeout: 60_000 }).toBe(1);

    // Next year's edition: opening re-enters last year's non-qualifier (no award), tagged.
    const next = await newEdition(page, 2026, '2026-05-20');
    await button(page, '开始报名').click();
    await next.getByText(`2026 年 ${NAME}（报名中）`).waitFor({ timeout: 60_000 });
    const row = next.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
    expect(await row.innerText()).toContain(other.name);
    expect(await row.locator('.ant-tag').innerText()).toBe('上届未达线自动报名');
    await shot(page, 'growth-02-reentry');
    await context.close();

    // The teacher reads the award among the honours of their 诚信档案.
    const t = await newPage(e, { width: 390, height: 844 });
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    await t.page.goto('/my/integrity');
    await expect
      .poll(async () => t.page.locator('.ant-card', { hasText: '荣誉（先进典型）' }).innerText(), { timeout: 60_000 })
      .toContain(`2025年${NAME}一等奖`);
    await shot(t.page, 'growth-03-honour-phone');
    await t.context.close();
  });

  it('a teacher files a 学历提升 plan on a phone and asks to confirm completion; the school approves; the education is in the teacher’s history', async () => {
    expect(teacher.education).not.toBe('doctor');
    {
      const { context, page } = await newPage(e, { width: 390, height: 844 });
      await uiLogin(page, 'teacher', DEMO_PASSWORD);
      await page.goto('/upgrade');
      const form = page.locator('.ant-card', { hasText: '登记提升计划' });
      await form.getByLabel('目标学历').click();
      await page.getByTitle('研究生(博士)').click();
      await form.getByLabel('院校/机构').fill('内蒙古师范大学');
      // The date is the last field: Enter picks it and submits the form.
      const expected = form.getByPlaceholder('预计完成日期');
      await expected.click();
      await expected.fill('2028-07-01');
      await expected.press('Enter');
      await toast(page, '已登记提升计划');
      const plan = page.getByTestId('upgrade-plan');
      await plan.getByText('提升至研究生(博士)').first().waitFor({ timeout: 60_000 });
      await plan.getByPlaceholder('进展说明，如 已完成第一学年课程').fill('已完成全部课程学习');
      await button(page, '记录进展').click();
      await toast(page, '已记录进展');
      await plan.getByText('已完成全部课程学习', { exact: false }).first().waitFor({ timeout: 60_000 });
      await plan.getByPlaceholder('如 已取得毕业证书').fill('已取得博士学位证书');
      expect(await plan.getByRole('button', { name: '申请确认完成' }).count()).toBe(1);
      // Enter in the date field picks it and submits 申请确认完成.
      const achieved = plan.getByPlaceholder('取得日期');
      await achieved.click();
      await achieved.fill('2026-06-30');
      await achieved.press('Enter');
      await toast(page, '已申请确认完成，等待学校审核');
      await plan.getByText('已申请确认完成，等待学校审核：2026-06-30 取得').waitFor({ timeout: 60_000 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(page, 'growth-04-upgrade-phone');
      await context.close();
    }
    const { context, page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.goto('/');
    const todo = page.getByTestId('todo-upgradeCompletions');
    await expect.poll(async () => todo.innerText(), { timeout: 60_000 }).toContain('学校待审核的学历提升完成申请');
    expect(await todo.locator('.ant-badge-count').first().getAttribute('title')).toBe('1');
    await page.goto('/upgrade');
    const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: teacher.name }).filter({ hasText: '待审核完成' });
    await row.getByRole('button', { name: /查\s?看/ }).click();
    const plan = page.getByTestId('upgrade-plan');
    await plan.getByText('教师申请确认完成：2026-06-30 取得').waitFor({ timeout: 60_000 });
    await plan.getByRole('button', { name: '审核通过' }).click();
    await toast(page, '已审核通过，已记入教师档案');
    await plan.getByText('已完成（2026-06-30 取得）').waitFor({ timeout: 60_000 });
    await shot(page, 'growth-05-approved');

    await page.goto(`/teachers/${teacher.id}`);
    await page.getByRole('tab', { name: '时间线' }).click();
    await expect.poll(async () => page.locator('body').innerText(), { timeout: 60_000 }).toContain('最高学历：研究生(博士)');
    await shot(page, 'growth-06-timeline');
    await context.close();
  });
});
