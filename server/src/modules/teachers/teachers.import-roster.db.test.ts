import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { makeNationalId } from '../../demo/national-ids.js';
import { checkDigit } from '../../platform/national-id.js';
import { createTeacher } from './teachers.service.js';
import { IMPORT_MESSAGES } from './teachers.import-cells.js';

/*
 * The roster import never stores a wrong fact (issue 10 item 6): each defect class of the hostile roster,
 * reproduced with a real .xlsx (exceljs) or CSV (UTF-8 and GBK), on both databases.
 */

let t: TestApp;
let w: World;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  cookie = await login(t.app, 'county.admin', PASSWORD);
});
afterAll(async () => t?.close());

let idSeq = 700;
const newId = (birth = '1985-03-15') => makeNationalId('150105', birth, idSeq++, idSeq % 2 ? 'male' : 'female');

/** A valid 身份证号 whose last three characters are 000: what Excel leaves of an 18-digit number, when the check digit happens to pass. */
function idEndingInZeros(): string {
  for (let d = 1; d < 400; d++) {
    const first17 = `150105${1980 + (d % 20)}0${1 + (d % 9)}1${d % 10}${d % 10}00`;
    if (checkDigit(first17) === '0') return `${first17}0`;
  }
  throw new Error('no such id');
}

type Cell = ExcelJS.CellValue;
async function xlsx(headers: string[], rows: Cell[][], setup?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('教师信息');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  setup?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const csv = (lines: string[]) => Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);

