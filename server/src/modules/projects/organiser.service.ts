import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { readSpreadsheet, writeXlsx, type XlsxColumn } from '../../platform/excel.js';
import type { UploadedSheet } from '../../platform/upload.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { piiViewOf } from '../../platform/pii-view.js';
import { teachersShortOn } from '../compliance/compliance.service.js';
import * as repo from './projects.repository.js';
import * as erepo from './enrolment.repository.js';
import * as attRepo from './attendance.repository.js';
import * as orepo from './organiser.repository.js';
import { assertRunning, managedPath, projectOr404 } from './projects.service.js';
import { teacherLabel } from './enrolment.service.js';
import { parsePastedQuotas, splitByWeights, SPLIT_METHODS, type SplitMethod } from './quota-split.js';
import { BATCH_MARKS, type BatchMark } from './organiser.labels.js';

// Organiser shortcuts (issue 11 item 3): batch attendance marking, attendance export, quota split by formula.

const DEFAULT_LEAVE_REASON = '组织者登记请假';

/**
 * 批量标记: the organiser marks the selected teachers of a session 出勤, 缺勤 or 请假 in one action, while the
 * project is open or running. 出勤 adds a manual presence (a QR check-in already there is kept); 缺勤 removes
 * presence and leave; 请假 removes presence and records a leave (a teacher's own reason is kept). Every
 * teacher must be enrolled, else nothing changes (400 naming them). One audit row lists who changed.
 */
export async function markMany(ctx: AppContext, user: CurrentUser, sessionId: number, teacherIds: number[], mark: BatchMark, reason?: string) {
  const ids = [...new Set(teacherIds)];
  return ctx.db.tx(async (q) => {
    const s = await repo.findSession(q, managedPath(user), sessionId);
    if (!s) throw notFound('场次');
    const lock = await repo.lockProject(q, '/', s.project_id, 'keyShare');
    if (!lock) throw notFound('场次');
    assertRunning(lock.status);
    const enrolled = await orepo.enrolledAmong(q, s.project_id, ids);
    const missing = ids.filter((id) => !enrolled.has(id));
    if (missing.length) {
      const known = await erepo.teacherFacts(q, managedPath(user), missing);
      const fields = missing.map((id) => {
        const t = known.get(id);
        return { field: `teacherIds.${ids.indexOf(id)}`, message: t ? `${teacherLabel(t)}未报名该项目` : '所选教师未报名该项目' };
      });
      throw badRequest(fields.map((f) => f.message).join('；'), fields);
    }
    let changed: number[] = [];
    if (mark === 'present') changed = await orepo.markPresent(q, sessionId, ids, user.id);
    else {
      changed = await orepo.unmarkPresent(q, sessionId, ids);
      if (mark === 'absent') changed = [...new Set([...changed, ...(await orepo.clearLeave(q, sessionId, ids))])];
      else await orepo.recordLeave(q, sessionId, ids, reason?.trim() || DEFAULT_LEAVE_REASON);
    }
    await audit(q, user, 'attendance.batch', 'session', sessionId, { mark, teacherIds: ids, changed: changed.length });
    const rows = await attRepo.listSessionAttendance(q, sessionId, s.project_id);
    return {
      mark,
      markLabel: BATCH_MARKS[mark],
      count: ids.length,
      changed: changed.length,
      items: rows.map((a) => ({
        teacherId: a.teacher_id,
        name: a.name,
        orgName: a.org_name,
        present: a.present,
        method: a.method,
        at: a.at,
        checkedOutAt: a.checked_out_at,
        apology: a.apology,
      })),
    };
  });
}

const METHOD_LABELS: Record<string, string> = { qr: '扫码签到', manual: '手工补录' };

/** 'YYYY-MM-DD HH:MM' in China time. */
function localStamp(d: Date | null): string {
  if (!d) return '';
  return new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * 考勤导出 (.xlsx): one row per enrolled teacher and session — name, school, phone (only for a role that may
 * see personal data, and then masked), status 出勤/请假/缺勤, check-in time and how, check-out time. Audited.
 */
export async function exportAttendance(ctx: AppContext, user: CurrentUser, target: { projectId: number } | { sessionId: number }) {
  let projectId: number;
  let sessionId: number | null = null;
  let sessionTitle = '';
  if ('sessionId' in target) {
    const s = await repo.findSession(ctx.db, managedPath(user), target.sessionId);
    if (!s) throw notFound('场次');
    projectId = s.project_id;
    sessionId = s.id;
    sessionTitle = s.title;
  } else projectId = target.projectId;
  const p = await projectOr404(ctx.db, user, projectId);
  const rows = await orepo.attendanceExport(ctx.db, projectId, sessionId);
  const phone = piiViewOf(user) === 'full';
  const columns: XlsxColumn[] = [
    { header: '场次', width: 24 },
    { header: '日期', width: 12 },
    { header: '姓名', width: 12 },
    { header: '学校', width: 26 },
    ...(phone ? [{ header: '手机号（已隐去部分）', width: 18, text: true }] : []),
    { header: '考勤状态', width: 10 },
    { header: '签到时间', width: 18 },
    { header: '签到方式', width: 12 },
    { header: '签退时间', width: 18 },
    { header: '请假原因', width: 24 },
  ];
  const data = rows.map((r) => [
    r.session_title,
    r.date,
    r.name,
    r.org_name,
    ...(phone ? [r.phone_mask ?? ''] : []),
    r.present ? '出勤' : r.apology ? '请假' : '缺勤',
    localStamp(r.at),
    r.method ? (METHOD_LABELS[r.method] ?? r.method) : '',
    localStamp(r.checked_out_at),
    r.present ? '' : (r.apology ?? ''),
  ]);
  const buffer = await writeXlsx([{ name: '考勤', columns, rows: data }]);
  await audit(ctx.db, user, 'attendance.export', sessionId ? 'session' : 'project', sessionId ?? projectId, {
    projectId,
    rows: rows.length,
    phone,
  });
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60);
  return { buffer, fileName: `考勤_${safe(p.name)}${sessionId ? `_${safe(sessionTitle)}` : ''}.xlsx`, count: rows.length };
}

