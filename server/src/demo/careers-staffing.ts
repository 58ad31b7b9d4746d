import type { Queryable } from '../db/db.js';
import { addDays } from '../platform/china-time.js';
import { loadTeachers } from '../modules/compliance/compliance.repository.js';
import { schoolStages, schoolYearOf } from '../modules/staffing/staffing.service.js';
import { STAFFING_STANDARDS_DEFAULT } from '../modules/policies/policy.staffing.js';

/**
 * 编制与结构 demo (issue 14 item 9) for the demo county: each school's 编制数 (an earlier figure superseded by this
 * year's, so history shows), 在校生数 per stage near what the 城乡统一 ratio implies for the teachers in post (some
 * schools short of the standard, some with 空编), every third school marked rural (where no locale is set) and
 * 乡村教师 support records for a few of its teachers. Direct SQL, deterministic, a few hundred rows.
 */
export async function seedDemoStaffing(q: Queryable, o: { countyPath: string; asOf: string }): Promise<Record<string, number>> {
  const by = (await q.query<{ id: number }>(`SELECT id FROM users WHERE username = 'county.admin'`)).rows[0]?.id ?? null;
  // The county's short name for the 核编文件 number (河东区教育局 → 河东).
  const county = (await q.query<{ name: string }>(`SELECT name FROM orgs WHERE path = $1`, [o.countyPath])).rows[0]?.name ?? '';
  const short = county.replace(/(区|县|旗|市)?教育局$/, '').slice(0, 4) || '本';
  const schools = (
    await q.query<{ id: number; code: string; stage: string | null; locale: string | null }>(
      `SELECT id, code, stage, locale FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' ORDER BY id`,
      [o.countyPath],
    )
  ).rows;
  const teachers = await loadTeachers(q, { rootPath: o.countyPath, on: o.asOf });
  const inPost = new Map<number, number>();
  for (const t of teachers) inPost.set(t.orgId, (inPost.get(t.orgId) ?? 0) + 1);
  const year = schoolYearOf(o.asOf);
  const thisYear = `${year}-09-01`;
  const lastYear = `${year - 1}-09-01`;
  let quotas = 0;
  let counts = 0;
  let rural = 0;
  let support = 0;
  for (const [i, s] of schools.entries()) {
    const n = inPost.get(s.id) ?? 0;
    if (n === 0) continue;
    const src = `${short}编〔${year}〕${10 + (i % 30)}号`;
    // Last year's figure, then this year's (superseding in time, both kept).
    await q.query(`INSERT INTO staffing_quotas (org_id, quota, effective_from, source, recorded_by) VALUES ($1, $2, $3, $4, $5)`, [
      s.id,
      Math.max(1, n - 1 + (i % 2)),
      lastYear,
      src.replace(String(year), String(year - 1)),
      by,
    ]);
    await q.query(`INSERT INTO staffing_quotas (org_id, quota, effective_from, source, recorded_by) VALUES ($1, $2, $3, $4, $5)`, [
      s.id,
      n + (i % 4) - 1,
      thisYear,
      src,
      by,
    ]);
    quotas += 2;
    // Students near the ratio for the staff in post: factors 0.9–1.15 (some schools short of the standard).
    const stages = schoolStages(s.stage).filter((st) => STAFFING_STANDARDS_DEFAULT.ratios.some((r) => r.stage === st));
    const factor = [0.92, 1.0, 1.08, 1.15, 0.97][i % 5];
    for (const st of stages) {
      const ratio = STAFFING_STANDARDS_DEFAULT.ratios.find((r) => r.stage === st)!.studentsPerStaff;
      const students = Math.round(((n / stages.length) * ratio * factor) / 5) * 5;
      for (const [y, f] of [
        [year - 1, 0.97],
        [year, 1],
      ] as const) {
        await q.query(`INSERT INTO student_counts (org_id, year, stage, students, source, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
          s.id,
          y,
          st,
          Math.round(students * f),
          `学籍系统 ${y} 年秋季学期统计`,
          by,
        ]);
        counts++;
      }
    }
    if (s.locale === null && i % 3 === 2) {
      await q.query(`UPDATE orgs SET locale = 'rural' WHERE id = $1`, [s.id]);
      rural++;
      const here = teachers.filter((t) => t.orgId === s.id).slice(0, 3);
      for (const [k, t] of here.entries()) {
        await q.query(
          `INSERT INTO rural_support_records (teacher_id, org_id, kind, start_date, end_date, amount, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            t.id,
            s.id,
            ['allowance', 'housing', 'training'][k],
            k === 0 ? `${year}-01-01` : addDays(o.asOf, -120 * (k + 1)),
            k === 0 ? `${year}-12-31` : null,
            k === 0 ? 6000 : k === 2 ? 1200 : null,
            ['乡村教师生活补助（按学校艰苦边远程度）', '周转宿舍 1 间', '乡村教师专项培训经费'][k],
            by,
          ],
        );
        support++;
      }
    }
  }
  return { staffing_quotas: quotas, student_counts: counts, rural_schools: rural, rural_support_records: support };
}
