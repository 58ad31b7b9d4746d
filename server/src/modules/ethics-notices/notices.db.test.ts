import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import type { Role } from '../../platform/access.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';
import { insertSanction } from '../integrity/sanctions.repository.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
const ids: Record<string, number> = {};
let teacher2: number;
let farTeacher: number;

async function account(username: string, role: Role, orgId: number, teacherId: number | null = null): Promise<string> {
  ids[username] = await insertUser(t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: `${username}账号`, role, orgId, teacherId });
  return `qs_session=${(await createSession(t.db, ids[username])).token}`;
}

const one = async <T>(sql: string, params: unknown[] = []) => (await t.db.query<T>(sql, params)).rows[0];

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
  cookies.officer = await account('officer', 'ethicsOfficer', w.county1);
  cookies.officer2 = await account('officer2', 'ethicsOfficer', w.county2);
  cookies['school2.admin'] = await account('school2.admin', 'schoolAdmin', w.school2);
  cookies['school3.admin'] = await account('school3.admin', 'schoolAdmin', w.school3);
  teacher2 = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2, { name: '欧阳明' }));
  farTeacher = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '远方老师' }));
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: cookies[who] } });

async function makeCase(teacherId: number, orgId: number, stage = 'decided', category = 'C01'): Promise<number> {
  return (
    await one<{ id: number }>(`INSERT INTO ethics_cases (teacher_id, handling_org_id, category, stage, opened_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      teacherId,
      orgId,
      category,
      stage,
      ids.officer,
    ])
  ).id;
}

async function publish(payload: object): Promise<number> {
  const r = await req('officer', 'POST', '/api/ethics/notices', { title: '关于一起有偿补课问题的通报', body: '经查，……', ...payload });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

describe('典型问题通报', () => {
  it('refuses bad input with field messages, targets outside the subtree, and non-officers', async () => {
    let r = await req('officer', 'POST', '/api/ethics/notices', { title: '', body: '', targetOrgId: w.county1 });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['body', 'title']);
    const caseId = await makeCase(w.teacherId, w.county1);
    r = await req('officer', 'POST', '/api/ethics/notices', { title: '通报', body: '正文', targetOrgId: w.county1, caseId });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0]).toEqual({ field: 'nameMask', message: '关联案件时请选择姓名的显示方式' });
    r = await req('officer', 'POST', '/api/ethics/notices', { title: '通报', body: '正文', targetOrgId: w.county2 });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('targetOrgId');
    // A case of another county cannot be named.
    const far = await makeCase(farTeacher, w.county2);
    r = await req('officer', 'POST', '/api/ethics/notices', { title: '通报', body: '正文', targetOrgId: w.county1, caseId: far, nameMask: 'full' });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('caseId');
    for (const who of ['county.admin', 'school.admin', 'teacher'])
      expect((await req(who, 'POST', '/api/ethics/notices', { title: '通报', body: '正文', targetOrgId: w.county1 })).statusCode).toBe(403);
  });

  it('names the teacher only as the officer chose: the raw name never reaches a reader given less', async () => {
    const caseId = await makeCase(teacher2, w.county1);
    const full = await publish({ targetOrgId: w.school2, caseId, nameMask: 'full', sanctionKind: 'warning' });
    const surname = await publish({ targetOrgId: w.school2, caseId, nameMask: 'surname', sanctionKind: 'warning' });
    const anonymous = await publish({ targetOrgId: w.school2, caseId, nameMask: 'anonymous' });
    const read = async (id: number) => req('school2.admin', 'GET', `/api/ethics/notices/${id}`);
    let r = await read(full);
    expect(r.json()).toMatchObject({ subjectLabel: '欧阳明', sanctionLabel: '警告', caseId: null, canConfirm: true });
    r = await read(surname);
    expect(r.json().subjectLabel).toBe('欧阳某某');
    expect(r.body).not.toContain('欧阳明');
    r = await read(anonymous);
    expect(r.json().subjectLabel).toBe('某教师');
    expect(r.body).not.toContain('欧阳');
    // The list carries the same rendering.
    const list = await req('school2.admin', 'GET', '/api/ethics/notices');
    const items = list.json().items as { id: number; subjectLabel: string }[];
    expect(items.find((i) => i.id === surname)?.subjectLabel).toBe('欧阳某某');
    expect(JSON.stringify(items.filter((i) => i.id !== full))).not.toContain('欧阳明');
    // The officer sees the case it names.
    expect((await req('officer', 'GET', `/api/ethics/notices/${surname}`)).json()).toMatchObject({ caseId, canManage: true });
  });

  it('takes one confirmation per receiving school (who, when), shows the status per school and reminds the others', async () => {
    const waiting = async (who: string) =>
      ((await req(who, 'GET', '/api/todo')).json().items as { kind: string; count: number }[]).find((i) => i.kind === 'ethicsNotices')?.count;
    const before = (await waiting('school.admin')) as number;
    const id = await publish({ targetOrgId: w.county1 });
    expect(await waiting('school.admin')).toBe(before + 1);
    let s = (await req('officer', 'GET', `/api/ethics/notices/${id}/schools`)).json();
    expect(s).toMatchObject({ schools: 2, confirmed: 0 });
    const first = await req('school.admin', 'POST', `/api/ethics/notices/${id}/confirm`);
    expect(first.statusCode).toBe(200);
    const again = await req('school.admin', 'POST', `/api/ethics/notices/${id}/confirm`);
    expect(again.json().confirmedAt).toBe(first.json().confirmedAt);
    // The school's 待办中心 counts it no more.
    expect(await waiting('school.admin')).toBe(before);
    // A bureau reads (ethics.notices) but only a receiving school confirms.
    expect((await req('county.admin', 'GET', `/api/ethics/notices/${id}`)).statusCode).toBe(200);
    expect((await req('county.admin', 'POST', `/api/ethics/notices/${id}/confirm`)).statusCode).toBe(403);
    s = (await req('officer', 'GET', `/api/ethics/notices/${id}/schools`)).json();
    expect(s.confirmed).toBe(1);
    const s1 = s.items.find((i: { schoolOrgId: number }) => i.schoolOrgId === w.school1);
    expect(s1).toMatchObject({ confirmed: true, confirmedByName: '一小管理员' });
    expect(s.items.find((i: { schoolOrgId: number }) => i.schoolOrgId === w.school2).confirmed).toBe(false);
    expect((await req('school.admin', 'GET', `/api/ethics/notices/${id}`)).json()).toMatchObject({ myConfirmedByName: '一小管理员', canConfirm: false });
    // Remind: only the school that has not confirmed.
    const r = await req('officer', 'POST', `/api/ethics/notices/${id}/remind`);
    expect(r.json()).toEqual({ schools: 1, users: 1 });
    const n = await one<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND title LIKE '请确认师德通报%'`, [
      ids['school2.admin'],
    ]);
    expect(n.n).toBe(1);
    const none = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'school.admin' AND n.title LIKE '请确认师德通报%'`,
    );
    expect(none.n).toBe(0);
    // A confirmation is history: the database refuses to change it.
    await expect(
      t.db.query('UPDATE ethics_notice_schools SET confirmed_at = now() WHERE notice_id = $1 AND school_org_id = $2', [id, w.school1]),
    ).rejects.toThrow(/只记录一次/);
  });

  it('is visible to the receiving schools and the bureaus above only: teachers 403, other counties 404', async () => {
    const id = await publish({ targetOrgId: w.school1 });
    expect((await req('school.admin', 'GET', `/api/ethics/notices/${id}`)).statusCode).toBe(200);
    expect((await req('school2.admin', 'GET', `/api/ethics/notices/${id}`)).statusCode).toBe(404); // a sibling school
    expect((await req('school3.admin', 'GET', `/api/ethics/notices/${id}`)).statusCode).toBe(404);
    expect((await req('officer2', 'GET', `/api/ethics/notices/${id}`)).statusCode).toBe(404);
    expect((await req('officer2', 'GET', `/api/ethics/notices/${id}/schools`)).statusCode).toBe(404);
    expect((await req('teacher', 'GET', `/api/ethics/notices/${id}`)).statusCode).toBe(403);
    expect((await req('teacher', 'GET', '/api/ethics/notices')).statusCode).toBe(403);
    expect((await req('school2.admin', 'POST', `/api/ethics/notices/${id}/confirm`)).statusCode).toBe(404);
    const titles = async (who: string) => ((await req(who, 'GET', '/api/ethics/notices')).json().items as { id: number }[]).map((i) => i.id);
    expect(await titles('school3.admin')).toEqual([]);
    expect(await titles('officer2')).toEqual([]);
    expect(await titles('school2.admin')).not.toContain(id);
    expect(await titles('county.admin')).toContain(id);
  });

  it('is withdrawn once with a reason, keeping the row; no confirmation after', async () => {
    const id = await publish({ targetOrgId: w.county1 });
    expect((await req('officer', 'POST', `/api/ethics/notices/${id}/withdraw`, { reason: '' })).statusCode).toBe(400);
    expect((await req('officer2', 'POST', `/api/ethics/notices/${id}/withdraw`, { reason: '越权' })).statusCode).toBe(404);
    expect((await req('officer', 'POST', `/api/ethics/notices/${id}/withdraw`, { reason: '案件复查改变处理结论' })).statusCode).toBe(200);
    expect((await req('officer', 'POST', `/api/ethics/notices/${id}/withdraw`, { reason: '再次' })).statusCode).toBe(409);
    expect((await req('school.admin', 'POST', `/api/ethics/notices/${id}/confirm`)).statusCode).toBe(409);
    expect((await req('officer', 'POST', `/api/ethics/notices/${id}/remind`)).statusCode).toBe(409);
    const r = (await req('school.admin', 'GET', `/api/ethics/notices/${id}`)).json();
    expect(r).toMatchObject({ withdrawn: true, withdrawnReason: '案件复查改变处理结论', title: '关于一起有偿补课问题的通报', canConfirm: false });
    await expect(t.db.query(`UPDATE ethics_notices SET title = '改过的' WHERE id = $1`, [id])).rejects.toThrow(/不可修改/);
    await expect(t.db.query('DELETE FROM ethics_notices WHERE id = $1', [id])).rejects.toThrow(/不可删除/);
    const audit = await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ethics.notice.withdraw' AND entity_id = $1`, [String(id)]);
    expect(audit.n).toBe(1);
  });
});

