import { parseNationalId } from '../../platform/national-id.js';

/**
 * What a person typed in the login box: a 身份证号, a mobile number or a username. Full-width digits and
 * letters are folded to ASCII first (a Chinese IME types them), a phone may carry +86, spaces or hyphens.
 */
export type LoginIdentifier = { kind: 'nationalId'; value: string } | { kind: 'phone'; value: string } | { kind: 'username'; value: string };

export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function classifyLoginIdentifier(raw: string): LoginIdentifier {
  const v = toHalfWidth(raw).trim();
  const id = parseNationalId(v);
  if (id.ok) return { kind: 'nationalId', value: id.info.value };
  const digits = v.replace(/^\+?86[\s-]?/, '').replace(/[\s-]/g, '');
  if (/^1[3-9]\d{9}$/.test(digits) && /^[+\d\s-]+$/.test(v)) return { kind: 'phone', value: digits };
  return { kind: 'username', value: v };
}
