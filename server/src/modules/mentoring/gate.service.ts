/**
 * The 磨课 gate (issue 13 item 3; 001 §三（四）“新入职教师、新任学科教师须经过两轮磨课，通过教研室听课评估合格方能正式
 * 代课”): a new teacher (role 新入职教师, or hired within the policy's `newTeacherMonths`) is 待磨课 in each of its
 * subjects, and so is a teacher for whom the school opened the gate in a new subject (新任学科). Marking 可独立任教 is a
 * dated, recorded decision that needs `roundsRequired` passed rounds (purpose newTeacher, that subject) including one
 * evaluated by the 教研室; refused with 409 naming what is missing otherwise. A gate is released once.
 *
 * 重点培养对象 (same section): per school, subject and term, teachers with 教龄 ≤ `keyCandidateMaxYears` are flagged.
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import { type CurrentUser, can, requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getTeacher } from '../teachers/teachers.service.js';
import { notify } from '../notifications/notifications.service.js';
import { usersOfTeachers } from '../projects/workflow.repository.js';
import type { TeacherRow } from '../teachers/teachers.repository.js';
import { type MentoringRules, mentoringRulesFor, monthsBefore, termLabel } from './mentoring.rules.js';
import { polishSummary, type PolishSummary } from './polish.repository.js';

export const GATE_LABELS = { pending: '待磨课', released: '可独立任教', none: '不需磨课认定' } as const;
export const GATE_REASONS = { newTeacher: '新入职', newSubject: '新任学科' } as const;
type GateState = keyof typeof GATE_LABELS;

interface GateRow {
  id: number;
  subject: string;
  reason: keyof typeof GATE_REASONS;
  opened_on: string;
  released_on: string | null;
  release_note: string | null;
  release_rounds: number[];
  released_by_name: string | null;
}

/** SQL: the teacher `t` holds the role 新入职教师 on $day. */
export const HOLDS_NEW_ROLE = (day: string) => `EXISTS (SELECT 1 FROM teacher_roles r WHERE r.teacher_id = t.id AND r.role = 'newTeacher'
  AND r.superseded_at IS NULL AND (r.since IS NULL OR r.since <= ${day}) AND (r.until IS NULL OR r.until >= ${day}))`;

async function isNewTeacher(q: Queryable, t: TeacherRow, day: string, rules: MentoringRules): Promise<boolean> {
  if (t.hire_date && t.hire_date >= monthsBefore(day, rules.mentoring.newTeacherMonths) && t.hire_date <= day) return true;
  return (await q.query(`SELECT 1 FROM teachers t WHERE t.id = $1 AND ${HOLDS_NEW_ROLE('$2::date')}`, [t.id, day])).rows.length > 0;
}

/** What is still missing for 可独立任教 (empty: the rounds suffice). */
export function missingFor(s: PolishSummary, required: number): string[] {
  const out: string[] = [];
  if (s.passed < required) out.push(`还差 ${required - s.passed} 轮合格的磨课（已合格 ${s.passed} 轮，须 ${required} 轮）`);
  if (s.passedByResearchOffice < 1) out.push('尚无教研室听课评估合格的磨课');
  return out;
}

async function orgPathOf(q: Queryable, orgId: number): Promise<string> {
  return (await q.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [orgId])).rows[0].path;
}

/** A teacher's gate in each subject (its subjects and any opened gate), with the rounds and what is missing. */
export async function gatesOf(q: Queryable, t: TeacherRow, day = todayInChina()) {
  const rules = await mentoringRulesFor(q, await orgPathOf(q, t.org_id), day);
  const rows = (
    await q.query<GateRow>(
      `SELECT g.id, g.subject, g.reason, g.opened_on::text, g.released_on::text, g.release_note, g.release_rounds, u.display_name AS released_by_name
         FROM teaching_gates g LEFT JOIN users u ON u.id = g.released_by WHERE g.teacher_id = $1 ORDER BY g.subject`,
      [t.id],
    )
  ).rows;
  const isNew = await isNewTeacher(q, t, day, rules);
  const subjects = [...new Set([...t.subjects, ...rows.map((r) => r.subject)])];
  const out = [];
  for (const subject of subjects) {
    const g = rows.find((r) => r.subject === subject);
    const state: GateState = g ? (g.released_on ? 'released' : 'pending') : isNew ? 'pending' : 'none';
    const summary = await polishSummary(q, t.id, day, { purpose: 'newTeacher', subject });
    out.push({
      subject,
      state,
      stateLabel: GATE_LABELS[state],
      reason: g?.reason ?? (isNew ? 'newTeacher' : null),
      reasonLabel: g ? GATE_REASONS[g.reason] : isNew ? GATE_REASONS.newTeacher : null,
      openedOn: g?.opened_on ?? null,
      releasedOn: g?.released_on ?? null,
      releasedByName: g?.released_by_name ?? null,
      releaseNote: g?.release_note ?? null,
      rounds: summary,
      missing: state === 'pending' ? missingFor(summary, rules.mentoring.roundsRequired) : [],
    });
  }
  return { isNewTeacher: isNew, roundsRequired: rules.mentoring.roundsRequired, cite: rules.cite, gates: out };
}

