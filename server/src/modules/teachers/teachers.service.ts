import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { maskNationalId, maskPhone, parseNationalId, type NationalIdInfo } from '../../platform/national-id.js';
import type { Pii } from '../../platform/crypto.js';
import { ageBand, piiViewOf, type PiiView, viewNationalIdMask, viewPhoneMask } from '../../platform/pii-view.js';
import { findInScope } from '../orgs/orgs.repository.js';
import { assertNotBanned } from '../integrity/bans.service.js';
import * as repo from './teachers.repository.js';
import * as facts from './teacher-facts.repository.js';
import { assignSchool, changeDesignation, recordCredentials, setStatus } from './teacher-facts.service.js';
import { addDays } from '../policies/policy.windows.js';
import type { TeacherColumns, TeacherReach, TeacherRow } from './teachers.repository.js';
import type { ExactSearch, TeacherInput, TeacherListQuery, TeacherUpdate } from './teachers.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * The teachers this caller may read; a teacher only ever sees themself (handled by callers). A training
 * institution serves the region above it for its projects, but reads only the teachers enrolled in its own
 * projects (PIPL minimum necessary): the region's registry is not its business.
 */
export function reachOf(user: CurrentUser): TeacherReach {
  requirePermission(user, 'teachers.read');
  return { scopePath: user.scopePath, enrolledUnder: user.role === 'institution' ? user.orgPath : null };
}

/** Turn validated input into stored columns: PII encrypted, indexed and masked; gender and birth date from the ID. */
export function toColumns(pii: Pii, input: TeacherInput): TeacherColumns {
  const id = parseNationalId(input.nationalId);
  if (!id.ok) throw badRequest('身份证号无效', [{ field: 'nationalId', message: '身份证号无效' }]);
  const cols = plainColumns(pii, input, id.info);
  cols.national_id_enc = pii.encrypt(id.info.value);
  cols.phone_enc = cols.phone_idx ? pii.encrypt(input.phone!) : null;
  return cols;
}

/**
 * The stored columns of validated input without the ciphertext (national_id_enc '' and phone_enc null
 * until the caller fills them in): the import reuses a stored ciphertext of the same value instead of
 * encrypting again. Blind indexes and masks are computed here.
 */
export function plainColumns(pii: Pii, input: TeacherInput, id: NationalIdInfo): TeacherColumns {
  const nid = id.value;
  const phone = input.phone ?? null;
  return {
    org_id: input.orgId,
    name: input.name,
    national_id_enc: '',
    national_id_idx: pii.blindIndex(nid),
    national_id_mask: maskNationalId(nid),
    phone_enc: null,
    phone_idx: phone ? pii.blindIndex(phone) : null,
    phone_mask: phone ? maskPhone(phone) : null,
    gender: id.gender,
    birth_date: id.birthDate,
    employment: input.employment,
    stage: input.stage,
    subjects: input.subjects,
    hire_date: input.hireDate ?? null,
    education: input.education ?? null,
    second_degree: input.secondDegree ?? null,
    title: input.title ?? null,
    title_date: input.titleDate ?? null,
    qualification_type: input.qualificationType ?? null,
    qualification_stage: input.qualificationStage ?? null,
    qualification_subject: input.qualificationSubject ?? null,
    qualification_no: input.qualificationNo ?? null,
    qualification_expiry: input.qualificationExpiry ?? null,
    mandarin_level: input.mandarinLevel ?? null,
    certificates: input.certificates,
    key_level: input.keyLevel ?? null,
    key_category: input.keyCategory ?? null,
    key_term_end: input.keyTermEnd ?? null,
    party_member: input.partyMember,
    status: input.status,
  };
}

/**
 * The shape every API response uses: PII masked, never the ciphertext, and only as much as the viewer's role
 * needs (platform/pii-view.ts): 'limited' viewers get the last 4 characters of the 身份证号 and phone, an age band
 * instead of the birth date, and neither 党员 nor the 资格证 number (null).
 */
