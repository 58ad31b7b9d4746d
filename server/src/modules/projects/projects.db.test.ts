import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import type { CurrentUser } from '../../platform/access.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';
import { checkIn } from './attendance.service.js';
import { issueCheckinToken } from './checkin-token.js';
import { createOpenProject, proposal } from '../../../../test/projects.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { account } from './projects.fixtures.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
let teacherHash: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
  teacherHash = await hashPassword(PASSWORD);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] ?? who } });

const projectInput = proposal;
/** Who must act to open a project proposed by `who` (the proposer, then the approving bureau). */
const approversOf: Record<string, string[]> = {
  'county.admin': ['county.admin'],
  'school.admin': ['school.admin', 'county.admin'],
  institution: ['institution', 'city.admin'],
  'city.admin': ['city.admin'],
};
const sessionInput = (over: Record<string, unknown> = {}) => ({
  title: '师德专题讲座',
  date: '2026-03-10',
  startTime: '09:00',
  endTime: '11:30',
  place: '县教师发展中心报告厅',
  hours: 3,
  category: 'ethics',
  ...over,
});

interface TeacherAccount {
  teacherId: number;
  user: CurrentUser;
  cookie: string;
}
let accSeq = 0;
/** A teacher in the school plus a logged-in account (session created directly: no password hashing per teacher). */
async function teacherAccount(schoolId: number): Promise<TeacherAccount> {
  const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(schoolId));
  const username = `t.acc${++accSeq}`;
  const userId = await insertUser(t.db, { username, passwordHash: teacherHash, displayName: username, role: 'teacher', orgId: schoolId, teacherId });
  const s = await createSession(t.db, userId);
  const path = (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [schoolId])).rows[0].path;
  const user: CurrentUser = {
    id: userId,
    username,
    displayName: username,
    role: 'teacher',
    orgId: schoolId,
    orgPath: path,
    orgName: '',
    orgLevel: 'school',
    teacherId,
    scopePath: path,
    roleId: 0,
    mustChangePassword: false,
  };
  return { teacherId, user, cookie: `qs_session=${s.token}` };
}

/** A project opened through the approval path (status 'open'). */
async function newProject(who = 'county.admin', over: Record<string, unknown> = {}) {
  const level: Record<string, string> = { institution: 'city', 'school.admin': 'school', 'city.admin': 'city', 'county.admin': 'county' };
  return createOpenProject(
    t.app,
    approversOf[who].map((u) => cookies[u]),
    { level: level[who], ...over },
  );
}
async function newSession(projectId: number, who = 'county.admin', over: Record<string, unknown> = {}) {
  const r = await req(who, 'POST', `/api/projects/${projectId}/sessions`, sessionInput(over));
  expect(r.statusCode).toBe(201);
  return r.json() as { id: number; hours: number };
}
async function enrol(projectId: number, ids: number[], who = 'county.admin') {
  const r = await req(who, 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: ids });
  expect(r.statusCode).toBe(200);
  return r.json();
}
const attendanceRows = async (sessionId: number) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance WHERE session_id = $1', [sessionId])).rows[0].n;

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

