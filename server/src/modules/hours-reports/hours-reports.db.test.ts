import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, type World } from '../../../../test/factories.js';
import { hashPassword } from '../../platform/auth.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';
import { verificationCode } from '../certificates/certificates.service.js';
import { recordLedgerEntries, type LedgerEntryInput } from '../ledger/ledger.service.js';
import { DEFAULT_ANNUAL_TARGET } from './stats-table.service.js';

let t: TestApp;
let w: World;
let cookies: Cookies;
let other: number; // a teacher of 甲区第二中学
let math: number; // a second teacher of 甲区第一小学, subject 数学

const get = (who: string | null, url: string) => t.app.inject({ url, headers: who ? { cookie: cookies[who] } : {} });
let seq = 0;
const entry = (teacherId: number, hours: number, category: LedgerEntryInput['category'], occurredOn: string): LedgerEntryInput => ({
  teacherId,
  hours,
  category,
  occurredOn,
  sourceType: 'import',
  description: `测试培训${++seq}`,
  dedupeKey: `test:${seq}`,
});

/** The verification address the PDF links its QR code to (pdfkit writes link annotations uncompressed). */
function verifyUrlOf(pdf: Buffer): string {
  const m = /\/URI \((http[^)]*)\)/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no link in the PDF');
  return m[1];
}
const codeOf = (url: string) => decodeURIComponent(url.split('/verify/hours/')[1]);

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  other = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school2, { name: '李四', subjects: ['英语'], stage: 'junior' }));
  math = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '王小明', subjects: ['数学'] }));
  await insertUser(t.db, {
    username: 'school2.admin',
    passwordHash: await hashPassword(PASSWORD),
    displayName: '二中管理员',
    role: 'schoolAdmin',
    orgId: w.school2,
  });
  cookies['school2.admin'] = await login(t.app, 'school2.admin', PASSWORD);
  await recordLedgerEntries(t.db, [
    entry(w.teacherId, 30, 'ethics', '2025-03-10'),
    entry(w.teacherId, 50, 'subject', '2025-06-01'),
    entry(w.teacherId, 12, 'it', '2024-05-01'),
    entry(w.teacherId, 4, 'it', '2026-01-05'),
    entry(math, 20, 'subject', '2025-04-01'),
    entry(other, 72, 'homeroom', '2025-09-01'),
  ]);
});
afterAll(async () => t?.close());