interface Preview {
  batchId: number;
  counts: Record<string, number>;
  errors: { row: number; column: string; field: string; message: string; cell?: string }[];
  rows: { row: number; name: string; action: string; messages: string[] }[];
  mapping: { header: string; column: string; letter: string; checkOnly?: boolean }[];
  conflicts: { row: number; name: string; registeredName: string; nationalIdMasked: string; orgName: string }[];
}
async function preview(fileName: string, content: Buffer): Promise<Preview> {
  const m = multipartFile(fileName, content);
  const r = await t.app.inject({ method: 'POST', url: '/api/teachers/import/preview', payload: m.payload, headers: { ...m.headers, cookie } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}
async function commit(batchId: number, body: Record<string, unknown>) {
  const r = await t.app.inject({ method: 'POST', url: `/api/teachers/import/${batchId}/commit`, payload: body, headers: { cookie } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}
const errorsOf = (p: Preview) => p.errors.map((e) => [e.row, e.column, e.message]);
const teachersNamed = async (...names: string[]) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM teachers WHERE name = ANY($1::text[])', [names])).rows[0].n;

describe('身份证号 turned into a number by Excel', () => {
  it('an ID cell that holds a number is refused with the 文本 message, never stored', async () => {
    const p = await preview('num.xlsx', await xlsx(['姓名', '身份证号', '学校', '学段'], [['数字证号', 150105198503151000, '甲区第一小学', '小学']]));
    expect(p.counts).toMatchObject({ create: 0, error: 1 });
    expect(errorsOf(p)).toEqual([[2, '身份证号', IMPORT_MESSAGES.idNumberCell]]);
  });

  it('a text ID ending in 000 that passes the check digit is not created as a new teacher', async () => {
    const id = idEndingInZeros();
    const p = await preview('zeros.csv', csv(['姓名,身份证号,学校,学段', `零尾,${id},甲区第一小学,小学`]));
    expect(errorsOf(p)).toEqual([[2, '身份证号', IMPORT_MESSAGES.idTrailingZeros]]);
    await commit(p.batchId, { mode: 'validOnly' });
    expect(await teachersNamed('零尾')).toBe(0);
  });

  it('an already registered teacher whose ID really ends in 000 is still recognised', async () => {
    const id = idEndingInZeros();
    await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '真零尾', nationalId: id }));
    const p = await preview('zeros2.csv', csv(['姓名,身份证号,学校,学段,职称', `真零尾,${id},甲区第一小学,小学,一级教师`]));
    expect(p.errors).toEqual([]);
    expect(p.counts).toMatchObject({ update: 1 });
  });
});

describe('dates', () => {
  it('参加工作年月 is recognised, year-months are read, and a number is never guessed into a date', async () => {
    const ids = [newId('1980-01-01'), newId('1981-01-01'), newId('1982-01-01'), newId('1983-01-01')];
    const file = await xlsx(
      ['姓名', '身份证件号码', '学校', '学段', '参加工作年月'],
      [
        ['年月甲', ids[0], '甲区第一小学', '小学', '2019.9'],
        ['年月乙', ids[1], '甲区第一小学', '小学', '2019年9月'],
        ['年月丙', ids[2], '甲区第一小学', '小学', 2019.9], // typed by a school, stored by Excel as a number
        ['年月丁', ids[3], '甲区第一小学', '小学', new Date(Date.UTC(2005, 8, 1))], // a real date cell
      ],
      (ws) => {
        ws.getColumn(2).numFmt = '@';
      },
    );
    const p = await preview('ym.xlsx', file);
    expect(p.mapping).toEqual([
      { header: '姓名', column: '姓名', letter: 'A' },
      { header: '身份证件号码', column: '身份证号', letter: 'B' },
      { header: '学校', column: '学校', letter: 'C' },
      { header: '学段', column: '学段', letter: 'D' },
      { header: '参加工作年月', column: '入职日期', letter: 'E' },
    ]);
    expect(errorsOf(p)).toEqual([[4, '入职日期', IMPORT_MESSAGES.dateNumber(2019.9, true)]]);
    expect(p.counts).toMatchObject({ create: 3, error: 1 });
    await commit(p.batchId, { mode: 'validOnly' });
    const stored = await t.db.query<{ name: string; hire_date: string }>(
      `SELECT name, hire_date FROM teachers WHERE name IN ('年月甲','年月乙','年月丙','年月丁') ORDER BY name`,
    );
    expect(stored.rows).toEqual([
      { name: '年月丁', hire_date: '2005-09-01' },
      { name: '年月乙', hire_date: '2019-09-01' },
      { name: '年月甲', hire_date: '2019-09-01' },
    ]);
  });

  it('出生日期 and 性别 must agree with the ID; an impossible 出生日期 is refused', async () => {
    const male = makeNationalId('150105', '1990-02-03', 11, 'male');
    const female = makeNationalId('150105', '1991-04-05', 12, 'female');
    const p = await preview(
      'check.csv',
      csv([
        '姓名,身份证号,性别,出生日期,学校,学段',
        `核对甲,${male},男,1990-02-30,甲区第一小学,小学`,
        `核对乙,${female},男,1991-04-05,甲区第一小学,小学`,
        `核对丙,${makeNationalId('150105', '1992-06-07', 13, 'female')},女,1992-06-08,甲区第一小学,小学`,
        `核对丁,${newId('1993-08-09')},,1993年8月,甲区第一小学,小学`,
      ]),
    );
    expect(errorsOf(p)).toEqual([
      [2, '出生日期', IMPORT_MESSAGES.dateInvalid('1990-02-30', true)],
      [3, '性别', IMPORT_MESSAGES.gender],
      [4, '出生日期', IMPORT_MESSAGES.birthDate],
    ]);
    expect(p.mapping.filter((m) => m.checkOnly).map((m) => m.column)).toEqual(['性别', '出生日期']);
    expect(p.counts).toMatchObject({ create: 1, error: 3 });
  });

  it('a hire date before the 16th birthday or after today is refused', async () => {
    const p = await preview(
      'hire.csv',
      csv([
        '姓名,身份证号,学校,学段,入职日期',
        `入职早,${newId('1990-05-05')},甲区第一小学,小学,2006-05-04`,
        `入职晚,${newId('1990-05-05')},甲区第一小学,小学,2099-01-01`,
        `入职正好,${newId('1990-05-05')},甲区第一小学,小学,2006-05-05`,
      ]),
    );
    expect(errorsOf(p)).toEqual([
      [2, '入职日期', '入职日期早于 16 周岁生日，请核对'],
      [3, '入职日期', '入职日期晚于今天，请核对'],
    ]);
  });
});

describe('formulas', () => {
  it('an .xlsx formula cell is refused with the cell named, never replaced by its display text', async () => {
    const id = newId();
    const p = await preview(
      'formula.xlsx',
      await xlsx(
        ['姓名', '身份证号', '学校', '学段', '职称'],
        [['公式者', id, { formula: 'IF(1,"甲区第一小学","")', result: '甲区第一小学' }, '小学', { formula: '"一级"&"教师"', result: '一级教师' }]],
        (ws) => {
          ws.getColumn(2).numFmt = '@';
        },
      ),
    );
    expect(p.errors).toEqual([
      { row: 2, column: '学校', field: 'orgId', cell: 'C2', message: IMPORT_MESSAGES.formula('C2') },
      { row: 2, column: '职称', field: 'title', cell: 'E2', message: IMPORT_MESSAGES.formula('E2') },
    ]);
  });

  it('CSV text beginning with = + - @ is refused with the cell named', async () => {
    const p = await preview(
      'inject.csv',
      csv([
        '姓名,身份证号,学校,学段,第二学历',
        `"=HYPERLINK(""http://x"",""点我"")",${newId()},甲区第一小学,小学,`,
        `+张三,${newId()},甲区第一小学,小学,`,
        `李四,${newId()},甲区第一小学,小学,@SUM(A1)`,
        `王五,${newId()},甲区第一小学,小学,-1`,
      ]),
    );
    expect(p.errors.map((e) => [e.row, e.column, e.cell, e.message])).toEqual([
      [2, '姓名', 'A2', IMPORT_MESSAGES.formulaText('A2', '=')],
      [3, '姓名', 'A3', IMPORT_MESSAGES.formulaText('A3', '+')],
      [4, '第二学历', 'E4', IMPORT_MESSAGES.formulaText('E4', '@')],
      [5, '第二学历', 'E5', IMPORT_MESSAGES.formulaText('E5', '-')],
    ]);
    expect(p.counts).toMatchObject({ create: 0, error: 4 });
  });
});

describe('full-width digits and phone formats (GBK CSV with bureau headers)', () => {
  it('normalises full-width IDs and phones written 138-0013-8000 or +86', async () => {
    const id1 = newId('1986-01-01');
    const id2 = newId('1987-01-01');
    const fw = (s: string) => [...s].map((ch) => (/[0-9X]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch)).join('');
    const text = [
      '序号,姓名,证件号码,联系电话,学校名称,任教学段,任教学科,现任职称,参加工作年月',
      `1,全角甲,${fw(id1)},138-0013-8000,甲区第一小学,小学,语文,一级教师,2010年9月`,
      `2,全角乙,${id2},+86 139 0013 9000,甲区第一小学,小学,数学,二级教师,2011.9`,
      `3,全角丙,${newId('1988-01-01')},0471-1234567,甲区第一小学,小学,数学,,`,
    ].join('\r\n');
    const p = await preview('bureau.csv', iconv.encode(`${text}\r\n`, 'gbk'));
    expect(p.mapping.map((m) => `${m.header}→${m.column}`)).toEqual([
      '姓名→姓名',
      '证件号码→身份证号',
      '联系电话→手机号',
      '学校名称→学校',
      '任教学段→学段',
      '任教学科→任教学科',
      '现任职称→职称',
      '参加工作年月→入职日期',
    ]);
    expect(errorsOf(p)).toEqual([[4, '手机号', IMPORT_MESSAGES.phone]]);
    await commit(p.batchId, { mode: 'validOnly' });
    const stored = await t.db.query<{ name: string; phone_mask: string; hire_date: string; title: string }>(
      `SELECT name, phone_mask, hire_date, title FROM teachers WHERE name IN ('全角甲','全角乙') ORDER BY hire_date`,
    );
    expect(stored.rows).toEqual([
      { name: '全角甲', phone_mask: '138****8000', hire_date: '2010-09-01', title: 'first' },
      { name: '全角乙', phone_mask: '139****9000', hire_date: '2011-09-01', title: 'second' },
    ]);
  });
});

describe('registered teachers', () => {
  it('a known ID with a different name is a conflict confirmed row by row, never a silent rename', async () => {
    const a = buildTeacher(w.school1, { name: '原名甲' });
    const b = buildTeacher(w.school1, { name: '原名乙' });
    const taId = await createTeacher(t.ctx, w.cityAdmin, a);
    const tbId = await createTeacher(t.ctx, w.cityAdmin, b);
    const file = csv([
      '姓名,身份证号,学校,学段,职称',
      `新名甲,${a.nationalId},甲区第一小学,小学,一级教师`,
      `新名乙,${b.nationalId},甲区第一小学,小学,一级教师`,
    ]);
    const p = await preview('rename.csv', file);
    expect(p.counts).toMatchObject({ conflict: 2, update: 0, error: 0 });
    expect(p.conflicts.map((c) => [c.row, c.name, c.registeredName])).toEqual([
      [2, '新名甲', '原名甲'],
      [3, '新名乙', '原名乙'],
    ]);
    expect(p.rows[0]).toMatchObject({ action: 'conflict', messages: ['姓名与已登记的“原名甲”不一致：勾选“确认更名”才会导入此行（姓名、职称），否则跳过'] });

    // Nothing confirmed: both rows skipped, nothing renamed or changed.
    expect(await commit(p.batchId, { mode: 'all' })).toEqual({ created: 0, updated: 0, unchanged: 0, skipped: 2 });
    const names = async () =>
      (
        await t.db.query<{ id: number; name: string; title: string | null }>('SELECT id, name, title FROM teachers WHERE id = ANY($1::int[]) ORDER BY id', [
          [taId, tbId],
        ])
      ).rows;
    expect(await names()).toEqual([
      { id: taId, name: '原名甲', title: null },
      { id: tbId, name: '原名乙', title: null },
    ]);

    // Row 3 confirmed only: 原名乙 is renamed (with history), 原名甲 untouched.
    const again = await preview('rename.csv', file);
    expect(await commit(again.batchId, { mode: 'all', confirmRenames: [3] })).toEqual({ created: 0, updated: 1, unchanged: 0, skipped: 1 });
    expect(await names()).toEqual([
      { id: taId, name: '原名甲', title: null },
      { id: tbId, name: '新名乙', title: 'first' },
    ]);
    const hist = await t.db.query<{ changes: Record<string, unknown> }>(
      `SELECT changes FROM teacher_changes WHERE teacher_id = $1 AND source = 'import' ORDER BY id DESC LIMIT 1`,
      [tbId],
    );
    expect(hist.rows[0].changes).toEqual({ name: { from: '原名乙', to: '新名乙' }, title: { from: null, to: 'first' } });
  });

  it('rejects a malformed confirmRenames with a Chinese field message', async () => {
    const p = await preview('x.csv', csv(['姓名,身份证号,学校,学段', `确认格式,${newId()},甲区第一小学,小学`]));
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/teachers/import/${p.batchId}/commit`,
      payload: { mode: 'all', confirmRenames: ['第二行'] },
      headers: { cookie },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('confirmRenames.0');
    expect(r.json().message).toMatch(/^输入有误/);
  });

  it('an empty cell leaves the stored value alone (preview and commit)', async () => {
    const x = buildTeacher(w.school1, {
      name: '空格保留',
      phone: '13912345678',
      title: 'first',
      education: 'bachelor',
      hireDate: '2010-09-01',
      partyMember: true,
    });
    const txId = await createTeacher(t.ctx, w.cityAdmin, x);
    const p = await preview(
      'blank.csv',
      csv(['姓名,身份证号,手机号,学校,学段,职称,学历,入职日期,党员,任教学科', `空格保留,${x.nationalId},,甲区第一小学,小学,,硕士,,,`]),
    );
    expect(p.errors).toEqual([]);
    expect(p.rows[0]).toMatchObject({ action: 'update', messages: ['将更新：学历'] });
    expect(await commit(p.batchId, { mode: 'all' })).toEqual({ created: 0, updated: 1, unchanged: 0, skipped: 0 });
    const s = (
      await t.db.query<Record<string, unknown>>('SELECT phone_mask, title, education, hire_date, party_member, subjects FROM teachers WHERE id = $1', [txId])
    ).rows[0];
    expect(s).toEqual({ phone_mask: '139****5678', title: 'first', education: 'master', hire_date: '2010-09-01', party_member: true, subjects: ['语文'] });
  });
});
