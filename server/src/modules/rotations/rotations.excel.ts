/**
 * 交流轮岗 in and out of Excel: the counts per county and school (the figures of GET /rotations/counts) as .xlsx,
 * and rotation records imported from .xlsx — a template, every row checked with the row and column named, and all
 * rows written through createRecord in one transaction, or none (交流/轮岗 then move the school of record as the
 * form does).
 */
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, type FieldError } from '../../platform/errors.js';
import { readSpreadsheet, writeXlsx, type CellValue } from '../../platform/excel.js';
import type { UploadedSheet } from '../../platform/upload.js';
import { nationalIdText } from '../teachers/teachers.import-cells.js';
import { ROTATION_KINDS, type RotationKind } from '../policies/policy.rotation.js';
import { countsFor } from './rotation-figures.js';
import * as repo from './rotations.repository.js';
import { RecordBody, type RecordInput } from './rotations.schema.js';
import { createRecord } from './rotations.service.js';

export const COUNT_HEADERS = ['单位', '类别', '符合条件人数', '应交流人数', '计划人数', '已交流人数', '缺口'];
export const IMPORT_HEADERS = ['身份证号', '原学校', '交流学校', '类型', '开始日期', '结束日期', '是否乡村', '备注'];
const MAX_IMPORT_ROWS = 2000;
const KIND_BY_LABEL = Object.fromEntries(Object.entries(ROTATION_KINDS).map(([k, v]) => [v, k])) as Record<string, RotationKind>;

/** The counts route's figures, one row per county and school. */
export async function exportCounts(ctx: AppContext, user: CurrentUser, year: number, ip?: string) {
  requirePermission(user, 'rotations.manage');
  const c = await countsFor(ctx.db, user.scopePath, year);
  const rows = c.units.map((u) => [u.orgName, u.kind === 'county' ? '区县' : '学校', u.eligible, u.needed, u.planned ?? '', u.recorded, u.short]);
  const buffer = await writeXlsx([{ name: `${year}年交流轮岗`, columns: COUNT_HEADERS.map((header, i) => ({ header, width: i === 0 ? 28 : 14 })), rows }]);
  await audit(ctx.db, user, 'rotations.export', 'org', user.orgId, { year, rows: rows.length }, ip);
  return { buffer, fileName: `交流轮岗统计_${year}.xlsx`, count: rows.length };
}

export async function importTemplate(user: CurrentUser) {
  requirePermission(user, 'rotations.manage');
  const example = ['110101198001010011', '第一小学', '第二中学', '交流', '2025-09-01', '', '否', '示例行，导入前请删除'];
  return writeXlsx([{ name: '交流轮岗记录', columns: IMPORT_HEADERS.map((header) => ({ header, width: header === '身份证号' ? 22 : 14 })), rows: [example] }]);
}

const text = (v: CellValue | undefined) => (v === null || v === undefined ? '' : String(v).trim());
const pad = (n: number) => String(n).padStart(2, '0');

/** A date cell: an Excel date (exceljs gives it at UTC midnight) or text 2025-09-01 / 2025/9/1 / 2025.9.1. */
function dateCell(v: CellValue | undefined): string | null {
  if (v === null || v === undefined || v === '') return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'number') {
    // An Excel date serial (days since 1899-12-30) in a cell not formatted as a date.
    if (!Number.isInteger(v) || v < 1 || v > 2958465) return null;
    const d = new Date(Date.UTC(1899, 11, 30) + v * 86_400_000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  // A date cell read in the worker arrives as its UTC-midnight ISO text.
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})(?:日|T00:00:00(?:\.000)?Z)?$/.exec(String(v).trim());
  if (!m) return null;
  const iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3]) ? null : iso;
}

const FIELD_COLUMN: Record<string, string> = {
  teacherId: '身份证号',
  toOrgId: '交流学校',
  kind: '类型',
  startDate: '开始日期',
  endDate: '结束日期',
  note: '备注',
};

interface Parsed {
  rowNumber: number;
  fromOrgId: number;
  body: RecordInput;
}

/**
 * Import rotation records: every row checked (teacher by 身份证号 in scope, schools by name or code in scope, type,
 * dates, 是否乡村); then all rows through createRecord in one transaction. Any error: nothing written, every
 * error listed as 第 N 行「列」.
 */
