import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../platform/china-time.js';
import { PASSWORD } from '../../../../test/factories.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { insertUser } from '../users/users.repository.js';
import { DEFAULT_MENTORING } from '../policies/policy.mentoring.js';
import { termOf } from './mentoring.rules.js';
import { readFileSync } from 'node:fs';
import { ensureSeedPolicies, policiesRepo } from '../policies/policies.service.js';

// 师徒结对, 磨课 rounds, the gate 待磨课 → 可独立任教, 重点培养对象 and the board (issue 13 item 3), through the routes.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const today = todayInChina();
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const fresh = (orgId: number, subjects = ['语文']) => aw.teacher(orgId, { hireDate: shift(today, -30), subjects: subjects as never });
const round = (over: Record<string, unknown> = {}) => ({
  subject: '语文',
  lesson: '《春》第一课时',
  heldOn: shift(today, -10),
  observers: ['王老师', '李老师'],
  items: [
    { label: '教学设计', score: 8, max: 10 },
    { label: '课堂组织', score: 9, max: 10 },
  ],
  comment: '目标清楚，提问可再开放',
  result: 'passed',
  ...over,
});

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  const office = await insertOrg(aw.t.db, { code: 'T-RO1', name: '甲区教研室', level: 'county', kind: 'researchOffice', parentId: aw.w.county1 });
  await insertUser(aw.t.db, { username: 'county.research', passwordHash: hash, displayName: '甲区教研员', role: 'devCenter', orgId: office.id });
  for (const u of ['county.research', 'county.admin', 'school.admin', 'teacher', 'city.admin']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

describe('师徒结对', () => {
  it('pairs a mentor with a new teacher: mentor ≠ mentee, one current pair per mentee and subject, the load cap; both see it and write records', async () => {
    const mentee = await fresh(aw.w.school1);
    const mentor = aw.w.teacherId; // the 'teacher' account
    const self = await call('school.admin', 'POST', '/api/mentoring/pairs', {
      mentorTeacherId: mentee,
      menteeTeacherId: mentee,
      subject: '语文',
      termFrom: today,
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().message).toBe('师傅和徒弟不能是同一名教师');
    const r = await call('school.admin', 'POST', '/api/mentoring/pairs', {
      mentorTeacherId: mentor,
      menteeTeacherId: mentee,
      subject: '语文',
      termFrom: today,
      goals: '一学期内独立上好常态课',
    });
    expect(r.statusCode, r.body).toBe(201);
    const pairId = r.json().id;
    const again = await call('school.admin', 'POST', '/api/mentoring/pairs', {
      mentorTeacherId: mentor,
      menteeTeacherId: mentee,
      subject: '语文',
      termFrom: today,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已与');

    // The mentor sees the pair and writes a record; the mentee's school sees it with the record.
    const inbox = (await call('teacher', 'GET', '/api/notifications')).json();
    expect(inbox.items.map((n: { title: string }) => n.title)).toContain(
      `您已与${(await aw.t.db.query<{ name: string }>('SELECT name FROM teachers WHERE id = $1', [mentee])).rows[0].name}结为师徒（语文，您为师傅）`,
    );
    const mine = (await call('teacher', 'GET', '/api/mentoring/pairs')).json();
    expect(mine.items.map((p: { id: number }) => p.id)).toContain(pairId);
    const rec = await call('teacher', 'POST', `/api/mentoring/pairs/${pairId}/records`, { kind: 'observation', heldOn: today, content: '听课：导入环节较长' });
    expect(rec.statusCode, rec.body).toBe(201);
    const bad = await call('teacher', 'POST', `/api/mentoring/pairs/${pairId}/records`, { kind: 'x', heldOn: today, content: '' });
    expect(bad.statusCode).toBe(400);
    const page = (await call('school.admin', 'GET', `/api/mentoring/pairs/${pairId}`)).json();
    expect(page.records).toMatchObject([{ authorSide: 'mentor', authorLabel: '师傅', kindLabel: '听课', content: '听课：导入环节较长' }]);
    expect(page.mentor.id).toBe(mentor);

    // The load cap (policy default 3 — an assumption, the seeds give none): the 4th current mentee is refused.
    for (let i = 0; i < DEFAULT_MENTORING.mentorLoadCap - 1; i++) {
      const m = await fresh(aw.w.school1);
      expect(
        (await call('school.admin', 'POST', '/api/mentoring/pairs', { mentorTeacherId: mentor, menteeTeacherId: m, subject: '语文', termFrom: today }))
          .statusCode,
      ).toBe(201);
    }
    const over = await call('school.admin', 'POST', '/api/mentoring/pairs', {
      mentorTeacherId: mentor,
      menteeTeacherId: await fresh(aw.w.school1),
      subject: '语文',
      termFrom: today,
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().message).toContain(`达到每名师傅同时带教 ${DEFAULT_MENTORING.mentorLoadCap} 人的上限`);
    expect(over.json().message).toContain('§三（四）');
  });

  it('the load cap is policy data: a version of the plan in force with mentorLoadCap 1 refuses a second mentee', async () => {
    await ensureSeedPolicies(aw.t.db);
    const p = await policiesRepo.findPolicyByKey(aw.t.db, 'province-strong-teacher');
    expect(p).toBeTruthy();
    await policiesRepo.attach(aw.t.db, p!.id, aw.w.county2, null);
    const text = readFileSync('policies/002-province-strong-teacher.yaml', 'utf8')
      .replace(/^version: (\d+)$/m, (_, n) => `version: ${Number(n) + 1}`)
      .replace('mentorLoadCap: 3', 'mentorLoadCap: 1');
    const v = await call('city.admin', 'POST', `/api/policies/${p!.id}/versions`, { text, note: '带教上限改为 1 人' });
    expect(v.statusCode, v.body).toBe(201);
    const mentor = await aw.teacher(aw.w.school3);
    const pair = (m: number) =>
      call('city.admin', 'POST', '/api/mentoring/pairs', { mentorTeacherId: mentor, menteeTeacherId: m, subject: '语文', termFrom: today });
    expect((await pair(await fresh(aw.w.school3))).statusCode).toBe(201);
    const second = await pair(await fresh(aw.w.school3));
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toContain('达到每名师傅同时带教 1 人的上限');
  });

  it('changing the mentor ends the pair and starts a new one naming it; ending keeps the row; another school cannot see it', async () => {
    const mentee = await fresh(aw.w.school1);
    const m1 = await aw.teacher(aw.w.school1);
    const m2 = await aw.teacher(aw.w.school1);
    const start = shift(today, -60);
    const id = (
      await call('school.admin', 'POST', '/api/mentoring/pairs', { mentorTeacherId: m1, menteeTeacherId: mentee, subject: '语文', termFrom: start })
    ).json().id;
    const ch = await call('school.admin', 'POST', `/api/mentoring/pairs/${id}/change`, { mentorTeacherId: m2, from: today, reason: '原师傅外出支教' });
    expect(ch.statusCode, ch.body).toBe(201);
    const next = (await call('school.admin', 'GET', `/api/mentoring/pairs/${ch.json().id}`)).json();
    expect(next.replaces).toBe(id);
    expect(next.history.map((h: { id: number; endedOn: string | null }) => [h.id, h.endedOn])).toEqual([
      [id, shift(today, -1)],
      [ch.json().id, null],
    ]);
    expect((await call('school.admin', 'POST', `/api/mentoring/pairs/${id}/end`, { endedOn: today, reason: '重复' })).statusCode).toBe(409);
    const end = await call('school.admin', 'POST', `/api/mentoring/pairs/${ch.json().id}/end`, { endedOn: today, reason: '学期结束' });
    expect(end.statusCode, end.body).toBe(200);
    expect((await call('county.admin', 'GET', `/api/mentoring/pairs/${id}`)).statusCode).toBe(200);
    const c2 = await aw.login('county2.sys');
    expect((await aw.call(c2, 'GET', `/api/mentoring/pairs/${id}`)).statusCode).toBe(403);
  });
});

describe('磨课 rounds and the gate', () => {
  it('a correction supersedes the round; the teacher sees its rounds', async () => {
    const t = aw.w.teacherId;
    const r = await call('school.admin', 'POST', `/api/teachers/${t}/polish-rounds`, round({ purpose: 'other', result: 'failed' }));
    expect(r.statusCode, r.body).toBe(201);
    const over = await call('school.admin', 'POST', `/api/teachers/${t}/polish-rounds`, round({ items: [{ label: '板书', score: 12, max: 10 }] }));
    expect(over.statusCode).toBe(400);
    const fix = await call('school.admin', 'POST', `/api/polish-rounds/${r.json().id}/correct`, {
      ...round({ purpose: 'other' }),
      correctionReason: '结果录错',
    });
    expect(fix.statusCode, fix.body).toBe(201);
    expect(
      (await call('school.admin', 'POST', `/api/polish-rounds/${r.json().id}/correct`, { ...round({ purpose: 'other' }), correctionReason: '再改' }))
        .statusCode,
    ).toBe(409);
    const mine = (await call('teacher', 'GET', `/api/teachers/${t}/polish-rounds`)).json().items;
    expect(mine.map((x: { id: number; superseded: boolean; result: string }) => [x.id, x.superseded, x.result])).toEqual(
      expect.arrayContaining([
        [r.json().id, true, 'failed'],
        [fix.json().id, false, 'passed'],
      ]),
    );
    expect(mine.find((x: { id: number }) => x.id === fix.json().id)).toMatchObject({
      total: 17,
      max: 20,
      correctionReason: '结果录错',
      evaluatorOrgName: '甲区第一小学',
    });
  });

  it('待磨课 until two passed rounds including the 教研室: refused with one round, refused without the 教研室, released after both', async () => {
    const t = await fresh(aw.w.school1);
    const gate = async () => (await call('school.admin', 'GET', `/api/teachers/${t}/teaching-gate`)).json().gates[0];
    expect(await gate()).toMatchObject({ subject: '语文', state: 'pending', stateLabel: '待磨课', reasonLabel: '新入职' });
    const release = () =>
      call('school.admin', 'POST', `/api/teachers/${t}/teaching-gate/release`, { subject: '语文', releasedOn: today, note: '两轮磨课合格' });

    expect((await call('school.admin', 'POST', `/api/teachers/${t}/polish-rounds`, round())).statusCode).toBe(201);
    const one = await release();
    expect(one.statusCode).toBe(409);
    expect(one.json().message).toContain('还差 1 轮合格的磨课');
    expect(one.json().message).toContain('尚无教研室听课评估合格的磨课');
    expect(one.json().message).toContain('§三（四）');

    expect((await call('school.admin', 'POST', `/api/teachers/${t}/polish-rounds`, round({ lesson: '《春》第二课时' }))).statusCode).toBe(201);
    const noOffice = await release();
    expect(noOffice.statusCode).toBe(409);
    expect(noOffice.json().message).not.toContain('还差');
    expect(noOffice.json().message).toContain('尚无教研室听课评估合格的磨课');

    const byOffice = await call('county.research', 'POST', `/api/teachers/${t}/polish-rounds`, round({ lesson: '《春》复备', heldOn: shift(today, -2) }));
    expect(byOffice.statusCode, byOffice.body).toBe(201);
    const ok = await release();
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'released', stateLabel: '可独立任教', releasedOn: today });
    expect(ok.json().rounds).toHaveLength(3);
    expect(await gate()).toMatchObject({ state: 'released', releasedOn: today, missing: [] });
    expect((await release()).statusCode).toBe(409);
  });

  it('a new subject is gated on request; a teacher who is not new needs no release', async () => {
    const t = await aw.teacher(aw.w.school1, { subjects: ['语文'] as never });
    const none = await call('school.admin', 'POST', `/api/teachers/${t}/teaching-gate/release`, { subject: '语文', releasedOn: today });
    expect(none.statusCode).toBe(400);
    expect(
      (await call('school.admin', 'POST', `/api/teachers/${t}/teaching-gate`, { subject: '数学', reason: 'newSubject', openedOn: today })).statusCode,
    ).toBe(201);
    const g = (await call('school.admin', 'GET', `/api/teachers/${t}/teaching-gate`)).json().gates;
    expect(g.map((x: { subject: string; state: string }) => [x.subject, x.state])).toEqual([
      ['语文', 'none'],
      ['数学', 'pending'],
    ]);
  });
});

describe('重点培养对象 and the board', () => {
  it('flags only teachers with 教龄 ≤ 3 years; the board shows coverage, new teachers without a mentor and who is due; the school admin has a to-do', async () => {
    const school = aw.w.school2;
    const young = await aw.teacher(school, { hireDate: shift(today, -400), subjects: ['数学'] as never });
    const youngEn = await aw.teacher(school, { hireDate: shift(today, -400), subjects: ['英语'] as never });
    const senior = await aw.teacher(school, { hireDate: '2010-09-01', subjects: ['数学'] as never });
    const unpaired = await fresh(school, ['物理']);
    const term = termOf(today);
    const old = await call('county.admin', 'POST', '/api/mentoring/key-candidates', { teacherId: senior, subject: '数学', term });
    expect(old.statusCode).toBe(409);
    expect(old.json().message).toContain('教龄 3 年以下');
    expect((await call('county.admin', 'POST', '/api/mentoring/key-candidates', { teacherId: young, subject: '数学', term: '2026秋' })).statusCode).toBe(400);
    const k = await call('county.admin', 'POST', '/api/mentoring/key-candidates', { teacherId: young, subject: '数学', term });
    expect(k.statusCode, k.body).toBe(201);
    expect((await call('county.admin', 'POST', '/api/mentoring/key-candidates', { teacherId: young, subject: '数学', term })).statusCode).toBe(409);

    const b = (await call('county.admin', 'GET', '/api/mentoring/board')).json();
    const at = (subject: string) => b.keyCoverage.find((x: { orgId: number; subject: string }) => x.orgId === school && x.subject === subject);
    expect(at('数学')).toMatchObject({ covered: true, flagged: 1 });
    expect(at('英语')).toMatchObject({ covered: false, flagged: 0, youngTeachers: 1 });
    expect(b.withoutMentor.map((x: { teacherId: number }) => x.teacherId)).toContain(unpaired);
    expect(b.gated.find((g: { teacherId: number }) => g.teacherId === unpaired)).toMatchObject({ subject: '物理', ready: false, held: 0 });
    expect(b.figures.keyUncovered).toBe(b.keyCoverage.filter((x: { covered: boolean }) => !x.covered).length);
    expect(b.figures.due + b.figures.ready).toBe(b.figures.gated);
    expect(youngEn).toBeGreaterThan(0);

    // school1's own board: exactly its figures (new teachers made above in school1 all have mentors except those made here).
    const s1 = (await call('school.admin', 'GET', '/api/mentoring/board')).json();
    expect(s1.withoutMentor.every((x: { orgId: number }) => x.orgId === aw.w.school1)).toBe(true);
    const todo = (await call('school.admin', 'GET', '/api/todo')).json();
    expect(todo.items.find((i: { kind: string }) => i.kind === 'mentoringUnpaired')).toMatchObject({ count: s1.figures.withoutMentor, label: '新教师待结对' });
    expect((await call('teacher', 'GET', '/api/mentoring/board')).statusCode).toBe(403);

    const w = await call('county.admin', 'POST', `/api/mentoring/key-candidates/${k.json().id}/withdraw`, { reason: '调岗' });
    expect(w.statusCode, w.body).toBe(200);
    const b2 = (await call('county.admin', 'GET', '/api/mentoring/board')).json();
    expect(b2.keyCoverage.find((x: { orgId: number; subject: string }) => x.orgId === school && x.subject === '数学')).toMatchObject({ covered: false });
  });

  it("the teacher's own page lists its pairs, gates and rounds", async () => {
    const r = await call('teacher', 'GET', '/api/my/mentoring');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().pairs.length).toBeGreaterThan(0);
    expect(r.json().rounds.length).toBeGreaterThan(0);
    expect((await call('school.admin', 'GET', '/api/my/mentoring')).statusCode).toBe(403);
  });
});
