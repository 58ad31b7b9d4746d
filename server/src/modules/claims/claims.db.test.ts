import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 7)]);

/** Log a new account in by creating its session directly (no password hashing per account). */
async function account(username: string, role: 'teacher' | 'schoolAdmin' | 'bureauAdmin', orgId: number, teacherId: number | null = null): Promise<string> {
  const userId = await insertUser(t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: username, role, orgId, teacherId });
  const s = await createSession(t.db, userId);
  return `qs_session=${s.token}`;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
  // A second school in the same county, and a teacher in the other county (outside county.admin's scope).
  cookies['school2.admin'] = await account('school2.admin', 'schoolAdmin', w.school2);
  const far = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '远方老师' }));
  cookies['far.teacher'] = await account('far.teacher', 'teacher', w.school3, far);
  cookies['school3.admin'] = await account('school3.admin', 'schoolAdmin', w.school3);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] } });
const upload = (who: string, claimId: number, name: string, content: Buffer) => {
  const m = multipartFile(name, content);
  return t.app.inject({ method: 'POST', url: `/api/claims/${claimId}/files`, payload: m.payload, headers: { ...m.headers, cookie: cookies[who] } });
};
const act = (who: string, id: number, action: string, comment?: string) => req(who, 'POST', `/api/claims/${id}/transitions`, { action, comment });

// Each claim two months before the previous one: the same course on near dates would be a likely duplicate
// (claims-review / hour-duplicates tests), which these tests do not exercise.
let claimsMade = 0;
const claimDate = () => new Date(Date.UTC(2025, 7, 20) - 60 * 86_400_000 * claimsMade++).toISOString().slice(0, 10);
const claimInput = (over: Record<string, unknown> = {}) => ({
  title: '国家智慧教育平台暑期研修',
  category: 'it',
  hours: 12.5,
  occurredOn: claimDate(),
  description: '线上学习并完成结业测试',
  ...over,
});

/** A claim by `who`, with one PDF, submitted. */
async function submittedClaim(who = 'teacher', over: Record<string, unknown> = {}): Promise<number> {
  const c = await req(who, 'POST', '/api/claims', claimInput(over));
  expect(c.statusCode).toBe(201);
  expect((await upload(who, c.json().id, '结业证书.pdf', PDF)).statusCode).toBe(201);
  expect((await act(who, c.json().id, 'submit')).statusCode).toBe(200);
  return c.json().id;
}

const ledgerFor = async (claimId: number) =>
  (
    await t.db.query<{ hours: number; source_type: string; teacher_id: number }>(
      'SELECT hours, source_type, teacher_id FROM ledger_entries WHERE dedupe_key = $1',
      [`claim:${claimId}`],
    )
  ).rows;

const badges = async (who: string) => (await req(who, 'GET', '/api/notifications/badges')).json() as { total: number; byKind: Record<string, number> };

