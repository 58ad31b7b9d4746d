/**
 * 实施情况报告 in the browser: the demo county bureau opens the page, the preview shows every section and the
 * chart, the 下一步措施 is edited, the PDF downloads and opens — its first page rendered to an image
 * (poppler's pdftoppm) is not blank — and carries the edited text; the workbook downloads; both audited.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { attachDemoPolicies } from '../server/src/modules/policies/policies.service.js';
import { ARTIFACTS, type E2E, newPage, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  // As the demo server does at start (server/src/main.ts): the seed plans attached to the demo orgs.
  await attachDemoPolicies(e.ctx.db);
});
afterAll(async () => e?.close());

/** Share of non-white pixels of a binary PGM (P5) image. */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a PGM image');
  const [all, w, h] = header;
  const pixels = pgm.subarray(all.length, all.length + Number(w) * Number(h));
  let ink = 0;
  for (const v of pixels) if (v < 200) ink++;
  return ink / pixels.length;
}

describe('实施情况报告 in the browser', () => {
  it('the demo bureau previews its report, edits 下一步措施 and downloads a PDF that opens (first page not blank) and the workbook', async () => {
    const { page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /实施情况报告/ }).click();
    await page.waitForURL('**/region-reports');
    const preview = page.getByTestId('report-preview');
    await preview.waitFor({ timeout: 120_000 });
    for (const h of ['一、总体情况', '二、各项指标完成情况', '三、存在问题', '四、下一步措施', '附表1 各下级单位未完成情况'])
      await expect.poll(() => preview.innerText(), { timeout: 60_000 }).toContain(h);
    await expect.poll(() => preview.innerText()).toMatch(/关于.+年度.+实施情况的报告/);
    await page.getByTestId('report-chart').locator('canvas').first().waitFor();
    const steps = page.getByLabel('下一步措施');
    await steps.fill('1. 浏览器测试：年底前完成全部校本研修学时补课。');
    await expect.poll(() => preview.innerText()).toContain('浏览器测试：年底前完成全部校本研修学时补课');
    await shot(page, 'region-report-01-preview');

    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: /下载 PDF/ }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/^实施情况报告_.+\.pdf$/);
    const dir = mkdtempSync(join(tmpdir(), 'qs-report-e2e-'));
    try {
      const file = join(dir, 'report.pdf');
      await pdf.saveAs(file);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      // The first page as a grey image: the red header, title and text leave a real share of ink.
      execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', '-gray', file, join(dir, 'p')]);
      const pgm = readFileSync(join(dir, 'p-1.pgm'));
      const share = inkShare(pgm);
      expect(share).toBeGreaterThan(0.01);
      execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '60', '-png', file, join(ARTIFACTS, 'region-report-02-pdf-page1')]);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      expect(text).toContain('浏览器测试：年底前完成全部校本研修学时补课');
      expect(text).toContain('四、下一步措施');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: /下载正文与附表/ }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^实施情况报告_.+\.xlsx$/);
    const audited = await e.ctx.db.query<{ format: string }>(
      `SELECT a.detail->>'format' AS format FROM audit_log a JOIN users u ON u.id = a.user_id
        WHERE a.action = 'regionReport.download' AND u.username = 'county.admin' ORDER BY a.id`,
    );
    expect(audited.rows.map((r) => r.format)).toEqual(['pdf', 'xlsx']);
  });
});
