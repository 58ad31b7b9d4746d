import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject, recogniseHours } from '../../../../test/projects.js';
import { multipartFile } from '../../../../test/uploads.js';
import { account, call, teacher, teacherAccount } from './projects.fixtures.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
const c: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) c[u] = await login(t.app, u, PASSWORD);
  c['school2.admin'] = (await account(t, 'schoolAdmin', w.school2)).cookie;
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => call(t, c[who] ?? who, method, url, payload);
const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
/** An open county project around today, with a past and a future session. */
async function project(over: Record<string, unknown> = {}) {
  const p = await createOpenProject(t.app, [c['county.admin']], { startDate: day(-20), endDate: day(60), ...over });
  const mk = async (title: string, date: string) => {
    const r = await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, {
      title,
      date,
      startTime: '09:00',
      endTime: '11:30',
      place: '报告厅',
      hours: 2.5,
      category: 'ethics',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  return { id: p.id, past: await mk('已举行的一讲', day(-1)), future: await mk('下周的一讲', day(7)) };
}
const enrol = (projectId: number, ids: number[]) => req('county.admin', 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: ids });

describe('check-out (签退)', () => {
  it('uses the same rotating QR with the direction signed in; only after check-in, once', async () => {
    const p = await project({ name: '签退测试项目' });
    const me = await teacherAccount(t, w, w.school1);
    await enrol(p.id, [me.teacherId]);
    const early = await req('county.admin', 'GET', `/api/sessions/${p.past}/checkout/token`);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('签退未开启');
    const opened = await req('county.admin', 'POST', `/api/sessions/${p.past}/checkout/open`);
    expect(opened.json()).toMatchObject({ checkoutOpen: true, checkinOpen: false });
    const out = (await req('county.admin', 'GET', `/api/sessions/${p.past}/checkout/token`)).json();
    expect(out.direction).toBe('out');

    const notIn = await call(t, me.cookie, 'POST', '/api/checkin', { token: out.token });
    expect(notIn.statusCode).toBe(409);
    expect(notIn.json().message).toBe('您本场尚未签到，不能签退');
    // Check-in is closed, so its token does not work; open it and check in.
    await req('county.admin', 'POST', `/api/sessions/${p.past}/checkin/open`);
    const inTok = (await req('county.admin', 'GET', `/api/sessions/${p.past}/checkin/token`)).json();
    expect(inTok.direction).toBe('in');
    expect((await call(t, me.cookie, 'POST', '/api/checkin', { token: inTok.token })).json()).toMatchObject({ ok: true, direction: 'in' });
    const done = await call(t, me.cookie, 'POST', '/api/checkin', { token: out.token });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ ok: true, direction: 'out', sessionTitle: '已举行的一讲' });
    const again = await call(t, me.cookie, 'POST', '/api/checkin', { token: out.token });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('您已签退，无需重复签退');
    // The check-in token is still a check-in token.
    expect((await call(t, me.cookie, 'POST', '/api/checkin', { token: inTok.token })).json().message).toBe('您已签到，无需重复签到');

    const att = (await req('county.admin', 'GET', `/api/sessions/${p.past}/attendance`)).json();
    expect(att.session).toMatchObject({ attendedCount: 1, checkedOutCount: 1 });
    expect(att.items[0].checkedOutAt).toBeTruthy();
    const mine = (await call(t, me.cookie, 'GET', '/api/my/projects')).json().find((x: { id: number }) => x.id === p.id);
    expect(mine.sessions.find((s: { id: number }) => s.id === p.past).checkedOutAt).toMatch(/^\d{4}-/);

    await req('county.admin', 'POST', `/api/sessions/${p.past}/checkout/close`);
    const shut = await call(t, me.cookie, 'POST', '/api/checkin', { token: out.token });
    expect(shut.json().message).toBe('本场签退已结束');
    expect((await req('school.admin', 'POST', `/api/sessions/${p.past}/checkout/open`)).statusCode).toBe(404);
  });
});

