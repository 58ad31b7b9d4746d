import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { makeNationalId } from '../../demo/national-ids.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

const req = (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[user] } });

describe('teachers API', () => {
  it('refuses anonymous callers with 401', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/teachers' });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe('请先登录');
  });

  it('creates a teacher, stores PII encrypted, shows it masked', async () => {
    const input = buildTeacher(w.school2, { name: '李红', nationalId: '11010519491231002X', phone: '13812345678' });
    const r = await req('city.admin', 'POST', '/api/teachers', input);
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.nationalIdMasked).toBe('1101**********002X');
    expect(body.phoneMasked).toBe('138****5678');
    expect(body.birthDate).toBe('1949-12-31');
    expect(JSON.stringify(body)).not.toContain('11010519491231002X');
    const raw = await t.db.query<{ national_id_enc: string; phone_enc: string }>('SELECT national_id_enc, phone_enc FROM teachers WHERE id = $1', [body.id]);
    expect(raw.rows[0].national_id_enc).not.toContain('110105');
    expect(raw.rows[0].phone_enc).not.toContain('138123');
  });

  it('rejects a bad check digit with a field message in Chinese', async () => {
    const r = await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school1, { nationalId: '110105194912310021' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().fields).toContainEqual({ field: 'nationalId', message: '身份证号校验位错误，请核对' });
  });

  it('refuses a duplicate 身份证号 with 409', async () => {
    const input = buildTeacher(w.school1);
    expect((await req('city.admin', 'POST', '/api/teachers', input)).statusCode).toBe(201);
    const again = await req('city.admin', 'POST', '/api/teachers', { ...input, name: '另一个人' });
    expect(again.statusCode).toBe(409);
  });

  it('finds a teacher by exact 身份证号 through the blind index (POST /teachers/search, not the URL)', async () => {
    const input = buildTeacher(w.school3, { name: '王查找' });
    await req('city.admin', 'POST', '/api/teachers', input);
    const r = await req('city.admin', 'POST', '/api/teachers/search', { nationalId: input.nationalId });
    expect(r.json().items.map((x: { name: string }) => x.name)).toEqual(['王查找']);
    // In a URL the number is refused with a pointer to the right path.
    const inUrl = await req('city.admin', 'GET', `/api/teachers?q=${input.nationalId}`);
    expect(inUrl.statusCode).toBe(400);
    expect(inUrl.json().message).toContain('精确查找');
  });

  it('scopes lists and records to the caller subtree: another school is 404', async () => {
    const other = (await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school3, { name: '乙县老师' }))).json();
    const list = (await req('school.admin', 'GET', '/api/teachers?pageSize=200')).json();
    expect(list.items.every((x: { orgId: number }) => x.orgId === w.school1)).toBe(true);
    expect((await req('school.admin', 'GET', `/api/teachers/${other.id}`)).statusCode).toBe(404);
    expect((await req('county.admin', 'GET', `/api/teachers/${other.id}`)).statusCode).toBe(404);
    expect((await req('city.admin', 'GET', `/api/teachers/${other.id}`)).statusCode).toBe(200);
  });

  it('a teacher sees only their own record', async () => {
    expect((await req('teacher', 'GET', `/api/teachers/${w.teacherId}`)).statusCode).toBe(200);
    expect((await req('teacher', 'GET', '/api/teachers')).statusCode).toBe(403);
  });

  it('unmasking is allowed to admins and written to the audit log', async () => {
    const nid = makeNationalId('150102', '1980-01-01', 123, 'male');
    const created = (await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school1, { nationalId: nid }))).json();
    expect((await req('institution', 'POST', `/api/teachers/${created.id}/unmask`)).statusCode).toBe(403);
    const r = await req('school.admin', 'POST', `/api/teachers/${created.id}/unmask`);
    expect(r.statusCode).toBe(200);
    expect(r.json().nationalId).toBe(nid);
    const log = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'teacher.unmask' AND entity_id = $1`, [
      String(created.id),
    ]);
    expect(log.rows[0].n).toBe(1);
  });

  it('edits with optimistic locking and records the change history', async () => {
    const created = (await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school1, { name: '赵编辑' }))).json();
    const input = { ...buildTeacher(w.school1), nationalId: (await req('city.admin', 'POST', `/api/teachers/${created.id}/unmask`)).json().nationalId };
    const ok = await req('school.admin', 'PUT', `/api/teachers/${created.id}`, { ...input, name: '赵编辑', title: 'first', version: created.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().title).toBe('first');
    const stale = await req('school.admin', 'PUT', `/api/teachers/${created.id}`, { ...input, name: '赵编辑', title: 'senior', version: created.version });
    expect(stale.statusCode).toBe(409);
    const hist = (await req('school.admin', 'GET', `/api/teachers/${created.id}/history`)).json();
    expect(hist[0].changes.title).toEqual({ from: null, to: 'first' });
  });

  it('filters by role and pages server-side', async () => {
    const r = (await req('city.admin', 'GET', '/api/teachers?role=homeroom')).json();
    expect(r.items.map((x: { name: string }) => x.name)).toContain('张老师');
    const p = (await req('city.admin', 'GET', '/api/teachers?pageSize=2&page=1')).json();
    expect(p.items).toHaveLength(2);
    expect(p.total).toBeGreaterThan(2);
  });

  it('answers malformed input with 4xx and a Chinese message, never 500', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/teachers',
      headers: { cookie: cookies['city.admin'], 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('请求内容不是有效的 JSON');
    const wrongType = await req('city.admin', 'POST', '/api/teachers', { ...buildTeacher(w.school1), orgId: 'abc' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().fields.some((f: { field: string }) => f.field === 'orgId')).toBe(true);
    expect((await req('city.admin', 'GET', '/api/teachers/999999')).statusCode).toBe(404);
    expect((await req('city.admin', 'GET', '/api/teachers/abc')).statusCode).toBe(400);
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/teachers',
      headers: { cookie: cookies['city.admin'], 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect(huge.statusCode).toBe(413);
  });
});
