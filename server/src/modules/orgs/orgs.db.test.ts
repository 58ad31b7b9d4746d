import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { hashPassword } from '../../platform/auth.js';
import { readXlsxRows, writeXlsx } from '../../platform/excel.js';
import { insertUser } from '../users/users.repository.js';
import { loadOrgs } from '../compliance/compliance.repository.js';
import { insertOrg, moveSubtree } from './orgs.repository.js';

let t: TestApp;
let w: World;
let c: Cookies;

beforeAll(async () => {
  ({ t, w, cookies: c } = await worldApp());
});
afterAll(async () => t?.close());

const as = (who: string) => ({ cookie: c[who] });
const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api${url}`, headers: as(who), payload: payload as never });
const pathOf = async (id: number) => (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [id])).rows[0].path;
let seq = 0;
const newSchool = async (who: string, parentId: number, extra: object = {}) => {
  const r = await call(who, 'POST', '/orgs', { parentId, kind: 'school', name: `新建学校${++seq}`, code: `NS-${seq}`, schoolType: 'primary', ...extra });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
};

describe('create', () => {
  it('creates a school under the bureau, validating and de-duplicating the 学校标识码', async () => {
    const bad = await call('county.admin', 'POST', '/orgs', {
      parentId: w.county1,
      kind: 'school',
      name: '甲区第三小学',
      code: 'S-3',
      schoolType: 'primary',
      schoolIdCode: '12345',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toContainEqual({ field: 'schoolIdCode', message: '学校标识码应为 10 位数字' });

    const ok = await call('county.admin', 'POST', '/orgs', {
      parentId: w.county1,
      kind: 'school',
      name: '甲区第三小学',
      code: 'S-3',
      schoolType: 'nineYear',
      ownership: 'private',
      locale: 'rural',
      schoolIdCode: '2150001234',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const d = (await call('county.admin', 'GET', `/orgs/${ok.json().id}`)).json();
    expect(d).toMatchObject({
      level: 'school',
      kind: 'school',
      schoolType: 'nineYear',
      ownership: 'private',
      locale: 'rural',
      schoolIdCode: '2150001234',
      manageable: true,
    });
    expect(d.history[0]).toMatchObject({ field: 'created', to: '甲区第三小学', by: '甲区管理员' });

    const dup = await call('city.admin', 'POST', '/orgs', {
      parentId: w.county2,
      kind: 'school',
      name: '乙县第二小学',
      code: 'S-4',
      schoolType: 'primary',
      schoolIdCode: '2150001234',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().message).toBe('学校标识码 2150001234 已属于甲区第三小学');
    const dupCode = await call('county.admin', 'POST', '/orgs', {
      parentId: w.county1,
      kind: 'school',
      name: '另一所学校',
      code: 'S-3',
      schoolType: 'primary',
    });
    expect(dupCode.json().fields).toContainEqual({ field: 'code', message: '单位代码已被其他单位使用' });
    const noType = await call('county.admin', 'POST', '/orgs', { parentId: w.county1, kind: 'school', name: '无类型学校', code: 'S-5' });
    expect(noType.json().fields).toContainEqual({ field: 'schoolType', message: '请选择学校类型' });
  });

  it('places new orgs only under a bureau of the caller’s own subtree; school admins cannot', async () => {
    const outside = await call('county.admin', 'POST', '/orgs', { parentId: w.county2, kind: 'school', name: '越权学校', code: 'X-1', schoolType: 'primary' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().fields[0].field).toBe('parentId');
    const underSchool = await call('county.admin', 'POST', '/orgs', {
      parentId: w.school1,
      kind: 'school',
      name: '校中校',
      code: 'X-2',
      schoolType: 'primary',
    });
    expect(underSchool.json().message).toBe('下级单位只能设在教育局之下');
    expect(
      (await call('school.admin', 'POST', '/orgs', { parentId: w.school1, kind: 'school', name: '某学校', code: 'X-3', schoolType: 'primary' })).statusCode,
    ).toBe(403);
  });
});

describe('scope', () => {
  it('answers 403 for the caller’s own org and 404 outside its subtree', async () => {
    const own = (await call('county.admin', 'GET', `/orgs/${w.county1}`)).json();
    expect(own.manageable).toBe(false);
    const edit = await call('county.admin', 'PUT', `/orgs/${w.county1}`, { name: '甲区教育局（新）', code: 'T-C1', version: own.version });
    expect(edit.statusCode).toBe(403);
    expect((await call('county.admin', 'POST', `/orgs/${w.county1}/close`, { reason: '撤销本单位' })).statusCode).toBe(403);
    expect((await call('county.admin', 'GET', `/orgs/${w.school3}`)).statusCode).toBe(404);
    expect((await call('county.admin', 'POST', `/orgs/${w.school3}/close`, { reason: '越权' })).statusCode).toBe(404);
    expect((await call('county.admin', 'POST', `/orgs/${w.city}/close`, { reason: '越权' })).statusCode).toBe(404);
  });
});

describe('edit', () => {
  it('keeps the history of the name with who and why; a stale version is refused', async () => {
    const id = await newSchool('county.admin', w.county1);
    const before = (await call('county.admin', 'GET', `/orgs/${id}`)).json();
    const r = await call('county.admin', 'PUT', `/orgs/${id}`, {
      name: '实验小学',
      code: before.code,
      schoolType: 'primary',
      version: before.version,
      reason: '更名批复',
    });
    expect(r.statusCode, r.body).toBe(204);
    const stale = await call('county.admin', 'PUT', `/orgs/${id}`, { name: '又一个名字', code: before.code, schoolType: 'primary', version: before.version });
    expect(stale.statusCode).toBe(409);
    const after = (await call('county.admin', 'GET', `/orgs/${id}`)).json();
    expect(after.name).toBe('实验小学');
    expect(after.history.map((h: { field: string }) => h.field)).toEqual(['created', 'name']);
    expect(after.history[1]).toMatchObject({ from: before.name, to: '实验小学', by: '甲区管理员', reason: '更名批复' });
    // The history is append-only.
    await expect(t.db.query('DELETE FROM org_history WHERE org_id = $1', [id])).rejects.toThrow();
  });
});

describe('move', () => {
  it('moves a county with its schools to another city: every path of the subtree follows, scope follows', async () => {
    // A province above the city, and its administrator.
    const prov = await insertOrg(t.db, { code: 'T-PROV', name: '测试省教育厅', level: 'province', kind: 'bureau', parentId: null });
    await moveSubtree(t.db, w.city, await pathOf(w.city), prov.id, prov.path, 'city');
    await insertUser(t.db, { username: 'prov.admin', passwordHash: await hashPassword(PASSWORD), displayName: '省厅管理员', role: 'sysAdmin', orgId: prov.id });
    c['prov.admin'] = await login(t.app, 'prov.admin', PASSWORD);
    const city2 = await call('prov.admin', 'POST', '/orgs', { parentId: prov.id, kind: 'bureau', name: '第二市教育局', code: 'T-CITY2' });
    expect(city2.statusCode, city2.body).toBe(201);
    const city2Id = city2.json().id as number;
    expect((await call('prov.admin', 'GET', `/orgs/${city2Id}`)).json().level).toBe('city');

    // Refusals: under itself, under a school, a county under a county.
    const self = await call('prov.admin', 'POST', `/orgs/${w.county1}/move`, { parentId: w.county1, reason: '测试' });
    expect(self.json().message).toBe('不能移动到本单位或其下级单位之下');
    const level = await call('prov.admin', 'POST', `/orgs/${w.county1}/move`, { parentId: w.county2, reason: '测试' });
    expect(level.json().message).toBe('区县教育局之下不能再设教育局');

    const r = await call('prov.admin', 'POST', `/orgs/${w.county1}/move`, { parentId: city2Id, reason: '区划调整' });
    expect(r.statusCode, r.body).toBe(200);
    const c2path = await pathOf(city2Id);
    expect(await pathOf(w.county1)).toBe(`${c2path}${w.county1}/`);
    expect(await pathOf(w.school1)).toBe(`${c2path}${w.county1}/${w.school1}/`);
    expect(await pathOf(w.school2)).toBe(`${c2path}${w.county1}/${w.school2}/`);
    // The city no longer sees the county's teacher; the county admin still does (its scope moved with it).
    expect((await call('city.admin', 'GET', `/teachers/${w.teacherId}`)).statusCode).toBe(404);
    expect((await call('county.admin', 'GET', `/teachers/${w.teacherId}`)).statusCode).toBe(200);
    const hist = (await call('prov.admin', 'GET', `/orgs/${w.county1}`)).json().history;
    expect(hist.at(-1)).toMatchObject({ field: 'parent', from: '测试市教育局', to: '第二市教育局', reason: '区划调整', by: '省厅管理员' });
  });
});

describe('merge', () => {
  it('moves teachers, child orgs and projects to the target, ends roles there and closes the merged org', async () => {
    const from = await newSchool('county.admin', w.county1);
    const into = await newSchool('county.admin', w.county1);
    const teacher = await call('county.admin', 'POST', '/teachers', buildTeacher(from, { name: '李老师' }));
    expect(teacher.statusCode, teacher.body).toBe(201);
    const teacherId = teacher.json().id as number;
    const adminId = await insertUser(t.db, { username: 'merged.admin', passwordHash: 'x', displayName: '被合并校管理员', role: 'schoolAdmin', orgId: from });
    await t.db.query(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, capacity, budget, plan)
       VALUES ($1, 'MG-P1', '校本研修', 'school', 'inPerson', '{ethics}', 6, '2025-03-01', '2025-06-01', 'draft', 10, 0, '[]')`,
      [from],
    );

    const kind = await call('county.admin', 'POST', `/orgs/${from}/merge`, { targetId: w.county1, reason: '合并' });
    expect(kind.statusCode).toBe(400);
    const r = await call('county.admin', 'POST', `/orgs/${from}/merge`, { targetId: into, reason: '布局调整' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ teachers: 1, projects: 1, rolesEnded: 1 });

    expect((await t.db.query<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [teacherId])).rows[0].org_id).toBe(into);
    expect((await t.db.query<{ org_id: number }>(`SELECT org_id FROM projects WHERE code = 'MG-P1'`)).rows[0].org_id).toBe(into);
    const role = (
      await t.db.query<{ revoked_at: string | null; revoke_reason: string }>('SELECT revoked_at, revoke_reason FROM user_roles WHERE user_id = $1', [adminId])
    ).rows[0];
    expect(role.revoked_at).not.toBeNull();
    expect(role.revoke_reason).toBe('orgMerged');
    const changes = (await call('county.admin', 'GET', `/teachers/${teacherId}/history`)).json();
    expect(JSON.stringify(changes)).toContain('orgMerge');
    const d = (await call('county.admin', 'GET', `/orgs/${from}`)).json();
    expect(d.closedAt).not.toBeNull();
    expect(d.mergedInto).toEqual({ id: into, name: expect.any(String) });
    expect(d.history.at(-1)).toMatchObject({ field: 'closed', reason: '布局调整' });
    // A merged org is gone from the tree and takes no teachers.
    const tree = JSON.stringify((await call('county.admin', 'GET', '/orgs')).json());
    expect(tree).not.toContain(`"id":${from},`);
    const again = await call('county.admin', 'POST', '/teachers', buildTeacher(from, { name: '王老师' }));
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toBe('所选学校已撤销，请选择其他学校');
  });
});

