import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { recordLedgerEntries, type LedgerEntryInput } from './ledger.service.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
/** Teachers: a and b in school1 (甲区), c in school2 (甲区), d in school3 (乙县). */
const T: Record<'a' | 'b' | 'c' | 'd', number> = { a: 0, b: 0, c: 0, d: 0 };

let keySeq = 0;
const entry = (teacherId: number, hours: number, category: LedgerEntryInput['category'], occurredOn: string): LedgerEntryInput => ({
  teacherId,
  hours,
  category,
  occurredOn,
  sourceType: 'import',
  description: '智慧教育平台学时导入',
  dedupeKey: `test:${++keySeq}`,
});

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
  T.a = w.teacherId;
  T.b = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '一小乙' }));
  T.c = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2, { name: '二中丙' }));
  T.d = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '乙县丁' }));
  await recordLedgerEntries(t.db, [
    entry(T.a, 8, 'it', '2025-05-01'),
    entry(T.a, 40, 'homeroom', '2025-09-01'),
    entry(T.a, 6, 'it', '2026-03-01'),
    entry(T.a, 4, 'ethics', '2026-04-01'),
    entry(T.b, 10, 'ethics', '2026-04-01'),
    entry(T.c, 12, 'subject', '2026-05-01'),
    entry(T.d, 20, 'subject', '2026-05-01'),
    entry(T.d, 5, 'it', '2025-05-01'),
  ]);
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] } });

describe('recordLedgerEntries', () => {
  it('is idempotent by dedupe key and reports what it added', async () => {
    const batch = [entry(T.b, 2, 'general', '2024-01-02'), entry(T.c, 3, 'general', '2024-01-02'), entry(T.c, 1.5, 'general', '2024-01-03')];
    expect(await recordLedgerEntries(t.db, batch)).toEqual({ inserted: 3, teachers: 2, hours: 6.5 });
    expect(await recordLedgerEntries(t.db, batch)).toEqual({ inserted: 0, teachers: 0, hours: 0 });
    const n = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE occurred_on < '2025-01-01'`)).rows[0].n;
    expect(n).toBe(3);
  });

  it('rejects invalid entries before writing anything', async () => {
    const good = entry(T.b, 1, 'general', '2024-02-01');
    await expect(recordLedgerEntries(t.db, [good, { ...entry(T.b, 1, 'general', '2024-02-01'), category: 'bogus' as 'general' }])).rejects.toMatchObject({
      status: 400,
    });
    await expect(recordLedgerEntries(t.db, [entry(T.b, -1, 'general', '2024-02-01')])).rejects.toMatchObject({ status: 400 });
    await expect(recordLedgerEntries(t.db, [entry(T.b, 1.25, 'general', '2024-02-01')])).rejects.toMatchObject({ status: 400 });
    const n = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE occurred_on = '2024-02-01'`)).rows[0].n;
    expect(n).toBe(0);
  });

  it('the ledger is append-only: UPDATE and DELETE raise', async () => {
    await expect(t.db.query('UPDATE ledger_entries SET hours = 99')).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM ledger_entries')).rejects.toThrow(/append-only/);
  });
});

describe('hours of a teacher', () => {
  it('my hours: totals by year and category, entries newest first', async () => {
    const r = await req('teacher', 'GET', '/api/hours/me');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.teacher).toMatchObject({ id: T.a, name: '张老师', orgName: '甲区第一小学' });
    expect(body.years).toEqual([
      { year: 2026, total: 10, byCategory: { ethics: 4, it: 6 } },
      { year: 2025, total: 48, byCategory: { homeroom: 40, it: 8 } },
    ]);
    expect(body.entries.map((e: { occurredOn: string }) => e.occurredOn)).toEqual(['2026-04-01', '2026-03-01', '2025-09-01', '2025-05-01']);
    expect(body.entries[0]).toMatchObject({ hours: 4, category: 'ethics', sourceType: 'import', reversesId: null, reversedById: null });
    const y = (await req('teacher', 'GET', '/api/hours/me?year=2025')).json();
    expect(y.entries).toHaveLength(2);
    expect(y.years).toHaveLength(2);
    expect((await req('city.admin', 'GET', '/api/hours/me')).statusCode).toBe(403);
  });

  it('admins read hours of teachers in their scope only; a teacher only their own', async () => {
    expect((await req('school.admin', 'GET', `/api/teachers/${T.b}/hours`)).json().years).toEqual([
      { year: 2026, total: 10, byCategory: { ethics: 10 } },
      { year: 2024, total: 2, byCategory: { general: 2 } },
    ]);
    expect((await req('school.admin', 'GET', `/api/teachers/${T.d}/hours`)).statusCode).toBe(404);
    expect((await req('county.admin', 'GET', `/api/teachers/${T.d}/hours`)).statusCode).toBe(404);
    expect((await req('city.admin', 'GET', `/api/teachers/${T.d}/hours`)).statusCode).toBe(200);
    expect((await req('teacher', 'GET', `/api/teachers/${T.a}/hours`)).statusCode).toBe(200);
    expect((await req('teacher', 'GET', `/api/teachers/${T.b}/hours`)).statusCode).toBe(404);
    expect((await req('institution', 'GET', `/api/teachers/${T.b}/hours`)).statusCode).toBe(403);
  });
});

