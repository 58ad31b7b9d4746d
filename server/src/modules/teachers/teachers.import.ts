import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { readSpreadsheet } from '../../platform/excel.js';
import { TEACHER_COLUMNS } from './teachers.repository.js';
import { breather } from '../../platform/heavy.js';
import * as repo from './teachers.import.repository.js';
import { bannedAmong, banMessage, markBannedImportRows } from '../integrity/bans.service.js';
import * as facts from './teacher-facts.repository.js';
import { IMPORT_MESSAGES } from './teachers.import-cells.js';

export { parseDateCell } from './teachers.import-cells.js';
import { todayInChina } from '../../platform/china-time.js';
import {
  type Action,
  CHANGE_LABELS,
  type ColumnMapping,
  type Decision,
  HISTORY_COLUMNS,
  type RowOutcome,
  type StagedRow,
  decide,
  isEmptyRow,
  locateHeader,
  parseRow,
} from './teachers.import-rows.js';
import { GUIDE_SHEET } from './teachers.import-files.js';
import { IMPORT_COLUMNS, type ImportError, schoolLookup } from './teachers.import-columns.js';

/*
 * Teacher Excel import: preview → commit. Its columns are in teachers.import-columns.ts, reading and comparing
 * one row in teachers.import-rows.ts, the template, error report and export workbooks in teachers.import-files.ts.
 *
 * Preview parses and validates every row with the same TeacherInput schema as the form, encrypts the
 * personal data once, and stores the normalised rows in import_batches (ciphertext, blind index and
 * mask only: the batch table never holds a plain 身份证号 or phone). Commit re-checks every row against
 * the database as it is now, inside one transaction, and writes in bulk (one statement per chunk).
 */

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
