import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../platform/china-time.js';
import { projectsTestKit, type TeacherAccount } from '../projects/projects.test-kit.js';
import { insertSanction } from '../integrity/sanctions.repository.js';

// 工作室 (issue 13 item 1) through the routes, on both databases: the founding lifecycle and its refusals, the host
// veto, the membership cap, an offline activity → session → QR check-in → 学时认定 → ledger hours, the assessment
// against the policy duties, and 动态管理 (fail → 警示, fail again → 撤销).

const kit = projectsTestKit();
const { req } = kit;
const today = todayInChina();
const year = Number(today.slice(0, 4));
let seq = 0;

/** A studio applied for by the school for a new teacher of school1 (county level: named by 甲区). */
async function applied(over: Record<string, unknown> = {}, host?: TeacherAccount) {
  const h = host ?? (await kit.teacherAccount(kit.w.school1));
  const r = await req('school.admin', 'POST', '/api/studios', {
    name: `测试名师工作室${++seq}`,
    kind: 'masterTeacher',
    level: 'county',
    hostTeacherId: h.teacherId,
    subject: '语文',
    planText: '三年建设方案：研课标、磨课、示范课。',
    ...over,
  });
  expect(r.statusCode, r.body).toBe(201);
  return { studio: r.json() as { id: number; status: string; namingOrgId: number }, host: h };
}
const step = (who: string, id: number, body: Record<string, unknown>) => req(who, 'POST', `/api/studios/${id}/transition`, body);
async function named(host?: TeacherAccount) {
  const a = await applied({}, host);
  expect((await step('county.admin', a.studio.id, { action: 'startReview' })).statusCode).toBe(200);
  const r = await step('county.admin', a.studio.id, { action: 'approve', namedOn: `${year}-01-02` });
  expect(r.statusCode, r.body).toBe(200);
  return a;
}

