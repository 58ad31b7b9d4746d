/**
 * 实施情况报告 on a hand-worked world: the city plan (bayannur-2023-2025) attached at 测试市, three teachers,
 * ledger rows chosen so that on 2025-12-31 the 班主任 rule (40 学时 a year) has 张老师 at 28 (还差 12, 临期)
 * and 李老师 (班主任 since 2025-09-01: 40 × 4/12 = 13.4) at 14 (达标); in 2024 张老师 had 40 (达标).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { syncSeedPolicies } from '../policies/policies.service.js';
import { policyForEvaluation } from '../policies/policies.service.js';
import { summarizePolicy } from '../compliance/compliance.service.js';
import { orgFacts } from '../compliance/compliance.scope.js';
import type { RegionReport } from './region-reports.service.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
let policyId: number;
let seq = 0;
const ids: Record<string, number> = {};

async function hours(teacherId: number, h: number, category: string, on: string) {
  seq++;
  await t.db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1,$2,$3,$4,'import','测试',$5)`,
    [teacherId, h, category, on, `report-test:${seq}`],
  );
}

const get = (url: string, who = 'city.admin') => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
const post = (url: string, payload: unknown, who = 'city.admin') =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: cookies[who] } });

/** The text of a PDF, read with poppler's pdftotext (scripts/ensure-system-deps.sh installs poppler-utils). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'qs-report-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  await syncSeedPolicies(t.db);
  policyId = (await t.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'bayannur-2023-2025'`)).rows[0].id;
  await t.db.query('INSERT INTO policy_attachments (policy_id, org_id) VALUES ($1, $2)', [policyId, w.city]);
  ids.zhang = w.teacherId;
  ids.li = await createTeacher(
    t.ctx,
    w.cityAdmin,
    buildTeacher(w.school1, { name: '李老师', hireDate: '2015-08-01', roles: [{ role: 'homeroom', since: '2025-09-01' }], mandarinLevel: '2A' }),
  );
  ids.wang = await createTeacher(
    t.ctx,
    w.cityAdmin,
    buildTeacher(w.school3, { name: '王老师', subjects: ['数学'], stage: 'senior', hireDate: '2010-08-01', mandarinLevel: '2B' }),
  );
  await hours(ids.zhang, 20, 'homeroom', '2025-03-01');
  await hours(ids.zhang, 8, 'homeroom', '2025-05-10');
  await hours(ids.zhang, 40, 'homeroom', '2024-06-01');
  await hours(ids.zhang, 8, 'it', '2025-04-01');
  await hours(ids.li, 14, 'homeroom', '2025-10-15');
  await hours(ids.wang, 8, 'it', '2025-02-02');
  // The platform's records of what was done in 2025: two deadline reminders of the 班主任 rule to 张老师's
  // account (one in 2024, which does not count), one 班主任 project 张老师 and 李老师 attended.
  const zhangUser = (await t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'teacher'`)).rows[0].id;
  for (const [key, at] of [
    ['2025-12-31', '2025-12-24T02:00:00Z'],
    ['2025-12-31:30d', '2025-12-01T02:00:00Z'],
    ['2024-12-31', '2024-12-24T02:00:00Z'],
  ])
    await t.db.query(`INSERT INTO notifications (user_id, kind, title, dedupe_key, created_at) VALUES ($1, 'deadline', '截止提醒', $2, $3)`, [
      zhangUser,
      `deadline:${policyId}:homeroom-annual:${key}`,
      at,
    ]);
  const p = await t.db.query<{ id: number }>(
    `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
     VALUES ($1, 'RPT-2025-1', '班主任能力提升培训', 'county', 'inPerson', '{homeroom}', 16, '2025-07-01', '2025-07-03', 'closed') RETURNING id`,
    [w.county1],
  );
  for (const tid of [ids.zhang, ids.li]) await t.db.query('INSERT INTO enrolments (project_id, teacher_id) VALUES ($1, $2)', [p.rows[0].id, tid]);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('实施情况报告', () => {
  let report: RegionReport;

  it('figures match the compliance engine at the report date and at each plan year end', async () => {
    const r = await get(`/api/region-reports/preview?policyId=${policyId}&asOf=2025-12-31`);
    expect(r.statusCode).toBe(200);
    report = r.json();
    expect(report.title).toBe('关于测试市教育局2025年度' + report.policy.title.replace(/^《|》$/g, '') + '实施情况的报告');
    expect(report.docNo).toBe('〔2025〕　　号');
    const lp = await policyForEvaluation(t.ctx, w.cityAdmin, policyId);
    const city = await orgFacts(t.db, (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [w.city])).rows[0].path);
    const engine = await summarizePolicy(t.db, lp, city, '2025-12-31');
    expect(report.teachers).toEqual(engine.teachers);
    for (const rule of engine.rules) {
      const mine = report.rules.find((x) => x.id === rule.id)!;
      expect(mine.subjects).toBe(rule.totals.subjects);
      expect(mine.compliant).toBe(rule.totals.compliant);
      if (!rule.result) expect(mine.share).toBe(rule.totals.share);
    }
    // Hand-worked: 班主任 rule on 2025-12-31 — 李老师 met, 张老师 28 of 40: 临期, 达标率 1 of 2 due.
    const homeroom = report.rules.find((x) => x.id === 'homeroom-annual')!;
    expect(homeroom).toMatchObject({ subjects: 2, compliant: 1, notMet: 1, share: 0.5, status: 'dueSoon', statusLabel: '临期' });
    // Plan years 2023–2025, each the engine's summary at 12-31: in 2024 张老师 had his 40 学时 (1 of 1).
    expect(report.trend.map((y) => y.year)).toEqual([2023, 2024, 2025]);
    expect(report.trend[1].rules['homeroom-annual'].share).toBe(1);
    expect(report.trend[2].rules['homeroom-annual'].share).toBe(0.5);
    const y2024 = await summarizePolicy(t.db, lp, city, '2024-12-31');
    expect(report.trend[1].teachersShare).toBe(y2024.teachers.share);
    for (const rule of y2024.rules) if (!rule.result) expect(report.trend[1].rules[rule.id].share).toBe(rule.totals.share);
  });

  it('has every section, the shortfall by sub-unit and the actions taken', () => {
    expect(report.sections.map((s) => s.heading)).toEqual(['一、总体情况', '二、各项指标完成情况', '三、存在问题', '四、下一步措施']);
    expect(report.recipient).toBe('上级教育行政部门');
    // 甲区 (school1: 张老师 and 李老师) lacks 12 学时 of 班主任 training; 乙县 has nothing open on that rule.
    const row = report.shortfalls.find((s) => s.orgId === w.county1 && s.ruleId === 'homeroom-annual')!;
    expect(row).toMatchObject({ orgName: '甲区教育局', subjects: 2, compliant: 1, dueSoon: 1, overdue: 0, share: 0.5, lacking: 12, unit: '学时' });
    expect(report.shortfalls.some((s) => s.orgId === w.county2 && s.ruleId === 'homeroom-annual')).toBe(false);
    // Reminders of 2025 only (2 of 3), one recipient; the 班主任 project with both teachers.
    expect(report.actions.reminders).toEqual([
      { ruleId: 'homeroom-annual', reminders: 2, recipients: 1, ruleTitle: report.rules.find((x) => x.id === 'homeroom-annual')!.title },
    ]);
    expect(report.actions.projects).toEqual([{ category: 'homeroom', label: '班主任', projects: 1, teachers: 2 }]);
    expect(report.sections[0].paragraphs.join('')).toContain('截止提醒 2 条');
    expect(report.sections[2].paragraphs.join('')).toContain('甲区教育局');
    // No teacher names anywhere in the report.
    expect(JSON.stringify(report)).not.toMatch(/张老师|李老师|王老师/);
  });

  it('the county report sees its own subtree only, with the city as 主送', async () => {
    const r = await get(`/api/region-reports/preview?policyId=${policyId}&asOf=2025-12-31`, 'county.admin');
    expect(r.statusCode).toBe(200);
    const c: RegionReport = r.json();
    expect(c.recipient).toBe('测试市教育局');
    expect(c.teachers.evaluated).toBe(2);
    expect((await get(`/api/region-reports/preview?policyId=${policyId}&orgId=${w.county2}`, 'county.admin')).statusCode).toBe(404);
  });

  it('the PDF carries the title, 文号, every section, the chart and the 附表, and is audited', async () => {
    const r = await post('/api/region-reports/report.pdf', { policyId, asOf: '2025-12-31', nextSteps: '1. 十二月底前补齐班主任培训学时。\n2. 开展专项督导。' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const pdf = r.rawPayload;
    if (process.env.REPORT_PDF_OUT) writeFileSync(process.env.REPORT_PDF_OUT, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, '');
    for (const s of [
      '测试市教育局',
      '〔2025〕',
      '上级教育行政部门：',
      '一、总体情况',
      '二、各项指标完成情况',
      '三、存在问题',
      '四、下一步措施',
      '十二月底前补齐班主任培训学时',
      '图1实施期各年达标率',
      '附表1',
      '附表2',
      '附表3',
      '附表4',
      '甲区教育局',
      '2025年12月31日',
    ])
      expect(text).toContain(s);
    const a = await t.db.query<{ detail: { format: string; asOf: string } }>(`SELECT detail FROM audit_log WHERE action = 'regionReport.download' ORDER BY id`);
    expect(a.rows.at(-1)!.detail).toMatchObject({ format: 'pdf', asOf: '2025-12-31' });
  });

  it('the workbook carries the 正文 and the four 附表, and is audited', async () => {
    const r = await post('/api/region-reports/report.xlsx', { policyId, asOf: '2025-12-31' });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['报告正文', '附表1 下级单位未完成情况', '附表2 各年指标', '附表3 已采取的措施', '附表4 各项要求']);
    const sheet1 = wb.getWorksheet('附表1 下级单位未完成情况')!;
    const rows = sheet1.getSheetValues().map((v) => (Array.isArray(v) ? v.slice(1).map(String) : []));
    expect(rows.some((x) => x[0] === '甲区教育局' && x.at(-1) === '12 学时')).toBe(true);
    const n = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'regionReport.download' AND detail->>'format' = 'xlsx'`);
    expect(n.rows[0].n).toBe(1);
  });

  it('refuses schools, other roles, bad dates and dates before the plan with clear messages', async () => {
    const school = await get(`/api/region-reports/preview?policyId=${policyId}&orgId=${w.school1}&asOf=2025-12-31`);
    expect(school.statusCode).toBe(400);
    expect(school.json().message).toContain('请选择教育局');
    expect((await get(`/api/region-reports/preview?policyId=${policyId}`, 'school.admin')).statusCode).toBe(403);
    expect((await get(`/api/region-reports/preview?policyId=${policyId}`, 'teacher')).statusCode).toBe(403);
    const bad = await get(`/api/region-reports/preview?policyId=${policyId}&asOf=2025-02-30`);
    expect(bad.statusCode).toBe(400);
    const early = await get(`/api/region-reports/preview?policyId=${policyId}&asOf=2020-06-30`);
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toContain('尚未开始实施');
    const long = await post('/api/region-reports/report.pdf', { policyId, nextSteps: '措'.repeat(4001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toContain('4000');
  });
});
