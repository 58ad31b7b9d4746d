import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
let teacherId: number;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  teacherId = (await e.ctx.db.query<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).rows[0].teacher_id;
});
afterAll(async () => e?.close());

const PHONE = { width: 390, height: 844 };
const noSideScroll = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('what users expect (issue 11 item 9), in the browser', () => {
  it('on a phone, a teacher opens a project from 报名, reads it and enrols from there', async () => {
    const q = e.ctx.db;
    const county = (await orgOfUser(q, 'county.admin')).id;
    const p = (
      await q.query<{ id: number }>(
        `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, capacity, budget,
                               plan, self_enrol, aims, enrol_deadline)
         VALUES ($1, 'E2E-BRIEF', '浏览器测试：数字化课堂自主选学', 'county', 'inPerson', '{ethics,it}', 8, '2099-03-01', '2099-03-31', 'open', 40, 0,
                 '[{"title":"师德专题","hours":2,"category":"ethics"},{"title":"数字化课堂设计","hours":6,"category":"it"}]', true,
                 '掌握数字化教学工具，能独立设计一节混合式课堂。', '2099-02-20') RETURNING id`,
        [county],
      )
    ).rows[0].id;
    await q.query(
      `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
       VALUES ($1, '第一讲 数字化课堂', '2099-03-10', '09:00', '11:30', '教师进修学校 301 室', 2.5, 'it')`,
      [p],
    );

    const t = await newPage(e, PHONE);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    await t.page.goto('/my/enrol');
    await t.page.getByTestId(`detail-${p}`).click();
    await t.page.waitForURL(`**/my/enrol/${p}`);
    const brief = t.page.getByTestId('project-brief');
    await expect.poll(() => brief.getByText('掌握数字化教学工具，能独立设计一节混合式课堂。').count(), { timeout: 30_000 }).toBe(1);
    const text = (await brief.textContent()) ?? '';
    for (const s of ['教师进修学校 301 室', '2099-02-20', '8 学时', '数字化课堂设计', '第一讲 数字化课堂', '40 / 40'])
      expect(text, `the page shows ${s}`).toContain(s);
    expect(await noSideScroll(t.page)).toBe(true);
    await shot(t.page, 'extras-01-project-brief-phone');

    await t.page.getByTestId('brief-apply').click();
    await expect.poll(() => brief.getByText('待审核', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => t.page.getByRole('button', { name: '撤销报名' }).count()).toBe(1);
    const status = await q.query<{ status: string }>('SELECT status FROM enrolments WHERE project_id = $1 AND teacher_id = $2', [p, teacherId]);
    expect(status.rows[0].status).toBe('pending');
    await shot(t.page, 'extras-02-project-brief-applied');
    await t.context.close();
  });

  it('a teacher downloads the 学时证明 of a 5-year cycle; its QR page verifies the same total on a phone', async () => {
    const q = e.ctx.db;
    const want = Number(
      (
        await q.query<{ h: number }>(
          `SELECT COALESCE(sum(hours), 0) AS h FROM ledger_entries WHERE teacher_id = $1 AND occurred_on >= '2021-01-01' AND occurred_on < '2026-01-01'`,
          [teacherId],
        )
      ).rows[0].h,
    );
    const t = await newPage(e);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    await t.page.goto('/my/hours');
    const box = t.page.getByTestId('statement');
    await box.getByRole('combobox').click();
    await t.page.getByTitle('2021—2025年（五年周期）').click();
    const download = t.page.waitForEvent('download');
    await box.getByTestId('statement-download').click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/^学时证明-.+-2021-2025年\.pdf$/);
    const pdf = readFileSync(await d.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await shot(t.page, 'extras-03-my-hours-statement');
    await t.context.close();

    const url = /\/URI \((http[^)]*)\)/.exec(pdf.toString('latin1'))?.[1] ?? '';
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/verify\/hours\//);
    const phone = await newPage(e, PHONE);
    await phone.page.goto(path);
    await expect.poll(() => phone.page.getByText('学时证明有效', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    expect(Number(await phone.page.getByTestId('verify-total').textContent())).toBe(Math.round(want * 10) / 10);
    const details = (await phone.page.getByTestId('verify-hours').textContent()) ?? '';
    expect(details).toContain('2021—2025年');
    expect(details).toContain('*');
    expect(await noSideScroll(phone.page)).toBe(true);
    await shot(phone.page, 'extras-04-verify-statement-phone');
    await phone.page.goto('/verify/hours/forged.code');
    await expect.poll(() => phone.page.getByText('学时证明无效', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await phone.context.close();
  });

  it('anyone looks a certificate up by number and name on /verify', async () => {
    const q = e.ctx.db;
    const county = (await orgOfUser(q, 'county.admin')).id;
    const p = (
      await q.query<{ id: number }>(
        `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
         VALUES ($1, 'E2E-LOOKUP', '浏览器测试：证书查询项目', 'county', 'inPerson', '{ethics}', 4, '2025-05-01', '2025-05-31', 'closed') RETURNING id`,
        [county],
      )
    ).rows[0].id;
    const c = (
      await q.query<{ cert_no: string; name: string }>(
        `INSERT INTO certificates (cert_no, project_id, teacher_id, hours, issuer_org_id) VALUES ('ZS2025990001', $1, $2, 4, $3)
         RETURNING cert_no, (SELECT name FROM teachers WHERE id = $2) AS name`,
        [p, teacherId, county],
      )
    ).rows[0];
    const phone = await newPage(e, PHONE);
    await phone.page.goto('/verify');
    await phone.page.getByLabel('证书编号').fill(c.cert_no);
    await phone.page.getByLabel('持证人姓名').fill('不是本人');
    await phone.page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => phone.page.getByText('未找到与该证书编号和姓名相符的证书', { exact: false }).count(), { timeout: 30_000 }).toBe(1);
    await phone.page.getByLabel('持证人姓名').fill(c.name);
    await phone.page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => phone.page.getByText('证书有效', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    expect(await phone.page.getByTestId('verify-details').textContent()).toContain('浏览器测试：证书查询项目');
    await shot(phone.page, 'extras-05-verify-lookup-phone');
    await phone.context.close();
  });
});