describe('apologies (请假) and attendance rate', () => {
  it('an enrolled teacher records a reason before the session; shown in attendance, kept in the denominator', async () => {
    const p = await project({ name: '请假测试项目' });
    const me = await teacherAccount(t, w, w.school1, { name: '请假老师' });
    const stranger = await teacherAccount(t, w, w.school1);
    await enrol(p.id, [me.teacherId]);
    const url = `/api/sessions/${p.future}/apology`;
    expect((await call(t, me.cookie, 'PUT', url, { reason: '病' })).statusCode).toBe(400);
    expect((await call(t, stranger.cookie, 'PUT', url, { reason: '家中有事' })).statusCode).toBe(404);
    expect((await req('school.admin', 'PUT', url, { reason: '家中有事' })).statusCode).toBe(403);
    const r = await call(t, me.cookie, 'PUT', url, { reason: '参加市级教学比赛' });
    expect(r.statusCode).toBe(200);
    const att = (await req('county.admin', 'GET', `/api/sessions/${p.future}/attendance`)).json();
    expect(att.items.find((x: { teacherId: number }) => x.teacherId === me.teacherId)).toMatchObject({ present: false, apology: '参加市级教学比赛' });
    expect(att.session).toMatchObject({ excusedCount: 1, enrolledCount: 1, attendanceRate: 0 });
    const mine = (await call(t, me.cookie, 'GET', '/api/my/projects')).json().find((x: { id: number }) => x.id === p.id);
    expect(mine.sessions.find((s: { id: number }) => s.id === p.future).apology).toBe('参加市级教学比赛');

    // Too late once the session has started.
    const late = await call(t, me.cookie, 'PUT', `/api/sessions/${p.past}/apology`, { reason: '参加市级教学比赛' });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('场次已开始，不能再请假（如有特殊情况请联系组织者）');
    expect((await call(t, me.cookie, 'DELETE', url)).statusCode).toBe(204);
    expect((await call(t, me.cookie, 'DELETE', url)).statusCode).toBe(404);
    // A teacher already present needs no leave.
    await req('county.admin', 'PUT', `/api/sessions/${p.future}/attendance/${me.teacherId}`, { present: true });
    const present = await call(t, me.cookie, 'PUT', url, { reason: '参加市级教学比赛' });
    expect(present.json().message).toBe('您本场已签到，无需请假');
  });

  it('compares each held session with the 95 % participation threshold', async () => {
    const p = await project({ name: '参训率测试项目' });
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await teacher(t, w, i % 2 ? w.school1 : w.school2));
    await enrol(p.id, ids);
    for (const id of ids.slice(0, 18)) await req('county.admin', 'PUT', `/api/sessions/${p.past}/attendance/${id}`, { present: true });
    let detail = (await req('county.admin', 'GET', `/api/projects/${p.id}`)).json();
    expect(detail.participationThreshold).toMatchObject({ threshold: 0.95 });
    const past = () => detail.sessions.find((s: { id: number }) => s.id === p.past);
    const future = () => detail.sessions.find((s: { id: number }) => s.id === p.future);
    expect(past()).toMatchObject({ attendanceRate: 0.9, threshold: 0.95, held: true, belowThreshold: true });
    // A session not yet held is not judged.
    expect(future()).toMatchObject({ attendanceRate: 0, held: false, belowThreshold: false });
    await req('county.admin', 'PUT', `/api/sessions/${p.past}/attendance/${ids[18]}`, { present: true });
    detail = (await req('county.admin', 'GET', `/api/projects/${p.id}`)).json();
    expect(past()).toMatchObject({ attendanceRate: 0.95, belowThreshold: false });
    const att = (await req('county.admin', 'GET', `/api/sessions/${p.past}/attendance`)).json();
    expect(att.thresholdSource).toContain('§三(二)');
  });
});

