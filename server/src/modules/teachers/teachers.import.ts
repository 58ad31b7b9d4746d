import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { readSpreadsheet, streamXlsx, writeXlsx, type CellValue, type SheetRow, type XlsxColumn } from '../../platform/excel.js';
import { maskNationalId, NATIONAL_ID_MESSAGES, parseNationalId, type NationalIdInfo } from '../../platform/national-id.js';
import {
  codeFromLabel,
  EDUCATION,
  EMPLOYMENT,
  GENDERS,
  KEY_CATEGORIES,
  KEY_LEVELS,
  MANDARIN_LEVELS,
  STAGES,
  SUBJECTS,
  TEACHER_ROLES,
  TEACHER_STATUS,
  TITLES,
} from '../../platform/vocab.js';
import * as teacherRepo from './teachers.repository.js';
import { plainColumns, reachOf } from './teachers.service.js';
import { TEACHER_COLUMNS, type TeacherColumns, type TeacherRow } from './teachers.repository.js';
import { breather } from '../../platform/heavy.js';
import * as repo from './teachers.import.repository.js';
import { bannedAmong, banMessage, markBannedImportRows } from '../integrity/bans.service.js';
import * as facts from './teacher-facts.repository.js';
import {
  CellError,
  columnLetter,
  formulaStart,
  genderOf,
  IMPORT_MESSAGES,
  implausibleHireDate,
  isoOf,
  nationalIdText,
  parseDateParts,
  phoneText,
  type DateCell,
} from './teachers.import-cells.js';

export { parseDateCell } from './teachers.import-cells.js';
import type { ExistingTeacher, SchoolRef } from './teachers.import.repository.js';
import { TeacherInput, type TeacherListQuery } from './teachers.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/*
 * Teacher Excel import (preview → commit) and export.
 *
 * Preview parses and validates every row with the same TeacherInput schema as the form, encrypts the
 * personal data once, and stores the normalised rows in import_batches (ciphertext, blind index and
 * mask only: the batch table never holds a plain 身份证号 or phone). Commit re-checks every row against
 * the database as it is now, inside one transaction, and writes in bulk (one statement per chunk).
 */

// ---------------------------------------------------------------------------------------------
// Columns

type ImportField =
  | 'name'
  | 'nationalId'
  | 'phone'
  | 'orgId'
  | 'stage'
  | 'subjects'
  | 'employment'
  | 'hireDate'
  | 'education'
  | 'secondDegree'
  | 'title'
  | 'titleDate'
  | 'qualificationType'
  | 'qualificationStage'
  | 'qualificationSubject'
  | 'qualificationNo'
  | 'qualificationExpiry'
  | 'mandarinLevel'
  | 'certificates'
  | 'roles'
  | 'homeroomSince'
  | 'keyLevel'
  | 'keyCategory'
  | 'keyTermEnd'
  | 'partyMember'
  // Checked against the 身份证号, never stored (gender and birth date come from the ID).
  | 'birthDate'
  | 'gender';

type ColumnKind = 'text' | 'nationalId' | 'school' | 'vocab' | 'subjects' | 'list' | 'roles' | 'date' | 'bool';

interface ImportColumn {
  header: string;
  field: ImportField;
  kind: ColumnKind;
  required?: boolean;
  /** Keep as text in Excel (long digit strings). */
  text?: boolean;
  vocab?: Record<string, string>;
  /** Other spellings of the header seen in bureau spreadsheets. */
  aliases?: string[];
  /** A date column that also takes a year-month (参加工作年月), stored as the month's first day. */
  yearMonth?: boolean;
  note: string;
  width?: number;
  /** The stored columns this field sets: for merging a partial file into an existing record. */
  stored: (keyof TeacherColumns)[];
}

const DATE_NOTE = '日期，如 2020-09-01、2020/9/1 或 2020年9月1日';
const listOf = (o: Record<string, string>) => Object.values(o).join('、');

