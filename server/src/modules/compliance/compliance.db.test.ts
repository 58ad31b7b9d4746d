import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { POLICY_DIR, syncSeedPolicies } from '../policies/policies.service.js';
import { runCheck, runVerify } from './compliance.cli.js';

let t: TestApp;
let w: World;
let cookies: Record<string, string>;
const ids: Record<string, number> = {};
let policyId: number;
let seq = 0;

async function hours(teacherId: number, h: number, category: string, on: string) {
  seq++;
  await t.db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1,$2,$3,$4,'import','测试',$5)`,
    [teacherId, h, category, on, `test:${seq}`],
  );
}

const get = (url: string, who: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  const reports = await syncSeedPolicies(t.db);
  expect(reports.map((r) => [r.file, r.action])).toEqual(reports.map((r) => [r.file, 'created']));
  policyId = (await t.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'bayannur-2023-2025'`)).rows[0].id;
  await t.db.query('INSERT INTO policy_attachments (policy_id, org_id) VALUES ($1, $2)', [policyId, w.city]);
  ids.zhang = w.teacherId; // 班主任 since 2020-09-01, school1
  // Became 班主任 on 1 Sep 2025: 4 of 12 months → 40 × 4/12 = 13.4 学时.
  ids.newHomeroom = await createTeacher(
    t.ctx,
    w.cityAdmin,
    buildTeacher(w.school1, { name: '李老师', hireDate: '2015-08-01', roles: [{ role: 'homeroom', since: '2025-09-01' }], mandarinLevel: '2A' }),
  );
  ids.other = await createTeacher(
    t.ctx,
    w.cityAdmin,
    buildTeacher(w.school3, { name: '王老师', subjects: ['数学'], stage: 'senior', hireDate: '2010-08-01', mandarinLevel: '2B' }),
  );
  await hours(ids.zhang, 20, 'homeroom', '2025-03-01');
  await hours(ids.zhang, 8, 'homeroom', '2025-05-10');
  await hours(ids.zhang, 40, 'homeroom', '2024-06-01');
  await hours(ids.zhang, 8, 'it', '2025-04-01');
  await hours(ids.newHomeroom, 14, 'homeroom', '2025-10-15');
  await hours(ids.other, 8, 'it', '2025-02-02');
  cookies = {};
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('seed policies', () => {
  it('all five files load and a second sync changes nothing', async () => {
    const again = await syncSeedPolicies(t.db);
    expect(again).toHaveLength(5);
    expect(again.every((r) => r.action === 'unchanged')).toBe(true);
    const n = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM policy_versions')).rows[0].n;
    expect(n).toBe(5);
  });

  it('a seed file edited without raising its version is not loaded, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qs-policies-'));
    const text = readFileSync(`${POLICY_DIR}/004-houma-2023.yaml`, 'utf8');
    writeFileSync(join(dir, '004-houma-2023.yaml'), text.replace(/^title: (.*)$/m, 'title: $1（改）'));
    const [r] = await syncSeedPolicies(t.db, dir);
    rmSync(dir, { recursive: true, force: true });
    expect(r.action).toBe('edited');
    expect(r.errors[0].message).toMatch(/文件内容与已发布的第 \d+ 版不同：请把 version 改为 \d+ 以发布新版本/);
    const titles = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM policy_versions WHERE parsed->>'title' LIKE '%（改）'`);
    expect(titles.rows[0].n).toBe(0);
  });

  it('lists the city plan as in force for a school admin, with the rule kinds', async () => {
    const r = await get('/api/policies', 'school.admin');
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { key: string; relation: string; inForce: boolean }[];
    expect(items.find((i) => i.key === 'bayannur-2023-2025')).toMatchObject({ relation: 'above', inForce: true });
    // Unattached library policies are shown to bureau admins only.
    expect(items.find((i) => i.key === 'province-strong-teacher')).toBeUndefined();
    const city = (await get('/api/policies', 'city.admin')).json().items as { key: string; relation: string }[];
    expect(city.find((i) => i.key === 'province-strong-teacher')?.relation).toBe('unattached');
  });

  it('returns the text, parsed rules with citations, and versions', async () => {
    const r = await get(`/api/policies/${policyId}`, 'teacher');
    expect(r.statusCode).toBe(200);
    const p = r.json();
    expect(p.text).toContain('policy: bayannur-2023-2025');
    expect(p.rules.find((x: { id: string }) => x.id === 'homeroom-annual')).toMatchObject({ kind: 'hours', atLeast: 40, cite: { section: '二（三）' } });
    expect(p.versions).toHaveLength(1);
  });
});

describe('compliance summary', () => {
  it('counts teachers per rule at the city with a child breakdown', async () => {
    const r = await get(`/api/compliance/summary?policyId=${policyId}&asOf=2025-12-31`, 'city.admin');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.policy).toMatchObject({ key: 'bayannur-2023-2025', version: 2 });
    const homeroom = s.rules.find((x: { id: string }) => x.id === 'homeroom-annual');
    // 张老师 28/40 short on the deadline day (临期, and due); 李老师 14 ≥ 13.4 (prorated); 王老师 not a 班主任.
    expect(homeroom.totals).toMatchObject({ compliant: 1, dueSoon: 1, overdue: 0, due: 2, compliantDue: 1, notApplicable: 1, share: 0.5 });
    const it8 = s.rules.find((x: { id: string }) => x.id === 'it-annual');
    expect(it8.totals).toMatchObject({ compliant: 2, dueSoon: 1, due: 3 });
    const county1 = s.children.find((c: { id: number }) => c.id === w.county1);
    expect(county1.totals['homeroom-annual']).toMatchObject({ compliant: 1, dueSoon: 1 });
    const county2 = s.children.find((c: { id: number }) => c.id === w.county2);
    expect(county2.totals['it-annual']).toMatchObject({ compliant: 1, dueSoon: 0, share: 1 });
    // Studio targets are counted from the studios' naming records: none named here is a real zero (临期 on the deadline day).
    expect(s.rules.find((x: { id: string }) => x.id === 'master-teacher-studios-city-annual').result).toMatchObject({ status: 'dueSoon', done: 0 });
    expect(s.rules.find((x: { id: string }) => x.id === 'arts-pe-two-rounds')).toMatchObject({ atLeast: null, openFigure: expect.stringContaining('两轮') });
    expect(s.runId).toBeGreaterThan(0);
  });

  it('drills down to a school: children are teachers with the 还差 text', async () => {
    const r = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.school1}&asOf=2025-06-30`, 'city.admin');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    const zhang = s.children.find((c: { id: number }) => c.id === ids.zhang);
    expect(zhang.results['homeroom-annual']).toMatchObject({ status: 'inProgress', daysLeft: 184, pace: { expected: 19.8, behind: false } });
    expect(zhang.results['homeroom-annual'].explanation).toBe('还需 12 学时 班主任研修，剩余 184 天（截止 2025-12-31）；按进度此时应完成 19.8 学时，进度正常');
    expect(zhang.nationalIdMask).toMatch(/^\d{4}\*+\d{3}[\dX]$/);
    expect(JSON.stringify(s)).not.toMatch(/national_id_enc|v1:/);
  });

  it('reuses a summary until the data changes, and records only computed runs', async () => {
    const url = `/api/compliance/summary?policyId=${policyId}&orgId=${w.county2}&asOf=2025-12-31`;
    const first = (await get(url, 'city.admin')).json();
    const second = (await get(url, 'city.admin')).json();
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, runId: first.runId, computedAt: first.computedAt });
    await hours(ids.other, 30, 'schoolBased', '2025-03-03');
    const third = (await get(url, 'city.admin')).json();
    expect(third.cached).toBe(false);
    expect(third.runId).not.toBe(first.runId);
    expect((await get(`${url}&refresh=1`, 'city.admin')).json().cached).toBe(false);
  });

  it('gives a trend of shares at several dates', async () => {
    const r = await get(`/api/compliance/trend?policyId=${policyId}&dates=2024-12-31,2025-06-30,2025-12-31`, 'city.admin');
    expect(r.statusCode).toBe(200);
    const points = r.json().points as { asOf: string; rules: Record<string, { share: number | null; compliant: number }> }[];
    expect(points.map((p) => p.asOf)).toEqual(['2024-12-31', '2025-06-30', '2025-12-31']);
    // 张老师 had 40 班主任 hours in 2024 (compliant), 28 by mid-2025 and at the end of 2025 (short); 李老师 became 班主任 in Sept 2025.
    expect(points[0].rules['homeroom-annual']).toMatchObject({ share: 1, compliant: 1 });
    expect(points[2].rules['homeroom-annual']).toMatchObject({ share: 0.5 });
    expect((await get(`/api/compliance/trend?policyId=${policyId}&dates=2025-13-01`, 'city.admin')).statusCode).toBe(400);
  });

  it('filters by role', async () => {
    const r = await get(`/api/compliance/summary?policyId=${policyId}&asOf=2025-12-31&role=homeroom`, 'city.admin');
    const it8 = r.json().rules.find((x: { id: string }) => x.id === 'it-annual');
    expect(it8.totals.subjects).toBe(2);
  });

  it('is scoped: a county admin cannot read the other county, an institution nothing, a teacher no summary', async () => {
    expect((await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.county2}`, 'county.admin')).statusCode).toBe(404);
    expect((await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.county1}`, 'county.admin')).statusCode).toBe(200);
    expect((await get(`/api/compliance/summary?policyId=${policyId}`, 'institution')).statusCode).toBe(403);
    expect((await get(`/api/compliance/summary?policyId=${policyId}`, 'teacher')).statusCode).toBe(403);
  });

  it('rejects a bad date with a field error, not a 500', async () => {
    const r = await get(`/api/compliance/summary?policyId=${policyId}&asOf=2025-02-30`, 'city.admin');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('asOf');
  });
});

