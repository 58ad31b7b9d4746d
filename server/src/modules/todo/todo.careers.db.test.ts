import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { addDays, todayInChina } from '../../platform/china-time.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { lastMonthInChina } from '../allowances/allowances.todo.js';

/** 待办中心, issue 14: 年度考核待述职 / 待评定等次 and 班主任上月津贴未登记, counted from the work and gone when it is done. */
let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
const Y = Number(todayInChina().slice(0, 4));

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
  const id = await insertUser(t.db, {
    username: 'school2.admin',
    passwordHash: await hashPassword(PASSWORD),
    displayName: 'school2.admin',
    role: 'schoolAdmin',
    orgId: w.school2,
    teacherId: null,
  });
  cookies['school2.admin'] = `qs_session=${(await createSession(t.db, id)).token}`;
  // A second teacher of school1 (the fixture has 张老师 only): a round of two entries.
  await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '李老师' }));
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: cookies[who] } });
async function item(who: string, kind: string) {
  const r = await req(who, 'GET', '/api/todo');
  expect(r.statusCode).toBe(200);
  return (r.json().items as { kind: string; label: string; count: number; link: string; oldestAt: string | null }[]).find((i) => i.kind === kind);
}
const count = async (who: string, kind: string) => (await item(who, kind))?.count;

describe('年度考核 to-dos', () => {
  let round = 0;
  let entries: { id: number; teacher_id: number }[] = [];

  it('a teacher owes the self-report of an open round until it is submitted or its deadline passes', async () => {
    expect(await count('teacher', 'appraisalSelfReport')).toBe(0);
    const selfReportUntil = addDays(todayInChina(), 30);
    const r = await req('school.admin', 'POST', '/api/appraisals/rounds', {
      year: Y,
      title: `${Y} 年度考核`,
      selfReportUntil,
      gradeUntil: addDays(todayInChina(), 40),
    });
    expect(r.statusCode, r.body).toBe(200);
    round = r.json().id;
    entries = (await t.db.query<{ id: number; teacher_id: number }>('SELECT id, teacher_id FROM appraisal_entries WHERE round_id = $1 ORDER BY id', [round]))
      .rows;
    expect(entries.length).toBe(2);
    expect(await item('teacher', 'appraisalSelfReport')).toMatchObject({ count: 1, label: '年度考核待述职', link: '/my/appraisal', oldestAt: selfReportUntil });

    // The deadline passed (China date): nothing to do any more.
    await t.db.query('UPDATE appraisal_rounds SET self_report_until = $2 WHERE id = $1', [round, addDays(todayInChina(), -1)]);
    expect(await count('teacher', 'appraisalSelfReport')).toBe(0);
    // Today is still in time.
    await t.db.query('UPDATE appraisal_rounds SET self_report_until = $2 WHERE id = $1', [round, todayInChina()]);
    expect(await count('teacher', 'appraisalSelfReport')).toBe(1);

    const sr = await req('teacher', 'POST', '/api/my/appraisal/self-report', { roundId: round, text: '本年度完成教学与班主任工作。' });
    expect(sr.statusCode, sr.body).toBe(200);
    expect(await count('teacher', 'appraisalSelfReport')).toBe(0);
  });

  it('the school counts its ungraded entries (opening the round), others in scope only; grading clears them', async () => {
    expect(await item('school.admin', 'appraisalGrading')).toMatchObject({
      count: entries.length,
      label: '年度考核待评定等次',
      link: `/appraisals/${round}`,
    });
    expect(await count('school2.admin', 'appraisalGrading')).toBe(0);
    // The county did not open this round: not its to-do.
    expect(await count('county.admin', 'appraisalGrading')).toBe(0);

    const first = await req('school.admin', 'POST', `/api/appraisals/entries/${entries[0].id}/grade`, { grade: 'qualified' });
    expect(first.statusCode, first.body).toBe(200);
    expect(await count('school.admin', 'appraisalGrading')).toBe(entries.length - 1);
    for (const e of entries.slice(1))
      expect((await req('school.admin', 'POST', `/api/appraisals/entries/${e.id}/grade`, { grade: 'qualified' })).statusCode).toBe(200);
    expect(await count('school.admin', 'appraisalGrading')).toBe(0);
  });

  it('a bureau counts the ungraded entries of the rounds it opened; the schools count theirs', async () => {
    expect((await req('school.admin', 'POST', `/api/appraisals/rounds/${round}/cancel`)).statusCode).toBe(200);
    const r = await req('county.admin', 'POST', '/api/appraisals/rounds', {
      year: Y,
      title: `${Y} 甲区年度考核`,
      selfReportUntil: addDays(todayInChina(), 10),
      gradeUntil: addDays(todayInChina(), 20),
      excellentShare: 0.2,
    });
    expect(r.statusCode, r.body).toBe(200);
    const id = r.json().id;
    const per = (
      await t.db.query<{ school_org_id: number; n: number }>(
        'SELECT school_org_id, count(*)::int AS n FROM appraisal_entries WHERE round_id = $1 GROUP BY school_org_id',
        [id],
      )
    ).rows;
    const total = per.reduce((n, x) => n + x.n, 0);
    const school1 = per.find((x) => x.school_org_id === w.school1)?.n ?? 0;
    expect(school1).toBe(entries.length);
    expect(await item('county.admin', 'appraisalGrading')).toMatchObject({ count: total, link: `/appraisals/${id}` });
    expect(await count('school.admin', 'appraisalGrading')).toBe(school1);
    // The city did not open it.
    expect(await count('city.admin', 'appraisalGrading')).toBe(0);
    // A new round: the teacher owes a self-report again.
    expect(await count('teacher', 'appraisalSelfReport')).toBe(1);
    const e = (await t.db.query<{ id: number }>('SELECT id FROM appraisal_entries WHERE round_id = $1 AND teacher_id = $2', [id, w.teacherId])).rows[0];
    expect((await req('school.admin', 'POST', `/api/appraisals/entries/${e.id}/grade`, { grade: 'qualified' })).statusCode).toBe(200);
    expect(await count('school.admin', 'appraisalGrading')).toBe(school1 - 1);
    expect(await count('county.admin', 'appraisalGrading')).toBe(total - 1);
  });
});