export async function importRecords(ctx: AppContext, user: CurrentUser, sheet: UploadedSheet, ip?: string) {
  requirePermission(user, 'rotations.manage');
  const rows = await readSpreadsheet(sheet.buffer, sheet.fileName, { maxRows: MAX_IMPORT_ROWS });
  const head = rows[0]?.cells.map((c) => text(c)) ?? [];
  if (IMPORT_HEADERS.some((h, i) => head[i] !== h)) throw badRequest(`表头应为：${IMPORT_HEADERS.join('、')}（请下载导入模板）`);
  const data = rows.slice(1).filter((r) => r.cells.some((c) => text(c) !== ''));
  if (data.length === 0) throw badRequest('表中没有交流轮岗记录');
  const schools = (
    await ctx.db.query<{ id: number; name: string; code: string }>(`SELECT id, name, code FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%'`, [
      user.scopePath,
    ])
  ).rows;
  const schoolBy = new Map<string, number>();
  for (const s of schools) {
    schoolBy.set(s.code, s.id);
    schoolBy.set(s.name, s.id);
  }
  const errors: FieldError[] = [];
  const at = (row: number, col: string, message: string) => errors.push({ field: `第 ${row} 行「${col}」`, message });
  const ids = new Map<string, string>();
  const parsed: Parsed[] = [];
  const pre: {
    rowNumber: number;
    nationalId: string;
    fromOrgId: number;
    toOrgId: number;
    kind: RotationKind;
    startDate: string;
    endDate: string;
    rural?: boolean;
    note: string;
  }[] = [];
  for (const r of data) {
    const n = r.rowNumber;
    const before = errors.length;
    let nationalId = '';
    try {
      nationalId = nationalIdText(r.cells[0] ?? null);
    } catch (e) {
      at(n, '身份证号', (e as Error).message);
    }
    if (errors.length === before && !/^\d{17}[\dX]$/.test(nationalId)) at(n, '身份证号', nationalId ? '身份证号应为 18 位' : '请填写身份证号');
    const fromName = text(r.cells[1]);
    const fromOrgId = schoolBy.get(fromName);
    if (!fromName) at(n, '原学校', '请填写原学校');
    else if (!fromOrgId) at(n, '原学校', `「${fromName}」不是本辖区的学校（填学校全称或单位代码）`);
    const toName = text(r.cells[2]);
    const toOrgId = schoolBy.get(toName);
    if (!toName) at(n, '交流学校', '请填写交流学校');
    else if (!toOrgId) at(n, '交流学校', `「${toName}」不是本辖区的学校（填学校全称或单位代码）`);
    else if (toOrgId === fromOrgId) at(n, '交流学校', '交流学校与原学校相同');
    const kind = KIND_BY_LABEL[text(r.cells[3])];
    if (!kind) at(n, '类型', `类型应为：${Object.values(ROTATION_KINDS).join(' / ')}`);
    const startDate = dateCell(r.cells[4]);
    if (!startDate) at(n, '开始日期', startDate === '' ? '请填写开始日期' : '开始日期格式应为 2025-09-01');
    const endDate = dateCell(r.cells[5]);
    if (endDate === null) at(n, '结束日期', '结束日期格式应为 2025-09-01，或留空');
    else if (endDate && startDate && endDate < startDate) at(n, '结束日期', '结束日期不能早于开始日期');
    const ruralText = text(r.cells[6]);
    const rural = ruralText === '是' ? true : ruralText === '否' ? false : undefined;
    if (ruralText !== '' && rural === undefined) at(n, '是否乡村', '应填“是”或“否”，或留空（按交流学校所在地判断）');
    const note = text(r.cells[7]);
    if (note.length > 500) at(n, '备注', '备注不能超过 500 字');
    if (errors.length === before && fromOrgId && toOrgId && kind && startDate)
      pre.push({ rowNumber: n, nationalId, fromOrgId, toOrgId, kind, startDate, endDate: endDate ?? '', rural, note });
    if (nationalId) ids.set(nationalId, ctx.pii.blindIndex(nationalId));
  }
  const teachers = new Map(
    (
      await ctx.db.query<{ id: number; idx: string }>(
        `SELECT t.id, t.national_id_idx AS idx FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.national_id_idx = ANY($1::text[]) AND o.path LIKE $2 || '%'`,
        [[...new Set(ids.values())], user.scopePath],
      )
    ).rows.map((t) => [t.idx, t.id]),
  );
  for (const p of pre) {
    const teacherId = teachers.get(ids.get(p.nationalId) ?? '');
    if (!teacherId) {
      at(p.rowNumber, '身份证号', '本辖区没有该身份证号的教师');
      continue;
    }
    const b = RecordBody.safeParse({
      teacherId,
      toOrgId: p.toOrgId,
      kind: p.kind,
      startDate: p.startDate,
      endDate: p.endDate || null,
      rural: p.rural,
      note: p.note || undefined,
    });
    if (!b.success) {
      for (const i of b.error.issues) at(p.rowNumber, FIELD_COLUMN[String(i.path[0])] ?? '身份证号', i.message);
      continue;
    }
    parsed.push({ rowNumber: p.rowNumber, fromOrgId: p.fromOrgId, body: b.data });
  }
  if (errors.length) throw importFailed(errors);
  // One transaction: a row the service refuses (an overlap, a school that does not match) rolls every row back.
  return ctx.db.tx(async (q) => {
    const created: number[] = [];
    for (const p of parsed) {
      const actual = await repo.schoolOn(q, p.body.teacherId, p.body.startDate);
      if (actual !== p.fromOrgId) {
        at(p.rowNumber, '原学校', '与该教师在开始日期时的任职学校不一致');
        continue;
      }
      try {
        created.push((await createRecord(ctx, user, p.body, ip, q)).id);
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        const f = e.fields[0];
        at(p.rowNumber, (f && FIELD_COLUMN[f.field]) ?? '开始日期', e.message);
      }
    }
    if (errors.length) throw importFailed(errors);
    await audit(q, user, 'rotations.import', 'org', user.orgId, { rows: created.length, fileName: sheet.fileName }, ip);
    return { created: created.length, ids: created };
  });
}

function importFailed(errors: FieldError[]) {
  return badRequest(`有 ${errors.length} 处错误，未导入任何记录；请改正后重新上传`, errors.slice(0, 200));
}