export function presentTeacher(t: TeacherRow, view: PiiView) {
  const full = view === 'full';
  return {
    id: t.id,
    orgId: t.org_id,
    orgName: t.org_name,
    name: t.name,
    nationalIdMasked: viewNationalIdMask(t.national_id_mask, view),
    phoneMasked: viewPhoneMask(t.phone_mask, view),
    gender: t.gender,
    birthDate: full ? t.birth_date : null,
    ageBand: ageBand(t.birth_date),
    employment: t.employment,
    stage: t.stage,
    subjects: t.subjects,
    hireDate: t.hire_date,
    education: t.education,
    secondDegree: t.second_degree,
    title: t.title,
    titleDate: t.title_date,
    qualificationType: t.qualification_type,
    qualificationStage: t.qualification_stage,
    qualificationSubject: t.qualification_subject,
    qualificationNo: full ? t.qualification_no : null,
    qualificationExpiry: t.qualification_expiry,
    mandarinLevel: t.mandarin_level,
    certificates: t.certificates,
    roles: t.roles,
    keyLevel: t.key_level,
    keyCategory: t.key_category,
    keyTermEnd: t.key_term_end,
    partyMember: full ? t.party_member : null,
    status: t.status,
    version: t.version,
  };
}
export type TeacherDto = ReturnType<typeof presentTeacher>;

/** Fields compared for the change history; PII is compared by its mask so history never holds it. */
const HISTORY_FIELDS: (keyof TeacherColumns)[] = repo.TEACHER_COLUMNS.filter((k) => !k.endsWith('_enc') && !k.endsWith('_idx'));

function diff(before: Partial<TeacherColumns> | null, after: TeacherColumns): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of HISTORY_FIELDS) {
    const a = before ? before[k] : null;
    const b = after[k];
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out[k] = { from: a ?? null, to: b ?? null };
  }
  return out;
}

async function assertSchoolInScope(q: Queryable, user: CurrentUser, orgId: number, currentOrgId?: number): Promise<void> {
  const org = await findInScope(q, user.scopePath, { id: orgId });
  if (!org) throw badRequest('所选学校不存在或不在您的管辖范围内', [{ field: 'orgId', message: '学校不在管辖范围内' }]);
  if (org.kind !== 'school') throw badRequest('教师只能归属到学校', [{ field: 'orgId', message: '请选择学校' }]);
  // A teacher left at a closed school (retired before it closed) can still be edited where they are.
  if (org.closed_at && orgId !== currentOrgId) throw badRequest('所选学校已撤销，请选择其他学校', [{ field: 'orgId', message: '该学校已撤销' }]);
}

/** What of a teacher's personal data the caller sees: a teacher always sees their own record in full. */
export function teacherViewOf(user: CurrentUser, teacherId: number): PiiView {
  return user.role === 'teacher' && user.teacherId === teacherId ? 'full' : piiViewOf(user);
}

/** One teacher as this caller may see it (the presenter chosen by the caller's permissions). */
export function presentFor(user: CurrentUser, t: TeacherRow) {
  return presentTeacher(t, teacherViewOf(user, t.id));
}

/** The teacher list: filters and name search only (an 身份证号 or phone number is refused by the schema). */
export async function listTeachers(ctx: AppContext, user: CurrentUser, f: TeacherListQuery) {
  const r = await repo.listTeachers(ctx.db, reachOf(user), f);
  const view = piiViewOf(user);
  return { items: r.rows.map((t) => presentTeacher(t, view)), total: r.total, page: f.page, pageSize: f.pageSize };
}

/**
 * 精确查找: the teachers of the caller's subtree with exactly this 身份证号 or phone. Only for roles that may
 * unmask (anyone else could confirm guessed numbers one by one); the route is rate-limited per account, and every
 * search is audited with what was searched for (身份证号 or phone) and how many matched — never the value.
 */
export async function exactSearch(ctx: AppContext, user: CurrentUser, body: ExactSearch, ip?: string) {
  requirePermission(user, 'teachers.read');
  if (!can(user, 'teachers.unmask')) throw forbidden('您的角色不能按身份证号或手机号查找教师，请按姓名查找');
  const field = body.nationalId ? 'nationalId' : 'phone';
  const value = (body.nationalId ?? body.phone ?? '').toUpperCase();
  const rows = await repo.findByExact(ctx.db, user.scopePath, field, ctx.pii.blindIndex(value));
  await audit(ctx.db, user, 'teacher.search', 'teacher', rows.length === 1 ? rows[0].id : null, { field, matches: rows.length }, ip);
  return { items: rows.map((t) => presentTeacher(t, 'full')), total: rows.length };
}

/** One teacher in the caller's reach (a teacher may read only their own record), else 404. */
export async function getTeacher(ctx: AppContext, user: CurrentUser, id: number): Promise<TeacherRow> {
  if (user.role === 'teacher') {
    if (user.teacherId !== id) throw notFound('教师');
    const t = await repo.findTeacher(ctx.db, '/', id);
    if (!t) throw notFound('教师');
    return t;
  }
  const reach = reachOf(user);
  const t = await repo.findTeacher(ctx.db, reach.scopePath, id, reach.enrolledUnder);
  if (!t) throw notFound('教师');
  return t;
}

