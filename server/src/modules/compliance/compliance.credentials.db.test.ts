/**
 * Credentials judged as they were on the evaluation day: each change is a period with an effective date
 * (teacher_credentials, migration 0033), first registration counts as already held, and a form save today
 * is effective today (earlier dates keep their verdicts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher, updateTeacher } from '../teachers/teachers.service.js';
import type { TeacherInput } from '../teachers/teachers.schema.js';
import { CREDENTIAL_COLUMNS } from '../policies/policy.evaluate.js';
import { recordCredentials } from '../teachers/teacher-facts.service.js';
import { addDays } from '../policies/policy.windows.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { POLICY_DIR } from '../policies/policies.service.js';
import { evaluatePolicy, type Outcome } from './compliance.engine.js';
import * as repo from './compliance.repository.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
const ids = { upgraded: 0, registeredLate: 0, certLater: 0, downgraded: 0 };

const bayannur = (() => {
  const r = loadPolicy(readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8'));
  if (!r.ok) throw new Error('000 does not load');
  return r.policy;
})();

/** A credential change effective on a date (the fact function a form, a review or a process calls). */
async function edit(id: number, values: Record<string, unknown>, from: string) {
  await t.db.tx((q) => recordCredentials(q, w.cityAdmin.id, id, values, from));
}

async function verdicts(asOf: string): Promise<Map<string, Outcome['result']>> {
  const orgs = await repo.loadOrgs(t.db, '/');
  const root = orgs[0];
  const out = new Map<string, Outcome['result']>();
  await evaluatePolicy(t.db, { policy: bayannur, asOf, root, region: root, orgs, teacherRulesOnly: true }, (o) => {
    if (o.rule.kind === 'credential') out.set(`${o.rule.id}|${o.subject.id}`, o.result);
  });
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  // 语文 teacher registered with 二级乙等, upgraded to 二级甲等 on 2025-08-15 (Beijing afternoon).
  const a = buildTeacher(w.school1, { subjects: ['语文'], mandarinLevel: '2B', hireDate: '2012-09-01' });
  ids.upgraded = await createTeacher(t.ctx, w.cityAdmin, a);
  await edit(ids.upgraded, { mandarin_level: '2A' }, '2025-08-15');
  // Registered in the platform only now, already holding 二级甲等: registration is not obtaining it.
  ids.registeredLate = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { subjects: ['语文'], mandarinLevel: '2A' }));
  // 专职心理 teacher whose 二级心理咨询师 certificate holds from 1 January 2026.
  const c = buildTeacher(w.school2, { subjects: ['心理健康'], mandarinLevel: '2B', roles: [{ role: 'psychFullTime', since: '2020-09-01' }] });
  ids.certLater = await createTeacher(t.ctx, w.cityAdmin, c);
  await edit(ids.certLater, { certificates: ['国家二级心理咨询师'] }, '2026-01-01');
  // Lost a level (a re-test): 2A until 2025-02-28, 2B from 2025-03-01, 3A from 2025-09-01.
  const d = buildTeacher(w.school3, { subjects: ['语文'], mandarinLevel: '2A' });
  ids.downgraded = await createTeacher(t.ctx, w.cityAdmin, d);
  await edit(ids.downgraded, { mandarin_level: '2B' }, '2025-03-01');
  await edit(ids.downgraded, { mandarin_level: '3A' }, '2025-09-01');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('credentials as of a past date', () => {
  it('a level registered after the as-of date does not count for it; after that it does', async () => {
    const june = await verdicts('2025-06-30');
    expect(june.get(`mandarin-chinese-2a|${ids.upgraded}`)).toMatchObject({
      status: 'inProgress',
      explanation: '普通话需达到二级甲等（现为二级乙等），剩余 184 天（截止 2025-12-31）',
    });
    expect(june.get(`mandarin-chinese-2a|${ids.registeredLate}`)).toMatchObject({ status: 'compliant' });
    expect(june.get(`mandarin-chinese-2a|${ids.downgraded}`)).toMatchObject({
      status: 'inProgress',
      explanation: '普通话需达到二级甲等（现为二级乙等），剩余 184 天（截止 2025-12-31）',
    });
    const feb = await verdicts('2025-02-28');
    expect(feb.get(`mandarin-chinese-2a|${ids.downgraded}`)).toMatchObject({ status: 'compliant' });
    const sept = await verdicts('2025-09-01');
    expect(sept.get(`mandarin-chinese-2a|${ids.upgraded}`)).toMatchObject({ status: 'compliant' });
  });

  it('the day boundary is Beijing midnight: a certificate entered early on 1 January misses the 2025-12-31 deadline', async () => {
    // The 2023–2025 plan evaluated later is judged on 2025-12-31 (its last day).
    const late = await verdicts('2026-03-01');
    expect(late.get(`psych-counsellor-certificate|${ids.certLater}`)).toMatchObject({
      status: 'overdue',
      due: true,
      explanation: '需取得二级心理咨询师证书（未登记相关证书），截止 2025-12-31 已过',
    });
    expect(late.get(`mandarin-chinese-2a|${ids.upgraded}`)).toMatchObject({ status: 'compliant' });
  });

  it('a form save is effective today: verdicts as of earlier dates do not change', async () => {
    const before = await verdicts('2025-12-31');
    const input = buildTeacher(w.school1, { subjects: ['语文'], mandarinLevel: '2B', hireDate: '2012-09-01' });
    const id = await createTeacher(t.ctx, w.cityAdmin, input);
    const version = (await t.db.query<{ version: number }>('SELECT version FROM teachers WHERE id = $1', [id])).rows[0].version;
    const y = addDays(todayInChina(), -1);
    const yesterday = await verdicts(y);
    await updateTeacher(t.ctx, w.cityAdmin, id, { ...input, mandarinLevel: '2A', version } as TeacherInput & { version: number });
    expect((await verdicts(y)).get(`mandarin-chinese-2a|${id}`)).toEqual(yesterday.get(`mandarin-chinese-2a|${id}`));
    const after = await verdicts('2025-12-31');
    for (const [k, v] of before) expect(after.get(k), k).toEqual(v);
    // The current column follows the period valid today.
    expect((await t.db.query<{ mandarin_level: string }>('SELECT mandarin_level FROM teachers WHERE id = $1', [id])).rows[0].mandarin_level).toBe('2A');
  });

  it('reads the credentials of the population valid on the date, scoped to the subtree', async () => {
    const all = await repo.credentialsOn(t.db, { rootPath: '/', on: '2025-06-30' }, Object.keys(CREDENTIAL_COLUMNS));
    expect(all.get(ids.downgraded)?.mandarin_level).toBe('2B');
    expect(all.get(ids.upgraded)?.mandarin_level).toBe('2B');
    const c2 = (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [w.county2])).rows[0].path;
    const scoped = await repo.credentialsOn(t.db, { rootPath: c2, on: '2025-06-30' }, Object.keys(CREDENTIAL_COLUMNS));
    expect([...scoped.keys()]).toEqual([ids.downgraded]);
  });
});
