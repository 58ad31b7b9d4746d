import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../platform/national-id.js';
import { readXlsxRows } from '../../platform/excel.js';
import { CHECK_COLUMNS, IMPORT_COLUMNS, normaliseHeader } from './teachers.import-columns.js';
import {
  CellError,
  columnLetter,
  formulaStart,
  genderOf,
  IMPORT_MESSAGES,
  implausibleHireDate,
  nationalIdText,
  parseDateCell,
  parseDateParts,
  phoneText,
} from './teachers.import-cells.js';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CellError);
    return (err as Error).message;
  }
  throw new Error('expected a CellError');
};

describe('import columns', () => {
  it('no header or alias of one column reads as another column', () => {
    const seen = new Map<string, string>();
    for (const c of [...IMPORT_COLUMNS, ...CHECK_COLUMNS])
      for (const h of [c.header, ...(c.aliases ?? [])]) {
        const n = normaliseHeader(h);
        expect(seen.get(n) ?? c.header, `“${h}” is claimed by ${seen.get(n)} and ${c.header}`).toBe(c.header);
        seen.set(n, c.header);
      }
  });
  it('ignores spaces, required markers and hints in headers', () => {
    expect(normaliseHeader(' 学校（名称或代码）* ')).toBe('学校');
    expect(normaliseHeader('身份证号(18位)')).toBe('身份证号');
    expect(normaliseHeader('姓　名')).toBe('姓名');
  });
  it('recognises the headers bureau rosters use', () => {
    const lookup = new Map<string, string>();
    for (const c of [...IMPORT_COLUMNS, ...CHECK_COLUMNS]) for (const h of [c.header, ...(c.aliases ?? [])]) lookup.set(normaliseHeader(h), c.header);
    expect(
      Object.fromEntries(
        ['参加工作年月', '入职年月', '身份证件号码', '证件号码', '联系电话', '手机号码', '任教学科', '现任职称', '出生年月', '性别'].map((h) => [
          h,
          lookup.get(h),
        ]),
      ),
    ).toEqual({
      参加工作年月: '入职日期',
      入职年月: '入职日期',
      身份证件号码: '身份证号',
      证件号码: '身份证号',
      联系电话: '手机号',
      手机号码: '手机号',
      任教学科: '任教学科',
      现任职称: '职称',
      出生年月: '出生日期',
      性别: '性别',
    });
  });
});

describe('身份证号 cells', () => {
  it('a number cell is refused, telling the user to format the column as 文本 and re-enter', () => {
    // 150102199001211234 typed into a General cell: Excel keeps 15 digits.
    expect(message(() => nationalIdText(150102199001211000))).toBe(
      '身份证号单元格是数字格式：Excel 只保留 15 位有效数字，末尾几位可能已变成 0。请把该列设为“文本”格式后重新输入身份证号',
    );
    expect(message(() => nationalIdText(1234))).toBe(IMPORT_MESSAGES.idNumberCell);
  });
  it('full-width digits, a full-width Ｘ, spaces and hyphens are normalised', () => {
    const first17 = '15010219900121123';
    const id = first17 + checkDigit(first17);
    const fullWidth = [...id].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    expect(nationalIdText(fullWidth)).toBe(id);
    expect(nationalIdText(` ${id.slice(0, 6)} ${id.slice(6, 14)}-${id.slice(14)} `)).toBe(id);
    expect(nationalIdText('15010219900121124ｘ')).toBe('15010219900121124X');
    expect(nationalIdText(null)).toBe('');
  });
});

