/**
 * Issue 13 item 6 — region targets computed from the platform's records, on both databases: studios founded (命名) by
 * type, level and year in the region, a de-listed studio no longer counting from its de-listing date, a past date
 * unaffected by a later naming; key teachers tracked from the designations valid during the year; the staffing rules
 * reading the designations valid on the evaluation date; and a manual figure as an audited, labelled override
 * (手工填报（覆盖平台记录）) that can be withdrawn.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSeedPolicy, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { designate } from '../teachers/teacher-facts.service.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { POLICY_DIR } from '../policies/policies.service.js';
import type { Policy } from '../policies/policy.format.js';
import type { RuleResult } from '../policies/policy.evaluate.js';
import { evaluatePolicy } from './compliance.engine.js';
import * as repo from './compliance.repository.js';

let t: TestApp;
let w: World;
let cookies: Cookies;
let policyId: number;
const k: Record<string, number> = {};

const policyFile = (file: string): Policy => {
  const r = loadPolicy(readFileSync(`${POLICY_DIR}/${file}`, 'utf8'));
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.policy;
};
const bayannur = policyFile('000-bayannur-2023-2025.yaml');
const alxa = policyFile('001-alxa-hitech-2025.yaml');

/** Every result of a policy over the city as of a date, keyed by rule id and subject id. */
async function evaluate(policy: Policy, asOf: string): Promise<Map<string, RuleResult>> {
  const all = await repo.loadOrgs(t.db, '/');
  const root = all.find((o) => o.id === w.city)!;
  const out = new Map<string, RuleResult>();
  await evaluatePolicy(t.db, { policy, asOf, root, region: root, orgs: await repo.loadOrgs(t.db, root.path) }, (o) =>
    out.set(`${o.rule.id}|${o.subject.id}`, o.result),
  );
  return out;
}
const target = async (ruleId: string, asOf: string) => (await evaluate(bayannur, asOf)).get(`${ruleId}|${w.city}`)!;

let seq = 0;
/** A studio as the studios module leaves it: named on a date (status named), optionally de-listed later (history step). */
async function studio(kind: string, level: string, namingOrg: number, namedOn: string | null, delistedOn?: string): Promise<number> {
  const id = (
    await t.db.query<{ id: number }>(
      `INSERT INTO studios (name, kind, level, naming_org_id, base_org_id, host_teacher_id, status, named_on, term_from, term_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $8::date, $8::date + 1095) RETURNING id`,
      [`目标测试工作室${++seq}`, kind, level, namingOrg, w.school1, w.teacherId, namedOn ? 'named' : 'applying', namedOn],
    )
  ).rows[0].id;
  if (delistedOn) {
    await t.db.query(`UPDATE studios SET status = 'delisted' WHERE id = $1`, [id]);
    await t.db.query(`INSERT INTO studio_history (studio_id, action, from_status, to_status, on_date) VALUES ($1, 'delist', 'named', 'delisted', $2)`, [
      id,
      delistedOn,
    ]);
  }
  return id;
}