export async function teacherGates(ctx: AppContext, user: CurrentUser, teacherId: number) {
  if (user.role !== 'teacher' && !can(user, 'mentoring.manage') && !can(user, 'mentoring.polish')) throw forbidden();
  const t = await getTeacher(ctx, user, teacherId);
  return { teacher: { id: t.id, name: t.name, orgName: t.org_name }, ...(await gatesOf(ctx.db, t)) };
}

/** Open the gate for a new subject (新任学科) or record a new teacher's gate explicitly. */
export async function openGate(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  b: { subject: string; reason: 'newTeacher' | 'newSubject'; openedOn: string },
  ip?: string,
) {
  requirePermission(user, 'mentoring.manage');
  const t = await getTeacher(ctx, user, teacherId);
  return ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM teachers WHERE id = $1 FOR UPDATE', [t.id]);
    const g = (
      await q.query<{ released_on: string | null }>('SELECT released_on::text FROM teaching_gates WHERE teacher_id = $1 AND subject = $2', [t.id, b.subject])
    ).rows[0];
    if (g) throw conflict(g.released_on ? `该教师的${b.subject}学科已于 ${g.released_on} 认定为可独立任教` : `该教师的${b.subject}学科已是待磨课`);
    const id = (
      await q.query<{ id: number }>(
        'INSERT INTO teaching_gates (teacher_id, school_org_id, subject, reason, opened_on, opened_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
        [t.id, t.org_id, b.subject, b.reason, b.openedOn, user.id],
      )
    ).rows[0].id;
    await audit(q, user, 'mentoring.gateOpen', 'teacher', t.id, { subject: b.subject, reason: b.reason, openedOn: b.openedOn }, ip);
    return { id };
  });
}

/**
 * Mark the teacher 可独立任教 in a subject on a date: refused (409, naming what is missing and citing 001 §三（四）)
 * without the required passed rounds including the 教研室's evaluation, held on or before that date.
 */
export async function releaseGate(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  b: { subject: string; releasedOn: string; note?: string | null },
  ip?: string,
) {
  requirePermission(user, 'mentoring.manage');
  const t = await getTeacher(ctx, user, teacherId);
  const today = todayInChina();
  if (b.releasedOn > today) throw badRequest('认定日期不能晚于今天', [{ field: 'releasedOn', message: '不能晚于今天' }]);
  return ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM teachers WHERE id = $1 FOR UPDATE', [t.id]);
    const rules = await mentoringRulesFor(q, await orgPathOf(q, t.org_id), b.releasedOn);
    const g = (
      await q.query<{ id: number; opened_on: string; released_on: string | null }>(
        'SELECT id, opened_on::text, released_on::text FROM teaching_gates WHERE teacher_id = $1 AND subject = $2',
        [t.id, b.subject],
      )
    ).rows[0];
    if (g?.released_on) throw conflict(`该教师的${b.subject}学科已于 ${g.released_on} 认定为可独立任教`);
    if (!g && !(await isNewTeacher(q, t, b.releasedOn, rules)))
      throw badRequest(`该教师不是新入职教师，${b.subject}学科也未登记为新任学科，无需磨课认定`, [{ field: 'subject', message: '无需认定' }]);
    if (g && b.releasedOn < g.opened_on) throw badRequest('认定日期不能早于登记待磨课的日期', [{ field: 'releasedOn', message: `不能早于 ${g.opened_on}` }]);
    const s = await polishSummary(q, t.id, b.releasedOn, { purpose: 'newTeacher', subject: b.subject });
    const missing = missingFor(s, rules.mentoring.roundsRequired);
    if (missing.length) {
      const message = `不能认定为可独立任教：${missing.join('；')}。依据${rules.cite}：新入职教师、新任学科教师须经过两轮磨课，通过教研室听课评估合格方能正式代课`;
      throw new AppError('CONFLICT', message, [{ field: 'subject', message: missing.join('；') }]);
    }
    const rounds = (
      await q.query<{ id: number }>(
        `SELECT id FROM polish_rounds WHERE teacher_id = $1 AND subject = $2 AND purpose = 'newTeacher' AND result = 'passed' AND superseded_at IS NULL AND held_on <= $3::date ORDER BY held_on, id`,
        [t.id, b.subject, b.releasedOn],
      )
    ).rows.map((r) => r.id);
    let id = g?.id;
    if (g)
      await q.query('UPDATE teaching_gates SET released_on = $2, released_by = $3, released_at = now(), release_note = $4, release_rounds = $5 WHERE id = $1', [
        g.id,
        b.releasedOn,
        user.id,
        b.note ?? null,
        rounds,
      ]);
    else
      id = (
        await q.query<{ id: number }>(
          `INSERT INTO teaching_gates (teacher_id, school_org_id, subject, reason, opened_on, opened_by, released_on, released_by, released_at, release_note, release_rounds)
           VALUES ($1,$2,$3,'newTeacher',LEAST($4::date, COALESCE($5::date, $4::date)),$6,$4,$6,now(),$7,$8) RETURNING id`,
          [t.id, t.org_id, b.subject, b.releasedOn, t.hire_date, user.id, b.note ?? null, rounds],
        )
      ).rows[0].id;
    await audit(q, user, 'mentoring.gateRelease', 'teacher', t.id, { subject: b.subject, releasedOn: b.releasedOn, rounds }, ip);
    await notify(q, await usersOfTeachers(q, [t.id]), {
      kind: 'result',
      title: `您已通过磨课认定，自 ${b.releasedOn} 起可独立任教${b.subject}`,
      link: '/my/mentoring',
    });
    return { id, state: 'released', stateLabel: GATE_LABELS.released, releasedOn: b.releasedOn, rounds };
  });
}

