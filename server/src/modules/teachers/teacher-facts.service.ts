/**
 * A teacher's facts over time: one function per kind of change, each taking an effective date, each keeping
 * the period tables true and the denormalised current values (teachers.org_id, status, credential columns,
 * key designation) in line with them. History is never rewritten: a period is ended (once) or corrected (the
 * old row superseded, a new one added); deleting one is only for a mistake, with a reason, audited.
 * The change processes (入职/调动/退休/离职) build on assignSchool / setStatus / startRole / endRole.
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { piiViewOf } from '../../platform/pii-view.js';
import { addDays } from '../policies/policy.windows.js';
import * as repo from './teacher-facts.repository.js';
import type { CredentialField, FactKind, FactRow } from './teacher-facts.repository.js';
import type { FactInput } from './teacher-facts.schema.js';
import { getTeacher } from './teachers.service.js';
import { findInScope } from '../orgs/orgs.repository.js';
import { todayInChina } from '../../platform/china-time.js';

/** Who records a fact (recorded_by): a user id, null for the system. */
type By = number | null;

async function locked(q: Queryable, teacherId: number) {
  const t = await repo.lockTeacher(q, teacherId);
  if (!t) throw notFound('教师');
  return t;
}

/** The teacher (the path's object) was found; a row named in the body that is not theirs is bad input. */
const noSuchFact = () => badRequest('该教师没有这条记录，请刷新后重试', [{ field: 'factId', message: '记录不存在' }]);

const fromField = (kind: FactKind) => (kind === 'role' ? 'since' : 'validFrom');

/** End the period of one kind valid on `on` the day before (or supersede it when it starts on/after `on`). */
async function closeBefore(q: Queryable, kind: FactKind, row: FactRow, on: string, by: By): Promise<void> {
  if (row.from !== null && row.from >= on) await repo.supersedeFact(q, kind, row.id, by);
  else if (row.until === null) await repo.endFact(q, kind, row.id, addDays(on, -1), by);
  else throw badRequest('该记录已有结束日期，请先更正该记录', [{ field: fromField(kind), message: '与已有记录重叠' }]);
}

/** Start holding a role on `from` (null: since the record began). */
export async function startRole(q: Queryable, by: By, teacherId: number, role: string, from: string | null, note: string | null = null): Promise<number> {
  await locked(q, teacherId);
  return repo.insertFact(q, 'role', teacherId, { role }, from, null, by, null, note);
}

/** End a role held: `until` is its last day (default today). */
export async function endRole(q: Queryable, by: By, teacherId: number, rowId: number, until: string = todayInChina()): Promise<void> {
  await locked(q, teacherId);
  const row = await repo.findFact(q, 'role', teacherId, rowId);
  if (!row || row.superseded_at) throw noSuchFact();
  if (row.until !== null) throw conflict('该任职已结束；如结束日期有误，请使用“更正”');
  if (row.from !== null && until < row.from) throw badRequest('结束日期不能早于开始日期', [{ field: 'until', message: '结束日期不能早于开始日期' }]);
  await repo.endFact(q, 'role', rowId, until, by);
}

/** Move a teacher to a school from `from` (调入/交流轮岗/借调/入职): the current assignment ends the day before. */
export async function assignSchool(
  q: Queryable,
  by: By,
  teacherId: number,
  orgId: number,
  kind: string,
  from: string,
  note: string | null = null,
): Promise<number> {
  await locked(q, teacherId);
  for (const row of await repo.factsOn(q, 'assignment', teacherId, from)) await closeBefore(q, 'assignment', row, from, by);
  const id = await repo.insertFact(q, 'assignment', teacherId, { org_id: orgId, kind }, from, null, by, null, note);
  await repo.syncCurrent(q, todayInChina(), [teacherId]);
  return id;
}

/** Employment status from `from` (在职/退休/调出/离职/死亡/禁入): the current status ends the day before. */
export async function setStatus(q: Queryable, by: By, teacherId: number, status: string, from: string, note: string | null = null): Promise<number> {
  await locked(q, teacherId);
  for (const row of await repo.factsOn(q, 'status', teacherId, from)) await closeBefore(q, 'status', row, from, by);
  const id = await repo.insertFact(q, 'status', teacherId, { status }, from, null, by, null, note);
  await repo.syncCurrent(q, todayInChina(), [teacherId]);
  return id;
}

