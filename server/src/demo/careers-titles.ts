import type { AppContext } from '../platform/context.js';
import { todayInChina } from '../platform/china-time.js';
import { createRound } from '../modules/titles/rounds.service.js';
import { CreateRoundBody } from '../modules/titles/titles.schema.js';
import { isoOf, yearOf } from './calendar.js';
import type { OrgPlan } from './org-plan.js';
import { actAs } from './growth.js';

/**
 * 职称 demo data (issue 14 item 3): for the demo school's teachers with a title, the 年度考核 results of the last five
 * years as imported from the earlier system (most 合格/优秀, some with a 不合格 or with no history), 支教 at a rural
 * school of the county for about half (rotation + rural service), and, when the demo's date is today, an open
 * 职称评审年度 of the demo county. With the generated titles, title dates and hours this makes some teachers 可申报
 * and others 还差 (years at title, hours, appraisal, rotation). Small: a few hundred rows.
 */
export async function seedDemoTitles(ctx: AppContext, o: { plan: OrgPlan; refDay: number; log: (m: string) => void }): Promise<Record<string, number>> {
  const { plan, refDay } = o;
  const asOf = isoOf(refDay);
  const year = yearOf(refDay);
  const county = plan.counties[plan.demoCounty];
  const school = plan.demoSchool.org.id;
  const rural = county.schools.find((s) => s.org.id !== school)?.org.id;
  const counts = { appraisalResults: 0, rotationRecords: 0, titleRounds: 0 };
  await ctx.db.tx(async (q) => {
    const demoTeacher = (await q.query<{ id: number }>(`SELECT teacher_id AS id FROM users WHERE username = 'teacher'`)).rows[0]?.id ?? 0;
    const teachers = (
      await q.query<{ id: number }>(
        `SELECT id FROM teachers WHERE org_id = $1 AND status = 'active' AND title IN ('second','first','senior') ORDER BY (id = $2) DESC, id LIMIT 40`,
        [school, demoTeacher],
      )
    ).rows.map((r) => r.id);
    for (const [i, id] of teachers.entries()) {
      const demo = id === demoTeacher;
      if (!demo && i % 5 === 4) continue; // no appraisal history on the platform
      for (let y = year - 5; y <= year - 1; y++) {
        const grade = !demo && i % 7 === 3 && y === year - 2 ? 'unqualified' : (i + y) % 4 === 0 ? 'excellent' : 'qualified';
        const r = await q.query(
          `INSERT INTO appraisal_results (teacher_id, org_id, year, grade, source, note) VALUES ($1, $2, $3, $4, 'import', '原系统年度考核结果导入')
           ON CONFLICT (teacher_id, year) WHERE superseded_at IS NULL DO NOTHING`,
          [id, school, y, grade],
        );
        counts.appraisalResults += r.rowCount ?? 0;
      }
      if (rural && (demo || i % 3 !== 2)) {
        await q.query(
          `INSERT INTO rotation_records (teacher_id, from_org_id, to_org_id, kind, start_date, end_date, rural, note)
           VALUES ($1, $2, $3, 'supportTeaching', $4, $5, true, '乡村学校支教一年')`,
          [id, school, rural, `${year - 4}-09-01`, `${year - 3}-08-31`],
        );
        counts.rotationRecords++;
      }
    }
  });
  if (asOf === todayInChina()) {
    const admin = await actAs(ctx.db, 'county.admin', 'bureauAdmin');
    const deadline = isoOf(refDay + 30);
    await createRound(
      ctx,
      admin,
      CreateRoundBody.parse({
        name: `${year} 年度中小学教师职称评审`,
        year,
        baseDate: `${year}-09-01` <= asOf ? `${year}-09-01` : asOf,
        deadline,
        targets: ['first', 'senior'],
      }),
    );
    counts.titleRounds = 1;
  }
  return counts;
}
