import type { CellValue } from '../../platform/excel.js';
import { codeFromLabel, EDUCATION, EMPLOYMENT, KEY_CATEGORIES, KEY_LEVELS, MANDARIN_LEVELS, STAGES, TEACHER_ROLES, TITLES } from '../../platform/vocab.js';
import type { TeacherColumns } from './teachers.repository.js';
import { CellError, isoOf } from './teachers.import-cells.js';

export { parseDateCell } from './teachers.import-cells.js';
import type { SchoolRef } from './teachers.import.repository.js';

/** The import's columns: headers and their aliases, value vocabularies, and reading one cell of each kind. */

// ---------------------------------------------------------------------------------------------
// Columns

export type ImportField =
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

export interface ImportColumn {
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
export const listOf = (o: Record<string, string>) => Object.values(o).join('、');

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
    note: `定期注册有效期截止日期；${DATE_NOTE}`,
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
    note: `岗位角色含“班主任”时填写；${DATE_NOTE}`,
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

export const COLUMN_BY_FIELD = new Map([...IMPORT_COLUMNS, ...CHECK_COLUMNS].map((c) => [c.field, c]));

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

export const HEADER_LOOKUP = (() => {
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

export function cellText(v: CellValue): string {
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
export const splitList = (s: string) =>
  s
    .split(SPLIT)
    .map((x) => x.trim())
    .filter(Boolean);

// A file repeats a handful of labels 100k times: remember each answer per column.
const codeCache = new Map<ImportField, Map<string, string | null>>();

export function vocabCode(col: ImportColumn, s: string): string {
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

export function parseBool(s: string): boolean {
  if (s === '') return false;
  if (/^(是|y|yes|true|1|党员|中共党员|中国共产党党员|预备党员|中共预备党员)$/i.test(s)) return true;
  if (/^(否|n|no|false|0|群众|非党员|共青团员|团员|民主党派)$/i.test(s)) return false;
  throw new CellError(`“${s}”无法识别，请填写“是”或“否”`);
}

// ---------------------------------------------------------------------------------------------
// Schools

export interface SchoolLookup {
  byCode: Map<string, SchoolRef>;
  byName: Map<string, SchoolRef[]>;
  byId: Map<number, SchoolRef>;
}

export function schoolLookup(schools: SchoolRef[]): SchoolLookup {
  const byName = new Map<string, SchoolRef[]>();
  for (const s of schools) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return { byCode: new Map(schools.map((s) => [s.code, s])), byName, byId: new Map(schools.map((s) => [s.id, s])) };
}

export function findSchool(l: SchoolLookup, s: string): SchoolRef {
  const byCode = l.byCode.get(s);
  if (byCode) return byCode;
  const named = l.byName.get(s) ?? [];
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new CellError(`学校名称“${s}”对应多所学校，请改填学校代码`);
  throw new CellError(`学校“${s}”不存在或不在您的管辖范围内`);
}
