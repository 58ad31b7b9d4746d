import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';

/**
 * The project workflow pages as users click them: approval inbox, quotas, needs survey (build, answer on a
 * phone, results), nomination with load figures, self-enrolment on a phone and its approval by the school.
 * Setup that is not the subject of a step goes through the API with the same logged-in browser context.
 */
let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 200 });
});
afterAll(async () => e?.close());

const PHONE = { width: 375, height: 812 };

async function as(username: string, viewport?: { width: number; height: number }) {
  const { context, page } = await newPage(e, viewport);
  await uiLogin(page, username, DEMO_PASSWORD);
  return { context, page };
}
async function apiCall<T>(page: Page, method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown): Promise<T> {
  const r = await page.request.fetch(url, { method, data: data as object, headers: { 'content-type': 'application/json' } });
  const body = await r.text();
  if (!r.ok()) throw new Error(`${method} ${url}: ${r.status()} ${body}`);
  return (body ? JSON.parse(body) : undefined) as T;
}

const proposal = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  level: 'county',
  form: 'inPerson',
  audience: { stages: [], subjects: [], roles: [], titles: [] },
  capacity: 100,
  budget: 20000,
  plan: [
    { title: '思想政治和师德师风', hours: 4, category: 'ethics' },
    { title: '课堂教学改进', hours: 12, category: 'subject' },
  ],
  startDate: '2026-12-01',
  endDate: '2027-06-30',
  selfEnrol: false,
  ...over,
});

describe('project workflow pages', () => {
  it('county: inbox, quotas, needs survey; school: nomination; teacher: survey and self-enrolment on a phone', async () => {
    const county = await as('county.admin');
    const school = await as('school.admin');
    const teacher = await as('teacher', PHONE);
    const schoolMe = await apiCall<{ orgId: number }>(school.page, 'GET', '/api/auth/me');

    // A school proposes a 校本 project; the county decides from its inbox.
    const schoolProject = await apiCall<{ id: number }>(
      school.page,
      'POST',
      '/api/projects',
      proposal('一小校本研修：作业设计', { level: 'school', form: 'schoolBased' }),
    );
    await apiCall(school.page, 'POST', `/api/projects/${schoolProject.id}/actions/submit`, {});
    await county.page.goto('/approvals');
    await county.page.getByText('一小校本研修：作业设计').waitFor();
    await shot(county.page, 'workflow-approval-inbox');
    await county.page.getByTestId(`inbox-approve-${schoolProject.id}`).click();
    await county.page.getByRole('dialog').getByRole('button', { name: '审批通过' }).click();
    await county.page.getByTestId(`inbox-file-${schoolProject.id}`).waitFor();
    expect((await apiCall<{ status: string }>(county.page, 'GET', `/api/projects/${schoolProject.id}`)).status).toBe('approved');

    // The county's own project: needs survey built in the UI before the plan is final.
    const p = await apiCall<{ id: number }>(county.page, 'POST', '/api/projects', proposal('区级骨干教师研修班', { selfEnrol: true }));
    await county.page.goto(`/projects/${p.id}`);
    await county.page.getByRole('tab', { name: '需求调研' }).click();
    await county.page.getByRole('button', { name: '创建调研问卷' }).click();
    await county.page.getByRole('button', { name: '保存问卷' }).click();
    await county.page.getByTestId('survey-publish').click();
    await county.page.getByText('调研中').waitFor();

    // The teacher answers on a phone.
    await teacher.page.goto('/my/needs-surveys');
    await teacher.page.getByRole('button', { name: '填写' }).first().click();
    await teacher.page.getByTestId('needs-survey-form').waitFor();
    await teacher.page.getByRole('radio', { name: '作业设计' }).check();
    await teacher.page.getByPlaceholder('请填写').fill('希望多一些听评课');
    await shot(teacher.page, 'workflow-needs-survey-phone');
    await teacher.page.getByRole('button', { name: '提交问卷' }).click();
    await teacher.page.getByText('提交成功，感谢您的反馈').waitFor();

    await county.page.reload();
    await county.page.getByRole('tab', { name: '需求调研' }).click();
    await county.page.getByTestId('survey-results').waitFor();
    await county.page.getByText('希望多一些听评课').waitFor();
    await shot(county.page, 'workflow-needs-survey-results');

    // Open the project and give the school a quota.
    for (const a of ['submit', 'approve', 'file', 'submitPlan', 'approvePlan']) await apiCall(county.page, 'POST', `/api/projects/${p.id}/actions/${a}`, {});
    await apiCall(county.page, 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: schoolMe.orgId, quota: 3 }] });
    await county.page.goto(`/projects/${p.id}`);
    await county.page.getByRole('tab', { name: '名额分配' }).click();
    await county.page.getByTestId('quotas-top').getByText('0/3').waitFor();
    await shot(county.page, 'workflow-quotas');

    // The school nominates two teachers from the candidate list.
    await school.page.goto('/nominations');
    await school.page.getByTestId(`nominate-${p.id}`).click();
    await school.page.getByTestId('candidate-table').waitFor();
    // tr.ant-table-row: antd also renders a hidden measuring row (with a 'select all' box) at the top of tbody.
    const rows = school.page
      .getByTestId('candidate-table')
      .locator('tbody tr.ant-table-row')
      .filter({ has: school.page.locator('input[type=checkbox]:not([disabled])') });
    await rows.nth(0).locator('input[type=checkbox]').check();
    await rows.nth(1).locator('input[type=checkbox]').check();
    await school.page.getByRole('button', { name: '选派所选教师（2）' }).waitFor();
    await shot(school.page, 'workflow-nomination');
    await school.page.getByTestId('nominate-selected').click();
    await school.page.getByText('已选派 2 人，名额已用 2/3').waitFor();

    // Self-enrolment on a phone, approved by the school.
    await teacher.page.goto('/my/enrol');
    await teacher.page.getByTestId(`enrollable-${p.id}`).waitFor();
    const card = teacher.page.getByTestId(`enrollable-${p.id}`);
    if (await card.getByTestId(`apply-${p.id}`).isVisible()) {
      await card.getByTestId(`apply-${p.id}`).click();
      await card.getByText('待审核').waitFor();
      await shot(teacher.page, 'workflow-enrollable-phone');
      await school.page.goto('/enrolment-requests');
      await school.page.getByText('区级骨干教师研修班').waitFor();
      await shot(school.page, 'workflow-enrolment-requests');
      await school.page.locator(`[data-testid^="approve-${p.id}-"]`).first().click();
      await school.page.getByText(/已通过 .* 的报名/).waitFor();
    } else {
      // The demo teacher was among the nominees: already enrolled.
      await card.getByText('已报名').waitFor();
    }
    const enrolled = await apiCall<{ total: number }>(county.page, 'GET', `/api/projects/${p.id}/enrolments`);
    expect(enrolled.total).toBe(3);
  });
});
