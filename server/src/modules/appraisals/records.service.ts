/**
 * 家访 and 学业述评 records (issue 14 item 1, 003 #12): a teacher enters them on a phone (class and counts, no student
 * names); the school sees counts per teacher, class and term. A 学业述评 entered again for the same class and term
 * supersedes the earlier one. Also the teacher's own 我的年度考核 and the 年度考核 section of a teacher's record.
 */
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { todayInChina, yearInChina } from '../../platform/china-time.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { requirePermission } from '../../platform/access.js';
import { gradeLabel } from '../policies/policy.appraisal.js';
import { appraisalRulesAt, gatherInputs } from './inputs.js';
import { resultsOf, ROUND_STATUS_LABELS } from './appraisals.service.js';

function ownTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可以填写');
  return user.teacherId;
}

async function schoolOf(ctx: AppContext, teacherId: number): Promise<number> {
  return (await ctx.db.query<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [teacherId])).rows[0].org_id;
}

export async function addHomeVisit(
  ctx: AppContext,
  user: CurrentUser,
  b: { visitedOn: string; className: string; families: number; mode: string; note: string | null },
) {
  const teacherId = ownTeacher(user);
  if (b.visitedOn > todayInChina()) throw badRequest('家访日期不能晚于今天', [{ field: 'visitedOn', message: '家访日期不能晚于今天' }]);
  const school = await schoolOf(ctx, teacherId);
  return ctx.db.tx(async (q) => {
    const x = await q.query<{ id: number }>(
      `INSERT INTO home_visits (teacher_id, school_org_id, visited_on, class_name, families, mode, note) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [teacherId, school, b.visitedOn, b.className, b.families, b.mode, b.note],
    );
    await audit(q, user, 'appraisals.homeVisit', 'home_visit', x.rows[0].id);
    return { id: x.rows[0].id };
  });
}

export async function addAcademicReview(
  ctx: AppContext,
  user: CurrentUser,
  b: { year: number; term: 'spring' | 'autumn'; className: string; students: number; reviewed: number; completedOn: string; note: string | null },
) {
  const teacherId = ownTeacher(user);
  if (b.reviewed > b.students) throw badRequest('已述评人数不能多于学生人数', [{ field: 'reviewed', message: '已述评人数不能多于学生人数' }]);
  if (b.completedOn > todayInChina()) throw badRequest('完成日期不能晚于今天', [{ field: 'completedOn', message: '完成日期不能晚于今天' }]);
  if (b.year > yearInChina()) throw badRequest('不能填写未来学年的述评', [{ field: 'year', message: '不能填写未来年度的述评' }]);
  if (b.completedOn.slice(0, 4) < String(b.year))
    throw badRequest('完成日期早于该学期所在年度', [{ field: 'completedOn', message: '完成日期早于该学期所在年度' }]);
  const school = await schoolOf(ctx, teacherId);
  return ctx.db.tx(async (q) => {
    const old = await q.query<{ id: number }>(
      'SELECT id FROM academic_reviews WHERE teacher_id = $1 AND year = $2 AND term = $3 AND class_name = $4 AND superseded_at IS NULL FOR UPDATE',
      [teacherId, b.year, b.term, b.className],
    );
    if (old.rows.length) await q.query('UPDATE academic_reviews SET superseded_at = now() WHERE id = $1', [old.rows[0].id]);
    const x = await q.query<{ id: number }>(
      `INSERT INTO academic_reviews (teacher_id, school_org_id, year, term, class_name, students, reviewed, completed_on, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [teacherId, school, b.year, b.term, b.className, b.students, b.reviewed, b.completedOn, b.note],
    );
    if (old.rows.length) await q.query('UPDATE academic_reviews SET superseded_by = $2 WHERE id = $1', [old.rows[0].id, x.rows[0].id]);
    await audit(q, user, 'appraisals.academicReview', 'academic_review', x.rows[0].id, { replaces: old.rows[0]?.id ?? null });
    return { id: x.rows[0].id, replaced: old.rows.length > 0 };
  });
}

async function recordsOf(ctx: AppContext, teacherId: number, year: number) {
  const visits = await ctx.db.query(
    `SELECT id, visited_on::text AS "visitedOn", class_name AS "className", families, mode, note FROM home_visits
      WHERE teacher_id = $1 AND withdrawn_at IS NULL AND visited_on BETWEEN $2::date AND $3::date ORDER BY visited_on DESC, id DESC`,
    [teacherId, `${year}-01-01`, `${year}-12-31`],
  );
  const reviews = await ctx.db.query(
    `SELECT id, year, term, class_name AS "className", students, reviewed, completed_on::text AS "completedOn", note FROM academic_reviews
      WHERE teacher_id = $1 AND year = $2 AND superseded_at IS NULL ORDER BY term DESC, class_name`,
    [teacherId, year],
  );
  return { homeVisits: visits.rows, academicReviews: reviews.rows };
}

/** 我的年度考核: the teacher's rounds of the year (inputs, self-report; the grade once 公示 starts), results, records. */
export async function myAppraisal(ctx: AppContext, user: CurrentUser, year: number) {
  const teacherId = ownTeacher(user);
  const rounds = await ctx.db.query<{
    entryId: number;
    roundId: number;
    title: string;
    year: number;
    status: keyof typeof ROUND_STATUS_LABELS;
    orgPath: string;
    selfReportUntil: string;
    publicityFrom: string | null;
    publicityUntil: string | null;
    selfReport: string | null;
    selfReportedAt: string | null;
    grade: string | null;
  }>(
    `SELECT e.id AS "entryId", r.id AS "roundId", r.title, r.year, r.status, o.path AS "orgPath", r.self_report_until::text AS "selfReportUntil",
            r.publicity_from::text AS "publicityFrom", r.publicity_until::text AS "publicityUntil",
            e.self_report AS "selfReport", e.self_reported_at::text AS "selfReportedAt", e.grade
       FROM appraisal_entries e JOIN appraisal_rounds r ON r.id = e.round_id JOIN orgs o ON o.id = r.org_id
      WHERE e.teacher_id = $1 AND r.status <> 'cancelled' ORDER BY r.year DESC, r.id DESC LIMIT 10`,
    [teacherId],
  );
  const out = [];
  for (const r of rounds.rows) {
    const live = r.status === 'open' || r.status === 'publicizing';
    const shown = r.status !== 'open';
    const inputs = live ? await gatherInputs(ctx, user, teacherId, r.year, (await appraisalRulesAt(ctx.db, r.orgPath, r.year)).rules) : null;
    out.push({
      ...r,
      orgPath: undefined,
      statusLabel: ROUND_STATUS_LABELS[r.status],
      grade: shown ? r.grade : null,
      gradeLabel: shown && r.grade ? gradeLabel(r.grade) : null,
      canReport: r.status === 'open' && todayInChina() <= r.selfReportUntil,
      inputs,
    });
  }
  return { year, rounds: out, results: await resultsOf(ctx.db, teacherId), ...(await recordsOf(ctx, teacherId, year)) };
}

export async function selfReport(ctx: AppContext, user: CurrentUser, b: { roundId: number; text: string }) {
  const teacherId = ownTeacher(user);
  return ctx.db.tx(async (q) => {
    const e = (
      await q.query<{ id: number; status: string; until: string }>(
        `SELECT e.id, r.status, r.self_report_until::text AS until FROM appraisal_entries e JOIN appraisal_rounds r ON r.id = e.round_id
          WHERE e.round_id = $1 AND e.teacher_id = $2 FOR UPDATE OF e`,
        [b.roundId, teacherId],
      )
    ).rows[0];
    if (!e) throw notFound('考核');
    if (e.status !== 'open') throw conflict('考核已进入公示或已结束，不能再提交述职');
    if (todayInChina() > e.until) throw conflict(`个人述职已于 ${e.until} 截止`);
    await q.query('UPDATE appraisal_entries SET self_report = $2, self_reported_at = now() WHERE id = $1', [e.id, b.text]);
    await audit(q, user, 'appraisals.selfReport', 'appraisal_entry', e.id);
    return { ok: true };
  });
}

/** The 年度考核 section of a teacher's record: results (with corrections) and the year's 家访/学业述评. */
export async function teacherAppraisals(ctx: AppContext, user: CurrentUser, teacherId: number) {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
  } else {
    requirePermission(user, 'appraisals.manage');
    const t = await ctx.db.query("SELECT 1 FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'", [
      teacherId,
      user.scopePath,
    ]);
    if (!t.rows.length) throw notFound('教师');
  }
  const year = yearInChina();
  return { results: await resultsOf(ctx.db, teacherId), year, ...(await recordsOf(ctx, teacherId, year)) };
}

