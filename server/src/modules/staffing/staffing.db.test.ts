import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { assignSchool, recordCredentials, setStatus } from '../teachers/teacher-facts.service.js';
import { ruralServiceYears } from './staffing.service.js';

let t: TestApp;
let w: World;
let cookies: Cookies;
/** Teachers of school1: the world's one + 35 created here = 36 in post. */
const ids: Record<string, number> = {};

const req = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

type School = {
  orgId: number;
  quota: number | null;
  inPost: number;
  vacant: number | null;
  required: number | null;
  shortOfStandard: number | null;
  requiredText: string | null;
  education: { ruleId: string; met: boolean | null; having: number; of: number; explanation: string; cite: string }[];
  shortage: { ruleId: string; met: boolean | null; having: number; explanation: string; cite: string }[];
  reasons: string[];
};
const overview = async (asOf: string, who = 'city.admin') => {
  const r = await req('GET', `/api/staffing/overview?asOf=${asOf}`, who);
  expect(r.statusCode).toBe(200);
  return r.json() as { schools: School[]; schoolYear: number; standards: { ratios: { stage: string; studentsPerStaff: number }[]; assumptions: string[] } };
};
const school = async (orgId: number, asOf: string) => (await overview(asOf)).schools.find((s) => s.orgId === orgId)!;

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  const ctx = t.ctx;
  const q = t.db;
  await recordCredentials(q, null, w.teacherId, { education: 'bachelor' }, '2020-01-01');
  // 33 more with 本科 (3 of them 科学, 劳动, 美术), 2 with 专科 (one reaches 本科 on 2025-06-01).
  for (let i = 0; i < 33; i++) {
    const subjects: ('科学' | '劳动' | '美术' | '语文')[] = i === 0 ? ['科学'] : i === 1 ? ['劳动'] : i === 2 ? ['美术'] : ['语文'];
    ids[`b${i}`] = await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school1, { education: 'bachelor', subjects }));
  }
  ids.upgrades = await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school1, { education: 'associate' }));
  ids.associate = await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school1, { education: 'associate' }));
  await recordCredentials(q, null, ids.upgrades, { education: 'bachelor' }, '2025-06-01');
  // One more who retired on 2025-02-01: not in post on either date below.
  ids.retired = await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school1, { education: 'bachelor' }));
  await setStatus(q, null, ids.retired, 'retired', '2025-02-01');
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('编制, in post, 空编 and the 城乡统一 standard', () => {
  it('a 小学 of 760 students at 1:19 needs 40; 编制 38 and 36 in post: 空编 2, short of the standard by 4', async () => {
    expect(
      (await req('POST', '/api/staffing/quotas', 'city.admin', { orgId: w.school1, quota: 35, effectiveFrom: '2024-09-01', source: '甲编〔2024〕3号' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await req('POST', '/api/staffing/quotas', 'city.admin', { orgId: w.school1, quota: 38, effectiveFrom: '2025-09-01', source: '甲编〔2025〕7号' }))
        .statusCode,
    ).toBe(201);
    const st = await req('POST', '/api/staffing/students', 'school.admin', {
      orgId: w.school1,
      year: 2025,
      stage: 'primary',
      students: 760,
      source: '学籍系统 2025 秋季',
    });
    expect(st.statusCode).toBe(201);
    const s = await school(w.school1, '2025-10-01');
    expect(s).toMatchObject({ quota: 38, inPost: 36, vacant: 2, required: 40, shortOfStandard: 4 });
    expect(s.requiredText).toBe('小学 760 人 ÷ 19 = 40');
    expect(s.reasons).toContain('空编 2 人：编制 38，在编在岗 36');
    expect(s.reasons.some((r) => r.includes('按城乡统一标准应配 40 人') && r.includes('还差 4 人'))).toBe(true);
    expect(s.reasons).toContain('编制数 38 低于按标准应配的 40 人，差 2 人');
    // On 2025-03-01 the earlier 编制 (35) held, and the 2024 school year has no student figure.
    const before = await school(w.school1, '2025-03-01');
    expect(before).toMatchObject({ quota: 35, inPost: 36, vacant: 0, required: null });
    expect(before.reasons).toContain('超编 1 人：编制 35，在编在岗 36');
    expect(before.reasons).toContain('未录入本学年在校生数');
  });

  it('a new figure supersedes, never overwrites: history keeps both', async () => {
    expect(
      (
        await req('POST', '/api/staffing/students', 'city.admin', { orgId: w.school1, year: 2025, stage: 'primary', students: 779, source: '统计年报更正' })
      ).json(),
    ).toMatchObject({
      replaced: 760,
    });
    expect((await school(w.school1, '2025-10-01')).required).toBe(41); // 779 / 19 = 41
    const h = (await req('GET', `/api/staffing/history?orgId=${w.school1}`, 'school.admin')).json();
    expect(h.students.map((x: { students: number; superseded: boolean }) => [x.students, x.superseded])).toEqual([
      [779, false],
      [760, true],
    ]);
    expect(h.quotas.map((x: { quota: number }) => x.quota)).toEqual([38, 35]);
    await req('POST', '/api/staffing/students', 'city.admin', { orgId: w.school1, year: 2025, stage: 'primary', students: 760, source: '学籍系统 2025 秋季' });
  });

  it('bad input and wrong callers get clear Chinese messages', async () => {
    const school = await req('POST', '/api/staffing/quotas', 'school.admin', { orgId: w.school1, quota: 40, effectiveFrom: '2025-09-01', source: '自报' });
    expect(school.statusCode).toBe(403);
    expect(school.json().message).toContain('编制数由教育局核定');
    const neg = await req('POST', '/api/staffing/quotas', 'city.admin', { orgId: w.school1, quota: -1, effectiveFrom: '2025-09-01', source: '文件' });
    expect(neg.statusCode).toBe(400);
    expect(JSON.stringify(neg.json())).toContain('编制数不能为负数');
    const bureau = await req('POST', '/api/staffing/quotas', 'city.admin', { orgId: w.county1, quota: 10, effectiveFrom: '2025-09-01', source: '文件' });
    expect(bureau.statusCode).toBe(400);
    expect(bureau.json().message).toContain('不是学校');
    const stage = await req('POST', '/api/staffing/students', 'city.admin', { orgId: w.school1, year: 2025, stage: 'senior', students: 100, source: '学籍' });
    expect(stage.statusCode).toBe(400);
    expect(stage.json().message).toContain('不设高中学段');
    const other = await req('POST', '/api/staffing/students', 'school.admin', { orgId: w.school2, year: 2025, stage: 'junior', students: 100, source: '学籍' });
    expect(other.statusCode).toBe(404); // another school is outside a school admin's subtree
    expect((await req('GET', '/api/staffing/overview', 'teacher')).statusCode).toBe(403);
  });
});

describe('structure targets through the policy engine', () => {
  it('学历: the share of 本科 and above as of a date uses the credential valid then', async () => {
    const march = (await school(w.school1, '2025-03-01')).education.find((e) => e.ruleId === 'edu-compulsory-bachelor')!;
    expect(march).toMatchObject({ met: false, having: 34, of: 36 });
    expect(march.explanation).toContain('94.4%（34/36）');
    expect(march.explanation).toContain('还差 2 人');
    expect(march.cite).toContain('§二（五）1');
    const oct = (await school(w.school1, '2025-10-01')).education.find((e) => e.ruleId === 'edu-compulsory-bachelor')!;
    expect(oct).toMatchObject({ met: false, having: 35, of: 36 });
    expect(oct.explanation).toContain('还差 1 人');
  });

  it('紧缺学科: 劳动 and 科学 staffed, 心理健康 missing; 美术 counted without a figure', async () => {
    const s = await school(w.school1, '2025-10-01');
    const by = (id: string) => s.shortage.find((x) => x.ruleId === id)!;
    expect(by('shortage-科学')).toMatchObject({ met: true, having: 1 });
    expect(by('shortage-劳动')).toMatchObject({ met: true, having: 1 });
    expect(by('shortage-心理健康')).toMatchObject({ met: false, having: 0 });
    expect(by('shortage-心理健康').explanation).toContain('还差 1 人');
    expect(by('shortage-心理健康').cite).toContain('三（七）');
    expect(by('shortage-美术')).toMatchObject({ met: null, having: 1 });
    expect(by('shortage-美术').explanation).toContain('现有 1 人');
    expect(s.reasons.some((r) => r.startsWith('心理健康教师配备'))).toBe(true);
  });

  it('a senior school is judged on its 研究生 share (no figure in the seed: the share is shown, not judged)', async () => {
    const ctx = t.ctx;
    await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school3, { stage: 'senior', education: 'master', subjects: ['数学'] }));
    await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school3, { stage: 'senior', education: 'bachelor', subjects: ['体育'] }));
    const s = await school(w.school3, '2025-10-01');
    const m = s.education.find((e) => e.ruleId === 'edu-senior-master')!;
    expect(m).toMatchObject({ met: null, having: 1, of: 2 });
    expect(m.explanation).toContain('原文未给出具体数字');
  });
});

