import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../../test/factories.js';
import type { TeacherDto } from '../teachers/teachers.service.js';
import { accountsWorld, addRole, rotatedCookie, type AccountsWorld } from './accounts.fixtures.js';
import type { IssueResult } from './issue.service.js';
import type { ResetResult } from './issue.service.js';

// An account stops when the teacher leaves (退休, 调出 through PUT /api/teachers/:id: the trigger of 0021
// and 0023) or when a 系统管理员 stops it with a reason; it starts again only when the teacher is back in
// post. 重置密码 gives a new initial password and ends every session of the account.

let aw: AccountsWorld;
let schoolSys: string;
let countyAdmin: string;
beforeAll(async () => {
  aw = await accountsWorld();
  schoolSys = await aw.login('school.sys');
  countyAdmin = await aw.login('county.admin');
});
afterAll(async () => aw?.t.close());

/** A teacher of 一小 with an issued account, its password already changed to `password`, and no session open. */
async function teacherWithAccount(name: string): Promise<{ teacherId: number; userId: number; username: string; password: string }> {
  const teacherId = await aw.teacher(aw.w.school1, { name });
  const r = (await aw.call(schoolSys, 'POST', '/api/accounts/issue', { teacherIds: [teacherId] })).json() as IssueResult;
  const a = r.issued[0];
  const c = await aw.login(a.username, a.initialPassword);
  const changed = await aw.call(c, 'POST', '/api/auth/password', { currentPassword: a.initialPassword, newPassword: 'Teach@2025' });
  expect(changed.statusCode).toBe(204);
  // The change rotates the session token: the old cookie is already dead, the new one logs out.
  await aw.call(rotatedCookie(changed), 'POST', '/api/auth/logout');
  return { teacherId, userId: a.userId, username: a.username, password: 'Teach@2025' };
}

/** PUT /api/teachers/:id as the county's 教育局管理员, changing only the status. */
async function setTeacherStatus(teacherId: number, status: string) {
  const t = (await aw.call(countyAdmin, 'GET', `/api/teachers/${teacherId}`)).json() as TeacherDto;
  const full = (await aw.call(countyAdmin, 'POST', `/api/teachers/${teacherId}/unmask`)).json() as { nationalId: string; phone: string | null };
  const body = {
    name: t.name,
    nationalId: full.nationalId,
    phone: full.phone,
    orgId: t.orgId,
    employment: t.employment,
    stage: t.stage,
    subjects: t.subjects,
    hireDate: t.hireDate,
    education: t.education,
    title: t.title,
    certificates: t.certificates,
    roles: t.roles.map((r) => ({ role: r.role, since: r.since })),
    partyMember: t.partyMember,
    status,
    version: t.version,
  };
  const r = await aw.call(countyAdmin, 'PUT', `/api/teachers/${teacherId}`, body);
  expect(r.statusCode, r.body).toBe(200);
}

const rowOf = async (teacherId: number) => {
  const list = (await aw.call(schoolSys, 'GET', `/api/accounts/teachers?orgId=${aw.w.school1}&pageSize=200`)).json() as {
    items: { teacherId: number; status: string; statusLabel: string; statusReason: string | null; teacherStatusLabel: string }[];
  };
  return list.items.find((x) => x.teacherId === teacherId);
};

