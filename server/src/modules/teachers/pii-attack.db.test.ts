import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cookies, TestApp } from '../../../../test/harness.js';
import { worldApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { checkDigit } from '../../platform/national-id.js';
import { EXACT_SEARCH_LIMIT } from './teachers.routes.js';
import { createTeacher } from './teachers.service.js';

/**
 * Issue 9 item 1, reproduced: as the training-institution account (no teachers.unmask) rebuild teachers' full
 * 身份证号 and phones from what lists show plus the exact search. Before the fix a list row carried the first 4
 * and last 4 of the ID and the full birth date, and GET /teachers?q=<18 digits> confirmed a guess without limit or
 * audit: 10 of 10 IDs came back in 30 requests. Now the same attempt must fail.
 */

let t: TestApp;
let w: World;
let c: Cookies;
const people: { id: number; nationalId: string; phone: string }[] = [];
let enrolled: number[] = [];
let projectId = 0;

beforeAll(async () => {
  ({ t, w, cookies: c } = await worldApp());
  const schools = [w.school1, w.school2, w.school3];
  for (let i = 0; i < 10; i++) {
    const input = buildTeacher(schools[i % 3], { name: `攻击目标${i}`, partyMember: true, qualificationNo: `2019150102${String(i).padStart(6, '0')}` });
    people.push({ id: await createTeacher(t.ctx, w.cityAdmin, input), nationalId: input.nationalId, phone: input.phone as string });
  }
  // The institution's own project, with three of the ten enrolled; a city project takes three others.
  const p = await createOpenProject(t.app, [c.institution, c['city.admin']], { level: 'city', name: '学院自办项目' });
  projectId = p.id;
  enrolled = people.slice(0, 3).map((x) => x.id);
  expect((await req('institution', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: enrolled })).statusCode).toBe(200);
  const cityProject = await createOpenProject(t.app, [c['city.admin']], { level: 'city', name: '市局项目' });
  const cityIds = people.slice(3, 6).map((x) => x.id);
  expect((await req('city.admin', 'POST', `/api/projects/${cityProject.id}/enrolments`, { teacherIds: cityIds })).statusCode).toBe(200);
});
afterAll(async () => t?.close());

const req = (user: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: c[user] } });

/** Everything of a person's ID an attacker could use: region (digits 1–6), birth date (7–14), either spelling. */
const secretsOf = (nid: string) => [nid, nid.slice(0, 6), nid.slice(6, 14), `${nid.slice(6, 10)}-${nid.slice(10, 12)}-${nid.slice(12, 14)}`];

describe('issue 9 item 1: the institution cannot rebuild 身份证号 or phones', () => {
  it('lists only the teachers enrolled in its own projects, with last-4 masks, an age band and no 党员 or certificate number', async () => {
    const r = await req('institution', 'GET', '/api/teachers?pageSize=200');
    expect(r.statusCode).toBe(200);
    const list = r.json() as {
      total: number;
      items: {
        id: number;
        nationalIdMasked: string;
        phoneMasked: string | null;
        birthDate: string | null;
        ageBand: string | null;
        partyMember: boolean | null;
        qualificationNo: string | null;
      }[];
    };
    expect(list.items.map((x) => x.id).sort()).toEqual([...enrolled].sort());
    expect(list.total).toBe(3);
    for (const x of list.items) {
      const who = people.find((p) => p.id === x.id)!;
      expect(x.nationalIdMasked).toBe(`**************${who.nationalId.slice(-4)}`);
      expect(x.phoneMasked).toBe(`*******${who.phone.slice(-4)}`);
      expect(x.birthDate).toBeNull();
      expect(x.ageBand).toMatch(/^\d{2}–\d{2}岁$/);
      expect(x.partyMember).toBeNull();
      expect(x.qualificationNo).toBeNull();
    }
    for (const who of people) for (const s of secretsOf(who.nationalId)) expect(r.body).not.toContain(s);
  });

  it('detail, history and the enrolment list show no region or birth digits; a teacher not enrolled with it is 404', async () => {
    const target = people[0];
    const pages = [
      await req('institution', 'GET', `/api/teachers/${target.id}`),
      await req('institution', 'GET', `/api/teachers/${target.id}/history`),
      await req('institution', 'GET', `/api/projects/${projectId}/enrolments?pageSize=200`),
    ];
    for (const p of pages) {
      expect(p.statusCode).toBe(200);
      for (const s of secretsOf(target.nationalId)) expect(p.body).not.toContain(s);
      expect(p.body).not.toContain(target.phone.slice(0, 7));
      expect(p.body).not.toContain('2019150102');
    }
    expect(pages[0].json()).toMatchObject({ birthDate: null, partyMember: null, qualificationNo: null });
    const history = pages[1].json() as { changes: Record<string, unknown> }[];
    expect(history.length).toBeGreaterThan(0);
    for (const h of history) expect(Object.keys(h.changes)).not.toContain('birth_date');
    const outsider = people[4]; // enrolled in the city's project only
    expect((await req('institution', 'GET', `/api/teachers/${outsider.id}`)).statusCode).toBe(404);
    expect((await req('institution', 'GET', `/api/teachers/${outsider.id}/history`)).statusCode).toBe(404);
    expect((await req('institution', 'GET', `/api/teachers?q=${encodeURIComponent('攻击目标4')}`)).json().total).toBe(0);
  });

  it('the 30-request ID attempt fails: exact search is refused in the URL and in the body, even for the right guess', async () => {
    const target = people[1];
    const last4 = target.nationalId.slice(-4);
    // The attacker's candidates: the region it serves, plausible birth dates, the visible last 4 — and the real ID among them.
    const candidates = [target.nationalId];
    for (let d = 1; candidates.length < 30; d++) {
      const first14 = `150102${1980 + (d % 15)}${String(1 + (d % 12)).padStart(2, '0')}${String(1 + (d % 28)).padStart(2, '0')}`;
      const id = `${first14}${last4}`;
      if (id !== target.nationalId) candidates.push(`${id.slice(0, 17)}${checkDigit(id.slice(0, 17))}`);
    }
    let confirmed = 0;
    for (const guess of candidates) {
      const inUrl = await req('institution', 'GET', `/api/teachers?q=${guess}`);
      expect(inUrl.statusCode).toBe(400);
      expect(inUrl.json().message).toContain('精确查找');
      const inBody = await req('institution', 'POST', '/api/teachers/search', { nationalId: guess });
      expect([403, 429]).toContain(inBody.statusCode);
      if (inUrl.body.includes(String(target.id)) || inBody.body.includes(String(`"id":${target.id}`))) confirmed++;
    }
    expect(confirmed).toBe(0);
  });

  it('phones likewise: a number in the URL is refused, the body search is for unmask roles only', async () => {
    const target = people[2];
    for (let i = 0; i < 30; i++) {
      const guess = i === 0 ? target.phone : `139${String(1000 + i).padStart(4, '0')}${target.phone.slice(-4)}`;
      expect((await req('institution', 'GET', `/api/teachers?q=${guess}`)).statusCode).toBe(400);
      const body = await req('institution', 'POST', '/api/teachers/search', { phone: guess });
      expect([403, 429]).toContain(body.statusCode);
      expect(body.body).not.toContain(target.phone);
    }
  });
});

