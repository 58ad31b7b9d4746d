import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../../../test/uploads.js';
import { AppError } from './errors.js';
import { attachmentHeader, decodeText, inspectXlsxZip, neutraliseCell, parseCsv, plainCell, readSpreadsheet, readXlsxRows } from './excel.js';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, message: e.message };
    throw e;
  }
  return null;
};

async function workbook(rows: unknown[][], sheet = 'Sheet1'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('neutraliseCell', () => {
  it('prefixes formula-like text with a quote and leaves everything else alone', () => {
    expect(neutraliseCell('=HYPERLINK("http://evil.example","点我")')).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(neutraliseCell('+86 138')).toBe(`'+86 138`);
    expect(neutraliseCell('-1+2')).toBe(`'-1+2`);
    expect(neutraliseCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutraliseCell('\t=1')).toBe(`'\t=1`);
    expect(neutraliseCell('张三')).toBe('张三');
    expect(neutraliseCell('1501**********123X')).toBe('1501**********123X');
    expect(neutraliseCell(-5)).toBe(-5);
    expect(neutraliseCell(null)).toBe(null);
  });
});

describe('decodeText', () => {
  const text = '姓名,学校\n张三,甲区第一小学\n';
  it('reads GBK / GB18030 as Chinese Excel saves CSV', () => {
    expect(decodeText(iconv.encode(text, 'gbk'))).toBe(text);
    expect(decodeText(iconv.encode(text, 'gb18030'))).toBe(text);
  });
  it('reads UTF-8 with and without BOM, and UTF-16LE', () => {
    expect(decodeText(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, embedded newlines, CRLF and blank lines; keeps Excel row numbers', () => {
    const rows = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\r\n');
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['a', 'b'] },
      { rowNumber: 2, cells: ['x, y', 'say "hi"'] },
      { rowNumber: 4, cells: ['two\nlines', 'z'] },
    ]);
  });
  it('detects a tab delimiter', () => {
    expect(parseCsv('姓名\t学校\n张三\t一小')[1].cells).toEqual(['张三', '一小']);
  });
  it('refuses more rows than the limit with 413', () => {
    expect(() => parseCsv('a\n1\n2\n3\n', 2)).toThrowError(/超过 2 行/);
  });
});

describe('plainCell', () => {
  it('reduces rich text, formulas and hyperlinks to plain values', () => {
    expect(plainCell({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三');
    expect(plainCell({ formula: 'A1', result: 5 })).toBe(5);
    expect(plainCell({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(plainCell({ error: '#N/A' })).toBe(null);
    expect(plainCell(undefined)).toBe(null);
  });
});

describe('inspectXlsxZip', () => {
  it('accepts a real workbook', async () => {
    const r = inspectXlsxZip(await workbook([['a', 1]]));
    expect(r.entries).toBeGreaterThan(3);
  });
  it('refuses a file that is not a zip (400, Chinese message)', () => {
    expect(statusOf(() => inspectXlsxZip(Buffer.from('姓名,身份证号\n')))).toEqual({ status: 400, message: expect.stringContaining('不是有效的 Excel') });
  });
  it('recognises legacy .xls / password-protected files', () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    expect(statusOf(() => inspectXlsxZip(ole))).toEqual({ status: 400, message: expect.stringContaining('.xls') });
  });
  it('refuses a zip whose directory declares a huge inflated size (413) before inflating anything', () => {
    const bomb = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1000), declaredSize: 3_000_000_000 }]);
    expect(statusOf(() => inspectXlsxZip(bomb))).toEqual({ status: 413, message: expect.stringContaining('解压后超过') });
  });
  it('refuses a zip that inflates to more than it declares (the disguised bomb) with 413', () => {
    const liar = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(5_000_000), declaredSize: 100 }]);
    expect(liar.length).toBeLessThan(10_000);
    expect(statusOf(() => inspectXlsxZip(liar))).toEqual({ status: 413, message: expect.stringContaining('压缩炸弹') });
  });
  it('caps the real inflated total', () => {
    const big = buildZip([
      { name: 'a.xml', data: Buffer.alloc(2_000_000) },
      { name: 'b.xml', data: Buffer.alloc(2_000_000) },
    ]);
    expect(statusOf(() => inspectXlsxZip(big, { maxUncompressedBytes: 3_000_000 }))?.status).toBe(413);
    expect(statusOf(() => inspectXlsxZip(big, { maxUncompressedBytes: 5_000_000 }))).toBe(null);
  });
  it('refuses bytes smuggled between entries (a streaming reader would see an entry the directory hides)', () => {
    const a = buildZip([{ name: 'a.xml', data: Buffer.from('<a/>') }]);
    // Insert a hidden deflated blob right after the first entry and shift the directory accordingly.
    const firstEnd = 30 + 5 + deflateRawSync(Buffer.from('<a/>')).length;
    const hidden = Buffer.from('PK\u0003\u0004hidden-entry');
    const cdOffset = a.readUInt32LE(a.length - 6);
    const patched = Buffer.concat([a.subarray(0, firstEnd), hidden, a.subarray(firstEnd)]);
    patched.writeUInt32LE(cdOffset + hidden.length, patched.length - 6);
    expect(statusOf(() => inspectXlsxZip(patched))?.status).toBe(400);
  });
  it('refuses truncated or garbage zips with 400', async () => {
    const good = await workbook([['a']]);
    expect(statusOf(() => inspectXlsxZip(good.subarray(0, good.length - 30)))?.status).toBe(400);
    expect(statusOf(() => inspectXlsxZip(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)])))?.status).toBe(400);
  });
});

