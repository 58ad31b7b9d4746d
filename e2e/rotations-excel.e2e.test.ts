import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { todayInChina } from '../server/src/platform/china-time.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 交流轮岗 Excel import in the browser: the county uploads a file with one bad row and sees the row and column named
// (nothing written), then the corrected file imports and the record is listed.

let e: E2E;
const today = todayInChina();

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
});
afterAll(async () => e?.close());

async function sheet(rows: unknown[][]) {
  const b = new ExcelJS.Workbook();
  const ws = b.addWorksheet('交流轮岗记录');
  ws.addRow(['身份证号', '原学校', '交流学校', '类型', '开始日期', '结束日期', '是否乡村', '备注']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await b.xlsx.writeBuffer());
}

describe('交流轮岗 Excel import', () => {
  it('a bad row is named and nothing written; the corrected file imports', async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    const county = await orgOfUser(e.ctx.db, 'county.admin');
    const other = (
      await e.ctx.db.query<{ name: string }>(`SELECT name FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' AND id <> $2 ORDER BY id LIMIT 1`, [
        county.path,
        school.id,
      ])
    ).rows[0];
    const t = (
      await e.ctx.db.query<{ id: number; name: string; national_id_enc: string }>(
        `SELECT t.id, t.name, t.national_id_enc FROM teachers t WHERE t.org_id = $1 AND t.status = 'active'
            AND (SELECT count(*) FROM teachers x WHERE x.name = t.name) = 1
            AND NOT EXISTS (SELECT 1 FROM rotation_records r WHERE r.teacher_id = t.id) ORDER BY t.id LIMIT 1`,
        [school.id],
      )
    ).rows[0];
    const nationalId = e.ctx.pii.decrypt(t.national_id_enc);
    const { page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /交流轮岗/ }).click();
    await page.getByRole('tab', { name: '交流记录' }).click();
    const input = page.locator('input[type=file]');
    await input.setInputFiles({
      name: '交流.xlsx',
      mimeType: 'application/octet-stream',
      buffer: await sheet([[nationalId, school.name, other.name, '借调', today, '', '', '']]),
    });
    const errors = page.getByTestId('rotation-import-errors');
    await errors.waitFor({ timeout: 60_000 });
    expect(await errors.innerText()).toContain('第 2 行「类型」');
    await shot(page, 'rotations-excel-01-errors');
    expect((await e.ctx.db.query('SELECT 1 FROM rotation_records WHERE teacher_id = $1', [t.id])).rows).toHaveLength(0);

    await input.setInputFiles({
      name: '交流2.xlsx',
      mimeType: 'application/octet-stream',
      buffer: await sheet([[nationalId, school.name, other.name, '支教', today, '', '', '']]),
    });
    await page.getByRole('row', { name: new RegExp(t.name) }).waitFor({ timeout: 60_000 });
    expect((await e.ctx.db.query<{ kind: string }>('SELECT kind FROM rotation_records WHERE teacher_id = $1', [t.id])).rows).toEqual([
      { kind: 'supportTeaching' },
    ]);
    await shot(page, 'rotations-excel-02-imported');
  });
});