/** Create a teacher, or fail with a field error if the 身份证号 is already registered anywhere. */
export async function createTeacher(ctx: AppContext, user: CurrentUser, input: TeacherInput, source = 'manual', q: Queryable = ctx.db): Promise<number> {
  requirePermission(user, 'teachers.write');
  await assertSchoolInScope(q, user, input.orgId);
  const cols = toColumns(ctx.pii, input);
  if (await repo.findByNationalIdx(q, cols.national_id_idx)) throw conflict('该身份证号已登记，请勿重复添加（如教师调动，请由原单位调出）');
  // 行业禁入 (issue 12): a barred person is not registered as a teacher.
  await assertNotBanned(q, cols.national_id_idx, todayInChina(), '登记为教师');
  const run = async (tx: Queryable) => {
    const id = await repo.insertTeacher(tx, cols);
    // The record as entered holds since it began (registering a teacher is not obtaining a credential).
    const today = todayInChina();
    await facts.followColumns(tx, [id], today, user.id, { created: true });
    await facts.followRoles(
      tx,
      [id],
      input.roles.map((r) => ({ teacher_id: id, role: r.role, since: r.since ?? null })),
      today,
      user.id,
      true,
    );
    await repo.insertChange(tx, id, user.id, source, diff(null, cols));
    return id;
  };
  return q === ctx.db ? ctx.db.tx(run) : run(q);
}

/** How far ahead a form edit may be scheduled (生效日期 after today). */
const SCHEDULE_DAYS = 366;

/**
 * The 生效日期 of a form edit: today by default; earlier only with a reason (a correction of the past); later at
 * most SCHEDULE_DAYS ahead (a scheduled change: the periods start then, the current record changes that day).
 */
function effectiveDate(input: Pick<TeacherUpdate, 'effectiveFrom' | 'reason'>, today: string): { on: string; reason: string | null } {
  const on = input.effectiveFrom ?? today;
  const reason = input.reason?.trim() || null;
  if (on < today && !reason) throw badRequest('生效日期早于今天（更正以往的记录）时，请填写更正原因', [{ field: 'reason', message: '请填写更正原因' }]);
  if (on > addDays(today, SCHEDULE_DAYS))
    throw badRequest('生效日期最多可预约到一年以后', [{ field: 'effectiveFrom', message: '生效日期最多可预约到一年以后' }]);
  return { on, reason };
}

/**
 * A dated change that runs into a later recorded one (the overlap trigger of 0033, or a fact function's refusal):
 * the form's field is 生效日期.
 */
function overlapAsFieldError(err: unknown): never {
  const refused = err instanceof AppError && err.code === 'VALIDATION' && err.fields.some((f) => f.field === 'validFrom' || f.field === 'since');
  const overlap = (err as { code?: string }).code === '23514' && String((err as Error).message).includes('overlapping');
  if (refused || overlap)
    throw badRequest('与生效日期之后已登记的变化重叠：请在教师时间线中更正该记录，或选择更晚的生效日期', [
      { field: 'effectiveFrom', message: '与之后已登记的变化重叠' },
    ]);
  throw err;
}

const DESIGNATION_COLUMNS = ['key_level', 'key_category', 'key_term_end'] as const;

/**
 * Save an edited teacher; a stale version (someone else saved first) is a 409, nothing lost. A changed school,
 * status, role, credential or key designation goes through the dated-fact functions from the edit's 生效日期
 * (effectiveDate), so results as of an earlier date do not change and the timeline shows the change from then.
 */
