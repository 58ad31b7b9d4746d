import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { streamXlsx, writeXlsx, type XlsxColumn } from '../../platform/excel.js';
import {
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
import { reachOf } from './teachers.service.js';
import type { TeacherRow } from './teachers.repository.js';
import * as repo from './teachers.import.repository.js';

export { parseDateCell } from './teachers.import-cells.js';
import type { TeacherListQuery } from './teachers.schema.js';
import { IMPORT_COLUMNS, type ImportColumn, listOf } from './teachers.import-columns.js';
import type { StagedRow } from './teachers.import-rows.js';

/** The import's workbooks: the template with its 填写说明, the error report of a preview, and the teacher export. */

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