describe('学时证明', () => {
  it('a teacher downloads their statement for a year; its QR code verifies with the same totals, name masked', async () => {
    const r = await get('teacher', '/api/hours/me/statement.pdf?fromYear=2025');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('学时证明-张老师-2025年度.pdf');
    const url = verifyUrlOf(r.rawPayload);
    expect(url).toContain('/verify/hours/');

    const v = await get(null, `/api/public/hours-statements/${encodeURIComponent(codeOf(url))}`);
    expect(v.statusCode).toBe(200);
    const body = v.json();
    expect(body).toMatchObject({
      valid: true,
      name: '张*师',
      schoolName: '甲区第一小学',
      fromYear: 2025,
      toYear: 2025,
      totalHours: 80,
      issuer: '甲区教育局',
      current: true,
    });
    expect(body.byCategory).toEqual([
      { category: '师德师风', hours: 30 },
      { category: '学科教学', hours: 50 },
    ]);
    expect(body.statementNo).toMatch(/^XS\d{4}\d{6}$/);
    expect(JSON.stringify(body)).not.toContain('张老师');

    const audits = await t.db.query<{ detail: { statementNo: string; totalHours: number } }>(
      `SELECT detail FROM audit_log WHERE action = 'hoursStatement.issue' AND entity_id = $1`,
      [String(w.teacherId)],
    );
    expect(audits.rows.map((a) => a.detail.statementNo)).toContain(body.statementNo);
  });

  it('a 5-year cycle sums every year; more than 5 years or a reversed period is a 400 in Chinese', async () => {
    const r = await get('teacher', '/api/hours/me/statement.pdf?fromYear=2022&toYear=2026');
    expect(r.statusCode).toBe(200);
    const v = (await get(null, `/api/public/hours-statements/${encodeURIComponent(codeOf(verifyUrlOf(r.rawPayload)))}`)).json();
    expect(v.totalHours).toBe(96);
    expect(v.byYear).toEqual([
      { year: 2022, hours: 0 },
      { year: 2023, hours: 0 },
      { year: 2024, hours: 12 },
      { year: 2025, hours: 80 },
      { year: 2026, hours: 4 },
    ]);
    const long = await get('teacher', '/api/hours/me/statement.pdf?fromYear=2020&toYear=2026');
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toMatch(/5 个年度/);
    expect((await get('teacher', '/api/hours/me/statement.pdf?fromYear=2025&toYear=2024')).statusCode).toBe(400);
  });

  it('a tampered or foreign code is refused with one answer', async () => {
    const r = await get('teacher', '/api/hours/me/statement.pdf?fromYear=2025');
    const code = codeOf(verifyUrlOf(r.rawPayload));
    const [payload, sig] = code.split('.');
    const forged = `${Buffer.from('s1').toString('base64url')}.${sig}`;
    for (const c of [forged, `${payload}.${sig.slice(0, -1)}A`, 'garbage', verificationCode(t.ctx, 1)]) {
      const v = await get(null, `/api/public/hours-statements/${encodeURIComponent(c)}`);
      expect(v.statusCode).toBe(200);
      expect(v.json()).toEqual({ valid: false, message: '学时证明无效：未找到该证明，或验证码已被篡改' });
    }
  });

  it('after a correction the page still shows the printed figures and says they are no longer current', async () => {
    const r = await get('teacher', '/api/hours/me/statement.pdf?fromYear=2024');
    const code = codeOf(verifyUrlOf(r.rawPayload));
    const e = await t.db.query<{ id: number }>(`SELECT id FROM ledger_entries WHERE teacher_id = $1 AND occurred_on = '2024-05-01'`, [w.teacherId]);
    const rev = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/${e.rows[0].id}/reverse`,
      headers: { cookie: cookies['county.admin'] },
      payload: { reason: '重复录入' },
    });
    expect(rev.statusCode).toBe(201);
    const v = (await get(null, `/api/public/hours-statements/${encodeURIComponent(code)}`)).json();
    expect(v).toMatchObject({ valid: true, totalHours: 12, current: false });
    expect(v.notice).toMatch(/已有更正/);
    // Statements are history: the printed figures cannot be rewritten.
    await expect(t.db.query('UPDATE hours_statements SET total_hours = 0')).rejects.toThrow(/append-only/);
  });

  it('a school prints one for its own teacher (audited); another school, another teacher or an institution cannot', async () => {
    const mine = await get('school.admin', `/api/teachers/${w.teacherId}/hours/statement.pdf?fromYear=2025`);
    expect(mine.statusCode).toBe(200);
    const a = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log l JOIN users u ON u.id = l.user_id WHERE l.action = 'hoursStatement.issue' AND u.username = 'school.admin'`,
    );
    expect(a.rows[0].n).toBe(1);
    expect((await get('county.admin', `/api/teachers/${other}/hours/statement.pdf?fromYear=2025`)).statusCode).toBe(200);
    expect((await get('school2.admin', `/api/teachers/${w.teacherId}/hours/statement.pdf?fromYear=2025`)).statusCode).toBe(404);
    expect((await get('teacher', `/api/teachers/${other}/hours/statement.pdf?fromYear=2025`)).statusCode).toBe(404);
    expect((await get('institution', `/api/teachers/${w.teacherId}/hours/statement.pdf?fromYear=2025`)).statusCode).toBe(403);
    expect((await get('school.admin', '/api/hours/me/statement.pdf?fromYear=2025')).statusCode).toBe(403);
    expect((await get(null, '/api/hours/me/statement.pdf?fromYear=2025')).statusCode).toBe(401);
  });
});

/** The sheet's rows as arrays of plain values (1-based columns dropped). */
async function sheetOf(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    rows[n - 1] = (row.values as unknown[]).slice(1);
  });
  return { ws, rows };
}

