/**
 * 师徒结对与磨课看板 (issue 13 item 3) for the school and the bureau, over the caller's subtree: new teachers without a
 * mentor, who is gated (待磨课) and what each still misses (due) or is ready for the decision, and 重点培养对象
 * coverage (001 §三（四）: every school and subject with young teachers has at least one per term).
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import { type CurrentUser, requirePermission } from '../../platform/access.js';
import type { AppContext } from '../../platform/context.js';
import type { Waiting } from '../todo/todo.repository.js';
import { missingFor, HOLDS_NEW_ROLE } from './gate.service.js';
import { mentoringRulesFor, monthsBefore, termLabel, termOf } from './mentoring.rules.js';

interface NewTeacherRow {
  id: number;
  name: string;
  org_id: number;
  org_name: string;
  subjects: string[];
  hire_date: string | null;
  has_mentor: boolean;
}

/** Active teachers of the subtree's schools who are new on `day` (hired since `since`, or holding the role). */
async function newTeachers(q: Queryable, scopePath: string, day: string, since: string): Promise<NewTeacherRow[]> {
  return (
    await q.query<NewTeacherRow>(
      `SELECT t.id, t.name, t.org_id, o.name AS org_name, t.subjects, t.hire_date::text,
              EXISTS (SELECT 1 FROM mentor_pairs p WHERE p.mentee_teacher_id = t.id AND p.term_from <= $2::date
                        AND (p.ended_on IS NULL OR p.ended_on >= $2::date)) AS has_mentor
         FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $1 || '%' AND o.kind = 'school' AND t.status = 'active'
          AND ((t.hire_date >= $3::date AND t.hire_date <= $2::date) OR ${HOLDS_NEW_ROLE('$2::date')})
        ORDER BY o.name, t.name, t.id`,
      [scopePath, day, since],
    )
  ).rows;
}

/** The todo count: new teachers of the subtree without a current mentor (oldest: the earliest hire date). */
export async function unpairedWaiting(ctx: AppContext, u: CurrentUser): Promise<Waiting> {
  const day = todayInChina();
  const rules = await mentoringRulesFor(ctx.db, u.orgPath, day);
  const rows = (await newTeachers(ctx.db, u.scopePath, day, monthsBefore(day, rules.mentoring.newTeacherMonths))).filter((t) => !t.has_mentor);
  const oldest =
    rows
      .map((r) => r.hire_date)
      .filter((d): d is string => !!d)
      .sort()[0] ?? null;
  return { n: rows.length, oldest };
}