describe('founding lifecycle', () => {
  it('申报 → 评审 → 命名 with the policy term; the host becomes a member; every step is in the history', async () => {
    const { studio, host } = await applied();
    expect(studio.status).toBe('applying');
    expect(studio.namingOrgId).toBe(kit.w.county1);
    // The naming org finds it in its 待办中心 and its messages.
    const todo = (await req('county.admin', 'GET', '/api/todo')).json();
    expect(todo.items.find((i: { kind: string }) => i.kind === 'studioReviews').count).toBeGreaterThan(0);
    const inbox = (await req('county.admin', 'GET', '/api/notifications')).json().items as { title: string }[];
    expect(inbox.some((n) => n.title.includes('工作室申报'))).toBe(true);
    // Only the naming org (or above) decides: the applying school may not review its own application.
    expect((await step('school.admin', studio.id, { action: 'startReview' })).statusCode).toBe(403);
    // Illegal steps are 409 with the state named.
    const early = await step('county.admin', studio.id, { action: 'approve' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('申报中');
    expect((await step('county.admin', studio.id, { action: 'startReview' })).json().status).toBe('reviewing');
    const ok = await step('county.admin', studio.id, { action: 'approve', namedOn: `${year}-01-02` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'named', namedOn: `${year}-01-02`, termFrom: `${year}-01-02`, termUntil: `${year + 3}-01-01` });
    const page = (await req(host.cookie, 'GET', `/api/studios/${studio.id}`)).json();
    expect(page.members).toMatchObject([{ teacherId: host.teacherId, role: 'host', joinedOn: `${year}-01-02`, leftOn: null }]);
    expect(page.history.map((h: { action: string }) => h.action)).toEqual(['apply', 'startReview', 'approve']);
    expect((await step('county.admin', studio.id, { action: 'reject', comment: '晚了' })).statusCode).toBe(409);
    // The city above reads it; a school of another county does not see it at all.
    expect((await req('city.admin', 'GET', `/api/studios/${studio.id}`)).statusCode).toBe(200);
    const stranger = await kit.teacherAccount(kit.w.school3);
    expect((await req(stranger.cookie, 'GET', `/api/studios/${studio.id}`)).statusCode).toBe(404);
  });

  it('未通过 needs a reason and keeps it; a rejected studio takes no members; bad input gets Chinese field messages', async () => {
    const bad = await req('school.admin', 'POST', '/api/studios', { name: '', kind: 'x', level: 'county', hostTeacherId: kit.w.teacherId, planText: '' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/工作室名称|工作室类型/);
    // A host outside the applicant's subtree is refused with a field message.
    const other = await kit.teacherAccount(kit.w.school3);
    const outside = await req('school.admin', 'POST', '/api/studios', {
      name: '外校',
      kind: 'masterTeacher',
      level: 'county',
      hostTeacherId: other.teacherId,
      planText: '方案',
    });
    expect(outside.statusCode).toBe(400);
    const { studio } = await applied();
    await step('county.admin', studio.id, { action: 'startReview' });
    expect((await step('county.admin', studio.id, { action: 'reject' })).statusCode).toBe(400);
    const r = await step('county.admin', studio.id, { action: 'reject', comment: '建设方案不具体' });
    expect(r.json()).toMatchObject({ status: 'rejected', reviewComment: '建设方案不具体' });
    const join = await req('county.admin', 'POST', `/api/studios/${studio.id}/members`, { teacherId: kit.w.teacherId, joinedOn: today });
    expect(join.statusCode).toBe(409);
  });

  it('a host under a sanction in force is not named (409 naming the sanction and its citation)', async () => {
    const { studio, host } = await applied();
    await step('county.admin', studio.id, { action: 'startReview' });
    await kit.t.db.tx((q) =>
      insertSanction(q, {
        teacherId: host.teacherId,
        caseId: null,
        kind: 'warning',
        decidedOn: `${year}-01-01`,
        validFrom: `${year}-01-01`,
        validUntil: `${year}-06-30`,
        decisionNo: '甲教师德〔2026〕9号',
        reason: '测试',
        decidedByOrgId: kit.w.county1,
        recordedBy: null,
      }),
    );
    const r = await step('county.admin', studio.id, { action: 'approve', namedOn: `${year}-01-02` });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toMatch(/一票否决.*警告.*依据/);
    expect((await req('county.admin', 'GET', `/api/studios/${studio.id}`)).json().status).toBe('reviewing');
  });
});

describe('members', () => {
  it('join and leave with dates, history kept; a teacher is in at most the policy number of studios (409 in Chinese)', async () => {
    const s1 = await named();
    const s2 = await named();
    const s3 = await named();
    const m = await kit.teacherAccount(kit.w.school2);
    const join = (id: number, on = `${year}-02-01`) => req(s1.host.cookie, 'POST', `/api/studios/${id}/members`, { teacherId: m.teacherId, joinedOn: on });
    // The host finds the teacher by name among the naming org's teachers (name and school only).
    const found = await req(s1.host.cookie, 'GET', `/api/studios/${s1.studio.id}/candidates?q=`);
    expect(found.statusCode).toBe(200);
    expect(found.json().some((c: { teacherId: number; nationalIdMasked?: string }) => c.teacherId === m.teacherId && !c.nationalIdMasked)).toBe(true);
    expect((await req(m.cookie, 'GET', `/api/studios/${s1.studio.id}/candidates`)).statusCode).toBe(404);
    // The host of s1 runs s1; s2 is not even visible to them.
    expect((await join(s1.studio.id)).statusCode).toBe(201);
    expect((await join(s1.studio.id)).statusCode).toBe(409);
    expect((await join(s2.studio.id)).statusCode).toBe(404);
    expect((await req('county.admin', 'POST', `/api/studios/${s2.studio.id}/members`, { teacherId: m.teacherId, joinedOn: `${year}-02-01` })).statusCode).toBe(
      201,
    );
    const third = await req('county.admin', 'POST', `/api/studios/${s3.studio.id}/members`, { teacherId: m.teacherId, joinedOn: `${year}-02-01` });
    expect(third.statusCode).toBe(409);
    expect(third.json().message).toMatch(/已参加 2 个工作室.*最多同时参加 2 个/);
    // Leaving s1 frees a place from that date on; the old membership stays.
    const before = await req(s1.host.cookie, 'POST', `/api/studios/${s1.studio.id}/members/${m.teacherId}/leave`, { leftOn: `${year}-01-15` });
    expect(before.statusCode).toBe(400);
    expect((await req(s1.host.cookie, 'POST', `/api/studios/${s1.studio.id}/members/${m.teacherId}/leave`, { leftOn: `${year}-03-01` })).statusCode).toBe(200);
    expect((await req('county.admin', 'POST', `/api/studios/${s3.studio.id}/members`, { teacherId: m.teacherId, joinedOn: `${year}-03-02` })).statusCode).toBe(
      201,
    );
    const page = (await req('county.admin', 'GET', `/api/studios/${s1.studio.id}`)).json();
    expect(page.members.find((x: { teacherId: number }) => x.teacherId === m.teacherId)).toMatchObject({ joinedOn: `${year}-02-01`, leftOn: `${year}-03-01` });
    // The host cannot leave; the member sees the studio they were in.
    expect((await req('county.admin', 'POST', `/api/studios/${s1.studio.id}/members/${s1.host.teacherId}/leave`, { leftOn: today })).statusCode).toBe(409);
    expect((await req(m.cookie, 'GET', `/api/studios/${s1.studio.id}`)).statusCode).toBe(200);
    expect((await req(m.cookie, 'POST', `/api/studios/${s1.studio.id}/plans`, { year, body: '计划' })).statusCode).toBe(403);
  });
});

describe('activities, check-in and hours', () => {
  it('an offline activity with attendance becomes a session of the yearly project; a member checks in by QR; 学时认定 puts the hours in the ledger', async () => {
    const { studio, host } = await named();
    const member = await kit.teacherAccount(kit.w.school2);
    expect((await req(host.cookie, 'POST', `/api/studios/${studio.id}/members`, { teacherId: member.teacherId, joinedOn: `${year}-01-05` })).statusCode).toBe(
      201,
    );
    const invalid = await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities`, {
      kind: 'polishing',
      title: '磨课',
      mode: 'offline',
      heldOn: today,
      attendance: true,
    });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json())).toMatch(/请填写地点|线下活动请填写地点/);
    const a = await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities`, {
      kind: 'polishing',
      title: '三年级语文磨课',
      mode: 'offline',
      heldOn: today,
      place: '甲区第一小学录播教室',
      attendance: true,
      startTime: '14:00',
      endTime: '16:30',
      hours: 3,
    });
    expect(a.statusCode, a.body).toBe(201);
    const { id: activityId, sessionId } = a.json();
    expect(sessionId).toBeGreaterThan(0);
    // The member learns of the check-in activity in their inbox (the host, who recorded it, does not).
    const memberInbox = (await req(member.cookie, 'GET', '/api/notifications')).json().items as { title: string; body: string; link: string }[];
    expect(memberInbox.find((n) => n.title.includes('三年级语文磨课'))).toMatchObject({
      link: `/studios/${studio.id}`,
      body: expect.stringContaining('认定 3 学时'),
    });
    const hostInbox = (await req(host.cookie, 'GET', '/api/notifications')).json().items as { title: string }[];
    expect(hostInbox.some((n) => n.title.includes('三年级语文磨课'))).toBe(false);
    const proj = (
      await kit.t.db.query<{ id: number; org_id: number; status: string }>(
        'SELECT p.id, p.org_id, p.status FROM projects p JOIN project_sessions s ON s.project_id = p.id WHERE s.id = $1',
        [sessionId],
      )
    ).rows[0];
    expect(proj).toMatchObject({ org_id: kit.w.county1, status: 'running' });
    // The host opens check-in and shows the code; the member scans it with the ordinary check-in.
    expect((await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities/${activityId}/checkin`, { open: true })).statusCode).toBe(200);
    const code = await req(host.cookie, 'GET', `/api/studios/${studio.id}/activities/${activityId}/checkin-code`);
    expect(code.statusCode).toBe(200);
    const scan = await req(member.cookie, 'POST', '/api/checkin', { token: code.json().token });
    expect(scan.statusCode, scan.body).toBe(200);
    const work = (await req(member.cookie, 'GET', `/api/studios/${studio.id}/work`)).json();
    expect(work.activities[0]).toMatchObject({ id: activityId, attended: 1, checkinOpen: true });
    // The yearly project (where 学时认定 is done) is linked for the host, not shown to a member.
    expect(work.yearProjects).toEqual([]);
    expect((await req(host.cookie, 'GET', `/api/studios/${studio.id}/work`)).json().yearProjects).toEqual([
      { year, projectId: proj.id, status: 'running', statusLabel: expect.any(String) },
    ]);
    // An activity with attendance is not withdrawn.
    expect((await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities/${activityId}/withdraw`, { reason: '误登' })).statusCode).toBe(409);
    // Year end: the naming org recognises the yearly project's hours like any project's.
    const sub = await req('county.admin', 'POST', `/api/projects/${proj.id}/actions/submitRecognition`, { confirmWarnings: true });
    expect(sub.statusCode, sub.body).toBe(200);
    const conf = await req('county.admin', 'POST', `/api/projects/${proj.id}/actions/confirmRecognition`, {});
    expect(conf.statusCode, conf.body).toBe(200);
    const ledger = (
      await kit.t.db.query<{ teacher_id: number; hours: string }>('SELECT teacher_id, hours::text AS hours FROM ledger_entries WHERE session_id = $1', [
        sessionId,
      ])
    ).rows;
    expect(ledger).toEqual([{ teacher_id: member.teacherId, hours: expect.stringMatching(/^3(\.0)?$/) }]);
    // Once recognised, no more check-in activities that year.
    const late = await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities`, {
      kind: 'lecture',
      title: '讲座',
      mode: 'offline',
      heldOn: today,
      place: '报告厅',
      attendance: true,
      startTime: '09:00',
      endTime: '10:00',
      hours: 1,
    });
    expect(late.statusCode).toBe(409);
  });
});

describe('assessment and 动态管理', () => {
  async function activities(id: number, cookie: string, n: number, ledBy?: number) {
    for (let i = 0; i < n; i++) {
      const r = await req(cookie, 'POST', `/api/studios/${id}/activities`, {
        kind: 'sameLesson',
        title: `同课异构${i + 1}`,
        mode: 'online',
        heldOn: `${year}-02-${String(10 + i).padStart(2, '0')}`,
        ...(ledBy ? { ledByTeacherId: ledBy } : {}),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
  }

  it('computes the year against the policy duties (8 activities, 5 双师型, 2 示范 per expert); the naming org grades it', async () => {
    const { studio, host } = await named();
    const expert = await kit.teacherAccount(kit.w.school2);
    expect(
      (await req(host.cookie, 'POST', `/api/studios/${studio.id}/members`, { teacherId: expert.teacherId, role: 'expert', joinedOn: `${year}-01-05` }))
        .statusCode,
    ).toBe(201);
    await activities(studio.id, host.cookie, 6);
    await activities(studio.id, host.cookie, 2, expert.teacherId);
    // A withdrawn activity does not count.
    const extra = await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities`, {
      kind: 'lecture',
      title: '误登',
      mode: 'online',
      heldOn: `${year}-03-01`,
    });
    expect((await req(host.cookie, 'POST', `/api/studios/${studio.id}/activities/${extra.json().id}/withdraw`, { reason: '重复登记' })).statusCode).toBe(200);
    const cultivated: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await kit.teacherAccount(kit.w.school1);
      cultivated.push(t.teacherId);
      await req(host.cookie, 'POST', `/api/studios/${studio.id}/members`, { teacherId: t.teacherId, joinedOn: `${year}-01-05` });
    }
    const noTeacher = await req(host.cookie, 'POST', `/api/studios/${studio.id}/outputs`, {
      kind: 'dualQualified',
      title: '培养',
      producedOn: `${year}-06-01`,
    });
    expect(noTeacher.statusCode).toBe(400);
    for (const t of cultivated.slice(0, 4))
      expect(
        (
          await req(host.cookie, 'POST', `/api/studios/${studio.id}/outputs`, {
            kind: 'dualQualified',
            title: '双师型成熟教师',
            producedOn: `${year}-06-01`,
            teacherId: t,
          })
        ).statusCode,
      ).toBe(201);
    const short = (await req(host.cookie, 'GET', `/api/studios/${studio.id}/years/${year}`)).json();
    expect(short.items).toEqual([
      expect.objectContaining({ key: 'activities', actual: 8, required: 8, met: true }),
      expect.objectContaining({ key: 'dualQualified', actual: 4, required: 5, met: false }),
      expect.objectContaining({ key: `expert:${expert.teacherId}`, actual: 2, required: 2, met: true }),
    ]);
    expect(short.dutiesMet).toBe(false);
    // Passing a studio short of its duties needs a reason.
    expect((await req('county.admin', 'POST', `/api/studios/${studio.id}/assessments`, { year, grade: 'pass' })).statusCode).toBe(400);
    await req(host.cookie, 'POST', `/api/studios/${studio.id}/outputs`, {
      kind: 'dualQualified',
      title: '双师型成熟教师',
      producedOn: `${year}-06-02`,
      teacherId: cultivated[4],
    });
    expect((await req('school.admin', 'POST', `/api/studios/${studio.id}/assessments`, { year, grade: 'pass' })).statusCode).toBe(403);
    const r = await req('county.admin', 'POST', `/api/studios/${studio.id}/assessments`, { year, grade: 'excellent' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ outcome: 'none', status: 'named', computed: { dutiesMet: true, outputs: { dualQualified: 5, lesson: 0 } } });
    // The host learns the grade.
    const inbox = (await req(host.cookie, 'GET', '/api/notifications')).json().items as { title: string; link: string }[];
    expect(inbox.find((n) => n.title.includes(`${year} 年度考核：优秀`))).toMatchObject({ link: `/studios/${studio.id}` });
    expect((await req('county.admin', 'POST', `/api/studios/${studio.id}/assessments`, { year, grade: 'pass' })).statusCode).toBe(409);
    const board = (await req('county.admin', 'GET', `/api/studios/board?year=${year}`)).json();
    expect(board.studios.find((s: { id: number }) => s.id === studio.id)).toMatchObject({ dutiesMet: true, status: 'named' });
  });

  it('fails once → 警示, passes → 整改合格, fails twice in a row → 撤销 (memberships end); each is a step in the history', async () => {
    const { studio } = await named();
    // Backdate the naming so there are three years to assess.
    await kit.t.db.query(`UPDATE studios SET named_on = $2, term_from = $2 WHERE id = $1`, [studio.id, `${year - 3}-01-02`]);
    const assess = (y: number, grade: string, comment?: string) =>
      req('county.admin', 'POST', `/api/studios/${studio.id}/assessments`, { year: y, grade, ...(comment ? { comment } : {}) });
    const w1 = await assess(year - 3, 'fail');
    expect(w1.json()).toMatchObject({ outcome: 'warned', status: 'warned' });
    const ok = await assess(year - 2, 'pass', '已整改，补齐活动记录（线下资料）');
    expect(ok.json()).toMatchObject({ outcome: 'restored', status: 'named' });
    expect((await assess(year - 1, 'fail')).json()).toMatchObject({ outcome: 'warned', status: 'warned' });
    const d = await assess(year, 'fail');
    expect(d.json()).toMatchObject({ outcome: 'delisted', status: 'delisted' });
    const page = (await req('county.admin', 'GET', `/api/studios/${studio.id}`)).json();
    expect(page.history.map((h: { action: string }) => h.action)).toEqual(['apply', 'startReview', 'approve', 'warn', 'restore', 'warn', 'delist']);
    expect(page.members.every((m: { leftOn: string | null }) => m.leftOn !== null)).toBe(true);
    // A de-listed studio does nothing more.
    expect(
      (await req('county.admin', 'POST', `/api/studios/${studio.id}/activities`, { kind: 'lecture', title: '讲座', mode: 'online', heldOn: today })).statusCode,
    ).toBe(409);
  });
});
