import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, normaliseHeader, parseDateCell } from './teachers.import.js';

describe('import columns', () => {
  it('no header or alias of one column reads as another column', () => {
    const seen = new Map<string, string>();
    for (const c of IMPORT_COLUMNS)
      for (const h of [c.header, ...(c.aliases ?? [])]) {
        const n = normaliseHeader(h);
        expect(seen.get(n) ?? c.header, `“${h}” is claimed by ${seen.get(n)} and ${c.header}`).toBe(c.header);
        seen.set(n, c.header);
      }
  });
  it('ignores spaces, required markers and hints in headers', () => {
    expect(normaliseHeader(' 学校（名称或代码）* ')).toBe('学校');
    expect(normaliseHeader('身份证号(18位)')).toBe('身份证号');
  });
});

describe('parseDateCell', () => {
  it('accepts the ways Chinese spreadsheets write dates', () => {
    for (const v of [
      '2020-09-01',
      '2020/9/1',
      '2020.9.1',
      '2020年9月1日',
      '2020 年 9 月 1 日',
      '20200901',
      '2020-09-01 00:00:00',
      20200901,
      44075,
      new Date(Date.UTC(2020, 8, 1)),
    ])
      expect(parseDateCell(v), String(v)).toBe('2020-09-01');
  });
  it('empty is null', () => {
    expect(parseDateCell(null)).toBe(null);
    expect(parseDateCell('  ')).toBe(null);
  });
  it('rejects impossible dates with a Chinese message', () => {
    for (const v of ['2020-02-30', '2020-13-01', '明年', '1850-01-01', 99999999]) expect(() => parseDateCell(v), String(v)).toThrowError(/日期无效/);
  });
});
