import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { createSession } from '../server/src/platform/auth.js';
import { newPage, orgOfUser, shot, startE2E, uiLogin, type E2E } from './support.js';
import { todayInChina } from '../server/src/platform/china-time.js';

/**
 * The issue's whole path through the real pages: an institution proposes a project (立项申报 with plan
 * modules, 思想政治和师德师风 first) → the city bureau (its whole approval chain) approves, files and reviews
 * the plan → the organiser gives a school a quota → the school admin nominates five teachers → the organiser
 * adds a session and opens check-in → a teacher checks in on a phone → the organiser submits the hour
 * recognition and the city confirms it → the teacher sees the hours, downloads the certificate and answers
 * the anonymous survey on the phone → the admin sees no results until the 5th answer.
 *
 * Not through the UI: the four extra teachers' accounts (demo teachers have no login; created in SQL), their
 * check-ins and three of their survey answers (the same API calls their phones would make, with their own
 * sessions), and reading the rotating QR token (the phone "scans" the organiser's code).
 */

let e: E2E;
const PHONE = { width: 375, height: 812 };
/** Generous: on a loaded CI machine a fresh browser context takes a while to parse the app. */
const LONG = 60_000;
const PROJECT = '2026年全市中小学班主任能力提升研修班（全流程）';
let schoolName = '';
/** The demo teacher first, then four colleagues of the same school with logins made for this test. */
const teachers: { teacherId: number; name: string; username: string; cookie: string }[] = [];

beforeAll(async () => {
  e = await startE2E({ teachers: 200 });
  const db = e.ctx.db;
  const schoolOrg = await orgOfUser(db, 'school.admin');
  const school = { org_id: schoolOrg.id, name: schoolOrg.name };
  schoolName = school.name;
  const demo = (
    await db.query<{ id: number; teacher_id: number; name: string }>(
      `SELECT u.id, u.teacher_id, t.name FROM users u JOIN teachers t ON t.id = u.teacher_id WHERE u.username = 'teacher'`,
    )
  ).rows[0];
  expect(
    (await db.query<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [demo.teacher_id])).rows[0].org_id,
    'the demo teacher is in the demo school',
  ).toBe(school.org_id);
  teachers.push({ teacherId: demo.teacher_id, name: demo.name, username: 'teacher', cookie: `qs_session=${(await createSession(db, demo.id)).token}` });
  // Colleagues with a name unique in the school (found by name on the nomination page), with their demo accounts
  // (every demo teacher has one) and no admin role.
  const others = (
    await db.query<{ id: number; name: string; user_id: number; username: string }>(
      `SELECT t.id, t.name, u.id AS user_id, u.username FROM teachers t JOIN users u ON u.teacher_id = t.id
        WHERE t.id IN (SELECT min(id) FROM teachers WHERE org_id = $1 AND status = 'active' AND id <> $2 GROUP BY name HAVING count(*) = 1)
          AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'teacher')
        ORDER BY t.id LIMIT 4`,
      [school.org_id, demo.teacher_id],
    )
  ).rows;
  expect(others).toHaveLength(4);
  for (const t of others) {
    teachers.push({ teacherId: t.id, name: t.name, username: t.username, cookie: `qs_session=${(await createSession(db, t.user_id)).token}` });
  }
});
afterAll(async () => e?.close());