describe('worklist and teacher status', () => {
  it('the school worklist lists teachers needing attention, most urgent first, with what they still need', async () => {
    const r = await get(`/api/compliance/worklist?asOf=2025-06-30`, 'school.admin');
    expect(r.statusCode).toBe(200);
    const wl = r.json();
    const zhang = wl.items.find((i: { teacher: { id: number } }) => i.teacher.id === ids.zhang);
    // On pace for 班主任研修, behind on the 3-year 校本 120 学时: listed as behind pace, not as 未达标.
    expect(zhang.urgency).toBe('behind');
    expect(zhang.items.map((i: { explanation: string }) => i.explanation)).toContain(
      '还需 12 学时 班主任研修，剩余 184 天（截止 2025-12-31）；按进度此时应完成 19.8 学时，进度正常',
    );
    expect(zhang.items.some((i: { status: string }) => i.status === 'overdue')).toBe(false);
    // 王老师 is in another county.
    expect(wl.items.some((i: { teacher: { id: number } }) => i.teacher.id === ids.other)).toBe(false);
  });

  it('a teacher sees what they still need this year and this cycle, with the source text', async () => {
    const r = await get('/api/compliance/me?asOf=2025-06-30', 'teacher');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    const homeroom = s.thisYear.find((i: { ruleId: string }) => i.ruleId === 'homeroom-annual');
    expect(homeroom).toMatchObject({ status: 'inProgress', required: 40, done: 28, shortfall: 12, deadline: '2025-12-31', daysLeft: 184 });
    expect(s).toMatchObject({ overdue: 0 });
    expect(homeroom.cite.text).toContain('每位班主任完成每年不少于40学时的研修培训');
    expect(homeroom.cite.file).toBe('000_1a3ff7e1cbb247a8.txt');
    expect(s.thisCycle.find((i: { ruleId: string }) => i.ruleId === 'school-based-120')).toMatchObject({ deadline: '2025-12-31', shortfall: 120 });
  });

  it('a teacher cannot read another teacher', async () => {
    expect((await get(`/api/compliance/teachers/${ids.other}`, 'teacher')).statusCode).toBe(404);
    expect((await get(`/api/compliance/teachers/${ids.other}`, 'school.admin')).statusCode).toBe(404);
    expect((await get(`/api/compliance/teachers/${ids.other}?asOf=2025-12-31`, 'city.admin')).statusCode).toBe(200);
  });
});

