import * as pairs from '../modules/mentoring/pairs.service.js';
import * as polish from '../modules/mentoring/polish.service.js';
import * as gate from '../modules/mentoring/gate.service.js';
import { PairInput, RecordInput, RoundInput } from '../modules/mentoring/mentoring.schema.js';
import { termOf } from '../modules/mentoring/mentoring.rules.js';
import { SUBJECTS } from '../platform/vocab.js';
import { clamp, type GrowthContext, teachersIn } from './growth.js';

const ITEMS = (a: number, b: number, c: number, d: number) => [
  { label: '教学目标', score: a, max: 10 },
  { label: '教学过程', score: b, max: 10 },
  { label: '学生参与', score: c, max: 10 },
  { label: '板书与语言', score: d, max: 10 },
];

/**
 * 师徒结对 and 磨课 (issue 13 item 3) at the demo school, through the mentoring module (school.admin; the county's
 * 教研室 account for its evaluation): every new teacher (role 新入职教师) gets an experienced mentor of the same
 * subject — except the most recently hired one, whom the board lists and the school's 待办 新教师待结对 counts. The
 * first new teacher has two passed 磨课 rounds (the school's, then the 教研室's) and is released 可独立任教; the second
 * has one round and stays 待磨课. Two young teachers are this term's 重点培养对象.
 */
export async function seedDemoMentoring(g: GrowthContext): Promise<Record<string, number>> {
  const { ctx, plan, day } = g;
  const today = day(0);
  const school = plan.demoSchool.org.id;
  const known = new Set<string>(SUBJECTS);
  const all = (await teachersIn(ctx.db, [school])).filter((t) => known.has(t.subject));
  // New teachers by hire date: the longest-serving first (they have had time for two rounds).
  const fresh = all
    .filter((t) => t.roles.includes('newTeacher') && t.hire_date && t.hire_date < day(-90))
    .sort((a, b) => (a.hire_date! < b.hire_date! ? -1 : a.hire_date! > b.hire_date! ? 1 : a.id - b.id));
  const hires = all.filter((t) => t.roles.includes('newTeacher') && t.hire_date && t.hire_date < day(-14));
  const newest = [...hires].sort((a, b) => (a.hire_date! > b.hire_date! ? -1 : a.hire_date! < b.hire_date! ? 1 : b.id - a.id))[0];
  if (fresh.length < 2) {
    g.log('师徒结对示例数据：示例学校新入职教师不足，跳过');
    return {};
  }
  const admin = await g.as('school.admin', 'schoolAdmin');
  const office = await g.as('research.office', 'devCenter');
  // The newest hire stays without a mentor (the board and the 待办 show it); the others are paired, those with time
  // for 磨课 first.
  const mentees = [...fresh, ...hires.filter((t) => !fresh.includes(t))].filter((t) => t.id !== newest?.id).slice(0, 12);
  g.cast.mark(...hires.map((t) => t.id));
  const seniors = all.filter((t) => !t.roles.includes('newTeacher') && t.hire_date && t.hire_date < `${g.year - 12}-01-01`);
  let paired = 0;
  let records = 0;
  for (const [i, m] of mentees.entries()) {
    const [mentor] = g.cast.take(seniors, 1, (t) => t.subject === m.subject) ?? [];
    const chosen = mentor ?? g.cast.take(seniors, 1)[0];
    if (!chosen) break;
    const from = clamp(isoPlus(m.hire_date!, 14), `${g.year - 2}-09-01`, day(0));
    const pair = await pairs.createPair(
      ctx,
      admin,
      PairInput.parse({
        mentorTeacherId: chosen.id,
        menteeTeacherId: m.id,
        subject: m.subject,
        termFrom: from,
        goals: '一年内过好“教学常规关、课堂教学关、班级管理关”，完成两轮磨课并通过教研室听课评估。',
      }),
    );
    paired++;
    if (i < 2) {
      const notes: [string, number, string][] = [
        ['observation', 20, `听师傅${chosen.name}的示范课，记录提问设计与课堂节奏。`],
        ['guidance', 35, '师傅听徒弟随堂课并反馈：导入过长，练习时间不足，下次控制在 5 分钟内。'],
        ['reflection', 50, '本月反思：作业批改及时，但对后进生的个别辅导还不够。'],
      ];
      for (const [kind, after, content] of notes) {
        const heldOn = isoPlus(from, after);
        if (heldOn > today) continue;
        await pairs.addRecord(ctx, admin, pair.id, RecordInput.parse({ kind, heldOn, content }));
        records++;
      }
    }
  }

  // 磨课: the first mentee passes the school's round and the 教研室's, and is released; the second has one round so far.
  const [a, b] = mentees;
  let rounds = 0;
  const round = async (who: typeof admin, t: typeof a, heldOn: string, lesson: string, scores: number[], comment: string) => {
    await polish.recordRound(
      ctx,
      who,
      t.id,
      RoundInput.parse({
        subject: t.subject,
        lesson,
        heldOn,
        purpose: 'newTeacher',
        observers: who === office ? ['何静', '教研员 马晓东'] : ['教学副校长', `${t.subject}教研组长`],
        items: ITEMS(scores[0], scores[1], scores[2], scores[3]),
        comment,
        result: 'passed',
      }),
    );
    rounds++;
  };
  const floor = (t: typeof a) => clamp(isoPlus(t.hire_date!, 30), t.hire_date!, day(-40));
  await round(admin, a, clamp(day(-55), floor(a), today), `${a.subject}：新授课`, [8, 8, 7, 8], '教学目标清楚，环节完整；提问可再开放一些。');
  await round(office, a, clamp(day(-25), floor(a), today), `${a.subject}：单元复习课`, [9, 8, 9, 8], '复习有梳理、有分层，达到独立任教要求。');
  await gate.releaseGate(ctx, admin, a.id, { subject: a.subject, releasedOn: day(-18), note: '两轮磨课合格，含教研室听课评估' });
  if (b) await round(admin, b, clamp(day(-12), floor(b), today), `${b.subject}：新授课`, [7, 7, 8, 7], '课堂组织尚可，板书需更有条理；下一轮请教研室听课。');

  // 重点培养对象 of this term: young teachers (教龄 within the policy's limit) of the demo school.
  const term = termOf(today);
  let flagged = 0;
  for (const t of mentees.slice(0, 3)) {
    if (gate.yearsBetween(t.hire_date!, today) > 3) continue;
    await gate.flagKeyCandidate(ctx, admin, { teacherId: t.id, subject: t.subject, term });
    if (++flagged === 2) break;
  }
  return { mentorPairs: paired, mentorRecords: records, polishRounds: rounds, keyCandidates: flagged };
}

const isoPlus = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
