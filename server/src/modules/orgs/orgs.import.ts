import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { type CellValue, readSpreadsheet, streamXlsx, writeXlsx, type XlsxColumn } from '../../platform/excel.js';
import { codeFromLabel, LOCALES, ORG_KINDS, ORG_LEVELS, OWNERSHIPS, SCHOOL_TYPES } from '../../platform/vocab.js';
import * as repo from './orgs.repository.js';
import { Name } from '../../platform/schemas.js';
import { OrgCode, SCHOOL_ID_CODE } from './orgs.schema.js';
import { createInTx, updateInTx } from './orgs.service.js';

/**
 * 组织机构 Excel import (preview → commit, like the teacher import) and export. A row creates an org (its code
 * is new) or changes an existing one of the caller's subtree (same code): name, school type, ownership, locale,
 * 学校标识码. Parents are named by code, in the database or on an earlier row of the same file; a different
 * parent is refused (moving has its own action, with its reason). Commit re-checks every row in its transaction.
 */

const FIELDS = ['code', 'name', 'parentCode', 'kind', 'schoolType', 'ownership', 'locale', 'schoolIdCode'] as const;
type Field = (typeof FIELDS)[number];
const HEADERS: Record<Field, string> = {
  code: '单位代码',
  name: '单位名称',
  parentCode: '上级单位代码',
  kind: '单位类型',
  schoolType: '学校类型',
  ownership: '办学性质',
  locale: '城乡类型',
  schoolIdCode: '学校标识码',
};
const REQUIRED: Field[] = ['code', 'name', 'parentCode', 'kind'];

/** One row as uploaded (text), with its row number in the sheet. */
interface Staged {
  r: number;
  v: Record<Field, string>;
}

type Action = 'create' | 'update' | 'unchanged' | 'error';

interface Outcome {
  row: number;
  code: string;
  name: string;
  action: Action;
  messages: string[];
  /** What to write: the normalised values. */
  value?: {
    code: string;
    name: string;
    parentCode: string;
    kind: string;
    schoolType: string | null;
    ownership: string | null;
    locale: string | null;
    schoolIdCode: string | null;
  };
  existingId?: number;
}

const cellText = (v: CellValue): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).normalize('NFC').trim();
};
const header = (h: CellValue) =>
  cellText(h)
    .replace(/[\s*＊]/g, '')
    .replace(/[（(][^）)]*[）)]/g, '');

/** Find the header row (the first with 单位代码 and 单位名称) and read the rows under it. */
function stageSheet(rows: { rowNumber: number; cells: CellValue[] }[]): Staged[] {
  const byHeader = new Map(FIELDS.map((f) => [HEADERS[f], f]));
  const at = rows.findIndex((r) => r.cells.map(header).includes(HEADERS.code) && r.cells.map(header).includes(HEADERS.name));
  if (at < 0) throw badRequest('没有找到表头：第一行应包含“单位代码”“单位名称”“上级单位代码”“单位类型”等列，请使用导入模板');
  const cols = new Map<Field, number>();
  rows[at].cells.forEach((h, i) => {
    const f = byHeader.get(header(h));
    if (f && !cols.has(f)) cols.set(f, i);
  });
  const missing = REQUIRED.filter((f) => !cols.has(f)).map((f) => HEADERS[f]);
  if (missing.length) throw badRequest(`缺少必填列：${missing.join('、')}，请使用导入模板`);
  return rows
    .slice(at + 1)
    .map((r) => ({
      r: r.rowNumber,
      v: Object.fromEntries(FIELDS.map((f) => [f, cols.has(f) ? cellText(r.cells[cols.get(f)!] ?? null) : ''])) as Record<Field, string>,
    }))
    .filter((s) => FIELDS.some((f) => s.v[f] !== ''));
}

const LEVEL_BELOW: Record<string, string | undefined> = { national: 'province', province: 'city', city: 'county' };

