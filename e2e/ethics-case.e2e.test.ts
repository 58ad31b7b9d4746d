import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { addDays } from '../server/src/modules/policies/policy.windows.js';
import { dialogCloses, newPage, orgOfUser, shot, startE2E, type E2E, uiLogin } from './support.js';
import { todayInChina } from '../server/src/platform/china-time.js';

// 案件办理 (issue 12 item 2) as users meet it: the county's 师德专干 accepts a report as a case, names the
// investigator, records the findings, decides 警告 with a 6-month term and tells the teacher; the teacher reads the
// decision on a phone (/my/ethics); after the appeal deadline the officer closes the case with the reporter's answer.

let e: E2E;
let reportId: number;
let teacher: { id: number; name: string; org_name: string };
const today = todayInChina();

const one = async <T>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<T>(sql, params)).rows[0];

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  const county = await orgOfUser(e.ctx.db, 'ethics.officer');
  teacher = await one(
    `SELECT t.id, t.name, o.name AS org_name FROM users u JOIN teachers t ON t.id = u.teacher_id JOIN orgs o ON o.id = t.org_id WHERE u.username = 'teacher'`,
  );
  // A report as the public page would leave it (the intake module's route writes the same row).
  reportId = (
    await one<{ id: number }>(
      `INSERT INTO ethics_reports (tracking_code, secret_hash, secret_expires_at, channel, handling_org_id, category, content_enc, anonymous, respond_by, conclude_by)
       VALUES ('E2E-CASE-1', 'x', now() + interval '90 days', 'web', $1, 'tutoring', $2, true, $3, $4) RETURNING id`,
      [county.id, e.ctx.pii.encrypt('该教师组织学生有偿补课'), addDays(today, 5), addDays(today, 30)],
    )
  ).id;
});
afterAll(async () => e?.close());

