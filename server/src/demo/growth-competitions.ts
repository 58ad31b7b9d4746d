import * as comp from '../modules/competitions/competitions.service.js';
import * as compRepo from '../modules/competitions/competitions.repository.js';
import {
  AWARD_LABELS,
  CompetitionInput,
  EntriesInput,
  JudgeInput,
  ResultsInput,
  RoundInput,
  ScoresInput,
  type Award,
} from '../modules/competitions/competitions.schema.js';
import { insertHonour } from '../modules/integrity/integrity.service.js';
import * as research from '../modules/research/research.service.js';
import * as upgrade from '../modules/research/upgrade.service.js';
import { OutputInput, ResearchInput, StepInput } from '../modules/research/research.schema.js';
import { PlanInput, ProgressInput } from '../modules/research/upgrade.schema.js';
import { audit } from '../platform/audit.js';
import { type GrowthContext, teachersIn } from './growth.js';

/**
 * 基本功竞赛 (issue 13 item 4) of the demo county, through the competitions module (county.admin organises): last
 * year's 青年教师教学基本功大赛, published with results — 初赛 of up to eight, five to the 决赛, four awards that became
 * honours (teacher_honours) — and this year's edition, open, into which the module re-entered last year's
 * non-qualifiers automatically (以赛促训), plus two new entries.
 */
export async function seedDemoCompetitions(g: GrowthContext): Promise<Record<string, number>> {
  const { ctx, plan, day, year } = g;
  const county = plan.counties[plan.demoCounty];
  const last = year - 1;
  const first = `${last}-05-12`;
  const admin = await g.as('county.admin', 'bureauAdmin');
  const MAX_YEARS = 5;
  // Young teachers (教龄 within the limit on last year's first round, and still then in post).
  const young = await teachersIn(
    ctx.db,
    county.schools.map((s) => s.org.id),
    `t.hire_date > $2 AND t.hire_date < $3`,
    [`${last - MAX_YEARS}${first.slice(4)}`, `${last}-03-01`],
  );
  // Young teachers may also be mentees or studio members: a competition is part of their growth, not a role.
  const entrants = spread(young).slice(0, 8);
  if (entrants.length < 6) {
    g.log('基本功竞赛示例数据：示例区县青年教师不足，跳过');
    return {};
  }
  const countyName = county.bureau.name.replace(/教育局$/, '');
  const edition = async (y: number) =>
    (
      await comp.createCompetition(
        ctx,
        admin,
        CompetitionInput.parse({
          series: `${countyName}青年教师教学基本功大赛`,
          name: `${countyName}青年教师教学基本功大赛`,
          kind: 'youngTeacher',
          year: y,
          audience: { maxTeachingYears: MAX_YEARS },
        }),
      )
    ).id;

  // ---- Last year's edition, judged and published.
  const prev = await edition(last);
  const r1 = (await comp.addRound(ctx, admin, prev, RoundInput.parse({ seq: 1, name: '初赛', heldOn: first }))).id;
  const r2 = (await comp.addRound(ctx, admin, prev, RoundInput.parse({ seq: 2, name: '决赛', heldOn: `${last}-06-09` }))).id;
  const judges: number[] = [];
  for (const name of ['王淑芬', '李国强', '张海燕']) judges.push((await comp.addJudge(ctx, admin, prev, JudgeInput.parse({ expertName: name }))).id);
  await comp.transition(ctx, admin, prev, 'open');
  await comp.enterTeachers(ctx, admin, prev, EntriesInput.parse({ teacherIds: entrants.map((t) => t.id) }));
  await comp.transition(ctx, admin, prev, 'judge');
  const entries = (await compRepo.entries(ctx.db, prev)).sort((a, b) => a.teacherId - b.teacherId);
  // Scores: a fixed spread per entry and judge (deterministic); the order of `entries` is the ranking.
  const score = (k: number, j: number, base: number) => Math.round((base - k * 1.7 + ((k * 7 + j * 3) % 5) * 0.4) * 10) / 10;
  for (const [j, judgeId] of judges.entries())
    await comp.recordScores(
      ctx,
      admin,
      prev,
      ScoresInput.parse({ roundId: r1, judgeId, scores: entries.map((e, k) => ({ entryId: e.id, score: score(k, j, 91) })) }),
    );
  const finalists = entries.slice(0, Math.min(5, entries.length - 1));
  await comp.recordResults(
    ctx,
    admin,
    prev,
    ResultsInput.parse({ roundId: r1, results: entries.map((e, k) => ({ entryId: e.id, qualifies: k < finalists.length })) }),
  );
  for (const [j, judgeId] of judges.entries())
    await comp.recordScores(
      ctx,
      admin,
      prev,
      ScoresInput.parse({ roundId: r2, judgeId, scores: finalists.map((e, k) => ({ entryId: e.id, score: score(k, j, 93) })) }),
    );
  const awards: (Award | null)[] = ['first', 'second', 'third', 'third', null];
  await comp.recordResults(ctx, admin, prev, ResultsInput.parse({ roundId: r2, results: finalists.map((e, k) => ({ entryId: e.id, award: awards[k] })) }));
  // 公布: as the module's publish step does (awards → honours, then the status), dated the week after the final —
  // the module's own step dates it today, which would make last year's results look published this year.
  const publishedOn = `${last}-06-16`;
  const c = (
    await ctx.db.query<{ organiser: string }>('SELECT o.name AS organiser FROM competitions c JOIN orgs o ON o.id = c.organiser_org_id WHERE c.id = $1', [prev])
  ).rows[0];
  let honours = 0;
  await ctx.db.tx(async (q) => {
    for (const [k, e] of finalists.entries()) {
      const award = awards[k];
      if (!award) continue;
      const honourId = await insertHonour(q, admin, e.teacherId, {
        title: `${last}年${countyName}青年教师教学基本功大赛${AWARD_LABELS[award]}`,
        level: 'county',
        awardedOn: publishedOn,
        awardingOrg: c.organiser,
      });
      await compRepo.setHonour(q, e.id, honourId);
      honours++;
    }
    await compRepo.setStatus(q, prev, 'published', publishedOn);
    await audit(q, admin, 'competition.publish', 'competition', prev, { honours, publishedOn });
  });

  // ---- This year's edition, open: the module re-enters last year's non-qualifiers on opening.
  const cur = await edition(year);
  await comp.addRound(ctx, admin, cur, RoundInput.parse({ seq: 1, name: '初赛', heldOn: day(40) }));
  await comp.addRound(ctx, admin, cur, RoundInput.parse({ seq: 2, name: '决赛', heldOn: day(68) }));
  await comp.addJudge(ctx, admin, cur, JudgeInput.parse({ expertName: '王淑芬' }));
  await comp.transition(ctx, admin, cur, 'open');
  const entered = new Set(entries.map((e) => e.teacherId));
  const newcomers = spread(
    await teachersIn(
      ctx.db,
      county.schools.map((s) => s.org.id),
      `t.hire_date > $2 AND t.hire_date < $3`,
      [`${year - MAX_YEARS + 1}-01-01`, day(-120)],
    ),
  )
    .filter((t) => !entered.has(t.id))
    .slice(0, 2);
  if (newcomers.length) await comp.enterTeachers(ctx, admin, cur, EntriesInput.parse({ teacherIds: newcomers.map((t) => t.id) }));
  return { competitions: 2, competitionEntries: entries.length + (await compRepo.entries(ctx.db, cur)).length, honours };
}

