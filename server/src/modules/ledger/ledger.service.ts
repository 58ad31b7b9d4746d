import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { CATEGORIES } from '../../platform/vocab.js';
import * as repo from './ledger.repository.js';
import type { EntryRow } from './ledger.repository.js';
import type { HoursQuery, SummaryQuery } from './ledger.schema.js';
import { notifyTeacherOfReversal, requestIfNotOwn, type CorrectionRequestDto } from './corrections.service.js';
import { yearInChina } from '../../platform/china-time.js';

/** Source of a ledger entry fed in by another feature; 'correction' only ever comes from reverseEntry. */
export type LedgerSource = 'project' | 'claim' | 'import' | 'schoolBased';

export interface LedgerEntryInput {
  teacherId: number;
  /** Positive hours, one decimal at most. */
  hours: number;
  category: keyof typeof CATEGORIES;
  /** 'YYYY-MM-DD' */
  occurredOn: string;
  sourceType: LedgerSource;
  projectId?: number | null;
  sessionId?: number | null;
  /** Free reference to the origin (import file row, claim id …). */
  sourceRef?: string | null;
  description: string;
  recognisedBy?: number | null;
  /** Same key = same fact: feeding it twice adds nothing. E.g. `import:{batchId}:row:{n}`. */
  dedupeKey: string;
}

export interface LedgerInsertResult {
  /** Entries actually appended (duplicates by dedupe key skipped). */
  inserted: number;
  /** Distinct teachers among the appended entries. */
  teachers: number;
  /** Sum of the appended hours. */
  hours: number;
}

function validateEntry(e: LedgerEntryInput, i: number): void {
  const bad = (m: string) => badRequest(`第 ${i + 1} 条学时记录：${m}`);
  if (!Number.isInteger(e.teacherId) || e.teacherId <= 0) throw bad('教师编号无效');
  if (!Number.isFinite(e.hours) || e.hours <= 0 || e.hours >= 10000 || Math.abs(Math.round(e.hours * 10) - e.hours * 10) > 1e-9)
    throw bad('学时应为大于 0 的数，最多一位小数');
  if (!Object.hasOwn(CATEGORIES, e.category)) throw bad(`未知的培训类别「${e.category}」`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.occurredOn) || Number.isNaN(Date.parse(e.occurredOn))) throw bad('日期格式应为 YYYY-MM-DD');
  if (!['project', 'claim', 'import', 'schoolBased'].includes(e.sourceType)) throw bad('来源类型无效');
  if (!e.description.trim()) throw bad('说明不能为空');
  if (!e.dedupeKey || e.dedupeKey.length > 300) throw bad('缺少去重键');
}

/**
 * Append hours to the ledger in bulk (INSERT … SELECT FROM unnest … ON CONFLICT (dedupe_key) DO NOTHING).
 * Idempotent by dedupeKey, so re-running an import or a recognition adds nothing; safe under concurrency.
 * Run it inside the caller's transaction (q) so the ledger and the caller's state change together.
 */
export async function recordLedgerEntries(q: Queryable, entries: LedgerEntryInput[]): Promise<LedgerInsertResult> {
  entries.forEach(validateEntry);
  if (!entries.length) return { inserted: 0, teachers: 0, hours: 0 };
  const r = await repo.insertEntries(
    q,
    entries.map((e) => ({
      teacher_id: e.teacherId,
      hours: e.hours,
      category: e.category,
      occurred_on: e.occurredOn,
      source_type: e.sourceType,
      project_id: e.projectId ?? null,
      session_id: e.sessionId ?? null,
      source_ref: e.sourceRef ?? null,
      description: e.description,
      recognised_by: e.recognisedBy ?? null,
      dedupe_key: e.dedupeKey,
    })),
  );
  return { inserted: r.inserted, teachers: r.teacherIds.length, hours: r.hours };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function presentEntry(e: EntryRow) {
  return {
    id: e.id,
    teacherId: e.teacher_id,
    hours: e.hours,
    category: e.category,
    occurredOn: e.occurred_on,
    sourceType: e.source_type,
    projectId: e.project_id,
    projectName: e.project_name,
    sessionId: e.session_id,
    description: e.description,
    sourceRef: e.source_ref,
    recognisedByName: e.recognised_by_name,
    recognisedAt: e.recognised_at,
    reversesId: e.reverses_id,
    reversedById: e.reversed_by_id,
    reason: e.reason,
  };
}
export type LedgerEntryDto = ReturnType<typeof presentEntry>;

const yearRange = (y: number) => ({ from: `${y}-01-01`, to: `${y + 1}-01-01` });

async function hoursOf(ctx: AppContext, teacher: repo.TeacherHead, f: HoursQuery) {
  const [totals, entries] = await Promise.all([repo.yearTotals(ctx.db, teacher.id), repo.listEntries(ctx.db, teacher.id, f.year ? yearRange(f.year) : null)]);
  const years = new Map<number, { year: number; total: number; byCategory: Record<string, number> }>();
  for (const t of totals) {
    const y = years.get(t.year) ?? { year: t.year, total: 0, byCategory: {} };
    y.total = round1(y.total + t.hours);
    // A fully reversed category nets to 0: not worth a line.
    if (t.hours !== 0) y.byCategory[t.category] = t.hours;
    years.set(t.year, y);
  }
  return {
    teacher: { id: teacher.id, name: teacher.name, orgName: teacher.org_name },
    years: [...years.values()],
    entries: entries.map(presentEntry),
  };
}

/** The caller's own hours: years with totals per category, and every entry newest first. */
export async function myHours(ctx: AppContext, user: CurrentUser, f: HoursQuery) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看“我的学时”');
  const t = await repo.findTeacherInScope(ctx.db, '/', user.teacherId);
  if (!t) throw notFound('教师');
  return hoursOf(ctx, t, f);
}

