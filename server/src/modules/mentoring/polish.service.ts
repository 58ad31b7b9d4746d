/**
 * 磨课 rounds (issue 13 item 3; 001 §三（四）): the school's 磨课团队, the bureau or the 教研室 (a devCenter account of
 * an org of kind researchOffice) records a round of a teacher of its scope: subject, lesson, date, observers, an
 * evaluation form (a few scored items and a comment) and the result. The recording org is the evaluator: a round
 * counts as “the 教研室's evaluation” when its evaluator is a research office. A correction supersedes the round (the
 * old row stays, marked); only the evaluator's org or one above it corrects.
 */
import { type CurrentUser, can, requirePermission } from '../../platform/access.js';
import { todayInChina } from '../../platform/china-time.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import type { Queryable } from '../../db/db.js';
import { getTeacher } from '../teachers/teachers.service.js';
import { POLISH_PURPOSES, RESULT_LABELS, type RoundInput } from './mentoring.schema.js';
import type { PolishPurpose } from './polish.repository.js';

interface RoundRow {
  id: number;
  teacher_id: number;
  school_org_id: number;
  subject: string;
  lesson: string;
  held_on: string;
  purpose: PolishPurpose;
  evaluator_org_id: number;
  evaluator_name: string;
  evaluator_kind: string;
  evaluator_path: string;
  observers: string[];
  evaluation: { items?: { label: string; score: number; max: number }[]; total?: number; max?: number };
  result: 'passed' | 'failed';
  comment: string | null;
  recorded_at: string;
  superseded_by: number | null;
  corrects: number | null;
  correction_reason: string | null;
}

const ROUND_SELECT = `
  SELECT p.id, p.teacher_id, p.school_org_id, p.subject, p.lesson, p.held_on::text, p.purpose, p.evaluator_org_id, o.name AS evaluator_name,
         o.kind AS evaluator_kind, o.path AS evaluator_path, p.observers, p.evaluation, p.result, p.comment, p.recorded_at, p.superseded_by,
         p.corrects, p.correction_reason
    FROM polish_rounds p JOIN orgs o ON o.id = p.evaluator_org_id`;

export function roundView(r: RoundRow) {
  return {
    id: r.id,
    teacherId: r.teacher_id,
    subject: r.subject,
    lesson: r.lesson,
    heldOn: r.held_on,
    purpose: r.purpose,
    purposeLabel: POLISH_PURPOSES[r.purpose],
    evaluatorOrgName: r.evaluator_name,
    byResearchOffice: r.evaluator_kind === 'researchOffice',
    observers: r.observers,
    items: r.evaluation.items ?? [],
    total: r.evaluation.total ?? null,
    max: r.evaluation.max ?? null,
    result: r.result,
    resultLabel: RESULT_LABELS[r.result],
    comment: r.comment,
    recordedAt: r.recorded_at,
    superseded: r.superseded_by !== null,
    corrects: r.corrects,
    correctionReason: r.correction_reason,
  };
}

/** Who may read a teacher's rounds: the teacher, the managers and recorders of its scope. */
function requireReader(user: CurrentUser, teacherId: number) {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
    return;
  }
  if (!can(user, 'mentoring.manage') && !can(user, 'mentoring.polish')) throw forbidden();
}

export async function roundsOf(q: Queryable, teacherId: number) {
  return (await q.query<RoundRow>(`${ROUND_SELECT} WHERE p.teacher_id = $1 ORDER BY p.held_on DESC, p.id DESC`, [teacherId])).rows.map(roundView);
}

export async function listRounds(ctx: AppContext, user: CurrentUser, teacherId: number) {
  requireReader(user, teacherId);
  const t = await getTeacher(ctx, user, teacherId);
  return { teacher: { id: t.id, name: t.name, orgName: t.org_name, subjects: t.subjects }, items: await roundsOf(ctx.db, t.id) };
}

function evaluationOf(b: RoundInput) {
  const total = b.items.reduce((a, i) => a + i.score, 0);
  const max = b.items.reduce((a, i) => a + i.max, 0);
  b.items.forEach((i, n) => {
    if (i.score > i.max) throw badRequest(`“${i.label}”的分数超过满分`, [{ field: `items.${n}.score`, message: `不能超过 ${i.max}` }]);
  });
  return { items: b.items, total, max };
}

async function insertRound(q: Queryable, user: CurrentUser, t: { id: number; org_id: number }, b: RoundInput, corrects: { id: number; reason: string } | null) {
  const evaluation = evaluationOf(b);
  return (
    await q.query<{ id: number }>(
      `INSERT INTO polish_rounds (teacher_id, school_org_id, subject, lesson, held_on, purpose, evaluator_org_id, observers, evaluation, result, comment,
                                  recorded_by, corrects, correction_reason)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10,$11,$12,$13,$14) RETURNING id`,
      [
        t.id,
        t.org_id,
        b.subject,
        b.lesson,
        b.heldOn,
        b.purpose,
        user.orgId,
        b.observers,
        JSON.stringify(evaluation),
        b.result,
        b.comment ?? null,
        user.id,
        corrects?.id ?? null,
        corrects?.reason ?? null,
      ],
    )
  ).rows[0].id;
}

/** Record a round; the caller's org is the evaluator (a 教研室 account: the research office). */
export async function recordRound(ctx: AppContext, user: CurrentUser, teacherId: number, b: RoundInput, ip?: string) {
  requirePermission(user, 'mentoring.polish');
  const t = await getTeacher(ctx, user, teacherId);
  if (b.heldOn > todayInChina()) throw badRequest('磨课日期不能晚于今天', [{ field: 'heldOn', message: '不能晚于今天' }]);
  return ctx.db.tx(async (q) => {
    const id = await insertRound(q, user, t, b, null);
    await audit(q, user, 'mentoring.round', 'teacher', t.id, { round: id, subject: b.subject, result: b.result }, ip);
    return { id };
  });
}

/** Correct a round: a new row supersedes it (same teacher); the evaluator's org or one above it only. */
export async function correctRound(ctx: AppContext, user: CurrentUser, roundId: number, b: RoundInput & { correctionReason: string }, ip?: string) {
  requirePermission(user, 'mentoring.polish');
  const old = (await ctx.db.query<RoundRow>(`${ROUND_SELECT} WHERE p.id = $1`, [roundId])).rows[0];
  if (!old) throw notFound('磨课记录');
  const t = await getTeacher(ctx, user, old.teacher_id).catch(() => {
    throw notFound('磨课记录');
  });
  if (!old.evaluator_path.startsWith(user.orgPath)) throw forbidden('只有评估单位（或其上级）可以更正这条磨课记录');
  if (b.heldOn > todayInChina()) throw badRequest('磨课日期不能晚于今天', [{ field: 'heldOn', message: '不能晚于今天' }]);
  return ctx.db.tx(async (q) => {
    const cur = (await q.query<{ superseded_by: number | null }>('SELECT superseded_by FROM polish_rounds WHERE id = $1 FOR UPDATE', [roundId])).rows[0];
    if (cur.superseded_by) throw conflict('这条磨课记录已被更正，请更正最新的记录');
    const id = await insertRound(q, { ...user, orgId: old.evaluator_org_id }, t, b, { id: roundId, reason: b.correctionReason });
    await q.query('UPDATE polish_rounds SET superseded_by = $2, superseded_at = now() WHERE id = $1', [roundId, id]);
    await audit(q, user, 'mentoring.roundCorrect', 'teacher', t.id, { round: id, corrects: roundId, reason: b.correctionReason }, ip);
    return { id, corrects: roundId };
  });
}