describe('close', () => {
  it('refuses while the school has active teachers, and closes once they have moved', async () => {
    const school = await newSchool('county.admin', w.county1);
    const input = buildTeacher(school, { name: '赵老师' });
    const teacher = await call('county.admin', 'POST', '/teachers', input);
    expect(teacher.statusCode, teacher.body).toBe(201);
    const refused = await call('county.admin', 'POST', `/orgs/${school}/close`, { reason: '生源减少' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('该单位还有 1 名在职教师，请先将他们调往其他学校，再撤销该单位');
    expect((await call('county.admin', 'POST', `/orgs/${school}/close`, {})).statusCode).toBe(400);

    const moved = await call('county.admin', 'PUT', `/teachers/${teacher.json().id}`, { ...input, orgId: w.school1, version: 1 });
    expect(moved.statusCode, moved.body).toBe(200);
    const ok = await call('county.admin', 'POST', `/orgs/${school}/close`, { reason: '生源减少' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await call('county.admin', 'GET', `/orgs/${school}`)).json()).toMatchObject({ closedReason: '生源减少', activeTeachers: 0 });
    expect((await call('county.admin', 'POST', `/orgs/${school}/close`, { reason: '再次' })).statusCode).toBe(409);
    // Compliance evaluates no closed org (its schools' staffing rules would count a school that is gone).
    expect((await loadOrgs(t.db, '/')).map((o) => o.id)).not.toContain(school);
  });

  it('refuses to close a bureau with open child orgs', async () => {
    const r = await call('prov.admin', 'POST', `/orgs/${w.county2}/close`, { reason: '撤并' });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('该单位还有 1 个下级单位，请先移动或撤销下级单位');
  });
});

describe('groupings', () => {
  it('adds a school to a 教育集团 and ends the membership, keeping the row', async () => {
    const g = await call('county.admin', 'POST', '/orgs', { parentId: w.county1, kind: 'eduGroup', name: '甲区实验教育集团', code: 'EG-1' });
    expect(g.statusCode, g.body).toBe(201);
    const gid = g.json().id as number;
    const add = await call('county.admin', 'POST', `/orgs/${gid}/members`, { orgId: w.school1, validFrom: '2025-09-01' });
    expect(add.statusCode, add.body).toBe(201);
    expect((await call('county.admin', 'POST', `/orgs/${gid}/members`, { orgId: w.school1 })).statusCode).toBe(409);
    expect((await call('county.admin', 'POST', `/orgs/${w.school1}/members`, { orgId: w.school2 })).statusCode).toBe(409);
    const end = await call('county.admin', 'POST', `/orgs/${gid}/members/${add.json().id}/end`, { validTo: '2026-07-31' });
    expect(end.statusCode, end.body).toBe(204);
    const school = (await call('county.admin', 'GET', `/orgs/${w.school1}`)).json();
    expect(school.memberships).toEqual([
      expect.objectContaining({ groupId: gid, groupName: '甲区实验教育集团', validFrom: '2025-09-01', validTo: '2026-07-31' }),
    ]);
  });
});

describe('import and export', () => {
  const sheet = async (rows: unknown[][]) =>
    writeXlsx([
      {
        name: '组织机构',
        columns: ['单位代码', '单位名称', '上级单位代码', '单位类型', '学校类型', '办学性质', '城乡类型', '学校标识码'].map((header) => ({ header })),
        rows,
      },
    ]);
  const preview = async (buf: Buffer) => {
    const m = multipartFile('组织机构.xlsx', buf);
    return t.app.inject({ method: 'POST', url: '/api/orgs/import/preview', payload: m.payload, headers: { ...m.headers, ...as('county.admin') } });
  };

  it('previews row-level errors in Chinese, refuses a full commit, imports the valid rows, and the same file twice changes nothing', async () => {
    const buf = await sheet([
      ['IM-B1', '甲区城东学区', 'T-C1', '学区', '', '', '', ''],
      ['IM-S1', '城东第一小学', 'T-C1', '学校', '小学', '公办', '城区', '3150000001'],
      ['IM-S2', '城东第二小学', 'T-C1', '学校', '小学', '民办', '镇区', '315000'],
      ['IM-S1', '重复代码学校', 'T-C1', '学校', '初中', '', '', ''],
      ['IM-S3', '乙县的学校', 'T-C2', '学校', '小学', '', '', ''],
      ['IM-S4', '没有类型的学校', 'T-C1', '学校', '', '', '', ''],
      ['T-S1', '甲区第一小学', 'T-C1', '学校', '小学', '公办', '乡村', ''],
    ]);
    const p = await preview(buf);
    expect(p.statusCode, p.body).toBe(200);
    const body = p.json();
    expect(body.counts).toEqual({ create: 2, update: 1, unchanged: 0, error: 4 });
    const msg = (row: number) => body.rows.find((r: { row: number }) => r.row === row).messages.join('；');
    expect(msg(4)).toBe('学校标识码：应为 10 位数字');
    expect(msg(5)).toBe('单位代码：与第 3 行重复');
    expect(msg(6)).toBe('上级单位代码：上级单位“T-C2”不存在或不在管辖范围内');
    expect(msg(7)).toBe('学校类型：学校必须填写学校类型');
    expect(msg(8)).toBe('将更新：办学性质、城乡类型');

    const all = await call('county.admin', 'POST', `/orgs/import/${body.batchId}/commit`, { mode: 'all' });
    expect(all.statusCode).toBe(409);
    const valid = await call('county.admin', 'POST', `/orgs/import/${body.batchId}/commit`, { mode: 'validOnly' });
    expect(valid.statusCode, valid.body).toBe(200);
    expect(valid.json()).toMatchObject({ created: 2, updated: 1 });
    const s1 = (await t.db.query<{ locale: string; school_id_code: string | null }>(`SELECT locale, school_id_code FROM orgs WHERE code = 'IM-S1'`)).rows[0];
    expect(s1).toEqual({ locale: 'urban', school_id_code: '3150000001' });
    expect((await call('county.admin', 'GET', `/orgs/${w.school1}`)).json().locale).toBe('rural');

    const twice = (await preview(buf)).json();
    expect(twice.counts).toMatchObject({ create: 0, update: 0, unchanged: 3 });
  });

  it('exports the org list as .xlsx and audits it', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/orgs/export', headers: as('county.admin') });
    expect(r.statusCode).toBe(200);
    const rows = await readXlsxRows(r.rawPayload);
    expect(rows[0].cells.slice(0, 4)).toEqual(['单位代码', '单位名称', '上级单位代码', '单位类型']);
    expect(rows.some((x) => x.cells[0] === 'IM-S1' && x.cells[7] === '3150000001')).toBe(true);
    const a = await t.db.query<{ detail: { rows: number } }>(`SELECT detail FROM audit_log WHERE action = 'org.export'`);
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0].detail.rows).toBe(rows.length - 1);
    expect((await call('teacher', 'GET', '/orgs/export')).statusCode).toBe(403);
  });
});
