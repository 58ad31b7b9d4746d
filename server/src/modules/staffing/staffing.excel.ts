/**
 * 编制与结构 figures in and out of Excel: one sheet, one row per school and stage — 单位代码, 单位名称, 编制数,
 * 编制生效日期, 核编文件, 学年, 学段, 在校生数, 学生数来源 (export and import share the layout). Import validates every row
 * first and writes all of them in one transaction, or none.
 */
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina } from '../../platform/china-time.js';
import { badRequest, type FieldError } from '../../platform/errors.js';
import { readSpreadsheet, writeXlsx, type CellValue } from '../../platform/excel.js';
import type { UploadedSheet } from '../../platform/upload.js';
import * as repo from './staffing.repository.js';
import { QuotaBody, STAFFING_STAGES, StudentsBody } from './staffing.schema.js';
import { overview, recordQuota, recordStudents, requireReader, schoolStages } from './staffing.service.js';

export const HEADERS = ['单位代码', '单位名称', '编制数', '编制生效日期', '核编文件', '学年', '学段', '在校生数', '学生数来源'];
const STAGE_BY_LABEL = Object.fromEntries(Object.entries(STAFFING_STAGES).map(([k, v]) => [v, k]));

export async function exportFigures(ctx: AppContext, user: CurrentUser, query: { orgId?: number; asOf?: string }, ip?: string) {
  requireReader(user);
  const o = await overview(ctx, user, query);
  const rows: unknown[][] = [];
  for (const s of o.schools) {
    const stages = s.students.length ? s.students : schoolStages(s.stage).map((st) => ({ stage: st, students: null as number | null, source: '' }));
    if (stages.length === 0) rows.push([s.code, s.name, s.quota ?? '', s.quotaFrom ?? '', s.quotaSource ?? '', '', '', '', '']);
    for (const c of stages)
      rows.push([
        s.code,
        s.name,
        s.quota ?? '',
        s.quotaFrom ?? '',
        s.quotaSource ?? '',
        o.schoolYear,
        STAFFING_STAGES[c.stage as keyof typeof STAFFING_STAGES] ?? c.stage,
        c.students ?? '',
        c.source,
      ]);
  }
  const buffer = await writeXlsx([{ name: '编制与学生数', columns: HEADERS.map((header) => ({ header, width: 14 })), rows }]);
  await audit(ctx.db, user, 'staffing.export', 'org', o.org.id, { rows: rows.length, asOf: o.asOf }, ip);
  return { buffer, fileName: `编制与学生数_${o.org.name}_${o.asOf}.xlsx`, count: rows.length };
}

const str = (v: CellValue | undefined) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

/** Import: every row checked (code in scope, figures valid) before anything is written; then one transaction. */
export async function importFigures(ctx: AppContext, user: CurrentUser, sheet: UploadedSheet, ip?: string) {
  requireReader(user);
  const rows = await readSpreadsheet(sheet.buffer, sheet.fileName);
  const head = rows[0]?.cells.map((c) => str(c)) ?? [];
  if (HEADERS.some((h, i) => head[i] !== h)) throw badRequest(`表头应为：${HEADERS.join('、')}（请先导出或下载模板）`);
  const schools = new Map((await repo.schoolsIn(ctx.db, user.scopePath)).map((s) => [s.code, s]));
  const errors: FieldError[] = [];
  const quotas: QuotaBody[] = [];
  const students: StudentsBody[] = [];
  const seenQuota = new Set<string>();
  for (const r of rows.slice(1)) {
    const c = r.cells.map((x) => str(x));
    if (c.every((x) => x === '')) continue;
    const err = (message: string) => errors.push({ field: `第 ${r.rowNumber} 行`, message });
    const school = schools.get(c[0]);
    if (!school) {
      err(`单位代码「${c[0]}」不是本辖区的学校`);
      continue;
    }
    if (c[2] !== '') {
      const key = `${c[0]}|${c[3]}`;
      const q = QuotaBody.safeParse({ orgId: school.id, quota: Number(c[2]), effectiveFrom: c[3], source: c[4] });
      if (!q.success) err(`编制数：${q.error.issues.map((i) => i.message).join('；')}`);
      else if (!seenQuota.has(key)) {
        seenQuota.add(key);
        quotas.push(q.data);
      }
    }
    if (c[7] !== '') {
      const st = STAGE_BY_LABEL[c[6]];
      if (!st) err(`学段「${c[6]}」应为：${Object.values(STAFFING_STAGES).join('、')}`);
      else {
        const s = StudentsBody.safeParse({ orgId: school.id, year: Number(c[5]), stage: st, students: Number(c[7]), source: c[8] });
        if (!s.success) err(`在校生数：${s.error.issues.map((i) => i.message).join('；')}`);
        else students.push(s.data);
      }
    }
  }
  if (errors.length) throw badRequest(`有 ${errors.length} 行不能导入，未写入任何数据`, errors.slice(0, 50));
  if (quotas.length + students.length === 0) throw badRequest('表中没有可导入的数值');
  const out = await ctx.db.tx(async (q) => {
    let changed = 0;
    const on = todayInChina();
    const current = await repo.quotasOn(q, [...new Set(quotas.map((x) => x.orgId))], '9999-12-31');
    for (const b of quotas) {
      const cur = current.get(b.orgId);
      if (cur && cur.quota === b.quota && cur.effective_from === b.effectiveFrom) continue; // unchanged
      await recordQuota(ctx, user, b, ip, q);
      changed++;
    }
    const years = [...new Set(students.map((s) => s.year))];
    const curStudents = (await Promise.all(years.map((y) => repo.studentsFor(q, [...new Set(students.map((s) => s.orgId))], y)))).flat();
    for (const b of students) {
      const cur = curStudents.find((x) => x.org_id === b.orgId && x.year === b.year && x.stage === b.stage);
      if (cur && cur.students === b.students) continue;
      await recordStudents(ctx, user, b, ip, q);
      changed++;
    }
    await audit(q, user, 'staffing.import', 'org', user.orgId, { quotas: quotas.length, students: students.length, changed, on }, ip);
    return { changed, skipped: quotas.length + students.length - changed };
  });
  return out;
}
