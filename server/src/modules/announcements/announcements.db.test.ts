import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

async function account(username: string, role: 'teacher' | 'schoolAdmin' | 'bureauAdmin', orgId: number, teacherId: number | null = null): Promise<string> {
  const userId = await insertUser(t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: username, role, orgId, teacherId });
  return `qs_session=${(await createSession(t.db, userId)).token}`;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
  cookies['school2.admin'] = await account('school2.admin', 'schoolAdmin', w.school2);
  const t2 = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2, { name: '李老师' }));
  cookies.t2 = await account('t2', 'teacher', w.school2, t2);
  const far = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '远方老师' }));
  cookies.far = await account('far', 'teacher', w.school3, far);
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: cookies[who] } });
const publish = async (who: string, audience: string, title: string) => {
  const r = await req(who, 'POST', '/api/announcements', { title, body: '各学校：\n请于月底前完成。', audience });
  expect(r.statusCode).toBe(201);
  return r.json().id as number;
};
const inboxTitles = async (who: string) => ((await req(who, 'GET', '/api/announcements')).json().items as { title: string }[]).map((i) => i.title);
const unreadTodo = async (who: string) =>
  ((await req(who, 'GET', '/api/todo')).json().items as { kind: string; count: number }[]).find((i) => i.kind === 'announcements')?.count;

describe('通知公告', () => {
  it('refuses bad input with field messages in Chinese, and non-publishers', async () => {
    const r = await req('county.admin', 'POST', '/api/announcements', { title: '', audience: 'nobody' });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/标题|发布范围/);
    expect((await req('teacher', 'POST', '/api/announcements', { title: '我的通知', audience: 'all' })).statusCode).toBe(403);
  });

  it('reaches the publisher’s subtree and audience only, never the publisher', async () => {
    await publish('county.admin', 'teachers', '甲区教师暑期培训安排');
    await publish('county.admin', 'schools', '甲区学校报送材料通知');
    await publish('school.admin', 'all', '一小教研活动通知');
    expect(await inboxTitles('teacher')).toEqual(['一小教研活动通知', '甲区教师暑期培训安排']);
    expect(await inboxTitles('t2')).toEqual(['甲区教师暑期培训安排']);
    expect(await inboxTitles('far')).toEqual([]); // another county
    expect(await inboxTitles('school2.admin')).toEqual(['甲区学校报送材料通知']);
    expect(await inboxTitles('school.admin')).toEqual(['甲区学校报送材料通知']); // not its own
    expect(await inboxTitles('county.admin')).toEqual([]);
    expect(await inboxTitles('city.admin')).toEqual([]); // above the publisher: not a recipient
    expect(await unreadTodo('teacher')).toBe(2);
  });

  it('writes the read receipt once, on the recipient’s first opening; others get 404', async () => {
    const id = await publish('county.admin', 'all', '关于开展师德师风专题学习的通知');
    expect(await unreadTodo('teacher')).toBe(3);
    const first = await req('teacher', 'GET', `/api/announcements/${id}`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ title: '关于开展师德师风专题学习的通知', body: '各学校：\n请于月底前完成。', read: true, canSeeReceipts: false });
    const at = (await t.db.query<{ read_at: Date }>('SELECT read_at FROM announcement_reads WHERE announcement_id = $1', [id])).rows;
    expect(at).toHaveLength(1);
    await req('teacher', 'GET', `/api/announcements/${id}`);
    const again = (await t.db.query<{ read_at: Date }>('SELECT read_at FROM announcement_reads WHERE announcement_id = $1', [id])).rows;
    expect(again).toEqual(at);
    expect(await unreadTodo('teacher')).toBe(2);
    expect((await req('far', 'GET', `/api/announcements/${id}`)).statusCode).toBe(404);
    // The city manages the county's announcement: it reads it (no receipt) and its receipts.
    const city = await req('city.admin', 'GET', `/api/announcements/${id}`);
    expect(city.json()).toMatchObject({ canSeeReceipts: true });
    expect((await t.db.query('SELECT 1 FROM announcement_reads WHERE announcement_id = $1', [id])).rows).toHaveLength(1);
    // Receipts cannot be changed or removed.
    await expect(t.db.query('DELETE FROM announcement_reads WHERE announcement_id = $1', [id])).rejects.toThrow();
  });

  it('shows the publisher read and unread per org, and exports the unread list (names and org only, audited)', async () => {
    const id = await publish('county.admin', 'all', '年度培训计划公告');
    await req('teacher', 'GET', `/api/announcements/${id}`);
    await req('school.admin', 'GET', `/api/announcements/${id}`);
    const r = await req('county.admin', 'GET', `/api/announcements/${id}/receipts`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    // Recipients: school.admin and teacher at 一小; school2.admin and t2 at 二中.
    expect(body).toMatchObject({ recipients: 4, read: 2, unread: 2 });
    expect(body.orgs).toEqual([
      { orgId: w.school1, orgName: '甲区第一小学', recipients: 2, read: 2, unread: 0 },
      { orgId: w.school2, orgName: '甲区第二中学', recipients: 2, read: 0, unread: 2 },
    ]);
    expect((await req('school.admin', 'GET', `/api/announcements/${id}/receipts`)).statusCode).toBe(404);
    expect((await req('teacher', 'GET', `/api/announcements/${id}/receipts`)).statusCode).toBe(403);

    const x = await req('county.admin', 'GET', `/api/announcements/${id}/unread.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0].getSheetValues() as unknown[][]).filter(Boolean).map((v) => v.slice(1));
    expect(rows).toEqual([
      ['姓名', '单位', '身份'],
      ['school2.admin', '甲区第二中学', '学校管理员'],
      ['t2', '甲区第二中学', '教师'],
    ]);
    const audited = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'announcement.exportUnread' AND entity_id = $1`, [String(id)]);
    expect(audited.rows).toHaveLength(1);
  });

  it('lists what the publisher’s subtree sent', async () => {
    const sent = (await req('county.admin', 'GET', '/api/announcements/sent')).json();
    expect(sent.items.map((i: { title: string }) => i.title)).toContain('一小教研活动通知');
    expect((await req('school2.admin', 'GET', '/api/announcements/sent')).json().total).toBe(0);
  });
});
