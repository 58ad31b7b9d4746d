import { z } from 'zod';

/**
 * The request primitives every module's schema builds on, so one rule holds everywhere: ids fit a
 * PostgreSQL integer, dates are real calendar dates in a plausible range, and text carries no NUL, no
 * control characters and no bidi or zero-width characters that would make a name display differently from
 * what it is.
 */

export const MAX_INT4 = 2_147_483_647;

/** A database id (path or query parameter, or a body field): a positive integer that fits int4. */
export const Id = z.coerce.number().int('编号无效').positive('编号无效').max(MAX_INT4, '编号无效');

export const IdParam = z.object({ id: Id });

/** A list of ids (body), at most `max` of them. */
export const IdList = (max = 1000) => z.array(Id).max(max, `一次最多 ${max} 项`);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date 'YYYY-MM-DD' that exists (no 02-30) between 1900-01-01 and 2100-12-31. */
export const IsoDate = z
  .string()
  .regex(ISO_DATE, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, '日期无效')
  .refine((s) => s >= '1900-01-01' && s <= '2100-12-31', '日期超出合理范围（1900–2100 年）');

// C0/C1 controls except tab/newline, bidi embeddings/overrides/isolates, zero-width characters and BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters refused
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** Whether text holds a character that must never be stored (see FORBIDDEN_CHARS). */
export function hasForbiddenChars(s: string): boolean {
  return FORBIDDEN_CHARS.test(s);
}

/**
 * Free text of at most `max` characters: NFC-normalised and trimmed; NUL, control, bidi and zero-width
 * characters are refused with a message (never silently dropped: the user sees what was wrong).
 */
export const Text = (max: number, label = '内容') =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => !hasForbiddenChars(s), `${label}含有不可见或控制字符，请删除后重试`)
    .refine((s) => s.length <= max, `${label}不能超过 ${max} 个字符`);

/** Like Text but also non-empty. */
export const RequiredText = (max: number, label = '内容') => Text(max, label).refine((s) => s.length > 0, `请填写${label}`);

/** Like Text with at least `min` characters after trimming (a name, a title, a reason). */
export const MinText = (min: number, max: number, label = '内容', message = `${label}至少 ${min} 个字`) =>
  Text(max, label).refine((s) => s.length >= min, message);

/** A name or title: like MinText, on one line (no tab or line break either). */
export const Name = (min: number, max: number, label = '名称') =>
  MinText(min, max, label).refine((s) => !/[\t\n\r\u2028\u2029]/.test(s), `${label}不能包含换行或制表符`);

/** A year in a query or body: an integer 2000–2100. */
export const Year = z.coerce.number('年份无效').int('年份无效').min(2000, '年份无效').max(2100, '年份无效');

/** Paging in a query string: page ≥ 1 (at most 100 000) and a page size of at most `max`. */
export const Page = z.coerce.number().int().min(1).max(100_000).default(1);
export const PageSize = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