/**
 * Credentials changed from `from` (教师资格 type/stage/subject/no/expiry, 职称 and its date, 普通话, other
 * certificates, 学历): for each field whose value on `from` differs, the old value ends the day before and the
 * new one starts on `from` (null clears the field from then on). A date in the past may fall inside a period
 * that already ended (a later change is recorded): that period is corrected into its part before `from`, and the
 * new value holds until the later change, never across it; likewise when only a later period exists.
 */
export async function recordCredentials(
  q: Queryable,
  by: By,
  teacherId: number,
  values: Partial<Record<CredentialField, unknown>>,
  from: string,
  note: string | null = null,
): Promise<number> {
  await locked(q, teacherId);
  let n = 0;
  for (const [field, v] of Object.entries(values) as [CredentialField, unknown][]) {
    const value = v === undefined || (Array.isArray(v) && v.length === 0) ? null : v;
    const rows = (await repo.factsOn(q, 'credential', teacherId, from)).filter((r) => r.field === field);
    if (rows.length === 1 && JSON.stringify(rows[0].value) === JSON.stringify(value)) continue;
    if (!rows.length && value === null) continue;
    // Until the next recorded change of this field, if there is one after `from`.
    let until: string | null = null;
    for (const row of rows) {
      if (row.from !== null && row.from >= from) await repo.supersedeFact(q, 'credential', row.id, by);
      else if (row.until === null) await repo.endFact(q, 'credential', row.id, addDays(from, -1), by);
      else {
        await repo.supersedeFact(q, 'credential', row.id, by);
        await repo.insertFact(q, 'credential', teacherId, { field, value: row.value }, row.from, addDays(from, -1), by, row.id, row.note);
        until = row.until;
      }
    }
    if (until === null) {
      const next = await repo.nextCredentialFrom(q, teacherId, field, from);
      if (next) until = addDays(next, -1);
    }
    if (value !== null) await repo.insertFact(q, 'credential', teacherId, { field, value }, from, until, by, null, note);
    n++;
  }
  if (n) await repo.syncCurrent(q, todayInChina(), [teacherId]);
  return n;
}

/** A key-teacher designation (骨干教师 level/category) for its term; it does not count after the term ends. */
export async function designate(
  q: Queryable,
  by: By,
  teacherId: number,
  d: { level: string; category: string | null; from: string | null; until: string | null },
): Promise<number> {
  await locked(q, teacherId);
  if (d.from && d.until && d.until < d.from) throw badRequest('任期结束不能早于开始', [{ field: 'validUntil', message: '任期结束不能早于开始' }]);
  const id = await repo.insertFact(q, 'designation', teacherId, { level: d.level, category: d.category }, d.from, d.until, by);
  await repo.syncCurrent(q, todayInChina(), [teacherId]);
  return id;
}

/**
 * The key-teacher designation changes from `from` (the teacher form: level, category or term end edited; null
 * level: no longer designated): the period valid on `from` ends the day before (one that starts on or after
 * `from` is superseded as a same-day change; one whose term ends later is corrected into its part before
 * `from`), and the new one runs from `from` to its term end.
 */
export async function changeDesignation(
  q: Queryable,
  by: By,
  teacherId: number,
  d: { level: string | null; category: string | null; until: string | null },
  from: string,
  note: string | null = null,
): Promise<void> {
  await locked(q, teacherId);
  if (d.level && d.until && d.until < from) throw badRequest('骨干任期结束不能早于生效日期', [{ field: 'keyTermEnd', message: '任期结束不能早于生效日期' }]);
  for (const row of await repo.factsOn(q, 'designation', teacherId, from)) {
    if (row.from !== null && row.from >= from) await repo.supersedeFact(q, 'designation', row.id, by);
    else if (row.until === null) await repo.endFact(q, 'designation', row.id, addDays(from, -1), by);
    else {
      await repo.supersedeFact(q, 'designation', row.id, by);
      await repo.insertFact(q, 'designation', teacherId, { level: row.level, category: row.category }, row.from, addDays(from, -1), by, row.id, row.note);
    }
  }
  if (d.level) await repo.insertFact(q, 'designation', teacherId, { level: d.level, category: d.category }, from, d.until, by, null, note);
  await repo.syncCurrent(q, todayInChina(), [teacherId]);
}

/**
 * A correction (wrong dates, or a wrong value of a credential): the old row stays, marked superseded by whom
 * and when, and a corrected copy is added pointing to it.
 */
