import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { applyForm, readForm } from './policy.form.js';
import { bumpVersion } from '../../../../web/src/pages/policies/editorText.js';

let t: TestApp;
let w: World;
let admin: string;
let policyId: number;

// A plan of the test city, with comments and quoting the form must leave alone.
const TEXT = `# 表单编辑测试：注释必须原样保留
policy: form-test
version: 1
title: 测试市强师计划（2026—2027年）
source: { file: 000_form_test.txt, title: 测试市强师计划（2026年—2027年） }
appliesTo: {}
period: { from: 2026-01-01, to: 2027-12-31 }
rules:
  - id: homeroom-annual
    kind: hours
    title: 班主任每年研修不少于 40 学时
    label: 班主任研修
    who: { role: homeroom }   # 只看班主任
    categories: [homeroom]
    atLeast: 40
    window: { every: year }
    cite: { section: 二（二）, text: '每位班主任每年不少于40学时' }
`;

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: admin } });
const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: admin }, payload });

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  admin = await login(t.app, 'city.admin', PASSWORD);
  const r = await post('/api/policies', { text: TEXT });
  expect(r.statusCode).toBe(201);
  policyId = r.json().id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('a version written by the form editor', () => {
  it('publishes with the edited figure and roles, every other line as it was, and the compliance summary uses it', async () => {
    const detail = (await get(`/api/policies/${policyId}`)).json();
    const base = bumpVersion(detail.text, 2);
    const read = readForm(base);
    if (!read.ok) throw new Error(read.message);
    const { form } = read;
    const values = { ...form.values, rules: form.values.rules.map((r) => ({ ...r, atLeast: 48, roles: ['homeroom', 'ideology'] })) };
    const text = applyForm(base, form, values);
    expect(text).toContain('# 表单编辑测试：注释必须原样保留');
    expect(text).toContain("    cite: { section: 二（二）, text: '每位班主任每年不少于40学时' }");
    expect(text).toContain('    who: { role: [homeroom, ideology] } # 只看班主任');

    const validated = (await post('/api/policies/validate', { text })).json();
    expect(validated).toMatchObject({ ok: true, errors: [] });
    const published = await post(`/api/policies/${policyId}/versions`, { text, note: '表单修改：班主任 48 学时' });
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ version: 2 });

    const after = (await get(`/api/policies/${policyId}`)).json();
    expect(after.text).toBe(text);
    expect(after.rules[0]).toMatchObject({ atLeast: 48, cite: { title: '测试市强师计划（2026年—2027年）', section: '二（二）' } });
    const summary = (await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.city}&asOf=2026-06-30`)).json();
    expect(summary.policy).toMatchObject({ version: 2 });
    expect(summary.rules[0]).toMatchObject({ atLeast: 48 });
  });

  it('the Excel summary names rules and sources in Chinese: no rule codes, no seed file names', async () => {
    const r = await get(`/api/compliance/summary.xlsx?policyId=${policyId}&orgId=${w.city}&asOf=2026-06-30`);
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const sheet of wb.worksheets) sheet.eachRow((row) => cells.push(JSON.stringify(row.values)));
    const all = cells.join('\n');
    expect(all).toContain('《测试市强师计划（2026年—2027年）》§二（二）');
    expect(all).not.toContain('homeroom-annual');
    expect(all).not.toContain('000_form_test.txt');
    expect(all).not.toContain('规则编号');
  });

  it('the policy list carries the plan’s title beside its file; a seed version’s note names no file', async () => {
    const list = (await get('/api/policies')).json();
    expect(list.items.find((p: { id: number }) => p.id === policyId)).toMatchObject({ sourceTitle: '测试市强师计划（2026年—2027年）' });
    const seed = list.items.find((p: { key: string }) => p.key === 'bayannur-2023-2025');
    const detail = (await get(`/api/policies/${seed.id}`)).json();
    expect(detail.versions.map((v: { note: string }) => v.note)).toEqual(['随系统提供的政策文件']);
    expect(detail.rules.find((r: { id: string }) => r.id === 'homeroom-annual').cite).toMatchObject({
      title: '巴彦淖尔市教师专业能力提升行动计划（2023年—2025年）',
      section: '二（三）',
    });
  });
});
