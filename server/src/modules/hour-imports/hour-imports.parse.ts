import { createHash } from 'node:crypto';
import type { CellValue, SheetRow } from '../../platform/excel.js';
import { maskNationalId, NATIONAL_ID_MESSAGES, parseNationalId } from '../../platform/national-id.js';
import { hasForbiddenChars } from '../../platform/schemas.js';
import { CATEGORIES, codeFromLabel, type Category } from '../../platform/vocab.js';
import { parseDateCell } from '../teachers/teachers.import.js';
import type { ImportMapping } from './hour-imports.schema.js';

/**
 * Pure part of a platform import: read the header, guess which column is which, and turn each data
 * row into a checked record (or a row-numbered Chinese rejection). The database part (matching
 * teachers, de-duplicating against the ledger) lives in the service.
 */

export const MAX_IMPORT_HOURS = 1000;

/** A checked record; nationalId is the normalised 18-character value (kept in memory only). */
export interface ImportRecord {
  row: number;
  nationalId: string;
  name: string | null;
  course: string;
  hours: number;
  date: string;
  category: Category;
}

export interface RowProblem {
  row: number;
  message: string;
}

export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return String(v).trim();
}

const HEADER_PATTERNS: Record<keyof ImportMapping['columns'], RegExp> = {
  nationalId: /身份证|证件号/,
  name: /姓名/,
  course: /课程|培训名称|项目名称|学习内容|培训项目/,
  hours: /学时|课时|时长|学分/,
  date: /完成时间|完成日期|结业|日期|时间/,
  category: /类别|类型|分类/,
};

/** The header row: the first of the first 10 rows that names a 身份证 column (else the first row). */
export function findHeaderRow(rows: SheetRow[]): SheetRow | null {
  const head = rows.slice(0, 10);
  return head.find((r) => r.cells.some((c) => HEADER_PATTERNS.nationalId.test(cellText(c)))) ?? rows[0] ?? null;
}

/** Columns guessed from header texts; each column used once, in the order the fields are listed. */
export function guessColumns(headers: string[]): Partial<Record<keyof ImportMapping['columns'], number>> {
  const used = new Set<number>();
  const out: Partial<Record<keyof ImportMapping['columns'], number>> = {};
  for (const field of ['nationalId', 'name', 'course', 'category', 'hours', 'date'] as const) {
    const i = headers.findIndex((h, idx) => !used.has(idx) && HEADER_PATTERNS[field].test(h));
    if (i >= 0) {
      out[field] = i;
      used.add(i);
    }
  }
  return out;
}

/** Platform category names mapped to ours where the text makes it obvious (师德 → ethics …). */
const CATEGORY_HINTS: [RegExp, Category][] = [
  [/师德|师风|政治/, 'ethics'],
  [/班主任|德育/, 'homeroom'],
  [/信息|数字|智能|AI|人工智能/i, 'it'],
  [/校本/, 'schoolBased'],
  [/心理/, 'psych'],
  [/思政/, 'ideology'],
  [/学科|教学|课程|作业|课堂|教研/, 'subject'],
  [/岗前|新教师|入职/, 'induction'],
];

export function guessCategory(value: string): Category | null {
  const direct = codeFromLabel(CATEGORIES, value);
  if (direct) return direct;
  for (const [re, c] of CATEGORY_HINTS) if (re.test(value)) return c;
  return null;
}

/** Hours as platforms write them: 2, '2', '2.5', '2学时', '1.5 小时'. */
export function parseHours(v: CellValue): number | null {
  if (typeof v === 'number') return v;
  const s = cellText(v).replace(/\s*(学时|课时|小时|h|H)$/, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

/**
 * Check every data row under the mapping. Returns records and problems, both with the row number the
 * user sees in Excel. `today` ('YYYY-MM-DD') bounds completion dates.
 */
export function parseRecords(rows: SheetRow[], m: ImportMapping, today: string): { records: ImportRecord[]; problems: RowProblem[] } {
  const records: ImportRecord[] = [];
  const problems: RowProblem[] = [];
  const c = m.columns;
  for (const r of rows) {
    if (r.rowNumber <= m.headerRow) continue;
    const cell = (i: number | null | undefined) => (i === null || i === undefined ? null : (r.cells[i] ?? null));
    if ([c.nationalId, c.course, c.hours, c.date].every((i) => cellText(cell(i)) === '')) continue; // blank line
    const fail = (message: string) => problems.push({ row: r.rowNumber, message });

    const id = parseNationalId(cell(c.nationalId));
    if (!id.ok) {
      fail(NATIONAL_ID_MESSAGES[id.problem]);
      continue;
    }
    const course = cellText(cell(c.course));
    if (!course) {
      fail('课程名称为空');
      continue;
    }
    if (course.length > 200) {
      fail('课程名称过长（超过 200 字）');
      continue;
    }
    if (hasForbiddenChars(course)) {
      fail('课程名称含有不可见或控制字符');
      continue;
    }
    const hoursRaw = cell(c.hours);
    const hours = parseHours(hoursRaw);
    if (hours === null || !(hours > 0)) {
      fail(`学时「${cellText(hoursRaw)}」无效，应为大于 0 的数`);
      continue;
    }
    if (!oneDecimal(hours)) {
      fail(`学时「${cellText(hoursRaw)}」最多保留一位小数`);
      continue;
    }
    if (hours > MAX_IMPORT_HOURS) {
      fail(`学时「${hours}」过大（单条不超过 ${MAX_IMPORT_HOURS}）`);
      continue;
    }
    let date: string | null;
    try {
      date = parseDateCell(cell(c.date));
    } catch (err) {
      fail(`完成时间${(err as Error).message.replace(/^日期/, '')}`);
      continue;
    }
    if (!date) {
      fail('完成时间为空');
      continue;
    }
    if (date > today) {
      fail(`完成时间 ${date} 晚于今天`);
      continue;
    }
    let category: Category | null = m.defaultCategory ?? null;
    if (c.category !== null && c.category !== undefined) {
      const raw = cellText(cell(c.category));
      const mapped = raw ? (m.categoryMap[raw] ?? codeFromLabel(CATEGORIES, raw)) : undefined;
      if (mapped) category = mapped;
      else if (raw && !category) {
        fail(`培训类别「${raw}」未对应到本系统的类别，请在映射中设置`);
        continue;
      }
    }
    if (!category) {
      fail('培训类别为空，且未设置默认类别');
      continue;
    }
    const name = c.name === null || c.name === undefined ? null : cellText(cell(c.name)) || null;
    records.push({ row: r.rowNumber, nationalId: id.info.value, name, course, hours, date, category });
  }
  return { records, problems };
}

/** The ledger dedupe key of a platform record: import:{platform}:{sha256(身份证号|课程|日期)}. */
export function importDedupeKey(platform: string, rec: Pick<ImportRecord, 'nationalId' | 'course' | 'date'>): string {
  const h = createHash('sha256').update(`${rec.nationalId}|${rec.course}|${rec.date}`).digest('hex');
  return `import:${platform}:${h}`;
}

/** A sample cell for the mapping screen: anything that looks like a 身份证号 is masked. */
export function sampleCell(v: CellValue): string {
  const s = cellText(v);
  return /^\d{17}[\dXx]$/.test(s) ? maskNationalId(s.toUpperCase()) : s;
}
