/**
 * 师徒结对 (issue 13 item 3; 001 §三（三）“师徒结对”, §三（四）): a mentor teacher and a new teacher of a school, per
 * subject, from a term start, with goals. Both teachers see the pair and write dated records (听课 / 指导 / 反思).
 * Ending or changing a pair keeps history: the pair is ended on a day (with its reason), a changed mentor is a new
 * pair that names the one it replaces. One current pair per mentee and subject; a mentor's current mentees are capped
 * by the policy's `mentoring.mentorLoadCap`.
 *
 * Who: the school and the bureau above it (mentoring.manage) manage pairs of their subtree; the mentor and the
 * mentee (role 教师) read their pairs and write records.
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import { can, type CurrentUser, requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getTeacher } from '../teachers/teachers.service.js';
import { notify } from '../notifications/notifications.service.js';
import { usersOfTeachers } from '../projects/workflow.repository.js';
import { mentoringRulesFor } from './mentoring.rules.js';
import { RECORD_KINDS, type PairInput } from './mentoring.schema.js';

export interface PairRow {
  id: number;
  mentor_teacher_id: number;
  mentor_name: string;
  mentor_org_name: string;
  mentee_teacher_id: number;
  mentee_name: string;
  school_org_id: number;
  school_name: string;
  subject: string;
  term_from: string;
  term_until: string | null;
  goals: string | null;
  ended_on: string | null;
  end_reason: string | null;
  replaces: number | null;
  recorded_at: string;
}

const PAIR_SELECT = `
  SELECT p.id, p.mentor_teacher_id, mt.name AS mentor_name, mo.name AS mentor_org_name, p.mentee_teacher_id, me.name AS mentee_name,
         p.school_org_id, s.name AS school_name, p.subject, p.term_from::text, p.term_until::text, p.goals, p.ended_on::text, p.end_reason,
         p.replaces, p.recorded_at
    FROM mentor_pairs p
    JOIN teachers mt ON mt.id = p.mentor_teacher_id JOIN orgs mo ON mo.id = mt.org_id
    JOIN teachers me ON me.id = p.mentee_teacher_id
    JOIN orgs s ON s.id = p.school_org_id`;

export function pairView(p: PairRow, today = todayInChina()) {
  const current = p.ended_on === null || p.ended_on >= today;
  return {
    id: p.id,
    mentor: { id: p.mentor_teacher_id, name: p.mentor_name, orgName: p.mentor_org_name },
    mentee: { id: p.mentee_teacher_id, name: p.mentee_name },
    schoolOrgId: p.school_org_id,
    schoolName: p.school_name,
    subject: p.subject,
    termFrom: p.term_from,
    termUntil: p.term_until,
    goals: p.goals,
    endedOn: p.ended_on,
    endReason: p.end_reason,
    replaces: p.replaces,
    current,
    stateLabel: current ? '结对中' : '已结束',
  };
}

/** Pairs the caller may see: of its subtree's schools (managers), or its own as mentor or mentee (a teacher). */
function visibility(user: CurrentUser, alias = 'p'): { sql: string; param: string | number } {
  if (user.role === 'teacher') {
    if (!user.teacherId) throw forbidden('仅教师本人可查看');
    return { sql: `(${alias}.mentor_teacher_id = $1 OR ${alias}.mentee_teacher_id = $1)`, param: user.teacherId };
  }
  requirePermission(user, 'mentoring.manage');
  return { sql: `s.path LIKE $1 || '%'`, param: user.scopePath };
}

export async function listPairs(ctx: AppContext, user: CurrentUser, opts: { current?: boolean } = {}) {
  const v = visibility(user);
  const rows = (
    await ctx.db.query<PairRow>(
      `${PAIR_SELECT} WHERE ${v.sql} ${opts.current ? 'AND (p.ended_on IS NULL OR p.ended_on >= $2::date)' : 'AND $2::date IS NOT NULL'}
       ORDER BY (p.ended_on IS NULL) DESC, p.term_from DESC, p.id DESC LIMIT 1000`,
      [v.param, todayInChina()],
    )
  ).rows;
  return { items: rows.map((r) => pairView(r)) };
}