// ---------------------------------------------------------------- 重点培养对象

/** Whole years between two days (教龄 from the hire date). */
export function yearsBetween(from: string, to: string): number {
  let y = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (to.slice(5) < from.slice(5)) y--;
  return y;
}

export async function flagKeyCandidate(ctx: AppContext, user: CurrentUser, b: { teacherId: number; subject: string; term: string }, ip?: string) {
  requirePermission(user, 'mentoring.manage');
  const t = await getTeacher(ctx, user, b.teacherId).catch(() => {
    throw badRequest('教师不存在或不在本单位范围内', [{ field: 'teacherId', message: '教师不存在或无权访问' }]);
  });
  const today = todayInChina();
  const rules = await mentoringRulesFor(ctx.db, await orgPathOf(ctx.db, t.org_id), today);
  const max = rules.mentoring.keyCandidateMaxYears;
  if (!t.hire_date) throw badRequest(`${t.name}的档案没有参加工作（入职）日期，无法确认教龄`, [{ field: 'teacherId', message: '缺少入职日期' }]);
  const years = yearsBetween(t.hire_date, today);
  if (years > max)
    throw new AppError('CONFLICT', `${t.name}教龄 ${years} 年，重点培养对象须为教龄 ${max} 年以下的年轻教师（${rules.cite}）`, [
      { field: 'teacherId', message: `教龄超过 ${max} 年` },
    ]);
  if (t.status !== 'active') throw badRequest('该教师不在职', [{ field: 'teacherId', message: '该教师不在职' }]);
  return ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM teachers WHERE id = $1 FOR UPDATE', [t.id]);
    const dup = (
      await q.query('SELECT 1 FROM key_candidates WHERE teacher_id = $1 AND subject = $2 AND term = $3 AND withdrawn_at IS NULL', [t.id, b.subject, b.term])
    ).rows[0];
    if (dup) throw conflict(`${t.name}已是${termLabel(b.term)}${b.subject}学科的重点培养对象`);
    const id = (
      await q.query<{ id: number }>(
        'INSERT INTO key_candidates (teacher_id, school_org_id, subject, term, flagged_on, flagged_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
        [t.id, t.org_id, b.subject, b.term, today, user.id],
      )
    ).rows[0].id;
    await audit(q, user, 'mentoring.keyCandidate', 'teacher', t.id, { subject: b.subject, term: b.term }, ip);
    return { id };
  });
}

export async function withdrawKeyCandidate(ctx: AppContext, user: CurrentUser, id: number, reason: string, ip?: string) {
  requirePermission(user, 'mentoring.manage');
  return ctx.db.tx(async (q) => {
    const k = (
      await q.query<{ id: number; teacher_id: number; withdrawn_at: string | null }>(
        `SELECT k.id, k.teacher_id, k.withdrawn_at FROM key_candidates k JOIN orgs o ON o.id = k.school_org_id
          WHERE k.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF k`,
        [id, user.scopePath],
      )
    ).rows[0];
    if (!k) throw notFound('重点培养对象');
    if (k.withdrawn_at) throw conflict('该重点培养对象已撤销');
    await q.query('UPDATE key_candidates SET withdrawn_at = now(), withdrawn_by = $2, withdraw_reason = $3 WHERE id = $1', [id, user.id, reason]);
    await audit(q, user, 'mentoring.keyCandidateWithdraw', 'teacher', k.teacher_id, { keyCandidate: id, reason }, ip);
    return { id };
  });
}