describe('Excel out and in', () => {
  it('exports the figures, and an import with one bad row writes nothing', async () => {
    const r = await req('GET', '/api/staffing/export?asOf=2025-10-01', 'city.admin');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const s1 = rows.find((x) => x[1] === 'T-S1')!;
    expect(s1.slice(1)).toEqual(['T-S1', '甲区第一小学', 38, '2025-09-01', '甲编〔2025〕7号', 2025, '小学', 760, '学籍系统 2025 秋季']);

    const make = async (data: unknown[][]) => {
      const b = new ExcelJS.Workbook();
      const ws = b.addWorksheet('编制与学生数');
      ws.addRow(['单位代码', '单位名称', '编制数', '编制生效日期', '核编文件', '学年', '学段', '在校生数', '学生数来源']);
      for (const d of data) ws.addRow(d);
      return Buffer.from(await b.xlsx.writeBuffer());
    };
    const upload = async (buf: Buffer) => {
      const boundary = `----qs${Math.random().toString(16).slice(2)}`;
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      return t.app.inject({
        method: 'POST',
        url: '/api/staffing/import',
        payload: Buffer.concat([Buffer.from(head), buf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookies['city.admin'] },
      });
    };
    const bad = await upload(
      await make([
        ['T-S2', '甲区第二中学', 50, '2025-09-01', '甲编〔2025〕8号', 2025, '初中', 675, '学籍'],
        ['T-XX', '不存在', 10, '2025-09-01', '文件', '', '', '', ''],
      ]),
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('单位代码「T-XX」不是本辖区的学校');
    expect((await school(w.school2, '2025-10-01')).quota).toBeNull();
    const ok = await upload(await make([['T-S2', '甲区第二中学', 50, '2025-09-01', '甲编〔2025〕8号', 2025, '初中', 675, '学籍']]));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ changed: 2 });
    // 675 junior students at 1:13.5 → 50.
    expect(await school(w.school2, '2025-10-01')).toMatchObject({ quota: 50, required: 50 });
  });
});

