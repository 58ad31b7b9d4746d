import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { attachDemoPolicies } from '../server/src/modules/policies/policies.service.js';
import { SPENDABLE_PROJECT_STATES } from '../server/src/modules/policies/policy.funds.js';
import { todayInChina } from '../server/src/platform/china-time.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 培训经费 (issue 14 item 6) as the school's finance clerk meets it: the demo school (school.admin) opens 培训经费,
// sees the 5 % rule's status from its entries, records a spending entry with a voucher PDF, sees the spent total and
// the rule move, downloads the voucher, reverses a wrong entry with a reason, and exports the 支出明细账 (.xlsx, the
// finance layout, with the 冲销 row). Then the 班主任津贴 tab shows last month's grid with the stage minimum.

let e: E2E;
let school: { id: number; name: string; path: string };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  // The plans in force, as `npm start` attaches them for the demo (000 at the city: 5 % of the 公用经费).
  await attachDemoPolicies(e.ctx.db);
  school = await orgOfUser(e.ctx.db, 'school.admin');
});
afterAll(async () => e?.close());

const spentOf = async (orgId: number, year: number) =>
  Number(
    (
      await e.ctx.db.query<{ s: string }>(
        `SELECT coalesce(sum(amount_fen), 0) AS s FROM fund_entries WHERE org_id = $1 AND entry_date >= make_date($2, 1, 1) AND entry_date < make_date($2 + 1, 1, 1)`,
        [orgId, year],
      )
    ).rows[0].s,
  ) / 100;

describe('培训经费 in the browser', () => {
  it('records an entry with a voucher, sees the 5 % rule, reverses an entry, exports the ledger', async () => {
    const projects = await e.ctx.db.query<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM projects p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE $1 || '%' AND p.status = ANY($2::text[]) ORDER BY p.id DESC LIMIT 1`,
      [school.path, SPENDABLE_PROJECT_STATES],
    );
    expect(projects.rows.length).toBe(1);
    const { page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.goto('/funds');
    await page.getByTestId('funds-page').waitFor();
    const year = Number((await page.getByTestId('funds-year').innerText()).replace(/\D/g, ''));
    const before = await spentOf(school.id, year);
    // The rule is there (the demo entered the 公用经费 base).
    const rule = page.getByTestId('funds-rule').first();
    await expect.poll(() => rule.innerText()).toContain('公用经费预算的 5%');
    // With its source text (which plans are in force depends on the year: 000 ends in 2025, 002 goes on).
    expect(await rule.innerText()).toMatch(/依据：《.+》§.+按照年度公用经费预算总额的5%安排/);
    await shot(page, 'funds-ledger');

    // A spending entry of 1,234.56 yuan with its voucher.
    await page.getByTestId('funds-add-entry').click();
    const dialog = page.getByRole('dialog', { name: '登记支出' });
    const date = dialog.getByLabel('日期', { exact: true });
    await date.click();
    await date.fill(todayInChina());
    await date.press('Enter');
    // The project by typing its name into the searchable list and taking the match.
    const project = dialog.getByLabel('培训项目', { exact: true });
    await project.click();
    await project.fill(projects.rows[0].name);
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title^="${projects.rows[0].name}（"]`).first().waitFor();
    await project.press('Enter');
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await dialog.getByTestId('funds-entry-category').click();
    await page.locator('.ant-select-dropdown:visible').getByText('专家劳务费', { exact: true }).click();
    await dialog.getByLabel('金额（元）').fill('1234.56');
    await dialog.getByLabel('凭证号').fill('记-E2E-01');
    await dialog.locator('input[type=file]').setInputFiles({ name: '专家劳务费凭证.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect
      .poll(() =>
        dialog
          .getByTestId('funds-entry-voucher-name')
          .innerText()
          .catch(() => ''),
      )
      .toBe('专家劳务费凭证.pdf');
    await dialog
      .getByRole('button', { name: '登 记' })
      .or(dialog.getByRole('button', { name: '登记' }))
      .click();
    await dialogCloses(dialog);
    const after = Math.round((before + 1234.56) * 100) / 100;
    await expect.poll(() => page.getByTestId('funds-spent').innerText()).toContain(after.toLocaleString('zh-CN', { minimumFractionDigits: 2 }));
    const row = page.getByTestId('funds-entries').locator('tr', { hasText: '记-E2E-01' });
    await row.waitFor();
    expect(await row.innerText()).toContain('专家劳务费');
    // The voucher downloads from the row.
    const [voucher] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: '查看' }).click()]);
    expect((await readFile((await voucher.path())!)).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, 'funds-entry-recorded');

    // 冲销 the entry with a reason: the total returns, the row is marked, nothing was deleted.
    await row
      .getByRole('button', { name: '冲销' })
      .or(row.getByRole('button', { name: '冲 销' }))
      .click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.getByTestId('funds-reverse-reason').fill('金额录错');
    await confirm
      .getByRole('button', { name: '冲销' })
      .or(confirm.getByRole('button', { name: '冲 销' }))
      .click();
    await expect.poll(() => page.getByTestId('funds-spent').innerText()).toContain(before.toLocaleString('zh-CN', { minimumFractionDigits: 2 }));
    await page.getByTestId('funds-entries').getByText('金额录错').waitFor();
    expect(await spentOf(school.id, year)).toBeCloseTo(before, 2);
    await shot(page, 'funds-reversed');

    // The finance export: the layout, the 冲销 row, and an audit line.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('funds-export').click()]);
    expect(download.suggestedFilename()).toContain('培训经费支出明细');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('支出明细')!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['日期', '凭证号', '项目', '科目', '金额（元）', '经办人', '备注']);
    const cells = (ws.getSheetValues() as unknown[][]).filter(Boolean);
    expect(cells.some((r) => r[5] === -1234.56 && String(r[7]).includes('金额录错'))).toBe(true);
    expect(wb.getWorksheet('按科目汇总')).toBeTruthy();
    expect((await e.ctx.db.query(`SELECT 1 FROM audit_log WHERE action = 'funds.export'`)).rows.length).toBeGreaterThan(0);
  });

  it('the 班主任津贴 tab shows last month’s 班主任 with the minimum by stage', async () => {
    const { page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.goto('/funds');
    await page.getByRole('tab', { name: '班主任津贴' }).click();
    const counts = page.getByTestId('allowance-counts');
    await counts.waitFor();
    expect(await counts.innerText()).toContain('小学 800 元/月');
    await page.getByTestId('allowance-grid').waitFor();
    await shot(page, 'funds-allowances');
  });
});
