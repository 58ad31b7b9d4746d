/** GB 11643-1999 citizen identity number: 17 digits + check digit (0-9 or X). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export type NationalIdProblem = 'empty' | 'scientific' | 'length' | 'format' | 'birthDate' | 'checkDigit';

export const NATIONAL_ID_MESSAGES: Record<NationalIdProblem, string> = {
  empty: '身份证号不能为空',
  scientific: '身份证号被 Excel 转成了数字（科学计数法），请把该列设为“文本”格式后重新填写',
  length: '身份证号应为 18 位',
  format: '身份证号格式不正确：前 17 位应为数字，最后一位为数字或 X',
  birthDate: '身份证号中的出生日期无效',
  checkDigit: '身份证号校验位错误，请核对',
};

export interface NationalIdInfo {
  value: string;
  birthDate: string;
  gender: 'male' | 'female';
}

/** Normalise (trim, upper-case x) and validate; returns the problem or the parsed facts. */
export function parseNationalId(raw: unknown): { ok: true; info: NationalIdInfo } | { ok: false; problem: NationalIdProblem } {
  if (raw === null || raw === undefined || String(raw).trim() === '') return { ok: false, problem: 'empty' };
  if (typeof raw === 'number') return { ok: false, problem: 'scientific' };
  const v = String(raw).trim().toUpperCase();
  if (/^\d(\.\d+)?E\+\d+$/.test(v)) return { ok: false, problem: 'scientific' };
  if (v.length !== 18) return { ok: false, problem: 'length' };
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, problem: 'format' };
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date > new Date())
    return { ok: false, problem: 'birthDate' };
  if (checkDigit(v) !== v[17]) return { ok: false, problem: 'checkDigit' };
  return {
    ok: true,
    info: {
      value: v,
      birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`,
      gender: Number(v[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** 1501**********123X: keep the first 4 and last 4 characters. */
export function maskNationalId(v: string): string {
  return v.length <= 8 ? '*'.repeat(v.length) : v.slice(0, 4) + '*'.repeat(v.length - 8) + v.slice(-4);
}

/** 138****1234 */
export function maskPhone(v: string): string {
  return v.length < 7 ? '*'.repeat(v.length) : v.slice(0, 3) + '*'.repeat(v.length - 7) + v.slice(-4);
}