describe('validate and publish', () => {
  it('points validation errors to the field and line, in Chinese', async () => {
    const text = readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8').replace('    atLeast: 40\n', '    atLeast: 四十\n');
    const line = text.split('\n').findIndex((l) => l.includes('atLeast: 四十')) + 1;
    const r = await t.app.inject({ method: 'POST', url: '/api/policies/validate', headers: { cookie: cookies['city.admin'] }, payload: { text } });
    expect(r.statusCode).toBe(200);
    const v = r.json();
    expect(v.ok).toBe(false);
    expect(v.errors[0]).toMatchObject({ path: 'rules[0].atLeast', line });
    expect(v.errors[0].message).toContain('应为数字');
  });

  it('publishes a new version; old results stay reproducible with the old version', async () => {
    const text1 = readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8');
    const text2 = text1.replace('version: 2', 'version: 3').replace('    atLeast: 40\n', '    atLeast: 28\n');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/policies/${policyId}/versions`,
          headers: { cookie: cookies['county.admin'] },
          payload: { text: text2 },
        })
      ).statusCode,
    ).toBe(403);
    const wrongVersion = await t.app.inject({
      method: 'POST',
      url: `/api/policies/${policyId}/versions`,
      headers: { cookie: cookies['city.admin'] },
      payload: { text: text1 },
    });
    expect(wrongVersion.statusCode).toBe(409);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/policies/${policyId}/versions`,
      headers: { cookie: cookies['city.admin'] },
      payload: { text: text2, note: '调整' },
    });
    expect(r.statusCode).toBe(201);
    const v2 = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.school1}&asOf=2025-12-31`, 'city.admin');
    const v1 = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.school1}&asOf=2025-12-31&version=2`, 'city.admin');
    const status = (res: typeof v1) => res.json().children.find((c: { id: number }) => c.id === ids.zhang).results['homeroom-annual'].status;
    expect(status(v2)).toBe('compliant');
    expect(status(v1)).toBe('dueSoon');
    expect(v1.json().policy.version).toBe(2);
    const runs = await t.db.query<{ version: number }>(
      `SELECT v.version FROM compliance_runs r JOIN policy_versions v ON v.id = r.policy_version_id WHERE r.org_id = $1 ORDER BY r.id DESC LIMIT 2`,
      [w.school1],
    );
    expect(runs.rows.map((x) => x.version)).toEqual([2, 3]);
    const p = (await get(`/api/policies/${policyId}`, 'city.admin')).json();
    expect(p.versions.map((x: { version: number }) => x.version)).toEqual([3, 2]);
  });
});