/** A teacher's hours: the teacher themself, or an admin with hours.readOthers whose scope holds the teacher (else 404). */
export async function teacherHours(ctx: AppContext, user: CurrentUser, teacherId: number, f: HoursQuery) {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
    return myHours(ctx, user, f);
  }
  requirePermission(user, 'hours.readOthers');
  const t = await repo.findTeacherInScope(ctx.db, user.scopePath, teacherId);
  if (!t) throw notFound('教师');
  return hoursOf(ctx, t, f);
}

/**
 * Correct an entry by appending its reversal (hours negated, same category and date). The ledger is
 * never updated in place; an entry is reversed at most once and a reversal cannot itself be reversed.
 * An entry another org above the caller recognised is not reversed: the correction goes to that org as a
 * request (corrections.service). The teacher is told when their hours change.
 */
export async function reverseEntry(
  ctx: AppContext,
  user: CurrentUser,
  entryId: number,
  reason: string,
  ip?: string,
): Promise<{ reversed: LedgerEntryDto; requested?: undefined } | { requested: CorrectionRequestDto; reversed?: undefined }> {
  requirePermission(user, 'hours.correct');
  return ctx.db.tx(async (q) => {
    const e = await repo.findEntryInScope(q, user.scopePath, entryId);
    if (!e) throw notFound('学时记录');
    if (e.reverses_id !== null) throw conflict('冲销记录不能再次冲销');
    if (e.reversed_by_id !== null) throw conflict('该记录已被冲销');
    const requested = await requestIfNotOwn(q, user, e, reason, ip);
    if (requested) return { requested };
    const id = await repo.insertReversal(q, entryId, user.id, reason);
    if (id === null) throw conflict('该记录已被冲销');
    await audit(q, user, 'ledger.reverse', 'ledger_entry', entryId, { reversalId: id, reason, hours: e.hours, teacherId: e.teacher_id }, ip);
    await notifyTeacherOfReversal(q, e.teacher_id, e, reason);
    const row = await repo.getEntry(q, id);
    if (!row) throw notFound('学时记录');
    return { reversed: presentEntry(row) };
  });
}

/**
 * Hours of one year for an org's children (or, for a school, its teachers): teachers, total, average
 * and hours per category. The org must be in the caller's scope, else 404.
 */
export async function hoursSummary(ctx: AppContext, user: CurrentUser, f: SummaryQuery, now = new Date()) {
  if (!can(user, 'hours.readOthers')) throw forbidden();
  const year = f.year ?? yearInChina(now);
  const org = await repo.findOrgInScope(ctx.db, user.scopePath, f.orgId ?? user.orgId);
  if (!org) throw notFound('单位');
  const { from, to } = yearRange(year);
  const isSchool = org.kind === 'school' || org.level === 'school';
  const rows = isSchool
    ? await repo.summaryBySchoolTeacher(ctx.db, user.scopePath, org, from, to)
    : await repo.summaryByChildOrg(ctx.db, user.scopePath, org, from, to);
  return {
    org: { id: org.id, name: org.name, level: org.level },
    year,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: isSchool ? ('teacher' as const) : ('org' as const),
      teachers: r.teachers,
      totalHours: round1(r.total_hours),
      avgHours: r.teachers ? round1(r.total_hours / r.teachers) : 0,
      byCategory: Object.fromEntries(Object.entries(r.by_category).filter(([, h]) => h !== 0)),
    })),
  };
}
