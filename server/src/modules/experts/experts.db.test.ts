import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { hashPassword } from '../../platform/auth.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { insertUser } from '../users/users.repository.js';
import { makeProject } from '../evaluations/evaluations.fixtures.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  // A development centre under the city: it manages experts too.
  const dc = await insertOrg(t.db, { code: 'T-DC', name: '测试市教师发展中心', level: 'city', kind: 'devCenter', parentId: w.city });
  await insertUser(t.db, { username: 'devcenter', passwordHash: await hashPassword(PASSWORD), displayName: '发展中心', role: 'devCenter', orgId: dc.id });
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution', 'devcenter']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] ?? who } });

let phoneSeq = 0;
const expertInput = (over: Record<string, unknown> = {}) => ({
  name: '王教授',
  affiliation: '内蒙古师范大学教育学院',
  title: '教授',
  fields: ['班主任工作', '师德师风'],
  level: 'province',
  phone: `1381234${String(++phoneSeq).padStart(4, '0')}`,
  ...over,
});

async function newExpert(who = 'city.admin', over: Record<string, unknown> = {}) {
  const r = await req(who, 'POST', '/api/experts', expertInput(over));
  expect(r.statusCode).toBe(201);
  return r.json() as { id: number; version: number; phoneMasked: string; status: string };
}

describe('expert pool CRUD', () => {
  it('creates an expert with the phone encrypted and only its mask ever shown', async () => {
    const r = await req('city.admin', 'POST', '/api/experts', expertInput({ phone: '13812345678' }));
    expect(r.statusCode).toBe(201);
    const e = r.json();
    expect(e).toMatchObject({ name: '王教授', level: 'province', phoneMasked: '138****5678', status: 'active', editable: true, orgName: '测试市教育局' });
    expect(r.body).not.toContain('13812345678');
    const stored = await t.db.query<{ phone_enc: string; phone_idx: string }>('SELECT phone_enc, phone_idx FROM experts WHERE id = $1', [e.id]);
    expect(stored.rows[0].phone_enc).not.toContain('13812345678');
    expect(t.ctx.pii.decrypt(stored.rows[0].phone_enc)).toBe('13812345678');
    const list = await req('city.admin', 'GET', '/api/experts', undefined);
    expect(list.body).not.toContain('13812345678');
    expect(list.json().items.find((x: { id: number }) => x.id === e.id).phoneMasked).toBe('138****5678');

    const dup = await req('city.admin', 'POST', '/api/experts', expertInput({ name: '李老师', phone: '13812345678' }));
    expect(dup.statusCode).toBe(409);
  });

  it('unmasks the phone only for pool managers, and audits it', async () => {
    const e = await newExpert('city.admin', { phone: '13900001111' });
    const r = await req('city.admin', 'POST', `/api/experts/${e.id}/unmask`);
    expect(r.json()).toEqual({ phone: '13900001111' });
    const a = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'expert.unmask' AND entity_id = $1`, [String(e.id)]);
    expect(a.rows).toHaveLength(1);
    expect((await req('school.admin', 'POST', `/api/experts/${e.id}/unmask`)).statusCode).toBe(403);
  });

  it('validates input with field errors', async () => {
    const r = await req('city.admin', 'POST', '/api/experts', expertInput({ level: 'school', phone: '12345', fields: [] }));
    expect(r.statusCode).toBe(400);
    const fields = r
      .json()
      .fields.map((f: { field: string }) => f.field)
      .sort();
    expect(fields).toEqual(['fields', 'level', 'phone']);
  });

  it('updates with a version check, keeps the phone unless a new one is given, and filters', async () => {
    const e = await newExpert('city.admin', { name: '赵专家', level: 'city', fields: ['信息技术'] });
    const base = { ...expertInput({ name: '赵专家', level: 'national', fields: ['信息技术', '人工智能'] }), phone: '', version: e.version };
    const up = await req('city.admin', 'PUT', `/api/experts/${e.id}`, base);
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ level: 'national', phoneMasked: e.phoneMasked, version: e.version + 1 });
    const stale = await req('city.admin', 'PUT', `/api/experts/${e.id}`, base);
    expect(stale.statusCode).toBe(409);
    const cleared = await req('city.admin', 'PUT', `/api/experts/${e.id}`, { ...base, version: e.version + 1, clearPhone: true, status: 'inactive' });
    expect(cleared.json()).toMatchObject({ phoneMasked: null, status: 'inactive' });
    const byField = await req('city.admin', 'GET', '/api/experts?field=人工智能');
    expect(byField.json().items.map((x: { id: number }) => x.id)).toEqual([e.id]);
    const byName = await req('city.admin', 'GET', `/api/experts?q=${encodeURIComponent('赵专')}&status=inactive`);
    expect(byName.json().total).toBe(1);
  });

  it('shares the city pool downwards: a county sees it but cannot change it; schools and institutions have no access', async () => {
    const e = await newExpert('city.admin');
    const county = await req('county.admin', 'GET', `/api/experts/${e.id}`);
    expect(county.statusCode).toBe(200);
    expect(county.json().editable).toBe(false);
    expect((await req('county.admin', 'PUT', `/api/experts/${e.id}`, { ...expertInput(), version: e.version })).statusCode).toBe(403);
    expect((await req('county.admin', 'DELETE', `/api/experts/${e.id}`)).statusCode).toBe(403);
    // The county's own expert is invisible to the other county… and visible to the city above.
    const own = await newExpert('county.admin', { name: '区级专家', level: 'county' });
    expect((await req('city.admin', 'GET', `/api/experts/${own.id}`)).statusCode).toBe(200);
    for (const who of ['school.admin', 'institution', 'teacher']) expect((await req(who, 'GET', '/api/experts')).statusCode).toBe(403);
    expect((await req('institution', 'POST', '/api/experts', expertInput())).statusCode).toBe(403);
    // The development centre manages its own pool.
    expect((await req('devcenter', 'POST', '/api/experts', expertInput({ name: '中心专家' }))).statusCode).toBe(201);
  });

  it('deletes an expert who never served; one who did can only be deactivated', async () => {
    const free = await newExpert();
    expect((await req('city.admin', 'DELETE', `/api/experts/${free.id}`)).statusCode).toBe(204);
    expect((await req('city.admin', 'GET', `/api/experts/${free.id}`)).statusCode).toBe(404);
    const busy = await newExpert();
    const p = await makeProject(t, w.institution);
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [busy.id] });
    const r = await req('city.admin', 'DELETE', `/api/experts/${busy.id}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('停用');
  });
});