export const IMPORT_COLUMNS: ImportColumn[] = [
  { header: '姓名', field: 'name', kind: 'text', required: true, note: '2–30 个字', width: 12, stored: ['name'] },
  {
    header: '身份证号',
    field: 'nationalId',
    kind: 'nationalId',
    required: true,
    text: true,
    aliases: ['身份证号码', '公民身份号码', '身份证', '身份证件号码', '证件号码', '公民身份证号码', '身份证件号'],
    note: '18 位，最后一位可为 X。本列已设为“文本”格式，请勿改为数字，否则 Excel 会变成 1.50102E+17',
    width: 22,
    stored: [],
  },
  {
    header: '手机号',
    field: 'phone',
    kind: 'text',
    text: true,
    aliases: ['手机号码', '联系电话', '手机', '移动电话', '联系方式'],
    note: '11 位手机号',
    width: 14,
    stored: ['phone_enc', 'phone_idx', 'phone_mask'],
  },
  {
    header: '学校',
    field: 'orgId',
    kind: 'school',
    required: true,
    aliases: ['学校名称', '学校代码', '所在学校', '单位', '工作单位', '所在单位', '单位名称', '任职学校'],
    note: '学校全称或学校代码，须在您的管辖范围内',
    width: 20,
    stored: ['org_id'],
  },
  { header: '学段', field: 'stage', kind: 'vocab', required: true, vocab: STAGES, aliases: ['任教学段'], note: '任教学段', stored: ['stage'] },
  {
    header: '任教学科',
    field: 'subjects',
    kind: 'subjects',
    aliases: ['学科', '主要任教学科', '现任教学科', '任教科目'],
    note: '可填多个，用逗号或顿号（、）分隔，最多 5 个',
    width: 16,
    stored: ['subjects'],
  },
  {
    header: '聘用方式',
    field: 'employment',
    kind: 'vocab',
    vocab: EMPLOYMENT,
    aliases: ['编制', '是否在编', '用工方式'],
    note: '不填默认为“在编”',
    stored: ['employment'],
  },
  {
    header: '入职日期',
    field: 'hireDate',
    kind: 'date',
    yearMonth: true,
    aliases: ['参加工作时间', '参加工作日期', '入职时间', '参加工作年月', '入职年月', '参加工作年份月份', '来校时间', '参加教育工作时间'],
    note: '日期或年月，如 2020-09-01、2020年9月1日、2019-09 或 2019年9月（年月按当月 1 日记录）；不早于 16 周岁生日，不晚于今天',
    stored: ['hire_date'],
  },
  { header: '学历', field: 'education', kind: 'vocab', vocab: EDUCATION, aliases: ['最高学历', '第一学历'], note: '最高学历', stored: ['education'] },
  { header: '第二学历', field: 'secondDegree', kind: 'text', note: '如有，自由填写', stored: ['second_degree'] },
  {
    header: '职称',
    field: 'title',
    kind: 'vocab',
    vocab: TITLES,
    aliases: ['专业技术职务', '职称等级', '现任职称', '现职称', '现任专业技术职务', '专业技术职称'],
    note: '如“一级教师”，“中小学一级教师”亦可',
    stored: ['title'],
  },
  {
    header: '职称取得日期',
    field: 'titleDate',
    kind: 'date',
    aliases: ['职称取得时间', '评定时间', '职称评定时间', '取得职称时间', '现职称取得时间'],
    note: DATE_NOTE,
    stored: ['title_date'],
  },
  {
    header: '教师资格证种类',
    field: 'qualificationType',
    kind: 'text',
    aliases: ['资格证种类', '教师资格种类'],
    note: '如“初级中学教师资格”',
    width: 18,
    stored: ['qualification_type'],
  },
  { header: '资格证学段', field: 'qualificationStage', kind: 'vocab', vocab: STAGES, note: '资格证对应的学段', stored: ['qualification_stage'] },
  { header: '资格证学科', field: 'qualificationSubject', kind: 'text', note: '资格证上的任教学科', stored: ['qualification_subject'] },
  {
    header: '资格证编号',
    field: 'qualificationNo',
    kind: 'text',
    text: true,
    aliases: ['教师资格证编号', '资格证号码', '教师资格证号码', '教师资格证书编号', '教师资格证号'],
    note: '按证书填写，本列为文本格式',
    width: 20,
    stored: ['qualification_no'],
  },
  {
    header: '资格证有效期',
    field: 'qualificationExpiry',
    kind: 'date',
    aliases: ['定期注册有效期', '资格证有效期至'],
    note: '定期注册有效期截止日期；' + DATE_NOTE,
    stored: ['qualification_expiry'],
  },
  {
    header: '普通话等级',
    field: 'mandarinLevel',
    kind: 'vocab',
    vocab: MANDARIN_LEVELS,
    aliases: ['普通话', '普通话水平', '普通话水平等级', '普通话水平测试等级'],
    note: '如“二级甲等”（“二甲”亦可）',
    stored: ['mandarin_level'],
  },
  {
    header: '其他证书',
    field: 'certificates',
    kind: 'list',
    aliases: ['其他资格证书'],
    note: '如“国家二级心理咨询师”，多个用逗号或顿号分隔',
    width: 18,
    stored: ['certificates'],
  },
  {
    header: '岗位角色',
    field: 'roles',
    kind: 'roles',
    vocab: TEACHER_ROLES,
    aliases: ['角色', '担任角色'],
    note: '可填多个，用逗号或顿号分隔',
    width: 18,
    stored: [],
  },
  {
    header: '班主任起始日期',
    field: 'homeroomSince',
    kind: 'date',
    aliases: ['担任班主任起始时间', '班主任起始时间'],
    note: '岗位角色含“班主任”时填写；' + DATE_NOTE,
    stored: [],
  },
  { header: '骨干级别', field: 'keyLevel', kind: 'vocab', vocab: KEY_LEVELS, note: '骨干教师（三级三类）的级别', stored: ['key_level'] },
  { header: '骨干类别', field: 'keyCategory', kind: 'vocab', vocab: KEY_CATEGORIES, note: '骨干教师（三级三类）的类别', stored: ['key_category'] },
  { header: '骨干任期截止日期', field: 'keyTermEnd', kind: 'date', aliases: ['骨干任期截止'], note: DATE_NOTE, stored: ['key_term_end'] },
  {
    header: '党员',
    field: 'partyMember',
    kind: 'bool',
    aliases: ['是否党员', '政治面貌'],
    note: '填“是”或“否”（“中共党员”视为是），不填为否',
    stored: ['party_member'],
  },
];