describe('share-back (返岗分享)', () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
  const upload = (cookie: string, id: number, name: string, content: Buffer) => {
    const m = multipartFile(name, content);
    return t.app.inject({ method: 'POST', url: `/api/share-backs/${id}/evidence`, payload: m.payload, headers: { ...m.headers, cookie } });
  };
  const submission = (over: Record<string, unknown> = {}) => ({
    kind: 'lecture',
    title: '跟岗学习汇报讲座',
    heldOn: day(-1),
    place: '一小会议室',
    summary: '向全校语文组教师分享跟岗学校的课堂观察方法，约 30 人参加。',
    ...over,
  });

  it('outbound trainees get a task at close, submit evidence, and the school admin confirms', async () => {
    const p = await project({ name: '影子教师跟岗项目', form: 'shadowTeacher' });
    const a = await teacherAccount(t, w, w.school1, { name: '跟岗甲' });
    const absent = await teacherAccount(t, w, w.school1, { name: '跟岗未到' });
    await enrol(p.id, [a.teacherId, absent.teacherId]);
    await req('county.admin', 'PUT', `/api/sessions/${p.past}/attendance/${a.teacherId}`, { present: true });
    const closed = await recogniseHours(t.app, p.id, c['county.admin']);
    expect(closed.project.status).toBe('closed');
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}/history`)).json().at(-1).detail.shareBackTasks).toBe(1);
    expect((await call(t, absent.cookie, 'GET', '/api/my/share-backs')).json().items).toEqual([]);
    const tasks = (await call(t, a.cookie, 'GET', '/api/my/share-backs')).json().items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ projectName: '影子教师跟岗项目', status: 'assigned', statusLabel: '待完成', evidence: null });
    expect(
      (await call(t, a.cookie, 'GET', '/api/notifications')).json().items.some((n: { title: string }) => n.title === '返岗分享任务：「影子教师跟岗项目」'),
    ).toBe(true);
    const id = tasks[0].id as number;

    const noEvidence = await call(t, a.cookie, 'POST', `/api/share-backs/${id}/submit`, submission());
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json().message).toBe('请先上传证明材料（照片或 PDF）');
    const bad = await upload(a.cookie, id, 'notes.txt', Buffer.from('just text'));
    expect(bad.statusCode).toBe(415);
    expect((await upload(absent.cookie, id, 'photo.png', PNG)).statusCode).toBe(404);
    const up = await upload(a.cookie, id, '讲座照片.png', PNG);
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ name: '讲座照片.png', kind: 'png' });
    expect((await call(t, a.cookie, 'POST', `/api/share-backs/${id}/submit`, submission({ heldOn: day(3) }))).json().fields[0].field).toBe('heldOn');
    expect((await call(t, a.cookie, 'POST', `/api/share-backs/${id}/submit`, submission({ kind: 'party' }))).statusCode).toBe(400);
    const sub = await call(t, a.cookie, 'POST', `/api/share-backs/${id}/submit`, submission());
    expect(sub.json()).toMatchObject({ status: 'submitted', kindLabel: '讲座', evidence: { name: '讲座照片.png' } });
    expect((await req('school.admin', 'GET', '/api/notifications')).json().items.some((n: { title: string }) => n.title === '待确认：跟岗甲的返岗分享')).toBe(
      true,
    );

    const queue = (await req('school.admin', 'GET', '/api/share-backs?status=submitted')).json().items;
    expect(queue.map((x: { id: number }) => x.id)).toContain(id);
    expect((await req('school2.admin', 'GET', '/api/share-backs?status=submitted')).json().items.map((x: { id: number }) => x.id)).not.toContain(id);
    expect((await req('school2.admin', 'POST', `/api/share-backs/${id}/review`, { action: 'confirm' })).statusCode).toBe(404);

    const dl = await req('school.admin', 'GET', `/api/share-backs/${id}/evidence`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect((await call(t, absent.cookie, 'GET', `/api/share-backs/${id}/evidence`)).statusCode).toBe(404);
    expect((await req('school2.admin', 'GET', `/api/share-backs/${id}/evidence`)).statusCode).toBe(404);

    expect((await req('school.admin', 'POST', `/api/share-backs/${id}/review`, { action: 'return' })).statusCode).toBe(400);
    expect((await req('school.admin', 'POST', `/api/share-backs/${id}/review`, { action: 'return', comment: '请补充签到表照片' })).json().status).toBe(
      'returned',
    );
    await upload(a.cookie, id, '签到表.png', PNG);
    expect((await call(t, a.cookie, 'POST', `/api/share-backs/${id}/submit`, submission())).json()).toMatchObject({
      status: 'submitted',
      evidence: { name: '签到表.png' },
    });
    expect((await req('school.admin', 'POST', `/api/share-backs/${id}/review`, { action: 'confirm' })).json()).toMatchObject({
      status: 'confirmed',
      statusLabel: '已确认',
    });
    const twice = await req('school.admin', 'POST', `/api/share-backs/${id}/review`, { action: 'confirm' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('当前状态「已确认」不能执行「确认」');
    expect((await upload(a.cookie, id, 'late.png', PNG)).json().message).toBe('当前状态「已确认」不能执行「提交分享记录」');
  });

  it('projects that are not outbound create no tasks', async () => {
    const p = await project({ name: '集中培训不需分享' });
    const a = await teacherAccount(t, w, w.school1);
    await enrol(p.id, [a.teacherId]);
    await req('county.admin', 'PUT', `/api/sessions/${p.past}/attendance/${a.teacherId}`, { present: true });
    await recogniseHours(t.app, p.id, c['county.admin']);
    expect((await call(t, a.cookie, 'GET', '/api/my/share-backs')).json().items).toEqual([]);
  });
});
