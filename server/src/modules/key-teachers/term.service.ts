/**
 * The term of a key-teacher designation (issue 13 item 2 §3): yearly assessment of the duties (合格/不合格 with notes,
 * a correction supersedes), renewal (a new designation from the day after the term ends) and exit (changeDesignation
 * ending it). Every step is a key_teacher_term_events row; the designations themselves live in teacher_designations.
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { addDays } from '../policies/policy.windows.js';
import { tierLabel } from '../policies/policy.keyteachers.js';
import { changeDesignation, designate } from '../teachers/teacher-facts.service.js';
import { todayInChina } from '../../platform/china-time.js';
import { keyTeacherRulesAt } from './eligibility.js';
import { addYears } from './key-teachers.service.js';

interface DesignationRow {
  id: number;
  teacherId: number;
  level: string;
  category: string | null;
  from: string | null;
  until: string | null;
  orgPath: string;
}

/** A current (not superseded) designation of a teacher in the caller's scope. */
async function designationOf(q: Queryable, user: CurrentUser, id: number): Promise<DesignationRow> {
  requirePermission(user, 'keyTeachers.manage');
  const d = (
    await q.query<DesignationRow>(
      `SELECT d.id, d.teacher_id AS "teacherId", d.level, d.category, d.valid_from::text AS "from", d.valid_until::text AS "until", o.path AS "orgPath"
         FROM teacher_designations d JOIN teachers t ON t.id = d.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE d.id = $1 AND d.superseded_at IS NULL AND o.path LIKE $2 || '%'`,
      [id, user.scopePath],
    )
  ).rows[0];
  if (!d) throw notFound('骨干认定');
  return d;
}