describe('乡村教师', () => {
  it('support records only for teachers of rural schools; rural years combine rural schools and rural rotations', async () => {
    const refused = await req('POST', '/api/staffing/rural-support', 'school.admin', {
      teacherId: w.teacherId,
      kind: 'allowance',
      startDate: '2025-01-01',
      amount: 500,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('未标为乡村学校');
    await t.db.query(`UPDATE orgs SET locale = 'rural' WHERE id = $1`, [w.school3]);
    const ctx = t.ctx;
    const rural = await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school3, { stage: 'senior' }));
    const ok = await req('POST', '/api/staffing/rural-support', 'city.admin', {
      teacherId: rural,
      kind: 'housing',
      startDate: '2025-09-01',
      note: '周转宿舍 1 间',
    });
    expect(ok.statusCode).toBe(201);
    const list = (await req('GET', '/api/staffing/rural-support', 'city.admin')).json();
    expect(list.find((x: { teacherId: number }) => x.teacherId === rural)).toMatchObject({ kind: 'housing', startDate: '2025-09-01' });

    // A teacher at school1 (urban) from 2015-09-01, moved to the rural school on 2020-09-01; a rural 支教 year before that.
    const q = t.db;
    const mover = await createTeacher(ctx, w.cityAdmin, buildTeacher(w.school1, { hireDate: '2015-09-01' }));
    await assignSchool(q, null, mover, w.school3, 'transfer', '2020-09-01');
    await t.db.query(
      `INSERT INTO rotation_records (teacher_id, from_org_id, to_org_id, kind, start_date, end_date, rural) VALUES ($1, $2, $3, 'supportTeaching', '2017-09-01', '2018-08-31', true)`,
      [mover, w.school1, w.school2],
    );
    const y = await ruralServiceYears(t.db, [mover, ids.b11], '2025-08-31');
    // 2017-09-01…2018-08-31 (365 days) + 2020-09-01…2025-08-31 (1826 days) = 2191 days = 5.99 years → 5.9.
    expect(y.get(mover)).toBe(5.9);
    expect(y.get(ids.b11)).toBe(0);
  });
});
