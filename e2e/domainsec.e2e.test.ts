import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { verificationCode } from '../server/src/modules/certificates/certificates.service.js';
import { newPage, orgOfUser, shot, startE2E, type E2E, uiLogin } from './support.js';

// Issue 9 (domainsec) as users see it: the city's admin decides a county's correction request on 学时更正申请;
// the public page of a revoked certificate says 已撤销 with the date; a teacher sees 请假 instead of 撤销报名 on an
// enrolment the bureau assigned; the organiser's survey page says how many answers wait for the next release.

let e: E2E;
let teacherId: number;
let projectId: number;
let requestId: number;
let entryId: number;
let certId: number;

const one = async <T>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<T>(sql, params)).rows[0];

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  const county = await orgOfUser(e.ctx.db, 'county.admin');
  const city = await orgOfUser(e.ctx.db, 'city.admin');
  teacherId = (await one<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).teacher_id;
  // An open self-selection project of the county, the demo teacher enrolled by the county (assigned).
  projectId = (
    await one<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, self_enrol)
       VALUES ($1, 'E2E-DS-1', '2026年课堂观察自主选学', 'county', 'inPerson', '{ethics}', 8, '2026-03-01', '2026-12-31', 'open', true) RETURNING id`,
      [county.id],
    )
  ).id;
  await e.ctx.db.query(`INSERT INTO enrolments (project_id, teacher_id, status, source) VALUES ($1, $2, 'approved', 'organiser')`, [projectId, teacherId]);
  // Its survey: 7 answers, the first batch of 5 released, 2 waiting.
  const survey = (
    await one<{ id: number }>(
      `INSERT INTO surveys (project_id, title, questions, comment_label) VALUES ($1, '学员评价', '[{"key":"q1","label":"总体满意度"}]', '意见和建议') RETURNING id`,
      [projectId],
    )
  ).id;
  for (let i = 0; i < 7; i++)
    await e.ctx.db.query(`INSERT INTO survey_answers (survey_id, submitted_week, ratings, released) VALUES ($1, '2026-03-02', $2, $3)`, [
      survey,
      JSON.stringify({ q1: 3 + (i % 3) }),
      i < 5,
    ]);
  // Hours the city recognised (a city project), and the county's request to reverse them.
  const cityProject = (
    await one<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, approval_chain)
       VALUES ($1, 'E2E-DS-2', '2025年市级班主任培训', 'city', 'inPerson', '{ethics}', 6, '2025-03-01', '2025-03-31', 'closed', ARRAY[$1]::int[]) RETURNING id`,
      [city.id],
    )
  ).id;
  entryId = Number(
    (
      await one<{ id: string }>(
        `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, description, dedupe_key)
         VALUES ($1, 6, 'homeroom', '2025-03-20', 'project', $2, '2025年市级班主任培训', 'e2e:ds:1') RETURNING id`,
        [teacherId, cityProject],
      )
    ).id,
  );
  const countyAdmin = (await one<{ id: number }>(`SELECT id FROM users WHERE username = 'county.admin'`)).id;
  requestId = (
    await one<{ id: number }>(
      `INSERT INTO ledger_correction_requests (entry_id, teacher_id, owner_org_id, requested_by, requested_org_id, reason)
       VALUES ($1, $2, $3, $4, $5, '该教师实际未参加') RETURNING id`,
      [entryId, teacherId, city.id, countyAdmin, county.id],
    )
  ).id;
  // A certificate revoked by a correction.
  certId = (
    await one<{ id: number }>(
      `INSERT INTO certificates (cert_no, project_id, teacher_id, hours, issuer_org_id, issued_at, revoked_at, revoked_reason)
       VALUES ('ZS2025E2E001', $1, $2, 16, $3, '2025-04-01', '2026-11-20 10:00+08', '学时已冲销：考勤记录有误') RETURNING id`,
      [cityProject, teacherId, city.id],
    )
  ).id;
});
afterAll(async () => e?.close());

describe('domain integrity in the browser', () => {
  it('the city approves a county’s correction request on 学时更正申请; the list follows', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /学时更正申请/ }).click();
    await page.waitForURL(/\/hours\/corrections/);
    const row = page.locator('.ant-table-row', { hasText: '该教师实际未参加' });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.innerText()).toContain('待审核');
    await shot(page, 'domainsec-01-correction-requests');
    await page.getByTestId(`correction-approve-${requestId}`).click();
    // (antd spaces out a two-character button label: 同 意)
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^同\s?意$/ })
      .click();
    // Decided: it leaves the 待审核 list (the query is invalidated), and shows under 已同意.
    await expect.poll(async () => row.count(), { timeout: 60_000 }).toBe(0);
    await page.getByText('已同意', { exact: true }).first().click();
    await page.locator('.ant-table-row', { hasText: '该教师实际未参加' }).getByText('已同意').waitFor({ timeout: 60_000 });
    expect((await e.ctx.db.query('SELECT 1 FROM ledger_entries WHERE reverses_id = $1', [entryId])).rows).toHaveLength(1);
    await context.close();
  });

  it('the public page of a revoked certificate says 已撤销 with the date', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    await page.goto(`/verify/${verificationCode(e.ctx, certId)}`);
    const details = page.getByTestId('verify-revoked');
    await details.waitFor({ timeout: 60_000 });
    await page.getByText('证书已撤销').waitFor();
    expect(await details.innerText()).toContain('2026-11-20');
    expect(await details.innerText()).toContain('已撤销');
    await shot(page, 'domainsec-02-certificate-revoked');
    await context.close();
  });

  it('a teacher sees 请假 instead of 撤销报名 on an enrolment the bureau assigned', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    await uiLogin(page, 'teacher', DEMO_PASSWORD);
    await page.goto('/my/enrol');
    const card = page.getByTestId(`enrollable-${projectId}`);
    await card.waitFor({ timeout: 60_000 });
    await card.getByTestId(`assigned-${projectId}`).getByRole('button', { name: '请假' }).waitFor();
    expect(await card.getByRole('button', { name: '撤销报名' }).count()).toBe(0);
    await shot(page, 'domainsec-03-assigned-enrolment');
    await context.close();
  });

  it('the organiser’s survey page says how many answers wait for the next release', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    await page.goto(`/projects/${projectId}/evaluation`);
    await page.getByRole('tab', { name: '学员匿名评价' }).click();
    await page.getByTestId('survey-waiting').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('survey-waiting').innerText()).toContain('另有 2 份答卷等待下一批发布');
    expect(await page.getByTestId('survey-waiting-count').innerText()).toBe('2');
    await shot(page, 'domainsec-04-survey-batches');
    await context.close();
  });
});
