import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { buildTeacher } from '../../../../test/factories.js';
import { schoolOn } from './rotations.repository.js';

// 交流轮岗 in and out of Excel, on both databases: the counts export carries the counts route's figures
// (hand-worked as in rotations.db.test.ts: 一小 25 eligible → 3 needed, 二中 12 → 2, 甲区 37 → 4), and the records
// import writes every row through createRecord in one transaction, or nothing with the row and column named.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const school1: { id: number; nationalId: string }[] = [];
const school2: { id: number; nationalId: string }[] = [];
const names: Record<number, string> = {};

beforeAll(async () => {
  aw = await accountsWorld();
  for (let i = 0; i < 25; i++) {
    const b = buildTeacher(aw.w.school1, { name: `一小老教师${i}`, hireDate: '2015-09-01' });
    school1.push({ id: await aw.teacher(aw.w.school1, b), nationalId: b.nationalId });
  }
  for (let i = 0; i < 12; i++) {
    const b = buildTeacher(aw.w.school2, { name: `二中教师${i}`, hireDate: '2010-09-01', stage: 'junior' });
    school2.push({ id: await aw.teacher(aw.w.school2, b), nationalId: b.nationalId });
  }
  for (const o of (await aw.t.db.query<{ id: number; name: string }>('SELECT id, name FROM orgs')).rows) names[o.id] = o.name;
  for (const u of ['county.admin', 'school.admin']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

const HEADERS = ['身份证号', '原学校', '交流学校', '类型', '开始日期', '结束日期', '是否乡村', '备注'];
async function sheet(rows: unknown[][]) {
  const b = new ExcelJS.Workbook();
  const ws = b.addWorksheet('交流轮岗记录');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await b.xlsx.writeBuffer());
}
function upload(who: string, buf: Buffer) {
  const boundary = `----qs${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="交流.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return aw.t.app.inject({
    method: 'POST',
    url: '/api/rotations/records/import',
    payload: Buffer.concat([Buffer.from(head), buf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: c[who] },
  });
}
const recordCount = async () => Number((await aw.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rotation_records')).rows[0].n);

describe('rotation records import', () => {
  it('the template has the import columns', async () => {
    const r = await aw.call(c['county.admin'], 'GET', '/api/rotations/records/template.xlsx');
    expect(r.statusCode).toBe(200);
    const b = new ExcelJS.Workbook();
    await b.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect((b.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
  });

  it('one bad row: nothing written, the row and column named; a service refusal (overlap) rolls back the rows before it', async () => {
    const s1 = names[aw.w.school1];
    const s2 = names[aw.w.school2];
    const bad = await upload(
      'county.admin',
      await sheet([
        [school1[0].nationalId, s1, s2, '交流', '2025-09-01', '', '', ''],
        [school1[1].nationalId, s1, s2, '借调', '2025/9/1', '', '', ''],
        [school1[2].nationalId, '不存在的学校', s2, '支教', '2025-13-01', '', '也许', ''],
      ]),
    );
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().fields as { field: string; message: string }[];
    expect(fields).toContainEqual({ field: '第 3 行「类型」', message: '类型应为：交流 / 轮岗 / 支教 / 送教下乡' });
    expect(fields).toContainEqual({ field: '第 4 行「原学校」', message: '「不存在的学校」不是本辖区的学校（填学校全称或单位代码）' });
    expect(fields).toContainEqual({ field: '第 4 行「开始日期」', message: '开始日期格式应为 2025-09-01' });
    expect(fields.map((f) => f.field)).toContain('第 4 行「是否乡村」');
    expect(fields).toHaveLength(4);
    expect(bad.json().message).toContain('未导入任何记录');
    expect(await recordCount()).toBe(0);

    // Rows valid on their own, but the second overlaps the first (same teacher): the service refuses it inside the
    // transaction, and the first row's 交流 (and its school move) is rolled back too.
    const overlap = await upload(
      'county.admin',
      await sheet([
        [school1[0].nationalId, s1, s2, '交流', '2025-09-01', '', '', ''],
        [school1[0].nationalId, s2, s1, '支教', '2025-10-01', '2025-12-31', '', ''],
      ]),
    );
    expect(overlap.statusCode).toBe(400);
    const of = overlap.json().fields as { field: string; message: string }[];
    expect(of).toHaveLength(1);
    expect(of[0].field).toMatch(/^第 3 行「/);
    expect(of[0].message).toContain('已有交流轮岗记录');
    expect(await recordCount()).toBe(0);
    expect(await schoolOn(aw.t.db, school1[0].id, '2025-10-01')).toBe(aw.w.school1);
  });

  it('school accounts may not import', async () => {
    const r = await upload('school.admin', await sheet([[school1[0].nationalId, names[aw.w.school1], names[aw.w.school2], '交流', '2025-09-01', '', '', '']]));
    expect(r.statusCode).toBe(403);
  });

  it('a good import creates the records; 交流 and 轮岗 move the school of record, 支教 does not', async () => {
    const s1 = names[aw.w.school1];
    const s2 = names[aw.w.school2];
    const ok = await upload(
      'county.admin',
      await sheet([
        [school1[0].nationalId, s1, s2, '交流', new Date(Date.UTC(2025, 8, 1)), '', '', '一小→二中'],
        [school1[1].nationalId, s1, s2, '轮岗', '2025-09-01', '', '否', ''],
        [school2[0].nationalId, s2, s1, '支教', '2025-03-01', '2025-12-31', '是', ''],
      ]),
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().created).toBe(3);
    expect(await schoolOn(aw.t.db, school1[0].id, '2025-08-31')).toBe(aw.w.school1);
    expect(await schoolOn(aw.t.db, school1[0].id, '2025-09-01')).toBe(aw.w.school2);
    expect(await schoolOn(aw.t.db, school1[1].id, '2025-09-01')).toBe(aw.w.school2);
    expect(await schoolOn(aw.t.db, school2[0].id, '2025-06-01')).toBe(aw.w.school2);
    const rows = (
      await aw.t.db.query<{ teacher_id: number; kind: string; rural: boolean; assignment_id: number | null; note: string | null }>(
        'SELECT teacher_id, kind, rural, assignment_id, note FROM rotation_records ORDER BY id',
      )
    ).rows;
    expect(rows.map((r) => [r.teacher_id, r.kind, r.rural, r.assignment_id !== null, r.note])).toEqual([
      [school1[0].id, 'exchange', false, true, '一小→二中'],
      [school1[1].id, 'rotation', false, true, null],
      [school2[0].id, 'supportTeaching', true, false, null],
    ]);
    const audits = await aw.t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'rotations.import'");
    expect(Number(audits.rows[0].n)).toBe(1);
  });
});

describe('counts export', () => {
  it('the workbook carries the counts route figures (after the import: 一小 2 of 3, 二中 1 of 2, 甲区 3 of 4)', async () => {
    expect((await aw.call(c['county.admin'], 'POST', '/api/rotations/plans', { orgId: aw.w.school1, year: 2025, plannedCount: 3 })).statusCode).toBe(200);
    const counts = (await aw.call(c['county.admin'], 'GET', '/api/rotations/counts?year=2025')).json();
    const x = await aw.call(c['county.admin'], 'GET', '/api/rotations/counts.xlsx?year=2025');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const b = new ExcelJS.Workbook();
    await b.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = b.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['单位', '类别', '符合条件人数', '应交流人数', '计划人数', '已交流人数', '缺口']);
    const rows: unknown[][] = [];
    ws.eachRow((r, n) => {
      if (n > 1) rows.push((r.values as unknown[]).slice(1, 8).map((v) => v ?? ''));
    });
    type Unit = { orgName: string; kind: string; eligible: number; needed: number; planned: number | null; recorded: number; short: number };
    expect(rows).toEqual(
      (counts.units as Unit[]).map((u) => [u.orgName, u.kind === 'county' ? '区县' : '学校', u.eligible, u.needed, u.planned ?? '', u.recorded, u.short]),
    );
    // Hand-worked: 一小 25 → ⌈2.5⌉ = 3, plan 3, 2 recorded (交流 + 轮岗) → short 1; 二中 12 → 2, 1 支教 → short 1; 甲区 37 → 4, 3 → 1.
    expect(rows).toContainEqual([names[aw.w.school1], '学校', 25, 3, 3, 2, 1]);
    expect(rows).toContainEqual([names[aw.w.school2], '学校', 12, 2, '', 1, 1]);
    expect(rows.find((r) => r[0] === names[aw.w.county1])?.slice(2, 4)).toEqual([37, 4]);
    expect(rows.find((r) => r[0] === names[aw.w.county1])?.slice(5)).toEqual([3, 1]);
    const audits = await aw.t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'rotations.export'");
    expect(Number(audits.rows[0].n)).toBe(1);
    expect((await aw.call(c['school.admin'], 'GET', '/api/rotations/counts.xlsx?year=2025')).statusCode).toBe(403);
  });
});
