/**
 * The teacher form's 生效日期 (effectiveFrom): a change of school, status, role or credential saved through
 * PUT /teachers/:id goes to the dated-fact functions from that date. A correction of the past (a date before
 * today, with a reason) changes results as of that date only from that date; a scheduled change (a later date)
 * leaves today's record alone; the timeline shows each change from its date.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { POLICY_DIR } from '../policies/policies.service.js';
import { addDays } from '../policies/policy.windows.js';
import { evaluatePolicy } from '../compliance/compliance.engine.js';
import * as compliance from '../compliance/compliance.repository.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
let cookies: Cookies;

const bayannur = (() => {
  const r = loadPolicy(readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8'));
  if (!r.ok) throw new Error('000 does not load');
  return r.policy;
})();

const req = (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[user] } });

/** One teacher's outcomes of the policy as of a date, evaluated at a school, keyed by rule. */
async function outcomes(asOf: string, schoolId: number, teacherId: number): Promise<Map<string, { status: string; required: number | null }>> {
  const all = await compliance.loadOrgs(t.db, '/');
  const root = all.find((o) => o.id === schoolId)!;
  const out = new Map<string, { status: string; required: number | null }>();
  await evaluatePolicy(t.db, { policy: bayannur, asOf, root, region: all[0], orgs: [root] }, (o) => {
    if (o.subject.type === 'teacher' && o.subject.id === teacherId) out.set(o.rule.id, o.result as never);
  });
  return out;
}

/** The form as the web sends it: the current record (full 身份证号 from unmask), edited. */
async function formOf(id: number) {
  const cur = (await req('city.admin', 'GET', `/api/teachers/${id}`)).json();
  const nid = (await req('city.admin', 'POST', `/api/teachers/${id}/unmask`)).json().nationalId;
  return {
    name: cur.name,
    nationalId: nid,
    phone: null,
    orgId: cur.orgId,
    employment: cur.employment,
    stage: cur.stage,
    subjects: cur.subjects,
    hireDate: cur.hireDate,
    mandarinLevel: cur.mandarinLevel,
    certificates: cur.certificates,
    roles: cur.roles,
    partyMember: false,
    status: cur.status,
    version: cur.version,
  };
}

async function create(overrides: Parameters<typeof buildTeacher>[1]): Promise<number> {
  const r = await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school1, overrides));
  expect(r.statusCode).toBe(201);
  return r.json().id;
}

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
}, 120_000);
afterAll(async () => t?.close());

