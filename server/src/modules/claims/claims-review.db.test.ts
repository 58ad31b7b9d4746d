import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';

// Issue 11 item 4: a reviewer approves fewer hours than claimed (with a reason the teacher sees, never
// more than claimed; the ledger entry says so); a teacher withdraws a claim before any review; evidence
// opens inline for the preview, framed by the app only.

let t: TestApp;
const cookies: Record<string, string> = {};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  t = await createTestApp();
  await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] } });
const act = (who: string, id: number, body: Record<string, unknown>) => req(who, 'POST', `/api/claims/${id}/transitions`, body);

async function submitted(title: string, hours: number, occurredOn: string): Promise<{ id: number; fileId: number }> {
  const c = await req('teacher', 'POST', '/api/claims', { title, category: 'subject', hours, occurredOn, description: '' });
  expect(c.statusCode, c.body).toBe(201);
  const m = multipartFile('结业证书.pdf', PDF);
  const up = await t.app.inject({
    method: 'POST',
    url: `/api/claims/${c.json().id}/files`,
    payload: m.payload,
    headers: { ...m.headers, cookie: cookies.teacher },
  });
  expect((await act('teacher', c.json().id, { action: 'submit' })).statusCode).toBe(200);
  return { id: c.json().id, fileId: up.json().id };
}

describe('approving fewer hours than claimed', () => {
  let id: number;

  it('refuses more than claimed, and fewer without a reason, with field messages', async () => {
    id = (await submitted('初中数学大单元教学设计研修', 12, '2025-10-15')).id;
    const more = await act('school.admin', id, { action: 'schoolApprove', hours: 13 });
    expect(more.statusCode).toBe(400);
    expect(more.json().fields).toEqual([{ field: 'hours', message: '认定学时不能超过申报的 12 学时' }]);
    const bare = await act('school.admin', id, { action: 'schoolApprove', hours: 8 });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().fields).toEqual([{ field: 'comment', message: '请填写核减理由' }]);
    const onReturn = await act('school.admin', id, { action: 'return', hours: 8, comment: '材料不全' });
    expect(onReturn.statusCode).toBe(400);
    expect(onReturn.json().fields[0].field).toBe('hours');
  });

  it('stores the lowered hours and the reason; the county cannot raise them; the ledger entry notes it; the teacher sees it', async () => {
    const ok = await act('school.admin', id, { action: 'schoolApprove', hours: 8, comment: '证书显示线下集中研修 8 学时' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().approvedHours).toBe(8);

    const raise = await act('county.admin', id, { action: 'countyApprove', hours: 10 });
    expect(raise.statusCode).toBe(400);
    expect(raise.json().fields).toEqual([{ field: 'hours', message: '认定学时不能超过已核定的 8 学时' }]);

    expect((await act('county.admin', id, { action: 'countyApprove' })).statusCode).toBe(200);
    const entry = (
      await t.db.query<{ hours: number; description: string }>(`SELECT hours, description FROM ledger_entries WHERE dedupe_key = $1`, [`claim:${id}`])
    ).rows[0];
    expect(entry.hours).toBe(8);
    expect(entry.description).toBe('个人申报：初中数学大单元教学设计研修（申报 12 学时，认定 8 学时；核减理由：证书显示线下集中研修 8 学时）');

    const mine = (await req('teacher', 'GET', `/api/claims/${id}`)).json();
    expect(mine).toMatchObject({ status: 'countyApproved', hours: 12, approvedHours: 8, hoursReason: '证书显示线下集中研修 8 学时' });
    const note = (
      await t.db.query<{ title: string }>(
        `SELECT n.title FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'teacher' AND n.link = $1 ORDER BY n.id DESC LIMIT 1`,
        [`/claims/${id}`],
      )
    ).rows[0];
    expect(note.title).toBe('学时申报「初中数学大单元教学设计研修」已认定 8 学时（申报 12 学时）');
  });
});

describe('withdrawing a claim', () => {
  it('the teacher withdraws a claim waiting for the school; it is kept, audited and no longer reviewable', async () => {
    const { id } = await submitted('班主任工作坊', 4, '2025-11-02');
    expect((await act('school.admin', id, { action: 'withdraw' })).statusCode).toBe(403);
    const r = await act('teacher', id, { action: 'withdraw' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'withdrawn', statusLabel: '已撤回', allowedActions: [] });
    expect((await act('school.admin', id, { action: 'schoolApprove' })).statusCode).toBe(409);
    const audited = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'claim.withdraw' AND entity_id = $1`, [String(id)]);
    expect(audited.rows).toHaveLength(1);
    const pending = (await req('school.admin', 'GET', '/api/claims?pending=1')).json();
    expect(pending.items.map((c: { id: number }) => c.id)).not.toContain(id);
  });

  it('not after a review step', async () => {
    const { id } = await submitted('师德专题讲座', 2, '2025-11-03');
    expect((await act('school.admin', id, { action: 'schoolApprove' })).statusCode).toBe(200);
    const r = await act('teacher', id, { action: 'withdraw' });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('当前状态「待区县审核」不能执行「撤回申报」');
  });
});

describe('evidence preview', () => {
  it('inline=1 serves the file inline, frameable by the app only; the plain download stays an attachment', async () => {
    const { id, fileId } = await submitted('课题研究方法', 3, '2025-11-04');
    const inline = await req('school.admin', 'GET', `/api/claims/${id}/files/${fileId}?inline=1`);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-disposition']).toMatch(/^inline/);
    expect(inline.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(inline.headers['content-security-policy']).not.toContain('script-src');
    expect(inline.headers['x-frame-options']).toBe('SAMEORIGIN');
    const dl = await req('school.admin', 'GET', `/api/claims/${id}/files/${fileId}`);
    expect(dl.headers['content-disposition']).toMatch(/^attachment/);
    expect(dl.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await req('school.admin', 'GET', `/api/claims/${id}/files/${fileId}?inline=2`)).statusCode).toBe(400);
  });
});
