import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSeedPolicy, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { refreshSnapshots } from './compliance.service.js';
import { changeMark } from './snapshots.repository.js';

let t: TestApp;
let w: World;
let cookie: string;
let policyId: number;
let teacher2: number;
let seq = 0;

const hours = (teacherId: number, h: number, category: string, on: string) =>
  t.db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1,$2,$3,$4,'import','测试',$5)`,
    [teacherId, h, category, on, `snap:${++seq}`],
  );
const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(r.statusCode).toBe(200);
  return r.json();
};
const itRule = (s: { rules: { id: string; totals: { compliant: number; overdue: number } }[] }) => s.rules.find((r) => r.id === 'it-annual')!.totals;

beforeAll(async () => {
  let cookies: Cookies;
  ({ t, w, cookies } = await worldApp());
  cookie = cookies['city.admin'];
  policyId = await attachSeedPolicy(t.db, w.city);
  teacher2 = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '王老师', hireDate: '2010-08-01' }));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('change log', () => {
  it('moves on every committed write to a table the evaluation reads, and not on reads or rolled-back writes', async () => {
    const m0 = await changeMark(t.db);
    await t.db.query('SELECT count(*) FROM ledger_entries');
    expect(await changeMark(t.db)).toBe(m0);
    await t.db.query(`UPDATE teacher_roles SET until = until WHERE teacher_id = $1`, [w.teacherId]);
    const m1 = await changeMark(t.db);
    expect(m1).not.toBe(m0);
    await expect(
      t.db.tx(async (q) => {
        await q.query(`UPDATE orgs SET name = name WHERE id = $1`, [w.school1]);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await changeMark(t.db)).toBe(m1);
    // A statement touching many rows is one entry, not one per row.
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data_changes')).rows[0].n;
    await t.db.query(`UPDATE teachers SET name = name`);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data_changes')).rows[0].n).toBe(before + 1);
  });
});

describe('stored summaries', () => {
  const url = () => `/api/compliance/summary?policyId=${policyId}&asOf=2025-12-31`;

  it('are reused while nothing changed, recomputed inline when cheap after a change', async () => {
    const first = await get(url());
    expect(first).toMatchObject({ cached: false, stale: false });
    const again = await get(url());
    expect(again).toMatchObject({ cached: true, stale: false, runId: first.runId, computedAt: first.computedAt });
    const before = itRule(first);
    await hours(w.teacherId, 8, 'it', '2025-04-01');
    const after = await get(url());
    expect(after).toMatchObject({ cached: false, stale: false });
    expect(after.runId).not.toBe(first.runId);
    expect(itRule(after).compliant).toBe(before.compliant + 1);
  });

  it('when expensive, answer the stored figures marked stale and bring them up to date in the background', async () => {
    const current = await get(url());
    // Pretend the last computation was slow (a city): over the inline budget.
    await t.db.query(`UPDATE compliance_snapshots SET duration_ms = 5000`);
    await hours(teacher2, 8, 'it', '2025-05-01');
    const stale = await get(url());
    expect(stale).toMatchObject({ cached: true, stale: true, computedAt: current.computedAt });
    expect(itRule(stale)).toEqual(itRule(current));
    let fresh = stale;
    for (let i = 0; i < 100 && fresh.stale; i++) {
      await new Promise((r) => setTimeout(r, 50));
      fresh = await get(url());
    }
    expect(fresh).toMatchObject({ cached: true, stale: false });
    expect(itRule(fresh).compliant).toBe(itRule(current).compliant + 1);
    const runs = await t.db.query<{ trigger: string; user_id: number | null }>(`SELECT trigger, user_id FROM compliance_runs WHERE id = $1`, [fresh.runId]);
    expect(runs.rows[0]).toEqual({ trigger: 'refresh', user_id: null });
  });

  it('refreshSnapshots computes the opening summaries of today and their trend points once, then the openings after a change', async () => {
    const n = await refreshSnapshots(t.ctx);
    const opening = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM compliance_snapshots WHERE opening`)).rows[0].n;
    expect(opening).toBeGreaterThan(0);
    // Besides the openings, the trend points not stored yet (year ends of the 2023–2025 plan).
    expect(n).toBeGreaterThan(opening);
    const runs = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM compliance_runs')).rows[0].n;
    const before = await runs();
    const trend = await get(`/api/compliance/trend?policyId=${policyId}`);
    expect(trend.points.map((p: { asOf: string }) => p.asOf)).toEqual(['2023-12-31', '2024-12-31', '2025-12-31']);
    expect(await runs()).toBe(before); // every point read from the store
    expect(await refreshSnapshots(t.ctx)).toBe(0);
    await hours(w.teacherId, 2, 'it', '2025-06-01');
    expect(await refreshSnapshots(t.ctx)).toBe(opening);
    // The dashboard's opening request (today, no filters) is then answered from the store.
    expect(await get(`/api/compliance/summary?policyId=${policyId}`)).toMatchObject({ cached: true, stale: false });
  });
});