/** Decide every row against the database as it is now (preview, and again inside the commit's transaction). */
async function decide(q: Queryable, user: CurrentUser, staged: Staged[]): Promise<Outcome[]> {
  const codes = [...new Set(staged.flatMap((s) => [s.v.code, s.v.parentCode]).filter(Boolean))];
  const idCodes = [...new Set(staged.map((s) => s.v.schoolIdCode).filter(Boolean))];
  const db = await repo.orgsByCodes(q, codes, idCodes);
  const byCode = new Map(db.map((o) => [o.code, o]));
  const byIdCode = new Map(db.filter((o) => o.school_id_code).map((o) => [o.school_id_code as string, o]));
  const parentCodeOf = new Map(db.map((o) => [o.id, o.code]));
  // Parent codes of existing orgs not in the file's codes: load them for the "same parent" check.
  const parentIds = db.filter((o) => o.parent_id && !parentCodeOf.has(o.parent_id)).map((o) => o.parent_id as number);
  if (parentIds.length)
    for (const p of (await q.query<{ id: number; code: string }>('SELECT id, code FROM orgs WHERE id = ANY($1::int[])', [parentIds])).rows)
      parentCodeOf.set(p.id, p.code);

  const firstRowOfCode = new Map<string, number>();
  const firstRowOfIdCode = new Map<string, number>();
  /** Bureaus the file creates, by code, with their level: later rows may sit under them. */
  const fileBureaus = new Map<string, string>();
  const out: Outcome[] = [];
  for (const s of staged) {
    const v = s.v;
    const errs: string[] = [];
    const err = (f: Field, m: string) => errs.push(`${HEADERS[f]}：${m}`);
    for (const f of REQUIRED) if (!v[f]) err(f, '必填');
    const code = OrgCode.safeParse(v.code);
    if (v.code && !code.success) err('code', code.error.issues[0].message);
    const name = Name(2, 100, '单位名称').safeParse(v.name);
    if (v.name && !name.success) err('name', name.error.issues[0].message);
    const kind = v.kind ? codeFromLabel(ORG_KINDS, v.kind) : undefined;
    if (v.kind && !kind) err('kind', `“${v.kind}”不是有效的单位类型（${Object.values(ORG_KINDS).join('/')}）`);
    const school = kind === 'school';
    const schoolType = v.schoolType ? codeFromLabel(SCHOOL_TYPES, v.schoolType) : undefined;
    if (v.schoolType && !schoolType) err('schoolType', `“${v.schoolType}”不是有效的学校类型（${Object.values(SCHOOL_TYPES).join('/')}）`);
    if (school && !v.schoolType) err('schoolType', '学校必须填写学校类型');
    const ownership = v.ownership ? codeFromLabel(OWNERSHIPS, v.ownership) : undefined;
    if (v.ownership && !ownership) err('ownership', '应为“公办”或“民办”');
    const locale = v.locale ? codeFromLabel(LOCALES, v.locale) : undefined;
    if (v.locale && !locale) err('locale', '应为“城区”“镇区”或“乡村”');
    if (v.schoolIdCode && !SCHOOL_ID_CODE.test(v.schoolIdCode)) err('schoolIdCode', '应为 10 位数字');
    if (kind && !school && (v.schoolType || v.ownership || v.locale || v.schoolIdCode)) errs.push('只有学校填写学校类型、办学性质、城乡类型和学校标识码');

    const dupRow = v.code ? firstRowOfCode.get(v.code) : undefined;
    if (dupRow) err('code', `与第 ${dupRow} 行重复`);
    else if (v.code) firstRowOfCode.set(v.code, s.r);
    const dupId = v.schoolIdCode ? firstRowOfIdCode.get(v.schoolIdCode) : undefined;
    if (dupId) err('schoolIdCode', `与第 ${dupId} 行重复`);
    else if (v.schoolIdCode) firstRowOfIdCode.set(v.schoolIdCode, s.r);

    const existing = v.code ? byCode.get(v.code) : undefined;
    if (existing) {
      const inMine = existing.path.startsWith(user.orgPath);
      if (!inMine) err('code', '单位代码已被管辖范围以外的单位使用');
      else if (existing.path === user.orgPath) err('code', '本单位的信息由上级单位维护');
      else if (existing.closed_at) err('code', '该单位已撤销');
      else {
        if (kind && existing.kind !== kind)
          err('kind', `与现有单位的类型（${ORG_KINDS[existing.kind as keyof typeof ORG_KINDS] ?? existing.kind}）不同，单位类型不能通过导入修改`);
        const currentParent = existing.parent_id ? parentCodeOf.get(existing.parent_id) : undefined;
        if (v.parentCode && currentParent !== v.parentCode) err('parentCode', `与现有上级单位（${currentParent ?? '无'}）不同，调整上级请使用“移动”`);
      }
    } else if (v.parentCode && kind) {
      const p = byCode.get(v.parentCode);
      const fileLevel = fileBureaus.get(v.parentCode);
      let parentLevel: string | undefined;
      if (fileLevel) parentLevel = fileLevel;
      else if (!p?.path.startsWith(user.orgPath)) err('parentCode', `上级单位“${v.parentCode}”不存在或不在管辖范围内`);
      else if (p.closed_at) err('parentCode', '上级单位已撤销');
      else if (p.kind !== 'bureau') err('parentCode', '下级单位只能设在教育局之下');
      else parentLevel = p.level;
      if (parentLevel && kind === 'bureau') {
        const lvl = LEVEL_BELOW[parentLevel];
        if (!lvl) err('kind', '区县教育局之下不能再设教育局');
        else if (!errs.length && v.code) fileBureaus.set(v.code, lvl);
      }
    }
    if (v.schoolIdCode && SCHOOL_ID_CODE.test(v.schoolIdCode)) {
      const holder = byIdCode.get(v.schoolIdCode);
      if (holder && holder.code !== v.code) err('schoolIdCode', `已属于${holder.name}`);
    }

    const value = {
      code: v.code,
      name: name.success ? name.data : v.name,
      parentCode: v.parentCode,
      kind: kind ?? v.kind,
      schoolType: school ? (schoolType ?? null) : null,
      ownership: school ? (ownership ?? null) : null,
      locale: school ? (locale ?? null) : null,
      schoolIdCode: school ? v.schoolIdCode || null : null,
    };
    if (errs.length) {
      out.push({ row: s.r, code: v.code, name: v.name, action: 'error', messages: errs });
      continue;
    }
    if (!existing) {
      out.push({ row: s.r, code: v.code, name: value.name, action: 'create', messages: [], value });
      continue;
    }
    const changed: string[] = [];
    if (existing.name !== value.name) changed.push('单位名称');
    if ((existing.stage ?? null) !== value.schoolType) changed.push('学校类型');
    if ((existing.ownership ?? null) !== value.ownership) changed.push('办学性质');
    if ((existing.locale ?? null) !== value.locale) changed.push('城乡类型');
    if ((existing.school_id_code ?? null) !== value.schoolIdCode) changed.push('学校标识码');
    out.push({
      row: s.r,
      code: v.code,
      name: value.name,
      action: changed.length ? 'update' : 'unchanged',
      messages: changed.length ? [`将更新：${changed.join('、')}`] : [],
      value,
      existingId: existing.id,
    });
  }
  return out;
}

