import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import type { CellValue, SheetRow } from '../../platform/excel.js';
import { maskNationalId, NATIONAL_ID_MESSAGES, parseNationalId, type NationalIdInfo } from '../../platform/national-id.js';
import { SUBJECTS } from '../../platform/vocab.js';
import { plainColumns } from './teachers.service.js';
import { TEACHER_COLUMNS, type TeacherColumns } from './teachers.repository.js';
import {
  CellError,
  columnLetter,
  formulaStart,
  genderOf,
  IMPORT_MESSAGES,
  implausibleHireDate,
  nationalIdText,
  parseDateParts,
  phoneText,
  type DateCell,
} from './teachers.import-cells.js';

export { parseDateCell } from './teachers.import-cells.js';
import type { ExistingTeacher } from './teachers.import.repository.js';
import { TeacherInput } from './teachers.schema.js';
import {
  CHECK_COLUMNS,
  COLUMN_BY_FIELD,
  HEADER_LOOKUP,
  IMPORT_COLUMNS,
  type ImportColumn,
  type ImportField,
  type SchoolLookup,
  cellText,
  findSchool,
  normaliseHeader,
  parseBool,
  splitList,
  vocabCode,
} from './teachers.import-columns.js';

/** One row of an import: parsed and validated into a staged row, then compared with the teacher on file. */

// ---------------------------------------------------------------------------------------------
// Rows

/** A validated row as stored in the batch: columns ready to insert (PII encrypted), roles, provenance. */
export interface StagedRow {
  /** Excel row number. */
  r: number;
  /** Name, masked 身份证号 and school name, for the preview table and the error report. */
  n: string;
  m: string;
  o: string;
  /** Errors: [column, field, message, cell]. Present only on rows that cannot be imported. */
  e?: StagedError[];
  /** Fields whose cell is empty in this row: they keep the stored value of a registered teacher. */
  x?: string[];
  /** TEACHER_COLUMNS values in order. */
  c?: unknown[];
  /** Roles [role, since]. */
  ro?: [string, string | null][];
}

type StagedError = [string, string, string] | [string, string, string, string];

/** conflict: a registered 身份证号 with another name; imported only when the user confirms that row. */
export type Action = 'create' | 'update' | 'unchanged' | 'conflict' | 'error';

interface ParsedFile {
  headerRow: number;
  columns: Map<ImportField, number>;
  ignored: string[];
  /** How each recognised header of the file was read: the header as written → the field's header. */
  mapping: ColumnMapping[];
  rows: SheetRow[];
}

export interface ColumnMapping {
  /** The header as written in the file. */
  header: string;
  /** The import field it was read as (its template header, e.g. 入职日期 for 参加工作年月). */
  column: string;
  /** Excel column letter. */
  letter: string;
  /** Checked against the 身份证号 only (性别, 出生日期), not stored. */
  checkOnly?: boolean;
}

/** Find the header row (a title row above it is allowed) and map columns to fields. */
export function locateHeader(rows: SheetRow[]): ParsedFile {
  for (const r of rows.slice(0, 10)) {
    const columns = new Map<ImportField, number>();
    const ignored: string[] = [];
    const mapping: ColumnMapping[] = [];
    r.cells.forEach((cell, i) => {
      const h = normaliseHeader(cell);
      if (!h) return;
      const col = HEADER_LOOKUP.get(h);
      if (col && !columns.has(col.field)) {
        columns.set(col.field, i);
        const m: ColumnMapping = { header: String(cell).trim(), column: col.header, letter: columnLetter(i) };
        if (CHECK_COLUMNS.includes(col)) m.checkOnly = true;
        mapping.push(m);
      } else ignored.push(String(cell));
    });
    if (columns.has('name') || columns.has('nationalId')) {
      const missing = IMPORT_COLUMNS.filter((c) => c.required && !columns.has(c.field)).map((c) => `“${c.header}”`);
      if (missing.length) throw badRequest(`表头缺少必填列：${missing.join('、')}。请使用导入模板`);
      return { headerRow: r.rowNumber, columns, ignored, mapping, rows: rows.filter((x) => x.rowNumber > r.rowNumber) };
    }
  }
  throw badRequest('未找到表头：第一行应为“姓名”“身份证号”“学校”“学段”等列名，请使用导入模板');
}

