import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../../demo/national-ids.js';
import { readXlsxRows } from '../../platform/excel.js';
import { newPasswordProblem } from '../auth/password-rules.js';
import { accountsWorld, rotatedCookie, type AccountsWorld } from './accounts.fixtures.js';
import type { IssueResult } from './issue.service.js';
import { issueAccounts } from './issue.service.js';
import { purgeExpiredSlips } from './slips.js';

// 开通账号: a school's 系统管理员 issues accounts to its teachers; the passwords are answered once, sign in
// (username, 身份证号, phone), must be changed first, and go on a 账号单 only the issuer downloads, once.

let aw: AccountsWorld;
beforeAll(async () => {
  aw = await accountsWorld();
});
afterAll(async () => aw?.t.close());

const auditRows = (action: string) =>
  aw.t.db.query<{ user_id: number; entity_id: string; detail: Record<string, unknown> }>(
    'SELECT user_id, entity_id, detail FROM audit_log WHERE action = $1 ORDER BY id',
    [action],
  );

describe('开通账号 for selected teachers', () => {
  let result: IssueResult;
  let a: number;
  let b: number;
  let retired: number;
  let elsewhere: number;
  let schoolSys: string;
  const nid = makeNationalId('110101', '1990-03-07', 1, 'male');

  beforeAll(async () => {
    a = await aw.teacher(aw.w.school1, { name: '李红', nationalId: nid, phone: '13912345678' });
    b = await aw.teacher(aw.w.school1, { name: '王强' });
    retired = await aw.teacher(aw.w.school1, { name: '退休者', status: 'retired' });
    elsewhere = await aw.teacher(aw.w.school3, { name: '乙县教师' });
    schoolSys = await aw.login('school.sys');
    const r = await aw.call(schoolSys, 'POST', '/api/accounts/issue', { teacherIds: [a, b, aw.w.teacherId, retired, elsewhere] });
    expect(r.statusCode, r.body).toBe(200);
    result = r.json();
  });

  it('creates t<teacherId> accounts with initial passwords that meet the rules, and says why others were skipped', () => {
    expect(result.issued.map((x) => [x.teacherId, x.username, x.name, x.orgName])).toEqual([
      [a, `t${a}`, '李红', '甲区第一小学'],
      [b, `t${b}`, '王强', '甲区第一小学'],
    ]);
    for (const x of result.issued) {
      expect(x.initialPassword).toHaveLength(10);
      expect(newPasswordProblem(x.initialPassword, { username: x.username })).toBeNull();
    }
    expect(result.skipped).toEqual([
      { teacherId: aw.w.teacherId, name: '张老师', reason: '已开通账号（用户名 teacher）' },
      { teacherId: retired, name: '退休者', reason: '教师状态为「退休」，不开通账号' },
      { teacherId: elsewhere, name: null, reason: '教师不存在或不在您的管理范围内' },
    ]);
    expect(result.remaining).toBe(0);
  });

  it('stores only argon2id hashes, flags the change at first login and grants the 教师 role', async () => {
    const rows = await aw.t.db.query<{ password_hash: string; must_change_password: boolean; created_by: number; roles: string[] }>(
      `SELECT u.password_hash, u.must_change_password, u.created_by, array_agg(r.role) AS roles
         FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.teacher_id = ANY($1::int[]) GROUP BY u.id ORDER BY u.id`,
      [[a, b]],
    );
    expect(rows.rows).toHaveLength(2);
    for (const r of rows.rows) {
      expect(r.password_hash).toMatch(/^\$argon2id\$/);
      expect(r).toMatchObject({ must_change_password: true, created_by: aw.ids['school.sys'], roles: ['teacher'] });
    }
  });

  it('the password signs in by username, 身份证号 and phone; until it is changed everything else answers 403 PASSWORD_CHANGE_REQUIRED', async () => {
    const pw = result.issued[0].initialPassword;
    for (const id of [`t${a}`, nid, '139 1234 5678']) expect((await aw.tryLogin(id, pw)).statusCode, id).toBe(200);
    const c = await aw.login(nid, pw);
    const me = (await aw.call(c, 'GET', '/api/auth/me')).json();
    expect(me).toMatchObject({ username: `t${a}`, role: 'teacher', mustChangePassword: true, displayName: '李红' });
    const blocked = await aw.call(c, 'GET', '/api/my/projects');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改初始密码后再继续使用' });

    const changed = await aw.call(c, 'POST', '/api/auth/password', { currentPassword: pw, newPassword: 'LiHong@2025' });
    expect(changed.statusCode).toBe(204);
    expect((await aw.call(c, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const next = rotatedCookie(changed);
    expect((await aw.call(next, 'GET', '/api/auth/me')).json().mustChangePassword).toBe(false);
    expect((await aw.call(next, 'GET', '/api/my/projects')).statusCode).toBe(200);
    expect((await aw.tryLogin(nid, pw)).statusCode).toBe(401);
    expect((await aw.tryLogin(nid, 'LiHong@2025')).statusCode).toBe(200);
  });

  it('the list shows each teacher’s account state in Chinese', async () => {
    const r = await aw.call(schoolSys, 'GET', `/api/accounts/teachers?orgId=${aw.w.school1}&pageSize=50`);
    expect(r.statusCode).toBe(200);
    const list = r.json() as {
      items: { teacherId: number; status: string; statusLabel: string; account: { username: string } | null; nationalIdMasked: string }[];
      counts: Record<string, number>;
    };
    const row = (id: number) => list.items.find((x) => x.teacherId === id);
    expect(row(a)).toMatchObject({ status: 'active', statusLabel: '正常', account: { username: `t${a}` } });
    expect(row(b)).toMatchObject({ status: 'mustChange', statusLabel: '待首次登录改密' });
    expect(row(aw.w.teacherId)).toMatchObject({ status: 'active', account: { username: 'teacher' } });
    // A retired teacher without an account is not listed; the list never carries a full 身份证号.
    expect(row(retired)).toBeUndefined();
    expect(row(a)?.nationalIdMasked).not.toContain('19900307');
    expect(r.body).not.toContain(nid);
    expect(list.counts).toMatchObject({ active: 2, mustChange: 1 });
    const none = (await aw.call(schoolSys, 'GET', '/api/accounts/teachers?status=mustChange')).json() as { items: { teacherId: number }[] };
    expect(none.items.map((x) => x.teacherId)).toEqual([b]);
  });

  it('the 账号单 downloads once, for its issuer only, with every password; each download is audited without them', async () => {
    const other = await aw.login('county.sys');
    expect((await aw.call(other, 'POST', `/api/accounts/slips/${result.slipId}/download`)).statusCode).toBe(404);
    const slips = (await aw.call(schoolSys, 'GET', '/api/accounts/slips')).json() as {
      id: number;
      count: number;
      downloadedAt: string | null;
      kindLabel: string;
    }[];
    expect(slips.find((s) => s.id === result.slipId)).toMatchObject({ count: 2, downloadedAt: null, kindLabel: '开通账号' });
    const stored = await aw.t.db.query<{ entry_enc: string }>('SELECT entry_enc FROM account_slip_entries WHERE slip_id = $1', [result.slipId]);
    expect(stored.rows).toHaveLength(2);
    for (const e of stored.rows) for (const x of result.issued) expect(e.entry_enc).not.toContain(x.initialPassword);

    const d = await aw.call(schoolSys, 'POST', `/api/accounts/slips/${result.slipId}/download`);
    expect(d.statusCode).toBe(200);
    expect(d.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(d.headers['content-disposition']))).toContain('账号单-开通账号');
    const rows = await readXlsxRows(d.rawPayload, { skipSheets: ['说明'] });
    expect(rows[0].cells).toEqual(['序号', '姓名', '学校', '用户名', '初始密码', '登录方式说明']);
    expect(rows.slice(1).map((r) => r.cells.slice(1, 5))).toEqual(result.issued.map((x) => [x.name, x.orgName, x.username, x.initialPassword]));
    expect(String(rows[1].cells[5])).toContain('身份证号');

    const again = await aw.call(schoolSys, 'POST', `/api/accounts/slips/${result.slipId}/download`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已下载过');
    expect((await aw.t.db.query('SELECT 1 FROM account_slip_entries WHERE slip_id = $1', [result.slipId])).rows.length).toBe(0);

    const lines = await auditRows('account.slip.download');
    expect(lines.rows).toEqual([{ user_id: aw.ids['school.sys'], entity_id: String(result.slipId), detail: { kind: 'issue', count: 2 } }]);
    expect((await auditRows('account.issue')).rows[0]).toMatchObject({ user_id: aw.ids['school.sys'], detail: { count: 2, teacherIds: [a, b] } });
    const everything = JSON.stringify((await aw.t.db.query('SELECT detail FROM audit_log')).rows);
    for (const x of result.issued) expect(everything).not.toContain(x.initialPassword);
  });
});

describe('开通账号 for all teachers of an org, in rounds', () => {
  it('issues the next round, says how many remain, and adds each round to one 账号单', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await aw.teacher(aw.w.school2, { name: `二中教师${i}` }));
    const countySys = await aw.login('county.sys');
    const current = await aw.asUser('county.sys');
    const first = await issueAccounts(aw.t.ctx, current, { orgId: aw.w.school2 }, undefined, 3);
    expect(first.issued.map((x) => x.teacherId)).toEqual(ids.slice(0, 3));
    expect(first.remaining).toBe(2);
    const second = await issueAccounts(aw.t.ctx, current, { orgId: aw.w.school2, slipId: first.slipId }, undefined, 3);
    expect(second.slipId).toBe(first.slipId);
    expect(second.issued.map((x) => x.teacherId)).toEqual(ids.slice(3));
    expect(second.remaining).toBe(0);
    // Through the API: nothing left, nothing issued.
    const third = await aw.call(countySys, 'POST', '/api/accounts/issue', { orgId: aw.w.school2, slipId: first.slipId });
    expect(third.json()).toMatchObject({ issued: [], remaining: 0 });
    const slip = await aw.t.db.query<{ entry_count: number }>('SELECT entry_count FROM account_slips WHERE id = $1', [first.slipId]);
    expect(slip.rows[0].entry_count).toBe(5);
  });

  it('a county issues for its whole subtree; a sibling county or school is 404', async () => {
    const x = await aw.teacher(aw.w.school1, { name: '一小新教师' });
    const countySys = await aw.login('county.sys');
    const r = await aw.call(countySys, 'POST', '/api/accounts/issue', { orgId: aw.w.county1 });
    expect(r.statusCode).toBe(200);
    expect((r.json() as IssueResult).issued.map((i) => i.teacherId)).toContain(x);
    for (const org of [aw.w.county2, aw.w.school3, aw.w.city]) {
      const s = await aw.call(countySys, 'POST', '/api/accounts/issue', { orgId: org });
      expect(s.statusCode).toBe(404);
      expect(s.json().message).toBe('单位不存在或无权访问');
    }
  });

  it('two administrators issuing the same teacher at once create one account', async () => {
    const x = await aw.teacher(aw.w.school1, { name: '并发教师' });
    const [c1, c2] = [await aw.login('school.sys'), await aw.login('county.sys')];
    const [r1, r2] = await Promise.all([
      aw.call(c1, 'POST', '/api/accounts/issue', { teacherIds: [x] }),
      aw.call(c2, 'POST', '/api/accounts/issue', { teacherIds: [x] }),
    ]);
    const results = [r1.json(), r2.json()] as IssueResult[];
    expect(results.flatMap((r) => r.issued).map((i) => i.teacherId)).toEqual([x]);
    expect(results.flatMap((r) => r.skipped).map((s) => s.teacherId)).toEqual([x]);
    expect((await aw.t.db.query('SELECT 1 FROM users WHERE teacher_id = $1', [x])).rows.length).toBe(1);
  });
});

describe('who may issue, and bad input', () => {
  it('only a 系统管理员 issues; a 安全管理员 reads the list; a 学校管理员 neither', async () => {
    const x = await aw.teacher(aw.w.school1);
    const sec = await aw.login('city.sec');
    expect((await aw.call(sec, 'GET', '/api/accounts/teachers')).statusCode).toBe(200);
    expect((await aw.call(sec, 'POST', '/api/accounts/issue', { teacherIds: [x] })).statusCode).toBe(403);
    const school = await aw.login('school.admin');
    expect((await aw.call(school, 'GET', '/api/accounts/teachers')).statusCode).toBe(403);
    expect((await aw.call(school, 'POST', '/api/accounts/issue', { teacherIds: [x] })).statusCode).toBe(403);
    const auditor = await aw.login('city.audit');
    expect((await aw.call(auditor, 'GET', '/api/accounts/admins')).statusCode).toBe(403);
  });

  it('refuses an empty or double selection and more than 100 teachers with a Chinese message', async () => {
    const c = await aw.login('school.sys');
    for (const body of [{}, { teacherIds: [] }, { teacherIds: [1], orgId: aw.w.school1 }, { teacherIds: Array.from({ length: 101 }, (_, i) => i + 1) }]) {
      const r = await aw.call(c, 'POST', '/api/accounts/issue', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().message).toMatch(/请选择教师|一次最多 100 项/);
    }
  });

  it('another administrator’s or an unknown slip cannot be continued', async () => {
    const x = await aw.teacher(aw.w.school1);
    const c = await aw.login('school.sys');
    const mine = (await aw.call(c, 'POST', '/api/accounts/issue', { teacherIds: [x] })).json() as IssueResult;
    const y = await aw.teacher(aw.w.school1);
    const other = await aw.login('county.sys');
    expect((await aw.call(other, 'POST', '/api/accounts/issue', { teacherIds: [y], slipId: mine.slipId })).statusCode).toBe(404);
    // Nothing half-written: y has no account after the refusal.
    expect((await aw.t.db.query('SELECT 1 FROM users WHERE teacher_id = $1', [y])).rows.length).toBe(0);
  });

  it('an expired slip no longer downloads and is purged with its passwords', async () => {
    const x = await aw.teacher(aw.w.school1);
    const c = await aw.login('school.sys');
    const r = (await aw.call(c, 'POST', '/api/accounts/issue', { teacherIds: [x] })).json() as IssueResult;
    expect(new Date(r.expiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    await aw.t.db.query(`UPDATE account_slips SET expires_at = now() - interval '1 second' WHERE id = $1`, [r.slipId]);
    expect((await aw.call(c, 'POST', `/api/accounts/slips/${r.slipId}/download`)).statusCode).toBe(404);
    expect(((await aw.call(c, 'GET', '/api/accounts/slips')).json() as { id: number }[]).map((s) => s.id)).not.toContain(r.slipId);
    expect(await purgeExpiredSlips(aw.t.ctx)).toBeGreaterThanOrEqual(1);
    expect((await aw.t.db.query('SELECT 1 FROM account_slip_entries WHERE slip_id = $1', [r.slipId])).rows.length).toBe(0);
  });

  it('the username pattern t<digits> belongs to the teacher of that id only', async () => {
    await expect(aw.t.db.query(`INSERT INTO users (username, password_hash, display_name) VALUES ('t999', 'x', 'x')`)).rejects.toThrow();
    await expect(aw.t.db.query(`INSERT INTO users (username, password_hash, display_name) VALUES ('TEACHER', 'x', 'x')`)).rejects.toThrow();
  });
});