/** Every page opened, by user: screenshotted when a step fails, to see where it stood; its errors logged. */
const opened = new Map<string, Page>();
function track(who: string, page: Page) {
  opened.set(who, page);
  page.setDefaultTimeout(LONG);
  page.on('pageerror', (err) => console.log(`[${who}] page error: ${err.message}`));
  page.on('response', (r) => r.status() >= 500 && console.log(`[${who}] ${r.status()} ${r.url()}`));
  page.on('requestfailed', (r) => console.log(`[${who}] request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
}

async function as(username: string, viewport?: { width: number; height: number }) {
  const { context, page } = await newPage(e, viewport);
  track(username, page);
  await uiLogin(page, username, DEMO_PASSWORD);
  return { context, page };
}

/** Choose an option of the antd Select labelled `field` (scoped to `within` when given). */
async function pick(page: Page, field: string, option: string) {
  await page.getByLabel(field, { exact: true }).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

/** Type a date or time into an antd picker and confirm it. */
async function typeInto(page: Page, field: string, value: string, scope = page.locator('body')) {
  const input = scope.getByLabel(field, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/** Click a lifecycle action in the dialog that confirms it. */
async function confirmDialog(page: Page, button: string) {
  const dialog = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: button, exact: true }) });
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The same call a phone makes, with that teacher's own session. */
async function asTeacher(cookie: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const r = await fetch(`${e.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

const t0 = Date.now();
/** Progress in the test log, to see which step is slow on a loaded machine. */
const mark = (step: string) => console.log(`[full-path] ${((Date.now() - t0) / 1000).toFixed(1)} s ${step}`);

describe('the whole path, in the browser', () => {
  it('proposal → approval → nomination → phone check-in → recognition → hours, certificate → anonymous survey', async () => {
    try {
      await wholePath();
    } catch (err) {
      for (const [who, page] of opened) if (!page.isClosed()) await shot(page, `full-FAIL-${who}`).catch(() => undefined);
      throw err;
    }
  });
});

async function wholePath() {
  const db = e.ctx.db;
  const inst = await as('institution');
  const city = await as('city.admin');

  // ---------------------------------------------------------------- 立项申报 by the institution
  await inst.page.getByRole('menuitem', { name: /培训项目/ }).click();
  await inst.page.getByRole('button', { name: '立项申报' }).click();
  await inst.page.waitForURL(/\/projects\/new$/);
  const form = inst.page.getByTestId('project-form');
  await form.getByLabel('项目名称').fill(PROJECT);
  await pick(inst.page, '项目级别', '市级');
  await pick(inst.page, '培训形式', '集中培训');
  await typeInto(inst.page, '开始日期', day(-10));
  await typeInto(inst.page, '结束日期', day(30));
  await form.getByLabel('计划人数').fill('60');
  await form.getByLabel('预算').fill('36000');
  // The plan opens with 思想政治和师德师风; the second module is filled in.
  expect(await inst.page.getByTestId('plan-module-0').getByPlaceholder('模块名称').inputValue()).toBe('思想政治和师德师风');
  await inst.page.getByTestId('plan-module-1').getByPlaceholder('模块名称').fill('班级管理与家校沟通实务');
  await shot(inst.page, 'full-01-proposal-form');
  await inst.page.getByRole('button', { name: '保存草稿' }).click();
  await inst.page.waitForURL(/\/projects\/\d+$/, { timeout: LONG });
  const projectId = Number(new URL(inst.page.url()).pathname.split('/').pop());
  await inst.page.getByTestId('action-submit').click();
  await confirmDialog(inst.page, '提交立项申报');
  await expect.poll(() => inst.page.getByTestId('project-status').innerText(), { timeout: LONG }).toBe('审批中');
  await shot(inst.page, 'full-02-submitted');

  mark('the city bureau');
  // ---------------------------------------------------------------- the city bureau: approve, file (its chain is the city alone)
  await city.page.getByRole('menuitem', { name: /待我审批/ }).click();
  await city.page.getByTestId(`inbox-approve-${projectId}`).click();
  await confirmDialog(city.page, '审批通过');
  await city.page.getByTestId(`inbox-file-${projectId}`).click();
  await confirmDialog(city.page, '备案');
  await expect
    .poll(async () => (await db.query<{ filing_no: string | null }>('SELECT filing_no FROM projects WHERE id = $1', [projectId])).rows[0].filing_no, {
      timeout: LONG,
    })
    .toMatch(/^备\d{4}-[0-9A-Z-]+-市-\d{4}$/);

  // The institution sends the plan for review; the city approves it: enrolment opens.
  await inst.page.reload();
  await inst.page.getByTestId('action-submitPlan').click();
  await confirmDialog(inst.page, '提交方案审核');
  await city.page.goto('/approvals');
  await city.page.getByTestId(`inbox-approvePlan-${projectId}`).click();
  await confirmDialog(city.page, '方案审核通过');
  await inst.page.reload();
  await expect.poll(() => inst.page.getByTestId('project-status').innerText(), { timeout: LONG }).toBe('报名中');
  await inst.page.getByRole('tab', { name: '流转记录' }).click();
  await inst.page.getByTestId('project-history').getByText('方案审核通过').waitFor();
  await shot(inst.page, 'full-03-open-with-history');

  mark('quota');
  // ---------------------------------------------------------------- quota for the school (名额分配)
  await inst.page.getByRole('tab', { name: '名额分配' }).click();
  await inst.page.getByTestId('edit-quotas').click();
  await inst.page.getByRole('button', { name: '添加单位' }).click();
  const quotaForm = inst.page.getByTestId('quota-form');
  await quotaForm.locator('.ant-select').first().click();
  await inst.page.keyboard.type(schoolName);
  await inst.page.locator(`.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper[title="${schoolName}"]`).click();
  await quotaForm.getByLabel('第1行名额').fill('5');
  await inst.page.getByRole('button', { name: '保存名额' }).click();
  await inst.page.getByTestId('quotas-top').getByText('0/5').waitFor({ timeout: LONG });

  mark('the school admin');
  // ---------------------------------------------------------------- the school admin nominates five teachers within the quota
  const school = await as('school.admin');
  await school.page.getByRole('menuitem', { name: /学员选派/ }).click();
  await school.page.getByTestId(`nominate-${projectId}`).click();
  await school.page.getByTestId('candidate-table').waitFor();
  for (const [i, t] of teachers.entries()) {
    await school.page.getByPlaceholder('按姓名查找').fill(t.name);
    await school.page.getByPlaceholder('按姓名查找').press('Enter');
    const row = school.page.getByTestId('candidate-table').locator('tbody tr.ant-table-row', { hasText: t.name });
    await row.first().waitFor();
    await expect.poll(() => school.page.getByTestId('candidate-table').locator('tbody tr.ant-table-row').count(), { timeout: LONG }).toBe(1);
    await row.locator('input[type=checkbox]').check();
    if (i === teachers.length - 1) await shot(school.page, 'full-04-nomination');
    await school.page.getByTestId('nominate-selected').click();
    // A teacher sent often this year asks for a confirmation first.
    const again = school.page.getByRole('button', { name: '仍然选派' });
    const done = school.page.getByText(`名额已用 ${i + 1}/5`);
    await expect.poll(async () => (await again.isVisible()) || (await done.isVisible()), { timeout: LONG }).toBe(true);
    if (await again.isVisible()) await again.click();
    await done.waitFor({ timeout: LONG });
  }
  const enrolled = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM enrolments WHERE project_id = $1 AND status = 'approved'`, [projectId]);
  expect(enrolled.rows[0].n).toBe(5);
  await school.context.close();

  mark('the organiser adds');
  // ---------------------------------------------------------------- the organiser adds a session and opens check-in
  await inst.page.getByRole('tab', { name: /^场次/ }).click();
  await inst.page.getByRole('button', { name: '添加场次' }).click();
  const sessionForm = inst.page.getByTestId('session-form');
  await sessionForm.getByLabel('场次名称').fill('第一讲 新时代班主任师德规范');
  await typeInto(inst.page, '日期', todayInChina(), sessionForm);
  await typeInto(inst.page, '开始', '08:30', sessionForm);
  await typeInto(inst.page, '结束', '11:30', sessionForm);
  await sessionForm.getByLabel('地点').fill('市教师发展中心 301 报告厅');
  await confirmDialog(inst.page, '添加');
  const sessionId = (await db.query<{ id: number }>('SELECT id FROM project_sessions WHERE project_id = $1', [projectId])).rows[0]?.id;
  expect(sessionId, 'the session was added').toBeTruthy();
  await inst.page.getByTestId(`checkin-toggle-${sessionId}`).click();
  await inst.page.getByTestId('session-table').getByText('签到中').waitFor({ timeout: LONG });
  await shot(inst.page, 'full-05-session-checkin-open');

  // The 签到码 screen (a second tab of the organiser's browser).
  const qr = await inst.context.newPage();
  track('qr', qr);
  await qr.goto(`/sessions/${sessionId}/qr`);
  await qr.getByTestId('qr-image').waitFor({ timeout: LONG });
  await shot(qr, 'full-06-organiser-qr');
  // What the phone's camera reads off the organiser's screen.
  const token = (await (await qr.request.get(`/api/sessions/${sessionId}/checkin/token`)).json()) as { token: string; checkinUrl: string };
  await qr.close();

  mark('the teacher checks in');
  // ---------------------------------------------------------------- the teacher checks in on a phone
  const phone = await newPage(e, PHONE);
  track('phone', phone.page);
  await phone.page.goto(token.checkinUrl);
  await phone.page.getByPlaceholder('用户名').fill('teacher');
  await phone.page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
  await phone.page.getByRole('button', { name: /登录/ }).click();
  await phone.page.getByText('签到成功').waitFor({ timeout: LONG });
  await shot(phone.page, 'full-07-phone-checkin');
  // The colleagues scan the same code with their phones.
  for (const t of teachers.slice(1)) expect((await asTeacher(t.cookie, 'POST', '/api/checkin', { token: token.token })).status).toBe(200);

  mark('学时认定');
  // ---------------------------------------------------------------- 学时认定: the organiser submits, the city confirms
  await inst.page.reload();
  await inst.page.getByRole('tab', { name: '学时认定' }).click();
  const panel = inst.page.getByTestId('recognition-panel');
  await expect.poll(() => panel.getByTestId('recognition-table').locator('tbody tr.ant-table-row').count(), { timeout: LONG }).toBe(5);
  expect(await panel.getByTestId('recognition-hours').innerText()).toBe('15 学时');
  expect(await panel.getByTestId('recognition-table').innerText()).toContain(teachers[0].name);
  await shot(inst.page, 'full-08-recognition-preview');
  await inst.page.getByTestId('recognition-submitRecognition').click();
  const submitDialog = inst.page.getByRole('dialog').filter({ has: inst.page.getByRole('button', { name: '提交学时认定', exact: true }) });
  await submitDialog.getByTestId('recognition-table').waitFor();
  // Closing early (sessions still ahead, the planned end not reached): the dialog lists the close warnings
  // and the organiser confirms them (issue 11 item 5; e2e/checkin.e2e.test.ts tests the dialog itself).
  const knowWarnings = submitDialog.getByTestId('confirm-warnings');
  if (await knowWarnings.count()) await knowWarnings.check();
  await confirmDialog(inst.page, '提交学时认定');
  await inst.page.locator('.ant-modal-confirm-title', { hasText: '已提交学时认定' }).waitFor({ timeout: LONG });
  await inst.page.getByRole('button', { name: /知道了|确定|OK/ }).click();
  await inst.page.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
  await expect.poll(() => inst.page.getByTestId('project-status').innerText(), { timeout: LONG }).toBe('学时认定待确认');
  await shot(inst.page, 'full-09-recognition-submitted');
  // Attendance is frozen now: the organiser cannot change it, and no hours exist yet.
  expect(await inst.page.getByTestId('recognition-confirmRecognition').count()).toBe(0);
  expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE project_id = $1`, [projectId])).rows[0].n).toBe(0);

  await city.page.goto('/approvals');
  const inboxRow = city.page.locator('.ant-table-row', { hasText: PROJECT });
  await inboxRow.getByText('学时认定确认').waitFor({ timeout: LONG });
  await city.page.getByTestId(`inbox-confirmRecognition-${projectId}`).click();
  const confirm = city.page.getByRole('dialog').filter({ has: city.page.getByRole('button', { name: '确认学时认定', exact: true }) });
  await expect.poll(() => confirm.getByTestId('recognition-table').locator('tbody tr.ant-table-row').count(), { timeout: LONG }).toBe(5);
  await shot(city.page, 'full-10-approver-confirms');
  await confirmDialog(city.page, '确认学时认定');
  await expect
    .poll(async () => (await db.query<{ status: string }>('SELECT status FROM projects WHERE id = $1', [projectId])).rows[0].status, { timeout: LONG })
    .toBe('closed');
  expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE project_id = $1`, [projectId])).rows[0].n).toBe(5);

  mark('the teacher: hours');
  // ---------------------------------------------------------------- the teacher: hours and certificate on the phone
  await phone.page.goto('/my/hours');
  const entry = phone.page.locator('.ant-list-item', { hasText: PROJECT });
  await entry.first().waitFor({ timeout: LONG });
  expect(await entry.count()).toBe(1);
  expect(await entry.innerText()).toContain('师德师风');
  expect(await entry.innerText()).toMatch(/(^|\n)3(\n|$)/);
  await shot(phone.page, 'full-11-my-hours-phone');
  await phone.page.goto('/my/certificates');
  const certRow = phone.page.locator('.ant-table-tbody tr', { hasText: PROJECT });
  await certRow.getByRole('button', { name: '下载证书' }).waitFor({ timeout: LONG });
  const download = phone.page.waitForEvent('download');
  await certRow.getByRole('button', { name: '下载证书' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.pdf$/);
  const path = await file.path();
  expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await shot(phone.page, 'full-12-certificate-phone');

  mark('绩效评估');
  // ---------------------------------------------------------------- 绩效评估: the organiser publishes the anonymous survey
  await inst.page.goto(`/projects/${projectId}/evaluation`);
  await inst.page.getByRole('tab', { name: '学员匿名评价' }).click();
  await inst.page.getByRole('button', { name: '发布问卷' }).click();
  await inst.page.getByRole('button', { name: '发布', exact: true }).click();
  await inst.page.getByTestId('survey-insufficient').waitFor({ timeout: LONG });
  const surveyId = (await db.query<{ id: number }>('SELECT id FROM surveys WHERE project_id = $1', [projectId])).rows[0].id;

  // The teacher answers on the phone.
  await phone.page.goto('/my/surveys');
  // The demo has other surveys open for this teacher: answer this project's.
  await phone.page.getByRole('listitem').filter({ hasText: PROJECT }).getByRole('button', { name: '去评价' }).click();
  await phone.page.getByTestId('survey-form').waitFor({ timeout: LONG });
  for (const q of ['q1', 'q2', 'q3', 'q4']) await phone.page.getByTestId(`rate-${q}`).getByText('5分').click();
  await phone.page.getByPlaceholder('选填，请勿填写可识别您身份的信息').fill('案例贴近班主任日常，很实用');
  await shot(phone.page, 'full-13-survey-phone');
  await phone.page.getByRole('button', { name: '提交评价' }).click();
  await phone.page.getByTestId('survey-done').waitFor({ timeout: LONG });
  await phone.context.close();

  // The admin (the city bureau) sees no results below five answers.
  await city.page.goto(`/projects/${projectId}/evaluation`);
  await city.page.getByRole('tab', { name: '学员匿名评价' }).click();
  const hidden = city.page.getByTestId('survey-insufficient');
  await hidden.waitFor({ timeout: LONG });
  expect(await hidden.innerText()).toContain('答卷不足 5 份');
  expect(await city.page.getByTestId('survey-count').innerText()).toBe('1');
  for (const [i, t] of teachers.slice(1, 4).entries()) {
    const r = await asTeacher(t.cookie, 'POST', `/api/surveys/${surveyId}/answers`, { ratings: { q1: 4, q2: 4, q3: 3 + (i % 2), q4: 4 }, comment: '' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  }
  await city.page.getByRole('button', { name: '刷新' }).click();
  await expect.poll(() => city.page.getByTestId('survey-count').innerText(), { timeout: LONG }).toBe('4');
  expect(await city.page.getByTestId('survey-insufficient').innerText()).toContain('答卷不足 5 份');
  expect(await city.page.getByTestId('survey-results').count()).toBe(0);
  await shot(city.page, 'full-14-four-answers-hidden');

  // The fifth teacher logs in on their own phone and answers.
  const fifth = await as(teachers[4].username, PHONE);
  await fifth.page.goto('/my/surveys');
  await fifth.page.getByRole('listitem').filter({ hasText: PROJECT }).getByRole('button', { name: '去评价' }).click();
  await fifth.page.getByTestId('survey-form').waitFor({ timeout: LONG });
  for (const q of ['q1', 'q2', 'q3', 'q4']) await fifth.page.getByTestId(`rate-${q}`).getByText('4分').click();
  await fifth.page.getByRole('button', { name: '提交评价' }).click();
  await fifth.page.getByTestId('survey-done').waitFor({ timeout: LONG });
  await fifth.context.close();

  await city.page.getByRole('button', { name: '刷新' }).click();
  await city.page.getByTestId('survey-results').waitFor({ timeout: LONG });
  expect(await city.page.getByTestId('survey-results').innerText()).toContain('案例贴近班主任日常，很实用');
  expect(await city.page.getByTestId('survey-insufficient').count()).toBe(0);
  await shot(city.page, 'full-15-survey-results');

  await inst.context.close();
  await city.context.close();
}
