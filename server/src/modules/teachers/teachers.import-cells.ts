import type { CellValue } from '../../platform/excel.js';
import { todayInChina } from '../../platform/china-time.js';

/*
 * Reading one cell of a teacher roster without ever guessing: what a school's spreadsheet holds is
 * either read exactly (full-width digits, separators, the date forms Chinese rosters use) or refused
 * with a message that names the cell and says how to fix it. Nothing here touches the database.
 */

/** A cell that cannot be imported: the message is shown to the user as is. */
export class CellError extends Error {}

const DATE_EXAMPLE = '2020-09-01、2020/9/1、2020.9.1 或 2020年9月1日';
const YEAR_MONTH_EXAMPLE = '2019-09、2019.9 或 2019年9月';

/** Every message of the roster import that is about one cell (the exact Chinese shown in the preview). */
export const IMPORT_MESSAGES = {
  idNumberCell: '身份证号单元格是数字格式：Excel 只保留 15 位有效数字，末尾几位可能已变成 0。请把该列设为“文本”格式后重新输入身份证号',
  idTrailingZeros:
    '身份证号末 3 位为 000，疑似被 Excel 当作数字后丢失了末尾数字。请核对原件，把该列设为“文本”格式后重新输入；如号码确实如此，请在“新增教师”页面单独录入',
  phone: '手机号应为 11 位手机号码，如 13800138000（可带 +86、空格或短横线）',
  birthDate: '出生日期与身份证号中的出生日期不一致，请核对',
  gender: '性别与身份证号不一致，请核对',
  genderValue: (s: string) => `“${s}”无法识别，请填写“男”或“女”`,
  hireBefore16: '入职日期早于 16 周岁生日，请核对',
  hireFuture: '入职日期晚于今天，请核对',
  dateNumber: (v: number, yearMonth: boolean) =>
    `“${v}”是数字，无法确定是哪一天（Excel 会把 2019.10 存成 2019.1），请把该列设为“文本”格式后填写，如 ${yearMonth ? `2019-09-01 或 ${YEAR_MONTH_EXAMPLE}` : DATE_EXAMPLE}`,
  dateInvalid: (s: string, yearMonth: boolean) => `日期无效：“${s}”，请填写如 ${yearMonth ? `2020-09-01 或 ${YEAR_MONTH_EXAMPLE}` : DATE_EXAMPLE} 的日期`,
  dateNeedsDay: (s: string) => `“${s}”缺少日，本列需填写完整日期，如 ${DATE_EXAMPLE}`,
  formula: (cell: string) => `单元格 ${cell} 是公式，请改为直接填写的内容（复制后“选择性粘贴 → 数值”）`,
  formulaText: (cell: string, ch: string) => `单元格 ${cell} 以“${ch}”开头，可能被当作公式执行，已拒绝；请删除开头的“${ch}”`,
};

/** Excel's column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The first character when a text cell looks like a formula (= + - @, or a tab / carriage return), else null. */
export function formulaStart(v: CellValue): string | null {
  if (typeof v !== 'string') return null;
  const s = v.replace(/^[ \u3000]+/, '');
  const ch = s[0];
  if (ch === '\t' || ch === '\r') return ch === '\t' ? '制表符' : '回车符';
  if (ch && '=+-@'.includes(ch)) return ch;
  return null;
}

/** Full-width digits, letters, spaces and punctuation as their ASCII forms (NFKC). */
export const halfWidth = (s: string) => s.normalize('NFKC');

/**
 * A 身份证号 cell as text: full-width digits and X, spaces and hyphens removed. A number cell is refused:
 * an 18-digit number never survives Excel (15 significant digits), and one that does not have 18 digits is not an ID.
 */
export function nationalIdText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') throw new CellError(IMPORT_MESSAGES.idNumberCell);
  return halfWidth(String(v))
    .replace(/[\s\-\u2010-\u2015]/g, '')
    .toUpperCase();
}

/**
 * A mobile number as 11 digits: full-width digits, spaces, hyphens, dots and brackets removed, and a leading
 * +86 / 0086 / 86 dropped. '' when empty; anything else that is not a mainland mobile number is refused.
 */
export function phoneText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new CellError(IMPORT_MESSAGES.phone);
  const s = halfWidth(String(v))
    .replace(/[\s\-\u2010-\u2015.()]/g, '')
    .replace(/^(\+|00)?86(?=1\d{10}$)/, '');
  if (s === '') return '';
  if (!/^1[3-9]\d{9}$/.test(s)) throw new CellError(IMPORT_MESSAGES.phone);
  return s;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoOf = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