describe('师德案件 in the browser', () => {
  it('the officer handles a report to a 警告 of 6 months; the teacher reads it on a phone; the case closes with the answer', async () => {
    let caseId: number;
    {
      const { context, page } = await newPage(e);
      await uiLogin(page, 'ethics.officer', DEMO_PASSWORD);
      await page.getByRole('menuitem', { name: /案件办理/ }).click();
      await page.waitForURL(/\/ethics\/cases/);
      // 受理 from the report (the report page links here with ?acceptReport=).
      await page.goto(`/ethics/cases?acceptReport=${reportId}`);
      const accept = page.locator('.ant-modal', { hasText: '受理举报并立案' });
      await accept.waitFor({ timeout: 60_000 });
      await accept.getByTestId('accept-teacher').click();
      await page.keyboard.type(teacher.name);
      await page
        .locator('.ant-select-item-option', { hasText: `${teacher.name} · ${teacher.org_name}` })
        .first()
        .click({ timeout: 60_000 });
      await page.getByTestId('accept-submit').click();
      await page.waitForURL(/\/ethics\/cases\/\d+$/, { timeout: 60_000 });
      caseId = Number(new URL(page.url()).pathname.split('/').pop());
      await expect.poll(async () => page.getByTestId('case-stage').innerText(), { timeout: 60_000 }).toBe('已受理');
      // Only the legal step is offered.
      expect(await page.getByTestId('case-decide').count()).toBe(0);
      await page.getByTestId('case-investigate').click();
      const inv = page.locator('.ant-modal', { hasText: '开始调查' });
      await inv.getByTestId('investigator').click();
      await page.locator('.ant-select-item-option', { hasText: '孙立新' }).first().click({ timeout: 60_000 });
      await page.getByTestId('step-submit').click();
      await dialogCloses(inv);
      await expect.poll(async () => page.getByTestId('case-stage').innerText(), { timeout: 60_000 }).toBe('调查中');
      await page.getByTestId('case-findings').click();
      const findings = page.locator('.ant-modal', { hasText: '调查结论' });
      await findings.getByTestId('findings-text').fill('经调查，该教师在校外组织有偿补课属实。');
      await page.getByTestId('step-submit').click();
      await dialogCloses(findings);
      await page.getByTestId('case-decide').click({ timeout: 60_000 });
      const decide = page.locator('.ant-modal', { hasText: '处理决定' });
      await decide.getByTestId('decide-outcome').click();
      await page.locator('.ant-select-item-option', { hasText: /^警告$/ }).click();
      // 警告 needs a term: submitting without one shows the server's field message.
      await decide.getByTestId('decide-reason').fill('违反《新时代中小学教师职业行为十项准则》第十条');
      await page.getByTestId('step-submit').click();
      await expect.poll(async () => decide.innerText(), { timeout: 60_000 }).toContain('该处分须填写处分期');
      await decide.getByTestId('decide-months').fill('6');
      await decide.getByTestId('decide-no').fill('县教师德〔2026〕3号');
      await shot(page, 'ethics-case-01-decide');
      await page.getByTestId('step-submit').click();
      await dialogCloses(decide);
      await expect.poll(async () => page.getByTestId('case-outcome').innerText(), { timeout: 60_000 }).toBe('警告');
      await page.getByTestId('case-notify').click();
      const notify = page.locator('.ant-modal', { hasText: '告知教师' });
      await page.getByTestId('step-submit').click();
      await dialogCloses(notify);
      await expect.poll(async () => page.getByTestId('case-stage').innerText(), { timeout: 60_000 }).toBe('已告知');
      expect(await page.getByTestId('case-timeline').innerText()).toContain('处理决定');
      await shot(page, 'ethics-case-02-notified');
      await context.close();
    }
    const s = await one<{ kind: string; valid_from: string; valid_until: string }>(
      'SELECT kind, valid_from::text, valid_until::text FROM ethics_sanctions WHERE case_id = $1',
      [caseId],
    );
    expect(s.kind).toBe('warning');
    expect(s.valid_from).toBe(today);
    {
      const { context, page } = await newPage(e, { width: 390, height: 844 });
      await uiLogin(page, 'teacher', DEMO_PASSWORD);
      await page.goto('/my/ethics');
      const card = page.getByTestId(`my-case-${caseId}`);
      await card.waitFor({ timeout: 60_000 });
      expect(await card.getByTestId('my-case-outcome').innerText()).toBe('警告');
      const text = await card.innerText();
      expect(text).toContain(`${s.valid_from} 起至 ${s.valid_until}`);
      expect(text).toContain('违反《新时代中小学教师职业行为十项准则》第十条');
      expect(text).not.toContain('有偿补课属实'); // the findings stay with the office
      expect(await card.getByTestId('appeal-open').count()).toBe(1);
      await shot(page, 'ethics-case-03-teacher-phone');
      await context.close();
    }
    // The appeal period ends without an appeal (moved here instead of waiting 15 days).
    await e.ctx.db.query('UPDATE ethics_cases SET appeal_by = $2 WHERE id = $1', [caseId, addDays(today, -1)]);
    {
      const { context, page } = await newPage(e);
      await uiLogin(page, 'ethics.officer', DEMO_PASSWORD);
      await page.goto(`/ethics/cases/${caseId}`);
      await page.getByTestId('case-close').click({ timeout: 60_000 });
      const close = page.locator('.ant-modal', { hasText: '答复举报人' });
      await close.getByTestId('close-answer').fill('经调查，反映的问题属实，已依规处理。');
      await page.getByTestId('step-submit').click();
      await dialogCloses(close);
      await expect.poll(async () => page.getByTestId('case-stage').innerText(), { timeout: 60_000 }).toBe('已办结');
      await context.close();
    }
    const r = await one<{ status: string; answer: string }>('SELECT status, answer FROM ethics_reports WHERE id = $1', [reportId]);
    expect(r).toEqual({ status: 'closed', answer: '经调查，反映的问题属实，已依规处理。' });
  }, 300_000);
});