export interface OrgPreview {
  batchId: number;
  fileName: string;
  total: number;
  counts: Record<Action, number>;
  rows: { row: number; code: string; name: string; action: Action; messages: string[] }[];
}

const count = (o: Outcome[]) => {
  const c: Record<Action, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const x of o) c[x.action]++;
  return c;
};

/** Read and check an uploaded org list; nothing is written but the batch. */
export async function previewOrgImport(ctx: AppContext, user: CurrentUser, file: { buffer: Buffer; fileName: string }): Promise<OrgPreview> {
  requirePermission(user, 'orgs.manage');
  if (file.buffer.length === 0) throw badRequest('上传的文件是空的');
  const fileName = (file.fileName.split(/[\\/]/).pop() ?? '').slice(0, 200) || '未命名文件';
  const staged = stageSheet(await readSpreadsheet(file.buffer, fileName, { skipSheets: [GUIDE] }));
  if (!staged.length) throw badRequest('文件中没有数据行');
  if (staged.length > 5000) throw badRequest('一次最多导入 5000 个单位，请拆分文件');
  const outcomes = await decide(ctx.db, user, staged);
  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  const counts = count(outcomes);
  const batchId = await repo.insertBatch(ctx.db, { userId: user.id, orgId: user.orgId, fileName, sha256, rows: staged, summary: { counts } });
  return {
    batchId,
    fileName,
    total: outcomes.length,
    counts,
    rows: outcomes.map(({ row, code, name, action, messages }) => ({ row, code, name, action, messages })),
  };
}

/**
 * Import a previewed batch in one transaction, every row re-checked: 'all' refuses while any row has an error,
 * 'validOnly' skips those rows. Unchanged rows write nothing (the same file twice changes nothing).
 */
