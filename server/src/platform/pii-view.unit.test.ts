import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.js';
import { ageBand, looksLikeIdOrPhone, redactPii, viewNationalIdMask, viewPhoneMask } from './pii-view.js';

describe('pii-view', () => {
  it('cuts the stored masks down to the last 4 characters for limited viewers', () => {
    expect(viewNationalIdMask('1501**********123X', 'limited')).toBe('**************123X');
    expect(viewNationalIdMask('1501**********123X', 'full')).toBe('1501**********123X');
    expect(viewPhoneMask('138****5678', 'limited')).toBe('*******5678');
    expect(viewPhoneMask(null, 'limited')).toBeNull();
  });

  it('gives an age band instead of a birth date', () => {
    expect(ageBand('1990-06-15', '2026-06-14')).toBe('30–39岁');
    expect(ageBand('1996-06-15', '2026-06-14')).toBe('20–29岁');
    expect(ageBand('1996-06-15', '2026-06-15')).toBe('30–39岁');
    expect(ageBand('1960-01-01', '2026-01-01')).toBe('60岁及以上');
    expect(ageBand('2010-01-01', '2026-01-01')).toBe('20岁以下');
    expect(ageBand(null)).toBeNull();
  });

  it('finds IDs and phones anywhere in a text, and leaves other numbers alone', () => {
    expect(redactPii('id 11010519491231002X and 13812345678.')).toBe('id [已隐去] and [已隐去].');
    expect(redactPii('old 110105491231002')).toBe('old [已隐去]');
    expect(redactPii('order 2026120300000000000001 page 12')).toBe('order 2026120300000000000001 page 12');
    expect(looksLikeIdOrPhone('1381234')).toBe(true);
    expect(looksLikeIdOrPhone('张老师')).toBe(false);
    expect(looksLikeIdOrPhone('张1')).toBe(false);
  });

  it('redacts free-text query values and numbers in logged URLs', () => {
    expect(redactUrl('/api/teachers?q=%E5%BC%A0&page=2')).toBe('/api/teachers?q=[已隐去]&page=2');
    expect(redactUrl('/api/teachers/11010519491231002X/history')).toBe('/api/teachers/[已隐去]/history');
    expect(redactUrl('/api/hours/summary?orgId=3&other=13812345678')).toBe('/api/hours/summary?orgId=3&other=[已隐去]');
    expect(redactUrl('/api/health')).toBe('/api/health');
  });
});