describe('QR check-in', () => {
  it('issues a rotating token only while check-in is open, to the organiser only', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    const early = await req('county.admin', 'GET', `/api/sessions/${s.id}/checkin/token`);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('签到未开启');
    expect((await req('teacher', 'POST', `/api/sessions/${s.id}/checkin/open`)).statusCode).toBe(403);
    expect((await req('school.admin', 'POST', `/api/sessions/${s.id}/checkin/open`)).statusCode).toBe(404);
    const opened = await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/open`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json().checkinOpen).toBe(true);
    const tok = (await req('county.admin', 'GET', `/api/sessions/${s.id}/checkin/token`)).json();
    expect(tok.periodSeconds).toBe(30);
    expect(tok.checkinUrl).toBe(`/m/checkin?t=${encodeURIComponent(tok.token)}`);
    expect(tok.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(Date.parse(tok.expiresAt) - Date.parse(tok.issuedAt)).toBe(30_000);
    const closed = await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/close`);
    expect(closed.json().checkinOpen).toBe(false);
    expect((await req('county.admin', 'GET', `/api/sessions/${s.id}/checkin/token`)).statusCode).toBe(409);
  });

  it('checks a teacher in once; repeats, strangers, replays and forgeries are refused', async () => {
    const p = await newProject('county.admin', { name: '签到测试项目' });
    const s = await newSession(p.id, 'county.admin', { title: '第一讲' });
    const me = await teacherAccount(w.school1);
    const stranger = await teacherAccount(w.school1);
    await enrol(p.id, [me.teacherId]);
    await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/open`);
    const { token } = (await req('county.admin', 'GET', `/api/sessions/${s.id}/checkin/token`)).json();

    const ok = await req(me.cookie, 'POST', '/api/checkin', { token });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, projectName: '签到测试项目', sessionTitle: '第一讲' });
    const again = await req(me.cookie, 'POST', '/api/checkin', { token });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('您已签到，无需重复签到');

    const notEnrolled = await req(stranger.cookie, 'POST', '/api/checkin', { token });
    expect(notEnrolled.statusCode).toBe(403);
    expect(notEnrolled.json().message).toBe('您未报名该培训项目，无法签到');

    const old = issueCheckinToken(t.ctx.checkinSigner, s.id, new Date(Date.now() - 10 * 60_000)).token;
    const replay = await req(stranger.cookie, 'POST', '/api/checkin', { token: old });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().message).toBe('二维码已过期，请在现场重新扫描');

    const forged = `${Buffer.from(`${s.id}.${Math.floor(Date.now() / 30_000)}`).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    const bad = await req(me.cookie, 'POST', '/api/checkin', { token: forged });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('二维码无效');

    expect((await req('county.admin', 'POST', '/api/checkin', { token })).statusCode).toBe(403);
    expect(await attendanceRows(s.id)).toBe(1);

    await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/close`);
    const late = await teacherAccount(w.school1);
    await enrol(p.id, [late.teacherId]);
    const shut = await req(late.cookie, 'POST', '/api/checkin', { token });
    expect(shut.statusCode).toBe(409);
    expect(shut.json().message).toBe('本场签到已结束');
  });

  it('accepts the current and previous period token and refuses one two periods old (injected clock)', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    const [a, b, c] = [await teacherAccount(w.school1), await teacherAccount(w.school1), await teacherAccount(w.school2)];
    await enrol(p.id, [a.teacherId, b.teacherId, c.teacherId]);
    await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/open`);
    const t0 = new Date('2026-03-10T01:00:05Z');
    const { token } = issueCheckinToken(t.ctx.checkinSigner, s.id, t0);
    await expect(checkIn(t.ctx, a.user, token, t0)).resolves.toMatchObject({ ok: true });
    await expect(checkIn(t.ctx, b.user, token, new Date(t0.getTime() + 30_000))).resolves.toMatchObject({ ok: true });
    await expect(checkIn(t.ctx, c.user, token, new Date(t0.getTime() + 60_000))).rejects.toMatchObject({
      status: 400,
      message: '二维码已过期，请在现场重新扫描',
    });
    expect(await attendanceRows(s.id)).toBe(2);
  });

  it('50 teachers checking in at once: exactly 50 rows', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    const accounts: TeacherAccount[] = [];
    for (let i = 0; i < 50; i++) accounts.push(await teacherAccount(i % 2 ? w.school1 : w.school2));
    await enrol(
      p.id,
      accounts.map((a) => a.teacherId),
    );
    await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/open`);
    const { token } = (await req('county.admin', 'GET', `/api/sessions/${s.id}/checkin/token`)).json();
    const rs = await Promise.all(accounts.map((a) => req(a.cookie, 'POST', '/api/checkin', { token })));
    // A scan right at a period boundary still passes: the previous period is accepted.
    expect(rs.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(await attendanceRows(s.id)).toBe(50);
    const att = (await req('county.admin', 'GET', `/api/sessions/${s.id}/attendance`)).json();
    expect(att.session).toMatchObject({ attendedCount: 50, enrolledCount: 50, attendanceRate: 1 });
    expect(att.items.every((x: { present: boolean; method: string }) => x.present && x.method === 'qr')).toBe(true);
  });

  it('one teacher scanning 50 times at once: one row, 49 "already checked in"', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    const me = await teacherAccount(w.school1);
    await enrol(p.id, [me.teacherId]);
    await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/open`);
    const { token } = (await req('county.admin', 'GET', `/api/sessions/${s.id}/checkin/token`)).json();
    const rs = await Promise.all(Array.from({ length: 50 }, () => req(me.cookie, 'POST', '/api/checkin', { token })));
    expect(rs.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const dup = rs.filter((r) => r.statusCode === 409);
    expect(dup).toHaveLength(49);
    expect(dup.every((r) => r.json().message.includes('已签到'))).toBe(true);
    expect(await attendanceRows(s.id)).toBe(1);
  });
});