const req = (method: 'GET' | 'POST', url: string, who: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
const summaryResult = async (ruleId: string) => {
  const r = await req('GET', `/api/compliance/summary?policyId=${policyId}&orgId=${w.city}&asOf=2025-12-31&refresh=1`, 'city.admin');
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().rules as { id: string; result: { status: string; done: number; explanation: string } }[]).find((x) => x.id === ruleId)!.result;
};

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  policyId = await attachSeedPolicy(t.db, w.city);
  // 市级名教师工作室: 2024, 2025 ×2, one more in 2025 de-listed on 2025-09-01.
  await studio('masterTeacher', 'city', w.city, '2024-03-01');
  await studio('masterTeacher', 'city', w.city, '2025-02-01');
  await studio('masterTeacher', 'city', w.city, '2025-06-01');
  await studio('masterTeacher', 'city', w.city, '2025-02-10', '2025-09-01');
  await studio('masterTeacher', 'city', w.city, null); // still applying: never counts
  await studio('principal', 'city', w.city, '2025-01-10'); // 名校长: no target reads it
  await studio('masterTeacher', 'county', w.county1, '2025-04-01'); // 旗县区级, named by a county of the city
  await studio('masterHomeroom', 'city', w.city, '2025-05-01');
  await studio('masterHomeroom', 'county', w.county2, '2023-05-01');
  // Key teachers: designations as the key-teachers module writes them (teacher-facts designate).
  const by = w.cityAdmin.id;
  k.current = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { hireDate: '2010-09-01', stage: 'primary' }));
  k.schoolTier = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2, { hireDate: '2010-09-01', stage: 'junior' }));
  k.late = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { hireDate: '2010-09-01', stage: 'senior' }));
  k.ended = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { hireDate: '2010-09-01', stage: 'primary' }));
  await t.db.tx(async (q) => {
    await designate(q, by, k.current, { level: 'county', category: 'keyTeacher', from: '2024-01-01', until: '2026-12-31' });
    await designate(q, by, k.schoolTier, { level: 'school', category: 'keyTeacher', from: '2024-01-01', until: '2026-12-31' });
    await designate(q, by, k.late, { level: 'city', category: 'subjectLeader', from: '2025-10-01', until: '2028-09-30' });
    await designate(q, by, k.ended, { level: 'county', category: 'keyTeacher', from: '2021-01-01', until: '2024-12-31' });
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('studios founded, from the studios records', () => {
  it('counts by type, level and naming year in the region, per year and cumulative; a de-listed studio stops counting', async () => {
    const r = await evaluate(bayannur, '2025-12-31');
    const at = (id: string) => r.get(`${id}|${w.city}`)!;
    // 2025: two city studios still named (the third was de-listed on 2025-09-01); the 名校长 and the application do not count.
    expect(at('master-teacher-studios-city-annual')).toMatchObject({ status: 'dueSoon', done: 2, required: 15 });
    expect(at('master-teacher-studios-city-annual').explanation).toContain('2025 年 市级名教师工作室数 2 个');
    // 2023–2025 cumulative: 2024 + 2025.
    expect(at('master-teacher-studios-city-total')).toMatchObject({ done: 3, required: 45 });
    expect(at('master-teacher-studios-county-annual')).toMatchObject({ done: 1 });
    expect(at('master-homeroom-studios-city-annual')).toMatchObject({ done: 1 });
    expect(at('master-homeroom-studios-county-total')).toMatchObject({ done: 1 });
    // Counted from records, the years without a naming are real zeros, not 暂无数据.
    expect(at('master-homeroom-studios-county-annual')).toMatchObject({ done: 0 });
  });

  it('as of a date: a studio de-listed later still counts then; a studio named later does not count yet', async () => {
    expect(await target('master-teacher-studios-city-annual', '2025-08-31')).toMatchObject({ done: 3 });
    expect(await target('master-teacher-studios-city-annual', '2025-03-15')).toMatchObject({ done: 2 });
    expect(await target('master-homeroom-studios-city-annual', '2025-03-15')).toMatchObject({ done: 0 });
    // A naming recorded now, dated after 2025-03-15, leaves that date's result as it was.
    const before = await target('master-teacher-studios-city-total', '2025-03-15');
    await studio('masterTeacher', 'city', w.city, '2025-07-01');
    expect(await target('master-teacher-studios-city-total', '2025-03-15')).toEqual(before);
    expect(await target('master-teacher-studios-city-total', '2025-12-31')).toMatchObject({ done: 4 });
  });

  it('a county region counts only the studios its own subtree names', async () => {
    const all = await repo.loadOrgs(t.db, '/');
    const county = all.find((o) => o.id === w.county1)!;
    const out = new Map<string, RuleResult>();
    await evaluatePolicy(t.db, { policy: bayannur, asOf: '2025-12-31', root: county, region: county, orgs: await repo.loadOrgs(t.db, county.path) }, (o) =>
      out.set(o.rule.id, o.result),
    );
    expect(out.get('master-teacher-studios-county-annual')).toMatchObject({ done: 1 });
    expect(out.get('master-teacher-studios-city-annual')).toMatchObject({ done: 0 });
    expect(out.get('master-homeroom-studios-county-total')).toMatchObject({ done: 0 });
  });
});

describe('key teachers tracked, from the designations', () => {
  it('counts 小学/初中/高中 teachers with a bureau-tier designation valid during the year up to the date', async () => {
    // 2025-12-31: the current county designation and the city one from 2025-10-01; not the 校级 one, not the one ended in 2024.
    expect(await target('key-teachers-tracked-1500', '2025-12-31')).toMatchObject({ done: 2, required: 1500 });
    // 2025-08-31: the city designation has not started yet.
    expect(await target('key-teachers-tracked-1500', '2025-08-31')).toMatchObject({ done: 1 });
  });

  it('the staffing rules read the designation valid on the evaluation date (001: 30% of a school’s teachers)', async () => {
    const ratio = async (asOf: string) => (await evaluate(alxa, asOf)).get(`key-teacher-cultivation-30pct|${w.school3}`)!;
    // 乙县第一中学 has one teacher, designated from 2025-10-01.
    expect(await ratio('2025-09-30')).toMatchObject({ done: 0 });
    expect(await ratio('2025-10-01')).toMatchObject({ status: 'compliant', done: 1 });
  });
});

describe('a manual figure is an audited, labelled override', () => {
  it('needs a reason, wins over the platform figure, is audited and says 手工填报（覆盖平台记录） with who and when', async () => {
    expect(await summaryResult('key-teachers-tracked-1500')).toMatchObject({ done: 2 });
    const body = { orgId: w.city, year: 2025, metric: 'keyTeachersTracked', value: 1520, source: '市教育局名单（平台外遴选）' };
    const refused = await req('POST', '/api/indicators/targets', 'city.admin', body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toEqual([expect.objectContaining({ field: 'reason' })]);
    const r = await req('POST', '/api/indicators/targets', 'city.admin', { ...body, reason: '2023 年遴选的骨干教师尚未在平台认定' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ value: 1520, platformValue: 2, sourceLabel: '手工填报（覆盖平台记录）', reason: '2023 年遴选的骨干教师尚未在平台认定' });
    const result = await summaryResult('key-teachers-tracked-1500');
    expect(result).toMatchObject({ status: 'compliant', done: 1520 });
    expect(result.explanation).toContain('2025 年为手工填报（覆盖平台记录）：1520 人（平台记录 2 人），市局管理员');
    expect(result.explanation).toContain('原因：2023 年遴选的骨干教师尚未在平台认定');
    const a = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'indicators.targets.override'`);
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0].detail).toMatchObject({
      metric: 'keyTeachersTracked',
      year: 2025,
      value: 1520,
      platformValue: 2,
      reason: '2023 年遴选的骨干教师尚未在平台认定',
    });

    // The page: the platform figure beside the override, per region and year.
    const m = (await req('GET', '/api/indicators/metrics', 'city.admin')).json();
    const figures = m.targets.find((x: { metric: string }) => x.metric === 'keyTeachersTracked').figures;
    expect(figures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          orgId: w.city,
          year: 2025,
          platform: 2,
          value: 1520,
          override: expect.objectContaining({ label: '手工填报（覆盖平台记录）' }),
        }),
      ]),
    );
    const studios = m.targets.find((x: { metric: string }) => x.metric === 'studios.masterTeacher.city').figures;
    expect(studios).toEqual(expect.arrayContaining([expect.objectContaining({ orgId: w.city, year: 2024, platform: 1, override: null, value: 1 })]));
    const list = (await req('GET', '/api/indicators/targets?year=2025', 'city.admin')).json();
    expect(list.items).toEqual([expect.objectContaining({ value: 1520, platformValue: 2, sourceLabel: '手工填报（覆盖平台记录）' })]);

    // The export says it too.
    const x = await req('GET', '/api/indicators/targets/export?year=2025', 'city.admin');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1);
    const row = (wb.worksheets[0].getRow(2).values as unknown[]).slice(1);
    expect(row[header.indexOf('说明')]).toBe('手工填报（覆盖平台记录）');
    expect(row[header.indexOf('平台记录数值')]).toBe(2);
    expect(row[header.indexOf('覆盖原因')]).toBe('2023 年遴选的骨干教师尚未在平台认定');
  });

  it('撤销覆盖 gives the figure back to the platform (audited, kept in the history); twice is 409', async () => {
    const clear = { orgId: w.city, year: 2025, metric: 'keyTeachersTracked', reason: '已在平台完成认定' };
    const short = await req('POST', '/api/indicators/targets/clear-override', 'city.admin', { ...clear, reason: '撤' });
    expect(short.statusCode).toBe(400);
    const r = await req('POST', '/api/indicators/targets/clear-override', 'city.admin', clear);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ cleared: true, value: null, platformValue: 2 });
    const result = await summaryResult('key-teachers-tracked-1500');
    expect(result).toMatchObject({ done: 2 });
    expect(result.explanation).not.toContain('手工填报');
    expect((await req('POST', '/api/indicators/targets/clear-override', 'city.admin', clear)).statusCode).toBe(409);
    const h = (await req('GET', `/api/indicators/targets/history?orgId=${w.city}&metric=keyTeachersTracked&year=2025`, 'city.admin')).json();
    expect(h.items.map((i: { value: number | null; cleared: boolean }) => [i.value, i.cleared])).toEqual([
      [null, true],
      [1520, false],
    ]);
    const a = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'indicators.targets.clearOverride'`);
    expect(a.rows).toHaveLength(1);
    expect((await req('POST', '/api/indicators/targets/clear-override', 'county.admin', { ...clear })).statusCode).toBe(404);
  });
});
