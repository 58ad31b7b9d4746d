import { describe, expect, it } from 'vitest';
import { checkDigit, maskNationalId, maskPhone, parseNationalId } from './national-id.js';

describe('GB 11643 national id', () => {
  it('accepts a valid id with X check digit and derives birth date and gender', () => {
    // 11010519491231002X is the standard's own example.
    const r = parseNationalId('11010519491231002x');
    expect(r).toEqual({ ok: true, info: { value: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' } });
  });
  it('computes the check digit', () => {
    expect(checkDigit('11010519491231002')).toBe('X');
  });
  it('rejects a wrong check digit', () => {
    expect(parseNationalId('110105194912310021')).toEqual({ ok: false, problem: 'checkDigit' });
  });
  it('recognises a number mangled by Excel into scientific notation', () => {
    expect(parseNationalId('1.50102E+17')).toEqual({ ok: false, problem: 'scientific' });
    expect(parseNationalId(150102198001011234)).toEqual({ ok: false, problem: 'scientific' });
  });
  it('rejects impossible birth dates, bad length and bad characters', () => {
    expect(parseNationalId('110105194902300011')).toMatchObject({ ok: false, problem: 'birthDate' });
    expect(parseNationalId('1101051949123100')).toMatchObject({ ok: false, problem: 'length' });
    expect(parseNationalId('11010519491231A02X')).toMatchObject({ ok: false, problem: 'format' });
    expect(parseNationalId('  ')).toMatchObject({ ok: false, problem: 'empty' });
  });
  it('masks ids and phones', () => {
    expect(maskNationalId('15010219800101123X')).toBe('1501**********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