/**
 * 按公式分配名额 (preview; saving goes through the quota routes): the units directly below the allocator —
 * the project's region for its organiser ('top'), the holder's own org for a quota holder ('sub') — each
 * with its active teachers and, for 'needing', those short on an hours rule this project counts towards;
 * `total` split among them by the method, in whole numbers that sum to it.
 */
export async function splitPreview(ctx: AppContext, user: CurrentUser, projectId: number, f: { mode: 'top' | 'sub'; method: SplitMethod; total: number }) {
  const { p, root, units } = await allocatorUnits(ctx, user, projectId, f.mode);
  let needing: number[] | null = null;
  if (f.method === 'needing') {
    if (!can(user, 'hours.readOthers')) throw forbidden('无权查看教师学时达标情况，请按教师人数或平均分配');
    needing = await needingPerUnit(ctx, user, root, units, p.categories);
  }
  const weights = f.method === 'even' ? units.map(() => 1) : f.method === 'teachers' ? units.map((u) => u.teachers) : (needing ?? []);
  const quotas = splitByWeights(f.total, weights);
  return {
    method: f.method,
    methodLabel: SPLIT_METHODS[f.method],
    total: f.total,
    items: units.map((u, i) => ({
      orgId: u.org_id,
      orgName: u.org_name,
      teachers: u.teachers,
      needing: needing ? needing[i] : null,
      quota: quotas[i],
    })),
  };
}

/** The project and the units below the allocator (404 unless the caller manages the project or holds a quota). */
async function allocatorUnits(ctx: AppContext, user: CurrentUser, projectId: number, mode: 'top' | 'sub') {
  requirePermission(user, 'projects.manage');
  const p = mode === 'top' ? await repo.findProject(ctx.db, user.orgPath, projectId) : await repo.findProjectForQuotaHolder(ctx.db, user.orgId, projectId);
  if (!p) throw notFound('培训项目');
  const root = mode === 'top' ? p.region_path : user.orgPath;
  return { p, root, units: await orepo.childUnits(ctx.db, root) };
}

/**
 * 导入名额表 (.xlsx or .csv, columns 单位, 名额, a header row optional): the quotas read from the file, matched to
 * the units below the allocator by name, for the bulk table to show before saving. Nothing is written; each
 * row that cannot be read is named with its row number and why.
 */
export async function readQuotaSheet(ctx: AppContext, user: CurrentUser, projectId: number, mode: 'top' | 'sub', file: UploadedSheet) {
  const { units } = await allocatorUnits(ctx, user, projectId, mode);
  const rows = await readSpreadsheet(file.buffer, file.fileName, { maxRows: 5000 });
  // One line per spreadsheet row, so the row numbers in the messages are the ones Excel shows.
  const lines: string[] = [];
  for (const r of rows)
    lines[r.rowNumber - 1] = r.cells
      .slice(0, 2)
      .map((c) => (c === null || c === undefined ? '' : String(c).trim()))
      .join('\t');
  const parsed = parsePastedQuotas(
    Array.from(lines, (l) => l ?? '').join('\n'),
    units.map((u) => ({ orgId: u.org_id, orgName: u.org_name })),
  );
  return { ...parsed, rows: rows.length };
}

/** Per unit, the teachers short on a rule the project's categories count towards: one evaluation at the root. */
async function needingPerUnit(ctx: AppContext, user: CurrentUser, rootPath: string, units: orepo.UnitRow[], categories: string[]): Promise<number[]> {
  const rootId = await orepo.orgIdAt(ctx.db, rootPath);
  if (!rootId || !units.length) return units.map(() => 0);
  const short = await teachersShortOn(ctx, user, rootId, categories);
  const paths = await orepo.orgPaths(ctx.db, [...new Set(short.values())]);
  const counts = units.map(() => 0);
  for (const orgId of short.values()) {
    const path = paths.get(orgId) ?? '';
    const i = units.findIndex((u) => path.startsWith(u.path));
    if (i >= 0) counts[i]++;
  }
  return counts;
}