/**
 * Columns a roster often has that are not imported but checked: 性别 and 出生日期 come from the 身份证号,
 * and a row where they disagree with it is refused (one of the two is wrong). Not in the template.
 */
export const CHECK_COLUMNS: ImportColumn[] = [
  { header: '出生日期', field: 'birthDate', kind: 'date', yearMonth: true, aliases: ['出生年月', '出生年月日'], note: '与身份证号核对', stored: [] },
  { header: '性别', field: 'gender', kind: 'text', note: '与身份证号核对', stored: [] },
];

const COLUMN_BY_FIELD = new Map([...IMPORT_COLUMNS, ...CHECK_COLUMNS].map((c) => [c.field, c]));

/** Accepted spellings per vocabulary beyond the code and the label. */
const VALUE_ALIASES: Partial<Record<ImportField, Record<string, string>>> = {
  stage: {
    幼儿: 'kindergarten',
    学前: 'kindergarten',
    中等职业学校: 'vocational',
    职高: 'vocational',
    特教: 'special',
    普通高中: 'senior',
    初级中学: 'junior',
  },
  qualificationStage: {
    幼儿: 'kindergarten',
    学前: 'kindergarten',
    初级中学: 'junior',
    高级中学: 'senior',
    中等职业学校: 'vocational',
    中职专业课: 'vocational',
  },
  education: {
    中专: 'secondary',
    高中: 'secondary',
    大专: 'associate',
    大学专科: 'associate',
    大学本科: 'bachelor',
    硕士: 'master',
    硕士研究生: 'master',
    研究生: 'master',
    博士: 'doctor',
    博士研究生: 'doctor',
  },
  title: { 无: 'none', 未评: 'none', 三级: 'third', 二级: 'second', 一级: 'first', 高级: 'senior', 正高级: 'fullSenior' },
  mandarinLevel: { 一甲: '1A', 一乙: '1B', 二甲: '2A', 二乙: '2B', 三甲: '3A', 三乙: '3B' },
  keyLevel: { 旗县级: 'county', 县区级: 'county', 区级: 'county', 旗县区级: 'county', 自治区级: 'province', 盟市级: 'city' },
  employment: { 编制内: 'staff', 是: 'staff', 编外: 'contract', 合同制: 'contract', 聘用: 'contract', 否: 'contract' },
};

/** Header text without spaces, required-markers and parenthesised hints: '学校（名称或代码）*' → '学校'. */
export function normaliseHeader(h: CellValue): string {
  return String(h ?? '')
    .replace(/[\s*＊]/g, '')
    .replace(/[（(][^）)]*[）)]/g, '');
}

const HEADER_LOOKUP = (() => {
  const m = new Map<string, ImportColumn>();
  for (const c of [...IMPORT_COLUMNS, ...CHECK_COLUMNS]) for (const h of [c.header, ...(c.aliases ?? [])]) m.set(normaliseHeader(h), c);
  return m;
})();

// ---------------------------------------------------------------------------------------------
// Cell parsing

export interface ImportError {
  /** The row number the user sees in Excel. */
  row: number;
  /** The Chinese column header. */
  column: string;
  /** The field in TeacherInput (English), for the UI. */
  field: string;
  message: string;
  /** The Excel cell (e.g. 'C5') when the error is about one cell. */
  cell?: string;
}

function cellText(v: CellValue): string {
  if (v === null) return '';
  if (v instanceof Date) return isoOf(v);
  if (typeof v === 'number') {
    // Excel keeps 15 significant digits: a longer number typed into a General cell has lost its tail.
    if (!Number.isSafeInteger(v) && Number.isInteger(v)) throw new CellError('被 Excel 转成了数字，末尾数字可能已丢失，请把该列设为“文本”格式后重新填写');
    return String(v);
  }
  return String(v).trim();
}

const SPLIT = /[,，、;；/\s]+/;
const splitList = (s: string) =>
  s
    .split(SPLIT)
    .map((x) => x.trim())
    .filter(Boolean);

// A file repeats a handful of labels 100k times: remember each answer per column.
const codeCache = new Map<ImportField, Map<string, string | null>>();

function vocabCode(col: ImportColumn, s: string): string {
  const vocab = col.vocab as Record<string, string>;
  let cache = codeCache.get(col.field);
  if (!cache) codeCache.set(col.field, (cache = new Map()));
  let code = cache.get(s);
  if (code === undefined) {
    code =
      codeFromLabel(vocab, s) ??
      VALUE_ALIASES[col.field]?.[s] ??
      (col.field === 'title' ? codeFromLabel(vocab, s.replace(/^(中小学|幼儿园|中等职业学校)/, '')) : undefined) ??
      null;
    if (cache.size < 1000) cache.set(s, code);
  }
  if (!code) throw new CellError(`“${s}”不在可选范围内，可选：${listOf(vocab)}`);
  return code;
}

function parseBool(s: string): boolean {
  if (s === '') return false;
  if (/^(是|y|yes|true|1|党员|中共党员|中国共产党党员|预备党员|中共预备党员)$/i.test(s)) return true;
  if (/^(否|n|no|false|0|群众|非党员|共青团员|团员|民主党派)$/i.test(s)) return false;
  throw new CellError(`“${s}”无法识别，请填写“是”或“否”`);
}

