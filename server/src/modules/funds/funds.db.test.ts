import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSeedPolicy, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { createTeacher } from '../teachers/teachers.service.js';

/**
 * 培训经费 (issue 14 item 6) on the test world, year 2025, with the 巴彦淖尔 plan (000) attached at the city and the
 * 侯马 plan (004) at 乙县. Hand-worked cases:
 *  - 甲区第一小学: 公用经费 2,000,000 → 5 % (000 三（四）) = 100,000 needed; entries 60,000 + 35,000 + 10,000, the
 *    10,000 reversed (冲销) → 95,000 spent → short by 5,000; a further 5,000 → met.
 *  - 乙县: 工资总额 20,000,000; spent 300,000 → 000's 1 % (200,000) met, 004 四（二）'s 2.5 % (500,000) short by 200,000.
 */
let t: TestApp;
let w: World;
let cookies: Cookies;
let policyId: number;
const P: Record<string, number> = {};

const req = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function project(orgId: number, name: string, status: string): Promise<number> {
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, capacity, budget, plan, created_by)
     VALUES ($1, $2, $3, 'school', 'inPerson', '{ethics}', 6, '2025-03-01', '2025-06-30', $4, 100, 1000,
             '[{"title":"师德专题","hours":6,"category":"ethics"}]', $5) RETURNING id`,
    [orgId, `F-${name}`, name, status, w.cityAdmin.id],
  );
  return r.rows[0].id;
}

const entry = (who: string, body: Record<string, unknown>) => req('POST', '/api/funds/entries', who, body);
const schoolSummary = async () => {
  const r = await req('GET', `/api/funds?year=2025`, 'school.admin');
  expect(r.statusCode).toBe(200);
  return r.json();
};

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  policyId = await attachSeedPolicy(t.db, w.city);
  await attachSeedPolicy(t.db, w.county2, 'houma-2023');
  P.s1open = await project(w.school1, '一小师德专题培训', 'open');
  P.s1closed = await project(w.school1, '一小新课标培训', 'closed');
  P.s1draft = await project(w.school1, '一小草稿项目', 'draft');
  P.s2 = await project(w.school2, '二中项目', 'open');
  P.c2 = await project(w.county2, '乙县全员培训', 'running');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('school: 5 % of the 公用经费, computed from the entries', () => {
  it('records the base with its source; no base yet is 暂无数据', async () => {
    expect((await schoolSummary()).rules[0]).toMatchObject({ ruleId: 'school-training-funding', status: 'noData' });
    const r = await req('POST', '/api/funds/bases', 'school.admin', {
      year: 2025,
      metric: 'publicFundBudget',
      amountYuan: '2000000',
      source: '2025 年部门预算批复',
    });
    expect(r.statusCode).toBe(201);
    // A second figure for the same year is a correction: it needs a reason, then supersedes.
    const again = await req('POST', '/api/funds/bases', 'school.admin', { year: 2025, metric: 'publicFundBudget', amountYuan: 2100000, source: '调整' });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toContain('更正须填写原因');
    // 工资总额 belongs to a county bureau.
    const wrong = await req('POST', '/api/funds/bases', 'school.admin', { year: 2025, metric: 'salaryTotal', amountYuan: 100, source: '预算' });
    expect(wrong.json().message).toContain('教职工工资总额按旗县区');
  });

  it('专款专用: refuses a draft project and a project of another school, in Chinese, writing nothing', async () => {
    const base = { date: '2025-04-10', category: 'training', amountYuan: '60000' };
    const draft = await entry('school.admin', { ...base, projectId: P.s1draft });
    expect(draft.statusCode).toBe(400);
    expect(draft.json().message).toMatch(/^专款专用：项目“一小草稿项目”尚草稿/);
    const other = await entry('school.admin', { ...base, projectId: P.s2 });
    expect(other.statusCode).toBe(400);
    expect(other.json().message).toContain('不属于本单位');
    expect((await entry('school.admin', { ...base, amountYuan: '12.345', projectId: P.s1open })).json().message).toContain('不超过两位小数');
    expect((await t.db.query('SELECT 1 FROM fund_entries')).rows).toHaveLength(0);
  });

  it('60,000 + 35,000 + 10,000 − 冲销 10,000 = 95,000 → short by 5,000 of 100,000; a further 5,000 meets it', async () => {
    const up = multipartFile('凭证.pdf', PDF);
    const v = await t.app.inject({
      method: 'POST',
      url: '/api/funds/vouchers',
      payload: up.payload,
      headers: { ...up.headers, cookie: cookies['school.admin'] },
    });
    expect(v.statusCode).toBe(201);
    const voucherFileId = v.json().fileId;
    const a = await entry('school.admin', {
      date: '2025-04-10',
      voucherNo: '记-001',
      projectId: P.s1open,
      category: 'training',
      amountYuan: '60000',
      voucherFileId,
      note: '培训费',
    });
    expect(a.statusCode).toBe(201);
    expect(
      (await entry('school.admin', { date: '2025-05-12', voucherNo: '记-002', projectId: P.s1closed, category: 'expert', amountYuan: 35000 })).statusCode,
    ).toBe(201);
    const wrong = await entry('school.admin', { date: '2025-05-20', voucherNo: '记-003', projectId: P.s1open, category: 'materials', amountYuan: 10000 });
    const rev = await req('POST', '/api/funds/reversals', 'school.admin', { entryId: wrong.json().id, reason: '重复入账' });
    expect(rev.statusCode).toBe(201);
    expect((await req('POST', '/api/funds/reversals', 'school.admin', { entryId: wrong.json().id, reason: '再冲' })).json().message).toBe('这笔支出已冲销');
    expect((await req('POST', '/api/funds/reversals', 'school.admin', { entryId: rev.json().id, reason: '冲冲销' })).json().message).toBe('冲销记录不能再冲销');

    const s = await schoolSummary();
    expect(s.spentYuan).toBe(95000);
    expect(s.entries).toHaveLength(4);
    expect(s.entries.find((e: { id: number }) => e.id === wrong.json().id).reversedBy).toBe(rev.json().id);
    expect(s.byCategory.find((c: { category: string }) => c.category === 'materials').amountYuan).toBe(0);
    const rule = s.rules.find((r: { ruleId: string }) => r.ruleId === 'school-training-funding');
    expect(rule).toMatchObject({ baseYuan: 2000000, requiredYuan: 100000, spentYuan: 95000, shortYuan: 5000, atLeast: 0.05 });
    expect(rule.status).not.toBe('compliant');
    expect(rule.explanation).toContain('还差 5,000 元');
    expect(rule.cite).toContain('三（四）');

    // The compliance engine reads the same entries (no typed figure anywhere).
    const c = await req('GET', `/api/compliance/summary?policyId=${policyId}&orgId=${w.school1}&asOf=2025-12-31&refresh=1`, 'city.admin');
    const cr = c.json().rules.find((r: { id: string }) => r.id === 'school-training-funding').result;
    expect(cr.done).toBeCloseTo(0.0475, 6);

    await entry('school.admin', { date: '2025-06-01', voucherNo: '记-004', projectId: P.s1open, category: 'travel', amountYuan: '5000.00' });
    const met = (await schoolSummary()).rules.find((r: { ruleId: string }) => r.ruleId === 'school-training-funding');
    expect(met).toMatchObject({ spentYuan: 100000, shortYuan: 0, status: 'compliant' });

    // The voucher downloads for the school and its county; not for another county.
    const dl = await req('GET', `/api/funds/voucher?entryId=${a.json().id}`, 'school.admin');
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await req('GET', `/api/funds/voucher?entryId=${a.json().id}`, 'county.admin')).statusCode).toBe(200);
  });

  it('entries are append-only in the database too', async () => {
    await expect(t.db.query('UPDATE fund_entries SET amount_fen = 1')).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM fund_entries')).rejects.toThrow(/append-only/);
  });

  it('the bureau overrides the spending (reason, audited, named in the explanation) and 撤销覆盖 restores the entries', async () => {
    expect((await req('POST', '/api/funds/overrides', 'school.admin', { orgId: w.school1, year: 2025, amountYuan: 1, reason: '试试' })).statusCode).toBe(400);
    const o = await req('POST', '/api/funds/overrides', 'county.admin', { orgId: w.school1, year: 2025, amountYuan: 80000, reason: '财务系统决算数' });
    expect(o.statusCode).toBe(201);
    const r = (await schoolSummary()).rules[0];
    expect(r).toMatchObject({ spentYuan: 80000, shortYuan: 20000 });
    expect(r.explanation).toContain('手工填报（覆盖平台记录）：80,000 元（平台记录 100,000 元）');
    expect(r.explanation).toContain('财务系统决算数');
    const clear = await req('POST', '/api/funds/overrides/clear', 'county.admin', { orgId: w.school1, year: 2025, reason: '以平台记录为准' });
    expect(clear.statusCode).toBe(201);
    expect((await schoolSummary()).rules[0]).toMatchObject({ spentYuan: 100000, status: 'compliant' });
    expect((await req('POST', '/api/funds/overrides/clear', 'county.admin', { orgId: w.school1, year: 2025, reason: '再撤销' })).statusCode).toBe(409);
    const actions = (await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'funds.%' ORDER BY id`)).rows.map((x) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['funds.base.add', 'funds.entry.add', 'funds.entry.reverse', 'funds.override', 'funds.override.clear']));
  });

  it('exports the finance layout: 日期、凭证号、项目、科目、金额、经办人、备注, 冲销 shown, totals per 科目 and 项目; audited', async () => {
    const r = await req('GET', '/api/funds/export?year=2025', 'school.admin');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('支出明细')!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['日期', '凭证号', '项目', '科目', '金额（元）', '经办人', '备注']);
    const rows = ws.getSheetValues().slice(2) as unknown[][];
    const rev = rows.find((x) => String(x[7] ?? '').startsWith('冲销第'))!;
    expect(rev[5]).toBe(-10000);
    expect(rev[7]).toContain('重复入账');
    const total = rows.find((x) => x[1] === '合计')!;
    expect(total[5]).toBe(100000);
    const cat = wb.getWorksheet('按科目汇总')!.getSheetValues().slice(2) as unknown[][];
    expect(cat.find((x) => x[1] === '资料费')!.slice(2, 5)).toEqual([10000, -10000, 0]);
    expect(cat.find((x) => x[1] === '合计')![4]).toBe(100000);
    const proj = wb.getWorksheet('按项目汇总')!.getSheetValues().slice(2) as unknown[][];
    expect(proj.find((x) => x[1] === '一小新课标培训')![4]).toBe(35000);
    expect((await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'funds.export'`)).rows).toHaveLength(1);
  });
});

describe('county: 1–2 % (000) and ≥ 2.5 % (004) of the 工资总额', () => {
  it('工资总额 20,000,000 and 300,000 spent: 000 met (200,000), 004 short by 200,000 (500,000)', async () => {
    expect(
      (
        await req('POST', '/api/funds/bases', 'city.admin', {
          orgId: w.county2,
          year: 2025,
          metric: 'salaryTotal',
          amountYuan: 20000000,
          source: '2025 年工资总额统计',
        })
      ).statusCode,
    ).toBe(201);
    expect((await entry('city.admin', { orgId: w.county2, date: '2025-07-01', projectId: P.c2, category: 'training', amountYuan: 300000 })).statusCode).toBe(
      201,
    );
    const s = (await req('GET', `/api/funds?orgId=${w.county2}&year=2025`, 'city.admin')).json();
    // Both plans name their rule county-training-funding; told apart by the figure and the citation.
    const bayannur = s.rules.find((r: { atLeast: number }) => r.atLeast === 0.01);
    expect(bayannur).toMatchObject({ ruleId: 'county-training-funding', requiredYuan: 200000, shortYuan: 0, status: 'compliant' });
    expect(bayannur.cite).toContain('三（四）');
    const houma = s.rules.find((r: { atLeast: number }) => r.atLeast === 0.025);
    expect(houma).toMatchObject({ requiredYuan: 500000, shortYuan: 200000 });
    expect(houma.cite).toContain('（二）');
  });

  it('the board lists the subtree; the 专款专用 report finds an entry whose project was later deleted', async () => {
    await t.db.query(`UPDATE projects SET status = 'deleted' WHERE id = $1`, [P.c2]);
    const b = (await req('GET', '/api/funds/board?year=2025', 'city.admin')).json();
    expect(b.orgs.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['甲区第一小学', '乙县教育局']));
    expect(b.unearmarked.map((e: { projectName: string }) => e.projectName)).toEqual(['乙县全员培训']);
    expect(b.orgs.find((o: { orgId: number }) => o.orgId === w.county2).unearmarked).toBe(1);
    // 甲区 does not see 乙县.
    const c1 = (await req('GET', '/api/funds/board?year=2025', 'county.admin')).json();
    expect(c1.orgs.map((o: { name: string }) => o.name)).not.toContain('乙县教育局');
    expect((await req('GET', `/api/funds?orgId=${w.county2}&year=2025`, 'county.admin')).statusCode).toBe(404);
    expect((await req('GET', `/api/funds?orgId=${w.school2}&year=2025`, 'school.admin')).statusCode).toBe(404);
    expect((await req('GET', '/api/funds?year=2025', 'teacher')).statusCode).toBe(403);
  });
});

describe('班主任津贴: minimum by stage (000 §二(二): 800 / 1000 / 1200)', () => {
  let junior: number;
  let senior: number;
  let ended: number;
  beforeAll(async () => {
    junior = await createTeacher(
      t.ctx,
      w.cityAdmin,
      buildTeacher(w.school2, { name: '李初中', stage: 'junior', roles: [{ role: 'homeroom', since: '2024-09-01' }] }),
    );
    senior = await createTeacher(
      t.ctx,
      w.cityAdmin,
      buildTeacher(w.school3, { name: '王高中', stage: 'senior', roles: [{ role: 'homeroom', since: '2024-09-01' }] }),
    );
    ended = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '赵卸任', stage: 'primary' }));
    await t.db.query(`INSERT INTO teacher_roles (teacher_id, role, since, until) VALUES ($1, 'homeroom', '2020-09-01', '2025-06-30')`, [ended]);
  });

  it('the grid lists the month’s 班主任 (role history) with the stage minimum; 750 for a primary 班主任 is below 800', async () => {
    const g0 = (await req('GET', '/api/allowances?month=2025-11', 'school.admin')).json();
    expect(g0.rows.map((r: { name: string }) => r.name)).toEqual(['张老师']);
    expect(g0.rows[0]).toMatchObject({ minimumYuan: 800, status: 'missing' });
    expect(g0.cite).toContain('二（二）');
    // In June 赵卸任 was still 班主任.
    const june = (await req('GET', '/api/allowances?month=2025-06', 'school.admin')).json();
    expect(june.rows.map((r: { name: string }) => r.name).sort()).toEqual(['张老师', '赵卸任'].sort());
    const s = await req('POST', '/api/allowances', 'school.admin', { month: '2025-11', rows: [{ teacherId: w.teacherId, amountYuan: 750 }] });
    expect(s.statusCode).toBe(200);
    expect((await req('GET', '/api/allowances?month=2025-11', 'school.admin')).json().rows[0]).toMatchObject({
      amountYuan: 750,
      status: 'below',
      statusLabel: '低于标准',
    });
    // Changing a recorded amount needs a reason; then 800 meets the minimum.
    const noReason = await req('POST', '/api/allowances', 'school.admin', { month: '2025-11', rows: [{ teacherId: w.teacherId, amountYuan: 800 }] });
    expect(noReason.json().message).toContain('更改须填写原因');
    expect(
      (await req('POST', '/api/allowances', 'school.admin', { month: '2025-11', rows: [{ teacherId: w.teacherId, amountYuan: 800 }], reason: '补发差额' }))
        .statusCode,
    ).toBe(200);
    expect((await req('GET', '/api/allowances?month=2025-11', 'school.admin')).json().rows[0].status).toBe('ok');
    // Another school's teacher is refused.
    const other = await req('POST', '/api/allowances', 'school.admin', { month: '2025-11', rows: [{ teacherId: junior, amountYuan: 1000 }] });
    expect(other.json().message).toContain('教师不在本校');
  });

  it('the bureau check: junior 999 is below 1000, senior with nothing is missing (1200)', async () => {
    expect(
      (await req('POST', '/api/allowances', 'city.admin', { orgId: w.school2, month: '2025-11', rows: [{ teacherId: junior, amountYuan: 999 }] })).statusCode,
    ).toBe(200);
    const c = (await req('GET', '/api/allowances/check?month=2025-11', 'city.admin')).json();
    const by = Object.fromEntries(c.schools.map((s: { name: string }) => [s.name, s]));
    expect(by['甲区第一小学']).toMatchObject({ homeroom: 1, below: 0, missing: 0 });
    expect(by['甲区第二中学']).toMatchObject({ below: 1, missing: 0 });
    expect(by['甲区第二中学'].problems[0]).toMatchObject({ name: '李初中', minimumYuan: 1000, amountYuan: 999 });
    expect(by['乙县第一中学'].problems[0]).toMatchObject({ name: '王高中', minimumYuan: 1200, amountYuan: null, statusLabel: '未发放' });
    expect(senior).toBeGreaterThan(0);
  });

  it('imports the template: a bad row refuses the whole file; a good one records', async () => {
    const tpl = await req('GET', '/api/allowances/template?orgId=' + w.school2 + '&month=2025-10', 'city.admin');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).getCell(2).value).toBe('李初中');
    ws.getRow(2).getCell(6).value = 'abc';
    const bad = multipartFile('津贴.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const r1 = await t.app.inject({
      method: 'POST',
      url: `/api/allowances/import?orgId=${w.school2}&month=2025-10`,
      payload: bad.payload,
      headers: { ...bad.headers, cookie: cookies['city.admin'] },
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().message).toContain('第 2 行');
    ws.getRow(2).getCell(6).value = 1000;
    const good = multipartFile('津贴.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const r2 = await t.app.inject({
      method: 'POST',
      url: `/api/allowances/import?orgId=${w.school2}&month=2025-10`,
      payload: good.payload,
      headers: { ...good.headers, cookie: cookies['city.admin'] },
    });
    expect(r2.statusCode).toBe(200);
    expect(r2.json()).toEqual({ written: 1, changed: 0 });
    const g = (await req('GET', `/api/allowances?orgId=${w.school2}&month=2025-10`, 'city.admin')).json();
    expect(g.rows[0]).toMatchObject({ amountYuan: 1000, status: 'ok' });
  });
});
