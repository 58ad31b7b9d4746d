import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { createSession } from '../server/src/platform/auth.js';
import { newPage, orgOfUser, shot, startE2E, uiLogin, type E2E } from './support.js';

// 绩效评估 in the browser: expert pool, anonymous survey (hidden below 5 answers), inspection,
// institution scorecard and a qualification change. The project and its attendance are set up in SQL.

let e: E2E;
let projectId: number;
let surveyId = 0;
const teacherTokens: string[] = [];

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  const db = e.ctx.db;
  const inst = (await orgOfUser(db, 'institution')).id;
  projectId = (
    await db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
       VALUES ($1, 'E2E-EVAL-1', '班主任能力提升研修班（评估演示）', 'city', 'inPerson', '{homeroom}', 6, '2025-04-01', '2025-04-30', 'closed') RETURNING id`,
      [inst],
    )
  ).rows[0].id;
  const session = (
    await db.query<{ id: number }>(
      `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category) VALUES ($1, '班级管理专题', '2025-04-10', '09:00', '12:00', '报告厅', 3, 'homeroom') RETURNING id`,
      [projectId],
    )
  ).rows[0].id;
  const teachers = (
    await db.query<{ id: number; user_id: number }>(
      `SELECT t.id, u.id AS user_id FROM teachers t JOIN users u ON u.teacher_id = t.id WHERE t.status = 'active' ORDER BY t.id LIMIT 6`,
    )
  ).rows;
  for (const t of teachers) {
    await db.query(`INSERT INTO enrolments (project_id, teacher_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [projectId, t.id]);
    await db.query(`INSERT INTO attendance (session_id, teacher_id, method) VALUES ($1, $2, 'manual') ON CONFLICT DO NOTHING`, [session, t.id]);
    teacherTokens.push((await createSession(db, t.user_id)).token);
  }
});
afterAll(async () => e?.close());