describe('individual hour claims (个人申报)', () => {
  let id: number;

  it('a teacher drafts a claim; reviewers do not see drafts', async () => {
    const r = await req('teacher', 'POST', '/api/claims', claimInput());
    expect(r.statusCode).toBe(201);
    id = r.json().id;
    expect(r.json()).toMatchObject({ status: 'draft', statusLabel: '草稿', editable: true, hours: 12.5, teacherName: '张老师' });
    expect(r.json().allowedActions.map((a: { action: string }) => a.action)).toEqual(['submit']);
    expect((await req('school.admin', 'GET', `/api/claims/${id}`)).statusCode).toBe(404);
    expect((await req('school.admin', 'GET', '/api/claims')).json().total).toBe(0);
    expect((await req('teacher', 'GET', '/api/claims')).json().total).toBe(1);
  });

  it('validates input in Chinese, naming the field', async () => {
    const r = await req('teacher', 'POST', '/api/claims', claimInput({ hours: 0, category: 'nope' }));
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['category', 'hours']);
    const future = await req('teacher', 'POST', '/api/claims', claimInput({ occurredOn: '2099-01-01' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toContain('不能晚于今天');
    expect((await req('school.admin', 'POST', '/api/claims', claimInput())).statusCode).toBe(403);
  });

  it('cannot be submitted without evidence', async () => {
    const r = await act('teacher', id, 'submit');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('证明材料');
  });

  it('takes PDF and image evidence checked by content, at most 5 files', async () => {
    const bad = await upload('teacher', id, 'virus.pdf', Buffer.from('MZ this is an exe'));
    expect(bad.statusCode).toBe(415);
    expect(bad.json().message).toContain('PDF');
    expect((await upload('teacher', id, '证书.pdf', PDF)).statusCode).toBe(201);
    for (let i = 0; i < 4; i++) expect((await upload('teacher', id, `照片${i}.png`, PNG)).statusCode).toBe(201);
    const sixth = await upload('teacher', id, '多余.png', PNG);
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json().message).toContain('最多上传 5 个');
    const detail = (await req('teacher', 'GET', `/api/claims/${id}`)).json();
    expect(detail.files).toHaveLength(5);
    expect(detail.files[0].name).toBe('证书.pdf');
    // Remove one photo again.
    expect((await req('teacher', 'DELETE', `/api/claims/${id}/files/${detail.files[4].id}`)).statusCode).toBe(204);
    expect((await req('teacher', 'GET', `/api/claims/${id}`)).json().files).toHaveLength(4);
  });

  it('submits: school admins are notified; only reviewers in scope can see it and its files', async () => {
    const r = await act('teacher', id, 'submit');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'submitted', editable: false, allowedActions: [{ action: 'withdraw', label: '撤回申报', to: 'withdrawn' }] }); // the teacher may withdraw until the school reviews it
    expect((await badges('school.admin')).byKind.claim).toBe(1);
    const again = await act('teacher', id, 'submit');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('当前状态「待学校审核」不能执行「提交审核」');

    const detail = (await req('school.admin', 'GET', `/api/claims/${id}`)).json();
    expect(detail.allowedActions.map((a: { action: string }) => a.action)).toEqual(['schoolApprove', 'return', 'reject']);
    const fileUrl = `/api/claims/${id}/files/${detail.files[0].id}`;
    const dl = await req('school.admin', 'GET', fileUrl);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect((await req('teacher', 'GET', fileUrl)).statusCode).toBe(200);
    // Another school, another county, another teacher: all 404, as if it did not exist.
    for (const who of ['school2.admin', 'school3.admin', 'far.teacher']) {
      expect((await req(who, 'GET', fileUrl)).statusCode).toBe(404);
      expect((await req(who, 'GET', `/api/claims/${id}`)).statusCode).toBe(404);
    }
    expect((await req('school.admin', 'GET', '/api/claims?pending=1')).json().total).toBe(1);
    expect((await req('county.admin', 'GET', '/api/claims?pending=1')).json().total).toBe(0);
  });

  it('refuses the wrong reviewer and the wrong step', async () => {
    expect((await act('teacher', id, 'schoolApprove')).statusCode).toBe(403);
    const county = await act('county.admin', id, 'schoolApprove');
    expect(county.statusCode).toBe(403);
    expect(county.json().message).toContain('学校管理员');
    const early = await act('school.admin', id, 'countyApprove');
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('当前状态「待学校审核」不能执行「区县审核通过」');
    expect((await act('school3.admin', id, 'schoolApprove')).statusCode).toBe(404);
  });

  it('returns with a comment; the teacher edits and resubmits', async () => {
    const noComment = await act('school.admin', id, 'return');
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().fields[0].field).toBe('comment');
    const r = await act('school.admin', id, 'return', '请补充学时证明');
    expect(r.json().status).toBe('returned');
    const inbox = (await req('teacher', 'GET', '/api/notifications?unread=1')).json();
    expect(inbox.items[0]).toMatchObject({ kind: 'claim', title: '学时申报「国家智慧教育平台暑期研修」被退回修改', body: '审核意见：请补充学时证明' });
    const edited = await req('teacher', 'PUT', `/api/claims/${id}`, claimInput({ hours: 10 }));
    expect(edited.statusCode).toBe(200);
    expect(edited.json().hours).toBe(10);
    expect((await act('teacher', id, 'submit')).json().status).toBe('submitted');
  });

  it('school approves, county approves: exactly one ledger entry', async () => {
    const s = await act('school.admin', id, 'schoolApprove');
    expect(s.json().status).toBe('schoolApproved');
    expect((await req('teacher', 'PUT', `/api/claims/${id}`, claimInput())).statusCode).toBe(409);
    expect((await badges('county.admin')).byKind.claim).toBe(1);
    expect((await act('school.admin', id, 'countyApprove')).statusCode).toBe(403);
    expect(await ledgerFor(id)).toEqual([]);
    const c = await act('county.admin', id, 'countyApprove');
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ status: 'countyApproved', statusLabel: '已认定', allowedActions: [] });
    expect(await ledgerFor(id)).toEqual([{ hours: 10, source_type: 'claim', teacher_id: w.teacherId }]);
    const twice = await act('county.admin', id, 'countyApprove');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('当前状态「已认定」不能执行「区县审核通过」');
    expect(await ledgerFor(id)).toHaveLength(1);
    const hours = (await req('teacher', 'GET', '/api/hours/me')).json();
    expect(hours.entries.some((e: { sourceType: string; hours: number }) => e.sourceType === 'claim' && e.hours === 10)).toBe(true);
  });

  it('logs every transition with who and why', async () => {
    const h = (await req('teacher', 'GET', `/api/claims/${id}`)).json().history;
    expect(h.map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'return', 'submit', 'schoolApprove', 'countyApprove']);
    expect(h[2]).toMatchObject({ comment: '请补充学时证明', userName: '一小管理员', toLabel: '已退回' });
  });

  it('rejects at either step; a rejected claim is final', async () => {
    const a = await submittedClaim();
    expect((await act('school.admin', a, 'reject', '与本人无关的培训')).json().status).toBe('rejected');
    for (const action of ['submit', 'schoolApprove', 'countyApprove', 'return', 'reject'])
      expect((await act(action === 'submit' ? 'teacher' : 'school.admin', a, action, '再次处理')).statusCode).toBe(409);
    const b = await submittedClaim();
    await act('school.admin', b, 'schoolApprove');
    expect((await act('county.admin', b, 'reject', '材料不实')).json().status).toBe('rejected');
    const c = await submittedClaim();
    await act('school.admin', c, 'schoolApprove');
    expect((await act('county.admin', c, 'return', '学时填写有误')).json().status).toBe('returned');
    expect(await ledgerFor(a)).toEqual([]);
    expect(await ledgerFor(b)).toEqual([]);
    expect(await ledgerFor(c)).toEqual([]);
  });

  it('deletes drafts only', async () => {
    const d = (await req('teacher', 'POST', '/api/claims', claimInput())).json().id;
    await upload('teacher', d, 'a.pdf', PDF);
    expect((await req('teacher', 'DELETE', `/api/claims/${d}`)).statusCode).toBe(204);
    expect((await req('teacher', 'GET', `/api/claims/${d}`)).statusCode).toBe(404);
    const s = await submittedClaim();
    expect((await req('teacher', 'DELETE', `/api/claims/${s}`)).statusCode).toBe(409);
  });
});

