import { describe, expect, it } from 'vitest';
import { makeNationalId } from '../../demo/national-ids.js';
import type { SheetRow } from '../../platform/excel.js';
import { findHeaderRow, guessCategory, guessColumns, importDedupeKey, parseHours, parseRecords, sampleCell } from './hour-imports.parse.js';
import { ImportMapping } from './hour-imports.schema.js';

const ID = makeNationalId('150102', '1985-03-12', 7, 'female');
const mapping = ImportMapping.parse({
  platform: 'smartEdu',
  columns: { name: 0, nationalId: 1, course: 2, hours: 3, date: 4, category: 5 },
  categoryMap: { 师德修养: 'ethics' },
});
const row = (n: number, ...cells: SheetRow['cells']): SheetRow => ({ rowNumber: n, cells });

describe('platform import parsing', () => {
  it('finds the header below a title line and guesses the columns', () => {
    const rows = [row(1, '2025年暑期教师研修学时汇总'), row(2, '序号', '姓名', '身份证号', '课程名称', '学时', '完成时间', '培训类别'), row(3, 1, '张三')];
    const h = findHeaderRow(rows);
    expect(h?.rowNumber).toBe(2);
    expect(guessColumns(h!.cells.map(String))).toEqual({ name: 1, nationalId: 2, course: 3, hours: 4, date: 5, category: 6 });
  });

  it('refuses course names with NUL, bidi-override or zero-width characters', () => {
    const rows = [row(1, '姓名', '身份证号', '课程名称', '学时', '完成时间', '培训类别')];
    for (const [i, course] of ['师德\u0000专题', '\u202E题专德师', '师德\u200B专题'].entries())
      rows.push(row(i + 2, '李老师', ID, course, 2, '2025-07-01', '师德修养'));
    const { records, problems } = parseRecords(rows, mapping, '2025-12-31');
    expect(records).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual(Array(3).fill('课程名称含有不可见或控制字符'));
  });

  it('guesses our category from a platform’s names', () => {
    expect(guessCategory('师德师风')).toBe('ethics');
    expect(guessCategory('信息技术应用能力提升')).toBe('it');
    expect(guessCategory('班主任专题')).toBe('homeroom');
    expect(guessCategory('什么都不是')).toBeNull();
  });

  it('reads hours written in several ways', () => {
    expect(parseHours(2)).toBe(2);
    expect(parseHours('2.5')).toBe(2.5);
    expect(parseHours('3学时')).toBe(3);
    expect(parseHours('abc')).toBeNull();
  });

  it('accepts good rows and rejects bad ones with row numbers and Chinese reasons', () => {
    const rows = [
      row(1, '姓名', '身份证号', '课程', '学时', '完成时间', '类别'),
      row(2, '李老师', ID, '师德专题', 2, '2025-07-01', '师德修养'),
      row(3, '李老师', ID, '人工智能助教', '1.5学时', '2025/7/2 10:30', '信息技术'),
      row(4, '李老师', '150102198503120000', '课程', 1, '2025-07-01', '师德修养'),
      row(5, '李老师', ID, '', 1, '2025-07-01', '师德修养'),
      row(6, '李老师', ID, '课程', -1, '2025-07-01', '师德修养'),
      row(7, '李老师', ID, '课程', 1.25, '2025-07-01', '师德修养'),
      row(8, '李老师', ID, '课程', 1, '七月一日', '师德修养'),
      row(9, '李老师', ID, '课程', 1, '2099-01-01', '师德修养'),
      row(10, '李老师', ID, '课程', 1, '2025-07-01', '火星课程'),
      row(11, null, null, null, null, null, null),
      row(12, '李老师', 150102198503120000, '课程', 1, '2025-07-01', '师德修养'),
    ];
    const { records, problems } = parseRecords(rows, mapping, '2025-12-31');
    expect(records).toEqual([
      { row: 2, nationalId: ID, name: '李老师', course: '师德专题', hours: 2, date: '2025-07-01', category: 'ethics' },
      { row: 3, nationalId: ID, name: '李老师', course: '人工智能助教', hours: 1.5, date: '2025-07-02', category: 'it' },
    ]);
    expect(problems).toEqual([
      { row: 4, message: '身份证号校验位错误，请核对' },
      { row: 5, message: '课程名称为空' },
      { row: 6, message: '学时「-1」无效，应为大于 0 的数' },
      { row: 7, message: '学时「1.25」最多保留一位小数' },
      { row: 8, message: expect.stringContaining('完成时间无效') },
      { row: 9, message: '完成时间 2099-01-01 晚于今天' },
      { row: 10, message: '培训类别「火星课程」未对应到本系统的类别，请在映射中设置' },
      { row: 12, message: expect.stringContaining('科学计数法') },
    ]);
  });

  it('uses the default category for unmapped or missing values when one is set', () => {
    const m = ImportMapping.parse({ ...mapping, defaultCategory: 'general' });
    const { records } = parseRecords(
      [row(2, '李老师', ID, '课', 1, '2025-07-01', '火星课程'), row(3, '李老师', ID, '课2', 1, '2025-07-01', '')],
      m,
      '2025-12-31',
    );
    expect(records.map((r) => r.category)).toEqual(['general', 'general']);
  });

  it('refuses a mapping that uses a column twice or has no category at all', () => {
    expect(ImportMapping.safeParse({ platform: 'smartEdu', columns: { nationalId: 1, course: 1, hours: 2, date: 3 }, defaultCategory: 'it' }).success).toBe(
      false,
    );
    const r = ImportMapping.safeParse({ platform: 'smartEdu', columns: { nationalId: 0, course: 1, hours: 2, date: 3 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['defaultCategory']);
  });

  it('keys a record by platform, 身份证号, course and date only', () => {
    const a = importDedupeKey('smartEdu', { nationalId: ID, course: '课', date: '2025-07-01' });
    expect(a).toMatch(/^import:smartEdu:[0-9a-f]{64}$/);
    expect(importDedupeKey('smartEdu', { nationalId: ID, course: '课', date: '2025-07-01' })).toBe(a);
    expect(importDedupeKey('other', { nationalId: ID, course: '课', date: '2025-07-01' })).not.toBe(a);
    expect(a).not.toContain(ID);
  });

  it('masks 身份证号 in samples', () => {
    expect(sampleCell(ID)).not.toContain(ID.slice(6, 14));
    expect(sampleCell('课程')).toBe('课程');
  });
});