describe('班主任津贴 to-do', () => {
  it('counts the school’s 班主任 without last month’s allowance (the allowance check’s 未发放), and clears when recorded', async () => {
    const month = lastMonthInChina();
    const check = (await req('school.admin', 'GET', `/api/allowances/check?month=${month}`)).json();
    const missing = check.schools.reduce((n: number, s: { missing: number }) => n + s.missing, 0);
    // seedWorld: 张老师 is 班主任 of school1 (primary) and nothing is recorded yet.
    expect(missing).toBeGreaterThanOrEqual(1);
    expect(await item('school.admin', 'allowancesMissing')).toMatchObject({
      count: missing,
      label: '班主任上月津贴未登记',
      link: '/funds?tab=allowances',
      oldestAt: `${month}-01`,
    });
    const grid = (await req('school.admin', 'GET', `/api/allowances?month=${month}`)).json();
    const rows = grid.rows
      .filter((r: { status: string }) => r.status === 'missing')
      .map((r: { teacherId: number }) => ({ teacherId: r.teacherId, amountYuan: 800 }));
    expect(rows).toHaveLength(missing);
    // One recorded (even below the minimum: recorded, the check's 低于标准, not this to-do) → one fewer.
    const one = await req('school.admin', 'POST', '/api/allowances', { month, rows: [{ ...rows[0], amountYuan: 750 }] });
    expect(one.statusCode, one.body).toBe(200);
    expect(await count('school.admin', 'allowancesMissing')).toBe(missing - 1);
    if (rows.length > 1) expect((await req('school.admin', 'POST', '/api/allowances', { month, rows: rows.slice(1) })).statusCode).toBe(200);
    expect(await count('school.admin', 'allowancesMissing')).toBe(0);
    // Another school's admin counts its own school only.
    expect(await count('school2.admin', 'allowancesMissing')).toBe(0);
  });

  it('lastMonthInChina wraps the year', () => {
    expect(lastMonthInChina('2026-01-15')).toBe('2025-12');
    expect(lastMonthInChina('2026-10-01')).toBe('2026-09');
  });
});
