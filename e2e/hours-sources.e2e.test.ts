import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { verificationCode } from '../server/src/modules/certificates/certificates.service.js';
import { writeXlsx } from '../server/src/platform/excel.js';
import { ARTIFACTS, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
let teacherId: number;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  teacherId = (await e.ctx.db.query<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).rows[0].teacher_id;
});
afterAll(async () => e?.close());

const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';

describe('other sources of hours, certificates and notifications, in the browser', () => {
  it('a teacher claims hours with evidence; the school and the county approve in batch; the teacher is notified', async () => {
    const evidence = `${ARTIFACTS}/结业证明.pdf`;
    writeFileSync(evidence, PDF);
    const t = await newPage(e);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    await t.page.getByRole('menuitem', { name: /学时申报/ }).click();
    await t.page.getByRole('button', { name: '新建申报' }).click();
    await t.page.getByPlaceholder('如：国家智慧教育平台暑期研修').fill('浏览器测试：暑期网络研修');
    await t.page.getByRole('combobox').first().click();
    await t.page.getByTitle('信息技术').click();
    await t.page.getByPlaceholder('学时').fill('6');
    await t.page.getByPlaceholder('培训日期').fill('2025-07-15');
    await t.page.keyboard.press('Enter');
    await t.page.locator('input[type=file]').setInputFiles(evidence);
    await t.page.getByRole('button', { name: '保存并提交' }).click();
    await expect.poll(() => t.page.getByTestId('claim-status').textContent(), { timeout: 30_000 }).toBe('待学校审核');
    await shot(t.page, 'claims-01-submitted');

    for (const who of ['school.admin', 'county.admin']) {
      const a = await newPage(e);
      await uiLogin(a.page, who, DEMO_PASSWORD);
      await a.page.getByRole('menuitem', { name: /申报审核/ }).click();
      const row = a.page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '浏览器测试：暑期网络研修' });
      await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
      await row.locator('input[type=checkbox]').check();
      await a.page.getByRole('button', { name: /批量通过/ }).click();
      // The county's approval writes hours: it lists what will be written and asks to confirm.
      if (who === 'county.admin') {
        await expect.poll(() => a.page.getByText('将写入学时：').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await a.page.getByRole('button', { name: '确认写入' }).click();
      }
      await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
      await shot(a.page, `claims-02-approved-by-${who}`);
      await a.context.close();
    }

    await t.page.goto('/notifications');
    await expect.poll(() => t.page.getByText('学时申报「浏览器测试：暑期网络研修」已认定 6 学时').count(), { timeout: 30_000 }).toBe(1);
    const badge = t.page.getByTestId('notification-bell').locator('xpath=..').locator('.ant-badge-count');
    await expect.poll(() => badge.count()).toBeGreaterThan(0);
    await shot(t.page, 'claims-03-teacher-inbox');
    await t.page.getByRole('button', { name: '全部标为已读' }).click();
    await expect.poll(() => t.page.getByText('没有未读消息').count(), { timeout: 30_000 }).toBe(1);
    await t.context.close();
  });

  it('an admin imports a platform export with the mapping screen; a re-import adds nothing', async () => {
    const nid = (await e.ctx.db.query<{ national_id_enc: string; name: string }>('SELECT national_id_enc, name FROM teachers WHERE id = $1', [teacherId]))
      .rows[0];
    const file = `${ARTIFACTS}/智慧教育平台导出.xlsx`;
    writeFileSync(
      file,
      await writeXlsx([
        {
          name: '学习记录',
          columns: ['姓名', '身份证号', '课程名称', '学时', '完成时间', '培训类别'].map((h) => ({ header: h, text: true })),
          rows: [
            [nid.name, e.ctx.pii.decrypt(nid.national_id_enc), '人工智能赋能课堂', '3', '2025-07-20', '数字素养'],
            ['查无此人', '11010519491231002X', '人工智能赋能课堂', '3', '2025-07-20', '数字素养'],
          ],
        },
      ]),
    );
    const a = await newPage(e);
    await uiLogin(a.page, 'school.admin', DEMO_PASSWORD);
    await a.page.getByRole('menuitem', { name: /平台学时导入/ }).click();
    await a.page.locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => a.page.getByText('样例数据').count(), { timeout: 30_000 }).toBe(1);
    await a.page.getByRole('combobox', { name: '类别对应：数字素养' }).click();
    await a.page.getByTitle('信息技术').last().click();
    await a.page.getByRole('button', { name: '预检（不写入）' }).click();
    await expect.poll(() => a.page.getByText('这是预检结果，尚未写入学时档案').count(), { timeout: 30_000 }).toBe(1);
    await a.page.getByRole('button', { name: '开始导入' }).click();
    // What will be written, then confirmed.
    await expect.poll(() => a.page.getByTestId('import-confirm').textContent(), { timeout: 30_000 }).toContain('将写入学时：1 条，共 3 学时');
    await a.page.getByRole('button', { name: '确认写入' }).click();
    await expect.poll(() => a.page.getByText('导入结果').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const report = a.page.getByTestId('import-report');
    await expect.poll(() => report.getByText('未找到该身份证号对应的教师').count()).toBe(1);
    await shot(a.page, 'imports-01-report');
    const count = async () =>
      (
        await e.ctx.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ledger_entries WHERE source_type = 'import' AND teacher_id = $1 AND description LIKE '%人工智能赋能课堂'`,
          [teacherId],
        )
      ).rows[0].n;
    expect(await count()).toBe(1);
    // The same file again: the row is reported as already imported and nothing is added.
    await a.page.getByRole('button', { name: '开始导入' }).click();
    await expect.poll(() => a.page.getByTestId('import-confirm').textContent(), { timeout: 30_000 }).toContain('将写入学时：0 条');
    await a.page.getByRole('button', { name: '确认写入' }).click();
    await expect.poll(() => report.getByRole('tab', { name: '跳过（1）' }).count(), { timeout: 30_000 }).toBe(1);
    await report.getByRole('tab', { name: '跳过（1）' }).click();
    await expect.poll(() => report.getByText('已导入过：学时档案中已有这条记录').count(), { timeout: 30_000 }).toBe(1);
    await shot(a.page, 'imports-02-reimport-skipped');
    expect(await count()).toBe(1);
    await a.context.close();
  });

  it('a teacher downloads the certificate of a completed project; its QR page verifies it on a phone', async () => {
    const q = e.ctx.db;
    const county = (await orgOfUser(q, 'county.admin')).id;
    const p = (
      await q.query<{ id: number }>(
        `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
       VALUES ($1, 'E2E-CERT', '浏览器测试：师德专题培训', 'county', 'inPerson', '{ethics}', 4, '2025-05-01', '2025-05-31', 'closed') RETURNING id`,
        [county],
      )
    ).rows[0].id;
    await q.query(`INSERT INTO enrolments (project_id, teacher_id) VALUES ($1, $2)`, [p, teacherId]);
    const s = (
      await q.query<{ id: number }>(
        `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category) VALUES ($1, '师德讲座', '2025-05-10', '09:00', '13:00', '报告厅', 4, 'ethics') RETURNING id`,
        [p],
      )
    ).rows[0].id;
    await q.query(`INSERT INTO attendance (session_id, teacher_id, method) VALUES ($1, $2, 'qr')`, [s, teacherId]);
    await q.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, session_id, description, dedupe_key) VALUES ($1, 4, 'ethics', '2025-05-10', 'project', $2, $3, '师德讲座', $4)`,
      [teacherId, p, s, `project:${p}:session:${s}:teacher:${teacherId}`],
    );

    const t = await newPage(e);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    await t.page.getByRole('menuitem', { name: /我的证书/ }).click();
    const row = t.page.locator('.ant-table-tbody tr', { hasText: '浏览器测试：师德专题培训' });
    const download = t.page.waitForEvent('download');
    await row.getByRole('button', { name: '下载证书' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toContain('结业证书');
    await shot(t.page, 'certs-01-my-certificates');
    await t.context.close();

    const cert = (await q.query<{ id: number; cert_no: string }>('SELECT id, cert_no FROM certificates WHERE project_id = $1', [p])).rows[0];
    const phone = await newPage(e, { width: 390, height: 844 });
    await phone.page.goto(`/verify/${verificationCode(e.ctx, cert.id)}`);
    await expect.poll(() => phone.page.getByText('证书有效', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    const details = await phone.page.getByTestId('verify-details').textContent();
    expect(details).toContain('浏览器测试：师德专题培训');
    expect(details).toContain('4 学时');
    expect(details).toContain('*');
    await shot(phone.page, 'certs-02-verify-phone');
    await phone.page.goto('/verify/forged.code');
    await expect.poll(() => phone.page.getByText('证书无效', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await phone.context.close();
  });
});