describe('readXlsxRows / readSpreadsheet', () => {
  it('reads the first sheet not skipped, with Excel row numbers, numbers as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填写说明').addRow(['说明']);
    const ws = wb.addWorksheet('数据');
    ws.addRow(['姓名', '身份证号']);
    ws.addRow([]);
    ws.addRow(['张三', 150102198001011234]);
    const rows = await readXlsxRows(Buffer.from(await wb.xlsx.writeBuffer()), { skipSheets: ['填写说明'] });
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 3]);
    expect(rows[1].cells).toEqual(['张三', 150102198001011234]);
  });
  it('reads a workbook whose shared strings come after the sheets without spooling to temp files', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const ws = wb.addWorksheet('教师信息');
    ws.addRow(['姓名', '学校']).commit();
    for (let i = 0; i < 50; i++) ws.addRow([`教师${i}`, '甲区第一小学']).commit();
    ws.commit();
    await wb.commit();
    const buf = Buffer.concat(chunks);
    const names = (b: Buffer) => {
      const out: string[] = [];
      for (let p = 0; p + 30 < b.length && b.readUInt32LE(p) === 0x04034b50; ) {
        const n = b.readUInt16LE(p + 26);
        out.push(b.toString('utf8', p + 30, p + 30 + n));
        const flags = b.readUInt16LE(p + 6);
        if (flags & 8) break; // sizes only in the descriptor; enough for the order of the first entries
        p += 30 + n + b.readUInt16LE(p + 28) + b.readUInt32LE(p + 18);
      }
      return out;
    };
    const reordered = inspectXlsxZip(buf).reordered();
    expect(inspectXlsxZip(reordered).entries).toBe(inspectXlsxZip(buf).entries);
    const order = names(reordered);
    if (order.includes('xl/worksheets/sheet1.xml')) expect(order.indexOf('xl/sharedStrings.xml')).toBeLessThan(order.indexOf('xl/worksheets/sheet1.xml'));
    expect(order[0]).toBe('[Content_Types].xml');
    const tmpFiles = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`)).length;
    const before = tmpFiles();
    const rows = await readXlsxRows(buf);
    expect(rows).toHaveLength(51);
    expect(rows[50].cells).toEqual(['教师49', '甲区第一小学']);
    expect(tmpFiles()).toBe(before);
  });

  it('refuses too many rows with 413', async () => {
    const buf = await workbook([['h'], [1], [2], [3], [4]]);
    await expect(readXlsxRows(buf, { maxRows: 2 })).rejects.toMatchObject({ status: 413 });
  });
  it('a zip without a workbook (e.g. a .docx renamed) is a 400', async () => {
    const docx = buildZip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    await expect(readSpreadsheet(docx, 'x.xlsx')).rejects.toMatchObject({ status: 400 });
  });
  it('other file types are 415', async () => {
    await expect(readSpreadsheet(Buffer.from('%PDF-1.4'), 'a.pdf')).rejects.toMatchObject({ status: 415 });
  });
});

describe('attachmentHeader', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentHeader('教师名单.xlsx')).toBe(`attachment; filename="____.xlsx"; filename*=UTF-8''%E6%95%99%E5%B8%88%E5%90%8D%E5%8D%95.xlsx`);
  });
});