export const isEmptyRow = (cells: CellValue[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

export interface RowOutcome {
  staged: StagedRow;
  /** Normalised 身份证号 and phone, in memory only: duplicate detection and encryption (never stored). */
  nationalId: string | null;
  phone: string | null;
  idx: string | null;
  /** Columns of a valid row, ciphertext not yet filled in. */
  cols: TeacherColumns | null;
}

/** Parse, map labels to codes and validate one row with the same schema as the teacher form. */
export function parseRow(ctx: AppContext, file: ParsedFile, row: SheetRow, schools: SchoolLookup): RowOutcome {
  const errors: StagedError[] = [];
  const flagged = new Set<string>();
  const empty: string[] = [];
  const raw: Record<string, unknown> = {};
  let homeroomSince: string | null | undefined;
  let hire: DateCell | null = null;
  let roleCodes: string[] | undefined;
  let nationalId: string | null = null;
  let idInfo: NationalIdInfo | null = null;
  let orgName = '';
  const fail = (col: ImportColumn, message: string, cell?: string) => {
    errors.push(cell ? [col.header, col.field, message, cell] : [col.header, col.field, message]);
    flagged.add(col.field);
  };
  const formulas = new Set(row.formulas ?? []);
  /** The cell of a column, or undefined after refusing a formula (or formula-looking text) in it. */
  const cellOf = (col: ImportColumn): CellValue | undefined => {
    const i = file.columns.get(col.field)!;
    const cell = row.cells[i] ?? null;
    const ref = `${columnLetter(i)}${row.rowNumber}`;
    if (formulas.has(i)) return void fail(col, IMPORT_MESSAGES.formula(ref), ref);
    // A phone may start with +86; it is read as digits only, so nothing formula-like survives phoneText.
    const ch = col.field === 'phone' ? null : formulaStart(cell);
    if (ch) return void fail(col, IMPORT_MESSAGES.formulaText(ref, ch), ref);
    return cell;
  };

  for (const col of IMPORT_COLUMNS) {
    if (!file.columns.has(col.field)) continue;
    const cell = cellOf(col);
    if (cell === undefined) continue;
    try {
      if (col.kind === 'nationalId') {
        const r = parseNationalId(nationalIdText(cell));
        if (!r.ok) throw new CellError(NATIONAL_ID_MESSAGES[r.problem]);
        nationalId = r.info.value;
        idInfo = r.info;
        raw.nationalId = nationalId;
        continue;
      }
      if (col.field === 'phone') {
        const p = phoneText(cell);
        if (p === '') empty.push(col.field);
        raw.phone = p || null;
        continue;
      }
      if (col.kind === 'date') {
        const d = parseDateParts(typeof cell === 'string' ? cell.trim() : cell, { yearMonth: col.yearMonth });
        if (!d) empty.push(col.field);
        if (col.field === 'hireDate') hire = d;
        if (col.field === 'homeroomSince') homeroomSince = d?.date ?? null;
        else raw[col.field] = d?.date ?? null;
        continue;
      }
      const s = cellText(cell);
      if (s === '') {
        if (col.required) throw new CellError(`${col.header}不能为空`);
        empty.push(col.field);
        if (col.kind === 'roles') roleCodes = [];
        else if (col.kind === 'bool') raw[col.field] = false;
        else if (col.kind === 'subjects' || col.kind === 'list') raw[col.field] = [];
        else if (col.field !== 'employment') raw[col.field] = null; // employment falls back to the schema default
        continue;
      }
      switch (col.kind) {
        case 'text':
          raw[col.field] = s;
          break;
        case 'school': {
          const school = findSchool(schools, s);
          raw.orgId = school.id;
          orgName = school.name;
          break;
        }
        case 'vocab':
          raw[col.field] = vocabCode(col, s);
          break;
        case 'subjects': {
          const items = splitList(s);
          const unknown = items.filter((x) => !(SUBJECTS as readonly string[]).includes(x));
          if (unknown.length) throw new CellError(`“${unknown.join('、')}”不在学科范围内，可选：${SUBJECTS.join('、')}`);
          raw.subjects = [...new Set(items)];
          break;
        }
        case 'list':
          raw[col.field] = [...new Set(splitList(s))];
          break;
        case 'roles':
          roleCodes = [...new Set(splitList(s).map((x) => vocabCode(col, x)))];
          break;
        case 'bool':
          raw[col.field] = parseBool(s);
          break;
      }
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      fail(col, err.message);
    }
  }

  // 出生日期 and 性别, when the file has them, must agree with the 身份证号: otherwise one of them is wrong.
  for (const col of CHECK_COLUMNS) {
    if (!file.columns.has(col.field)) continue;
    const cell = cellOf(col);
    if (cell === undefined) continue;
    try {
      if (col.field === 'birthDate') {
        const d = parseDateParts(cell, { yearMonth: true });
        if (d && idInfo) {
          const id: NationalIdInfo = idInfo;
          // A date cell formatted as 年月 (1990年2月) holds the 1st of the month: compared by month.
          const byMonth = d.precision === 'month' || (cell instanceof Date && d.date.endsWith('-01'));
          const agrees = byMonth ? d.date.slice(0, 7) === id.birthDate.slice(0, 7) : d.date === id.birthDate;
          if (!agrees) throw new CellError(IMPORT_MESSAGES.birthDate);
        }
      } else {
        const s = cellText(cell);
        if (s && idInfo && genderOf(s) !== (idInfo as NationalIdInfo).gender) throw new CellError(IMPORT_MESSAGES.gender);
        if (s && !idInfo) genderOf(s);
      }
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      fail(col, err.message);
    }
  }

  // A hire date on or after the 16th birthday and not in the future.
  if (hire && idInfo && !flagged.has('hireDate')) {
    const why = implausibleHireDate(hire, (idInfo as NationalIdInfo).birthDate);
    if (why) fail(COLUMN_BY_FIELD.get('hireDate')!, why);
  }

  if (homeroomSince && roleCodes && !roleCodes.includes('homeroom') && !flagged.has('roles'))
    fail(COLUMN_BY_FIELD.get('homeroomSince')!, '填写了班主任起始日期，但岗位角色中没有“班主任”');
  raw.roles = (roleCodes ?? []).map((role) => ({ role, since: role === 'homeroom' ? (homeroomSince ?? null) : null }));

  const nameCell = row.cells[file.columns.get('name') ?? -1] ?? null;
  const name = typeof raw.name === 'string' ? raw.name : nameCell === null ? '' : String(nameCell).trim();
  const masked = nationalId ? maskNationalId(nationalId) : maskRaw(row.cells[file.columns.get('nationalId') ?? -1] ?? null);
  const staged: StagedRow = { r: row.rowNumber, n: name.slice(0, 30), m: masked, o: orgName };

  const parsed = TeacherInput.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (flagged.has(field)) continue;
      const target = field === 'roles' && issue.path[2] === 'since' ? 'homeroomSince' : field;
      const col = COLUMN_BY_FIELD.get(target as ImportField);
      errors.push([col?.header ?? target, target, issue.message]);
      flagged.add(field);
    }
  }
  if (errors.length || !parsed.success) {
    staged.e = errors;
    return { staged, nationalId, idx: null, cols: null, phone: null };
  }
  // Ciphertext is filled in after the lookup, only where no stored ciphertext of the same value exists
  // (re-importing 100k unchanged teachers then costs no encryption at all).
  const cols = plainColumns(ctx.pii, parsed.data, idInfo!);
  staged.ro = parsed.data.roles.map((r) => [r.role, r.since ?? null]);
  if (empty.length) staged.x = empty;
  return { staged, nationalId, idx: cols.national_id_idx, cols, phone: parsed.data.phone ?? null };
}

