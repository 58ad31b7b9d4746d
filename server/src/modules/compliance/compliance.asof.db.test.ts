/**
 * As-of evaluation over facts with validity (migration 0033): the roster, roles, credentials and key
 * designations valid on the evaluation date. A transfer, a retirement, a mid-year role end and a credential
 * gained later each change results only from their effective date; a property test applies random edits
 * effective after a date D and checks that no result as of D changes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { assignSchool, designate, endRole, recordCredentials, setStatus, startRole } from '../teachers/teacher-facts.service.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { POLICY_DIR } from '../policies/policies.service.js';
import { addDays } from '../policies/policy.windows.js';
import { evaluatePolicy } from './compliance.engine.js';
import * as repo from './compliance.repository.js';

let t: TestApp;
let w: World;
const ids = { roleEnds: 0, moves: 0, retires: 0, gains: 0, key: 0 };

const bayannur = (() => {
  const r = loadPolicy(readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8'));
  if (!r.ok) throw new Error('000 does not load');
  return r.policy;
})();

/** Every outcome of the policy over the whole tree as of a date, keyed by rule, subject type and id. */
async function outcomes(asOf: string, rootId?: number): Promise<Map<string, unknown>> {
  const all = await repo.loadOrgs(t.db, '/');
  const root = rootId ? all.find((o) => o.id === rootId)! : all[0];
  const orgs = await repo.loadOrgs(t.db, root.path);
  const out = new Map<string, unknown>();
  await evaluatePolicy(t.db, { policy: bayannur, asOf, root, region: all[0], orgs }, (o) => {
    out.set(`${o.rule.id}|${o.subject.type}|${o.subject.id}`, o.result);
  });
  return out;
}