export async function board(ctx: AppContext, user: CurrentUser, opts: { term?: string } = {}) {
  requirePermission(user, 'mentoring.manage');
  const q = ctx.db;
  const day = todayInChina();
  const term = opts.term ?? termOf(day);
  const rules = await mentoringRulesFor(q, user.orgPath, day);
  const m = rules.mentoring;
  const fresh = await newTeachers(q, user.scopePath, day, monthsBefore(day, m.newTeacherMonths));

  // Gates: explicit ones not released, and each subject of a new teacher without a gate row.
  const explicit = (
    await q.query<{ teacher_id: number; name: string; org_id: number; org_name: string; subject: string; reason: string; released_on: string | null }>(
      `SELECT g.teacher_id, t.name, t.org_id, o.name AS org_name, g.subject, g.reason, g.released_on::text
         FROM teaching_gates g JOIN teachers t ON t.id = g.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $1 || '%' AND t.status = 'active'`,
      [user.scopePath],
    )
  ).rows;
  const key = (t: number, s: string) => `${t}|${s}`;
  const hasRow = new Set(explicit.map((g) => key(g.teacher_id, g.subject)));
  const pending: { teacherId: number; name: string; orgId: number; orgName: string; subject: string; reason: string }[] = [];
  for (const g of explicit)
    if (!g.released_on) pending.push({ teacherId: g.teacher_id, name: g.name, orgId: g.org_id, orgName: g.org_name, subject: g.subject, reason: g.reason });
  for (const t of fresh)
    for (const s of t.subjects)
      if (!hasRow.has(key(t.id, s))) pending.push({ teacherId: t.id, name: t.name, orgId: t.org_id, orgName: t.org_name, subject: s, reason: 'newTeacher' });

  const sums = new Map<string, { held: number; passed: number; by_office: number }>();
  if (pending.length) {
    const r = await q.query<{ teacher_id: number; subject: string; held: number; passed: number; by_office: number }>(
      `SELECT p.teacher_id, p.subject, count(*)::int AS held, count(*) FILTER (WHERE p.result = 'passed')::int AS passed,
              count(*) FILTER (WHERE p.result = 'passed' AND o.kind = 'researchOffice')::int AS by_office
         FROM polish_rounds p JOIN orgs o ON o.id = p.evaluator_org_id
        WHERE p.teacher_id = ANY($1::int[]) AND p.superseded_at IS NULL AND p.purpose = 'newTeacher' AND p.held_on <= $2::date
        GROUP BY p.teacher_id, p.subject`,
      [[...new Set(pending.map((p) => p.teacherId))], day],
    );
    for (const x of r.rows) sums.set(key(x.teacher_id, x.subject), x);
  }
  const gated = pending.map((p) => {
    const s = sums.get(key(p.teacherId, p.subject)) ?? { held: 0, passed: 0, by_office: 0 };
    const missing = missingFor({ held: s.held, passed: s.passed, passedByResearchOffice: s.by_office, lastHeldOn: null }, m.roundsRequired);
    return {
      ...p,
      reasonLabel: p.reason === 'newSubject' ? '新任学科' : '新入职',
      held: s.held,
      passed: s.passed,
      passedByResearchOffice: s.by_office,
      missing,
      ready: missing.length === 0,
    };
  });

  // 重点培养对象 coverage: (school, subject) with a young teacher, and whether a candidate is flagged for the term.
  // 教龄 ≤ N whole years ⇔ hired after the same day N + 1 years ago (as yearsBetween counts).
  const youngSince = `${Number(day.slice(0, 4)) - m.keyCandidateMaxYears - 1}${day.slice(4)}`;
  const needs = (
    await q.query<{ org_id: number; org_name: string; subject: string; young: number; flagged: number }>(
      `WITH young AS (
         SELECT t.org_id, unnest(t.subjects) AS subject, t.id FROM teachers t JOIN orgs o ON o.id = t.org_id
          WHERE o.path LIKE $1 || '%' AND o.kind = 'school' AND t.status = 'active' AND t.hire_date IS NOT NULL AND t.hire_date > $2::date)
       SELECT y.org_id, o.name AS org_name, y.subject, count(DISTINCT y.id)::int AS young,
              (SELECT count(*)::int FROM key_candidates k WHERE k.school_org_id = y.org_id AND k.subject = y.subject AND k.term = $3 AND k.withdrawn_at IS NULL) AS flagged
         FROM young y JOIN orgs o ON o.id = y.org_id GROUP BY y.org_id, o.name, y.subject ORDER BY o.name, y.subject`,
      [user.scopePath, youngSince, term],
    )
  ).rows;
  const candidates = (
    await q.query<{ id: number; teacher_id: number; name: string; org_name: string; subject: string }>(
      `SELECT k.id, k.teacher_id, t.name, o.name AS org_name, k.subject FROM key_candidates k JOIN teachers t ON t.id = k.teacher_id
         JOIN orgs o ON o.id = k.school_org_id WHERE o.path LIKE $1 || '%' AND k.term = $2 AND k.withdrawn_at IS NULL ORDER BY o.name, k.subject, t.name`,
      [user.scopePath, term],
    )
  ).rows;
  const uncovered = needs.filter((n) => n.flagged === 0);

  return {
    asOf: day,
    term,
    termLabel: termLabel(term),
    rules: {
      newTeacherMonths: m.newTeacherMonths,
      mentorLoadCap: m.mentorLoadCap,
      roundsRequired: m.roundsRequired,
      keyCandidateMaxYears: m.keyCandidateMaxYears,
      cite: rules.cite,
    },
    figures: {
      newTeachers: fresh.length,
      withoutMentor: fresh.filter((t) => !t.has_mentor).length,
      gated: gated.length,
      due: gated.filter((g) => !g.ready).length,
      ready: gated.filter((g) => g.ready).length,
      keySlots: needs.length,
      keyUncovered: uncovered.length,
    },
    withoutMentor: fresh
      .filter((t) => !t.has_mentor)
      .map((t) => ({ teacherId: t.id, name: t.name, orgId: t.org_id, orgName: t.org_name, subjects: t.subjects, hireDate: t.hire_date })),
    gated,
    keyCoverage: needs.map((n) => ({
      orgId: n.org_id,
      orgName: n.org_name,
      subject: n.subject,
      youngTeachers: n.young,
      flagged: n.flagged,
      covered: n.flagged > 0,
    })),
    keyCandidates: candidates.map((c) => ({ id: c.id, teacherId: c.teacher_id, name: c.name, orgName: c.org_name, subject: c.subject })),
  };
}
