import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { readSpreadsheet, writeXlsx, type SheetRow } from '../../platform/excel.js';
import { HOUR_PLATFORMS, type Category } from '../../platform/vocab.js';
import { describeMatch, findDuplicates, type DuplicateMatch } from '../hour-duplicates/duplicates.service.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './hour-imports.repository.js';
import { cellText, findHeaderRow, guessCategory, guessColumns, importDedupeKey, parseRecords, sampleCell, type RowProblem } from './hour-imports.parse.js';
import type { ImportMapping, RunListQuery } from './hour-imports.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/** Rows listed per kind in a stored report; counts are always complete. */
const REPORT_ROWS = 5000;
const SMALL_COLUMN = 50;

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const columnLetter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : columnLetter(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));
const round1 = (n: number) => Math.round(n * 10) / 10;

async function readRows(buf: Buffer, fileName: string): Promise<SheetRow[]> {
  const rows = await readSpreadsheet(buf, fileName);
  if (!rows.length) throw badRequest('文件中没有数据', [{ field: 'file', message: '文件为空' }]);
  return rows;
}

/**
 * Step 1 of a platform import: read the file and describe it for the mapping screen — headers (with
 * column letters), a few sample rows (身份证号 masked), the values of small columns (for the category
 * mapping), a guessed mapping, and earlier imports of the same file. Nothing is written.
 */
export async function analyse(ctx: AppContext, user: CurrentUser, buf: Buffer, fileName: string) {
  requirePermission(user, 'hours.import');
  const rows = await readRows(buf, fileName);
  const header = findHeaderRow(rows);
  if (!header) throw badRequest('文件中没有数据');
  const width = Math.max(header.cells.length, ...rows.slice(0, 50).map((r) => r.cells.length));
  const headers = Array.from({ length: width }, (_, i) => cellText(header.cells[i] ?? null) || `第 ${columnLetter(i)} 列`);
  const data = rows.filter((r) => r.rowNumber > header.rowNumber);
  const guessed = guessColumns(headers);

  const columnValues: Record<number, string[]> = {};
  for (let i = 0; i < width; i++) {
    if (i === guessed.nationalId) continue;
    const values = new Set<string>();
    for (const r of data) {
      const v = cellText(r.cells[i] ?? null);
      if (v) values.add(v);
      if (values.size > SMALL_COLUMN) break;
    }
    if (values.size > 0 && values.size <= SMALL_COLUMN) columnValues[i] = [...values].sort();
  }
  const categoryGuesses: Record<string, Category> = {};
  for (const vs of Object.values(columnValues))
    for (const v of vs) {
      const g = guessCategory(v);
      if (g) categoryGuesses[v] = g;
    }
  const hash = sha256(buf);
  const previous = await repo.runsOfFile(ctx.db, user.scopePath, hash);
  return {
    fileName,
    sha256: hash,
    headerRow: header.rowNumber,
    dataRows: data.length,
    columns: headers.map((h, i) => ({ index: i, letter: columnLetter(i), header: h })),
    sample: data.slice(0, 5).map((r) => ({ row: r.rowNumber, cells: headers.map((_, i) => sampleCell(r.cells[i] ?? null)) })),
    columnValues,
    guess: { columns: guessed, categoryGuesses },
    previousRuns: previous.map((p) => ({ id: p.id, createdAt: p.created_at, added: p.added })),
  };
}

export interface ImportReport {
  runId: number | null;
  dryRun: boolean;
  platform: string;
  fileName: string;
  /** Data rows read (blank lines not counted). */
  total: number;
  added: number;
  skipped: number;
  rejected: number;
  hoursAdded: number;
  teachers: number;
  rejectedRows: RowProblem[];
  skippedRows: RowProblem[];
  /** True when more rows than listed were rejected or skipped. */
  truncated: boolean;
  /**
   * Rows that look like hours the teacher already has (another source, near date, similar course and
   * hours), with the match; written = imported anyway (the importer's decision), false = left out.
   */
  duplicateRows: DuplicateRow[];
}

export interface DuplicateRow {
  row: number;
  /** Shown to the importer; not kept in the stored report. */
  teacherName?: string;
  course: string;
  hours: number;
  date: string;
  matches: DuplicateMatch[];
  written: boolean;
}

/**
 * Step 2: import under the user's mapping. Every row is checked (身份证号, course, hours, date, category),
 * matched to a teacher of the caller's subtree by the 身份证号 blind index (and the name, if mapped),
 * and keyed `import:{platform}:{sha256(身份证号|课程|日期)}`: rows the ledger already holds, or repeated in
 * the file, are skipped, so the same file twice adds nothing. All rows go in one transaction (atomic).
 * With dryRun the report is computed and nothing is written.
 */