function validYmd(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

export interface DateCell {
  /** YYYY-MM-DD; a year-month is stored as its first day. */
  date: string;
  /** 'month' when only the year and month were given (参加工作年月). */
  precision: 'day' | 'month';
}

const FULL_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const YEAR_MONTH = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/;

/**
 * A date as Chinese rosters write it: a date-formatted Excel cell, or text YYYY-MM-DD, YYYY/M/D, YYYY.M.D,
 * YYYY年M月D日, YYYYMMDD; with yearMonth also YYYY-MM, YYYY.M, YYYY/M, YYYY年M月. A bare number (2019.9,
 * an Excel day count) is never guessed into a date. Null when empty.
 */
export function parseDateParts(v: CellValue, opts: { yearMonth?: boolean } = {}): DateCell | null {
  const yearMonth = !!opts.yearMonth;
  if (v === null || v === '') return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new CellError(IMPORT_MESSAGES.dateInvalid(String(v), yearMonth));
    const d = isoOf(v);
    if (d < '1900-01-01' || d > '2100-12-31') throw new CellError(IMPORT_MESSAGES.dateInvalid(d, yearMonth));
    return { date: d, precision: 'day' };
  }
  if (typeof v === 'number') throw new CellError(IMPORT_MESSAGES.dateNumber(v, yearMonth));
  const s = halfWidth(String(v))
    .trim()
    .replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, '');
  if (s === '') return null;
  const m = FULL_DATE.exec(s) ?? COMPACT_DATE.exec(s);
  if (m) {
    const r = validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
    if (r) return { date: r, precision: 'day' };
    throw new CellError(IMPORT_MESSAGES.dateInvalid(s, yearMonth));
  }
  const ym = YEAR_MONTH.exec(s);
  if (ym) {
    const r = validYmd(Number(ym[1]), Number(ym[2]), 1);
    if (!r) throw new CellError(IMPORT_MESSAGES.dateInvalid(s, yearMonth));
    if (!yearMonth) throw new CellError(IMPORT_MESSAGES.dateNeedsDay(s));
    return { date: r, precision: 'month' };
  }
  throw new CellError(IMPORT_MESSAGES.dateInvalid(s, yearMonth));
}

/**
 * The older, lenient reading still used by the 学时 import (hour-imports reads .xlsx without styles, so its
 * dates arrive as serial numbers): it also takes a bare number as an Excel day count or as YYYYMMDD.
 * The roster import uses parseDateParts, which never does.
 */
export function parseDateCell(v: CellValue): string | null {
  if (v === null || v === '') return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new CellError('日期无效');
    return isoOf(v);
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 19000101 && v <= 21001231) {
      const r = validYmd(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
      if (r) return r;
    }
    if (v >= 1 && v < 73051) return isoOf(new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86400000));
    throw new CellError(`日期无效：“${v}”`);
  }
  const s = String(v)
    .trim()
    .replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, '');
  if (s === '') return null;
  const m = FULL_DATE.exec(s) ?? COMPACT_DATE.exec(s);
  const r = m ? validYmd(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (!r) throw new CellError(`日期无效：“${s}”，请填写如 2020-09-01 的日期`);
  return r;
}

/** 性别 as written in rosters. */
export function genderOf(s: string): 'male' | 'female' {
  const t = halfWidth(s).trim().toLowerCase();
  if (['男', '男性', 'm', 'male'].includes(t)) return 'male';
  if (['女', '女性', 'f', 'female'].includes(t)) return 'female';
  throw new CellError(IMPORT_MESSAGES.genderValue(s));
}

/**
 * A hire date must be on or after the 16th birthday and not after today; a year-month is compared by month.
 * Returns the message, or null when plausible.
 */
export function implausibleHireDate(hire: DateCell, birthDate: string, today = todayInChina()): string | null {
  const sixteen = `${Number(birthDate.slice(0, 4)) + 16}${birthDate.slice(4)}`;
  const tooEarly = hire.precision === 'month' ? hire.date.slice(0, 7) < sixteen.slice(0, 7) : hire.date < sixteen;
  if (tooEarly) return IMPORT_MESSAGES.hireBefore16;
  if (hire.date > today) return IMPORT_MESSAGES.hireFuture;
  return null;
}