describe('manual attendance', () => {
  it('the organiser marks and unmarks; everyone enrolled is listed', async () => {
    const p = await newProject();
    const s = await newSession(p.id);
    const a = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '手工甲' }));
    const b = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '手工乙' }));
    const outsider = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1));
    await enrol(p.id, [a, b]);
    const marked = await req('county.admin', 'PUT', `/api/sessions/${s.id}/attendance/${a}`, { present: true });
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toMatchObject({ teacherId: a, present: true, method: 'manual' });
    const list = (await req('county.admin', 'GET', `/api/sessions/${s.id}/attendance`)).json();
    expect(list.items).toHaveLength(2);
    expect(Object.fromEntries(list.items.map((x: { name: string; present: boolean }) => [x.name, x.present]))).toEqual({ 手工甲: true, 手工乙: false });
    expect(list.session.attendanceRate).toBe(0.5);
    const unmarked = await req('county.admin', 'PUT', `/api/sessions/${s.id}/attendance/${a}`, { present: false });
    expect(unmarked.json()).toMatchObject({ present: false, method: null, at: null });
    expect(await attendanceRows(s.id)).toBe(0);
    expect((await req('county.admin', 'PUT', `/api/sessions/${s.id}/attendance/${outsider}`, { present: true })).statusCode).toBe(404);
    expect((await req('school.admin', 'PUT', `/api/sessions/${s.id}/attendance/${a}`, { present: true })).statusCode).toBe(404);
    expect((await req('teacher', 'GET', `/api/sessions/${s.id}/attendance`)).statusCode).toBe(403);
  });
});