export async function correctFact(
  q: Queryable,
  by: By,
  kind: FactKind,
  teacherId: number,
  rowId: number,
  fix: { from: string | null; until: string | null; value?: unknown; note?: string | null },
): Promise<number> {
  await locked(q, teacherId);
  const row = await repo.findFact(q, kind, teacherId, rowId);
  if (!row) throw noSuchFact();
  if (row.superseded_at) throw conflict('该记录已被更正，请更正最新的记录');
  if (fix.from && fix.until && fix.until < fix.from) throw badRequest('结束日期不能早于开始日期', [{ field: 'until', message: '结束日期不能早于开始日期' }]);
  const own: Record<FactKind, string[]> = {
    role: ['role'],
    assignment: ['org_id', 'kind'],
    status: ['status'],
    credential: ['field', 'value'],
    designation: ['level', 'category'],
  };
  const values = Object.fromEntries(own[kind].map((c) => [c, row[c]]));
  if (kind === 'credential' && fix.value !== undefined) values.value = fix.value;
  await repo.supersedeFact(q, kind, rowId, by);
  const id = await repo.insertFact(q, kind, teacherId, values, fix.from, fix.until, by, rowId, fix.note ?? row.note);
  await repo.syncCurrent(q, todayInChina(), [teacherId]);
  return id;
}

/** Delete a row entered by mistake: a reason is required, and the deleted row is kept in the audit log. */
export async function deleteFact(
  q: Queryable,
  user: CurrentUser,
  kind: FactKind,
  teacherId: number,
  rowId: number,
  reason: string,
  ip?: string,
): Promise<void> {
  await locked(q, teacherId);
  const row = await repo.findFact(q, kind, teacherId, rowId);
  if (!row) throw noSuchFact();
  await repo.deleteFact(q, kind, rowId);
  await audit(q, user, 'teacher.fact.delete', 'teacher', teacherId, { kind, reason, row: { ...row, recorded_at: String(row.recorded_at) } }, ip);
  await repo.syncCurrent(q, todayInChina(), [teacherId]);
}

// ---------------------------------------------------------------- API (the teacher page)

/** One dated change in its own transaction; the teacher's version moves on (an open form must reload). */
function inTx<T>(ctx: AppContext, teacherId: number, f: (q: Queryable) => Promise<T>): Promise<T> {
  return ctx.db
    .tx(async (q) => {
      const r = await f(q);
      await repo.bumpVersion(q, teacherId);
      return r;
    })
    .catch((err: unknown) => {
      // The overlap trigger (0033): two current periods of the same fact on one day.
      if ((err as { code?: string }).code === '23514' && String((err as Error).message).includes('overlapping'))
        throw badRequest('与已登记的记录时间重叠：同一事项在同一天只能有一条有效记录，请先结束或更正原记录', [
          { field: 'validFrom', message: '与已有记录重叠' },
        ]);
      throw err;
    });
}

async function writable(ctx: AppContext, user: CurrentUser, teacherId: number) {
  requirePermission(user, 'teachers.write');
  if (user.role === 'teacher') throw forbidden();
  await getTeacher(ctx, user, teacherId);
}

/** A new fact from the teacher page (one kind per call, each with its effective date). */
export async function apiAdd(ctx: AppContext, user: CurrentUser, teacherId: number, b: FactInput): Promise<number> {
  switch (b.kind) {
    case 'role':
      return apiStartRole(ctx, user, teacherId, b);
    case 'assignment':
      return apiAssign(ctx, user, teacherId, { orgId: b.orgId, kind: b.assignmentKind, validFrom: b.validFrom, note: b.note });
    case 'status':
      return apiStatus(ctx, user, teacherId, b);
    case 'credential':
      return (await apiCredentials(ctx, user, teacherId, b)).changed;
    case 'designation':
      return apiDesignate(ctx, user, teacherId, b);
  }
}

export async function apiStartRole(ctx: AppContext, user: CurrentUser, teacherId: number, b: { role: string; since?: string | null; note?: string | null }) {
  await writable(ctx, user, teacherId);
  return inTx(ctx, teacherId, (q) => startRole(q, user.id, teacherId, b.role, b.since ?? todayInChina(), b.note ?? null));
}

export async function apiEnd(ctx: AppContext, user: CurrentUser, kind: FactKind, teacherId: number, rowId: number, until?: string) {
  await writable(ctx, user, teacherId);
  if (kind !== 'role') throw badRequest('只有任职可以直接结束；学校、状态和证书的变化请登记新的记录');
  await inTx(ctx, teacherId, (q) => endRole(q, user.id, teacherId, rowId, until ?? todayInChina()));
}

