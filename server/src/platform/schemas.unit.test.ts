import { describe, expect, it } from 'vitest';
import { Id, IsoDate, RequiredText, Text } from './schemas.js';

describe('shared request primitives', () => {
  it('Id: positive int4 only', () => {
    expect(Id.parse('42')).toBe(42);
    for (const bad of ['0', '-1', '1.5', '2147483648', '99999999999999999999', 'abc']) expect(Id.safeParse(bad).success).toBe(false);
  });
  it('IsoDate: real calendar dates in 1900–2100', () => {
    expect(IsoDate.parse('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '1990-02-30', '0000-01-01', '2024-13-01', '2024-1-1', '1899-12-31', '2101-01-01'])
      expect(IsoDate.safeParse(bad).success).toBe(false);
  });
  it('Text: trims, normalises, refuses NUL, bidi and zero-width characters with a message', () => {
    expect(Text(10).parse('  e\u0301 ')).toBe('é');
    for (const bad of ['a\u0000b', 'abc\u202Egpj.exe', 'zero\u200Bwidth', 'b\uFEFFom']) {
      const r = Text(50, '名称').safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].message).toBe('名称含有不可见或控制字符，请删除后重试');
    }
    expect(Text(3).safeParse('abcd').success).toBe(false);
    expect(RequiredText(10, '名称').safeParse('  ').error?.issues[0].message).toBe('请填写名称');
  });
});
