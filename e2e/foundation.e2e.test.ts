import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { ARTIFACTS, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
});
afterAll(async () => e?.close());

/** A small teacher file as a bureau clerk would fill the template: two good rows, one bad check digit. */
async function teacherFile(schoolName: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('教师');
  ws.addRow(['姓名', '身份证号', '手机号', '学校', '学段', '任教学科']);
  const good1 = makeNationalId('150102', '1990-03-04', 801, 'female');
  const good2 = makeNationalId('150102', '1991-05-06', 803, 'male');
  const bad = `${good1.slice(0, 17)}${good1[17] === '0' ? '1' : '0'}`;
  ws.addRow(['陈晓雨', good1, '13900001111', schoolName, '小学', '语文']);
  ws.addRow(['刘建国', good2, '13900002222', schoolName, '小学', '数学']);
  ws.addRow(['错号码', bad, '13900003333', schoolName, '小学', '英语']);
  ws.getColumn(2).numFmt = '@';
  const path = `${ARTIFACTS}/teachers-with-one-bad-row.xlsx`;
  await wb.xlsx.writeFile(path);
  return path;
}

describe('foundation, in the browser', () => {
  it('a school admin logs in, sees the teacher list, imports a file and sees the bad row', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await shot(page, '01-home-school-admin');

    await page.getByRole('menuitem', { name: /教师管理/ }).click();
    await page.waitForURL(/\/teachers/);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    // Masked IDs only: 4 digits, stars, 4 characters.
    await expect.poll(async () => (await page.locator('.ant-table-tbody').innerText()).match(/\d{4}\*{10}[\dX]{4}/) !== null).toBe(true);
    await shot(page, '02-teacher-list');

    const school = (await orgOfUser(e.ctx.db, 'school.admin')).name;
    await page.goto('/teachers/import');
    await page.locator('input[type=file]').setInputFiles(await teacherFile(school));
    const errors = page.getByTestId('import-errors');
    await errors.waitFor({ timeout: 60_000 });
    await expect.poll(() => errors.innerText()).toContain('身份证号校验位错误');
    await expect.poll(() => errors.innerText()).toMatch(/第\s*4\s*行|^4$|\b4\b/m);
    await expect(page.getByTestId('commit-all').isDisabled()).resolves.toBe(true);
    await shot(page, '03-import-preview-with-error');

    await page.getByTestId('commit-valid').click();
    await page
      .getByText(/导入完成|导入成功/)
      .first()
      .waitFor({ timeout: 60_000 });
    await shot(page, '04-import-done');
    const n = await e.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teachers WHERE name IN ('陈晓雨','刘建国','错号码')`);
    expect(n.rows[0].n).toBe(2);
    await context.close();
  });

  it('a teacher checks in on a phone by the rotating QR link, once', async () => {
    // The organiser side through the API: a session of a project the demo teacher is enrolled in, not yet attended; open check-in.
    const org = await newPage(e);
    await uiLogin(org.page, 'city.admin', DEMO_PASSWORD);
    const s = (
      await e.ctx.db.query<{ session_id: number; project_id: number }>(
        `SELECT s.id AS session_id, p.id AS project_id FROM project_sessions s JOIN projects p ON p.id = s.project_id
           JOIN enrolments e ON e.project_id = p.id JOIN users u ON u.teacher_id = e.teacher_id AND u.username = 'teacher'
          WHERE p.status IN ('open','running') AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.teacher_id = e.teacher_id)
          ORDER BY s.date, s.id LIMIT 1`,
      )
    ).rows[0];
    expect(s, 'demo data has an open project with a session').toBeTruthy();
    const teacherId = (await e.ctx.db.query<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).rows[0].teacher_id;
    await org.page.request.post(`/api/projects/${s.project_id}/enrolments`, { data: { teacherIds: [teacherId] } });
    expect((await org.page.request.post(`/api/sessions/${s.session_id}/checkin/open`)).ok()).toBe(true);
    await org.page.goto(`/sessions/${s.session_id}/qr`);
    await org.page.getByTestId('qr-image').waitFor({ timeout: 60_000 });
    await shot(org.page, '05-organiser-qr');
    const token = (await (await org.page.request.get(`/api/sessions/${s.session_id}/checkin/token`)).json()) as { checkinUrl: string };

    const phone = await newPage(e, { width: 375, height: 812 });
    await phone.page.goto(token.checkinUrl);
    await phone.page.getByPlaceholder('用户名').fill('teacher');
    await phone.page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
    await phone.page.getByRole('button', { name: /登录/ }).click();
    await phone.page.getByText('签到成功').waitFor({ timeout: 60_000 });
    await shot(phone.page, '06-phone-checkin-ok');
    // The same QR again: refused with a clear message, and still exactly one attendance row.
    await phone.page.goto(token.checkinUrl);
    await phone.page
      .getByText(/已签到/)
      .first()
      .waitFor({ timeout: 60_000 });
    await shot(phone.page, '07-phone-checkin-duplicate');
    const rows = await e.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance WHERE session_id = $1 AND teacher_id = $2', [
      s.session_id,
      teacherId,
    ]);
    expect(rows.rows[0].n).toBe(1);
    await phone.context.close();
    await org.context.close();
  });
});