export async function commitOrgImport(
  ctx: AppContext,
  user: CurrentUser,
  batchId: number,
  mode: 'all' | 'validOnly',
  ip?: string,
): Promise<{ created: number; updated: number; unchanged: number; skipped: number }> {
  requirePermission(user, 'orgs.manage');
  return ctx.db.tx(async (q) => {
    const batch = await repo.lockBatch(q, batchId, user.id);
    if (!batch) throw notFound('导入批次');
    if (batch.status === 'committed') throw conflict('该批次已经导入，请勿重复提交');
    if (batch.status !== 'previewed') throw conflict('该批次已作废，请重新上传');
    const outcomes = await decide(q, user, batch.rows as Staged[]);
    const errors = outcomes.filter((o) => o.action === 'error');
    if (errors.length && mode === 'all')
      throw conflict(
        `有 ${errors.length} 行存在错误（第 ${errors
          .map((e) => e.row)
          .slice(0, 10)
          .join('、')} 行），未导入任何数据。请修正后重新上传，或选择“仅导入无误的行”`,
      );
    // A row whose parent is a row that failed cannot be created either.
    const skippedCodes = new Set(errors.map((e) => e.code));
    const newIds = new Map<string, number>();
    const parentIdOf = async (code: string) =>
      newIds.get(code) ?? (await q.query<{ id: number }>('SELECT id FROM orgs WHERE code = $1', [code])).rows[0]?.id ?? null;
    const result = { created: 0, updated: 0, unchanged: 0, skipped: errors.length };
    for (const o of outcomes) {
      if (o.action === 'error' || !o.value) continue;
      if (o.action === 'unchanged') {
        result.unchanged++;
        continue;
      }
      const v = o.value;
      const attrs = {
        code: v.code,
        name: v.name,
        schoolType: v.schoolType,
        ownership: v.ownership,
        locale: v.locale,
        schoolIdCode: v.schoolIdCode,
        reason: `导入：${batch.file_name}`,
      };
      if (o.action === 'update') {
        await updateInTx(q, user, o.existingId as number, attrs);
        result.updated++;
        continue;
      }
      if (skippedCodes.has(v.parentCode)) {
        result.skipped++;
        skippedCodes.add(v.code);
        continue;
      }
      const parentId = await parentIdOf(v.parentCode);
      if (!parentId) throw conflict(`第 ${o.row} 行的上级单位不存在，请重新上传预览`);
      const { id } = await createInTx(q, user, { ...attrs, kind: v.kind, parentId });
      newIds.set(v.code, id);
      result.created++;
    }
    await repo.markBatchCommitted(q, batchId, { ...result, mode });
    await audit(q, user, 'org.import', 'import_batch', batchId, { fileName: batch.file_name, mode, ...result }, ip);
    return result;
  });
}

const GUIDE = '填写说明';
const COLUMNS: XlsxColumn[] = [
  { header: '单位代码', width: 16, text: true },
  { header: '单位名称', width: 28 },
  { header: '上级单位代码', width: 16, text: true },
  { header: '单位类型', width: 14 },
  { header: '学校类型', width: 14 },
  { header: '办学性质', width: 10 },
  { header: '城乡类型', width: 10 },
  { header: '学校标识码', width: 14, text: true },
];

/** The import template: the columns, drop-downs, an example row under the caller's org, and a guide sheet. */
export async function orgImportTemplate(user: CurrentUser, ownCode: string): Promise<Buffer> {
  requirePermission(user, 'orgs.manage');
  return writeXlsx([
    {
      name: '组织机构',
      columns: COLUMNS.map((c, i) => (i < 4 ? { ...c, header: `${c.header}*` } : c)),
      rows: [['SCH-001', '示例第一小学', ownCode, '学校', '小学', '公办', '城区', '1234567890']],
      lists: { 3: Object.values(ORG_KINDS), 4: Object.values(SCHOOL_TYPES), 5: Object.values(OWNERSHIPS), 6: Object.values(LOCALES) },
      listRows: 500,
    },
    {
      name: GUIDE,
      columns: [{ header: '说明', width: 100 }],
      rows: [
        ['带 * 的列必填。单位代码在全系统唯一；已存在的代码表示修改该单位（名称、学校属性），新代码表示新建。'],
        [`上级单位代码：本单位（${ownCode}）或其下级教育局的代码，也可以是本文件前面行中新建的教育局。调整上级请在系统中使用“移动”。`],
        [`单位类型：${Object.values(ORG_KINDS).join('、')}。`],
        [`学校类型（学校必填）：${Object.values(SCHOOL_TYPES).join('、')}；办学性质：公办、民办；城乡类型：城区、镇区、乡村。`],
        ['学校标识码：10 位数字，全系统唯一，只有学校填写。请删除示例行后再导入。'],
      ],
    },
  ]);
}

/** 导出 the org list of the caller's subtree (.xlsx); audited before the first byte. */
export async function exportOrgs(ctx: AppContext, user: CurrentUser, scopePath: string, includeClosed: boolean, ip?: string) {
  const rows = await repo.exportRows(ctx.db, scopePath, includeClosed);
  await audit(ctx.db, user, 'org.export', 'org', null, { rows: rows.length, includeClosed }, ip);
  const lab = (d: Record<string, string>, k: string | null) => (k ? (d[k] ?? k) : '');
  const data = rows.map((r) => [
    r.code,
    r.name,
    r.parent_code ?? '',
    lab(ORG_KINDS, r.kind),
    r.kind === 'school' ? lab(SCHOOL_TYPES, r.stage) : '',
    lab(OWNERSHIPS, r.ownership),
    lab(LOCALES, r.locale),
    r.school_id_code ?? '',
    lab(ORG_LEVELS, r.level),
    r.active_teachers,
    r.closed_at ? '已撤销' : '正常',
  ]);
  const columns = [...COLUMNS, { header: '层级', width: 10 }, { header: '在职教师', width: 10 }, { header: '状态', width: 10 }];
  return {
    count: rows.length,
    stream: streamXlsx(
      '组织机构',
      columns,
      (async function* () {
        yield data;
      })(),
    ),
  };
}
