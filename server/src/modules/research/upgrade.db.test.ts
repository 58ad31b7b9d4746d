import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../platform/china-time.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';

// 学历提升 / 资格证 plans (issue 13 item 5) through the routes, on both databases: the 科证不符 list with who has a
// plan, progress, completion asked by the teacher and approved by the school (or recorded by the school), the new
// education or credential recorded through the teacher facts from the date achieved.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const today = todayInChina();
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}-07-01`;
let mismatched: number;
let matched: number;

beforeAll(async () => {
  aw = await accountsWorld();
  for (const u of ['school.admin', 'county.admin', 'teacher']) c[u] = await aw.login(u);
  mismatched = await aw.teacher(aw.w.school1, { name: '科证不符老师', subjects: ['语文'], qualificationSubject: '数学', education: 'associate' });
  matched = await aw.teacher(aw.w.school1, { name: '科证相符老师', subjects: ['语文'], qualificationSubject: '语文' });
});
afterAll(async () => aw?.t.close());

const todoCount = async (who: string, kind: string) =>
  ((await call(who, 'GET', '/api/todo')).json().items as { kind: string; count: number }[]).find((i) => i.kind === kind)?.count;

const credential = async (teacherId: number, field: string) =>
  (
    await aw.t.db.query<{ value: unknown; valid_from: string }>(
      `SELECT value, valid_from::text AS valid_from FROM teacher_credentials
        WHERE teacher_id = $1 AND field = $2 AND superseded_at IS NULL AND valid_until IS NULL`,
      [teacherId, field],
    )
  ).rows;

describe('学历提升', () => {
  it('the teacher plans a degree, asks to confirm completion, the school approves: the education holds from the date achieved', async () => {
    const bad = await call('teacher', 'POST', '/api/upgrade-plans', { kind: 'qualification', expectedOn: nextYear });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([{ field: 'targetSubject', message: '请选择资格证学科' }]);
    const r = await call('teacher', 'POST', '/api/upgrade-plans', {
      kind: 'degree',
      targetEducation: 'bachelor',
      institution: '内蒙古师范大学',
      expectedOn: nextYear,
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    expect((await call('teacher', 'POST', `/api/upgrade-plans/${id}/progress`, { note: '已完成第一学年课程' })).statusCode).toBe(200);
    expect((await call('teacher', 'POST', `/api/upgrade-plans/${id}/approve`)).statusCode).toBe(403);
    expect((await call('school.admin', 'POST', `/api/upgrade-plans/${id}/approve`)).json().message).toBe('教师还没有申请确认完成');

    const achievedOn = daysAgo(20);
    expect((await call('teacher', 'POST', `/api/upgrade-plans/${id}/completion`, { achievedOn, note: '已取得本科毕业证' })).json()).toEqual({
      status: 'active',
      pending: true,
    });
    expect((await call('teacher', 'POST', `/api/upgrade-plans/${id}/completion`, { achievedOn })).statusCode).toBe(409);
    // 待办: the school has one completion request to answer.
    expect(await todoCount('school.admin', 'upgradeCompletions')).toBe(1);
    expect((await call('school.admin', 'GET', '/api/upgrade-plans')).json().find((p: { id: number }) => p.id === id)).toMatchObject({
      completionRequested: true,
    });
    const before = (await call('school.admin', 'GET', `/api/upgrade-plans/${id}`)).json();
    expect(before).toMatchObject({
      targetLabel: '提升至本科',
      statusLabel: '进行中',
      mayApprove: true,
      pendingCompletion: { education: 'bachelor', achievedOn },
    });
    expect((await call('school.admin', 'POST', `/api/upgrade-plans/${id}/approve`)).json()).toEqual({ status: 'completed' });
    expect(await todoCount('school.admin', 'upgradeCompletions')).toBe(0);
    expect(await credential(aw.w.teacherId, 'education')).toEqual([{ value: 'bachelor', valid_from: achievedOn }]);
    const t = (await aw.t.db.query<{ education: string }>('SELECT education FROM teachers WHERE id = $1', [aw.w.teacherId])).rows[0];
    expect(t.education).toBe('bachelor');
    expect((await call('school.admin', 'POST', `/api/upgrade-plans/${id}/approve`)).statusCode).toBe(409);
    const after = (await call('teacher', 'GET', `/api/upgrade-plans/${id}`)).json();
    expect(after.progress.map((p: { kindLabel: string }) => p.kindLabel)).toEqual(['进展', '申请确认完成', '已确认完成']);
  });

  it('the school sees its 科证不符 teachers and who has a plan; recording a matching certificate takes the teacher off the list', async () => {
    const list = async () => (await call('school.admin', 'GET', '/api/qualification-mismatch')).json();
    const first = await list();
    const names = first.teachers.map((x: { name: string }) => x.name);
    expect(names).toContain('科证不符老师');
    expect(names).not.toContain('科证相符老师');
    expect(first.teachers.find((x: { teacherId: number }) => x.teacherId === mismatched)).toMatchObject({ planId: null, qualificationSubject: '数学' });
    expect((await call('teacher', 'GET', '/api/qualification-mismatch')).statusCode).toBe(403);

    const id = (
      await call('school.admin', 'POST', '/api/upgrade-plans', { teacherId: mismatched, kind: 'qualification', targetSubject: '语文', expectedOn: nextYear })
    ).json().id;
    expect((await list()).teachers.find((x: { teacherId: number }) => x.teacherId === mismatched)).toMatchObject({
      planId: id,
      planKindLabel: '取得相符的教师资格证',
    });
    // Not the teacher's own plan.
    expect((await call('teacher', 'GET', `/api/upgrade-plans/${id}`)).statusCode).toBe(404);
    const achievedOn = daysAgo(5);
    expect((await call('school.admin', 'POST', `/api/upgrade-plans/${id}/completion`, { achievedOn, qualificationNo: '20261500000001' })).json()).toEqual({
      status: 'completed',
      pending: false,
    });
    expect(await credential(mismatched, 'qualification_subject')).toEqual([{ value: '语文', valid_from: achievedOn }]);
    expect(await credential(mismatched, 'qualification_no')).toEqual([{ value: '20261500000001', valid_from: achievedOn }]);
    expect((await list()).teachers.map((x: { teacherId: number }) => x.teacherId)).not.toContain(mismatched);
    expect(matched).toBeGreaterThan(0);
  });
});
