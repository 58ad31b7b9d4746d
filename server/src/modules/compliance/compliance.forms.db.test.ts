/**
 * Hours rules with a `forms` filter (思政课 40 学时 “集中脱产”): only hours recognised from projects of
 * those forms count — measured from the per-form roll-ups (ledger_form_rollups), the same as through
 * the ledger joined to projects, the raw-ledger path and the pure evaluator, and scoped to the population's subtree.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { measureEntries, type Entry } from '../policies/policy.evaluate.js';
import type { HoursRule } from '../policies/policy.format.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { POLICY_DIR } from '../policies/policies.service.js';
import { evaluatePolicy, type Outcome } from './compliance.engine.js';
import * as repo from './compliance.repository.js';

let t: TestApp;
let w: World;
let seq = 0;
const entries = new Map<number, Entry[]>();
const ids: Record<'full' | 'mixed' | 'reversed' | 'elsewhere', number> = { full: 0, mixed: 0, reversed: 0, elsewhere: 0 };
const projects: Record<'inPerson' | 'online' | 'induction', number> = { inPerson: 0, online: 0, induction: 0 };

async function project(form: string): Promise<number> {
  seq++;
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO projects (org_id, code, name, level, form, target_hours, start_date, end_date) VALUES ($1, $2, $3, 'city', $4, 40, '2024-03-01', '2024-03-10') RETURNING id`,
    [w.city, `FORMS-${seq}`, `测试项目${seq}`, form],
  );
  return r.rows[0].id;
}

/** One ledger row; project null = a claim (no project). Returns its id. */
async function entry(teacherId: number, hours: number, category: string, on: string, projectId: number | null, reverses?: number): Promise<number> {
  seq++;
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, description, reverses_id, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, '测试', $7, $8) RETURNING id`,
    [teacherId, hours, category, on, reverses ? 'correction' : projectId ? 'project' : 'claim', projectId, reverses ?? null, `forms-test:${seq}`],
  );
  const form = projectId === null ? null : (Object.entries(projects).find(([, id]) => id === projectId)![0] as string);
  entries.set(teacherId, [...(entries.get(teacherId) ?? []), { hours, category, occurredOn: on, form }]);
  return r.rows[0].id;
}

const bayannur = (() => {
  const r = loadPolicy(readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8'));
  if (!r.ok) throw new Error('000 does not load');
  return r.policy;
})();
const ideology = bayannur.rules.find((r) => r.id === 'ideology-teacher-40') as HoursRule;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  const ideologyTeacher = (orgId: number) =>
    createTeacher(
      t.ctx,
      w.cityAdmin,
      buildTeacher(orgId, { subjects: ['道德与法治'], hireDate: '2015-09-01', roles: [{ role: 'ideology', since: '2015-09-01' }] }),
    );
  ids.full = await ideologyTeacher(w.school1);
  ids.mixed = await ideologyTeacher(w.school1);
  ids.reversed = await ideologyTeacher(w.school2);
  ids.elsewhere = await ideologyTeacher(w.school3); // 乙县, outside 甲区
  projects.inPerson = await project('inPerson');
  projects.online = await project('online');
  projects.induction = await project('induction');
  await entry(ids.full, 24, 'ideology', '2023-07-10', projects.inPerson);
  await entry(ids.full, 16, 'ideology', '2025-04-02', projects.inPerson);
  // 30 centralised + 20 online + 10 claimed: only the 30 count.
  await entry(ids.mixed, 30, 'ideology', '2024-03-05', projects.inPerson);
  await entry(ids.mixed, 20, 'ideology', '2024-05-05', projects.online);
  await entry(ids.mixed, 10, 'ideology', '2024-06-05', null);
  await entry(ids.mixed, 8, 'homeroom', '2024-03-06', projects.inPerson); // another category
  // 40 centralised, half of it reversed: the reversal keeps the project and cancels.
  const wrong = await entry(ids.reversed, 20, 'ideology', '2024-03-07', projects.inPerson);
  await entry(ids.reversed, 20, 'ideology', '2024-03-08', projects.inPerson);
  await entry(ids.reversed, -20, 'ideology', '2024-03-07', projects.inPerson, wrong);
  await entry(ids.elsewhere, 40, 'ideology', '2024-03-09', projects.inPerson);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('hours rules with a forms filter', () => {
  it('the shipped 000 policy asks 集中脱产 思政 hours as inPerson projects only', () => {
    expect(ideology.forms).toEqual(['inPerson']);
  });

  it('roll-up path, ledger path and the pure evaluator agree, and only inPerson project hours count', async () => {
    const measures: repo.HoursMeasure[] = [
      { categories: ['ideology'], from: '2023-01-01', to: '2025-12-31', forms: ['inPerson'] },
      { categories: ['ideology'], from: '2023-01-01', to: '2025-12-31' },
      { categories: null, from: '2024-01-01', to: '2024-12-31', forms: ['inPerson', 'online'] },
      { categories: ['ideology'], from: '2024-03-06', to: '2024-12-31', forms: ['inPerson'] },
    ];
    const pop = { rootPath: '/', on: '2025-12-31' };
    const viaRollups = await repo.measureFromRollups(t.db, pop, measures);
    const viaLedger = await repo.measureFromLedger(t.db, pop, measures);
    for (const id of Object.values(ids)) {
      const pure = measures.map((m) =>
        measureEntries(
          { categories: m.categories ? (m.categories as never) : 'any', unit: 'hours', forms: (m.forms ?? undefined) as never },
          entries.get(id) ?? [],
          m.from,
          m.to,
        ),
      );
      expect(viaRollups.get(id), `teacher ${id} rollups`).toEqual(pure);
      expect(viaLedger.get(id), `teacher ${id} ledger`).toEqual(pure);
    }
    expect(viaLedger.get(ids.mixed)).toEqual([30, 60, 58, 0]);
    expect(viaLedger.get(ids.reversed)?.[0]).toBe(20);
  });

  it('the per-form roll-ups kept by the ledger trigger equal a recomputation (reversals included)', async () => {
    expect(await repo.rollupDifferences(t.db)).toEqual([]);
    const n = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_form_rollups');
    expect(n.rows[0].n).toBeGreaterThan(0);
  });

  it('is scoped to the population: a teacher outside the subtree is not measured', async () => {
    const county1 = (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [w.county1])).rows[0].path;
    const m = await repo.measureFromLedger(t.db, { rootPath: county1, on: '2025-12-31' }, [
      { categories: ['ideology'], from: '2023-01-01', to: '2025-12-31', forms: ['inPerson'] },
    ]);
    expect(m.get(ids.full)).toEqual([40]);
    expect(m.has(ids.elsewhere)).toBe(false);
  });

  it('the engine judges 思政 40 学时 on centralised hours, the same through roll-ups and ledger', async () => {
    const orgs = await repo.loadOrgs(t.db, '/');
    const root = orgs[0];
    const run = async (hoursSource: 'rollup' | 'ledger') => {
      const out = new Map<number, Outcome['result']>();
      await evaluatePolicy(t.db, { policy: bayannur, asOf: '2025-06-30', root, region: root, orgs, teacherRulesOnly: true, hoursSource }, (o) => {
        if (o.rule.id === 'ideology-teacher-40') out.set(o.subject.id, o.result);
      });
      return out;
    };
    const viaRollups = await run('rollup');
    expect(viaRollups.get(ids.full)).toMatchObject({ status: 'compliant', done: 40 });
    expect(viaRollups.get(ids.mixed)).toMatchObject({ status: 'inProgress', done: 30, shortfall: 10 });
    expect(viaRollups.get(ids.mixed)?.explanation).toBe(
      '还需 10 学时 思政课专题研修，剩余 184 天（截止 2025-12-31）；按进度此时应完成 33.3 学时，落后 3.3 学时（只计集中培训项目的学时）',
    );
    expect(viaRollups.get(ids.reversed)).toMatchObject({ status: 'inProgress', done: 20 });
    expect(viaRollups.get(w.teacherId)).toMatchObject({ status: 'notApplicable' });
    expect([...(await run('ledger')).entries()].map(([id, r]) => [id, r.status, r.done])).toEqual(
      [...viaRollups.entries()].map(([id, r]) => [id, r.status, r.done]),
    );
  });

  it('per-teacher windows (days) honour the filter too', async () => {
    await entry(ids.full, 6, 'induction', '2024-03-02', projects.induction);
    await entry(ids.full, 6, 'induction', '2024-03-03', projects.inPerson);
    await entry(ids.full, 6, 'induction', '2024-03-04', null);
    const windows = [{ teacherId: ids.full, from: '2024-01-01', to: '2024-12-31' }];
    expect((await repo.measurePerTeacherWindows(t.db, { rootPath: '/', on: '2024-12-31' }, windows, ['induction'], 'days')).get(ids.full)).toBe(3);
    expect((await repo.measurePerTeacherWindows(t.db, { rootPath: '/', on: '2024-12-31' }, windows, ['induction'], 'days', ['induction'])).get(ids.full)).toBe(
      1,
    );
    expect(
      (await repo.measurePerTeacherWindows(t.db, { rootPath: '/', on: '2024-12-31' }, windows, ['induction'], 'hours', ['induction', 'inPerson'])).get(
        ids.full,
      ),
    ).toBe(12);
  });
});