export async function apiCorrect(
  ctx: AppContext,
  user: CurrentUser,
  kind: FactKind,
  teacherId: number,
  rowId: number,
  b: { from?: string | null; until?: string | null; note?: string | null },
) {
  await writable(ctx, user, teacherId);
  return inTx(ctx, teacherId, (q) => correctFact(q, user.id, kind, teacherId, rowId, { from: b.from ?? null, until: b.until ?? null, note: b.note ?? null }));
}

export async function apiDelete(ctx: AppContext, user: CurrentUser, kind: FactKind, teacherId: number, rowId: number, reason: string, ip?: string) {
  await writable(ctx, user, teacherId);
  await inTx(ctx, teacherId, (q) => deleteFact(q, user, kind, teacherId, rowId, reason, ip));
}

export async function apiAssign(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  b: { orgId: number; kind: string; validFrom: string; note?: string | null },
) {
  await writable(ctx, user, teacherId);
  const org = await findInScope(ctx.db, user.scopePath, { id: b.orgId });
  if (org?.kind !== 'school') throw badRequest('所选学校不存在或不在您的管辖范围内', [{ field: 'orgId', message: '请选择管辖范围内的学校' }]);
  if (org.closed_at) throw badRequest('所选学校已撤销，请选择其他学校', [{ field: 'orgId', message: '该学校已撤销' }]);
  return inTx(ctx, teacherId, (q) => assignSchool(q, user.id, teacherId, b.orgId, b.kind, b.validFrom, b.note ?? null));
}

export async function apiStatus(ctx: AppContext, user: CurrentUser, teacherId: number, b: { status: string; validFrom: string; note?: string | null }) {
  await writable(ctx, user, teacherId);
  return inTx(ctx, teacherId, (q) => setStatus(q, user.id, teacherId, b.status, b.validFrom, b.note ?? null));
}

export async function apiCredentials(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  b: { validFrom: string; values: Partial<Record<CredentialField, unknown>> },
) {
  await writable(ctx, user, teacherId);
  return { changed: await inTx(ctx, teacherId, (q) => recordCredentials(q, user.id, teacherId, b.values, b.validFrom)) };
}

export async function apiDesignate(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  b: { level: string; category?: string | null; validFrom?: string | null; validUntil?: string | null },
) {
  await writable(ctx, user, teacherId);
  return inTx(ctx, teacherId, (q) =>
    designate(q, user.id, teacherId, { level: b.level, category: b.category ?? null, from: b.validFrom ?? null, until: b.validUntil ?? null }),
  );
}

/** Fields a 'limited' viewer never sees in the timeline (as in the change history). */
const LIMITED_FIELDS = new Set(['qualification_no']);

/** The teacher's facts over time, every kind, superseded rows included (marked), oldest first. */
export async function timeline(ctx: AppContext, user: CurrentUser, teacherId: number) {
  await getTeacher(ctx, user, teacherId);
  const limited = piiViewOf(user) === 'limited' && !(user.role === 'teacher' && user.teacherId === teacherId);
  const kinds: FactKind[] = ['assignment', 'status', 'role', 'credential', 'designation'];
  const out = [];
  for (const kind of kinds) {
    for (const r of await repo.listFacts(ctx.db, kind, teacherId)) {
      if (kind === 'credential' && limited && LIMITED_FIELDS.has(String(r.field))) continue;
      out.push({
        kind,
        id: r.id,
        from: r.from,
        until: r.until,
        role: kind === 'role' ? (r.role as string) : undefined,
        orgId: kind === 'assignment' ? (r.org_id as number) : undefined,
        orgName: kind === 'assignment' ? (r.org_name as string) : undefined,
        assignmentKind: kind === 'assignment' ? (r.kind as string) : undefined,
        status: kind === 'status' ? (r.status as string) : undefined,
        field: kind === 'credential' ? (r.field as string) : undefined,
        value: kind === 'credential' ? r.value : undefined,
        level: kind === 'designation' ? (r.level as string) : undefined,
        category: kind === 'designation' ? (r.category as string | null) : undefined,
        note: r.note,
        recordedBy: r.recorded_by_name,
        recordedAt: r.recorded_at,
        endedBy: (r.ended_by_name as string | null) ?? null,
        endedAt: r.ended_at,
        supersededBy: (r.superseded_by_name as string | null) ?? null,
        supersededAt: r.superseded_at,
        corrects: r.corrects,
      });
    }
  }
  return { items: out };
}