async function findPair(q: Queryable, user: CurrentUser, id: number): Promise<PairRow> {
  const v = visibility(user);
  const p = (await q.query<PairRow>(`${PAIR_SELECT} WHERE p.id = $2 AND ${v.sql}`, [v.param, id])).rows[0];
  if (!p) throw notFound('师徒结对');
  return p;
}

export async function getPair(ctx: AppContext, user: CurrentUser, id: number) {
  const p = await findPair(ctx.db, user, id);
  const records = (
    await ctx.db.query<{
      id: number;
      author_side: 'mentor' | 'mentee' | 'school';
      kind: keyof typeof RECORD_KINDS;
      held_on: string;
      content: string;
      recorded_at: string;
    }>('SELECT id, author_side, kind, held_on::text, content, recorded_at FROM mentor_records WHERE pair_id = $1 ORDER BY held_on DESC, id DESC', [p.id])
  ).rows;
  const history = (
    await ctx.db.query<PairRow>(`${PAIR_SELECT} WHERE p.mentee_teacher_id = $1 AND p.subject = $2 ORDER BY p.term_from, p.id`, [p.mentee_teacher_id, p.subject])
  ).rows;
  const side = user.role === 'teacher' ? (user.teacherId === p.mentor_teacher_id ? 'mentor' : 'mentee') : 'school';
  return {
    ...pairView(p),
    mySide: side,
    records: records.map((r) => ({
      id: r.id,
      authorSide: r.author_side,
      authorLabel: { mentor: '师傅', mentee: '徒弟', school: '学校' }[r.author_side],
      kind: r.kind,
      kindLabel: RECORD_KINDS[r.kind],
      heldOn: r.held_on,
      content: r.content,
      recordedAt: r.recorded_at,
    })),
    history: history.map((h) => pairView(h)),
  };
}

async function currentPairsOfMentor(q: Queryable, mentorId: number, day: string): Promise<number> {
  return (
    await q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM mentor_pairs WHERE mentor_teacher_id = $1 AND term_from <= $2::date AND (ended_on IS NULL OR ended_on >= $2::date)',
      [mentorId, day],
    )
  ).rows[0].n;
}

/** Insert a pair after the checks: mentor ≠ mentee, both active and in scope, one current pair per mentee/subject, the load cap. */
/** The two teachers of a pair, in the caller's scope (read before the transaction). */
async function pairTeachers(ctx: AppContext, user: CurrentUser, mentorTeacherId: number, menteeTeacherId: number) {
  if (mentorTeacherId === menteeTeacherId) throw badRequest('师傅和徒弟不能是同一名教师', [{ field: 'mentorTeacherId', message: '师傅不能是徒弟本人' }]);
  const mentee = await getTeacher(ctx, user, menteeTeacherId);
  const mentor = await getTeacher(ctx, user, mentorTeacherId).catch(() => {
    throw badRequest('师傅不存在或不在本单位范围内', [{ field: 'mentorTeacherId', message: '教师不存在或无权访问' }]);
  });
  return { mentor, mentee };
}

