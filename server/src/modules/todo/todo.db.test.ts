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

async function account(username: string, role: 'teacher' | 'schoolAdmin' | 'bureauAdmin', orgId: number, teacherId: number | null = null): Promise<string> {
  const userId = await insertUser(t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: username, role, orgId, teacherId });
  return `qs_session=${(await createSession(t.db, userId)).token}`;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
  cookies['school2.admin'] = await account('school2.admin', 'schoolAdmin', w.school2);
  const far = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '远方老师' }));
  cookies['far.teacher'] = await account('far.teacher', 'teacher', w.school3, far);
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: cookies[who] } });

interface Todo {
  items: { kind: string; label: string; count: number; oldestAt: string | null; link: string }[];
  total: number;
}
async function todo(who: string): Promise<Todo> {
  const r = await req(who, 'GET', '/api/todo');
  expect(r.statusCode).toBe(200);
  return r.json();
}
const count = async (who: string, kind: string) => (await todo(who)).items.find((i) => i.kind === kind)?.count;

async function submittedClaim(who: string): Promise<number> {
  const c = await req(who, 'POST', '/api/claims', { title: '暑期研修', category: 'it', hours: 6, occurredOn: '2025-08-20', description: '线上学习' });
  expect(c.statusCode).toBe(201);
  const m = multipartFile('证书.pdf', PDF);
  expect(
    (await t.app.inject({ method: 'POST', url: `/api/claims/${c.json().id}/files`, payload: m.payload, headers: { ...m.headers, cookie: cookies[who] } }))
      .statusCode,
  ).toBe(201);
  expect((await req(who, 'POST', `/api/claims/${c.json().id}/transitions`, { action: 'submit' })).statusCode).toBe(200);
  return c.json().id;
}

describe('待办中心 GET /api/todo', () => {
  it('lists the kinds of the caller’s role, zero included, each with a link', async () => {
    // Sorted: the school's own annual plan (planFiling) may be waiting today, depending on the date (plans.db.test.ts).
    expect((await todo('school.admin')).items.map((i) => i.kind).sort()).toEqual(
      [
        'claimsAtSchool',
        'enrolmentRequests',
        'nominations',
        'announcements',
        'ethicsNotices',
        'mentoringUnpaired',
        'keyTeacherNominations',
        'studioReviews',
        'upgradeCompletions',
        'planFiling',
        'appraisalGrading',
        'allowancesMissing',
      ].sort(),
    );
    expect((await todo('teacher')).items.map((i) => i.kind).sort()).toEqual([
      'announcements',
      'appraisalSelfReport',
      'claimsReturned',
      'recordChangesReturned',
      'surveys',
    ]);
    const county = await todo('county.admin');
    // The county's own annual plan (planFiling) depends on today's date against 5-31: left out here (plans.db.test.ts).
    expect(county.items.filter((i) => i.kind !== 'planFiling').reduce((n, i) => n + i.count, 0)).toBe(0);
    expect(county.items.find((i) => i.kind === 'claimsAtCounty')).toMatchObject({
      label: '学时申报待区县审核',
      count: 0,
      oldestAt: null,
      link: '/claims/review',
    });
  });

  it('counts claims at the step that waits for the caller, in the caller’s subtree only, and follows each decision', async () => {
    const id = await submittedClaim('teacher');
    await submittedClaim('far.teacher'); // another county's school
    const school = (await todo('school.admin')).items.find((i) => i.kind === 'claimsAtSchool');
    expect(school).toMatchObject({ kind: 'claimsAtSchool', count: 1 });
    expect(school?.oldestAt).not.toBeNull();
    expect(await count('school2.admin', 'claimsAtSchool')).toBe(0);
    expect(await count('county.admin', 'claimsAtCounty')).toBe(0);

    expect((await req('school.admin', 'POST', `/api/claims/${id}/transitions`, { action: 'schoolApprove' })).statusCode).toBe(200);
    expect(await count('school.admin', 'claimsAtSchool')).toBe(0);
    expect(await count('county.admin', 'claimsAtCounty')).toBe(1);
    // The city is not the county's reviewer: its count stays 0 though the claim is in its subtree.
    expect(await count('city.admin', 'claimsAtCounty')).toBe(0);

    expect((await req('county.admin', 'POST', `/api/claims/${id}/transitions`, { action: 'return', comment: '请补充学习记录' })).statusCode).toBe(200);
    expect(await count('county.admin', 'claimsAtCounty')).toBe(0);
    expect(await count('teacher', 'claimsReturned')).toBe(1);
    expect(await count('far.teacher', 'claimsReturned')).toBe(0);
  });

  it('puts the kinds with work first', async () => {
    const items = (await todo('teacher')).items;
    expect(items[0]).toMatchObject({ kind: 'claimsReturned', count: 1, link: '/my/claims' });
    expect(items.slice(1).every((i) => i.count === 0)).toBe(true);
  });

  it('counts for the role of the session: switching roles switches the list', async () => {
    // school.admin becomes also 信息管理员 of the school; the session switches to it.
    const uid = (await t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'school.admin'`)).rows[0].id;
    const role = (
      await t.db.query<{ id: number }>(`INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, 'infoAdmin', $2) RETURNING id`, [uid, w.school1])
    ).rows[0].id;
    const cookie = await login(t.app, 'school.admin', PASSWORD);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/role', payload: { roleId: role }, headers: { cookie } })).statusCode).toBe(200);
    const r = (await t.app.inject({ url: '/api/todo', headers: { cookie } })).json() as Todo;
    expect(r.items.map((i) => i.kind)).toEqual(['recordChanges', 'announcements']);
  });

  it('needs a login', async () => {
    expect((await t.app.inject({ url: '/api/todo' })).statusCode).toBe(401);
  });
});
