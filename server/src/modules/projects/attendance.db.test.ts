import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/harness.js';
import type { World } from '../../../../test/factories.js';
import { buildTeacher } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { checkIn } from './attendance.service.js';
import { issueCheckinToken } from './checkin-token.js';
import { projectsTestKit, type TeacherAccount } from './projects.test-kit.js';

// Attendance: QR check-in (tokens, repeats, concurrency) and the organiser's manual marking.

const kit = projectsTestKit();
const { req, teacherAccount, newProject, newSession, enrol, attendanceRows } = kit;
let t: TestApp;
let w: World;
beforeAll(() => {
  ({ t, w } = kit);
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