export async function assess(
  ctx: AppContext,
  user: CurrentUser,
  designationId: number,
  b: { year: number; result: 'qualified' | 'unqualified'; duties: string[]; note: string | null; correctionReason: string | null },
) {
  return ctx.db.tx(async (q) => {
    const d = await designationOf(q, user, designationId);
    await q.query('SELECT id FROM teacher_designations WHERE id = $1 FOR UPDATE', [designationId]);
    const fromYear = Number((d.from ?? '0000').slice(0, 4));
    const untilYear = d.until ? Number(d.until.slice(0, 4)) : 9999;
    if (b.year < fromYear || b.year > untilYear) throw badRequest(`${b.year} 年不在任期内`, [{ field: 'year', message: `${b.year} 年不在任期内` }]);
    const { rules } = await keyTeacherRulesAt(q, d.orgPath, `${b.year}-12-31`);
    const unknown = b.duties.filter((x) => !rules.duties.some((y) => y.code === x));
    if (unknown.length) throw badRequest('职责不在本地区规则中', [{ field: 'duties', message: `未知职责：${unknown.join('、')}` }]);
    const prev = (
      await q.query<{ id: number }>(
        `SELECT id FROM key_teacher_term_events WHERE designation_id = $1 AND kind = 'assessed' AND year = $2 AND superseded_at IS NULL`,
        [designationId, b.year],
      )
    ).rows[0];
    if (prev && !b.correctionReason) throw conflict(`${b.year} 年度已考核；如需更正请填写更正原因`);
    const onDate = `${b.year}-12-31` < (d.until ?? '9999-12-31') ? `${b.year}-12-31` : (d.until as string);
    if (prev) await q.query('UPDATE key_teacher_term_events SET superseded_at = now() WHERE id = $1', [prev.id]);
    const ins = await q.query<{ id: number }>(
      `INSERT INTO key_teacher_term_events (teacher_id, designation_id, kind, on_date, year, result, duties, note, org_id, recorded_by)
       VALUES ($1, $2, 'assessed', $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        d.teacherId,
        designationId,
        onDate,
        b.year,
        b.result,
        JSON.stringify(b.duties),
        prev ? `${b.note ?? ''}（更正：${b.correctionReason}）` : b.note,
        user.orgId,
        user.id,
      ],
    );
    if (prev) await q.query('UPDATE key_teacher_term_events SET superseded_by = $2 WHERE id = $1', [prev.id, ins.rows[0].id]);
    await audit(q, user, 'keyTeachers.assess', 'teacher_designation', designationId, { year: b.year, result: b.result });
    return { id: ins.rows[0].id };
  });
}

/** Renewal: a new designation of the same tier and category from the day after the term ends, for the region's term. */
export async function renew(ctx: AppContext, user: CurrentUser, designationId: number, b: { note: string | null }) {
  return ctx.db.tx(async (q) => {
    const d = await designationOf(q, user, designationId);
    if (!d.until) throw conflict('该认定没有任期结束日期，无需续任');
    const failed = await q.query(
      `SELECT year FROM key_teacher_term_events WHERE designation_id = $1 AND kind = 'assessed' AND superseded_at IS NULL AND result = 'unqualified'`,
      [designationId],
    );
    if (failed.rows.length) throw conflict('任期内有年度考核不合格，不能续任');
    const from = addDays(d.until, 1);
    const { rules } = await keyTeacherRulesAt(q, d.orgPath, from);
    const until = addDays(addYears(from, rules.termYears), -1);
    const id = await designate(q, user.id, d.teacherId, { level: d.level, category: d.category, from, until }).catch((e: unknown) => {
      if ((e as { code?: string }).code === '23514') throw conflict('任期结束后已有骨干认定，不能重复续任');
      throw e;
    });
    await q.query(
      `INSERT INTO key_teacher_term_events (teacher_id, designation_id, kind, on_date, note, org_id, recorded_by) VALUES ($1, $2, 'renewed', $3, $4, $5, $6)`,
      [d.teacherId, id, from, b.note, user.orgId, user.id],
    );
    await audit(q, user, 'keyTeachers.renew', 'teacher_designation', designationId, { newId: id, from, until });
    return { id, from, until };
  });
}

/** Exit: the designation ends the day before `on` (changeDesignation with no level). */
export async function exitTerm(ctx: AppContext, user: CurrentUser, designationId: number, b: { on: string; note: string }) {
  return ctx.db.tx(async (q) => {
    const d = await designationOf(q, user, designationId);
    if ((d.from && b.on <= d.from) || (d.until && b.on > d.until))
      throw badRequest('退出日期须在任期内', [{ field: 'on', message: `退出日期须在任期内（${d.from ?? '—'} 至 ${d.until ?? '长期'}）` }]);
    await changeDesignation(q, user.id, d.teacherId, { level: null, category: null, until: null }, b.on, b.note);
    await q.query(
      `INSERT INTO key_teacher_term_events (teacher_id, designation_id, kind, on_date, note, org_id, recorded_by) VALUES ($1, $2, 'exited', $3, $4, $5, $6)`,
      [d.teacherId, designationId, b.on, b.note, user.orgId, user.id],
    );
    await audit(q, user, 'keyTeachers.exit', 'teacher_designation', designationId, { on: b.on });
  });
}

/** A teacher's designations (all, superseded marked) with every term step; for the teacher themself or a manager in scope. */
export async function keyTeacherView(ctx: AppContext, user: CurrentUser, teacherId: number) {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
  } else {
    requirePermission(user, 'keyTeachers.manage');
    const t = await ctx.db.query(`SELECT 1 FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`, [
      teacherId,
      user.scopePath,
    ]);
    if (!t.rows.length) throw notFound('教师');
  }
  const ds = await ctx.db.query<{
    id: number;
    level: string;
    category: string | null;
    from: string | null;
    until: string | null;
    superseded: boolean;
    corrects: number | null;
  }>(
    `SELECT id, level, category, valid_from::text AS "from", valid_until::text AS "until", superseded_at IS NOT NULL AS superseded, corrects
       FROM teacher_designations WHERE teacher_id = $1 ORDER BY valid_from NULLS FIRST, id`,
    [teacherId],
  );
  // An exit (or an edit on the teacher form) supersedes a designation by a corrected row: its term steps stay with
  // the row that replaced it, so the current designation shows its whole history.
  const byId = new Map(ds.rows.map((d) => [d.id, d]));
  const lineage = (id: number) => {
    const ids = new Set<number>();
    for (let d = byId.get(id); d && !ids.has(d.id); d = d.corrects ? byId.get(d.corrects) : undefined) ids.add(d.id);
    return ids;
  };
  const ev = await ctx.db.query<{ designationId: number }>(
    `SELECT id, designation_id AS "designationId", kind, on_date::text AS "onDate", year, result, duties, note, superseded_at IS NOT NULL AS superseded
       FROM key_teacher_term_events WHERE teacher_id = $1 ORDER BY on_date, id`,
    [teacherId],
  );
  const t = (await ctx.db.query<{ path: string }>('SELECT o.path FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1', [teacherId])).rows[0];
  const { rules, source } = await keyTeacherRulesAt(ctx.db, t.path, todayInChina());
  return {
    duties: rules.duties,
    source,
    designations: ds.rows.map(({ corrects: _, ...d }) => {
      const ids = d.superseded ? new Set([d.id]) : lineage(d.id);
      return {
        ...d,
        tierLabel: tierLabel(d.level),
        categoryLabel: rules.categories.find((c) => c.code === d.category)?.label ?? d.category,
        events: ev.rows.filter((e) => ids.has(e.designationId)),
      };
    }),
  };
}
