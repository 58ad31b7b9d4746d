import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { PASSWORD } from '../../../../test/factories.js';
import { insertUser } from '../users/users.repository.js';
import { rotationServiceFor, neededOf } from './rotation-figures.js';

// 交流轮岗 (issue 14 item 2) through the routes, on both databases: counts against the annual share (the platform
// default: 同校满 6 年符合条件，每年不低于 10%，种子文件未给比例 — policy.rotation.ts), records that move the school
// of record through teacher facts (交流/轮岗) or not (支教/送教下乡), ending, correcting, plans, the eligible list
// and rotationServiceFor.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const school1: number[] = [];
const school2: number[] = [];

beforeAll(async () => {
  aw = await accountsWorld();
  await insertUser(aw.t.db, {
    username: 'county2.admin',
    passwordHash: await hashPassword(PASSWORD),
    displayName: '乙县管理员',
    role: 'bureauAdmin',
    orgId: aw.w.county2,
  });
  // 甲区 on 2025-01-01: 一小 (primary) 25 teachers hired 2015 (≥ 6 years) and 5 hired 2022; 二中 (junior) 12 hired 2010.
  for (let i = 0; i < 25; i++) school1.push(await aw.teacher(aw.w.school1, { name: `一小老教师${i}`, hireDate: '2015-09-01' }));
  for (let i = 0; i < 5; i++) await aw.teacher(aw.w.school1, { name: `一小新教师${i}`, hireDate: '2022-09-01' });
  for (let i = 0; i < 12; i++) school2.push(await aw.teacher(aw.w.school2, { name: `二中教师${i}`, hireDate: '2010-09-01', stage: 'junior' }));
  for (const u of ['county.admin', 'county2.admin', 'school.admin', 'teacher']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

const unit = (body: { units: { orgId: number }[] }, orgId: number) => body.units.find((u) => u.orgId === orgId) as Record<string, unknown>;

describe('counts against the annual share', () => {
  it('hand-worked: eligible 25 + 12 = 37 → needed ⌈3.7⌉ = 4; 3 counted records → short 1 (送教下乡 not counted)', async () => {
    expect(neededOf(30, 0.1)).toBe(3);
    const rec = (teacherId: number, toOrgId: number, kind: string, startDate: string, endDate?: string) =>
      call('county.admin', 'POST', '/api/rotations/records', { teacherId, toOrgId, kind, startDate, endDate });
    const a = await rec(school1[0], aw.w.school2, 'exchange', '2025-09-01');
    expect(a.statusCode, a.body).toBe(201);
    expect((await rec(school1[1], aw.w.school2, 'rotation', '2025-09-01')).statusCode).toBe(201);
    expect((await rec(school2[0], aw.w.school1, 'supportTeaching', '2025-03-01', '2025-12-31')).statusCode).toBe(201);
    expect((await rec(school2[1], aw.w.school1, 'sendTeaching', '2025-04-01', '2025-04-03')).statusCode).toBe(201);
    // A record of 2024 does not count in 2025.
    expect((await rec(school2[2], aw.w.school1, 'supportTeaching', '2024-03-01', '2024-07-01')).statusCode).toBe(201);

    const r = await call('county.admin', 'GET', '/api/rotations/counts?year=2025');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.eligibleOn).toBe('2025-01-01');
    expect(unit(body, aw.w.county1)).toMatchObject({ kind: 'county', eligible: 37, needed: 4, recorded: 3, short: 1 });
    // 一小: 25 → ⌈2.5⌉ = 3, 2 recorded (交流 + 轮岗) → short 1. 二中: 12 → ⌈1.2⌉ = 2, 1 支教 → short 1.
    expect(unit(body, aw.w.school1)).toMatchObject({ kind: 'school', eligible: 25, needed: 3, recorded: 2, short: 1 });
    expect(unit(body, aw.w.school2)).toMatchObject({ kind: 'school', eligible: 12, needed: 2, recorded: 1, short: 1 });
    expect(body.rules[0]).toMatchObject({ eligibleYears: 6, annualShare: 0.1 });
    expect(body.rules[0].assumptions.join('')).toContain('种子文件未给出交流比例');
    // Another county's bureau sees only its own county.
    const other = (await call('county2.admin', 'GET', '/api/rotations/counts?year=2025')).json();
    expect(other.units.map((u: { orgId: number }) => u.orgId)).not.toContain(aw.w.county1);
  });

  it('plans: one in force per unit and year; the county plan defaults to the sum of its schools', async () => {
    expect((await call('county.admin', 'POST', '/api/rotations/plans', { orgId: aw.w.school1, year: 2025, plannedCount: 3 })).statusCode).toBe(200);
    expect((await call('county.admin', 'POST', '/api/rotations/plans', { orgId: aw.w.school1, year: 2025, plannedCount: 4, note: '调整' })).statusCode).toBe(
      200,
    );
    expect((await call('county.admin', 'POST', '/api/rotations/plans', { orgId: aw.w.school2, year: 2025, plannedCount: 2 })).statusCode).toBe(200);
    const bad = await call('county.admin', 'POST', '/api/rotations/plans', { orgId: aw.w.school1, year: 2025, plannedCount: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].message).toBe('计划人数不能为负');
    expect((await call('county2.admin', 'POST', '/api/rotations/plans', { orgId: aw.w.school1, year: 2025, plannedCount: 1 })).statusCode).toBe(404);
    expect((await call('school.admin', 'POST', '/api/rotations/plans', { orgId: aw.w.school1, year: 2025, plannedCount: 1 })).statusCode).toBe(403);
    const plans = (await call('county.admin', 'GET', '/api/rotations/plans?year=2025')).json().plans;
    expect(plans.map((p: { plannedCount: number }) => p.plannedCount)).toEqual([4, 2]);
    const hist = await aw.t.db.query('SELECT superseded_at IS NOT NULL AS old FROM rotation_plans WHERE org_id = $1 ORDER BY id', [aw.w.school1]);
    expect(hist.rows.map((x) => x.old)).toEqual([true, false]);
    const body = (await call('county.admin', 'GET', '/api/rotations/counts?year=2025')).json();
    expect(unit(body, aw.w.county1).planned).toBe(6);
    expect(unit(body, aw.w.school1).planned).toBe(4);
  });
});

describe('records', () => {
  it('交流 moves the school of record through teacher facts; 支教 does not', async () => {
    const moved = await aw.t.db.query(
      `SELECT org_id, kind, valid_from::text AS f FROM teacher_assignments WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY id`,
      [school1[0]],
    );
    expect(moved.rows.at(-1)).toMatchObject({ org_id: aw.w.school2, kind: 'rotation', f: '2025-09-01' });
    expect((await aw.t.db.query('SELECT org_id FROM teachers WHERE id = $1', [school1[0]])).rows[0].org_id).toBe(aw.w.school2);
    const stay = await aw.t.db.query(`SELECT count(*)::int AS n FROM teacher_assignments WHERE teacher_id = $1 AND kind = 'rotation'`, [school2[0]]);
    expect(stay.rows[0].n).toBe(0);
    expect((await aw.t.db.query('SELECT org_id FROM teachers WHERE id = $1', [school2[0]])).rows[0].org_id).toBe(aw.w.school2);
  });

  it('refuses overlaps, the same school, a school admin, another county, bad input', async () => {
    const overlap = await call('county.admin', 'POST', '/api/rotations/records', {
      teacherId: school2[0],
      toOrgId: aw.w.school1,
      kind: 'sendTeaching',
      startDate: '2025-06-01',
      endDate: '2025-06-02',
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().message).toContain('已有交流轮岗记录（2025-03-01 起至 2025-12-31）');
    const same = await call('county.admin', 'POST', '/api/rotations/records', {
      teacherId: school1[5],
      toOrgId: aw.w.school1,
      kind: 'exchange',
      startDate: '2025-09-01',
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().message).toBe('交流去向与该教师当时所在学校相同');
    expect(
      (
        await call('school.admin', 'POST', '/api/rotations/records', {
          teacherId: school1[5],
          toOrgId: aw.w.school2,
          kind: 'exchange',
          startDate: '2025-09-01',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call('county2.admin', 'POST', '/api/rotations/records', {
          teacherId: school1[5],
          toOrgId: aw.w.school3,
          kind: 'exchange',
          startDate: '2025-09-01',
        })
      ).statusCode,
    ).toBe(404);
    const bad = await call('county.admin', 'POST', '/api/rotations/records', {
      teacherId: school1[5],
      toOrgId: aw.w.school2,
      kind: 'holiday',
      startDate: '2025-13-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['kind', 'startDate']);
    expect((await aw.t.db.query('SELECT count(*)::int AS n FROM rotation_records WHERE teacher_id = $1', [school1[5]])).rows[0].n).toBe(0);
  });

  it('ends a 轮岗 with the return to the sending school; corrects a record by superseding it with the reason', async () => {
    const id = (await call('county.admin', 'GET', `/api/rotations/records?teacherId=${school1[1]}`)).json().records[0].id;
    const early = await call('county.admin', 'POST', `/api/rotations/records/${id}/end`, { endDate: '2025-08-01', returnToOrigin: true });
    expect(early.statusCode).toBe(400);
    const end = await call('county.admin', 'POST', `/api/rotations/records/${id}/end`, { endDate: '2026-07-31', returnToOrigin: true });
    expect(end.statusCode, end.body).toBe(200);
    expect((await call('county.admin', 'POST', `/api/rotations/records/${id}/end`, { endDate: '2026-07-31' })).statusCode).toBe(409);
    const back = await aw.t.db.query(
      `SELECT org_id, valid_from::text AS f FROM teacher_assignments WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY id DESC LIMIT 1`,
      [school1[1]],
    );
    expect(back.rows[0]).toMatchObject({ org_id: aw.w.school1, f: '2026-08-01' });

    const sup = (await call('county.admin', 'GET', `/api/rotations/records?teacherId=${school2[0]}`)).json().records[0];
    const noReason = await call('county.admin', 'POST', `/api/rotations/records/${sup.id}/correct`, { endDate: '2026-01-31', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].message).toBe('请填写更正原因');
    const fix = await call('county.admin', 'POST', `/api/rotations/records/${sup.id}/correct`, {
      endDate: '2026-01-31',
      rural: true,
      reason: '支教延期一个月',
    });
    expect(fix.statusCode, fix.body).toBe(200);
    const movedStart = await call('county.admin', 'POST', `/api/rotations/records/${id}/correct`, { startDate: '2025-09-02', reason: '日期有误' });
    expect(movedStart.statusCode).toBe(400);
    const hist = (await call('county.admin', 'GET', `/api/teachers/${school2[0]}/rotations`)).json().records;
    expect(hist.map((r: { endDate: string; supersedeReason: string | null }) => [r.endDate, r.supersedeReason])).toEqual([
      ['2026-01-31', null],
      ['2025-12-31', '支教延期一个月'],
    ]);
    // Still counted once.
    const body = (await call('county.admin', 'GET', '/api/rotations/counts?year=2025')).json();
    expect(unit(body, aw.w.school2).recorded).toBe(1);
  });
});

describe('eligible list and rotationServiceFor', () => {
  it('lists teachers with ≥ 6 years at the same school and their rotation experience', async () => {
    const r = await call('county.admin', 'GET', `/api/rotations/eligible?asOf=2025-01-01&orgId=${aw.w.school1}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.teachers.length).toBe(25);
    expect(body.teachers.find((t: { teacherId: number }) => t.teacherId === school1[0])).toMatchObject({ years: 9, since: '2015-09-01', hasRotation: false });
    // After the 交流 (2025-09-01) the teacher's clock at 二中 restarts: not eligible on 2026-01-01.
    const later = (await call('county.admin', 'GET', '/api/rotations/eligible?asOf=2026-01-01')).json();
    expect(later.teachers.map((t: { teacherId: number }) => t.teacherId)).not.toContain(school1[0]);
  });

  it('rural days: the corrected 支教 2025-03-01 … 2026-01-31 at a rural school = 337 days; 送教下乡 is not rotation experience', async () => {
    const m = await rotationServiceFor(aw.t.db, [school2[0], school2[1], school1[0], school1[9]], '2026-06-30');
    expect(m.get(school2[0])).toMatchObject({ hasRotation: true, ruralDays: 337, ruralYears: 0 });
    expect(m.get(school2[1])).toMatchObject({ hasRotation: false, kinds: ['sendTeaching'] });
    expect(m.get(school1[0])?.hasRotation).toBe(true);
    expect(m.get(school1[9])?.hasRotation).toBe(false);
    // As of a date before the record began, no experience yet.
    expect((await rotationServiceFor(aw.t.db, [school1[0]], '2025-08-31')).get(school1[0])?.hasRotation).toBe(false);
    // A teacher sees their own history; another teacher's is not found.
    expect((await call('teacher', 'GET', `/api/teachers/${aw.w.teacherId}/rotations`)).statusCode).toBe(200);
    expect((await call('teacher', 'GET', `/api/teachers/${school1[0]}/rotations`)).statusCode).toBe(404);
  });
});