describe('export', () => {
  it('exports the summary as .xlsx with masked ids only, and audits it', async () => {
    const r = await get(`/api/compliance/summary.xlsx?policyId=${policyId}&asOf=2025-06-30&version=2`, 'city.admin');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['规则汇总', '下级单位', '待完成教师']);
    const rows: string[] = [];
    wb.getWorksheet('待完成教师')!.eachRow((row) => rows.push(JSON.stringify(row.values)));
    expect(rows[0]).toContain('状态');
    expect(rows.some((x) => x.includes('"进行中"') && x.includes('还需 12 学时 班主任研修'))).toBe(true);
    // Nothing was due on 2025-06-30: no 未达标 row.
    expect(rows.some((x) => x.includes('"未达标"'))).toBe(false);
    expect(rows.join('')).not.toMatch(/\d{17}[\dX]/);
    const a = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'compliance.export'`);
    expect(a.rows[0].n).toBe(1);
  });
});

describe('CLI', () => {
  it('check prints the dashboard summary for a policy file and an org code', async () => {
    const out: string[] = [];
    const code = await runCheck(t.db, ['--policy', `${POLICY_DIR}/000-bayannur-2023-2025.yaml`, '--org', 'T-CITY', '--as-of', '2025-12-31'], (s) =>
      out.push(s),
    );
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('单位：测试市教育局（T-CITY）');
    expect(text).toMatch(/homeroom-annual[\s\S]*达标率（已到期）50\.0%（1\/2）；已达标 1，临期 1/);
    expect(text).toContain('甲区教育局 50.0%');
  });

  it('check reports file errors with line numbers and exit code 1', async () => {
    const out: string[] = [];
    const code = await runCheck(t.db, ['--policy', `${POLICY_DIR}/../package.json`], (s) => out.push(s));
    expect(code).toBe(1);
    const missingOrg: string[] = [];
    expect(await runCheck(t.db, ['--policy', `${POLICY_DIR}/000-bayannur-2023-2025.yaml`, '--org', 'NOPE'], (s) => missingOrg.push(s))).toBe(2);
    expect(missingOrg.join('')).toContain('T-CITY');
  });

  it('verify agrees with the ledger', async () => {
    const out: string[] = [];
    expect(await runVerify(t.db, (s) => out.push(s))).toBe(0);
    expect(out[0]).toContain('一致');
  });
});

describe('participation, staffing and attachment below the display org', () => {
  it('evaluates the district plan attached to a county when the city looks at it', async () => {
    const alxa = (await t.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'alxa-hitech-2025'`)).rows[0].id;
    const attach = await t.app.inject({
      method: 'POST',
      url: `/api/policies/${alxa}/attachments`,
      headers: { cookie: cookies['city.admin'] },
      payload: { orgId: w.county1 },
    });
    expect(attach.statusCode).toBe(200);
    // A psych school: one full-time, one part-time psych teacher in school2.
    await createTeacher(
      t.ctx,
      w.cityAdmin,
      buildTeacher(w.school2, { name: '赵老师', subjects: ['心理健康'], stage: 'junior', roles: [{ role: 'psychFullTime', since: '2020-01-01' }] }),
    );
    await createTeacher(
      t.ctx,
      w.cityAdmin,
      buildTeacher(w.school2, { name: '钱老师', subjects: ['语文'], stage: 'junior', roles: [{ role: 'psychPartTime', since: '2020-01-01' }] }),
    );
    const r = await get(`/api/compliance/summary?policyId=${alxa}&asOf=2025-12-31`, 'city.admin');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.roots).toEqual([{ id: w.county1, name: '甲区教育局' }]);
    const full = s.rules.find((x: { id: string }) => x.id === 'psych-fulltime-1');
    const part = s.rules.find((x: { id: string }) => x.id === 'psych-parttime-2');
    // school1 has none; school2 has one full-time and one part-time.
    // Evaluated on the plan's last day: the unmet schools are 临期 and count against the 达标率.
    expect(full.totals).toMatchObject({ compliant: 1, dueSoon: 1, due: 2, share: 0.5 });
    expect(part.totals).toMatchObject({ compliant: 0, dueSoon: 2, due: 2, share: 0 });
    expect(part.failing.map((f: { name: string }) => f.name).sort()).toEqual(['甲区第一小学', '甲区第二中学']);
    // No centralised trainings yet: no data, not 0 %.
    expect(s.rules.find((x: { id: string }) => x.id === 'centralised-session-rate').result).toMatchObject({ status: 'noData' });
    // The county's school admin sees it as in force too.
    const list = (await get('/api/policies', 'school.admin')).json().items as { key: string }[];
    expect(list.map((i) => i.key)).toContain('alxa-hitech-2025');
  });

  it('a worklist and a teacher page cover every policy in force, evaluated together', async () => {
    const province = (await t.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'province-strong-teacher'`)).rows[0].id;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/policies/${province}/attachments`,
          headers: { cookie: cookies['city.admin'] },
          payload: { orgId: w.city },
        })
      ).statusCode,
    ).toBe(200);
    const wl = (await get(`/api/compliance/worklist?asOf=2025-12-31`, 'school.admin')).json();
    expect(wl.policies.map((p: { id: number }) => p.id).sort()).toEqual(
      [policyId, province, (await t.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'alxa-hitech-2025'`)).rows[0].id].sort(),
    );
    const zhang = wl.items.find((i: { teacher: { id: number } }) => i.teacher.id === ids.zhang);
    const rules = zhang.items.map((i: { ruleId: string }) => i.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['cycle-360', 'school-based-120']));
    // 2021–2025 cycle: 20 + 8 + 40 + 8 = 76 of 360 学时.
    expect(zhang.items.find((i: { ruleId: string }) => i.ruleId === 'cycle-360')).toMatchObject({ done: 76, required: 360, shortfall: 284 });
    const me = (await get('/api/compliance/me?asOf=2025-12-31', 'teacher')).json();
    expect(me.policies).toHaveLength(3);
    expect(me.thisCycle.find((i: { ruleId: string }) => i.ruleId === 'cycle-360')).toMatchObject({ done: 76 });
  });

  it('a region-level sub-org created later is covered without reattaching', async () => {
    const s4 = await insertOrg(t.db, { code: 'T-S4', name: '甲区第三小学', level: 'school', kind: 'school', stage: 'primary', parentId: w.county1 });
    const r = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${s4.id}&asOf=2025-12-31`, 'city.admin');
    expect(r.statusCode).toBe(200);
    expect(r.json().children).toEqual([]);
  });
});
