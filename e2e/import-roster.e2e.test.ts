import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { ARTIFACTS, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 20 });
});
afterAll(async () => e?.close());

async function roster(path: string, headers: string[], rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('教师');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  ws.getColumn(2).numFmt = '@';
  await wb.xlsx.writeFile(`${ARTIFACTS}/${path}`);
  return `${ARTIFACTS}/${path}`;
}

describe('roster import in the browser', () => {
  it('shows the column mapping and the cell of each error, and renames only the rows confirmed one by one', async () => {
    const school = (await orgOfUser(e.ctx.db, 'school.admin')).name;
    const id1 = makeNationalId('150102', '1985-01-02', 821, 'male');
    const id2 = makeNationalId('150102', '1986-03-04', 822, 'female');
    const first = await roster(
      'roster-1.xlsx',
      ['姓名', '身份证号', '学校', '学段'],
      [
        ['原名甲', id1, school, '小学'],
        ['原名乙', id2, school, '小学'],
      ],
    );
    const second = await roster(
      'roster-2.xlsx',
      ['姓名', '身份证件号码', '学校', '学段', '参加工作年月'],
      [
        ['新名甲', id1, school, '小学', '2015年9月'],
        ['新名乙', id2, school, '小学', '2016.9'],
        ['=1+1', makeNationalId('150102', '1987-05-06', 823, 'male'), school, '小学', ''],
      ],
    );

    const { context, page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.goto('/teachers/import');
    await page.locator('input[type=file]').setInputFiles(first);
    await page.getByTestId('commit-all').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: '继续导入' }).click();
    await page.locator('input[type=file]').setInputFiles(second);
    const mapping = page.getByTestId('import-mapping');
    await mapping.waitFor({ timeout: 60_000 });
    await expect.poll(() => mapping.innerText()).toMatch(/参加工作年月\s+入职日期/);
    await expect.poll(() => mapping.innerText()).toMatch(/身份证件号码\s+身份证号/);
    const errors = page.getByTestId('import-errors');
    await expect.poll(() => errors.innerText()).toContain('单元格 A4 以“=”开头，可能被当作公式执行');
    const conflicts = page.getByTestId('import-conflicts');
    await expect.poll(() => conflicts.innerText()).toContain('原名乙');
    await page.getByTestId('confirm-rename-3').click();
    await shot(page, 'import-roster-01-conflicts');

    await page.getByTestId('commit-valid').click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    await expect.poll(() => result.innerText()).toContain('更新 1 人');
    await shot(page, 'import-roster-02-result');

    const rows = await e.ctx.db.query<{ name: string; hire_date: string | null }>(
      `SELECT name, hire_date FROM teachers WHERE name IN ('原名甲','原名乙','新名甲','新名乙')`,
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { name: '原名甲', hire_date: null },
        { name: '新名乙', hire_date: '2016-09-01' },
      ]),
    );
    await context.close();
  });
});