describe('teacher form with an effective date', () => {
  it('a correction effective in the past changes results as of that date only from that date, and the timeline shows it from then', async () => {
    const id = await create({ hireDate: '2010-09-01', mandarinLevel: '2B', roles: [{ role: 'homeroom', since: '2020-09-01' }] });
    const juneBefore = await outcomes('2025-06-30', w.school1, id);
    const yearEndBefore = await outcomes('2025-12-31', w.school1, id);
    expect(juneBefore.get('mandarin-chinese-2a')?.status).toBe('inProgress');
    expect(yearEndBefore.get('homeroom-annual')?.required).toBe(40);

    const form = await formOf(id);
    const r = await req('city.admin', 'PUT', `/api/teachers/${id}`, {
      ...form,
      orgId: w.school3,
      mandarinLevel: '2A',
      roles: [],
      effectiveFrom: '2025-07-01',
      reason: '补录：2025 年 7 月调入并取得二级甲等',
    });
    expect(r.statusCode).toBe(200);

    // As of the day before: exactly as before, at the old school.
    expect(await outcomes('2025-06-30', w.school1, id)).toEqual(juneBefore);
    expect((await outcomes('2025-06-30', w.school3, id)).size).toBe(0);
    // From the date: at the new school, the credential counts, the 班主任 role ended the day before (half a year).
    const yearEnd = await outcomes('2025-12-31', w.school3, id);
    expect(yearEnd.get('mandarin-chinese-2a')?.status).toBe('compliant');
    expect(yearEnd.get('homeroom-annual')?.required).toBe(20);
    expect((await outcomes('2025-12-31', w.school1, id)).size).toBe(0);

    const items = (await req('city.admin', 'GET', `/api/teachers/${id}/timeline`)).json().items as {
      kind: string;
      from: string | null;
      until: string | null;
      orgId?: number;
      role?: string;
      field?: string;
      value?: unknown;
      note: string | null;
      supersededAt: string | null;
    }[];
    const live = items.filter((i) => !i.supersededAt);
    expect(live.filter((i) => i.kind === 'assignment').map((i) => [i.orgId, i.from, i.until])).toEqual([
      [w.school1, null, '2025-06-30'],
      [w.school3, '2025-07-01', null],
    ]);
    expect(live.filter((i) => i.kind === 'role').map((i) => [i.role, i.from, i.until])).toEqual([['homeroom', '2020-09-01', '2025-06-30']]);
    expect(live.filter((i) => i.kind === 'credential' && i.field === 'mandarin_level').map((i) => [i.value, i.from, i.until])).toEqual([
      ['2B', null, '2025-06-30'],
      ['2A', '2025-07-01', null],
    ]);
    expect(live.find((i) => i.kind === 'assignment' && i.from === '2025-07-01')?.note).toBe('补录：2025 年 7 月调入并取得二级甲等');
    // The change history says from when, and why.
    const history = (await req('city.admin', 'GET', `/api/teachers/${id}/history`)).json();
    expect(history[0].changes.effective_from).toEqual({ from: null, to: '2025-07-01' });
    expect(history[0].changes.reason.to).toBe('补录：2025 年 7 月调入并取得二级甲等');
    // Today's record is the new one.
    const now = (await req('city.admin', 'GET', `/api/teachers/${id}`)).json();
    expect([now.orgId, now.mandarinLevel, now.roles]).toEqual([w.school3, '2A', []]);
  });

  it('a date before today needs a reason; more than a year ahead is refused; both with field messages', async () => {
    const id = await create({ hireDate: '2012-09-01' });
    const form = await formOf(id);
    const noReason = await req('city.admin', 'PUT', `/api/teachers/${id}`, { ...form, title: 'senior', effectiveFrom: '2024-09-01' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toBe('生效日期早于今天（更正以往的记录）时，请填写更正原因');
    expect(noReason.json().fields).toEqual([{ field: 'reason', message: '请填写更正原因' }]);
    const tooFar = await req('city.admin', 'PUT', `/api/teachers/${id}`, { ...form, title: 'senior', effectiveFrom: addDays(todayInChina(), 400) });
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json().fields).toEqual([{ field: 'effectiveFrom', message: '生效日期最多可预约到一年以后' }]);
    // Nothing was saved.
    expect((await req('city.admin', 'GET', `/api/teachers/${id}`)).json().version).toBe(form.version);
  });

  it('a scheduled change (a later date) leaves today as it is and holds from its date', async () => {
    const id = await create({ hireDate: '1990-09-01', mandarinLevel: '2B', roles: [{ role: 'mentor', since: '2021-09-01' }] });
    const form = await formOf(id);
    const on = addDays(todayInChina(), 30);
    const r = await req('city.admin', 'PUT', `/api/teachers/${id}`, { ...form, status: 'retired', roles: [], effectiveFrom: on });
    expect(r.statusCode).toBe(200);
    const now = r.json();
    expect(now.status).toBe('active');
    // The roster as of the scheduled date no longer has the teacher (many teachers: the set-based path).
    const inRoster = async (d: string) => (await compliance.loadTeachers(t.db, { rootPath: '/', on: d, teacherIds: [id] })).length;
    expect([await inRoster(addDays(on, -1)), await inRoster(on)]).toEqual([1, 0]);
    // The evaluation reads today's record and only what differs on its date: as of a scheduled credential's date
    // (before the columns are brought in line that day) the new value counts, and the day before the old one.
    const other = await create({ hireDate: '2001-09-01', mandarinLevel: '2B' });
    const r2 = await req('city.admin', 'PUT', `/api/teachers/${other}`, { ...(await formOf(other)), mandarinLevel: '2A', effectiveFrom: on });
    expect(r2.json().mandarinLevel).toBe('2B');
    const level = async (d: string, small: boolean) =>
      (await compliance.loadTeachers(t.db, { rootPath: '/', on: d, teacherIds: [other] }, small))[0]?.mandarinLevel;
    expect([await level(addDays(on, -1), false), await level(on, false), await level(on, true)]).toEqual(['2B', '2A', '2A']);
    expect(now.roles).toEqual([{ role: 'mentor', since: '2021-09-01' }]);
    const statuses = await t.db.query<{ status: string; f: string | null; u: string | null }>(
      'SELECT status, valid_from::text AS f, valid_until::text AS u FROM teacher_statuses WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY id',
      [id],
    );
    expect(statuses.rows).toEqual([
      { status: 'active', f: null, u: addDays(on, -1) },
      { status: 'retired', f: on, u: null },
    ]);
    const roles = await t.db.query<{ until: string | null }>('SELECT until::text FROM teacher_roles WHERE teacher_id = $1 AND superseded_at IS NULL', [id]);
    expect(roles.rows).toEqual([{ until: addDays(on, -1) }]);
  });

  it('a change running into a later recorded one is a 400 on the date field, nothing saved', async () => {
    const id = await create({ hireDate: '2012-09-01' });
    const move = await req('city.admin', 'POST', `/api/teachers/${id}/facts`, {
      kind: 'assignment',
      orgId: w.school2,
      assignmentKind: 'transfer',
      validFrom: '2025-03-01',
    });
    expect(move.statusCode).toBe(201);
    const form = await formOf(id);
    const r = await req('city.admin', 'PUT', `/api/teachers/${id}`, { ...form, orgId: w.school3, effectiveFrom: '2024-09-01', reason: '更正调动日期' });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields).toEqual([{ field: 'effectiveFrom', message: '与之后已登记的变化重叠' }]);
    expect((await req('city.admin', 'GET', `/api/teachers/${id}`)).json().orgId).toBe(w.school2);
  });
});
