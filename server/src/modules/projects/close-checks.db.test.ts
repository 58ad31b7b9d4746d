import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { call, teacherAccount } from './projects.fixtures.js';
import { todayInChina } from '../../platform/china-time.js';

// Issue 11 item 5: closing a project (提交学时认定) warns about hours delivered vs planned, attendance below
// the threshold, sessions not yet held and a planned end still ahead; the organiser must confirm them. The
// certificate states the period that was really held.

let t: TestApp;
let w: World;
let county: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  county = await login(t.app, 'county.admin', PASSWORD);
});
afterAll(async () => t?.close());

const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const act = (id: number, action: string, payload: object = {}) => call(t, county, 'POST', `/api/projects/${id}/actions/${action}`, payload);

/** A 12-hour county project (plan 6 + 6) running from 10 days ago to 60 days ahead; sessions as given. */
async function project(name: string, sessions: { date: string; hours: number }[]) {
  const p = await createOpenProject(t.app, [county], {
    name,
    startDate: day(-10),
    endDate: day(60),
    plan: [
      { title: '师德专题讲座', hours: 6, category: 'ethics' },
      { title: '班级管理实务', hours: 6, category: 'homeroom' },
    ],
  });
  const ids: number[] = [];
  for (const [i, s] of sessions.entries()) {
    const r = await call(t, county, 'POST', `/api/projects/${p.id}/sessions`, {
      title: `第${i + 1}讲`,
      date: s.date,
      startTime: '09:00',
      endTime: '11:00',
      place: '报告厅',
      hours: s.hours,
      category: 'ethics',
    });
    expect(r.statusCode, r.body).toBe(201);
    ids.push(r.json().id);
  }
  return { id: p.id, sessions: ids };
}

describe('closing a project: warnings first', () => {
  it('a 12-hour project closed after 3 hours with 50 % attendance: 409 with every warning, then closed on confirmation', async () => {
    const p = await project('提前结项的项目', [
      { date: day(-2), hours: 3 },
      { date: day(5), hours: 3 },
      { date: day(12), hours: 6 },
    ]);
    const a = await teacherAccount(t, w, w.school1);
    const b = await teacherAccount(t, w, w.school1);
    expect((await call(t, county, 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [a.teacherId, b.teacherId] })).statusCode).toBeLessThan(300);
    await call(t, county, 'PUT', `/api/sessions/${p.sessions[0]}/attendance/${a.teacherId}`, { present: true });

    // The preview shows the warnings before anyone clicks.
    const preview = (await call(t, county, 'GET', `/api/projects/${p.id}/recognition`)).json();
    expect(preview.warnings.map((x: { kind: string }) => x.kind)).toEqual(['hours', 'attendance', 'futureSessions', 'endDate']);

    const refused = await act(p.id, 'submitRecognition');
    expect(refused.statusCode).toBe(409);
    const body = refused.json();
    expect(body.message).toMatch(/^结项前请确认：/);
    expect(body.fields).toEqual([
      { field: 'warnings.hours', message: '已举行的 1 个场次共 3 学时，少于计划的 12 学时' },
      { field: 'warnings.attendance', message: '已举行场次的出勤率为 50%（1 / 2 人次），低于要求的 95%' },
      { field: 'warnings.futureSessions', message: `还有 2 个场次尚未举行（最近一场：${day(5)} 09:00「第2讲」）` },
      { field: 'warnings.endDate', message: `项目计划结束日期为 ${day(60)}，尚未到期` },
    ]);
    // Nothing happened: still running, check-in still possible.
    expect((await call(t, county, 'GET', `/api/projects/${p.id}`)).json().status).toBe('open');
    expect((await act(p.id, 'submitRecognition', { confirmWarnings: 'yes' })).statusCode).toBe(400);

    const done = await act(p.id, 'submitRecognition', { confirmWarnings: true });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().project.status).toBe('recognitionPending');
    // The confirmed warnings stay in the project's history.
    const h = (await call(t, county, 'GET', `/api/projects/${p.id}/history`)).json() as { action: string; detail: Record<string, unknown> }[];
    const sub = h.find((x) => x.action === 'submitRecognition');
    expect(sub?.detail.warningsConfirmed).toHaveLength(4);

    // The certificate states the period held (the one session two days ago), not the planned end 60 days ahead.
    expect((await act(p.id, 'confirmRecognition')).statusCode).toBe(200);
    const mine = (await call(t, a.cookie, 'GET', '/api/my/certificates')).json() as { projectId: number; startDate: string; endDate: string }[];
    const row = mine.find((x) => x.projectId === p.id);
    expect(row).toMatchObject({ startDate: day(-2), endDate: day(-2) });
  });

  it('a project held in full with everyone present closes without a warning', async () => {
    const p = await project('完整举行的项目', [
      { date: day(-3), hours: 6 },
      { date: day(-1), hours: 6 },
    ]);
    await t.db.query('UPDATE projects SET end_date = $2 WHERE id = $1', [p.id, day(-1)]);
    const a = await teacherAccount(t, w, w.school1);
    await call(t, county, 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [a.teacherId] });
    for (const s of p.sessions) await call(t, county, 'PUT', `/api/sessions/${s}/attendance/${a.teacherId}`, { present: true });
    expect((await call(t, county, 'GET', `/api/projects/${p.id}/recognition`)).json().warnings).toEqual([]);
    const r = await act(p.id, 'submitRecognition');
    expect(r.statusCode, r.body).toBe(200);
  });

  it('a project with no session held yet warns that nothing can be recognised', async () => {
    const p = await project('尚未开课的项目', [{ date: day(3), hours: 12 }]);
    const r = await act(p.id, 'submitRecognition');
    expect(r.statusCode).toBe(409);
    expect(r.json().fields.map((f: { field: string }) => f.field)).toEqual(['warnings.noSessions', 'warnings.futureSessions', 'warnings.endDate']);
  });
});