describe('batch review', () => {
  it('approves many at once, reports the ones it cannot, and adds ledger entries exactly once', async () => {
    const mine = [await submittedClaim('teacher', { hours: 2 }), await submittedClaim('teacher', { hours: 3 }), await submittedClaim('teacher', { hours: 4 })];
    const far = await submittedClaim('far.teacher');
    const draft = (await req('teacher', 'POST', '/api/claims', claimInput())).json().id;

    const before = (await badges('county.admin')).byKind.claim ?? 0;
    const s = await req('school.admin', 'POST', '/api/claims/batch', { ids: [...mine, far, draft], action: 'schoolApprove' });
    expect(s.statusCode).toBe(200);
    expect(s.json().succeeded).toEqual(mine);
    expect(s.json().failed).toEqual([
      { id: far, message: '学时申报不存在或无权访问' },
      { id: draft, message: '学时申报不存在或无权访问' },
    ]);
    // One message to the county for the whole batch of three, not three.
    expect((await badges('county.admin')).byKind.claim).toBe(before + 1);
    const c = await req('county.admin', 'POST', '/api/claims/batch', { ids: mine, action: 'countyApprove' });
    expect(c.json()).toEqual({ succeeded: mine, failed: [] });
    for (const [i, cid] of mine.entries()) expect(await ledgerFor(cid)).toEqual([{ hours: i + 2, source_type: 'claim', teacher_id: w.teacherId }]);

    const again = await req('county.admin', 'POST', '/api/claims/batch', { ids: mine, action: 'countyApprove' });
    expect(again.json().succeeded).toEqual([]);
    expect(again.json().failed.map((f: { message: string }) => f.message)).toEqual(mine.map(() => '当前状态「已认定」不能执行「区县审核通过」'));
    const n = (
      await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE dedupe_key = ANY($1::text[])`, [mine.map((m) => `claim:${m}`)])
    ).rows[0].n;
    expect(n).toBe(3);
  });

  it('a return in batch needs a comment; the teacher hears about every decision', async () => {
    const ids = [await submittedClaim('teacher', { title: '批量退回一' }), await submittedClaim('teacher', { title: '批量退回二' })];
    expect((await req('school.admin', 'POST', '/api/claims/batch', { ids, action: 'return' })).statusCode).toBe(400);
    const r = await req('school.admin', 'POST', '/api/claims/batch', { ids, action: 'return', comment: '请附上结业证书' });
    expect(r.json().succeeded).toEqual(ids);
    const titles = (await req('teacher', 'GET', '/api/notifications?unread=1&pageSize=100')).json().items.map((i: { title: string }) => i.title);
    expect(titles).toContain('学时申报「批量退回一」被退回修改');
    expect(titles).toContain('学时申报「批量退回二」被退回修改');
    expect((await req('teacher', 'POST', '/api/claims/batch', { ids, action: 'schoolApprove' })).statusCode).toBe(403);
  });
});
