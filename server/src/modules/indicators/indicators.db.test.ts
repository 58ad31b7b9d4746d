import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSeedPolicy, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { outboundByYear } from '../compliance/compliance.repository.js';

let t: TestApp;
let w: World;
let policyId: number;
let cookies: Cookies;

const req = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

const summary = async (orgId: number) => {
  const r = await req('GET', `/api/compliance/summary?policyId=${policyId}&orgId=${orgId}&asOf=2025-12-31&refresh=1`, 'city.admin');
  expect(r.statusCode).toBe(200);
  return r.json() as { rules: { id: string; result: { status: string; done: number | null; required: number | null } | null }[] };
};
const ruleResult = async (orgId: number, ruleId: string) => (await summary(orgId)).rules.find((r) => r.id === ruleId)!.result;

async function xlsx(rows: unknown[][], header = ['单位代码', '单位名称', '年度', '指标', '金额（元）', '来源/依据']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('经费数据');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(buf: Buffer, fileName: string) {
  const boundary = '----qs' + Math.random().toString(16).slice(2);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), buf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const upload = (url: string, who: string, buf: Buffer, fileName = 'figures.xlsx') => {
  const m = multipart(buf, fileName);
  return t.app.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, cookie: cookies[who] } });
};

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  policyId = await attachSeedPolicy(t.db, w.city);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('which metrics are asked for, and why', () => {
  it('lists the table target metrics of the policies in force with the rule and its citation, and the four funding figures', async () => {
    const r = await req('GET', '/api/indicators/metrics', 'city.admin');
    expect(r.statusCode).toBe(200);
    const m = r.json();
    const studios = m.targets.find((x: { metric: string }) => x.metric === 'studios.masterTeacher.city');
    expect(studios.label).toBe('市级名教师工作室数');
    expect(studios.rules.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(['master-teacher-studios-city-annual', 'master-teacher-studios-city-total']);
    expect(studios.rules[0]).toMatchObject({ policyId, cite: { section: expect.stringContaining('二（五）') }, regions: [{ orgId: w.city }] });
    // Registry metrics are counted by Qiangshi itself, never asked for.
    expect(m.targets.map((x: { metric: string }) => x.metric)).not.toContain('teachersHired');
    expect(m.funding.map((x: { label: string }) => x.label)).toEqual(['培训经费预算', '培训经费支出', '公用经费预算', '工资总额']);
    const pub = m.funding.find((x: { metric: string }) => x.metric === 'publicFundBudget');
    expect(pub.rules).toEqual([expect.objectContaining({ ruleId: 'school-training-funding', per: 'school', role: 'denominator', atLeast: 0.05 })]);
    expect(m.canRecord).toEqual({ targets: true, funding: true });
    const school = (await req('GET', '/api/indicators/metrics', 'school.admin')).json();
    expect(school.canRecord).toEqual({ targets: false, funding: true });
    expect((await req('GET', '/api/indicators/metrics', 'teacher')).statusCode).toBe(403);
  });
});

describe('recording feeds the compliance engine', () => {
  it('a manual studio count overrides the platform figure (0: no studio named) and turns the target compliant', async () => {
    // From the records: no studio was named on the platform, a real zero (临期 on the deadline day), not 暂无数据.
    expect(await ruleResult(w.city, 'master-teacher-studios-city-annual')).toMatchObject({ status: 'dueSoon', done: 0 });
    const noReason = await req('POST', '/api/indicators/targets', 'city.admin', {
      orgId: w.city,
      year: 2025,
      metric: 'studios.masterTeacher.city',
      value: 16,
      source: '巴教发〔2025〕12号',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields).toEqual([expect.objectContaining({ field: 'reason', message: expect.stringContaining('覆盖原因') })]);
    const r = await req('POST', '/api/indicators/targets', 'city.admin', {
      orgId: w.city,
      year: 2025,
      metric: 'studios.masterTeacher.city',
      value: 16,
      source: '巴教发〔2025〕12号',
      reason: '平台上线前命名的工作室未在平台登记',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      orgId: w.city,
      metric: 'studios.masterTeacher.city',
      metricLabel: '市级名教师工作室数',
      year: 2025,
      value: 16,
      source: '巴教发〔2025〕12号',
      recordedBy: '市局管理员',
      reason: '平台上线前命名的工作室未在平台登记',
      sourceLabel: '手工填报（覆盖平台记录）',
      platformValue: 0,
    });
    expect(await ruleResult(w.city, 'master-teacher-studios-city-annual')).toMatchObject({ status: 'compliant', done: 16, required: 15 });
  });

  it('a correction supersedes the value (临期 now, on the deadline day), and both stay in the history', async () => {
    await req('POST', '/api/indicators/targets', 'city.admin', {
      orgId: w.city,
      year: 2025,
      metric: 'studios.masterTeacher.city',
      value: 12,
      source: '巴教发〔2025〕30号（更正）',
      reason: '更正：其中 4 个为旗县区级',
    });
    expect(await ruleResult(w.city, 'master-teacher-studios-city-annual')).toMatchObject({ status: 'dueSoon', done: 12, due: true });
    const h = await req('GET', `/api/indicators/targets/history?orgId=${w.city}&metric=studios.masterTeacher.city&year=2025`, 'city.admin');
    expect(h.statusCode).toBe(200);
    expect(h.json().items.map((x: { value: number; current: boolean }) => [x.value, x.current])).toEqual([
      [12, true],
      [16, false],
    ]);
    const list = (await req('GET', '/api/indicators/targets?year=2025', 'city.admin')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ value: 12, versions: 2 });
  });

  it('funding figures move a school from noData to 临期 to compliant (5% of the public-fund budget)', async () => {
    expect(await ruleResult(w.school1, 'school-training-funding')).toMatchObject({ status: 'noData' });
    const a = await req('POST', '/api/indicators/funding', 'city.admin', {
      orgId: w.school1,
      year: 2025,
      metric: 'publicFundBudget',
      value: 1_000_000,
      source: '2025 年部门预算批复',
    });
    const b = await req('POST', '/api/indicators/funding', 'school.admin', {
      orgId: w.school1,
      year: 2025,
      metric: 'trainingBudget',
      value: '30,000.50',
      source: '校预算〔2025〕1号',
    });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json()).toMatchObject({ value: 30000.5, unit: '元', metricLabel: '培训经费预算' });
    expect(await ruleResult(w.school1, 'school-training-funding')).toMatchObject({ status: 'dueSoon' });
    await req('POST', '/api/indicators/funding', 'school.admin', {
      orgId: w.school1,
      year: 2025,
      metric: 'trainingBudget',
      value: 60000,
      source: '校预算〔2025〕2号（追加）',
    });
    expect(await ruleResult(w.school1, 'school-training-funding')).toMatchObject({ status: 'compliant' });
  });
});

