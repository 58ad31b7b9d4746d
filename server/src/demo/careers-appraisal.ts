import type { Queryable } from '../db/db.js';
import { addDays } from '../platform/china-time.js';
import { excellentAllowed } from '../modules/appraisals/inputs.js';
import { isoOf, yearOf } from './calendar.js';
import type { OrgPlan } from './org-plan.js';

/**
 * Issue 14 item 1 demo data (年度考核, 家访, 学业述评) at the demo school, in plain SQL (fast): last year's round
 * confirmed with one result per teacher (优秀 within floor(n × 20 %)), this year's round open for self-reports and
 * grading, and 家访 / 学业述评 records for most teachers this year and last (the demo teacher's among them).
 * Dated relative to the demo's "today" (refDay).
 */
export async function seedDemoAppraisals(q: Queryable, o: { plan: OrgPlan; refDay: number; schoolAdmin: number }): Promise<Record<string, number>> {
  const school = o.plan.demoSchool.org.id;
  const today = isoOf(o.refDay);
  const year = yearOf(o.refDay);
  const last = year - 1;
  const teachers = (await q.query<{ id: number }>(`SELECT id FROM teachers WHERE org_id = $1 AND status = 'active' ORDER BY id`, [school])).rows.map(
    (r) => r.id,
  );
  if (!teachers.length) return {};
  // 家访 and 学业述评: every teacher but each seventh (who then shows 未填 in the school's table).
  let visits = 0;
  let reviews = 0;
  for (const [i, t] of teachers.entries()) {
    if (i % 7 === 6) continue;
    const cls = `${(i % 6) + 1}年级${(i % 3) + 1}班`;
    for (const y of [last, year]) {
      const autumnDone = y < year || today >= `${y}-12-20`;
      await q.query(
        `INSERT INTO home_visits (teacher_id, school_org_id, visited_on, class_name, families, mode) VALUES ($1, $2, $3, $4, $5, $6), ($1, $2, $7, $4, $8, 'visit')`,
        [
          t,
          school,
          `${y}-03-${String(10 + (i % 15)).padStart(2, '0')}`,
          cls,
          2 + (i % 4),
          i % 5 === 0 ? 'online' : 'visit',
          `${y}-10-${String(10 + (i % 15)).padStart(2, '0')}`,
          1 + (i % 3),
        ],
      );
      visits += 2;
      await q.query(
        `INSERT INTO academic_reviews (teacher_id, school_org_id, year, term, class_name, students, reviewed, completed_on) VALUES ($1, $2, $3, 'spring', $4, $5, $5, $6)`,
        [t, school, y, cls, 36 + (i % 8), `${y}-06-30`],
      );
      reviews++;
      if (autumnDone || i % 3 === 0) {
        const students = 36 + (i % 8);
        const reviewed = y < year ? students : students - (i % 4);
        await q.query(
          `INSERT INTO academic_reviews (teacher_id, school_org_id, year, term, class_name, students, reviewed, completed_on) VALUES ($1, $2, $3, 'autumn', $4, $5, $6, $7)`,
          [t, school, y, cls, students, reviewed, y < year ? `${y}-12-25` : today],
        );
        reviews++;
      }
    }
  }
  // Last year's round, confirmed after a 公示 in January.
  const allowed = excellentAllowed(teachers.length, 0.2);
  const lastRound = (
    await q.query<{ id: number }>(
      `INSERT INTO appraisal_rounds (org_id, year, title, excellent_share, self_report_until, grade_until, status, publicity_from, publicity_until, created_by, confirmed_by, confirmed_at)
       VALUES ($1, $2, $3, 0.2, $4, $5, 'confirmed', $6, $7, $8, $8, $9::date) RETURNING id`,
      [school, last, `${last} 年度教师考核`, `${year}-01-10`, `${year}-01-15`, `${year}-01-16`, `${year}-01-22`, o.schoolAdmin, `${year}-01-23`],
    )
  ).rows[0].id;
  let results = 0;
  for (const [i, t] of teachers.entries()) {
    const grade = i < allowed && i % 7 !== 6 ? 'excellent' : i === teachers.length - 1 ? 'basicallyQualified' : 'qualified';
    const e = await q.query<{ id: number }>(
      `INSERT INTO appraisal_entries (round_id, teacher_id, school_org_id, self_report, self_reported_at, grade, graded_by, graded_at)
       VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8::date) RETURNING id`,
      [lastRound, t, school, `${last} 年完成教育教学任务，参加校本研修与家访。`, `${year}-01-08`, grade, o.schoolAdmin, `${year}-01-14`],
    );
    const r = await q.query<{ id: number }>(
      `INSERT INTO appraisal_results (teacher_id, org_id, year, grade, round_id, source, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, 'round', $6, $7::date) RETURNING id`,
      [t, school, last, grade, lastRound, o.schoolAdmin, `${year}-01-23`],
    );
    await q.query('UPDATE appraisal_entries SET result_id = $2 WHERE id = $1', [e.rows[0].id, r.rows[0].id]);
    results++;
  }
  // This year's round: open, a few self-reports in.
  const now = (
    await q.query<{ id: number }>(
      `INSERT INTO appraisal_rounds (org_id, year, title, excellent_share, self_report_until, grade_until, created_by) VALUES ($1, $2, $3, 0.2, $4, $5, $6) RETURNING id`,
      [school, year, `${year} 年度教师考核`, addDays(today, 14), addDays(today, 28), o.schoolAdmin],
    )
  ).rows[0].id;
  for (const [i, t] of teachers.entries())
    await q.query(`INSERT INTO appraisal_entries (round_id, teacher_id, school_org_id, self_report, self_reported_at) VALUES ($1, $2, $3, $4, $5)`, [
      now,
      t,
      school,
      i % 2 === 1 ? `${year} 年担任教学工作，完成学业述评与家访。` : null,
      i % 2 === 1 ? today : null,
    ]);
  return { appraisal_rounds: 2, appraisal_results: results, home_visits: visits, academic_reviews: reviews };
}
