import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/harness.js';
import type { World } from '../../../../test/factories.js';
import { buildTeacher } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { account } from './projects.fixtures.js';
import { projectInput, sessionInput, projectsTestKit } from './projects.test-kit.js';

// Projects (proposal, scope, sessions), enrolment, and a teacher's own projects.

const kit = projectsTestKit();
const { req, newProject, newSession, enrol } = kit;
let t: TestApp;
let w: World;
beforeAll(() => {
  ({ t, w } = kit);
});

describe('projects', () => {
  it('creates a project owned by the caller org with a generated code', async () => {
    const r = await req('county.admin', 'POST', '/api/projects', projectInput());
    expect(r.statusCode).toBe(201);
    const p = r.json();
    expect(p.code).toMatch(/^P2026-\d{6}$/);
    expect(p).toMatchObject({
      orgId: w.county1,
      orgName: '甲区教育局',
      status: 'draft',
      sessionCount: 0,
      enrolledCount: 0,
      targetHours: 24,
      categories: ['ethics', 'homeroom'],
    });
  });

  it('rejects bad input with field errors in Chinese', async () => {
    const dates = await req('county.admin', 'POST', '/api/projects', projectInput({ startDate: '2026-06-01', endDate: '2026-05-01' }));
    expect(dates.statusCode).toBe(400);
    expect(dates.json().fields).toContainEqual({ field: 'endDate', message: '结束日期不能早于开始日期' });
    const bad = await req('county.admin', 'POST', '/api/projects', projectInput({ plan: [], capacity: 0, startDate: '2026-02-30' }));
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['plan', 'capacity', 'startDate']));
    const big = await req(
      'county.admin',
      'POST',
      '/api/projects',
      projectInput({
        plan: [
          { title: '师德', hours: 500, category: 'ethics' },
          { title: '学科', hours: 501, category: 'subject' },
        ],
      }),
    );
    expect(big.statusCode).toBe(400);
    expect(big.json().fields).toContainEqual({ field: 'plan', message: '培训方案总学时不能超过 1000' });
    expect((await req('county.admin', 'POST', '/api/projects', projectInput({ plan: [{ title: '未知', hours: 2, category: 'nonsense' }] }))).statusCode).toBe(
      400,
    );
  });

  it('a suspended institution (资质暂停) can neither create nor submit a project', async () => {
    const inst2 = (await insertOrg(t.db, { code: 'T-INST-SUSP', name: '暂停测试培训中心', level: 'city', kind: 'institution', parentId: w.city })).id;
    const staff = (await account(t, 'institution', inst2)).cookie;
    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: projectInput({ name: '暂停前的草稿', level: 'city' }),
      headers: { cookie: staff },
    });
    expect(draft.statusCode).toBe(201);
    const status = (s: string, reason: string) => req('city.admin', 'POST', `/api/evaluations/institutions/${inst2}/status`, { status: s, reason });
    expect((await status('suspended', '督导发现虚报学时，暂停资质')).statusCode).toBe(200);

    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects WHERE org_id = $1', [inst2])).rows[0].n;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: projectInput({ name: '暂停后的申报', level: 'city' }),
      headers: { cookie: staff },
    });
    expect(created.statusCode).toBe(409);
    expect(created.json().message).toBe('「暂停测试培训中心」的培训资质已暂停，不能申报新的培训项目（原因：督导发现虚报学时，暂停资质）');
    expect(await count()).toBe(1);
    const submit = await t.app.inject({ method: 'POST', url: `/api/projects/${draft.json().id}/actions/submit`, payload: {}, headers: { cookie: staff } });
    expect(submit.statusCode).toBe(409);
    expect(submit.json().message).toContain('培训资质已暂停');
    expect((await req('city.admin', 'GET', `/api/projects/${draft.json().id}`)).json().status).toBe('draft');

    // Re-admitted: both work again.
    expect((await status('admitted', '整改完成，恢复准入')).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/projects/${draft.json().id}/actions/submit`, payload: {}, headers: { cookie: staff } })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/projects', payload: projectInput({ name: '恢复后的申报', level: 'city' }), headers: { cookie: staff } }))
        .statusCode,
    ).toBe(201);
  });

  it('teachers cannot create or list projects', async () => {
    expect((await req('teacher', 'POST', '/api/projects', projectInput())).statusCode).toBe(403);
    expect((await req('teacher', 'GET', '/api/projects')).statusCode).toBe(403);
  });

  it('scopes projects to the owner org subtree', async () => {
    const county = await newProject('county.admin', { name: '甲区项目-可见性' });
    const inst = await newProject('institution', { name: '学院项目-可见性' });
    expect((await req('school.admin', 'GET', `/api/projects/${county.id}`)).statusCode).toBe(404);
    expect((await req('county.admin', 'GET', `/api/projects/${inst.id}`)).statusCode).toBe(404);
    expect((await req('city.admin', 'GET', `/api/projects/${county.id}`)).statusCode).toBe(200);
    expect((await req('city.admin', 'GET', `/api/projects/${inst.id}`)).statusCode).toBe(200);
    const names = (await req('county.admin', 'GET', '/api/projects?q=可见性')).json().items.map((p: { name: string }) => p.name);
    expect(names).toEqual(['甲区项目-可见性']);
    const city = (await req('city.admin', 'GET', '/api/projects?q=可见性&year=2026&status=open')).json();
    expect(city.total).toBe(2);
    expect((await req('city.admin', 'GET', '/api/projects?q=可见性&year=2024')).json().total).toBe(0);
  });

  it('adds sessions within the project dates and validates times', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    expect(s).toMatchObject({
      projectId: p.id,
      title: '师德专题讲座',
      date: '2026-03-10',
      hours: 3,
      category: 'ethics',
      checkinOpen: false,
      attendedCount: 0,
      enrolledCount: 0,
      attendanceRate: 0,
    });
    const times = await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, sessionInput({ startTime: '10:00', endTime: '09:00' }));
    expect(times.statusCode).toBe(400);
    expect(times.json().fields).toContainEqual({ field: 'endTime', message: '结束时间应晚于开始时间' });
    const outside = await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, sessionInput({ date: '2026-07-01' }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().fields[0].field).toBe('date');
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, sessionInput({ hours: 13 }))).statusCode).toBe(400);
    expect((await req('school.admin', 'POST', `/api/projects/${p.id}/sessions`, sessionInput())).statusCode).toBe(404);
    const detail = (await req('county.admin', 'GET', `/api/projects/${p.id}`)).json();
    expect(detail.sessionCount).toBe(1);
    expect(detail.sessions.map((x: { id: number }) => x.id)).toEqual([s.id]);
  });
});

describe('enrolment', () => {
  it('enrols teachers in scope and rejects others as not found', async () => {
    const p = await newProject('school.admin', { level: 'school', form: 'schoolBased' });
    const own = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    const other = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3));
    const r = await enrol(p.id, [own, other, 999999, own], 'school.admin');
    expect(r).toEqual({
      added: 1,
      alreadyEnrolled: 0,
      rejected: [
        { teacherId: other, name: null, message: '所选教师不存在或不在本单位范围内' },
        { teacherId: 999999, name: null, message: '所选教师不存在或不在本单位范围内' },
      ],
    });
    expect(await enrol(p.id, [own], 'school.admin')).toMatchObject({ added: 0, alreadyEnrolled: 1 });
    const list = (await req('school.admin', 'GET', `/api/projects/${p.id}/enrolments`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ teacherId: own, orgName: '甲区第一小学', attendedSessions: 0, totalSessions: 0 });
    expect(list.items[0].nationalIdMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect((await req('school.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [] })).statusCode).toBe(400);
  });

  it('an institution enrols teachers of the region it serves', async () => {
    const p = await newProject('institution', { level: 'city' });
    const far = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3));
    expect(await enrol(p.id, [far], 'institution')).toMatchObject({ added: 1, rejected: [] });
  });

  it('withdraws an enrolment only while the teacher has no attendance', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    const a = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    const b = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2));
    await enrol(p.id, [a, b]);
    expect((await req('county.admin', 'PUT', `/api/sessions/${s.id}/attendance/${a}`, { present: true })).statusCode).toBe(200);
    const refused = await req('county.admin', 'DELETE', `/api/projects/${p.id}/enrolments/${a}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('签到记录');
    expect((await req('county.admin', 'DELETE', `/api/projects/${p.id}/enrolments/${b}`)).statusCode).toBe(204);
    const twice = await req('county.admin', 'DELETE', `/api/projects/${p.id}/enrolments/${b}`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('当前状态「已撤销」不能执行「撤销报名」');
    expect((await req('county.admin', 'DELETE', `/api/projects/${p.id}/enrolments/999999`)).statusCode).toBe(404);
  });
});

describe('my projects', () => {
  it('a teacher sees enrolled projects with sessions and their own attendance', async () => {
    const p = await newProject('county.admin', { name: '我的项目测试' });
    const s1 = await newSession(p.id, 'county.admin', { title: '上午', date: '2026-03-10' });
    await newSession(p.id, 'county.admin', { title: '下午', date: '2026-03-11', hours: 2 });
    await enrol(p.id, [w.teacherId]);
    await req('county.admin', 'PUT', `/api/sessions/${s1.id}/attendance/${w.teacherId}`, { present: true });
    const r = await req('teacher', 'GET', '/api/my/projects');
    expect(r.statusCode).toBe(200);
    const mine = r.json().find((x: { id: number }) => x.id === p.id);
    expect(mine).toMatchObject({ name: '我的项目测试', status: 'open', attendedSessions: 1, attendedHours: 3 });
    expect(mine.sessions.map((x: { title: string; attended: boolean }) => [x.title, x.attended])).toEqual([
      ['上午', true],
      ['下午', false],
    ]);
    expect(mine.sessions[0].attendedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await req('county.admin', 'GET', '/api/my/projects')).statusCode).toBe(403);
  });
});
