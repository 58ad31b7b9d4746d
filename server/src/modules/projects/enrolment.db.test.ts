import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { account, call, teacher, teacherAccount } from './projects.fixtures.js';

let t: TestApp;
let w: World;
const c: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) c[u] = await login(t.app, u, PASSWORD);
  c['school2.admin'] = (await account(t, 'schoolAdmin', w.school2)).cookie;
  c['school3.admin'] = (await account(t, 'schoolAdmin', w.school3)).cookie;
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => call(t, c[who] ?? who, method, url, payload);
const countyProject = (over: Record<string, unknown> = {}) => createOpenProject(t.app, [c['county.admin']], over);
const cityProject = (over: Record<string, unknown> = {}) => createOpenProject(t.app, [c.institution, c['city.admin']], { level: 'city', ...over });
const statusOf = async (projectId: number, teacherId: number) =>
  (await t.db.query<{ status: string }>('SELECT status FROM enrolments WHERE project_id = $1 AND teacher_id = $2', [projectId, teacherId])).rows[0]?.status ??
  null;
const titles = async (cookie: string) => (await call(t, cookie, 'GET', '/api/notifications')).json().items as { kind: string; title: string }[];

describe('quotas', () => {
  it('the organiser allocates quotas to orgs of the region; checks capacity, scope, duplicates and nesting', async () => {
    const p = await countyProject({ name: '名额分配项目', capacity: 10 });
    const outside = await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.school3, quota: 1 }] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().fields[0].field).toBe('items.0.orgId');
    const dup = await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, {
      items: [
        { orgId: w.school1, quota: 1 },
        { orgId: w.school1, quota: 2 },
      ],
    });
    expect(dup.statusCode).toBe(400);
    const over = await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, {
      items: [
        { orgId: w.school1, quota: 6 },
        { orgId: w.school2, quota: 5 },
      ],
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().message).toBe('名额合计 11 人，超过项目容量 10 人');
    const r = await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, {
      items: [
        { orgId: w.school1, quota: 2 },
        { orgId: w.school2, quota: 1 },
      ],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ canAllocate: true, allocated: 3 });
    expect(r.json().items.map((x: { orgName: string; quota: number; used: number }) => [x.orgName, x.quota, x.used])).toEqual([
      ['甲区第一小学', 2, 0],
      ['甲区第二中学', 1, 0],
    ]);
    // The school sees its own quota, not the others'.
    const mine = (await req('school.admin', 'GET', `/api/projects/${p.id}/quotas`)).json();
    expect(mine).toMatchObject({ canAllocate: false, mine: { orgName: '甲区第一小学', quota: 2, used: 0 } });
    expect(mine.items).toHaveLength(1);
    expect((await req('school3.admin', 'GET', `/api/projects/${p.id}/quotas`)).statusCode).toBe(404);
    expect((await req('school.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [] })).statusCode).toBe(404);
    const list = (await req('school.admin', 'GET', '/api/nominations/projects')).json().items;
    expect(list.find((x: { id: number }) => x.id === p.id)).toMatchObject({ quota: 2, used: 0 });
    expect((await titles(c['school.admin'])).some((n) => n.title === '「名额分配项目」已分配选派名额')).toBe(true);
  });

  it('a county splits its quota among its schools; nominations and splits count against it', async () => {
    const p = await cityProject({ name: '市级名额下分项目' });
    expect((await req('city.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.county1, quota: 3 }] })).statusCode).toBe(200);
    const nest = await req('city.admin', 'PUT', `/api/projects/${p.id}/quotas`, {
      items: [
        { orgId: w.county1, quota: 3 },
        { orgId: w.school1, quota: 1 },
      ],
    });
    expect(nest.statusCode).toBe(400);
    expect(nest.json().message).toBe('「甲区第一小学」是「甲区教育局」的下级，请由「甲区教育局」再分配');

    const tooMuch = await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas/sub`, { items: [{ orgId: w.school1, quota: 4 }] });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().message).toBe('分配合计 4 人，超过本单位名额 3 人');
    expect((await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas/sub`, { items: [{ orgId: w.school3, quota: 1 }] })).statusCode).toBe(400);
    const split = await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas/sub`, { items: [{ orgId: w.school1, quota: 2 }] });
    expect(split.statusCode).toBe(200);
    expect(split.json().mine).toMatchObject({ quota: 3, used: 2 });

    // The county nominates one directly: 2 (passed on) + 1 = 3 used; a second is over quota.
    const a = await teacher(t, w, w.school2);
    const b = await teacher(t, w, w.school2);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [a] })).json()).toEqual({ nominated: 1, quota: 3, used: 3 });
    const full = await req('county.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [b] });
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toBe('超出本单位名额：「甲区教育局」名额 3 人，已用 3 人，本次选派 1 人');
    // The city cannot take back what the county has used.
    const shrink = await req('city.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.county1, quota: 2 }] });
    expect(shrink.statusCode).toBe(409);
    expect(shrink.json().message).toBe('「甲区教育局」已使用 3 个名额，配额不能少于 3');
    // The school's quota came from the county: the city cannot allocate it directly.
    const steal = await req('city.admin', 'PUT', `/api/projects/${p.id}/quotas`, {
      items: [
        { orgId: w.county1, quota: 3 },
        { orgId: w.school3, quota: 1 },
      ],
    });
    expect(steal.statusCode).toBe(200);
    const all = (await req('city.admin', 'GET', `/api/projects/${p.id}/quotas`)).json().items;
    expect(all.map((x: { orgName: string; parentOrgId: number | null }) => [x.orgName, x.parentOrgId])).toEqual([
      ['甲区教育局', null],
      ['甲区第一小学', w.county1],
      ['乙县第一中学', null],
    ]);
  });
});

describe('nomination', () => {
  it('a school admin nominates within its quota: all or nothing, eligibility named, over quota refused', async () => {
    const p = await countyProject({ name: '小学语文骨干研修', audience: { stages: ['primary'], subjects: ['语文'] } });
    await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.school1, quota: 2 }] });
    const a = await teacher(t, w, w.school1, { name: '选派甲' });
    const b = await teacher(t, w, w.school1, { name: '选派乙' });
    const d = await teacher(t, w, w.school1, { name: '选派丁' });
    const maths = await teacher(t, w, w.school1, { name: '数学老师', subjects: ['数学'] });
    const other = await teacher(t, w, w.school2);

    const bad = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [a, maths, other] });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().message).toBe('数学老师（甲区第一小学）不符合报名条件（任教学科）：本项目面向语文教师，该教师任教数学；所选教师不存在或不在本单位范围内');
    expect(bad.json().fields.map((f: { field: string }) => f.field)).toEqual(['teacherIds.1', 'teacherIds.2']);
    expect(await statusOf(p.id, a)).toBeNull();

    const okr = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [a, b] });
    expect(okr.json()).toEqual({ nominated: 2, quota: 2, used: 2 });
    expect(await statusOf(p.id, a)).toBe('approved');
    const again = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [a] });
    expect(again.json().message).toBe('选派甲（甲区第一小学）已报名该项目');
    const over = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [d] });
    expect(over.statusCode).toBe(409);
    expect(over.json().message).toBe('超出本单位名额：「甲区第一小学」名额 2 人，已用 2 人，本次选派 1 人');
    // A school without a quota cannot see the project.
    expect((await req('school2.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [other] })).statusCode).toBe(404);

    const list = (await req('county.admin', 'GET', `/api/projects/${p.id}/enrolments`)).json();
    expect(list.items.map((x: { name: string; source: string; quotaOrgName: string }) => [x.name, x.source, x.quotaOrgName]).sort()).toEqual([
      ['选派乙', 'nomination', '甲区第一小学'],
      ['选派甲', 'nomination', '甲区第一小学'],
    ]);
  });

  it('the organiser enrolling directly gets eligibility problems per teacher', async () => {
    const p = await countyProject({ name: '初中班主任项目', audience: { stages: ['junior'], roles: ['homeroom'] } });
    const ok = await teacher(t, w, w.school2, { stage: 'junior', roles: [{ role: 'homeroom', since: '2021-09-01' }] });
    const primary = await teacher(t, w, w.school1);
    const notHomeroom = await teacher(t, w, w.school2, { stage: 'junior' });
    const r = (await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [ok, primary, notHomeroom] })).json();
    expect(r.added).toBe(1);
    // Every message names the teacher and school (issue 11 item 3), never an id.
    expect(r.rejected).toEqual([
      {
        teacherId: primary,
        name: expect.any(String),
        message: expect.stringMatching(/^.+（甲区第一小学）不符合报名条件（学段）：本项目面向初中，该教师学段为小学$/),
      },
      {
        teacherId: notHomeroom,
        name: expect.any(String),
        message: expect.stringMatching(/^.+（甲区第二中学）不符合报名条件（岗位）：本项目面向班主任，该教师不担任上述岗位$/),
      },
    ]);
    expect(r.rejected[0].message.startsWith(r.rejected[0].name)).toBe(true);
  });

  it("shows each candidate's load this year and flags teachers sent again and again", async () => {
    const admin2 = c['school2.admin'];
    const busy = await teacher(t, w, w.school2, { name: '常参训老师', stage: 'junior' });
    for (let i = 0; i < 5; i++) await teacher(t, w, w.school2, { stage: 'junior' });
    for (let i = 0; i < 3; i++) {
      const q = await countyProject({ name: `负担项目${i}`, startDate: '2026-03-01', endDate: '2026-06-30' });
      await req('county.admin', 'POST', `/api/projects/${q.id}/sessions`, {
        title: '第一天',
        date: `2026-04-0${i + 1}`,
        startTime: '09:00',
        endTime: '17:00',
        place: '报告厅',
        hours: 6,
        category: 'ethics',
      });
      await req('county.admin', 'POST', `/api/projects/${q.id}/sessions`, {
        title: '第二天',
        date: `2026-05-0${i + 1}`,
        startTime: '09:00',
        endTime: '17:00',
        place: '报告厅',
        hours: 6,
        category: 'subject',
      });
      await req('county.admin', 'POST', `/api/projects/${q.id}/enrolments`, { teacherIds: [busy] });
    }
    const p = await countyProject({ name: '负担测试新项目' });
    await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.school2, quota: 3 }] });
    const r = await call(t, admin2, 'GET', `/api/projects/${p.id}/nomination/candidates?year=2026`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.quota).toMatchObject({ quota: 3, used: 0 });
    const me = body.items.find((x: { teacherId: number }) => x.teacherId === busy);
    expect(me.load).toEqual({ projects: 3, days: 6, schoolMedian: 0 });
    expect(me.warning).toMatch(/^本年度已参训 3 次/);
    expect(body.items.filter((x: { warning: string | null }) => x.warning)).toHaveLength(1);
    expect(body.items.every((x: { orgName: string }) => x.orgName === '甲区第二中学')).toBe(true);
    // Another year: no load.
    const y = (await call(t, admin2, 'GET', `/api/projects/${p.id}/nomination/candidates?year=2025`)).json();
    expect(y.items.find((x: { teacherId: number }) => x.teacherId === busy).load.projects).toBe(0);
    const named = (await call(t, admin2, 'GET', `/api/projects/${p.id}/nomination/candidates?year=2026&q=${encodeURIComponent('常参训')}`)).json();
    expect(named.items).toHaveLength(1);
    expect(named.items[0].load.schoolMedian).toBe(0);
  });
});

describe('self-enrolment (自主选学)', () => {
  it('a teacher applies, the school admin approves or rejects; the teacher is told', async () => {
    const p = await countyProject({
      name: '自主选学：信息技术应用',
      selfEnrol: true,
      capacity: 3,
      plan: [
        { title: '师德', hours: 2, category: 'ethics' },
        { title: '信息技术', hours: 6, category: 'it' },
      ],
    });
    const me = await teacherAccount(t, w, w.school1, { name: '自选甲' });
    const list = (await call(t, me.cookie, 'GET', '/api/my/enrollable')).json().items;
    expect(list.find((x: { id: number }) => x.id === p.id)).toMatchObject({ canApply: true, myStatus: null, eligibility: null, seatsLeft: 3 });

    const r = await call(t, me.cookie, 'POST', `/api/projects/${p.id}/self-enrol`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'pending', statusLabel: '待审核' });
    expect((await call(t, me.cookie, 'POST', `/api/projects/${p.id}/self-enrol`)).json().message).toBe('您的报名正在审核中');
    expect((await titles(c['school.admin'])).some((n) => n.kind === 'approval' && n.title === '待审核：自选甲报名「自主选学：信息技术应用」')).toBe(true);
    const pending = (await req('school.admin', 'GET', '/api/enrolment-requests')).json().items;
    expect(pending.find((x: { teacherId: number }) => x.teacherId === me.teacherId)).toMatchObject({ projectId: p.id, teacherName: '自选甲' });
    // Not enrolled yet: no check-in, not in "my projects".
    expect((await call(t, me.cookie, 'GET', '/api/my/projects')).json().some((x: { id: number }) => x.id === p.id)).toBe(false);

    // Only the teacher's own school (or a bureau above) decides.
    expect((await req('school2.admin', 'POST', `/api/projects/${p.id}/enrolments/${me.teacherId}/approve`, {})).statusCode).toBe(404);
    expect((await req('institution', 'POST', `/api/projects/${p.id}/enrolments/${me.teacherId}/approve`, {})).statusCode).toBe(403);
    const approved = await req('school.admin', 'POST', `/api/projects/${p.id}/enrolments/${me.teacherId}/approve`, {});
    expect(approved.json()).toMatchObject({ status: 'approved', statusLabel: '已报名' });
    const twice = await req('school.admin', 'POST', `/api/projects/${p.id}/enrolments/${me.teacherId}/approve`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('当前状态「已报名」不能执行「审核通过」');
    expect((await titles(me.cookie)).some((n) => n.kind === 'enrolment' && n.title === '您报名的「自主选学：信息技术应用」已通过审核')).toBe(true);
    expect((await call(t, me.cookie, 'GET', '/api/my/projects')).json().some((x: { id: number }) => x.id === p.id)).toBe(true);

    // Reject needs a reason; the teacher may apply again; withdraw while pending.
    const other = await teacherAccount(t, w, w.school1, { name: '自选乙' });
    await call(t, other.cookie, 'POST', `/api/projects/${p.id}/self-enrol`);
    expect((await req('school.admin', 'POST', `/api/projects/${p.id}/enrolments/${other.teacherId}/reject`, {})).statusCode).toBe(400);
    expect(
      (await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments/${other.teacherId}/reject`, { comment: '本学期教学任务重' })).json().status,
    ).toBe('rejected');
    expect((await titles(other.cookie)).some((n) => n.title === '您报名的「自主选学：信息技术应用」未通过审核')).toBe(true);
    expect((await call(t, other.cookie, 'GET', '/api/my/enrollable')).json().items.find((x: { id: number }) => x.id === p.id)).toMatchObject({
      myStatus: 'rejected',
      canApply: true,
    });
    expect((await call(t, other.cookie, 'POST', `/api/projects/${p.id}/self-enrol`)).json().status).toBe('pending');
    expect((await call(t, other.cookie, 'POST', `/api/projects/${p.id}/self-enrol/withdraw`, {})).statusCode).toBe(200);
    expect(await statusOf(p.id, other.teacherId)).toBe('withdrawn');
    const log = (await req('county.admin', 'GET', `/api/projects/${p.id}/enrolment-history`)).json();
    expect(
      log
        .filter((x: { teacherId: number }) => x.teacherId === other.teacherId)
        .map((x: { action: string; to: string }) => [x.action, x.to])
        .reverse(),
    ).toEqual([
      ['apply', 'pending'],
      ['reject', 'rejected'],
      ['reapply', 'pending'],
      ['withdraw', 'withdrawn'],
    ]);
  });

  it('refuses projects not open for self-selection, ineligible teachers and full projects', async () => {
    const closed = await countyProject({ name: '统一选派项目', selfEnrol: false });
    const me = await teacherAccount(t, w, w.school1);
    const r1 = await call(t, me.cookie, 'POST', `/api/projects/${closed.id}/self-enrol`);
    expect(r1.statusCode).toBe(409);
    expect(r1.json().message).toBe('该项目不接受自主报名，由学校统一选派');

    const senior = await countyProject({ name: '高中教师自选项目', selfEnrol: true, audience: { stages: ['senior'] } });
    const r2 = await call(t, me.cookie, 'POST', `/api/projects/${senior.id}/self-enrol`);
    expect(r2.statusCode).toBe(409);
    expect(r2.json().message).toBe('不符合报名条件（学段）：本项目面向高中，该教师学段为小学');
    expect((await call(t, me.cookie, 'GET', '/api/my/enrollable')).json().items.find((x: { id: number }) => x.id === senior.id).eligibility).toBe(
      r2.json().message,
    );

    const tiny = await countyProject({ name: '一个名额的项目', selfEnrol: true, capacity: 1 });
    const first = await teacherAccount(t, w, w.school1);
    expect((await call(t, first.cookie, 'POST', `/api/projects/${tiny.id}/self-enrol`)).statusCode).toBe(200);
    const r3 = await call(t, me.cookie, 'POST', `/api/projects/${tiny.id}/self-enrol`);
    expect(r3.statusCode).toBe(409);
    expect(r3.json().message).toBe('项目名额已满：容量 1 人，已报名 1 人');

    // Teachers outside the project's region do not see it at all.
    const far = await teacherAccount(t, w, w.school3);
    expect((await call(t, far.cookie, 'POST', `/api/projects/${tiny.id}/self-enrol`)).statusCode).toBe(404);
    expect((await call(t, far.cookie, 'GET', '/api/my/enrollable')).json().items.some((x: { id: number }) => x.id === tiny.id)).toBe(false);
    expect((await req('school.admin', 'POST', `/api/projects/${tiny.id}/self-enrol`)).statusCode).toBe(403);
  });
});

