import * as kt from '../modules/key-teachers/key-teachers.service.js';
import { CreateRoundBody, NominateBody } from '../modules/key-teachers/key-teachers.schema.js';
import { type GrowthContext, teachersIn } from './growth.js';

/**
 * 骨干教师 三级三类 (issue 13 item 2) in the demo county, through the key-teachers module:
 * - last year's 旗县区级 round, finished: nominated by the county (its own quota; candidates checked for eligibility
 *   first, as the page does), reviewed (one not passed), 公示 in April, designated from May for the policy's term —
 *   teacher_designations rows through teacher-facts `designate`;
 * - this year's round, open for nomination for three weeks, with quotas for the demo school and three other schools
 *   (school.admin's 待办 骨干教师评选待推荐).
 * keyTeachersTracked (record-based): the designations of last year's round, valid today.
 */
export async function seedDemoKeyTeachers(g: GrowthContext): Promise<Record<string, number>> {
  const { ctx, plan, day, year } = g;
  const county = plan.counties[plan.demoCounty];
  const admin = await g.as('county.admin', 'bureauAdmin');
  const last = year - 1;
  const roundDay = `${last}-03-01`;
  let designated = 0;

  // Candidates: experienced teachers of the county without a designation yet (the generated registry has some), not
  // in a stage that requires 轮岗 (the demo has no rotation records).
  const rules = await kt.rulesFor(ctx, admin, roundDay);
  const rotation = new Set<string>(rules.rules.eligibility.rotationRequiredStages);
  const schools = county.schools.filter((s) => !rotation.has(s.stage)).map((s) => s.org.id);
  const pool = g.cast.take(
    await teachersIn(ctx.db, schools, `t.hire_date < $2 AND NOT EXISTS (SELECT 1 FROM teacher_designations d WHERE d.teacher_id = t.id)`, [
      `${last - 8}-01-01`,
    ]),
    14,
  );
  const categories = rules.rules.categories.map((c) => c.code);
  const category = categories.includes('keyTeacher') ? 'keyTeacher' : categories[0];
  if (rules.rules.tiers.includes('county') && pool.length >= 3) {
    const { id } = await kt.createRound(
      ctx,
      admin,
      CreateRoundBody.parse({
        title: `${last}年${county.bureau.name.replace(/教育局$/, '')}旗县区级骨干教师评选`,
        tier: 'county',
        categories: [category],
        asOf: roundDay,
        // Nominations are taken "today" by the module; the round's real deadline is set back below.
        nominateUntil: day(0),
        quotas: [{ orgId: county.bureau.id, quota: 8 }],
      }),
    );
    const checked = await kt.checkEligibility(ctx, admin, id, NominateBody.parse({ category, teacherIds: pool.map((t) => t.id) }));
    const eligible = checked.teachers.filter((t) => t.eligible).slice(0, 7);
    // Eligibility-failed candidates go back to the pool for other parts of the demo (they were never nominated).
    if (eligible.length >= 2) {
      const { ids } = await kt.nominate(ctx, admin, id, NominateBody.parse({ category, teacherIds: eligible.map((t) => t.teacherId) }));
      await kt.closeNominations(ctx, admin, id);
      for (const [i, nid] of ids.entries()) {
        const passed = i !== ids.length - 1;
        await kt.review(ctx, admin, nid, {
          passed,
          score: passed ? 92 - i * 2 : 71,
          comment: passed ? '师德表现良好，课堂教学与教研成果突出' : '教研成果不足，建议下一轮再推荐',
        });
      }
      await kt.publicize(ctx, admin, id, { from: `${last}-04-08`, until: `${last}-04-14` });
      designated = (await kt.designateRound(ctx, admin, id, { termFrom: `${last}-05-01` })).designated;
      // The round's own calendar: nominations closed at the end of March (not "today", when the demo recorded them).
      await ctx.db.query('UPDATE key_teacher_rounds SET nominate_until = $2 WHERE id = $1', [id, `${last}-03-31`]);
    } else g.log('骨干教师示例数据：符合条件的候选人不足，上一年度评选只保留推荐阶段之前的记录');
  }

  // This year's round, open for nomination: quotas for the demo school and three more schools of the county.
  const quotaSchools = [plan.demoSchool, ...county.schools.filter((s) => s !== plan.demoSchool).slice(0, 3)];
  await kt.createRound(
    ctx,
    admin,
    CreateRoundBody.parse({
      title: `${year}年${county.bureau.name.replace(/教育局$/, '')}骨干教师评选`,
      tier: rules.rules.tiers.includes('county') ? 'county' : rules.rules.tiers[0],
      categories: categories.slice(0, 2),
      asOf: day(0),
      nominateUntil: day(21),
      quotas: quotaSchools.map((s, i) => ({ orgId: s.org.id, quota: i === 0 ? 2 : 1 })),
    }),
  );
  return { keyTeacherRounds: 2, keyTeacherDesignations: designated };
}
