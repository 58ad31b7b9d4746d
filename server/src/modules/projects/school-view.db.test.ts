import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { account, call, teacher } from './projects.fixtures.js';

// Issue 11 item 8: a school reads the projects its teachers attend (read-only): the project, its sessions and
// its OWN teachers' enrolments and attendance — never another school's teachers, and nothing it can change.

let t: TestApp;
let w: World;
const c: Record<string, string> = {};
let projectId: number;
let sessionId: number;
let own: number;
let other: number;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin']) c[u] = await login(t.app, u, PASSWORD);
  c['school2.admin'] = (await account(t, 'schoolAdmin', w.school2)).cookie;
  c['school3.admin'] = (await account(t, 'schoolAdmin', w.school3)).cookie;

  // A county project (甲区) with a teacher of 第一小学 (school.admin's) and one of 第二中学, both present at a session.
  const p = await createOpenProject(t.app, [c['county.admin']], { name: '学校可见的区级培训' });
  projectId = p.id;
  const s = await req('county.admin', 'POST', `/api/projects/${projectId}/sessions`, {
    title: '师德专题讲座',
    date: '2026-03-10',
    startTime: '09:00',
    endTime: '11:30',
    place: '区教师发展中心',
    hours: 2.5,
    category: 'ethics',
  });
  expect(s.statusCode, s.body).toBe(201);
  sessionId = s.json().id;
  own = await teacher(t, w, w.school1, { name: '本校学员' });
  other = await teacher(t, w, w.school2, { name: '外校学员' });
  const e = await req('county.admin', 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: [own, other] });
  expect(e.statusCode, e.body).toBe(200);
  for (const id of [own, other]) {
    const m = await req('county.admin', 'PUT', `/api/sessions/${sessionId}/attendance/${id}`, { present: true });
    expect(m.statusCode, m.body).toBe(200);
  }
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => call(t, c[who] ?? who, method, url, payload);

describe('a school reads the projects its teachers attend', () => {
  it('lists the project and opens it read-only, counting its own teachers only', async () => {
    const list = await req('school.admin', 'GET', '/api/projects?page=1&pageSize=50');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((x: { id: number }) => x.id)).toContain(projectId);

    const r = await req('school.admin', 'GET', `/api/projects/${projectId}`);
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p).toMatchObject({ name: '学校可见的区级培训', viewOnly: true, allowedActions: [], canEdit: false, enrolledCount: 1 });
    expect(p.sessions).toHaveLength(1);
    expect(p.sessions[0]).toMatchObject({ id: sessionId, enrolledCount: 1, attendedCount: 1 });

    // The organiser still sees everybody.
    const org = (await req('county.admin', 'GET', `/api/projects/${projectId}`)).json();
    expect(org).toMatchObject({ viewOnly: false, enrolledCount: 2 });
    expect(org.sessions[0]).toMatchObject({ enrolledCount: 2, attendedCount: 2 });
  });

  it("shows its own teachers' enrolments and attendance, not another school's", async () => {
    const enr = await req('school.admin', 'GET', `/api/projects/${projectId}/enrolments?status=approved&page=1&pageSize=50`);
    expect(enr.statusCode, enr.body).toBe(200);
    expect(enr.json().items.map((x: { name: string }) => x.name)).toEqual(['本校学员']);
    expect(enr.json().total).toBe(1);

    const att = await req('school.admin', 'GET', `/api/sessions/${sessionId}/attendance`);
    expect(att.statusCode, att.body).toBe(200);
    expect(att.json().items.map((x: { name: string; present: boolean }) => [x.name, x.present])).toEqual([['本校学员', true]]);
    expect(att.json().session).toMatchObject({ enrolledCount: 1, attendedCount: 1 });

    // 第二中学 sees its own teacher only.
    const att2 = await req('school2.admin', 'GET', `/api/sessions/${sessionId}/attendance`);
    expect(att2.json().items.map((x: { name: string }) => x.name)).toEqual(['外校学员']);
  });

  it('a school none of whose teachers attend gets 404, as before', async () => {
    expect((await req('school3.admin', 'GET', `/api/projects/${projectId}`)).statusCode).toBe(404);
    expect((await req('school3.admin', 'GET', `/api/sessions/${sessionId}/attendance`)).statusCode).toBe(404);
    expect((await req('school3.admin', 'GET', `/api/projects/${projectId}/enrolments?status=approved&page=1&pageSize=50`)).statusCode).toBe(404);
    const list = (await req('school3.admin', 'GET', '/api/projects?page=1&pageSize=50')).json();
    expect(list.items.map((x: { id: number }) => x.id)).not.toContain(projectId);
  });

  it('changes nothing: no attendance marks, sessions, enrolments or transitions', async () => {
    const mark = await req('school.admin', 'PUT', `/api/sessions/${sessionId}/attendance/${own}`, { present: false });
    expect(mark.statusCode).toBe(404);
    const session = await req('school.admin', 'POST', `/api/projects/${projectId}/sessions`, {
      title: '加一场',
      date: '2026-03-12',
      startTime: '09:00',
      endTime: '10:00',
      place: '学校',
      hours: 1,
      category: 'ethics',
    });
    expect(session.statusCode).toBe(404);
    expect((await req('school.admin', 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: [own] })).statusCode).toBe(404);
    expect((await req('school.admin', 'DELETE', `/api/projects/${projectId}/enrolments/${own}`)).statusCode).toBe(404);
    expect((await req('school.admin', 'POST', `/api/projects/${projectId}/actions/start`, {})).statusCode).toBe(404);
    expect((await req('school.admin', 'POST', `/api/sessions/${sessionId}/checkin/open`)).statusCode).toBe(404);
    // The organiser's view is unchanged: both still present.
    const att = (await req('county.admin', 'GET', `/api/sessions/${sessionId}/attendance`)).json();
    expect(att.items.filter((x: { present: boolean }) => x.present)).toHaveLength(2);
  });
});