// ---------------------------------------------------------------------------------------------
// Schools

interface SchoolLookup {
  byCode: Map<string, SchoolRef>;
  byName: Map<string, SchoolRef[]>;
  byId: Map<number, SchoolRef>;
}

function schoolLookup(schools: SchoolRef[]): SchoolLookup {
  const byName = new Map<string, SchoolRef[]>();
  for (const s of schools) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return { byCode: new Map(schools.map((s) => [s.code, s])), byName, byId: new Map(schools.map((s) => [s.id, s])) };
}

function findSchool(l: SchoolLookup, s: string): SchoolRef {
  const byCode = l.byCode.get(s);
  if (byCode) return byCode;
  const named = l.byName.get(s) ?? [];
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new CellError(`学校名称“${s}”对应多所学校，请改填学校代码`);
  throw new CellError(`学校“${s}”不存在或不在您的管辖范围内`);
}

// ---------------------------------------------------------------------------------------------
// Rows

/** A validated row as stored in the batch: columns ready to insert (PII encrypted), roles, provenance. */
interface StagedRow {
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
type Action = 'create' | 'update' | 'unchanged' | 'conflict' | 'error';

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
function locateHeader(rows: SheetRow[]): ParsedFile {
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

const isEmptyRow = (cells: CellValue[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

interface RowOutcome {
  staged: StagedRow;
  /** Normalised 身份证号 and phone, in memory only: duplicate detection and encryption (never stored). */
  nationalId: string | null;
  phone: string | null;
  idx: string | null;
  /** Columns of a valid row, ciphertext not yet filled in. */
  cols: TeacherColumns | null;
}

/** Parse, map labels to codes and validate one row with the same schema as the teacher form. */
function parseRow(ctx: AppContext, file: ParsedFile, row: SheetRow, schools: SchoolLookup): RowOutcome {
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

const HISTORY_COLUMNS = TEACHER_COLUMNS.filter((k) => !k.endsWith('_enc') && !k.endsWith('_idx'));
/** Equality of stored values: null/undefined alike, arrays element-wise (no JSON round trip: this runs per field per row). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

function columnsOf(st: StagedRow): TeacherColumns {
  const c = {} as Record<string, unknown>;
  TEACHER_COLUMNS.forEach((k, i) => (c[k] = st.c![i]));
  return c as unknown as TeacherColumns;
}

interface Decision {
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
function decide(st: StagedRow, existing: ExistingTeacher | undefined, present: Set<string>): Decision {
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

const CHANGE_LABELS: Record<string, string> = {
  ...Object.fromEntries(IMPORT_COLUMNS.flatMap((c) => c.stored.map((k) => [k, c.header]))),
  roles: '岗位角色',
  phone_mask: '手机号',
  national_id_mask: '身份证号',
  gender: '性别',
  birth_date: '出生日期',
};

// ---------------------------------------------------------------------------------------------
// Preview

export interface PreviewResult {
  batchId: number;
  fileName: string;
  total: number;
  counts: Record<Action, number>;
  errors: ImportError[];
  rows: { row: number; name: string; nationalIdMasked: string; orgName: string; action: Action; messages: string[] }[];
  /** Recognised headers, and headers this import does not know (ignored). */
  columns: string[];
  ignoredColumns: string[];
  /** How each recognised column of the file was read (表头 → 字段). */
  mapping: ColumnMapping[];
  /**
   * Every row whose 身份证号 is registered under another name: imported only when its row number is
   * sent in confirmRenames at commit (确认更名), otherwise skipped.
   */
  conflicts: NameConflict[];
  /** The same file (by SHA-256) was imported by this user before. */
  previouslyCommitted: { batchId: number; committedAt: string } | null;
}

export interface NameConflict {
  row: number;
  /** The name in the file. */
  name: string;
  /** The name registered for this 身份证号. */
  registeredName: string;
  nationalIdMasked: string;
  orgName: string;
}

const MAX_ERRORS = 500;
const MAX_ROWS_SHOWN = 200;
/** Conflicts listed for confirmation; more than this in one file is refused (the file is probably misaligned). */
export const MAX_CONFLICTS = 2000;

/**
 * Parse and validate an uploaded .xlsx/.csv, decide per row (create / update / unchanged / error) and
 * keep the normalised rows as an import batch for commitImport. Nothing is written to teachers.
 */
export async function previewImport(ctx: AppContext, user: CurrentUser, file: { buffer: Buffer; fileName: string }): Promise<PreviewResult> {
  requirePermission(user, 'teachers.import');
  const fileName = cleanFileName(file.fileName);
  if (file.buffer.length === 0) throw badRequest('上传的文件是空的');
  const sheet = await readSpreadsheet(file.buffer, fileName, { skipSheets: [GUIDE_SHEET], dateCells: true });
  const parsed = locateHeader(sheet);
  const schools = schoolLookup(await repo.schoolsInScope(ctx.db, user.scopePath));

  const outcomes: RowOutcome[] = [];
  // Validation and encryption are synchronous: yield to other requests every few hundred rows (issue 9 item 15).
  for (const [i, row] of parsed.rows.entries()) {
    if (!isEmptyRow(row.cells)) outcomes.push(parseRow(ctx, parsed, row, schools));
    await breather(i);
  }

  // The same 身份证号 twice in one file: neither row can be trusted, name the other row in both.
  const byId = new Map<string, number[]>();
  for (const o of outcomes) if (o.nationalId) byId.set(o.nationalId, [...(byId.get(o.nationalId) ?? []), o.staged.r]);
  for (const o of outcomes) {
    const rowsWithId = o.nationalId ? byId.get(o.nationalId)! : [];
    if (rowsWithId.length < 2) continue;
    const others = rowsWithId.filter((r) => r !== o.staged.r);
    o.staged.e = [...(o.staged.e ?? []), ['身份证号', 'nationalId', `身份证号与第 ${others.join('、')} 行重复`]];
    delete o.staged.ro;
    o.idx = null;
    o.cols = null;
  }

  const idxs = outcomes.filter((o) => o.idx).map((o) => o.idx!);
  const [existing, outside] = await Promise.all([
    repo.existingInScope(ctx.db, user.scopePath, idxs),
    repo.registeredOutsideScope(ctx.db, user.scopePath, idxs),
  ]);
  const existingByIdx = new Map(existing.map((e) => [e.national_id_idx, e]));
  // 行业禁入 (issue 12): a new teacher whose 身份证号 is in the register is a row error naming the decision.
  const banned = await bannedAmong(
    ctx.db,
    idxs.filter((i) => !existingByIdx.has(i)),
    todayInChina(),
  );
  const present = new Set<string>(parsed.columns.keys());

  const counts: Record<Action, number> = { create: 0, update: 0, unchanged: 0, conflict: 0, error: 0 };
  const errors: ImportError[] = [];
  const rows: PreviewResult['rows'] = [];
  const conflicts: NameConflict[] = [];
  for (const [i, o] of outcomes.entries()) {
    await breather(i);
    const st = o.staged;
    if (o.idx && outside.has(o.idx)) {
      st.e = [['身份证号', 'nationalId', '该教师已在其他单位登记，需由原单位调出']];
      delete st.ro;
      o.cols = null;
    } else if (o.idx && banned.has(o.idx)) {
      st.e = [['身份证号', 'nationalId', banMessage(banned.get(o.idx)!, '登记为教师')]];
      delete st.ro;
      o.cols = null;
    } else if (o.idx && o.nationalId?.endsWith('000') && !existingByIdx.has(o.idx)) {
      // Excel keeps 15 digits: an ID typed into a number cell ends in 000 and may still pass the check
      // digit. A new teacher with such an ID would be a second record of someone; the form still takes it.
      st.e = [['身份证号', 'nationalId', IMPORT_MESSAGES.idTrailingZeros]];
      delete st.ro;
      delete st.x;
      o.cols = null;
    }
    if (o.cols) {
      // Encrypt once, and only what is not already stored: the same value's stored ciphertext is reused.
      const ex = existingByIdx.get(o.idx!);
      o.cols.national_id_enc = ex ? ex.national_id_enc : ctx.pii.encrypt(o.nationalId!);
      o.cols.phone_enc = !o.phone ? null : ex && ex.phone_idx === o.cols.phone_idx ? ex.phone_enc : ctx.pii.encrypt(o.phone);
      st.c = TEACHER_COLUMNS.map((k) => o.cols![k]);
    }
    let action: Action = 'error';
    let messages: string[] = [];
    if (st.e) {
      for (const [column, field, message, cell] of st.e)
        if (errors.length < MAX_ERRORS) errors.push(cell ? { row: st.r, column, field, message, cell } : { row: st.r, column, field, message });
      messages = st.e.map(([column, , message]) => `${column}：${message}`);
    } else {
      const ex = existingByIdx.get(o.idx!);
      const d = decide(st, ex, present);
      action = d.action;
      const changed = [...new Set(Object.keys(d.changes).map((k) => CHANGE_LABELS[k] ?? k))];
      if (action === 'update') messages = [`将更新：${changed.join('、')}`];
      if (action === 'conflict' && ex) {
        messages = [`姓名与已登记的“${ex.name}”不一致：勾选“确认更名”才会导入此行（${changed.join('、')}），否则跳过`];
        if (conflicts.length >= MAX_CONFLICTS) throw badRequest(`有超过 ${MAX_CONFLICTS} 行的姓名与已登记的不一致，请检查姓名列与身份证号列是否对齐后重新上传`);
        conflicts.push({ row: st.r, name: st.n, registeredName: ex.name, nationalIdMasked: st.m, orgName: st.o });
      }
    }
    counts[action]++;
    if (rows.length < MAX_ROWS_SHOWN) rows.push({ row: st.r, name: st.n, nationalIdMasked: st.m, orgName: st.o, action, messages });
  }

  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  const before = await repo.lastCommittedSameFile(ctx.db, user.id, sha256);
  const summary = { present: [...present], counts, total: outcomes.length, headerRow: parsed.headerRow };
  const batchId = await repo.insertBatch(ctx.db, { userId: user.id, orgId: user.orgId, fileName, sha256, rows: outcomes.map((o) => o.staged), summary });
  return {
    batchId,
    fileName,
    total: outcomes.length,
    counts,
    errors,
    rows,
    columns: IMPORT_COLUMNS.filter((c) => parsed.columns.has(c.field)).map((c) => c.header),
    ignoredColumns: parsed.ignored,
    mapping: parsed.mapping,
    conflicts,
    previouslyCommitted: before ? { batchId: before.id, committedAt: new Date(before.committed_at).toISOString() } : null,
  };
}

function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f]/g, '').slice(0, 200) || '未命名文件';
}

// ---------------------------------------------------------------------------------------------
// Commit

export type CommitMode = 'all' | 'validOnly';

export interface CommitResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/**
 * Import a previewed batch in ONE transaction: every row is re-checked against the database as it is
 * now (someone may have registered or edited a teacher since the preview). 'all' refuses if any row has
 * an error; 'validOnly' skips those rows. Unchanged rows write nothing, so the same file twice is a no-op;
 * a batch can be committed once. A row whose 身份证号 is registered under another name is imported only
 * when its row number is in confirmRenames (确认更名, row by row); otherwise it is skipped.
 * Writes change history (source 'import'), roles and an audit line.
 */
export async function commitImport(
  ctx: AppContext,
  user: CurrentUser,
  batchId: number,
  mode: CommitMode,
  ip?: string,
  confirmRenames: number[] = [],
): Promise<CommitResult> {
  requirePermission(user, 'teachers.import');
  try {
    return await ctx.db.tx((q) => commitInTx(q, user, batchId, mode, ip, new Set(confirmRenames)));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw conflict('导入期间有教师被他人登记，请重新上传预览后再导入');
    throw err;
  }
}

async function commitInTx(
  q: Queryable,
  user: CurrentUser,
  batchId: number,
  mode: CommitMode,
  ip: string | undefined,
  confirmed: Set<number>,
): Promise<CommitResult> {
  const batch = await repo.lockBatch(q, batchId, user.id);
  if (!batch) throw notFound('导入批次');
  if (batch.status === 'committed') throw conflict('该批次已经导入，请勿重复提交');
  if (batch.status !== 'previewed') throw conflict('该批次已作废，请重新上传');
  const present = new Set((batch.summary.present as string[] | undefined) ?? []);
  const errorRows = (batch.summary.counts as Record<Action, number> | undefined)?.error ?? 0;
  if (mode === 'all' && errorRows) throw conflict(`有 ${errorRows} 行存在错误，未导入任何数据。请修正后重新上传，或选择“仅导入无误的行”`);

  // Re-check every valid row against the database as it is now, in SQL.
  const staged = await repo.stageBatchRows(q, batchId, user.scopePath);
  // 行业禁入 registered since the preview: those new teachers are not created (row errors, the rest goes on).
  const barred = await markBannedImportRows(q, todayInChina());
  if (barred && mode === 'all') throw conflict(`预览之后有 ${barred} 人被列入行业禁入名单，未导入任何数据，请重新上传预览`);
  staged.stale += barred;
  if (staged.stale && mode === 'all')
    throw conflict(`预览之后有 ${staged.stale} 名教师的情况发生了变化（已在其他单位登记或学校不在管辖范围），未导入任何数据，请重新上传预览`);

  const ids = await repo.insertStagedCreates(q);
  // Facts over time: the new teachers' record holds since it began; updates hold from today.
  const today = todayInChina();
  await facts.followColumns(q, ids, today, user.id, { created: true });
  await repo.insertCreateHistory(q, user.id, 'import', ids, HISTORY_COLUMNS);

  // Rows of registered teachers: compare field by field in Node (merging columns the file does not have).
  const rows = await repo.stagedExisting(q);
  const existing = new Map(
    (
      await repo.existingInScope(
        q,
        user.scopePath,
        rows.map((r) => r.national_id_idx),
      )
    ).map((e) => [e.national_id_idx, e]),
  );
  const updates: (Decision & { id: number; version: number })[] = [];
  let unchanged = 0;
  let renamesSkipped = 0;
  for (const row of rows) {
    const ex = existing.get(row.national_id_idx)!;
    const st: StagedRow = { r: row.row_no, n: row.name, m: row.national_id_mask, o: '', c: TEACHER_COLUMNS.map((k) => row[k]), ro: row.roles, x: row.empty };
    const d = decide(st, ex, present);
    if (d.action === 'conflict' && !confirmed.has(row.row_no)) renamesSkipped++;
    else if (d.action === 'update' || d.action === 'conflict') updates.push({ ...d, id: ex.id, version: ex.version });
    else unchanged++;
  }
  if (
    updates.length &&
    (await repo.updateTeachers(
      q,
      updates.map((d) => ({ ...d.cols, id: d.id, version: d.version })),
    )) !== updates.length
  )
    throw conflict('导入期间有教师信息被他人修改，未导入任何数据，请重新上传预览');
  await facts.followColumns(
    q,
    updates.map((d) => d.id),
    today,
    user.id,
  );
  await facts.followRoles(
    q,
    updates.map((d) => d.id),
    updates.flatMap((d) => d.roles.map((r) => ({ teacher_id: d.id, role: r.role, since: r.since }))),
    today,
    user.id,
  );
  await repo.insertChanges(
    q,
    user.id,
    'import',
    updates.map((d) => ({ teacher_id: d.id, changes: d.changes })),
  );

  const result: CommitResult = { created: ids.length, updated: updates.length, unchanged, skipped: errorRows + staged.stale + renamesSkipped };
  const renamed = updates.filter((d) => d.changes.name).length;
  await repo.markBatchCommitted(q, batchId, { ...result, mode, renamed, renamesSkipped });
  await audit(q, user, 'teacher.import', 'import_batch', batchId, { fileName: batch.file_name, mode, ...result, renamed, renamesSkipped }, ip);
  return result;
}

/**
 * 放弃导入: delete a previewed batch (its rows hold encrypted personal data). Allowed to the uploader and
 * to an importing admin whose subtree holds the uploader's org; any other batch is 404. A committed batch
 * cannot be discarded (409). Writes an audit line.
 */
export async function discardImport(ctx: AppContext, user: CurrentUser, batchId: number, ip?: string): Promise<void> {
  requirePermission(user, 'teachers.import');
  await ctx.db.tx(async (q) => {
    const batch = await repo.lockBatchForDiscard(q, batchId, user.id, user.scopePath);
    if (!batch) throw notFound('导入批次');
    if (batch.status === 'committed') throw conflict('该批次已经导入，不能放弃');
    await repo.deleteBatch(q, batchId);
    await audit(q, user, 'teacher.import.discard', 'import_batch', batchId, { fileName: batch.file_name, uploaderId: batch.user_id }, ip);
  });
}

/** Uncommitted batches are kept this long (a preview left open over lunch can still be committed). */
export const IMPORT_BATCH_RETENTION_HOURS = 24;

/**
 * Delete every uncommitted import batch (all kinds) older than `olderThanHours`, with one audit line
 * when any went. Returns how many were deleted.
 */
export async function purgeStaleImportBatches(ctx: AppContext, olderThanHours = IMPORT_BATCH_RETENTION_HOURS): Promise<number> {
  return ctx.db.tx(async (q) => {
    const gone = await repo.deleteStaleBatches(q, olderThanHours);
    const total = gone.reduce((n, g) => n + g.n, 0);
    if (total) await audit(q, null, 'import_batch.purge', 'import_batch', null, { olderThanHours, byKind: Object.fromEntries(gone.map((g) => [g.kind, g.n])) });
    return total;
  });
}

/**
 * Run purgeStaleImportBatches shortly after start and then daily, in this process (several processes
 * may each run it: the DELETE is idempotent). Timers are unref'd; returns a stop function.
 */
export function startImportBatchPurge(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined, everyMs = 24 * 3600_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await purgeStaleImportBatches(ctx);
      if (n) log(`已清理 ${n} 个超过 ${IMPORT_BATCH_RETENTION_HOURS} 小时未导入的批次`);
    } catch (err) {
      log('清理过期导入批次失败', err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 5_000);
  const every = setInterval(() => void tick(), everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}

// ---------------------------------------------------------------------------------------------
// Template, error report, export

export const GUIDE_SHEET = '填写说明';
const DATA_SHEET = '教师信息';

function allowedValues(c: ImportColumn): string {
  if (c.kind === 'subjects') return SUBJECTS.join('、');
  if (c.kind === 'bool') return '是、否';
  if (c.vocab) return listOf(c.vocab);
  return '';
}

/** The import template: the data sheet with Chinese headers (身份证号 etc. as text) and a guide sheet. */
export async function importTemplate(user: CurrentUser): Promise<Buffer> {
  requirePermission(user, 'teachers.import');
  const lists: Record<number, string[]> = {};
  IMPORT_COLUMNS.forEach((c, i) => {
    if (c.kind === 'vocab' && c.vocab) lists[i] = Object.values(c.vocab);
    if (c.kind === 'bool') lists[i] = ['是', '否'];
  });
  return writeXlsx([
    {
      name: DATA_SHEET,
      columns: IMPORT_COLUMNS.map((c) => ({ header: c.header, width: c.width, text: c.text })),
      rows: [],
      lists,
      listRows: 2000,
    },
    {
      name: GUIDE_SHEET,
      columns: [
        { header: '列名', width: 16 },
        { header: '是否必填', width: 10 },
        { header: '填写说明', width: 60 },
        { header: '可选值', width: 70 },
      ],
      rows: [
        ...IMPORT_COLUMNS.map((c) => [c.header, c.required ? '必填' : '选填', c.note, allowedValues(c)]),
        [],
        [
          '说明',
          '',
          '每行一名教师，从“教师信息”表第 2 行开始填写；不要改动表头。已登记的教师（按身份证号识别）会按表中内容更新，表中没有的列和空白单元格保持原值；姓名与已登记的不一致时，需在预览中逐行“确认更名”。',
          '',
        ],
        ['说明', '', '请直接填写内容，不要使用公式；身份证号、手机号、日期列请设为“文本”格式，日期写成 2020-09-01 或 2020年9月1日。', ''],
        ['说明', '', '上传后先预览：逐行显示新增、更新、无变化和错误，确认后再导入。导入是整批完成的，不会只导入一半。', ''],
      ],
    },
  ]);
}

/** All errors of a batch as an .xlsx, for fixing the file in Excel. */
export async function errorReport(ctx: AppContext, user: CurrentUser, batchId: number, ip?: string): Promise<{ buffer: Buffer; fileName: string }> {
  requirePermission(user, 'teachers.import');
  const b = await repo.findBatch(ctx.db, batchId, user.id);
  if (!b) throw notFound('导入批次');
  const rows: unknown[][] = [];
  for (const s of b.rows as StagedRow[]) for (const [column, , message, cell] of s.e ?? []) rows.push([s.r, cell ?? '', column, message, s.n, s.m]);
  const buffer = await writeXlsx([
    {
      name: '错误清单',
      columns: [
        { header: '行号', width: 8 },
        { header: '单元格', width: 8 },
        { header: '列', width: 16 },
        { header: '错误说明', width: 60 },
        { header: '姓名', width: 12 },
        { header: '身份证号', width: 22, text: true },
      ],
      rows,
    },
  ]);
  // The list carries names and 身份证号 as uploaded: its download is an export of personal data.
  await audit(ctx.db, user, 'teacher.import.errors', 'import_batch', batchId, { fileName: b.file_name, rows: rows.length }, ip);
  return { buffer, fileName: `导入错误清单-${b.file_name.replace(/\.(xlsx|csv)$/i, '')}.xlsx` };
}

const label = (o: Record<string, string>, v: string | null) => (v ? (o[v] ?? v) : '');

const EXPORT_COLUMNS: (XlsxColumn & { value: (t: TeacherRow) => unknown })[] = [
  { header: '姓名', width: 12, value: (t) => t.name },
  { header: '身份证号', width: 22, text: true, value: (t) => t.national_id_mask },
  { header: '性别', width: 6, value: (t) => label(GENDERS, t.gender) },
  { header: '出生日期', width: 12, value: (t) => t.birth_date },
  { header: '手机号', width: 14, text: true, value: (t) => t.phone_mask ?? '' },
  { header: '学校', width: 22, value: (t) => t.org_name },
  { header: '学段', value: (t) => label(STAGES, t.stage) },
  { header: '任教学科', width: 16, value: (t) => t.subjects.join('、') },
  { header: '聘用方式', value: (t) => label(EMPLOYMENT, t.employment) },
  { header: '入职日期', width: 12, value: (t) => t.hire_date ?? '' },
  { header: '学历', value: (t) => label(EDUCATION, t.education) },
  { header: '第二学历', value: (t) => t.second_degree ?? '' },
  { header: '职称', value: (t) => label(TITLES, t.title) },
  { header: '职称取得日期', width: 12, value: (t) => t.title_date ?? '' },
  { header: '教师资格证种类', width: 18, value: (t) => t.qualification_type ?? '' },
  { header: '资格证学段', value: (t) => label(STAGES, t.qualification_stage) },
  { header: '资格证学科', value: (t) => t.qualification_subject ?? '' },
  { header: '资格证编号', width: 20, text: true, value: (t) => t.qualification_no ?? '' },
  { header: '资格证有效期', width: 12, value: (t) => t.qualification_expiry ?? '' },
  { header: '普通话等级', value: (t) => label(MANDARIN_LEVELS, t.mandarin_level) },
  { header: '其他证书', width: 18, value: (t) => t.certificates.join('、') },
  { header: '岗位角色', width: 18, value: (t) => t.roles.map((r) => label(TEACHER_ROLES, r.role)).join('、') },
  { header: '班主任起始日期', width: 14, value: (t) => t.roles.find((r) => r.role === 'homeroom')?.since ?? '' },
  { header: '骨干级别', value: (t) => label(KEY_LEVELS, t.key_level) },
  { header: '骨干类别', value: (t) => label(KEY_CATEGORIES, t.key_category) },
  { header: '骨干任期截止日期', width: 14, value: (t) => t.key_term_end ?? '' },
  { header: '党员', width: 6, value: (t) => (t.party_member ? '是' : '否') },
  { header: '状态', width: 8, value: (t) => label(TEACHER_STATUS, t.status) },
];

export type ExportFilters = Omit<TeacherListQuery, 'page' | 'pageSize'>;

/**
 * The filtered teacher list (all pages) as a streamed .xlsx: 身份证号 and phone masked, labels in Chinese,
 * formula-like cells neutralised. The export is audited (filters and row count) before the first byte is sent.
 */
export async function exportTeachers(
  ctx: AppContext,
  user: CurrentUser,
  filters: ExportFilters,
  ip?: string,
): Promise<{ stream: Readable; fileName: string; count: number }> {
  requirePermission(user, 'teachers.read');
  requirePermission(user, 'teachers.export');
  const reach = reachOf(user);
  const { total } = await teacherRepo.listTeachers(ctx.db, reach, { ...filters, page: 1, pageSize: 1 });
  await audit(ctx.db, user, 'teacher.export', 'teacher', null, { filters, rows: total }, ip);
  const pages = (async function* () {
    for await (const page of teacherRepo.iterateTeachers(ctx.db, reach, filters)) yield page.map((t) => EXPORT_COLUMNS.map((c) => c.value(t)));
  })();
  return { stream: streamXlsx(DATA_SHEET, EXPORT_COLUMNS, pages), fileName: '教师名单.xlsx', count: total };
}
