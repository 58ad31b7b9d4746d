import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { ARTIFACTS, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 100 });
});
afterAll(async () => e?.close());

describe('teacher import, discarded in the browser', () => {
  it('a school admin previews a file, clicks 放弃 and confirms: the stored batch is deleted and nothing is imported', async () => {
    const school = (await orgOfUser(e.ctx.db, 'school.admin')).name;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('教师');
    ws.addRow(['姓名', '身份证号', '手机号', '学校', '学段', '任教学科']);
    ws.addRow(['放弃测试', makeNationalId('150102', '1992-07-08', 811, 'female'), '13900004444', school, '小学', '语文']);
    ws.getColumn(2).numFmt = '@';
    const path = `${ARTIFACTS}/teachers-to-discard.xlsx`;
    await wb.xlsx.writeFile(path);

    const { context, page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.goto('/teachers/import');
    await page.locator('input[type=file]').setInputFiles(path);
    const discard = page.getByTestId('discard-import');
    await discard.waitFor({ timeout: 60_000 });
    const batches = async () =>
      (await e.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_batches WHERE kind = 'teachers' AND status = 'previewed'`)).rows[0].n;
    expect(await batches()).toBe(1);
    await shot(page, 'import-discard-01-preview');

    await discard.click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '放弃' }).click();
    await page.getByText('已放弃本次导入').waitFor({ timeout: 30_000 });
    await expect.poll(batches).toBe(0);
    // Back at the upload step, nothing imported.
    await page.locator('input[type=file]').waitFor({ state: 'attached' });
    expect((await e.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teachers WHERE name = '放弃测试'`)).rows[0].n).toBe(0);
    await shot(page, 'import-discard-02-back-to-upload');
    await context.close();
  });
});