describe('replacement', () => {
  it('replaces a nominated teacher with a reason; the seat passes on and both are logged', async () => {
    const p = await countyProject({ name: '替换测试项目', audience: { stages: ['primary'] } });
    await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.school1, quota: 1 }] });
    const a = await teacherAccount(t, w, w.school1, { name: '原学员' });
    const b = await teacherAccount(t, w, w.school1, { name: '替补学员' });
    const juniorTeacher = await teacher(t, w, w.school1, { stage: 'junior', name: '初中学段老师' });
    const elsewhere = await teacher(t, w, w.school2);
    await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [a.teacherId] });

    const url = `/api/projects/${p.id}/enrolments/${a.teacherId}/replace`;
    expect((await req('school.admin', 'POST', url, { newTeacherId: b.teacherId })).statusCode).toBe(400);
    const inelig = await req('school.admin', 'POST', url, { newTeacherId: juniorTeacher, reason: '原学员生病住院' });
    expect(inelig.statusCode).toBe(409);
    expect(inelig.json().message).toBe('初中学段老师（甲区第一小学）不符合报名条件（学段）：本项目面向小学，该教师学段为初中');
    expect((await req('school.admin', 'POST', url, { newTeacherId: elsewhere, reason: '原学员生病住院' })).statusCode).toBe(400);
    const r = await req('school.admin', 'POST', url, { newTeacherId: b.teacherId, reason: '原学员生病住院' });
    expect(r.statusCode).toBe(200);
    expect(await statusOf(p.id, a.teacherId)).toBe('replaced');
    expect(await statusOf(p.id, b.teacherId)).toBe('approved');
    expect((await req('school.admin', 'GET', `/api/projects/${p.id}/quotas`)).json().mine).toMatchObject({ quota: 1, used: 1 });
    const again = await req('school.admin', 'POST', url, { newTeacherId: b.teacherId, reason: '再次替换' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('当前状态「已替换」不能执行「替换学员」');

    const log = (await req('school.admin', 'GET', `/api/projects/${p.id}/enrolment-history`)).json();
    expect(
      log
        .slice(0, 2)
        .map((x: { teacherName: string; action: string; reason: string; otherTeacherName: string }) => [x.teacherName, x.action, x.reason, x.otherTeacherName])
        .sort(),
    ).toEqual([
      ['原学员', 'replace', '原学员生病住院', '替补学员'],
      ['替补学员', 'replacement', '原学员生病住院', '原学员'],
    ]);
    expect((await titles(a.cookie)).some((n) => n.title === '您在「替换测试项目」的报名已由他人替换')).toBe(true);
    expect((await titles(b.cookie)).some((n) => n.title === '您已被选派参加「替换测试项目」（替换原学员）')).toBe(true);
    // The replaced teacher may be nominated again only if the quota allows.
    const back = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [a.teacherId] });
    expect(back.json().message).toMatch(/^超出本单位名额/);
  });
});