/** Mask whatever was in the 身份证号 cell, so not even a malformed number is shown or stored in full. */
function maskRaw(v: CellValue): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : String(v).trim();
  return maskNationalId(s);
}

// ---------------------------------------------------------------------------------------------
// Decide create / update / unchanged

export const HISTORY_COLUMNS = TEACHER_COLUMNS.filter((k) => !k.endsWith('_enc') && !k.endsWith('_idx'));
/** Equality of stored values: null/undefined alike, arrays element-wise (no JSON round trip: this runs per field per row). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

export function columnsOf(st: StagedRow): TeacherColumns {
  const c = {} as Record<string, unknown>;
  TEACHER_COLUMNS.forEach((k, i) => (c[k] = st.c![i]));
  return c as unknown as TeacherColumns;
}

export interface Decision {
  action: Exclude<Action, 'error'>;
  cols: TeacherColumns;
  roles: { role: string; since: string | null }[];
  changes: Record<string, { from: unknown; to: unknown }>;
}

/**
 * What importing this row does to the stored record. Columns missing from the file, and empty cells,
 * keep their stored value (a file with only 姓名/身份证号/学校/学段 must not wipe 职称, and a blank phone
 * cell does not clear the stored phone): an import only ever adds or corrects facts.
 * A different name is a 'conflict': applied only when the user confirms the row (never a silent rename).
 * The history entry has the same shape as a manual edit's (teachers.service diff).
 */