describe('reversal', () => {
  const idOf = async (teacherId: number, category: string) =>
    (
      await t.db.query<{ id: number }>('SELECT id FROM ledger_entries WHERE teacher_id = $1 AND category = $2 AND reverses_id IS NULL ORDER BY id LIMIT 1', [
        teacherId,
        category,
      ])
    ).rows[0].id;

  it('appends a reversing entry once; the sums cancel; a reversal cannot be reversed', async () => {
    const id = await idOf(T.c, 'subject');
    const r = await req('city.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: '重复录入' });
    expect(r.statusCode).toBe(201);
    const rev = r.json();
    expect(rev).toMatchObject({
      hours: -12,
      category: 'subject',
      occurredOn: '2026-05-01',
      sourceType: 'correction',
      reversesId: id,
      reason: '重复录入',
      recognisedByName: '市局管理员',
    });

    const again = await req('city.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: '再冲一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('该记录已被冲销');
    expect((await req('city.admin', 'POST', `/api/ledger/${rev.id}/reverse`, { reason: '冲销冲销' })).statusCode).toBe(409);

    const hours = (await req('city.admin', 'GET', `/api/teachers/${T.c}/hours`)).json();
    expect(hours.years.find((y: { year: number }) => y.year === 2026)).toEqual({ year: 2026, total: 0, byCategory: {} });
    expect(hours.entries.find((e: { id: number }) => e.id === id).reversedById).toBe(rev.id);
    const sum = (await t.db.query<{ s: number }>('SELECT sum(hours) AS s FROM ledger_entries WHERE id = $1 OR reverses_id = $1', [id])).rows[0].s;
    expect(sum).toBe(0);
    const audited = (
      await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ledger.reverse' AND entity_id = $1`, [String(id)])
    ).rows[0].n;
    expect(audited).toBe(1);
  });

  it('two concurrent reversals of one entry append exactly one', async () => {
    const id = await idOf(T.a, 'homeroom');
    const rs = await Promise.all([
      req('city.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: '并发一' }),
      req('city.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: '并发二' }),
    ]);
    expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const n = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries WHERE reverses_id = $1', [id])).rows[0].n;
    expect(n).toBe(1);
  });

  it('needs hours.correct, a teacher in scope and a reason', async () => {
    const id = await idOf(T.d, 'it');
    expect((await req('school.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: '无权限' })).statusCode).toBe(403);
    expect((await req('county.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: '不在辖区' })).statusCode).toBe(404);
    const noReason = await req('city.admin', 'POST', `/api/ledger/${id}/reverse`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].field).toBe('reason');
    expect((await req('city.admin', 'POST', '/api/ledger/99999999/reverse', { reason: '不存在的' })).statusCode).toBe(404);
  });
});

describe('hours summary', () => {
  it('a city sees its counties (one row each), with teachers, totals and averages', async () => {
    const r = await req('city.admin', 'GET', '/api/hours/summary?year=2026');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.org).toEqual({ id: w.city, name: '测试市教育局', level: 'city' });
    // 甲区: a (10) + b (10) + c (12 reversed → 0) = 20 over 3 teachers; 乙县: d 20.
    // (a's homeroom reversal is dated 2025, so 2026 is untouched.)
    expect(body.rows).toEqual([
      { id: w.county1, name: '甲区教育局', kind: 'org', teachers: 3, totalHours: 20, avgHours: 6.7, byCategory: { ethics: 14, it: 6 } },
      { id: w.county2, name: '乙县教育局', kind: 'org', teachers: 1, totalHours: 20, avgHours: 20, byCategory: { subject: 20 } },
    ]);
  });

  it('a county sees its schools; a school sees its teachers', async () => {
    const county = (await req('county.admin', 'GET', '/api/hours/summary?year=2026')).json();
    expect(county.rows.map((x: { name: string; totalHours: number; teachers: number }) => [x.name, x.teachers, x.totalHours])).toEqual([
      ['甲区第一小学', 2, 20],
      ['甲区第二中学', 1, 0],
    ]);
    const school = (await req('school.admin', 'GET', '/api/hours/summary?year=2025')).json();
    expect(school.org.id).toBe(w.school1);
    expect(school.rows.map((x: { kind: string; name: string; totalHours: number }) => [x.kind, x.name, x.totalHours])).toEqual([
      ['teacher', '一小乙', 0],
      ['teacher', '张老师', 8],
    ]);
  });

  it('is scoped: another county is 404, teachers are refused', async () => {
    expect((await req('school.admin', 'GET', `/api/hours/summary?orgId=${w.county2}`)).statusCode).toBe(404);
    expect((await req('county.admin', 'GET', `/api/hours/summary?orgId=${w.school3}`)).statusCode).toBe(404);
    expect((await req('city.admin', 'GET', `/api/hours/summary?orgId=${w.school3}&year=2026`)).json().rows).toHaveLength(1);
    expect((await req('teacher', 'GET', '/api/hours/summary')).statusCode).toBe(403);
  });
});
