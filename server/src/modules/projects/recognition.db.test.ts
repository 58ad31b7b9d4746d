import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/harness.js';
import type { World } from '../../../../test/factories.js';
import { buildTeacher } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { issueCheckinToken } from './checkin-token.js';
import { sessionInput, projectsTestKit } from './projects.test-kit.js';

// 学时认定: submitted by the organiser with a preview, confirmed (or returned) by the approver, written once.

const kit = projectsTestKit();
const { req, newProject, newSession, enrol, attendanceRows } = kit;
let t: TestApp;
let w: World;
beforeAll(() => {
  ({ t, w } = kit);
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