const byRule = (m: Map<string, unknown>, rule: string, id: number) => m.get(`${rule}|teacher|${id}`) as { status: string; required: number | null } | undefined;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  const by = w.cityAdmin.id;
  ids.roleEnds = await createTeacher(
    t.ctx,
    w.cityAdmin,
    buildTeacher(w.school1, { hireDate: '2010-09-01', roles: [{ role: 'homeroom', since: '2020-09-01' }] }),
  );
  ids.moves = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { hireDate: '2011-09-01' }));
  ids.retires = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2, { hireDate: '1990-09-01' }));
  ids.gains = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { subjects: ['语文'], mandarinLevel: '2B', hireDate: '2015-09-01' }));
  ids.key = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { hireDate: '2005-09-01' }));
  await t.db.tx(async (q) => {
    const roleRow = (await q.query<{ id: number }>('SELECT id FROM teacher_roles WHERE teacher_id = $1', [ids.roleEnds])).rows[0].id;
    await endRole(q, by, ids.roleEnds, roleRow, '2025-06-30');
    await assignSchool(q, by, ids.moves, w.school3, 'transfer', '2025-09-01');
    await setStatus(q, by, ids.retires, 'retired', '2025-07-01');
    await recordCredentials(q, by, ids.gains, { mandarin_level: '2A' }, '2025-10-01');
    await designate(q, by, ids.key, { level: 'county', category: 'keyTeacher', from: '2022-01-01', until: '2024-12-31' });
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('as-of evaluation', () => {
  it('a role ended mid-year counts pro rata in that year and fully in the years before', async () => {
    const y2024 = await outcomes('2024-12-31');
    const y2025 = await outcomes('2025-12-31');
    expect(byRule(y2024, 'homeroom-annual', ids.roleEnds)?.required).toBe(40);
    expect(byRule(y2025, 'homeroom-annual', ids.roleEnds)?.required).toBe(20);
    // The current record no longer lists the role; the facts keep it.
    const held = await t.db.query('SELECT role, since::text, until::text FROM teacher_roles WHERE teacher_id = $1 AND superseded_at IS NULL', [ids.roleEnds]);
    expect(held.rows).toEqual([{ role: 'homeroom', since: '2020-09-01', until: '2025-06-30' }]);
  });

  it('a teacher moved counts at the old school before the move and at the new one after', async () => {
    const before = await outcomes('2025-06-30', w.school1);
    const after = await outcomes('2025-12-31', w.school1);
    expect(byRule(before, 'it-annual', ids.moves)).toBeDefined();
    expect(byRule(after, 'it-annual', ids.moves)).toBeUndefined();
    expect(byRule(await outcomes('2025-12-31', w.school3), 'it-annual', ids.moves)).toBeDefined();
    expect(byRule(await outcomes('2025-06-30', w.school3), 'it-annual', ids.moves)).toBeUndefined();
    const cur = await t.db.query<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [ids.moves]);
    expect(cur.rows[0].org_id).toBe(w.school3);
  });

  it('a retired teacher still counts for the dates before retirement', async () => {
    expect(byRule(await outcomes('2025-06-30'), 'it-annual', ids.retires)).toBeDefined();
    expect(byRule(await outcomes('2025-07-01'), 'it-annual', ids.retires)).toBeUndefined();
    const cur = await t.db.query<{ status: string }>('SELECT status FROM teachers WHERE id = $1', [ids.retires]);
    expect(cur.rows[0].status).toBe('retired');
  });

  it('a credential gained later counts only from its date', async () => {
    expect(byRule(await outcomes('2025-06-30'), 'mandarin-chinese-2a', ids.gains)?.status).toBe('shortfall');
    expect(byRule(await outcomes('2025-12-31'), 'mandarin-chinese-2a', ids.gains)?.status).toBe('compliant');
  });

  it('a key-teacher designation does not count after its term', async () => {
    const during = await repo.loadTeachers(t.db, { rootPath: '/', on: '2024-06-30', teacherIds: [ids.key] });
    const afterTerm = await repo.loadTeachers(t.db, { rootPath: '/', on: '2025-06-30', teacherIds: [ids.key] });
    expect(during[0].keyLevel).toBe('county');
    expect(afterTerm[0].keyLevel).toBeNull();
  });
});

/** A small seeded generator (mulberry32): the same cases on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('property: an edit effective after D never changes results as of D', () => {
  it('holds for 50 random edits (roles, transfers, statuses, credentials, designations)', async () => {
    const r = rng(20261203);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const teachers = Object.values(ids);
    const schools = [w.school1, w.school2, w.school3];
    const by = w.cityAdmin.id;
    let applied = 0;
    for (let i = 0; i < 50; i++) {
      const d = addDays('2023-01-01', Math.floor(r() * 1095));
      const e = addDays(d, 1 + Math.floor(r() * 400));
      const id = pick(teachers);
      const kind = pick(['startRole', 'endRole', 'transfer', 'status', 'credential', 'designation'] as const);
      const before = await outcomes(d);
      try {
        await t.db.tx(async (q) => {
          if (kind === 'startRole') await startRole(q, by, id, pick(['homeroom', 'psychPartTime', 'ideology', 'mentor']), e);
          else if (kind === 'endRole') {
            const open = (
              await q.query<{ id: number }>(
                'SELECT id FROM teacher_roles WHERE teacher_id = $1 AND until IS NULL AND superseded_at IS NULL AND (since IS NULL OR since <= $2)',
                [id, e],
              )
            ).rows;
            if (!open.length) throw Object.assign(new Error('nothing to end'), { skip: true });
            await endRole(q, by, id, open[0].id, e);
          } else if (kind === 'transfer') await assignSchool(q, by, id, pick(schools), pick(['transfer', 'rotation', 'secondment']), e);
          else if (kind === 'status') await setStatus(q, by, id, pick(['active', 'retired', 'resigned', 'transferred']), e);
          else if (kind === 'credential')
            await recordCredentials(
              q,
              by,
              id,
              pick([{ mandarin_level: pick(['1A', '2A', '2B', '3A']) }, { certificates: ['国家二级心理咨询师'] }, { qualification_expiry: '2024-06-30' }]),
              e,
            );
          else await designate(q, by, id, { level: pick(['school', 'county', 'city']), category: 'keyTeacher', from: e, until: addDays(e, 365) });
        });
        applied++;
      } catch (err) {
        // An edit the facts refuse (it would overlap a period already recorded later) changes nothing.
        const code = (err as { code?: string }).code;
        if (!(err as { skip?: boolean }).skip && code !== 'VALIDATION' && code !== 'CONFLICT' && code !== '23514') throw err;
      }
      const after = await outcomes(d);
      expect([...after.keys()].sort(), `case ${i}: ${kind} of ${id} on ${e}, as of ${d}`).toEqual([...before.keys()].sort());
      for (const [k, v] of before) expect(after.get(k), `case ${i}: ${kind} on ${e}, as of ${d}: ${k}`).toEqual(v);
    }
    expect(applied).toBeGreaterThanOrEqual(25);
  }, 600_000);
});
