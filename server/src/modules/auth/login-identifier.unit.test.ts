import { describe, expect, it } from 'vitest';
import { classifyLoginIdentifier } from './login-identifier.js';
import { makeNationalId } from '../../demo/national-ids.js';

describe('classifyLoginIdentifier', () => {
  const id = makeNationalId('150102', '1985-03-12', 7, 'female');
  it('recognises a valid 身份证号, also lower-case x and full-width digits', () => {
    expect(classifyLoginIdentifier(id)).toEqual({ kind: 'nationalId', value: id });
    const fw = id.replace(/[0-9X]/g, (c) => (c === 'X' ? 'ｘ' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
    expect(classifyLoginIdentifier(` ${fw} `)).toEqual({ kind: 'nationalId', value: id });
  });
  it('recognises a mobile number written with +86, spaces or hyphens', () => {
    for (const p of ['13800138000', '+86 138 0013 8000', '138-0013-8000', '８６13800138000']) {
      expect(classifyLoginIdentifier(p)).toEqual({ kind: 'phone', value: '13800138000' });
    }
  });
  it('treats everything else as a username (an 18-digit number with a wrong check digit too)', () => {
    expect(classifyLoginIdentifier('school.admin')).toEqual({ kind: 'username', value: 'school.admin' });
    const bad = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(classifyLoginIdentifier(bad).kind).toBe('username');
    expect(classifyLoginIdentifier('12345').kind).toBe('username');
  });
});