describe('validation and permissions', () => {
  const post = (who: string, kind: string, body: Record<string, unknown>) => req('POST', `/api/indicators/${kind}`, who, body);
  const good = { year: 2025, metric: 'trainingSpent', value: 100, source: '决算报表' };

  it('rejects bad input with field errors in Chinese, never a 500', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...good, year: 1999 }, 'year', /年度应在 2000—/],
      [{ ...good, year: 'abc' }, 'year', /年度应为四位数字/],
      [{ ...good, value: -1 }, 'value', /不能为负数/],
      [{ ...good, value: 'x' }, 'value', /请填写金额/],
      [{ ...good, value: 1.234 }, 'value', /两位小数/],
      [{ ...good, source: ' ' }, 'source', /来源\/依据/],
      [{ ...good, metric: 'bogus' }, 'metric', /未知的指标/],
    ];
    for (const [body, field, message] of cases) {
      const r = await post('city.admin', 'funding', { orgId: w.school2, ...body });
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().fields).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    }
    const registry = await post('city.admin', 'targets', { orgId: w.city, year: 2025, metric: 'teachersHired', value: 3, source: '人社局' });
    expect(registry.json().fields[0]).toMatchObject({ field: 'metric', message: expect.stringContaining('自动统计') });
    const fraction = await post('city.admin', 'targets', {
      orgId: w.city,
      year: 2025,
      metric: 'keyTeachersTracked',
      value: 2.5,
      source: '文件',
      reason: '平台外数据',
    });
    expect(fraction.json().fields[0]).toMatchObject({ field: 'value', message: expect.stringContaining('整数') });
    // Region targets belong to a bureau, not a school.
    const atSchool = await post('city.admin', 'targets', {
      orgId: w.school1,
      year: 2025,
      metric: 'keyTeachersTracked',
      value: 2,
      source: '文件',
      reason: '平台外数据',
    });
    expect(atSchool.statusCode).toBe(400);
    expect(atSchool.json().fields[0].field).toBe('orgId');
    expect((await req('POST', '/api/indicators/elsewhere', 'city.admin', { orgId: w.city, ...good })).statusCode).toBe(400);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM funding_figures WHERE org_id = $1', [w.school2])).rows[0].n).toBe(0);
  });

  it('records only inside the caller scope: another county or school is 404, school admins only their own funding', async () => {
    expect((await post('county.admin', 'funding', { orgId: w.school3, ...good })).statusCode).toBe(404);
    expect((await post('county.admin', 'funding', { orgId: w.school2, ...good })).statusCode).toBe(201);
    expect((await post('school.admin', 'funding', { orgId: w.school2, ...good })).statusCode).toBe(404);
    expect((await post('school.admin', 'targets', { orgId: w.school1, year: 2025, metric: 'keyTeachersTracked', value: 2, source: '文件' })).statusCode).toBe(
      403,
    );
    expect((await post('teacher', 'funding', { orgId: w.school1, ...good })).statusCode).toBe(403);
    expect((await post('institution', 'funding', { orgId: w.school1, ...good })).statusCode).toBe(403);
  });

  it('lists and shows history only inside the subtree', async () => {
    await post('city.admin', 'funding', { orgId: w.school3, ...good });
    const county = (await req('GET', '/api/indicators/funding', 'county.admin')).json();
    expect(county.items.map((x: { orgId: number }) => x.orgId)).not.toContain(w.school3);
    const city = (await req('GET', '/api/indicators/funding', 'city.admin')).json();
    expect(city.items.map((x: { orgId: number }) => x.orgId)).toContain(w.school3);
    expect((await req('GET', `/api/indicators/funding?orgId=${w.school3}`, 'county.admin')).statusCode).toBe(404);
    expect((await req('GET', `/api/indicators/funding/history?orgId=${w.school3}&metric=trainingSpent&year=2025`, 'county.admin')).statusCode).toBe(404);
    const school = (await req('GET', '/api/indicators/funding', 'school.admin')).json();
    expect(new Set(school.items.map((x: { orgId: number }) => x.orgId))).toEqual(new Set([w.school1]));
  });

  it('the tables refuse UPDATE and DELETE', async () => {
    await expect(t.db.query('UPDATE target_counts SET value = 99')).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM funding_figures')).rejects.toThrow(/append-only/);
  });
});