describe('exact search for roles that may unmask', () => {
  it('finds by 身份证号 or phone in the body and writes an audit line without the value', async () => {
    const who = people[5];
    const byId = await req('city.admin', 'POST', '/api/teachers/search', { nationalId: who.nationalId });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toMatchObject({ total: 1, items: [{ id: who.id, name: '攻击目标5' }] });
    const byPhone = await req('city.admin', 'POST', '/api/teachers/search', { phone: who.phone });
    expect(byPhone.json().items.map((x: { id: number }) => x.id)).toEqual([who.id]);
    const none = await req('city.admin', 'POST', '/api/teachers/search', { phone: '13000000000' });
    expect(none.json()).toEqual({ items: [], total: 0 });
    const lines = (
      await t.db.query<{ detail: Record<string, unknown>; entity_id: string | null }>(
        `SELECT a.detail, a.entity_id FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action = 'teacher.search' AND u.username = 'city.admin' ORDER BY a.id`,
      )
    ).rows;
    expect(lines.map((l) => l.detail)).toEqual([
      { field: 'nationalId', matches: 1 },
      { field: 'phone', matches: 1 },
      { field: 'phone', matches: 0 },
    ]);
    expect(JSON.stringify(lines)).not.toContain(who.nationalId);
    expect(JSON.stringify(lines)).not.toContain(who.phone);
  });

  it('answers bad input with a Chinese field message and stays inside the subtree', async () => {
    const both = await req('city.admin', 'POST', '/api/teachers/search', { nationalId: people[0].nationalId, phone: people[0].phone });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toContain('二选一');
    expect((await req('city.admin', 'POST', '/api/teachers/search', { phone: '123' })).json().fields[0].message).toContain('手机号');
    // 甲区 (county1) does not see a teacher of 乙县.
    const far = people.find((_, i) => i % 3 === 2)!;
    expect((await req('county.admin', 'POST', '/api/teachers/search', { nationalId: far.nationalId })).json().total).toBe(0);
  });

  it(`is rate-limited per account: ${EXACT_SEARCH_LIMIT} searches in 10 minutes, then 429`, async () => {
    const statuses: number[] = [];
    // school.admin has made no search yet in this file.
    for (let i = 0; i <= EXACT_SEARCH_LIMIT; i++)
      statuses.push((await req('school.admin', 'POST', '/api/teachers/search', { phone: people[0].phone })).statusCode);
    expect(statuses.slice(0, EXACT_SEARCH_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses[EXACT_SEARCH_LIMIT]).toBe(429);
    // Another account is not affected.
    expect((await req('county.admin', 'POST', '/api/teachers/search', { phone: people[0].phone })).statusCode).toBe(200);
  });
});