/** Pick an option of the antd Select labelled `field`. */
async function pick(page: Page, field: string, option: string) {
  await page.getByLabel(field).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

async function answerByApi(token: string, rating: number) {
  const r = await fetch(`${e.baseUrl}/api/surveys/${surveyId}/answers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `qs_session=${token}` },
    body: JSON.stringify({ ratings: { q1: rating, q2: rating, q3: rating, q4: rating }, comment: `建议${rating}` }),
  });
  expect(r.status).toBe(201);
}

describe('evaluation, in the browser', () => {
  it('a bureau admin adds an expert to the pool; only the masked phone is shown', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /专家库/ }).click();
    await page.waitForURL(/\/experts/);
    await page.getByRole('button', { name: '添加专家' }).click();
    const form = page.getByTestId('expert-form');
    await form.getByLabel('姓名').fill('高明远');
    await pick(page, '专家级别', '省级');
    await form.getByLabel('工作单位').fill('内蒙古师范大学教师教育学院');
    await form.getByLabel('擅长领域').fill('班主任工作');
    await page.keyboard.press('Enter');
    await form.getByLabel('手机号').fill('13987654321');
    await page.getByRole('button', { name: '保存' }).click();
    const row = page.locator('.ant-table-row', { hasText: '高明远' });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.innerText()).toContain('139****4321');
    expect(await page.content()).not.toContain('13987654321');
    await shot(page, 'eval-01-expert-pool');
    await context.close();
  });

  it('the organiser publishes the survey; results stay hidden until the 5th answer', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'institution', DEMO_PASSWORD);
    await page.goto(`/projects/${projectId}/evaluation`);
    await page.getByRole('tab', { name: '学员匿名评价' }).click();
    await page.getByRole('button', { name: '发布问卷' }).click();
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByTestId('survey-insufficient').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('survey-insufficient').innerText()).toContain('答卷不足 5 份，暂不显示结果');
    surveyId = (await e.ctx.db.query<{ id: number }>('SELECT id FROM surveys WHERE project_id = $1', [projectId])).rows[0].id;

    // A teacher answers on a phone.
    const phone = await newPage(e, { width: 390, height: 844 });
    await phone.context.addCookies([{ name: 'qs_session', value: teacherTokens[0], url: e.baseUrl }]);
    await phone.page.goto('/my/surveys');
    // The demo has other surveys open for this teacher: answer this project's.
    await phone.page.getByRole('listitem').filter({ hasText: '班主任能力提升研修班（评估演示）' }).getByRole('button', { name: '去评价' }).click();
    await phone.page.getByTestId('survey-form').waitFor();
    for (const q of ['q1', 'q2', 'q3', 'q4']) await phone.page.getByTestId(`rate-${q}`).getByText('4分').click();
    await phone.page.getByPlaceholder('选填，请勿填写可识别您身份的信息').fill('案例很实用');
    await shot(phone.page, 'eval-02-survey-phone');
    await phone.page.getByRole('button', { name: '提交评价' }).click();
    await phone.page.getByTestId('survey-done').waitFor({ timeout: 60_000 });
    expect(await phone.page.getByTestId('survey-done').innerText()).toContain('提交成功');
    await phone.context.close();

    for (const [i, r] of [5, 3, 4].entries()) await answerByApi(teacherTokens[i + 1], r);
    await page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.getByTestId('survey-count').innerText(), { timeout: 60_000 }).toBe('4');
    expect(await page.getByTestId('survey-insufficient').isVisible()).toBe(true);
    expect(await page.getByTestId('survey-results').count()).toBe(0);
    await shot(page, 'eval-03-four-answers-hidden');

    await answerByApi(teacherTokens[4], 5);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByTestId('survey-results').waitFor({ timeout: 60_000 });
    const text = await page.getByTestId('survey-results').innerText();
    expect(text).toContain('案例很实用');
    expect(text).toContain('4.2 / 5');
    await shot(page, 'eval-04-results');
    await context.close();
  });

  it('a bureau admin records an inspection, sees the combined score, and warns the institution on the scorecard', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.goto(`/projects/${projectId}/evaluation`);
    await page.getByRole('tab', { name: '督导检查' }).click();
    await page.getByRole('button', { name: '记录督导' }).click();
    const form = page.getByTestId('inspection-form');
    await form.getByLabel('督导评分（0–100）').fill('70');
    await form.getByLabel('督导人员').fill('市督导室 王督学');
    await form.getByLabel('督导情况').fill('课程按方案实施，签到规范，个别学员迟到。');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('70 分').waitFor({ timeout: 60_000 });

    await page.getByRole('tab', { name: '综合得分' }).click();
    const summary = page.getByTestId('score-summary');
    await summary.waitFor();
    // participants 4.2 → 84 (40 %), inspection 70 (30 %), no experts: (33.6 + 21) / 0.7 = 78
    await expect.poll(() => summary.innerText(), { timeout: 60_000 }).toContain('缺少专家评分');
    expect(await summary.innerText()).toContain('78');
    await shot(page, 'eval-05-combined-score');

    await page.getByRole('menuitem', { name: /机构评估/ }).click();
    await page.waitForURL(/\/evaluations\/institutions/);
    await page.getByTestId('ranking-chart').locator('canvas').first().waitFor({ timeout: 60_000 });
    const instName = (await orgOfUser(e.ctx.db, 'institution')).name;
    await page.getByRole('button', { name: `变更${instName}的资质` }).click();
    await pick(page, '变更为', '警告（警告）');
    await page.getByTestId('status-form').getByLabel('变更原因').fill('督导发现学员迟到较多，限期整改');
    await page.getByRole('button', { name: '确认变更' }).click();
    const row = page.locator('.ant-table-row', { hasText: instName });
    await expect.poll(() => row.innerText(), { timeout: 60_000 }).toContain('警告');
    await shot(page, 'eval-06-scorecard');
    await context.close();
  });
});