/** The school's table: per teacher and class, 家访 visits and families, and each term's 学业述评 (reviewed / students). */
export async function recordsTable(ctx: AppContext, user: CurrentUser, year: number) {
  requirePermission(user, 'appraisals.manage');
  const r = await ctx.db.query<{
    teacherId: number;
    teacherName: string;
    schoolName: string;
    className: string;
    visits: number;
    families: number;
    springReviewed: number | null;
    springStudents: number | null;
    autumnReviewed: number | null;
    autumnStudents: number | null;
  }>(
    `WITH v AS (SELECT teacher_id, class_name, count(*)::int AS visits, sum(families)::int AS families FROM home_visits
                 WHERE withdrawn_at IS NULL AND visited_on BETWEEN $2::date AND $3::date GROUP BY teacher_id, class_name),
          a AS (SELECT teacher_id, class_name,
                       sum(reviewed) FILTER (WHERE term = 'spring')::int AS sr, sum(students) FILTER (WHERE term = 'spring')::int AS ss,
                       sum(reviewed) FILTER (WHERE term = 'autumn')::int AS ar, sum(students) FILTER (WHERE term = 'autumn')::int AS "as"
                  FROM academic_reviews WHERE year = $4 AND superseded_at IS NULL GROUP BY teacher_id, class_name),
          k AS (SELECT teacher_id, class_name FROM v UNION SELECT teacher_id, class_name FROM a)
     SELECT t.id AS "teacherId", t.name AS "teacherName", o.name AS "schoolName", k.class_name AS "className",
            coalesce(v.visits, 0) AS visits, coalesce(v.families, 0) AS families,
            a.sr AS "springReviewed", a.ss AS "springStudents", a.ar AS "autumnReviewed", a."as" AS "autumnStudents"
       FROM k JOIN teachers t ON t.id = k.teacher_id JOIN orgs o ON o.id = t.org_id
       LEFT JOIN v ON v.teacher_id = k.teacher_id AND v.class_name = k.class_name
       LEFT JOIN a ON a.teacher_id = k.teacher_id AND a.class_name = k.class_name
      WHERE o.path LIKE $1 || '%' ORDER BY o.path, t.name, k.class_name LIMIT 2000`,
    [user.scopePath, `${year}-01-01`, `${year}-12-31`, year],
  );
  const totals = r.rows.reduce((s, x) => ({ visits: s.visits + x.visits, families: s.families + x.families, teachers: s.teachers.add(x.teacherId) }), {
    visits: 0,
    families: 0,
    teachers: new Set<number>(),
  });
  return { year, rows: r.rows, totals: { visits: totals.visits, families: totals.families, teachers: totals.teachers.size } };
}