describe('Excel template, import and export', () => {
  it('the template is an .xlsx with the import columns', async () => {
    const r = await req('GET', '/api/indicators/funding/template', 'city.admin');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(['单位代码', '单位名称', '年度', '指标', '金额（元）', '来源/依据']);
  });

  it('an upload without a file is 400 naming the field; one over 10 MB is 413 in Chinese', async () => {
    const boundary = '----qsnofile';
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/indicators/funding/import/preview',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookies['city.admin'] },
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ message: '请选择要上传的文件（.xlsx 或 .csv）', fields: [{ field: 'file', message: '请选择文件' }] });
    const big = await upload('/api/indicators/funding/import/preview', 'city.admin', Buffer.alloc(10 * 1024 * 1024 + 10, 0x41), 'big.csv');
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toBe('文件超过 10 MB，请拆分后分批导入');
  });

  it('previews with row and column errors, refuses to commit all, commits the valid rows, and a second import records nothing', async () => {
    const file = await xlsx([
      ['T-S2', '甲区第二中学', 2025, '培训经费预算', 20000, '预算批复 A'],
      ['T-S2', '', 2025, 'publicFundBudget', 500000, '预算批复 A'],
      ['T-S3', '', 2025, '培训经费预算', 100, '预算批复 B'], // other county
      ['NOPE', '', 2025, '培训经费预算', 100, '预算批复 C'],
      ['T-S2', '', 1990, '经费', -5, ''],
    ]);
    const p = await upload('/api/indicators/funding/import/preview', 'county.admin', file);
    expect(p.statusCode).toBe(200);
    const prev = p.json();
    expect(prev.counts).toEqual({ new: 2, change: 0, unchanged: 0, error: 3 });
    expect(prev.errors).toEqual(
      expect.arrayContaining([
        { row: 4, column: '单位代码', message: expect.stringContaining('不在您的管辖范围') },
        { row: 5, column: '单位代码', message: expect.stringContaining('NOPE') },
        { row: 6, column: '年度', message: expect.stringContaining('年度应在') },
        { row: 6, column: '指标', message: expect.stringContaining('未知的指标') },
        { row: 6, column: '金额（元）', message: expect.stringContaining('不能为负数') },
        { row: 6, column: '来源/依据', message: expect.stringContaining('来源/依据') },
      ]),
    );
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM funding_figures')).rows[0].n;
    const all = await req('POST', `/api/indicators/funding/import/${prev.batchId}/commit`, 'county.admin', { mode: 'all' });
    expect(all.statusCode).toBe(409);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM funding_figures')).rows[0].n).toBe(before);
    const ok = await req('POST', `/api/indicators/funding/import/${prev.batchId}/commit`, 'county.admin', { mode: 'validOnly' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ recorded: 2, unchanged: 0, skipped: 3 });
    expect((await req('POST', `/api/indicators/funding/import/${prev.batchId}/commit`, 'county.admin', { mode: 'validOnly' })).statusCode).toBe(409);
    // Another user's batch is not found.
    expect((await req('POST', `/api/indicators/funding/import/${prev.batchId}/commit`, 'city.admin', { mode: 'validOnly' })).statusCode).toBe(404);

    const again = (await upload('/api/indicators/funding/import/preview', 'county.admin', file)).json();
    expect(again.counts).toMatchObject({ unchanged: 2, new: 0 });
    expect((await req('POST', `/api/indicators/funding/import/${again.batchId}/commit`, 'county.admin', { mode: 'validOnly' })).json()).toEqual({
      recorded: 0,
      unchanged: 2,
      skipped: 3,
    });
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action = 'indicators.funding.import'`);
    expect(audit.rows).toHaveLength(2);
  });

  it('flags the same org, metric and year twice in one file, and a missing column', async () => {
    const dup = await xlsx([
      ['T-S2', '', 2024, '工资总额', 1, '甲文件'],
      ['T-S2', '', 2024, 'salaryTotal', 2, '乙文件'],
    ]);
    const r = (await upload('/api/indicators/funding/import/preview', 'county.admin', dup)).json();
    expect(r.counts.error).toBe(2);
    expect(r.errors[0].message).toContain('与第 3 行重复');
    const noSource = await upload(
      '/api/indicators/funding/import/preview',
      'county.admin',
      await xlsx([['T-S2', '', 2024, '工资总额', 1]], ['单位代码', '单位名称', '年度', '指标', '金额（元）']),
    );
    expect(noSource.statusCode).toBe(400);
    expect(noSource.json().message).toContain('来源/依据');
    expect((await upload('/api/indicators/targets/import/preview', 'school.admin', dup)).statusCode).toBe(403);
  });

  it('exports the current figures in the import columns and audits the export', async () => {
    const r = await req('GET', '/api/indicators/funding/export?year=2025', 'county.admin');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual([
      '单位代码',
      '单位名称',
      '年度',
      '指标',
      '金额（元）',
      '来源/依据',
      '记录时间',
      '记录人',
      '记录次数',
    ]);
    const rows = wb.worksheets[0]
      .getSheetValues()
      .slice(2)
      .map((x) => (x as unknown[]).slice(1, 6));
    expect(rows).toEqual(expect.arrayContaining([['T-S2', '甲区第二中学', 2025, '培训经费预算', 20000]]));
    expect(rows.map((x) => x[0])).not.toContain('T-S3');
    const a = await t.db.query<{ detail: { rows: number } }>(`SELECT detail FROM audit_log WHERE action = 'indicators.funding.export'`);
    expect(a.rows[0].detail.rows).toBe(rows.length);
    expect((await req('GET', '/api/indicators/funding/export', 'teacher')).statusCode).toBe(403);
  });
});

describe('outbound training (外派培训人次)', () => {
  it('counts only approved enrolments in projects run outside the region', async () => {
    const county1Path = (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [w.county1])).rows[0].path;
    const teachers = [w.teacherId];
    for (let i = 0; i < 4; i++) teachers.push(await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1)));
    // A city project (outside 甲区) and one of 甲区 itself.
    const project = async (orgId: number, code: string) =>
      (
        await t.db.query<{ id: number }>(
          `INSERT INTO projects (org_id, code, name, level, form, target_hours, start_date, status) VALUES ($1,$2,'项目','city','inPerson',8,'2025-05-01','open') RETURNING id`,
          [orgId, code],
        )
      ).rows[0].id;
    const outside = await project(w.city, 'OUT-1');
    const inside = await project(w.county1, 'IN-1');
    const statuses = ['approved', 'pending', 'rejected', 'withdrawn', 'replaced'];
    for (let i = 0; i < statuses.length; i++)
      await t.db.query(`INSERT INTO enrolments (project_id, teacher_id, status) VALUES ($1,$2,$3)`, [outside, teachers[i], statuses[i]]);
    await t.db.query(`INSERT INTO enrolments (project_id, teacher_id, status) VALUES ($1,$2,'approved')`, [inside, teachers[1]]);
    const n = await outboundByYear(t.db, county1Path, 2025, 2025);
    expect(n.get(2025)).toBe(1);
  });
});