export function decide(st: StagedRow, existing: ExistingTeacher | undefined, present: Set<string>): Decision {
  const cols = columnsOf(st);
  let roles = (st.ro ?? []).map(([role, since]) => ({ role, since }));
  // A create's history entry (every field from null) is built by the database from the stored row.
  if (!existing) return { action: 'create', cols, roles, changes: {} };
  const blank = new Set(st.x ?? []);
  const given = (field: string) => present.has(field) && !blank.has(field);
  const merged = { ...cols } as Record<string, unknown>;
  for (const c of IMPORT_COLUMNS) if (!given(c.field)) for (const k of c.stored) merged[k] = existing[k];
  merged.status = existing.status; // the file has no status column: 调出/退休 are set elsewhere
  if (!given('roles')) roles = existing.roles.map((r) => ({ role: r.role, since: r.since }));
  else {
    const held = new Map(existing.roles.map((r) => [r.role, r.since]));
    roles = roles.map((r) => ({ role: r.role, since: r.role === 'homeroom' && given('homeroomSince') ? r.since : (held.get(r.role) ?? r.since) }));
  }
  const next = merged as unknown as TeacherColumns;
  const changes: Decision['changes'] = {};
  for (const k of HISTORY_COLUMNS) if (!same(existing[k], next[k])) changes[k] = { from: existing[k] ?? null, to: next[k] ?? null };
  if (existing.phone_idx !== next.phone_idx && !changes.phone_mask) changes.phone_mask = { from: existing.phone_mask, to: next.phone_mask };
  // Keep the stored ciphertext when the value is the same: re-encrypting would change the bytes for nothing.
  if (existing.phone_idx === next.phone_idx) next.phone_enc = existing.phone_enc;
  next.national_id_enc = existing.national_id_enc;
  const sortRoles = (rs: { role: string; since: string | null }[]) =>
    JSON.stringify([...rs].sort((a, b) => a.role.localeCompare(b.role)).map((r) => [r.role, r.since ?? null]));
  if (sortRoles(existing.roles) !== sortRoles(roles)) changes.roles = { from: existing.roles, to: roles };
  const action = changes.name ? 'conflict' : Object.keys(changes).length ? 'update' : 'unchanged';
  return { action, cols: next, roles, changes };
}

export const CHANGE_LABELS: Record<string, string> = {
  ...Object.fromEntries(IMPORT_COLUMNS.flatMap((c) => c.stored.map((k) => [k, c.header]))),
  roles: '岗位角色',
  phone_mask: '手机号',
  national_id_mask: '身份证号',
  gender: '性别',
  birth_date: '出生日期',
};