/** One teacher per school first, then the rest: entrants come from several schools. */
function spread<T extends { org_id: number }>(ts: T[]): T[] {
  const seen = new Set<number>();
  const firsts = ts.filter((t) => !seen.has(t.org_id) && seen.add(t.org_id));
  return [...firsts, ...ts.filter((t) => !firsts.includes(t))];
}

/**
 * 课题 and 学历提升 (issue 13 item 5), through the research module: the demo teacher's county-level AI 教学专项课题,
 * applied for in spring, approved and started by the county, past its 中期检查, with a first output; and a 学历提升
 * plan (教育硕士) that the demo school recorded for one of its teachers, with a progress note.
 */
export async function seedDemoResearch(g: GrowthContext): Promise<Record<string, number>> {
  const { ctx, plan, day } = g;
  const teacher = await g.as('teacher', 'teacher');
  const countyAdmin = await g.as('county.admin', 'bureauAdmin');
  const schoolAdmin = await g.as('school.admin', 'schoolAdmin');
  const colleagues = g.cast.take(await teachersIn(ctx.db, [plan.demoSchool.org.id]), 3);
  if (colleagues.length < 3) {
    g.log('课题与学历提升示例数据：示例学校教师不足，跳过');
    return {};
  }
  const { id } = await research.apply(
    ctx,
    teacher,
    ResearchInput.parse({
      title: '人工智能辅助小学习作教学的实践研究',
      memberTeacherIds: colleagues.slice(0, 2).map((t) => t.id),
      level: 'county',
      category: 'aiTeaching',
      plan: '研究目标：探索 AI 写作助手在小学中高年级习作教学中的使用边界与方法。研究内容：习作指导课的人机协同模式、学生修改能力的变化。研究周期一年半，每学期形成一组课例。',
    }),
  );
  // The application's own date: spring (the module dates an application today).
  const applied = day(-210);
  await ctx.db.query(`UPDATE research_steps SET held_on = $2 WHERE project_id = $1 AND step = 'apply'`, [id, applied]);
  await ctx.db.query('UPDATE research_members SET joined_on = $2 WHERE project_id = $1', [id, applied]);
  await research.step(ctx, countyAdmin, id, 'approve', StepInput.parse({ heldOn: day(-180), comment: '选题切合 AI 教学专项要求，同意立项。' }));
  await research.step(ctx, countyAdmin, id, 'start', StepInput.parse({ heldOn: day(-150), comment: '开题论证通过。' }));
  await research.addOutput(ctx, teacher, id, OutputInput.parse({ kind: 'lesson', title: '《我的植物朋友》人机协同习作指导课例' }));
  await research.step(
    ctx,
    countyAdmin,
    id,
    'midterm',
    StepInput.parse({ heldOn: day(-20), result: 'pass', comment: '进度符合计划，课例扎实；下一阶段加强数据分析。' }),
  );

  const [who] = colleagues.slice(2);
  const plan1 = await upgrade.createPlan(
    ctx,
    schoolAdmin,
    PlanInput.parse({
      teacherId: who.id,
      kind: 'degree',
      targetEducation: 'master',
      institution: '北疆师范大学（在职教育硕士）',
      expectedOn: `${g.year + 1}-06-30`,
    }),
  );
  await upgrade.addProgress(ctx, schoolAdmin, plan1.id, ProgressInput.parse({ note: '已通过入学考试并报到，第一学期课程全部合格。' }));
  return { researchProjects: 1, upgradePlans: 1 };
}