describe('deactivation follows the teacher’s status', () => {
  it.each([
    ['retired', '退休'],
    ['transferred', '调出'],
  ])('a teacher set to %s through PUT /api/teachers/:id can no longer sign in, and the list says why', async (status, label) => {
    const a = await teacherWithAccount(`离岗教师${status}`);
    // The teacher is also the school's 信息管理员: leaving ends that role too.
    await addRole(aw, a.userId, 'infoAdmin', aw.w.school1);
    const session = await aw.login(a.username, a.password);
    await setTeacherStatus(a.teacherId, status);

    expect((await aw.call(session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const login = await aw.tryLogin(a.username, a.password);
    expect(login.statusCode).toBe(401);
    expect(login.json().message).toBe('该账号已停用，请联系本单位系统管理员');
    expect(await rowOf(a.teacherId)).toMatchObject({
      status: 'deactivated',
      statusLabel: '已停用',
      statusReason: `教师状态变为「${label}」，账号随之停用`,
      teacherStatusLabel: label,
    });
    const roles = await aw.t.db.query<{ role: string; revoke_reason: string }>('SELECT role, revoke_reason FROM user_roles WHERE user_id = $1 ORDER BY id', [
      a.userId,
    ]);
    expect(roles.rows).toEqual([
      { role: 'teacher', revoke_reason: `teacherStatus:${status}` },
      { role: 'infoAdmin', revoke_reason: `teacherStatus:${status}` },
    ]);
    const detail = (await aw.call(schoolSys, 'GET', `/api/accounts/${a.userId}`)).json() as { statusHistory: { active: boolean; text: string }[] };
    expect(detail.statusHistory).toEqual([expect.objectContaining({ active: false, text: `教师状态变为「${label}」，账号随之停用` })]);

    // 启用 is refused while the teacher is away, and works (教师 role back) once they are in post again.
    const refused = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/activate`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe(`该教师当前状态为「${label}」，不能启用其账号；教师恢复在职后可再启用`);
    await setTeacherStatus(a.teacherId, 'active');
    expect((await aw.tryLogin(a.username, a.password)).statusCode).toBe(401);
    const ok = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/activate`, { reason: '返聘' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ teacherRoleRestored: true });
    const back = await aw.login(a.username, a.password);
    // Only the 教师 role comes back; 信息管理员 would need a new grant.
    expect((await aw.call(back, 'GET', '/api/auth/me')).json()).toMatchObject({ role: 'teacher', roles: [expect.objectContaining({ role: 'teacher' })] });
    expect(await rowOf(a.teacherId)).toMatchObject({ status: 'active' });
  });
});

describe('停用 / 启用 by the 系统管理员', () => {
  it('stops an account with a reason: sessions end, sign-in is refused, the reason is shown, kept and audited', async () => {
    const a = await teacherWithAccount('被停用教师');
    const session = await aw.login(a.username, a.password);
    const noReason = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/deactivate`, {});
    expect(noReason.statusCode).toBe(400);
    const r = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/deactivate`, { reason: '长期病假' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ sessionsEnded: 1 });
    expect((await aw.call(session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await aw.tryLogin(a.username, a.password)).json().message).toBe('该账号已停用，请联系本单位系统管理员');
    expect(await rowOf(a.teacherId)).toMatchObject({ status: 'deactivated', statusReason: '系统管理员停用：长期病假' });
    const again = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/deactivate`, { reason: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('该账号已是停用状态');

    const ok = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/activate`, { reason: '病愈返岗' });
    expect(ok.json()).toEqual({ teacherRoleRestored: false });
    expect((await aw.tryLogin(a.username, a.password)).statusCode).toBe(200);
    expect((await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/activate`, {})).statusCode).toBe(409);

    const audit = await aw.t.db.query<{ action: string; detail: Record<string, unknown> }>(
      `SELECT action, detail FROM audit_log WHERE entity = 'user' AND entity_id = $1 AND action IN ('account.deactivate', 'account.activate') ORDER BY id`,
      [String(a.userId)],
    );
    expect(audit.rows).toEqual([
      { action: 'account.deactivate', detail: { username: a.username, reason: '长期病假', sessionsEnded: 1 } },
      { action: 'account.activate', detail: { username: a.username, reason: '病愈返岗', teacherRoleRestored: false } },
    ]);
    const history = (await aw.call(schoolSys, 'GET', `/api/accounts/${a.userId}`)).json() as { statusHistory: { active: boolean; text: string; by: string }[] };
    expect(history.statusHistory.map((h) => [h.active, h.text, h.by])).toEqual([
      [true, '启用', 'school.sys'],
      [false, '系统管理员停用：长期病假', 'school.sys'],
    ]);
    await expect(aw.t.db.query('DELETE FROM account_status_changes')).rejects.toThrow(/append-only/);
  });

  it('refuses to stop one’s own account', async () => {
    const r = await aw.call(schoolSys, 'POST', `/api/accounts/${aw.ids['school.sys']}/deactivate`, { reason: '测试' });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toContain('不能在账号管理中变更本人账号');
  });
});

describe('重置密码', () => {
  it('gives a new initial password once: every session ends, the old password stops working, the new one must be changed', async () => {
    const a = await teacherWithAccount('忘记密码教师');
    const phone = await aw.login(a.username, a.password);
    const laptop = await aw.login(a.username, a.password);
    const r = await aw.call(schoolSys, 'POST', `/api/accounts/${a.userId}/password-reset`, {});
    expect(r.statusCode).toBe(200);
    const reset = r.json() as ResetResult;
    expect(reset).toMatchObject({ userId: a.userId, username: a.username, name: '忘记密码教师', sessionsEnded: 2, accountActive: true });
    for (const c of [phone, laptop]) expect((await aw.call(c, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await aw.tryLogin(a.username, a.password)).statusCode).toBe(401);
    const c = await aw.login(a.username, reset.initialPassword);
    expect((await aw.call(c, 'GET', '/api/auth/me')).json().mustChangePassword).toBe(true);
    expect((await aw.call(c, 'GET', '/api/my/projects')).json().error).toBe('PASSWORD_CHANGE_REQUIRED');

    const line = await aw.t.db.query<{ user_id: number; detail: Record<string, unknown> }>(
      `SELECT user_id, detail FROM audit_log WHERE action = 'account.password.reset' AND entity_id = $1`,
      [String(a.userId)],
    );
    expect(line.rows).toEqual([{ user_id: aw.ids['school.sys'], detail: { username: a.username, sessionsEnded: 2, slipId: reset.slipId } }]);
    expect(JSON.stringify((await aw.t.db.query('SELECT detail FROM audit_log')).rows)).not.toContain(reset.initialPassword);
    const slip = await aw.call(schoolSys, 'POST', `/api/accounts/slips/${reset.slipId}/download`);
    expect(slip.statusCode).toBe(200);
  });

  it('is refused for one’s own account and for a 学校管理员 (no accounts.manage)', async () => {
    expect((await aw.call(schoolSys, 'POST', `/api/accounts/${aw.ids['school.sys']}/password-reset`, {})).statusCode).toBe(403);
    const school = await aw.login('school.admin');
    expect((await aw.call(school, 'POST', `/api/accounts/${aw.ids.teacher}/password-reset`, {})).statusCode).toBe(403);
    expect((await aw.tryLogin('teacher', PASSWORD)).statusCode).toBe(200);
  });
});

describe('the account on the teacher page', () => {
  it('answers the account (username, status) of a teacher, or none yet', async () => {
    const none = await aw.teacher(aw.w.school1, { name: '未开通教师' });
    expect((await aw.call(schoolSys, 'GET', `/api/teachers/${none}/account`)).json()).toEqual({ account: null });
    const r = (await aw.call(schoolSys, 'GET', `/api/teachers/${aw.w.teacherId}/account`)).json();
    expect(r.account).toMatchObject({ username: 'teacher', status: 'active', statusLabel: '正常' });
    const school = await aw.login('school.admin');
    expect((await aw.call(school, 'GET', `/api/teachers/${aw.w.teacherId}/account`)).statusCode).toBe(403);
  });
});

describe('忘记密码', () => {
  it('tells anyone whom to ask; no SMS without a configured gateway', async () => {
    const r = await aw.t.app.inject({ method: 'GET', url: '/api/auth/password-help' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ sms: false, steps: expect.arrayContaining([expect.stringContaining('系统管理员')]) });
  });
});