export async function runImport(
  ctx: AppContext,
  user: CurrentUser,
  buf: Buffer,
  fileName: string,
  mapping: ImportMapping,
  opts: { dryRun: boolean; now?: Date; ip?: string; skipRows?: number[] },
): Promise<ImportReport> {
  requirePermission(user, 'hours.import');
  const rows = await readRows(buf, fileName);
  const { records, problems } = parseRecords(rows, mapping, todayInChina(opts.now ?? new Date()));
  const platformLabel = HOUR_PLATFORMS[mapping.platform];

  return ctx.db.tx(async (q) => {
    const rejected: RowProblem[] = [...problems];
    const skipped: RowProblem[] = [];
    const idxOf = new Map<string, string>();
    for (const r of records) if (!idxOf.has(r.nationalId)) idxOf.set(r.nationalId, ctx.pii.blindIndex(r.nationalId));
    const teachers = new Map((await repo.teachersByIdx(q, user.scopePath, [...new Set(idxOf.values())])).map((t) => [t.national_id_idx, t]));

    const candidates: { rec: (typeof records)[number]; teacherId: number; teacherName: string; key: string }[] = [];
    const firstRowOfKey = new Map<string, number>();
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const rec of records) {
      const t = teachers.get(idxOf.get(rec.nationalId) as string);
      if (!t) {
        rejected.push({ row: rec.row, message: '未找到该身份证号对应的教师，或该教师不在您的管辖范围内' });
        continue;
      }
      if (rec.name && squash(rec.name) !== squash(t.name)) {
        rejected.push({ row: rec.row, message: `姓名「${rec.name}」与系统中该身份证号的教师姓名不一致` });
        continue;
      }
      const key = importDedupeKey(mapping.platform, rec);
      const first = firstRowOfKey.get(key);
      if (first !== undefined) {
        skipped.push({ row: rec.row, message: `与文件第 ${first} 行重复（同一教师、课程、完成时间）` });
        continue;
      }
      firstRowOfKey.set(key, rec.row);
      candidates.push({ rec, teacherId: t.id, teacherName: t.name, key });
    }
    const existing = await repo.existingKeys(
      q,
      candidates.map((c) => c.key),
    );
    const unseen = candidates.filter((c) => {
      if (!existing.has(c.key)) return true;
      skipped.push({ row: c.rec.row, message: '已导入过：学时档案中已有这条记录' });
      return false;
    });
    // Likely duplicates of hours from another source (a claim, a project, another platform): flagged with
    // the match; the importer decides per row — rows named in skipRows are left out and reported as such.
    const dupes = await findDuplicates(
      q,
      unseen.map((c) => ({ key: c.key, teacherId: c.teacherId, title: c.rec.course, hours: c.rec.hours, date: c.rec.date })),
    );
    const skipRows = new Set(opts.skipRows ?? []);
    const duplicateRows: DuplicateRow[] = [];
    const fresh = unseen.filter((c) => {
      const matches = dupes.get(c.key);
      const skip = skipRows.has(c.rec.row);
      if (matches)
        duplicateRows.push({ row: c.rec.row, teacherName: c.teacherName, course: c.rec.course, hours: c.rec.hours, date: c.rec.date, matches, written: !skip });
      if (skip)
        skipped.push({
          row: c.rec.row,
          message: matches ? `疑似重复，按导入人的决定未导入：与${matches.map(describeMatch).join('；')}重复` : '按导入人的决定未导入',
        });
      return !skip;
    });

    let added = fresh.length;
    let hoursAdded = round1(fresh.reduce((n, c) => n + c.rec.hours, 0));
    const addedTeachers = new Set(fresh.map((c) => c.teacherId));
    let runId: number | null = null;
    if (!opts.dryRun) {
      const r = await recordLedgerEntries(
        q,
        fresh.map((c) => ({
          teacherId: c.teacherId,
          hours: c.rec.hours,
          category: c.rec.category,
          occurredOn: c.rec.date,
          sourceType: 'import' as const,
          sourceRef: `${platformLabel}:${fileName}:第${c.rec.row}行`.slice(0, 300),
          description: `${platformLabel}：${c.rec.course}`,
          recognisedBy: user.id,
          dedupeKey: c.key,
        })),
      );
      // A concurrent import of the same rows: whatever it added first counts as skipped here.
      added = r.inserted;
      hoursAdded = r.hours;
    }
    rejected.sort((a, b) => a.row - b.row);
    skipped.sort((a, b) => a.row - b.row);
    const report: ImportReport = {
      runId: null,
      dryRun: opts.dryRun,
      platform: mapping.platform,
      fileName,
      total: records.length + problems.length,
      added,
      skipped: skipped.length + (fresh.length - added),
      rejected: rejected.length,
      hoursAdded,
      teachers: addedTeachers.size,
      rejectedRows: rejected.slice(0, REPORT_ROWS),
      skippedRows: skipped.slice(0, REPORT_ROWS),
      truncated: rejected.length > REPORT_ROWS || skipped.length > REPORT_ROWS || duplicateRows.length > REPORT_ROWS,
      duplicateRows: duplicateRows.slice(0, REPORT_ROWS),
    };
    if (opts.dryRun) return report;

    runId = await repo.insertRun(q, {
      user_id: user.id,
      org_id: user.orgId,
      platform: mapping.platform,
      file_name: fileName,
      file_sha256: sha256(buf),
      mapping,
      added: report.added,
      skipped: report.skipped,
      rejected: report.rejected,
      hours_added: report.hoursAdded,
      report: { ...report, runId: undefined, duplicateRows: report.duplicateRows.map(({ teacherName: _, ...d }) => d) },
    });
    report.runId = runId;
    await audit(
      q,
      user,
      'hours.import',
      'hour_import_run',
      runId,
      {
        platform: mapping.platform,
        fileName,
        added,
        skipped: report.skipped,
        rejected: report.rejected,
        duplicatesWritten: duplicateRows.filter((d) => d.written).length,
        duplicatesLeftOut: duplicateRows.filter((d) => !d.written).length,
      },
      opts.ip,
    );
    // The importer sees the report on screen (and keeps the run): no message to themself.
    if (addedTeachers.size && added > 0) {
      await notify(q, await repo.usersOfTeachers(q, [...addedTeachers]), {
        kind: 'general',
        title: `您在${platformLabel}的学习记录已计入学时档案`,
        link: '/my/hours',
        dedupeKey: `hour-import:${runId}`,
      });
    }
    return report;
  });
}