describe('hour recognition (submitted by the organiser, confirmed by the approver)', () => {
  async function projectWithAttendance(who = 'county.admin', name = '结项测试项目') {
    const p = await newProject(who, { name });
    const s1 = await newSession(p.id, who, { title: '第一讲', hours: 3, category: 'ethics', date: '2026-03-10' });
    const s2 = await newSession(p.id, who, { title: '第二讲', hours: 2.5, category: 'homeroom', date: '2026-04-10' });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1)));
    await enrol(p.id, ids, who);
    // s1: all four present; s2: the first two.
    for (const id of ids) expect((await req(who, 'PUT', `/api/sessions/${s1.id}/attendance/${id}`, { present: true })).statusCode).toBe(200);
    for (const id of ids.slice(0, 2)) await req(who, 'PUT', `/api/sessions/${s2.id}/attendance/${id}`, { present: true });
    return { p, s1, s2, ids };
  }
  const ledgerOf = async (projectId: number) =>
    (
      await t.db.query<{
        teacher_id: number;
        session_id: number;
        hours: number;
        category: string;
        occurred_on: string;
        description: string;
        dedupe_key: string;
      }>(
        'SELECT teacher_id, session_id, hours, category, occurred_on, description, dedupe_key FROM ledger_entries WHERE project_id = $1 ORDER BY session_id, teacher_id',
        [projectId],
      )
    ).rows;
  const act = (who: string, id: number, action: string, comment?: string) =>
    req(who, 'POST', `/api/projects/${id}/actions/${action}`, {
      ...(comment === undefined ? {} : { comment }),
      // These tests close early on purpose: the close warnings are confirmed (close-checks.db.test.ts tests them).
      ...(action === 'submitRecognition' ? { confirmWarnings: true } : {}),
    });
  const inbox = async (who: string) =>
    (await req(who, 'GET', '/api/notifications')).json().items as { kind: string; title: string; body: string; link: string }[];
  const PENDING = '学时认定已提交，等待审批单位确认；考勤和学员名单已冻结（如需修改，请审批单位退回）';

  it('the organiser submits with a preview and attendance freezes; confirming (a second, explicit step) writes one ledger entry per attendance', async () => {
    const { p, s1, s2, ids } = await projectWithAttendance();
    const before = await req('county.admin', 'GET', `/api/projects/${p.id}/recognition`);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      status: 'open',
      frozen: false,
      approverOrgName: '甲区教育局',
      submitted: null,
      totals: { teachers: 4, entries: 6, hours: 17 },
      enrolledCount: 4,
    });
    expect(
      before
        .json()
        .items.map((x: { teacherId: number; sessions: number; hours: number }) => [x.teacherId, x.sessions, x.hours])
        .sort(),
    ).toEqual(
      [
        [ids[0], 2, 5.5],
        [ids[1], 2, 5.5],
        [ids[2], 1, 3],
        [ids[3], 1, 3],
      ].sort(),
    );
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}`)).json().allowedActions.map((a: { action: string }) => a.action)).toEqual([
      'start',
      'submitRecognition',
    ]);

    const sub = await act('county.admin', p.id, 'submitRecognition');
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({
      project: { status: 'recognitionPending', statusLabel: '学时认定待确认', pendingOrgName: '甲区教育局' },
      preview: { teachers: 4, entries: 6, hours: 17 },
    });
    expect(await ledgerOf(p.id)).toHaveLength(0);
    // The county organised its own project: it confirms too, but only as its own next step.
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}`)).json().allowedActions.map((a: { action: string }) => a.action)).toEqual([
      'confirmRecognition',
      'returnRecognition',
    ]);
    const view = (await req('county.admin', 'GET', `/api/projects/${p.id}/recognition`)).json();
    expect(view).toMatchObject({
      status: 'recognitionPending',
      frozen: true,
      submitted: { userName: '甲区管理员', orgName: '甲区教育局' },
      totals: { teachers: 4, entries: 6, hours: 17 },
    });
    const pending = (await req('county.admin', 'GET', '/api/approvals/projects')).json().items.find((x: { id: number }) => x.id === p.id);
    expect(pending).toMatchObject({ status: 'recognitionPending', waitingFor: '学时认定确认' });

    // Frozen: attendance, check-in, enrolment and sessions.
    const mark = await req('county.admin', 'PUT', `/api/sessions/${s1.id}/attendance/${ids[0]}`, { present: false });
    expect(mark.statusCode).toBe(409);
    expect(mark.json().message).toBe(PENDING);
    expect((await req('county.admin', 'POST', `/api/sessions/${s1.id}/checkin/open`)).statusCode).toBe(409);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [w.teacherId] })).json().message).toBe(PENDING);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, sessionInput())).json().message).toBe(PENDING);
    const twice = await act('county.admin', p.id, 'submitRecognition');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('当前状态「学时认定待确认」不能执行「提交学时认定」');

    const r = await act('county.admin', p.id, 'confirmRecognition');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ project: { status: 'closed', pendingOrgId: null }, recognition: { entriesCreated: 6, teachers: 4, hours: 17 } });
    const entries = await ledgerOf(p.id);
    expect(entries).toHaveLength(6);
    expect(entries[0]).toMatchObject({ session_id: s1.id, hours: 3, category: 'ethics', occurred_on: '2026-03-10', description: '「结项测试项目」第一讲' });
    expect(entries.find((e) => e.session_id === s2.id && e.teacher_id === ids[0])).toMatchObject({
      hours: 2.5,
      category: 'homeroom',
      dedupe_key: `project:${p.id}:session:${s2.id}:teacher:${ids[0]}`,
    });
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}`)).json().status).toBe('closed');
    expect((await req('county.admin', 'GET', '/api/approvals/projects')).json().items.some((x: { id: number }) => x.id === p.id)).toBe(false);

    const again = await act('county.admin', p.id, 'confirmRecognition');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('当前状态「已结项」不能执行「确认学时认定」');
    expect(await ledgerOf(p.id)).toHaveLength(6);

    const h = (await req('county.admin', 'GET', `/api/projects/${p.id}/history`)).json().slice(-2);
    expect(h.map((x: { action: string; from: string; to: string }) => [x.action, x.from, x.to])).toEqual([
      ['submitRecognition', 'open', 'recognitionPending'],
      ['confirmRecognition', 'recognitionPending', 'closed'],
    ]);
    expect(h[0].detail).toMatchObject({ teachers: 4, entries: 6, hours: 17 });
    expect(h[1].detail).toMatchObject({ entriesCreated: 6, teachers: 4, hours: 17 });

    // A closed project is frozen.
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, sessionInput())).json().message).toBe('项目已结项，不能再修改');
    expect((await req('county.admin', 'PUT', `/api/sessions/${s1.id}/attendance/${ids[0]}`, { present: false })).statusCode).toBe(409);
    expect((await req('county.admin', 'POST', `/api/sessions/${s1.id}/checkin/open`)).statusCode).toBe(409);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: ids })).statusCode).toBe(409);
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}/recognition`)).json()).toMatchObject({
      status: 'closed',
      frozen: true,
      confirmed: { orgName: '甲区教育局' },
    });
  });

  it('submitting shuts the open check-in; a scan during the pending recognition is refused', async () => {
    const p = await newProject('county.admin', { name: '认定冻结签到' });
    const s = await newSession(p.id, 'county.admin', { date: '2026-03-10' });
    await enrol(p.id, [w.teacherId]);
    expect((await req('county.admin', 'POST', `/api/sessions/${s.id}/checkin/open`)).statusCode).toBe(200);
    const token = issueCheckinToken(t.ctx.checkinSigner, s.id, new Date()).token;
    await act('county.admin', p.id, 'submitRecognition');
    const detail = (await req('county.admin', 'GET', `/api/projects/${p.id}`)).json();
    expect(detail.sessions[0].checkinOpen).toBe(false);
    const scan = await req('teacher', 'POST', '/api/checkin', { token });
    expect(scan.statusCode).toBe(409);
    expect(scan.json().message).toBe('本场签到已结束');
    expect(await attendanceRows(s.id)).toBe(0);
  });

  it('two concurrent confirms write the entries once', async () => {
    const { p } = await projectWithAttendance();
    await act('county.admin', p.id, 'submitRecognition');
    const rs = await Promise.all([act('county.admin', p.id, 'confirmRecognition'), act('county.admin', p.id, 'confirmRecognition')]);
    expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(rs.find((r) => r.statusCode === 200)?.json().recognition.entriesCreated).toBe(6);
    expect(await ledgerOf(p.id)).toHaveLength(6);
    expect(
      (await req('county.admin', 'GET', `/api/projects/${p.id}/history`)).json().filter((h: { action: string }) => h.action === 'confirmRecognition'),
    ).toHaveLength(1);
  });

  it('the approver returns it with a comment: back to running, attendance editable again, then resubmitted and confirmed', async () => {
    const { p, s2, ids } = await projectWithAttendance('school.admin', '退回认定项目');
    await enrol(p.id, [w.teacherId], 'school.admin');
    const sub = await act('school.admin', p.id, 'submitRecognition');
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json().project.pendingOrgName).toBe('甲区教育局');
    expect((await inbox('county.admin')).find((n) => n.title === '待确认：「退回认定项目」学时认定')).toMatchObject({
      kind: 'approval',
      body: '甲区第一小学提交学时认定：4 名教师，6 人次，共 17 学时',
      link: `/projects/${p.id}`,
    });

    const bare = await act('county.admin', p.id, 'returnRecognition');
    expect(bare.statusCode).toBe(400);
    expect(bare.json().fields).toEqual([{ field: 'comment', message: '请填写意见' }]);
    const back = await act('county.admin', p.id, 'returnRecognition', '第二讲缺少签到表，请补录');
    expect(back.statusCode).toBe(200);
    expect(back.json().project).toMatchObject({ status: 'running', pendingOrgId: null });
    expect((await inbox('school.admin')).find((n) => n.title === '「退回认定项目」学时认定被退回')).toMatchObject({
      kind: 'result',
      body: '甲区教育局：第二讲缺少签到表，请补录',
    });
    expect((await req('school.admin', 'GET', `/api/projects/${p.id}/recognition`)).json()).toMatchObject({
      status: 'running',
      frozen: false,
      returned: { comment: '第二讲缺少签到表，请补录', orgName: '甲区教育局' },
    });
    expect(await ledgerOf(p.id)).toHaveLength(0);

    // Editable again: the organiser adds the missing attendance and resubmits.
    expect((await req('school.admin', 'PUT', `/api/sessions/${s2.id}/attendance/${ids[2]}`, { present: true })).statusCode).toBe(200);
    expect((await req('school.admin', 'PUT', `/api/sessions/${s2.id}/attendance/${w.teacherId}`, { present: true })).statusCode).toBe(200);
    expect((await act('school.admin', p.id, 'submitRecognition')).json().preview).toEqual({ teachers: 5, entries: 8, hours: 22 });
    // The school organised it but only its county confirms.
    const own = await act('school.admin', p.id, 'confirmRecognition');
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toBe('该项目正等待「甲区教育局」处理');
    expect((await req('school.admin', 'GET', `/api/projects/${p.id}`)).json().allowedActions).toEqual([]);
    expect((await act('county.admin', p.id, 'confirmRecognition')).json().recognition).toEqual({ entriesCreated: 8, teachers: 5, hours: 22 });
    expect(await ledgerOf(p.id)).toHaveLength(8);
    expect((await inbox('school.admin')).find((n) => n.title === '「退回认定项目」学时认定已确认')?.body).toBe(
      '甲区教育局已确认：为 5 名教师认定 22 学时，项目已结项',
    );
    expect((await inbox('teacher')).find((n) => n.title === '「退回认定项目」学时已认定')).toMatchObject({ link: '/my/hours' });
    const h = (await req('school.admin', 'GET', `/api/projects/${p.id}/history`)).json().map((x: { action: string }) => x.action);
    expect(h.slice(-4)).toEqual(['submitRecognition', 'returnRecognition', 'submitRecognition', 'confirmRecognition']);
  });

  it("an institution's recognition goes to the city that filed it; nobody else may confirm", async () => {
    const { p } = await projectWithAttendance('institution', '学院认定项目');
    expect((await req('institution', 'GET', `/api/projects/${p.id}/recognition`)).json().approverOrgName).toBe('测试市教育局');
    expect((await act('teacher', p.id, 'submitRecognition')).statusCode).toBe(403);
    expect((await act('school.admin', p.id, 'submitRecognition')).statusCode).toBe(404);
    expect((await act('institution', p.id, 'confirmRecognition')).statusCode).toBe(409);
    await act('institution', p.id, 'submitRecognition');
    expect((await inbox('city.admin')).some((n) => n.kind === 'approval' && n.title === '待确认：「学院认定项目」学时认定')).toBe(true);
    const own = await act('institution', p.id, 'confirmRecognition');
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toBe('该项目正等待「测试市教育局」处理');
    expect((await act('institution', p.id, 'returnRecognition', '自己退回')).statusCode).toBe(403);
    expect((await act('county.admin', p.id, 'confirmRecognition')).statusCode).toBe(404);
    expect((await act('teacher', p.id, 'confirmRecognition')).statusCode).toBe(403);
    expect((await req('teacher', 'GET', `/api/projects/${p.id}/recognition`)).statusCode).toBe(403);
    expect(await ledgerOf(p.id)).toHaveLength(0);
    const r = await act('city.admin', p.id, 'confirmRecognition');
    expect(r.json().recognition).toEqual({ entriesCreated: 6, teachers: 4, hours: 17 });
    expect((await inbox('institution')).some((n) => n.title === '「学院认定项目」学时认定已确认')).toBe(true);
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
