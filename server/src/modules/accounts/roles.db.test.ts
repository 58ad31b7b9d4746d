import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../../demo/national-ids.js';
import { accountsWorld, addRole, type AccountsWorld } from './accounts.fixtures.js';
import type { CreateAdminResult } from './roles.service.js';

// Admin accounts and roles: 新建管理员账号, 授予角色 with every refusal (subtree, org kind, 三权分立, oneself,
// the own org's 系统管理员, an account acting outside), 结束角色 (kept, never deleted; the last one stops the
// account only when the administrator says so), and switching between one's roles.

let aw: AccountsWorld;
let countySys: string;
beforeAll(async () => {
  aw = await accountsWorld();
  countySys = await aw.login('county.sys');
});
afterAll(async () => aw?.t.close());

const GOOD_NID = makeNationalId('150102', '1979-11-03', 33, 'male');
const BAD_NID = GOOD_NID.slice(0, 17) + (GOOD_NID[17] === '0' ? '1' : '0');
const fieldsOf = (body: string) => (JSON.parse(body) as { fields: { field: string; message: string }[] }).fields.map((f) => f.field);

describe('新建管理员账号', () => {
  const nid = makeNationalId('150102', '1979-11-02', 31, 'female');
  let created: CreateAdminResult;

  it('creates an account with its first role; the initial password signs in by username or 身份证号 and must be changed', async () => {
    const r = await aw.call(countySys, 'POST', '/api/accounts/admins', {
      username: 'yixiao.info',
      displayName: '孙丽',
      nationalId: nid.toLowerCase(),
      phone: '138-0000-1111',
      role: 'infoAdmin',
      orgId: aw.w.school1,
    });
    expect(r.statusCode, r.body).toBe(201);
    created = r.json();
    expect(created).toMatchObject({ username: 'yixiao.info', displayName: '孙丽', signIn: '用户名、本人身份证号、登记的手机号' });
    expect(created.initialPassword).toHaveLength(10);
    const row = (
      await aw.t.db.query<Record<string, unknown>>(
        'SELECT national_id_idx, national_id_mask, phone_mask, must_change_password, created_by FROM users WHERE username = $1',
        ['yixiao.info'],
      )
    ).rows[0];
    expect(row).toMatchObject({ national_id_mask: `${nid.slice(0, 4)}**********${nid.slice(-4)}`, phone_mask: '138****1111', must_change_password: true });
    expect(row.national_id_idx).toBe(aw.t.ctx.pii.blindIndex(nid));
    expect(JSON.stringify(row)).not.toContain(nid.slice(6, 14));

    for (const id of ['yixiao.info', nid, '13800001111']) expect((await aw.tryLogin(id, created.initialPassword)).statusCode, id).toBe(200);
    const c = await aw.login('YIXIAO.INFO', created.initialPassword);
    expect((await aw.call(c, 'GET', '/api/auth/me')).json()).toMatchObject({ role: 'infoAdmin', orgId: aw.w.school1, mustChangePassword: true });
    expect((await aw.call(c, 'GET', '/api/teachers')).statusCode).toBe(403);
  });

  it.each([
    ['a username taken in another case', { username: 'COUNTY.SYS' }, 409, 'username', '用户名「COUNTY.SYS」已被使用'],
    ['the t<digits> pattern', { username: 't12' }, 400, 'username', '保留给教师账号'],
    ['a username that is not a name', { username: '12abc' }, 400, 'username', '以字母开头'],
    ['an invalid 身份证号', { nationalId: BAD_NID }, 400, 'nationalId', '身份证号'],
    ['a bad phone', { phone: '1234' }, 400, 'phone', '手机号应为 11 位'],
    ['an org of the sibling county', { orgId: 'school3' }, 403, 'orgId', '只能在本单位及下级单位授予角色'],
    ['an org that does not exist', { orgId: 999999 }, 403, 'orgId', '只能在本单位及下级单位授予角色'],
    ['a role that does not fit the org', { role: 'auditor' }, 400, 'orgId', '「审计管理员」只能设在教育局'],
    ['a 评审专家', { role: 'expert', orgId: 'county1' }, 400, 'role', '专家库'],
    ['a 教师 role without a teacher record', { role: 'teacher' }, 400, 'role', '教师档案'],
  ] as const)('refuses %s', async (_why, patch, status, field, text) => {
    const body: Record<string, unknown> = { username: 'new.admin', displayName: '新管理员', role: 'infoAdmin', orgId: aw.w.school1, ...patch };
    if (typeof body.orgId === 'string') body.orgId = aw.w[body.orgId as 'school3'];
    const r = await aw.call(countySys, 'POST', '/api/accounts/admins', body);
    expect(r.statusCode, r.body).toBe(status);
    expect(r.json().message).toContain(text);
    expect(fieldsOf(r.body)).toContain(field);
    expect((await aw.t.db.query('SELECT 1 FROM users WHERE lower(username) = $1', ['new.admin'])).rows.length).toBe(0);
  });

  it('refuses a 身份证号 that belongs to a registered teacher (naming them within the subtree) or to another account', async () => {
    const tnid = makeNationalId('150102', '1985-05-05', 41, 'male');
    await aw.teacher(aw.w.school1, { name: '周老师', nationalId: tnid });
    const r = await aw.call(countySys, 'POST', '/api/accounts/admins', {
      username: 'zhou.admin',
      displayName: '周',
      nationalId: tnid,
      role: 'infoAdmin',
      orgId: aw.w.school1,
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('该身份证号属于在册教师「周老师」（甲区第一小学）');
    const dup = await aw.call(countySys, 'POST', '/api/accounts/admins', {
      username: 'dup.admin',
      displayName: '重',
      nationalId: nid,
      role: 'infoAdmin',
      orgId: aw.w.school2,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('该身份证号已用于其他账号');
  });

  it('the 专家库 keeps to the same username rules (t<digits> reserved, any case taken)', async () => {
    const c = await aw.login('city.admin');
    const e = await aw.call(c, 'POST', '/api/experts', { name: '高专家', affiliation: '测试师范学院', fields: ['语文'], level: 'city' });
    expect(e.statusCode, e.body).toBe(201);
    const reserved = await aw.call(c, 'POST', `/api/experts/${e.json().id}/account`, { mode: 'create', username: 'T77' });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json().message).toContain('保留给教师账号');
    const taken = await aw.call(c, 'POST', `/api/experts/${e.json().id}/account`, { mode: 'create', username: 'City.Sys' });
    expect(taken.statusCode).toBe(409);
  });

  it('only a 系统管理员 creates accounts', async () => {
    const c = await aw.login('county.admin');
    const r = await aw.call(c, 'POST', '/api/accounts/admins', { username: 'x.admin', displayName: 'x', role: 'infoAdmin', orgId: aw.w.school1 });
    expect(r.statusCode).toBe(403);
  });
});

describe('授予角色', () => {
  const grant = (cookie: string, userId: number, body: object) => aw.call(cookie, 'POST', `/api/accounts/${userId}/roles`, body);

  it('gives a teacher a second role; they switch to it without logging out and the permissions follow', async () => {
    const r = await grant(countySys, aw.ids.teacher, { role: 'infoAdmin', orgId: aw.w.school1 });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().message).toBe('已授予在「甲区第一小学」的「信息管理员」角色，对方下次切换角色或重新登录即可使用');
    const c = await aw.login('teacher');
    const me = (await aw.call(c, 'GET', '/api/auth/me')).json() as {
      role: string;
      roleId: number;
      permissions: string[];
      roles: { id: number; role: string }[];
    };
    expect(me.role).toBe('teacher');
    expect(me.permissions).toEqual([]);
    expect((await aw.call(c, 'GET', '/api/teachers')).statusCode).toBe(403);
    const info = me.roles.find((x) => x.role === 'infoAdmin');
    expect(info).toBeTruthy();
    expect((await aw.call(c, 'POST', '/api/auth/role', { roleId: info?.id })).statusCode).toBe(200);
    const after = (await aw.call(c, 'GET', '/api/auth/me')).json() as { role: string; permissions: string[] };
    expect(after.role).toBe('infoAdmin');
    expect(after.permissions).toContain('teachers.read');
    expect((await aw.call(c, 'GET', '/api/teachers')).statusCode).toBe(200);
    // Back to 教师: the registry is closed again. Another person's role cannot be switched to.
    expect((await aw.call(c, 'POST', '/api/auth/role', { roleId: me.roleId })).statusCode).toBe(200);
    expect((await aw.call(c, 'GET', '/api/teachers')).statusCode).toBe(403);
    const foreign = (await aw.t.db.query<{ id: number }>('SELECT id FROM user_roles WHERE user_id = $1', [aw.ids['county.sys']])).rows[0].id;
    const sw = await aw.call(c, 'POST', '/api/auth/role', { roleId: foreign });
    expect(sw.statusCode).toBe(404);
    expect(sw.json().message).toBe('该角色不存在或已失效');
    expect((await aw.call(c, 'GET', '/api/auth/me')).json().role).toBe('teacher');
  });

  it('refuses a role to oneself', async () => {
    const r = await grant(countySys, aw.ids['county.sys'], { role: 'bureauAdmin', orgId: aw.w.county1 });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toBe('系统管理员不能给自己授予角色，请由其他系统管理员办理');
  });

  it.each([
    ['at the sibling county', { role: 'bureauAdmin', orgId: 'county2' }, 403, '只能在本单位及下级单位授予角色'],
    ['at the parent city', { role: 'bureauAdmin', orgId: 'city' }, 403, '只能在本单位及下级单位授予角色'],
    ['a bureau-only role at a school', { role: 'securityAdmin', orgId: 'school1' }, 400, '「安全管理员」只能设在教育局，「甲区第一小学」是学校'],
    ['a school role at a bureau', { role: 'schoolAdmin', orgId: 'county1' }, 400, '「学校管理员」只能设在学校'],
    ['an institution role at a school', { role: 'institution', orgId: 'school1' }, 400, '「培训机构」只能设在培训机构'],
    ['a 系统管理员 of the own org', { role: 'sysAdmin', orgId: 'county1' }, 403, '本单位的系统管理员须由上级单位的系统管理员任命'],
    ['the 教师 role without a teacher record', { role: 'teacher' }, 400, '只有登记了教师档案的人员才能担任「教师」角色'],
    ['a role held already', { role: 'infoAdmin', orgId: 'school1' }, 409, '该账号已在「甲区第一小学」担任「信息管理员」'],
  ] as const)('refuses %s', async (_why, b, status, text) => {
    const body: Record<string, unknown> = { ...b };
    if (typeof body.orgId === 'string') body.orgId = aw.w[body.orgId as 'city'];
    const target = (await aw.t.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', ['yixiao.info'])).rows[0].id;
    const r = await grant(countySys, target, body);
    expect(r.statusCode, r.body).toBe(status);
    expect(r.json().message).toContain(text);
  });

  it('三权分立: a 安全管理员 cannot also become 系统管理员 or 审计管理员', async () => {
    const citySys = await aw.login('city.sys');
    for (const [role, orgId] of [
      ['sysAdmin', aw.w.county1],
      ['auditor', aw.w.city],
    ] as const) {
      const r = await grant(citySys, aw.ids['city.sec'], { role, orgId });
      expect(r.statusCode).toBe(409);
      expect(r.json().message).toContain('三权分立：该人员已担任「安全管理员」');
    }
    expect((await aw.t.db.query(`SELECT 1 FROM user_roles WHERE user_id = $1 AND revoked_at IS NULL`, [aw.ids['city.sec']])).rows.length).toBe(1);
  });

  it('refuses to change an account that also acts outside the subtree, or a 系统管理员 of the own org', async () => {
    // 一小's school.admin also becomes a 教育局管理员 of the city (set up directly).
    await addRole(aw, aw.ids['school.admin'], 'bureauAdmin', aw.w.city);
    const r = await grant(countySys, aw.ids['school.admin'], { role: 'infoAdmin', orgId: aw.w.school1 });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toBe('该账号还在「测试市教育局」担任「教育局管理员」，超出您的管理范围，请联系上级单位的系统管理员');
    expect((await aw.call(countySys, 'POST', `/api/accounts/${aw.ids['school.admin']}/password-reset`, {})).statusCode).toBe(403);

    await addRole(aw, aw.ids['county.admin'], 'sysAdmin', aw.w.county1);
    const peer = await grant(countySys, aw.ids['county.admin'], { role: 'infoAdmin', orgId: aw.w.school1 });
    expect(peer.statusCode).toBe(403);
    expect(peer.json().message).toBe('该账号是本单位的系统管理员，只能由上级单位的系统管理员管理');
    // The city, one level up, may.
    const citySys = await aw.login('city.sys');
    expect((await grant(citySys, aw.ids['county.admin'], { role: 'infoAdmin', orgId: aw.w.school1 })).statusCode).toBe(201);
  });

  it('an account of a sibling county is 404, whatever the action', async () => {
    const other = await aw.login('county2.sys');
    const target = aw.ids.teacher;
    for (const [method, url, body] of [
      ['GET', `/api/accounts/${target}`, undefined],
      ['POST', `/api/accounts/${target}/roles`, { role: 'infoAdmin', orgId: aw.w.school3 }],
      ['POST', `/api/accounts/${target}/password-reset`, {}],
      ['POST', `/api/accounts/${target}/deactivate`, { reason: '测试' }],
      ['POST', `/api/accounts/${target}/activate`, {}],
      ['GET', `/api/teachers/${aw.w.teacherId}/account`, undefined],
    ] as const) {
      const r = await aw.call(other, method, url, body);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = (await aw.call(other, 'GET', '/api/accounts/admins?pageSize=200')).json() as { items: { username: string }[] };
    expect(list.items.map((i) => i.username)).not.toContain('yixiao.info');
    const mine = (await aw.call(countySys, 'GET', '/api/accounts/admins?pageSize=200')).json() as {
      items: { username: string; roles: { roleLabel: string; orgName: string }[] }[];
    };
    expect(mine.items.find((i) => i.username === 'yixiao.info')?.roles).toEqual([
      expect.objectContaining({ roleLabel: '信息管理员', orgName: '甲区第一小学' }),
    ]);
  });
});

describe('结束角色', () => {
  const end = (cookie: string, userId: number, roleId: number, body: object) => aw.call(cookie, 'POST', `/api/accounts/${userId}/roles/${roleId}/end`, body);
  const roleOf = async (userId: number, role: string) =>
    (await aw.t.db.query<{ id: number }>('SELECT id FROM user_roles WHERE user_id = $1 AND role = $2 AND revoked_at IS NULL', [userId, role])).rows[0]?.id;

  it('ends a role (the row stays, with who, when and why); sessions acting in it end, the others stay', async () => {
    const infoRole = await roleOf(aw.ids.teacher, 'infoAdmin');
    const asInfo = await aw.loginAs('teacher', 'infoAdmin');
    // A new session starts in the role used last (信息管理员 now): switch this one back to 教师.
    const asTeacher = await aw.loginAs('teacher', 'teacher');
    const r = await end(countySys, aw.ids.teacher, infoRole, { reason: '岗位调整' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ accountDeactivated: false, message: '已结束「甲区第一小学」的「信息管理员」角色；该账号的其他角色不受影响' });
    const row = (await aw.t.db.query<Record<string, unknown>>('SELECT revoked_at, revoked_by, revoke_reason FROM user_roles WHERE id = $1', [infoRole]))
      .rows[0];
    expect(row).toMatchObject({ revoked_by: aw.ids['county.sys'], revoke_reason: '岗位调整' });
    expect(row.revoked_at).toBeTruthy();
    expect((await aw.call(asInfo, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await aw.call(asTeacher, 'GET', '/api/auth/me')).statusCode).toBe(200);
    const detail = (await aw.call(countySys, 'GET', `/api/accounts/${aw.ids.teacher}`)).json() as {
      roleHistory: { roleLabel: string; endedAt: string | null; endReason: string | null; endedBy: string }[];
    };
    expect(detail.roleHistory.find((h) => h.roleLabel === '信息管理员')).toMatchObject({ endReason: '岗位调整', endedBy: 'county.sys' });
    // Ended once: not again.
    expect((await end(countySys, aw.ids.teacher, infoRole, { reason: '再次' })).statusCode).toBe(404);
  });

  it('role rows are ended, never deleted or rewritten (database rule)', async () => {
    const id = (await aw.t.db.query<{ id: number }>('SELECT id FROM user_roles WHERE revoked_at IS NOT NULL LIMIT 1')).rows[0].id;
    await expect(aw.t.db.query('DELETE FROM user_roles WHERE id = $1', [id])).rejects.toThrow(/never deleted/);
    await expect(aw.t.db.query(`UPDATE user_roles SET revoke_reason = 'x' WHERE id = $1`, [id])).rejects.toThrow(/only be ended once/);
    const live = (await aw.t.db.query<{ id: number }>('SELECT id FROM user_roles WHERE revoked_at IS NULL LIMIT 1')).rows[0].id;
    await expect(aw.t.db.query('UPDATE user_roles SET org_id = org_id WHERE id = $1', [live])).rejects.toThrow(/only be ended once/);
  });

  it('the last role ends only with the account stopped, and says so', async () => {
    const target = (await aw.t.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', ['yixiao.info'])).rows[0].id;
    const only = await roleOf(target, 'infoAdmin');
    const refused = await end(countySys, target, only, { reason: '离职' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('这是该账号唯一的有效角色');
    expect(fieldsOf(refused.body)).toEqual(['deactivateAccount']);
    expect(await roleOf(target, 'infoAdmin')).toBe(only);

    const r = await end(countySys, target, only, { reason: '离职', deactivateAccount: true });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accountDeactivated: true, message: '已结束「甲区第一小学」的「信息管理员」角色；这是该账号最后一个角色，账号已同时停用' });
    const login = await aw.tryLogin('yixiao.info', 'whatever-password');
    expect(login.statusCode).toBe(401);
    const list = (await aw.call(countySys, 'GET', '/api/accounts/admins?q=yixiao')).json() as { items: { status: string; statusReason: string }[] };
    expect(list.items[0]).toMatchObject({ status: 'deactivated', statusReason: '最后一个角色已结束：离职' });
    // Starting it again without a role is refused with the way out.
    const act = await aw.call(countySys, 'POST', `/api/accounts/${target}/activate`, {});
    expect(act.statusCode).toBe(409);
    expect(act.json().message).toContain('请先在“角色”中授予角色');
    // A role granted to a stopped account says it is still stopped.
    const g = await aw.call(countySys, 'POST', `/api/accounts/${target}/roles`, { role: 'infoAdmin', orgId: aw.w.school2 });
    expect(g.json().message).toContain('该账号仍处于停用状态，启用后才能登录');
    expect((await aw.call(countySys, 'POST', `/api/accounts/${target}/activate`, {})).statusCode).toBe(200);
  });

  it('refuses ending the 教师 role, one’s own role, or without a reason', async () => {
    const teacherRole = await roleOf(aw.ids.teacher, 'teacher');
    const r = await end(countySys, aw.ids.teacher, teacherRole, { reason: '测试' });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('「教师」角色随教师档案的在职状态变化');
    const own = await roleOf(aw.ids['county.sys'], 'sysAdmin');
    expect((await end(countySys, aw.ids['county.sys'], own, { reason: '测试' })).statusCode).toBe(403);
    const noReason = await end(countySys, aw.ids.teacher, teacherRole, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('请填写原因');
  });
});