describe('警示教育 meetings', () => {
  it('records a meeting on a 师德 session and counts its check-ins per school', async () => {
    const project = await one<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, created_by)
       VALUES ($1, 'ETH-M-1', '2026年师德警示教育', 'county', 'inPerson', '{ethics}', 2, CURRENT_DATE - 10, CURRENT_DATE + 10, $2) RETURNING id`,
      [w.county1, ids.officer],
    );
    const session = await one<{ id: number }>(
      `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
       VALUES ($1, '警示教育大会', CURRENT_DATE, '14:00', '16:00', '区教育局报告厅', 2, 'ethics') RETURNING id`,
      [project.id],
    );
    const extra = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '王老师' }));
    for (const tid of [w.teacherId, extra, teacher2]) {
      await t.db.query('INSERT INTO enrolments (project_id, teacher_id) VALUES ($1, $2)', [project.id, tid]);
      await t.db.query(`INSERT INTO attendance (session_id, teacher_id, method) VALUES ($1, $2, 'manual')`, [session.id, tid]);
    }
    const notice = await publish({ targetOrgId: w.county1, title: '学习用通报' });
    const sessions = (await req('officer', 'GET', '/api/ethics/meeting-sessions')).json().items as { id: number }[];
    expect(sessions.map((s) => s.id)).toContain(session.id);
    expect(((await req('officer2', 'GET', '/api/ethics/meeting-sessions')).json().items as { id: number }[]).map((s) => s.id)).not.toContain(session.id);
    const body = { orgId: w.county1, heldOn: todayInChina(), place: '区教育局报告厅', topic: '师德警示教育大会', sessionId: session.id, noticeIds: [notice] };
    expect((await req('officer2', 'POST', '/api/ethics/meetings', { ...body, orgId: w.county2 })).statusCode).toBe(400); // the session is not in 乙县
    let r = await req('officer', 'POST', '/api/ethics/meetings', { ...body, place: '' });
    expect(r.statusCode).toBe(400);
    r = await req('officer', 'POST', '/api/ethics/meetings', body);
    expect(r.statusCode, r.body).toBe(201);
    const m = (await req('officer', 'GET', `/api/ethics/meetings/${r.json().id}`)).json();
    expect(m).toMatchObject({ topic: '师德警示教育大会', attended: 3, notices: [{ id: notice, title: '学习用通报' }] });
    expect(m.bySchool).toEqual([
      { orgId: w.school1, orgName: '甲区第一小学', attended: 2 },
      { orgId: w.school2, orgName: '甲区第二中学', attended: 1 },
    ]);
    expect((await req('officer2', 'GET', `/api/ethics/meetings/${r.json().id}`)).statusCode).toBe(404);
    expect((await req('school.admin', 'GET', '/api/ethics/meetings')).statusCode).toBe(403);
  });
});

describe('the ethics board', () => {
  const day = (n: number) => {
    const d = new Date(`${todayInChina()}T12:00:00+08:00`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  /** A China-noon instant n days from today. */
  const at = (n: number) => `${day(n)}T12:00:00+08:00`;
  let seq = 0;
  async function report(r: {
    org?: number;
    received: number;
    respondBy: number;
    concludeBy: number;
    status?: string;
    firstResponse?: number | null;
    answered?: number | null;
    anonymous?: boolean;
  }) {
    seq++;
    await t.db.query(
      `INSERT INTO ethics_reports (tracking_code, secret_hash, secret_expires_at, channel, handling_org_id, category, content_enc, anonymous,
         received_at, respond_by, conclude_by, status, first_response_at, answered_at, answer)
       VALUES ($1, 'h', now() + interval '1 year', 'web', $2, 'C01', 'sealed', $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        `BOARD${seq}`,
        r.org ?? w.county1,
        r.anonymous ?? false,
        at(r.received),
        day(r.respondBy),
        day(r.concludeBy),
        r.status ?? 'received',
        r.firstResponse == null ? null : at(r.firstResponse),
        r.answered == null ? null : at(r.answered),
        r.answered == null ? null : '已答复',
      ],
    );
  }

  it('computes its figures from the rows, with 件件有回音 per bureau (late, unanswered, rejected, pending)', async () => {
    // On time: responded and answered within the deadlines.
    await report({ received: -50, respondBy: -45, concludeBy: -20, status: 'closed', firstResponse: -48, answered: -25 });
    // Answered late.
    await report({ received: -50, respondBy: -45, concludeBy: -20, status: 'closed', firstResponse: -48, answered: -10 });
    // Not answered, both deadlines passed (open, overdue).
    await report({ received: -40, respondBy: -35, concludeBy: -10, status: 'received', anonymous: true });
    // Rejected (不予受理) with its reason, the answer being the first response, in time.
    await report({ received: -30, respondBy: -25, concludeBy: 0, status: 'rejected', answered: -27 });
    // First response late, answer in time: not on time.
    await report({ received: -30, respondBy: -25, concludeBy: 5, status: 'closed', firstResponse: -20, answered: -5 });
    // Pending: yesterday, deadlines ahead, not yet answered (not counted).
    await report({ received: -1, respondBy: 4, concludeBy: 29, status: 'received' });
    // Another county: not on 甲区's board.
    await report({ org: w.county2, received: -10, respondBy: -5, concludeBy: 20, status: 'received' });
    await makeCase(w.teacherId, w.county1, 'investigating', 'C02');
    await makeCase(w.teacherId, w.county1, 'closed', 'C02');
    const base = { caseId: null, decisionNo: null, reason: '测试', decidedByOrgId: w.county1, recordedBy: ids.officer };
    await insertSanction(t.db, { ...base, teacherId: w.teacherId, kind: 'warning', decidedOn: day(-100), validFrom: day(-100), validUntil: day(80) });
    await insertSanction(t.db, { ...base, teacherId: w.teacherId, kind: 'criticism', decidedOn: day(-400), validFrom: day(-400), validUntil: day(-200) });
    await insertSanction(t.db, {
      ...base,
      teacherId: farTeacher,
      kind: 'demerit',
      decidedOn: day(-10),
      validFrom: day(-10),
      validUntil: null,
      decidedByOrgId: w.county2,
    });
    await t.db.query(`INSERT INTO audit_log (user_id, org_id, action, entity, entity_id) VALUES ($1, $2, 'integrity.read', 'teacher', '1')`, [
      ids.officer,
      w.county1,
    ]);
    await t.db.query(`INSERT INTO audit_log (user_id, org_id, action, entity, entity_id) VALUES ($1, $2, 'integrity.read', 'teacher', '1')`, [
      ids.officer2,
      w.county2,
    ]);

    const r = await req('officer', 'GET', `/api/ethics/board?from=${day(-60)}&to=${day(0)}`);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.period).toMatchObject({ reports: 6, anonymous: 1 });
    expect(b.openByAge).toEqual({ d7: 1, d30: 0, d90: 1, older: 0, total: 2 });
    expect(b.overdue).toMatchObject({ respond: 1, conclude: 1, escalated: 0 });
    expect(b.overdue.items.map((i: { trackingCode: string }) => i.trackingCode)).toEqual(['BOARD3']);
    expect(b.answerRate.byOrg).toEqual([{ orgId: w.county1, orgName: '甲区教育局', received: 6, settled: 5, onTime: 2, pending: 1, rate: 0.4 }]);
    expect(b.answerRate).toMatchObject({ settled: 5, onTime: 2, rate: 0.4 });
    expect(b.casesByStage.find((s: { stage: string }) => s.stage === 'investigating').n).toBe(1);
    expect(b.casesByCategory.find((c: { category: string }) => c.category === 'C02')).toEqual({ category: 'C02', label: 'C02', n: 2 });
    expect(b.sanctionsInForce).toEqual({ total: 1, byKind: [{ kind: 'warning', label: '警告', n: 1 }] });
    expect(b.lookups).toEqual({ integrity: 1, entryChecks: 0 });
    // 乙县's officer sees its own report only.
    const b2 = (await req('officer2', 'GET', `/api/ethics/board?from=${day(-60)}&to=${day(0)}`)).json();
    expect(b2.answerRate.byOrg).toEqual([{ orgId: w.county2, orgName: '乙县教育局', received: 1, settled: 1, onTime: 0, pending: 0, rate: 0 }]);
    expect(b2.sanctionsInForce.total).toBe(1);
    // Bad period; other roles.
    expect((await req('officer', 'GET', `/api/ethics/board?from=${day(0)}&to=${day(-5)}`)).statusCode).toBe(400);
    for (const who of ['county.admin', 'school.admin', 'teacher']) expect((await req(who, 'GET', '/api/ethics/board')).statusCode).toBe(403);
  });

  it('exports the board as .xlsx, audited', async () => {
    const r = await req('officer', 'GET', `/api/ethics/board.xlsx?from=${day(-60)}&to=${day(0)}`);
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['概况', '件件有回音', '案件与处理']);
    expect(wb.getWorksheet('件件有回音')?.getRow(2).values).toEqual([undefined, '甲区教育局', 6, 2, 5, 1, '40.0%']);
    const a = await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ethics.board.export' AND user_id = $1`, [ids.officer]);
    expect(a.n).toBe(1);
    expect((await req('school.admin', 'GET', '/api/ethics/board.xlsx')).statusCode).toBe(403);
  });
});
