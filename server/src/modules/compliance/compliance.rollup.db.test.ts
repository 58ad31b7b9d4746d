/**
 * The per-year roll-ups kept by the ledger trigger equal a recomputation from scratch, and the SQL
 * measurements equal the pure evaluator's, on random ledgers with reversals and future-dated rows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { measureEntries, type Entry } from '../policies/policy.evaluate.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { POLICY_DIR } from '../policies/policies.service.js';
import { addDays } from '../policies/policy.windows.js';
import { evaluatePolicy, type Outcome } from './compliance.engine.js';
import * as repo from './compliance.repository.js';
import { readFileSync } from 'node:fs';

let t: TestApp;
let w: World;
const teacherIds: number[] = [];
const entries = new Map<number, Entry[]>();
let seq = 0;

async function insert(rows: { teacherId: number; hours: number; category: string; on: string; reverses?: number }[]): Promise<number[]> {
  const values: unknown[] = [];
  const tuples = rows.map((r, i) => {
    seq++;
    values.push(r.teacherId, r.hours, r.category, r.on, r.reverses ? 'correction' : 'import', r.reverses ?? null, `rollup-test:${seq}`);
    const b = i * 7;
    return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},'测试',$${b + 6},$${b + 7})`;
  });
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, reverses_id, dedupe_key) VALUES ${tuples.join(',')} RETURNING id`,
    values,
  );
  for (const x of rows) entries.set(x.teacherId, [...(entries.get(x.teacherId) ?? []), { hours: x.hours, category: x.category, occurredOn: x.on }]);
  return r.rows.map((x) => x.id);
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  teacherIds.push(w.teacherId);
  for (let i = 0; i < 11; i++) {
    const school = [w.school1, w.school2, w.school3][i % 3];
    teacherIds.push(
      await createTeacher(
        t.ctx,
        w.cityAdmin,
        buildTeacher(school, {
          hireDate: i % 4 === 0 ? '2024-03-01' : '2012-09-01',
          roles: i % 2 ? [{ role: 'homeroom', since: i % 3 ? '2025-09-01' : '2018-09-01' }] : [],
        }),
      ),
    );
  }
  // A deterministic random ledger: 2021–2026 (some rows after the evaluation date), several statements.
  const rows = fc.sample(
    fc.record({
      teacherId: fc.constantFrom(...teacherIds),
      hours: fc.integer({ min: 1, max: 120 }).map((x) => x / 10),
      category: fc.constantFrom('homeroom', 'it', 'schoolBased', 'psych', 'ideology', 'induction', 'subject'),
      on: fc.integer({ min: 0, max: 2190 }).map((d) => addDays('2021-01-01', d)),
    }),
    { numRuns: 900, seed: 42 },
  );
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 150) ids.push(...(await insert(rows.slice(i, i + 150))));
  // Reverse every 7th entry: same teacher, category and date, negative hours.
  const rev = ids.map((id, i) => ({ id, r: rows[i] })).filter((_, i) => i % 7 === 0);
  await insert(rev.map(({ id, r }) => ({ teacherId: r.teacherId, hours: -r.hours, category: r.category, on: r.on, reverses: id })));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('hour roll-ups', () => {
  it('equal a fresh GROUP BY over the ledger', async () => {
    expect(await repo.rollupDifferences(t.db)).toEqual([]);
    const s = await repo.rollupStats(t.db);
    expect(s.ledgerRows).toBeGreaterThan(1000);
  });

  it('stay exact under concurrent inserts', async () => {
    const id = teacherIds[0];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        insert([
          { teacherId: id, hours: 1.5, category: 'it', on: `2025-0${(i % 9) + 1}-15` },
          { teacherId: teacherIds[1], hours: 0.5, category: 'it', on: '2025-03-01' },
        ]),
      ),
    );
    expect(await repo.rollupDifferences(t.db)).toEqual([]);
  });

  it('measure the same as the raw ledger and as the pure evaluator, for aligned, capped and unaligned windows', async () => {
    const measures: repo.HoursMeasure[] = [
      { categories: null, from: '2021-01-01', to: '2025-12-31' },
      { categories: ['homeroom'], from: '2025-01-01', to: '2025-06-30' },
      { categories: ['schoolBased'], from: '2023-01-01', to: '2025-11-15' },
      { categories: ['it', 'psych'], from: '2024-03-10', to: '2024-12-31' },
      { categories: ['subject'], from: '2026-01-01', to: '2026-12-31' },
    ];
    const pop = { rootPath: '/', on: '2025-12-31' };
    const fromRollups = await repo.measureFromRollups(t.db, pop, measures);
    const fromLedger = await repo.measureFromLedger(t.db, pop, measures);
    for (const id of teacherIds) {
      const pure = measures.map((m) =>
        measureEntries({ categories: m.categories ? (m.categories as never) : 'any', unit: 'hours' }, entries.get(id) ?? [], m.from, m.to),
      );
      const a = fromRollups.get(id) ?? measures.map(() => 0);
      const b = fromLedger.get(id) ?? measures.map(() => 0);
      expect(a, `teacher ${id} rollups`).toEqual(pure);
      expect(b, `teacher ${id} ledger`).toEqual(pure);
    }
  });

  it('give identical verdicts to the raw-ledger path for whole policies', async () => {
    for (const file of ['000-bayannur-2023-2025.yaml', '002-province-strong-teacher.yaml']) {
      const r = loadPolicy(readFileSync(`${POLICY_DIR}/${file}`, 'utf8'));
      if (!r.ok) throw new Error(file);
      const orgs = await repo.loadOrgs(t.db, '/');
      const root = orgs[0];
      for (const asOf of ['2024-12-31', '2025-06-30', '2025-12-31']) {
        const run = async (hoursSource: 'rollup' | 'ledger') => {
          const out: string[] = [];
          await evaluatePolicy(t.db, { policy: r.policy, asOf, root, region: root, orgs, teacherRulesOnly: true, hoursSource }, (o: Outcome) =>
            out.push(`${o.rule.id}|${o.subject.id}|${o.result.status}|${o.result.done}|${o.result.required}`),
          );
          return out.sort();
        };
        const viaRollups = await run('rollup');
        expect(viaRollups.length).toBeGreaterThan(10);
        expect(viaRollups).toEqual(await run('ledger'));
      }
    }
  });
});