async function insertPair(
  q: Queryable,
  user: CurrentUser,
  { mentor, mentee }: Awaited<ReturnType<typeof pairTeachers>>,
  b: { subject: string; termFrom: string; termUntil?: string | null; goals?: string | null },
  replaces: number | null,
) {
  if (b.termUntil && b.termUntil < b.termFrom) throw badRequest('结对结束日期不能早于开始日期', [{ field: 'termUntil', message: '不能早于开始日期' }]);
  if (mentee.status !== 'active') throw badRequest('徒弟不是在职教师', [{ field: 'menteeTeacherId', message: '该教师不在职' }]);
  if (mentor.status !== 'active') throw badRequest('师傅不是在职教师', [{ field: 'mentorTeacherId', message: '该教师不在职' }]);
  const school = (await q.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [mentee.org_id])).rows[0];
  const rules = await mentoringRulesFor(q, school.path, b.termFrom);
  // Serialise pairings of this mentor and of this mentee (the load count and the one-current rule).
  await q.query('SELECT id FROM teachers WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [[mentor.id, mentee.id]]);
  const existing = (
    await q.query<{ id: number; mentor_name: string }>(
      `SELECT p.id, t.name AS mentor_name FROM mentor_pairs p JOIN teachers t ON t.id = p.mentor_teacher_id
        WHERE p.mentee_teacher_id = $1 AND p.subject = $2 AND p.ended_on IS NULL`,
      [mentee.id, b.subject],
    )
  ).rows[0];
  if (existing)
    throw new AppError('CONFLICT', `${mentee.name}的${b.subject}学科已与${existing.mentor_name}结对；如需更换师傅，请在该结对上“更换师傅”`, [
      { field: 'menteeTeacherId', message: '该学科已有结对' },
    ]);
  const load = await currentPairsOfMentor(q, mentor.id, b.termFrom);
  const cap = rules.mentoring.mentorLoadCap;
  if (load >= cap)
    throw new AppError('CONFLICT', `${mentor.name}已带教 ${load} 名徒弟，达到每名师傅同时带教 ${cap} 人的上限（${rules.cite}）`, [
      { field: 'mentorTeacherId', message: `已达带教上限 ${cap} 人` },
    ]);
  const id = (
    await q.query<{ id: number }>(
      `INSERT INTO mentor_pairs (mentor_teacher_id, mentee_teacher_id, school_org_id, subject, term_from, term_until, goals, replaces, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [mentor.id, mentee.id, mentee.org_id, b.subject, b.termFrom, b.termUntil ?? null, b.goals ?? null, replaces, user.id],
    )
  ).rows[0].id;
  // Both teachers hear of it (their accounts, if any); the page opens the pair.
  const link = `/mentoring/pairs/${id}`;
  await notify(q, await usersOfTeachers(q, [mentor.id]), { kind: 'general', title: `您已与${mentee.name}结为师徒（${b.subject}，您为师傅）`, link });
  await notify(q, await usersOfTeachers(q, [mentee.id]), { kind: 'general', title: `学校已为您安排师傅：${mentor.name}（${b.subject}）`, link });
  return { id, mentor, mentee };
}

export async function createPair(ctx: AppContext, user: CurrentUser, b: PairInput, ip?: string) {
  requirePermission(user, 'mentoring.manage');
  if (b.termUntil && b.termUntil < b.termFrom) throw badRequest('结对结束日期不能早于开始日期', [{ field: 'termUntil', message: '不能早于开始日期' }]);
  const who = await pairTeachers(ctx, user, b.mentorTeacherId, b.menteeTeacherId);
  return ctx.db.tx(async (q) => {
    const r = await insertPair(q, user, who, b, null);
    await audit(q, user, 'mentoring.pair', 'mentor_pair', r.id, { mentor: r.mentor.id, mentee: r.mentee.id, subject: b.subject, termFrom: b.termFrom }, ip);
    return { id: r.id };
  });
}

async function lockCurrent(q: Queryable, user: CurrentUser, id: number): Promise<PairRow> {
  requirePermission(user, 'mentoring.manage');
  const p = await findPair(q, user, id);
  await q.query('SELECT id FROM mentor_pairs WHERE id = $1 FOR UPDATE', [id]);
  const ended = (await q.query<{ ended_on: string | null }>('SELECT ended_on::text FROM mentor_pairs WHERE id = $1', [id])).rows[0].ended_on;
  if (ended) throw conflict(`该结对已于 ${ended} 结束`);
  return p;
}

/** End a pair on a day (with its reason); the row stays. */
export async function endPair(ctx: AppContext, user: CurrentUser, id: number, b: { endedOn: string; reason: string }, ip?: string) {
  return ctx.db.tx(async (q) => {
    const p = await lockCurrent(q, user, id);
    if (b.endedOn < p.term_from) throw badRequest('结束日期不能早于结对开始日期', [{ field: 'endedOn', message: `不能早于 ${p.term_from}` }]);
    await q.query('UPDATE mentor_pairs SET ended_on = $2, end_reason = $3, ended_by = $4, ended_at = now() WHERE id = $1', [id, b.endedOn, b.reason, user.id]);
    await audit(q, user, 'mentoring.pairEnd', 'mentor_pair', id, { endedOn: b.endedOn, reason: b.reason }, ip);
    return { id, endedOn: b.endedOn };
  });
}

/** Change the mentor: the pair ends the day before `from` and a new one (naming it) starts on `from`. */
export async function changeMentor(
  ctx: AppContext,
  user: CurrentUser,
  id: number,
  b: { mentorTeacherId: number; from: string; reason: string; goals?: string | null },
  ip?: string,
) {
  requirePermission(user, 'mentoring.manage');
  const before = await findPair(ctx.db, user, id);
  const who = await pairTeachers(ctx, user, b.mentorTeacherId, before.mentee_teacher_id);
  return ctx.db.tx(async (q) => {
    const p = await lockCurrent(q, user, id);
    if (b.mentorTeacherId === p.mentor_teacher_id) throw badRequest('新师傅与原师傅相同', [{ field: 'mentorTeacherId', message: '请选择另一名教师' }]);
    if (b.from <= p.term_from) throw badRequest('更换日期应晚于结对开始日期', [{ field: 'from', message: `应晚于 ${p.term_from}` }]);
    const dayBefore = new Date(Date.parse(`${b.from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await q.query('UPDATE mentor_pairs SET ended_on = $2, end_reason = $3, ended_by = $4, ended_at = now() WHERE id = $1', [
      id,
      dayBefore,
      `更换师傅：${b.reason}`,
      user.id,
    ]);
    const r = await insertPair(q, user, who, { subject: p.subject, termFrom: b.from, termUntil: p.term_until, goals: b.goals ?? p.goals }, id);
    await audit(q, user, 'mentoring.pairChange', 'mentor_pair', r.id, { replaces: id, mentor: b.mentorTeacherId, from: b.from, reason: b.reason }, ip);
    return { id: r.id, replaces: id };
  });
}

/** A dated record by the mentor, the mentee (their own pair) or the school. */
export async function addRecord(ctx: AppContext, user: CurrentUser, id: number, b: { kind: keyof typeof RECORD_KINDS; heldOn: string; content: string }) {
  const p = await findPair(ctx.db, user, id);
  const side = user.role === 'teacher' ? (user.teacherId === p.mentor_teacher_id ? 'mentor' : 'mentee') : 'school';
  if (side === 'school' && !can(user, 'mentoring.manage')) throw forbidden();
  if (b.heldOn > todayInChina()) throw badRequest('日期不能晚于今天', [{ field: 'heldOn', message: '不能晚于今天' }]);
  if (b.heldOn < p.term_from) throw badRequest('日期早于结对开始日期', [{ field: 'heldOn', message: `不能早于 ${p.term_from}` }]);
  if (p.ended_on && b.heldOn > p.ended_on) throw badRequest('日期晚于结对结束日期', [{ field: 'heldOn', message: `不能晚于 ${p.ended_on}` }]);
  const rid = (
    await ctx.db.query<{ id: number }>(
      'INSERT INTO mentor_records (pair_id, author_side, kind, held_on, content, recorded_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [p.id, side, b.kind, b.heldOn, b.content, user.id],
    )
  ).rows[0].id;
  return { id: rid };
}