describe('assigning and scoring', () => {
  const criteria = { design: 90, faculty: 85, delivery: 80, effect: 75 };

  it('assigns visible active experts, records scores as the mean of the criteria, and guards withdrawals', async () => {
    const a = await newExpert();
    const b = await newExpert();
    const off = await newExpert('city.admin', { status: 'inactive' });
    const p = await makeProject(t, w.institution);
    const asg = await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [a.id, b.id, off.id, 999999] });
    expect(asg.json()).toEqual({
      added: 2,
      alreadyAssigned: 0,
      rejected: [
        { expertId: off.id, message: expect.stringContaining('已停用') },
        { expertId: 999999, message: '专家不存在或无权访问' },
      ],
    });
    expect((await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [a.id] })).json()).toMatchObject({ added: 0, alreadyAssigned: 1 });

    const s = await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${a.id}/score`, { criteria, comment: '方案设计科学，效果良好' });
    expect(s.statusCode).toBe(200);
    expect(s.json().score).toMatchObject({ total: 82.5, criteria, comment: '方案设计科学，效果良好', recordedBy: '市局管理员' });
    // A correction replaces the score.
    await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${a.id}/score`, { criteria: { ...criteria, effect: 95 }, comment: '' });
    // The development centre does not run this project: it cannot score it (issue 9 item 17).
    expect(
      (await req('devcenter', 'PUT', `/api/projects/${p.id}/experts/${b.id}/score`, { criteria: { design: 70, faculty: 70, delivery: 70, effect: 70 } }))
        .statusCode,
    ).toBe(404);
    await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${b.id}/score`, { criteria: { design: 70, faculty: 70, delivery: 70, effect: 70 } });
    const list = (await req('city.admin', 'GET', `/api/projects/${p.id}/experts`)).json();
    expect(list.items.map((i: { score: { total: number } }) => i.score.total)).toEqual([87.5, 70]);
    expect(list.average).toBe(78.8); // (87.5 + 70) / 2 = 78.75
    expect((await req('city.admin', 'GET', `/api/projects/${p.id}/evaluation`)).json().experts).toEqual({ scored: 2, average: 78.8 });

    const bad = await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${a.id}/score`, { criteria: { ...criteria, design: 101 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('criteria.design');
    const notAssigned = await newExpert();
    expect((await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${notAssigned.id}/score`, { criteria })).statusCode).toBe(404);
    expect((await req('city.admin', 'DELETE', `/api/projects/${p.id}/experts/${a.id}`)).statusCode).toBe(409);
    const c = await newExpert();
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [c.id] });
    expect((await req('city.admin', 'DELETE', `/api/projects/${p.id}/experts/${c.id}`)).statusCode).toBe(204);
  });

  it('a development centre manages experts and scores of its own projects only, and unmasks only its own pool (issue 9 item 17)', async () => {
    const dc = (await t.db.query<{ id: number }>(`SELECT id FROM orgs WHERE code = 'T-DC'`)).rows[0].id;
    const own = await makeProject(t, dc);
    const other = await makeProject(t, w.institution);
    const mine = (await req('devcenter', 'POST', '/api/experts', expertInput({ name: '中心专家乙', phone: '13900002222' }))).json() as { id: number };
    // Its own project: assign, score, unassign an unscored one.
    expect((await req('devcenter', 'POST', `/api/projects/${own.id}/experts`, { expertIds: [mine.id] })).json()).toMatchObject({ added: 1 });
    expect((await req('devcenter', 'PUT', `/api/projects/${own.id}/experts/${mine.id}/score`, { criteria })).statusCode).toBe(200);
    // A project of the region it does not run: as if it did not exist.
    expect((await req('devcenter', 'POST', `/api/projects/${other.id}/experts`, { expertIds: [mine.id] })).statusCode).toBe(404);
    await req('city.admin', 'POST', `/api/projects/${other.id}/experts`, { expertIds: [mine.id] });
    expect((await req('devcenter', 'PUT', `/api/projects/${other.id}/experts/${mine.id}/score`, { criteria })).statusCode).toBe(404);
    expect((await req('devcenter', 'DELETE', `/api/projects/${other.id}/experts/${mine.id}`)).statusCode).toBe(404);
    // It still reads the other project's experts (it reads the region's evaluations), told it cannot manage them.
    expect((await req('devcenter', 'GET', `/api/projects/${other.id}/experts`)).json().manageable).toBe(false);
    expect((await req('devcenter', 'GET', `/api/projects/${own.id}/experts`)).json().manageable).toBe(true);
    expect((await req('city.admin', 'GET', `/api/projects/${other.id}/experts`)).json().manageable).toBe(true);
    // The supervising city manages both.
    expect((await req('city.admin', 'PUT', `/api/projects/${own.id}/experts/${mine.id}/score`, { criteria })).statusCode).toBe(200);
    // Phones: its own pool's, yes; the city pool's (which it may read), no.
    expect((await req('devcenter', 'POST', `/api/experts/${mine.id}/unmask`)).json()).toEqual({ phone: '13900002222' });
    const cityExpert = await newExpert('city.admin');
    expect((await req('devcenter', 'GET', `/api/experts/${cityExpert.id}`)).statusCode).toBe(200);
    const refused = await req('devcenter', 'POST', `/api/experts/${cityExpert.id}/unmask`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('该专家属于上级专家库，只能由其所属单位查看完整手机号');
    expect((await req('county.admin', 'POST', `/api/experts/${cityExpert.id}/unmask`)).statusCode).toBe(403);
    const audits = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'expert.unmask' AND entity_id = $1`, [String(cityExpert.id)]);
    expect(audits.rows).toHaveLength(0);
  });

  it('keeps scoring to pool managers of the project region', async () => {
    const e = await newExpert();
    const p = await makeProject(t, w.institution);
    // The institution runs the project but cannot score it; the county is not above it.
    expect((await req('institution', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [e.id] })).statusCode).toBe(403);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [e.id] })).statusCode).toBe(404);
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [e.id] });
    expect((await req('institution', 'PUT', `/api/projects/${p.id}/experts/${e.id}/score`, { criteria })).statusCode).toBe(403);
    // …but it may read its own project's expert scores.
    expect((await req('institution', 'GET', `/api/projects/${p.id}/experts`)).statusCode).toBe(200);
  });
});