describe('phones', () => {
  it('full-width digits, separators and +86 are normalised', () => {
    for (const v of [
      '13800138000',
      '138-0013-8000',
      '138 0013 8000',
      '+86 138 0013 8000',
      '+86-13800138000',
      '008613800138000',
      '8613800138000',
      '１３８００１３８０００',
      '(+86)13800138000',
      13800138000,
    ])
      expect(phoneText(v), String(v)).toBe('13800138000');
    expect(phoneText(null)).toBe('');
    expect(phoneText('  ')).toBe('');
  });
  it('anything else gets one clear message', () => {
    for (const v of ['0471-1234567', '1380013800', '23800138000', '138001380001', '=1+1', 1.38e15])
      expect(
        message(() => phoneText(v)),
        String(v),
      ).toBe('手机号应为 11 位手机号码，如 13800138000（可带 +86、空格或短横线）');
  });
});

describe('dates', () => {
  it('accepts the forms Chinese rosters use', () => {
    for (const v of [
      '2020-09-01',
      '2020/9/1',
      '2020.9.1',
      '2020年9月1日',
      '2020 年 9 月 1 日',
      '２０２０年９月１日',
      '20200901',
      '2020-09-01 00:00:00',
      new Date(Date.UTC(2020, 8, 1)),
    ])
      expect(parseDateParts(v), String(v)).toEqual({ date: '2020-09-01', precision: 'day' });
  });
  it('takes a year-month (参加工作年月) where the column allows it, as the first of the month', () => {
    for (const v of ['2019-09', '2019-9', '2019.9', '2019.09', '2019/9', '2019年9月', '2019年09月', '2019 年 9 月'])
      expect(parseDateParts(v, { yearMonth: true }), v).toEqual({ date: '2019-09-01', precision: 'month' });
    expect(message(() => parseDateParts('2019-09'))).toBe('“2019-09”缺少日，本列需填写完整日期，如 2020-09-01、2020/9/1、2020.9.1 或 2020年9月1日');
  });
  it('never guesses a bare number into a date', () => {
    expect(message(() => parseDateParts(2019.9, { yearMonth: true }))).toBe(
      '“2019.9”是数字，无法确定是哪一天（Excel 会把 2019.10 存成 2019.1），请把该列设为“文本”格式后填写，如 2019-09-01 或 2019-09、2019.9 或 2019年9月',
    );
    expect(message(() => parseDateParts(43709))).toBe(
      '“43709”是数字，无法确定是哪一天（Excel 会把 2019.10 存成 2019.1），请把该列设为“文本”格式后填写，如 2020-09-01、2020/9/1、2020.9.1 或 2020年9月1日',
    );
    expect(() => parseDateParts(20200901)).toThrowError(/是数字，无法确定是哪一天/);
  });
  it('rejects impossible dates with a Chinese message', () => {
    expect(message(() => parseDateParts('1990-02-30'))).toBe('日期无效：“1990-02-30”，请填写如 2020-09-01、2020/9/1、2020.9.1 或 2020年9月1日 的日期');
    expect(message(() => parseDateParts('2019-13', { yearMonth: true }))).toBe(
      '日期无效：“2019-13”，请填写如 2020-09-01 或 2019-09、2019.9 或 2019年9月 的日期',
    );
    for (const v of ['2020-13-01', '明年', '1850-01-01', '43709']) expect(() => parseDateParts(v), v).toThrowError(/日期无效/);
  });
  it('empty is null', () => {
    expect(parseDateParts(null)).toBe(null);
    expect(parseDateParts('  ')).toBe(null);
  });
  it('the 学时 import keeps its lenient reading (serial numbers)', () => {
    expect(parseDateCell(44075)).toBe('2020-09-01');
    expect(parseDateCell(20200901)).toBe('2020-09-01');
  });
});