export async function updateTeacher(
  ctx: AppContext,
  user: CurrentUser,
  id: number,
  input: TeacherUpdate,
  source = 'manual',
  q: Queryable = ctx.db,
): Promise<boolean> {
  requirePermission(user, 'teachers.write');
  const today = todayInChina();
  const { on, reason } = effectiveDate(input, today);
  const before = await repo.findTeacher(q, user.scopePath, id);
  if (!before) throw notFound('教师');
  await assertSchoolInScope(q, user, input.orgId, before.org_id);
  const cols = toColumns(ctx.pii, input);
  const other = await repo.findByNationalIdx(q, cols.national_id_idx);
  if (other && other.id !== id) throw conflict('该身份证号已属于另一位教师');
  const changes = diff(before as unknown as TeacherColumns, cols);
  const rolesBefore = JSON.stringify(before.roles.map((r) => [r.role, r.since]));
  const rolesAfter = JSON.stringify(input.roles.map((r) => [r.role, r.since ?? null]).sort());
  if (rolesBefore !== rolesAfter) changes.roles = { from: before.roles, to: input.roles };
  if (Object.keys(changes).length === 0) return false;
  const dated = [...facts.CREDENTIAL_FIELDS, ...DESIGNATION_COLUMNS, 'org_id', 'status', 'roles'].some((k) => k in changes);
  if (dated && on !== today) changes.effective_from = { from: null, to: on };
  if (dated && reason) changes.reason = { from: null, to: reason };
  const run = async (tx: Queryable) => {
    // Undated columns are saved here; school, status, credentials and the designation keep their current values
    // and change through the fact functions from `on` (which bring the current values in line with today).
    const kept: Partial<TeacherColumns> = { org_id: before.org_id, status: before.status };
    for (const f of [...facts.CREDENTIAL_FIELDS, ...DESIGNATION_COLUMNS]) (kept as Record<string, unknown>)[f] = (before as unknown as TeacherColumns)[f];
    if (!(await repo.updateTeacher(tx, id, input.version, { ...cols, ...kept }))) throw conflict('该教师信息已被他人修改，请刷新后再保存');
    await facts.followColumns(tx, [id], today, user.id);
    const credentials = Object.fromEntries(facts.CREDENTIAL_FIELDS.filter((f) => f in changes).map((f) => [f, cols[f]]));
    if (Object.keys(credentials).length) await recordCredentials(tx, user.id, id, credentials, on, reason);
    if (DESIGNATION_COLUMNS.some((f) => f in changes))
      await changeDesignation(tx, user.id, id, { level: cols.key_level, category: cols.key_category, until: cols.key_term_end }, on, reason);
    if (cols.org_id !== before.org_id) await assignSchool(tx, user.id, id, cols.org_id, 'transfer', on, reason);
    if (cols.status !== before.status) await setStatus(tx, user.id, id, cols.status, on, reason);
    await facts.followRoles(
      tx,
      [id],
      input.roles.map((r) => ({ teacher_id: id, role: r.role, since: r.since ?? null })),
      on,
      user.id,
      false,
      'dayBefore',
    );
    await repo.insertChange(tx, id, user.id, source, changes);
    return true;
  };
  try {
    return await (q === ctx.db ? ctx.db.tx(run) : run(q));
  } catch (err) {
    overlapAsFieldError(err);
  }
}

/** Full 身份证号 and phone for a role allowed to see them; every call is audited. */
export async function unmaskTeacher(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  if (user.role === 'teacher' && user.teacherId === id) {
    // A teacher may always see their own data.
  } else requirePermission(user, 'teachers.unmask');
  const t = await getTeacher(ctx, user, id);
  await audit(ctx.db, user, 'teacher.unmask', 'teacher', id, { fields: ['nationalId', 'phone'] }, ip);
  return { nationalId: ctx.pii.decrypt(t.national_id_enc), phone: t.phone_enc ? ctx.pii.decrypt(t.phone_enc) : null };
}

/** History keys a 'limited' viewer never sees (the masks of the full view, the birth date, 党员, the 资格证 number). */
const LIMITED_HIDDEN_CHANGES = new Set(['national_id_mask', 'phone_mask', 'birth_date', 'party_member', 'qualification_no']);

export async function teacherHistory(ctx: AppContext, user: CurrentUser, id: number) {
  await getTeacher(ctx, user, id);
  if (user.role === 'teacher') throw forbidden();
  const limited = piiViewOf(user) === 'limited';
  return (await repo.listChanges(ctx.db, id)).map((c) => ({
    id: c.id,
    at: c.at,
    source: c.source,
    userName: c.user_name,
    changes: limited ? Object.fromEntries(Object.entries(c.changes).filter(([k]) => !LIMITED_HIDDEN_CHANGES.has(k))) : c.changes,
  }));
}

/**
 * Every teacher of an org goes to another org (组织机构管理: the org merged into another), each with a line in
 * its change history. Runs in the caller's transaction; the caller has checked both orgs.
 */
export async function transferOrgTeachers(q: Queryable, fromOrgId: number, toOrgId: number, userId: number): Promise<number> {
  return repo.transferOrgTeachers(q, fromOrgId, toOrgId, userId, 'orgMerge', todayInChina());
}
