import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { craftedXlsx, hugeCellBomb, inlineCellRow } from '../../../test/bombs.js';
import { AppError } from './errors.js';
import { EXCEL_LIMITS, inspectXlsxZip, readSpreadsheet } from './excel.js';

/** Issue 9 item 15: decompression amplification. Every refusal comes from the zip inspection, before exceljs. */

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, message: e.message };
    throw e;
  }
  return null;
};

describe('inflation relative to the upload', () => {
  it('refuses the ~100 KB file with one 98 MB cell (declared honestly) before inflating it: 413, 压缩炸弹', () => {
    const bomb = hugeCellBomb();
    expect(bomb.length).toBeLessThan(200 * 1024);
    // The total (98 MB) is under the absolute 100 MB cap: only the ratio refuses it.
    expect(98 * 1024 * 1024).toBeLessThan(EXCEL_LIMITS.maxUncompressedBytes);
    const r = refusal(() => inspectXlsxZip(bomb));
    expect(r).toEqual({ status: 413, message: expect.stringContaining('疑似压缩炸弹') });
    expect(r?.message).toContain(`${EXCEL_LIMITS.maxInflationRatio} 倍`);
  });

  it('refuses the same bomb when its directory understates the size: the inflation stops at the declared size', () => {
    const r = refusal(() => inspectXlsxZip(hugeCellBomb(5000)));
    expect(r).toEqual({ status: 413, message: expect.stringContaining('压缩炸弹') });
  });

  it('refuses a high-ratio zip of another part too (20 MB of shared strings in a 20 KB file)', () => {
    const r = refusal(() => inspectXlsxZip(craftedXlsx('', { sharedStrings: Buffer.alloc(20 * 1024 * 1024, 0x20) })));
    expect(r?.status).toBe(413);
  });

  it('lets a small file inflate up to the floor, and a large one up to 100× its size', () => {
    // ~3 MB of cells that compress 1000×: within the 10 MB every file may inflate to.
    const rows = Array.from({ length: 3000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c>${' '.repeat(1000)}</row>`).join('');
    expect(refusal(() => inspectXlsxZip(craftedXlsx(rows)))).toBe(null);
  });
});

describe('one cell or shared string over Excel’s 32,767 characters', () => {
  it('refuses an inline cell of 40,000 characters with 400 naming the cell', () => {
    const r = refusal(() => inspectXlsxZip(craftedXlsx(inlineCellRow('B2', 'A'.repeat(40_000)))));
    expect(r).toEqual({ status: 400, message: expect.stringContaining('单元格 B2 内容超过 32767 个字符') });
  });

  it('refuses a shared string of 40,000 characters, also when split into rich-text runs', () => {
    const sst = (si: string) => `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${si}</sst>`;
    const plain = refusal(() =>
      inspectXlsxZip(craftedXlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', { sharedStrings: sst(`<si><t>${'字'.repeat(40_000)}</t></si>`) })),
    );
    expect(plain).toEqual({ status: 400, message: expect.stringContaining('一段文字超过 32767 个字符') });
    const runs = `<si>${'<r><rPr><b/></rPr><t>'.concat('A'.repeat(20_000), '</t></r>').repeat(2)}</si>`;
    expect(refusal(() => inspectXlsxZip(craftedXlsx('', { sharedStrings: sst(runs) })))?.status).toBe(400);
    // Many shared strings of a normal length are fine.
    expect(refusal(() => inspectXlsxZip(craftedXlsx('', { sharedStrings: sst(`<si><t>${'A'.repeat(30_000)}</t></si>`.repeat(20)) })))).toBe(null);
  });

  it('refuses text hidden in a CDATA section or a comment (an oversized tag)', () => {
    const cdata = inlineCellRow('C3', `<![CDATA[${'A'.repeat(100_000)}]]>`);
    expect(refusal(() => inspectXlsxZip(craftedXlsx(cdata)))).toEqual({ status: 400, message: expect.stringContaining('超长标记') });
    expect(refusal(() => inspectXlsxZip(craftedXlsx(`<!--${'x'.repeat(100_000)}-->`)))?.status).toBe(400);
  });

  it('reads a real workbook with a 32,767-character cell of Chinese text (through the worker)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['姓名', '备注']);
    ws.addRow(['张三', '师'.repeat(32_767)]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const rows = await readSpreadsheet(buf, 'a.xlsx');
    expect((rows[1].cells[1] as string).length).toBe(32_767);
  }, 30_000);

  it('refuses the huge cell through readSpreadsheet as well (the worker returns the AppError)', async () => {
    await expect(readSpreadsheet(craftedXlsx(inlineCellRow('D9', 'A'.repeat(33_000))), 'x.xlsx')).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('单元格 D9'),
    });
  });
});

describe('exceljs reads Chinese text split across chunks intact (platform/exceljs-utf8.ts)', () => {
  it('8,000 Chinese names: none gains a U+FFFD where a character straddled two inflated chunks', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    const names = Array.from({ length: 8000 }, (_, i) => `张三李四王五${i}教师`);
    for (const n of names) ws.addRow([n]);
    const rows = await readSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), 'names.xlsx');
    expect(rows.map((r) => r.cells[0])).toEqual(names);
  }, 30_000);
});