describe('hire date plausibility', () => {
  const day = (date: string) => ({ date, precision: 'day' as const });
  it('is on or after the 16th birthday and not after today', () => {
    expect(implausibleHireDate(day('2006-03-15'), '1990-03-15', '2026-01-01')).toBe(null);
    expect(implausibleHireDate(day('2006-03-14'), '1990-03-15', '2026-01-01')).toBe('入职日期早于 16 周岁生日，请核对');
    expect(implausibleHireDate(day('2026-01-02'), '1990-03-15', '2026-01-01')).toBe('入职日期晚于今天，请核对');
    // A year-month is compared by month.
    expect(implausibleHireDate({ date: '2006-03-01', precision: 'month' }, '1990-03-15', '2026-01-01')).toBe(null);
    expect(implausibleHireDate({ date: '2006-02-01', precision: 'month' }, '1990-03-15', '2026-01-01')).toBe(IMPORT_MESSAGES.hireBefore16);
  });
});

describe('formula-looking text and gender', () => {
  it('names the leading character', () => {
    expect(formulaStart('=HYPERLINK("http://x","点我")')).toBe('=');
    expect(formulaStart('+张三')).toBe('+');
    expect(formulaStart('-1')).toBe('-');
    expect(formulaStart('@SUM(A1)')).toBe('@');
    expect(formulaStart('\t=1')).toBe('制表符');
    expect(formulaStart('张三')).toBe(null);
    expect(formulaStart(12)).toBe(null);
    expect(IMPORT_MESSAGES.formulaText('A5', '=')).toBe('单元格 A5 以“=”开头，可能被当作公式执行，已拒绝；请删除开头的“=”');
    expect(IMPORT_MESSAGES.formula('C7')).toBe('单元格 C7 是公式，请改为直接填写的内容（复制后“选择性粘贴 → 数值”）');
  });
  it('column letters', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
  it('reads 性别 as written', () => {
    expect(genderOf('男')).toBe('male');
    expect(genderOf('女性')).toBe('female');
    expect(message(() => genderOf('未知'))).toBe('“未知”无法识别，请填写“男”或“女”');
  });
});

describe('reading .xlsx cells by type', () => {
  it('keeps a number, a date cell, a year-month text and a formula apart', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('教师信息');
    ws.addRow(['身份证号', '入职日期', '参加工作年月', '姓名']);
    ws.addRow([150102199001211000, new Date(Date.UTC(2012, 8, 1)), '2019.9', { formula: 'CONCATENATE("张","三")', result: '张三' }]);
    ws.addRow(['150102199001211234', 2019.9, 2019.1, '李四']);
    const rows = await readXlsxRows(Buffer.from(await wb.xlsx.writeBuffer()), { dateCells: true });
    expect(rows[1]).toEqual({ rowNumber: 2, cells: [150102199001211000, new Date(Date.UTC(2012, 8, 1)), '2019.9', '张三'], formulas: [3] });
    expect(rows[2]).toEqual({ rowNumber: 3, cells: ['150102199001211234', 2019.9, 2019.1, '李四'] });
    // Without dateCells the date is a serial number (the default other importers rely on).
    expect((await readXlsxRows(Buffer.from(await wb.xlsx.writeBuffer())))[1].cells[1]).toBe(41153);
  });
});

describe('Chinese Excel date formats', () => {
  it('a cell with the built-in 年月日 format (id 31, no format code in the file) arrives as a date', async () => {
    const { buildZip } = await import('../../../../test/uploads.js');
    const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
    const file = buildZip([
      {
        name: '[Content_Types].xml',
        data: xml(
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        ),
      },
      {
        name: '_rels/.rels',
        data: xml(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
      },
      {
        name: 'xl/workbook.xml',
        data: xml(
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="教师" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: xml(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        ),
      },
      {
        name: 'xl/styles.xml',
        data: xml(
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="57" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
        ),
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: xml(
          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" s="1"><v>43709</v></c><c r="B1" s="2"><v>43709</v></c><c r="C1"><v>2019.9</v></c></row></sheetData></worksheet>',
        ),
      },
    ]);
    const rows = await readXlsxRows(file, { dateCells: true });
    expect(rows[0].cells).toEqual([new Date(Date.UTC(2019, 8, 1)), new Date(Date.UTC(2019, 8, 1)), 2019.9]);
  });
});
