/**
 * Facts with validity through the API and the teacher form: saving never deletes history (removing a role ends
 * it), ending is an action with a date, a correction keeps the old row, deleting needs a reason and is audited,
 * periods never overlap, history rows are never rewritten, and the timeline shows it all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { syncDue } from './teacher-facts.repository.js';
import { addDays } from '../policies/policy.windows.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
let cookies: Cookies;
let id = 0;

const req = (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[user] } });

const roleRows = async () =>
  (
    await t.db.query<{ id: number; role: string; since: string | null; until: string | null; superseded: boolean; corrects: number | null }>(
      'SELECT id, role, since::text, until::text, superseded_at IS NOT NULL AS superseded, corrects FROM teacher_roles WHERE teacher_id = $1 ORDER BY id',
      [id],
    )
  ).rows;

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  const r = await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school1, { name: '时间线', roles: [{ role: 'homeroom', since: '2020-09-01' }] }));
  expect(r.statusCode).toBe(201);
  id = r.json().id;
});
afterAll(async () => t?.close());

describe('teacher facts over time', () => {
  it("saving the form without a role ends it the day before (the form's 生效日期, today by default) instead of deleting it; adding one starts it today", async () => {
    const cur = (await req('school.admin', 'GET', `/api/teachers/${id}`)).json();
    const input = { ...buildTeacher(w.school1, { name: '时间线' }), nationalId: undefined };
    const nid = (await req('city.admin', 'POST', `/api/teachers/${id}/unmask`)).json().nationalId;
    const r = await req('school.admin', 'PUT', `/api/teachers/${id}`, { ...input, nationalId: nid, roles: [{ role: 'mentor' }], version: cur.version });
    expect(r.statusCode).toBe(200);
    const today = todayInChina();
    expect((await roleRows()).map((x) => [x.role, x.since, x.until, x.superseded])).toEqual([
      ['homeroom', '2020-09-01', addDays(today, -1), false],
      ['mentor', today, null, false],
    ]);
  });

  it('ends a role with a date, refuses an end before its start with a Chinese message', async () => {
    const add = await req('school.admin', 'POST', `/api/teachers/${id}/facts`, { kind: 'role', role: 'ideology', since: '2024-09-01' });
    expect(add.statusCode).toBe(201);
    const rowId = add.json().id;
    const bad = await req('school.admin', 'POST', `/api/teachers/${id}/facts/end`, { kind: 'role', factId: rowId, until: '2024-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('结束日期不能早于开始日期');
    const ok = await req('school.admin', 'POST', `/api/teachers/${id}/facts/end`, { kind: 'role', factId: rowId, until: '2025-06-30' });
    expect(ok.statusCode).toBe(200);
    const again = await req('school.admin', 'POST', `/api/teachers/${id}/facts/end`, { kind: 'role', factId: rowId, until: '2025-07-31' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已结束');
  });

  it('a correction keeps the old row, marked superseded, and adds the corrected one', async () => {
    const row = (await roleRows()).find((x) => x.role === 'ideology')!;
    const r = await req('school.admin', 'POST', `/api/teachers/${id}/facts/correct`, { kind: 'role', factId: row.id, from: '2024-03-01', until: '2025-06-30' });
    expect(r.statusCode).toBe(200);
    const rows = (await roleRows()).filter((x) => x.role === 'ideology');
    expect(rows.map((x) => [x.since, x.until, x.superseded, x.corrects])).toEqual([
      ['2024-09-01', '2025-06-30', true, null],
      ['2024-03-01', '2025-06-30', false, row.id],
    ]);
  });

  it('refuses an overlapping period with a field message', async () => {
    const r = await req('school.admin', 'POST', `/api/teachers/${id}/facts`, { kind: 'role', role: 'ideology', since: '2025-01-01' });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('时间重叠');
  });

  it('history rows are never rewritten (database trigger)', async () => {
    const row = (await roleRows()).find((x) => x.role === 'homeroom')!;
    await expect(t.db.query(`UPDATE teacher_roles SET since = '2019-09-01' WHERE id = $1`, [row.id])).rejects.toThrow(/never rewritten/);
    await expect(t.db.query(`UPDATE teacher_roles SET until = '2030-01-01' WHERE id = $1`, [row.id])).rejects.toThrow(/corrected by a new row/);
  });

  it('deleting a mistaken row needs a reason and is audited with the row', async () => {
    const add = await req('school.admin', 'POST', `/api/teachers/${id}/facts`, { kind: 'role', role: 'psychPartTime', since: '2023-09-01' });
    const rowId = add.json().id;
    const noReason = await req('school.admin', 'POST', `/api/teachers/${id}/facts/delete`, { kind: 'role', factId: rowId, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json())).toContain('请填写删除原因');
    const ok = await req('school.admin', 'POST', `/api/teachers/${id}/facts/delete`, { kind: 'role', factId: rowId, reason: '录错了教师' });
    expect(ok.statusCode).toBe(200);
    expect((await roleRows()).some((x) => x.id === rowId)).toBe(false);
    const a = await t.db.query<{ detail: { reason: string; kind: string; row: { role: string } } }>(
      `SELECT detail FROM audit_log WHERE action = 'teacher.fact.delete' AND entity_id = $1`,
      [String(id)],
    );
    expect(a.rows[0].detail).toMatchObject({ reason: '录错了教师', kind: 'role', row: { role: 'psychPartTime' } });
  });

  it('a transfer and a retirement with dates keep the period tables and the current values true', async () => {
    const move = await req('city.admin', 'POST', `/api/teachers/${id}/facts`, {
      kind: 'assignment',
      orgId: w.school3,
      assignmentKind: 'rotation',
      validFrom: '2025-09-01',
    });
    expect(move.statusCode).toBe(201);
    const retire = await req('city.admin', 'POST', `/api/teachers/${id}/facts`, { kind: 'status', status: 'retired', validFrom: '2026-01-01' });
    expect(retire.statusCode).toBe(201);
    const a = await t.db.query(
      'SELECT org_id, kind, valid_from::text AS f, valid_until::text AS u FROM teacher_assignments WHERE teacher_id = $1 ORDER BY id',
      [id],
    );
    expect(a.rows).toEqual([
      { org_id: w.school1, kind: 'initial', f: null, u: '2025-08-31' },
      { org_id: w.school3, kind: 'rotation', f: '2025-09-01', u: null },
    ]);
    const cur = await t.db.query<{ org_id: number; status: string }>('SELECT org_id, status FROM teachers WHERE id = $1', [id]);
    expect(cur.rows[0]).toEqual({ org_id: w.school3, status: 'retired' });
  });

  it('a change recorded ahead of its date becomes the current value when the day comes', async () => {
    const other = (await req('city.admin', 'POST', '/api/teachers', buildTeacher(w.school2, { name: '提前登记' }))).json().id as number;
    const later = addDays(todayInChina(), 10);
    expect((await req('city.admin', 'POST', `/api/teachers/${other}/facts`, { kind: 'status', status: 'resigned', validFrom: later })).statusCode).toBe(201);
    const status = async () => (await t.db.query<{ status: string }>('SELECT status FROM teachers WHERE id = $1', [other])).rows[0].status;
    expect(await status()).toBe('active');
    expect(await syncDue(t.db, addDays(later, -1))).toBe(0);
    expect(await syncDue(t.db, later)).toBe(1);
    expect(await status()).toBe('resigned');
  });

  it('the timeline lists every kind with dates and who recorded it; a school outside reach gets 404', async () => {
    const cred = await req('city.admin', 'POST', `/api/teachers/${id}/facts`, {
      kind: 'credential',
      validFrom: '2025-05-01',
      values: { mandarin_level: '2A' },
    });
    expect(cred.statusCode).toBe(201);
    const r = await req('city.admin', 'GET', `/api/teachers/${id}/timeline`);
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { kind: string; from: string | null; recordedBy: string | null; supersededAt: string | null }[];
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['assignment', 'status', 'role', 'credential']));
    expect(items.find((i) => i.kind === 'assignment' && i.from === '2025-09-01')?.recordedBy).toBe('市局管理员');
    expect(items.filter((i) => i.supersededAt).length).toBeGreaterThan(0);
    // The teacher now belongs to 乙县 (school3): 甲区 no longer reaches them.
    expect((await req('county.admin', 'GET', `/api/teachers/${id}/timeline`)).statusCode).toBe(404);
  });
});
