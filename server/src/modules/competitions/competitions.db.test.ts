import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../platform/china-time.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { insertSanction } from '../integrity/sanctions.repository.js';

// 基本功竞赛 (issue 13 item 4) through the routes, on both databases: lifecycle and refusals, eligibility, scoring
// and results, 以赛促训 re-entry (idempotent), awards recorded as honours and a vetoed award refused.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const today = todayInChina();
const year = Number(today.slice(0, 4));
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const homeroom = [{ role: 'homeroom' as const, since: '2020-09-01' }];
const T: Record<string, number> = {};

beforeAll(async () => {
  aw = await accountsWorld();
  for (const u of ['county.admin', 'school.admin', 'city.admin', 'teacher']) c[u] = await aw.login(u);
  T.a = await aw.teacher(aw.w.school1, { name: '甲老师', roles: homeroom });
  T.b = await aw.teacher(aw.w.school1, { name: '乙老师', roles: homeroom });
  T.c = await aw.teacher(aw.w.school1, { name: '丙老师' });
  T.d = await aw.teacher(aw.w.school1, { name: '丁老师', roles: homeroom });
  T.other = await aw.teacher(aw.w.school3, { name: '乙县老师', roles: homeroom });
});
afterAll(async () => aw?.t.close());

const create = async (y: number) => {
  const r = await call('county.admin', 'POST', '/api/competitions', {
    series: '班主任基本功大赛',
    name: '班主任基本功大赛',
    kind: 'homeroomSkills',
    year: y,
    audience: { stages: ['primary'], homeroomOnly: true },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
};
const detail = async (id: number, who = 'county.admin') => (await call(who, 'GET', `/api/competitions/${id}`)).json();

describe('基本功竞赛', () => {
  let last: number;
  let r1: number;
  let r2: number;

  it('runs last year’s edition: refusals of illegal steps, eligibility, scoring, ranks, awards and publication', async () => {
    last = await create(year - 1);
    expect(
      (await call('county.admin', 'POST', '/api/competitions', { series: '班主任基本功大赛', name: 'x 大赛', kind: 'homeroomSkills', year: year - 1 }))
        .statusCode,
    ).toBe(409);
    const early = await call('county.admin', 'POST', `/api/competitions/${last}/publish`);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('当前状态「筹备中」不能执行「公布结果」');
    expect((await call('county.admin', 'POST', `/api/competitions/${last}/open`)).json().message).toBe('请先设置比赛轮次（初赛、复赛、决赛及日期）');
    r1 = (await call('county.admin', 'POST', `/api/competitions/${last}/rounds`, { seq: 1, name: '初赛', heldOn: today })).json().id;
    r2 = (await call('county.admin', 'POST', `/api/competitions/${last}/rounds`, { seq: 2, name: '决赛', heldOn: today })).json().id;
    expect((await call('school.admin', 'POST', `/api/competitions/${last}/rounds`, { seq: 3, name: '加赛', heldOn: today })).statusCode).toBe(403);
    expect((await call('school.admin', 'POST', `/api/competitions/${last}/entries`, { teacherIds: [T.a] })).json().message).toBe('竞赛筹备中，不能报名');
    const open = await call('county.admin', 'POST', `/api/competitions/${last}/open`);
    expect(open.json()).toMatchObject({ status: 'open', reentered: 0 });

    // Eligibility: 丙 is not a 班主任; a teacher of another county is not the school's.
    const bad = await call('school.admin', 'POST', `/api/competitions/${last}/entries`, { teacherIds: [T.a, T.c, T.other] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([
      { field: 'teacherIds.1', message: '丙老师：不是班主任' },
      { field: 'teacherIds.2', message: '教师不存在或不在本单位' },
    ]);
    expect((await detail(last)).entries).toEqual([]);
    expect((await call('school.admin', 'POST', `/api/competitions/${last}/entries`, { teacherIds: [T.a, T.b] })).json()).toEqual({
      entered: 2,
      alreadyEntered: 0,
    });
    expect((await call('school.admin', 'POST', `/api/competitions/${last}/entries`, { teacherIds: [T.a] })).json()).toEqual({ entered: 0, alreadyEntered: 1 });

    const d = await detail(last);
    const ea = d.entries.find((e: { teacherId: number }) => e.teacherId === T.a).id;
    const eb = d.entries.find((e: { teacherId: number }) => e.teacherId === T.b).id;
    expect(
      (await call('county.admin', 'POST', `/api/competitions/${last}/scores`, { roundId: r1, judgeId: 1, scores: [{ entryId: ea, score: 90 }] })).statusCode,
    ).toBe(409);
    expect((await call('county.admin', 'POST', `/api/competitions/${last}/judge`)).json()).toMatchObject({ status: 'judging', statusLabel: '评审中' });
    const j1 = (await call('county.admin', 'POST', `/api/competitions/${last}/judges`, { expertName: '王专家' })).json().id;
    const j2 = (await call('county.admin', 'POST', `/api/competitions/${last}/judges`, { expertName: '李专家' })).json().id;
    expect((await call('county.admin', 'POST', `/api/competitions/${last}/judges`, {})).statusCode).toBe(400);
    const over = await call('county.admin', 'POST', `/api/competitions/${last}/scores`, { roundId: r1, judgeId: j1, scores: [{ entryId: ea, score: 101 }] });
    expect(over.statusCode).toBe(400);
    expect(over.json().fields[0]).toMatchObject({ field: 'scores.0.score', message: '分数不能超过 100' });
    for (const [j, sa, sb] of [
      [j1, 90, 80],
      [j2, 92, 70],
    ])
      expect(
        (
          await call('county.admin', 'POST', `/api/competitions/${last}/scores`, {
            roundId: r1,
            judgeId: j,
            scores: [
              { entryId: ea, score: sa },
              { entryId: eb, score: sb },
            ],
          })
        ).statusCode,
      ).toBe(200);
    // Scored again: the earlier score is superseded, not added.
    await call('county.admin', 'POST', `/api/competitions/${last}/scores`, { roundId: r1, judgeId: j2, scores: [{ entryId: eb, score: 72 }] });
    const finalQualifies = await call('county.admin', 'POST', `/api/competitions/${last}/results`, {
      roundId: r2,
      results: [{ entryId: ea, qualifies: true }],
    });
    expect(finalQualifies.json().fields).toEqual([{ field: 'results.0.qualifies', message: '最后一轮没有下一轮可晋级' }]);
    await call('county.admin', 'POST', `/api/competitions/${last}/results`, {
      roundId: r1,
      results: [
        { entryId: ea, qualifies: true },
        { entryId: eb, qualifies: false },
      ],
    });
    await call('county.admin', 'POST', `/api/competitions/${last}/results`, { roundId: r2, results: [{ entryId: ea, award: 'first' }] });
    const res = (await detail(last)).results;
    expect(res).toEqual([
      { entryId: ea, roundId: r1, roundSeq: 1, meanScore: 91, rank: 1, award: null, awardLabel: null, qualifies: true },
      { entryId: eb, roundId: r1, roundSeq: 1, meanScore: 76, rank: 2, award: null, awardLabel: null, qualifies: false },
      { entryId: ea, roundId: r2, roundSeq: 2, meanScore: null, rank: null, award: 'first', awardLabel: '一等奖', qualifies: false },
    ]);
    // Before publication the school sees its entries, not the results.
    expect((await detail(last, 'school.admin')).results).toEqual([]);

    const pub = await call('county.admin', 'POST', `/api/competitions/${last}/publish`);
    expect(pub.json()).toMatchObject({ status: 'published', honours: 1 });
    expect((await call('county.admin', 'POST', `/api/competitions/${last}/publish`)).statusCode).toBe(409);
    // Recorded by the organiser: the bureau's 诚信档案 view shows it.
    const rec = (await call('county.admin', 'GET', `/api/teachers/${T.a}/integrity`)).json();
    expect(rec.honours.map((h: { title: string }) => h.title)).toEqual([`${year - 1}年班主任基本功大赛一等奖`]);
    expect((await detail(last, 'school.admin')).results).toHaveLength(3);
  });

  it('opening this year’s edition re-enters last year’s non-qualifiers, once', async () => {
    const now = await create(year);
    await call('county.admin', 'POST', `/api/competitions/${now}/rounds`, { seq: 1, name: '初赛', heldOn: today });
    expect((await call('county.admin', 'POST', `/api/competitions/${now}/open`)).json()).toMatchObject({ status: 'open', reentered: 1, previousId: last });
    expect((await call('county.admin', 'POST', `/api/competitions/${now}/re-entries`)).json()).toMatchObject({ reentered: 0 });
    expect((await call('school.admin', 'POST', `/api/competitions/${now}/re-entries`)).statusCode).toBe(403);
    const d = await detail(now, 'school.admin');
    expect(d.entries.map((e: { teacherName: string; sourceLabel: string }) => [e.teacherName, e.sourceLabel])).toEqual([['乙老师', '上届未达线自动报名']]);
    // Entering the re-entered teacher again changes nothing.
    expect((await call('school.admin', 'POST', `/api/competitions/${now}/entries`, { teacherIds: [T.b, T.d] })).json()).toEqual({
      entered: 1,
      alreadyEntered: 1,
    });
    const mine = (await call('teacher', 'GET', '/api/my/competitions')).json();
    expect(mine).toEqual([]);
  });

  it('refuses an award to a teacher vetoed for honours, naming the sanction', async () => {
    const id = (await call('county.admin', 'GET', '/api/competitions')).json().find((x: { year: number }) => x.year === year).id;
    await aw.t.db.tx((q) =>
      insertSanction(q, {
        teacherId: T.d,
        caseId: null,
        kind: 'warning',
        decidedOn: today,
        validFrom: today,
        validUntil: null,
        decisionNo: '甲教师德〔2026〕2号',
        reason: '测试',
        decidedByOrgId: aw.w.county1,
        recordedBy: null,
      }),
    );
    await call('county.admin', 'POST', `/api/competitions/${id}/judge`);
    const d = await detail(id);
    const ed = d.entries.find((e: { teacherId: number }) => e.teacherId === T.d).id;
    const r = await call('county.admin', 'POST', `/api/competitions/${id}/results`, { roundId: d.rounds[0].id, results: [{ entryId: ed, award: 'second' }] });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toMatch(/^丁老师 不能获奖：一票否决（评优评先、表彰奖励）：/);
    // Without an award the result is recorded.
    expect((await call('county.admin', 'POST', `/api/competitions/${id}/results`, { roundId: d.rounds[0].id, results: [{ entryId: ed }] })).statusCode).toBe(
      200,
    );
  });

  it('shows the edition to the schools of the region only', async () => {
    const list = (await call('school.admin', 'GET', '/api/competitions')).json();
    expect(list.map((x: { year: number; mine: boolean }) => [x.year, x.mine])).toEqual([
      [year, false],
      [year - 1, false],
    ]);
    expect((await call('teacher', 'GET', '/api/competitions')).statusCode).toBe(403);
  });
});