function presentRun(r: repo.RunRow) {
  return {
    id: r.id,
    userName: r.user_name,
    orgName: r.org_name,
    platform: r.platform,
    fileName: r.file_name,
    added: r.added,
    skipped: r.skipped,
    rejected: r.rejected,
    hoursAdded: r.hours_added,
    createdAt: r.created_at,
  };
}

/** Import runs of the caller's subtree, newest first. */
export async function listRuns(ctx: AppContext, user: CurrentUser, f: RunListQuery) {
  requirePermission(user, 'hours.import');
  const r = await repo.listRuns(ctx.db, user.scopePath, f.page, f.pageSize);
  return { items: r.rows.map(presentRun), total: r.total, page: f.page, pageSize: f.pageSize };
}

/** One run with its mapping and full report (404 outside the caller's subtree). */
export async function getRun(ctx: AppContext, user: CurrentUser, id: number) {
  requirePermission(user, 'hours.import');
  const r = await repo.findRun(ctx.db, user.scopePath, id);
  if (!r) throw notFound('导入记录');
  const report = r.report as ImportReport;
  return { ...presentRun(r), mapping: r.mapping, report: { ...report, duplicateRows: report.duplicateRows ?? [], runId: r.id } };
}

/** The rejected and skipped rows of a run as an Excel file (row number, result, reason). */
export async function runReportXlsx(ctx: AppContext, user: CurrentUser, id: number): Promise<{ buffer: Buffer; fileName: string }> {
  const run = await getRun(ctx, user, id);
  const rows = [...run.report.rejectedRows.map((p) => [p.row, '未导入', p.message]), ...run.report.skippedRows.map((p) => [p.row, '已跳过', p.message])].sort(
    (a, b) => (a[0] as number) - (b[0] as number),
  );
  const buffer = await writeXlsx([
    {
      name: '导入结果',
      columns: [
        { header: '行号', width: 8 },
        { header: '结果', width: 10 },
        { header: '原因', width: 60 },
      ],
      rows: [...rows, [], ['合计', `新增 ${run.added} 条（${run.hoursAdded} 学时），跳过 ${run.skipped} 条，未导入 ${run.rejected} 条`, '']],
    },
  ]);
  return { buffer, fileName: `平台学时导入结果-${run.id}.xlsx` };
}