describe('学时统计表 (.xlsx)', () => {
  it('by school: merged title, unit and date, two header rows, one row per school, totals and the signature row', async () => {
    const r = await get('county.admin', `/api/hours/summary/table.xlsx?orgId=${w.county1}&year=2025&by=school`);
    expect(r.statusCode).toBe(200);
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('学时统计表_甲区教育局_2025年_按学校.xlsx');
    const { ws, rows } = await sheetOf(r.rawPayload);
    expect(rows[0][0]).toBe('甲区2025年度教师培训学时统计表');
    expect(ws.getCell('A1').isMerged).toBe(true);
    expect(ws.getCell('A1').master.address).toBe('A1');
    const lastCol = ws.getRow(4).cellCount;
    expect(ws.getCell(1, lastCol).master.address).toBe('A1'); // the title spans every column
    expect(String(rows[1][0])).toContain('填报单位：甲区教育局');
    expect(rows[1].join('')).toContain(`年度达标标准：${DEFAULT_ANNUAL_TARGET} 学时`);
    expect(rows[2].slice(0, 7)).toEqual(['序号', '学校', '教师数', '达标人数', '达标率', '总学时', '人均学时']);
    expect(rows[2]).toContain('分类别学时');
    expect(rows[3]).toEqual(expect.arrayContaining(['师德师风', '班主任', '学科教学']));
    const header = rows[3] as string[];
    const col = (label: string) => header.indexOf(label);
    // 甲区第一小学: 张老师 80 (reached 72), 王小明 20 → 2 teachers, 1 reached, 100 hours.
    const s1 = rows.find((x) => x?.[1] === '甲区第一小学') as unknown[];
    expect(s1.slice(2, 7)).toEqual([2, 1, '50%', 100, 50]);
    expect(s1[col('学科教学')]).toBe(70);
    const s2 = rows.find((x) => x?.[1] === '甲区第二中学') as unknown[];
    expect(s2.slice(2, 7)).toEqual([1, 1, '100%', 72, 72]);
    expect(s2[col('班主任')]).toBe(72);
    const total = rows.find((x) => x?.[0] === '合计') as unknown[];
    expect(total.slice(2, 7)).toEqual([3, 2, '66.7%', 172, 57.3]);
    expect(rows.at(-1)?.join('')).toMatch(/填表人：.*审核人：.*单位（盖章）：/);
    expect(rows.flat().join('')).not.toContain('乙县'); // another county's school is not in 甲区's table

    const a = await t.db.query<{ detail: { by: string; year: number } }>(`SELECT detail FROM audit_log WHERE action = 'hours.statsExport'`);
    expect(a.rows[0].detail).toMatchObject({ by: 'school', year: 2025 });
  });

  it('by subject, with a given target; scoped to the caller', async () => {
    const r = await get('county.admin', `/api/hours/summary/table.xlsx?orgId=${w.county1}&year=2025&by=subject&target=50`);
    expect(r.statusCode).toBe(200);
    const { rows } = await sheetOf(r.rawPayload);
    expect(rows[2][1]).toBe('学科');
    const bySubject = Object.fromEntries(rows.filter((x) => typeof x?.[0] === 'number').map((x) => [x[1], x.slice(2, 6)]));
    expect(bySubject).toEqual({ 语文: [1, 1, '100%', 80], 英语: [1, 1, '100%', 72], 数学: [1, 0, '0%', 20] });
    expect(rows[1].join('')).toContain('年度达标标准：50 学时');

    expect((await get('school.admin', `/api/hours/summary/table.xlsx?orgId=${w.county1}&year=2025`)).statusCode).toBe(404);
    expect((await get('county.admin', `/api/hours/summary/table.xlsx?orgId=${w.school3}&year=2025`)).statusCode).toBe(404);
    expect((await get('teacher', '/api/hours/summary/table.xlsx?year=2025')).statusCode).toBe(403);
    const bad = await get('county.admin', '/api/hours/summary/table.xlsx?by=county');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/按学校|按学科/);
  });
});
