import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAll, type Cookies, type TestApp } from '../../../../test/harness.js';
import { seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { call, teacherAccount } from './projects.fixtures.js';

let t: TestApp;
let w: World;
let c: Cookies;

const countyProject = (over: Record<string, unknown> = {}) => createOpenProject(t.app, [c['county.admin']], over);

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  c = await loginAll(t.app);
});
afterAll(async () => t?.close());

describe('项目详情 a teacher reads before enrolling (issue 11 item 9)', () => {
  it('shows aims, content, sessions with place, hours, organiser, seats and deadline; then 报名 from it', async () => {
    const p = await countyProject({
      name: '自主选学：课堂教学数字化',
      selfEnrol: true,
      capacity: 30,
      aims: '掌握数字化教学工具，能设计一节混合式课堂。',
      startDate: '2099-03-01',
      endDate: '2099-06-30',
      enrolDeadline: '2099-02-20',
      plan: [
        { title: '师德专题', hours: 2, category: 'ethics' },
        { title: '数字化课堂设计', hours: 6, category: 'it' },
      ],
    });
    const s = await call(t, c['county.admin'], 'POST', `/api/projects/${p.id}/sessions`, {
      title: '第一讲 数字化课堂',
      date: '2099-03-10',
      startTime: '09:00',
      endTime: '11:30',
      place: '甲区教师进修学校 301 室',
      hours: 2.5,
      category: 'it',
    });
    expect(s.statusCode).toBe(201);
    const me = await teacherAccount(t, w, w.school1, { name: '读详情' });
    const r = await call(t, me.cookie, 'GET', `/api/my/enrollable/${p.id}`);
    expect(r.statusCode).toBe(200);
    const d = r.json();
    expect(d).toMatchObject({
      id: p.id,
      name: '自主选学：课堂教学数字化',
      aims: '掌握数字化教学工具，能设计一节混合式课堂。',
      enrolDeadline: '2099-02-20',
      orgName: '甲区教育局',
      targetHours: 8,
      categories: ['ethics', 'it'],
      seatsLeft: 30,
      canApply: true,
      enrolClosed: false,
      myStatus: null,
      places: ['甲区教师进修学校 301 室'],
    });
    expect(d.plan).toEqual([
      { title: '师德专题', hours: 2, category: 'ethics' },
      { title: '数字化课堂设计', hours: 6, category: 'it' },
    ]);
    expect(d.sessions).toEqual([
      expect.objectContaining({
        title: '第一讲 数字化课堂',
        date: '2099-03-10',
        startTime: '09:00',
        endTime: '11:30',
        hours: 2.5,
        place: '甲区教师进修学校 301 室',
      }),
    ]);

    expect((await call(t, me.cookie, 'POST', `/api/projects/${p.id}/self-enrol`)).statusCode).toBe(200);
    expect((await call(t, me.cookie, 'GET', `/api/my/enrollable/${p.id}`)).json()).toMatchObject({ myStatus: 'pending', canApply: false, canWithdraw: true });
  });

  it('after the deadline: 报名已截止, and applying is refused with the date', async () => {
    const p = await countyProject({ name: '已截止的自选项目', selfEnrol: true, enrolDeadline: '2020-01-01', startDate: '2019-12-01' });
    const me = await teacherAccount(t, w, w.school1, { name: '迟到者' });
    expect((await call(t, me.cookie, 'GET', `/api/my/enrollable/${p.id}`)).json()).toMatchObject({ enrolClosed: true, canApply: false });
    const r = await call(t, me.cookie, 'POST', `/api/projects/${p.id}/self-enrol`);
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('报名已于 2020-01-01 截止');
  });

  it('a deadline after the end date is a 400 on the proposal', async () => {
    const r = await call(t, c['county.admin'], 'POST', '/api/projects', {
      name: '截止日期有误的项目',
      level: 'county',
      form: 'inPerson',
      capacity: 10,
      budget: 0,
      plan: [{ title: '师德', hours: 2, category: 'ethics' }],
      startDate: '2026-03-01',
      endDate: '2026-03-31',
      enrolDeadline: '2026-04-30',
    });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json())).toContain('报名截止日期不能晚于结束日期');
  });

  it('only projects the teacher may enrol in or is enrolled in: others are 404', async () => {
    const assigned = await countyProject({ name: '统一选派项目', selfEnrol: false });
    const me = await teacherAccount(t, w, w.school1, { name: '被选派' });
    expect((await call(t, me.cookie, 'GET', `/api/my/enrollable/${assigned.id}`)).statusCode).toBe(404);
    const enrol = await call(t, c['county.admin'], 'POST', `/api/projects/${assigned.id}/enrolments`, { teacherIds: [me.teacherId] });
    expect(enrol.statusCode).toBeLessThan(300);
    const d = await call(t, me.cookie, 'GET', `/api/my/enrollable/${assigned.id}`);
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ myStatus: 'approved', assigned: true, canApply: false, canWithdraw: false });
    // A teacher of another county does not see 甲区's self-selection projects.
    const far = await teacherAccount(t, w, w.school3, { name: '乙县教师', stage: 'senior' });
    const open = await countyProject({ name: '甲区自选项目', selfEnrol: true });
    expect((await call(t, far.cookie, 'GET', `/api/my/enrollable/${open.id}`)).statusCode).toBe(404);
    // Not a teacher: 403.
    expect((await call(t, c['school.admin'], 'GET', `/api/my/enrollable/${open.id}`)).statusCode).toBe(403);
  });
});
