import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { buildZip, multipartFile } from '../../../../test/uploads.js';
import { makeNationalId } from '../../demo/national-ids.js';
import { NATIONAL_ID_MESSAGES } from '../../platform/national-id.js';
import { createTeacher } from './teachers.service.js';
import { IMPORT_COLUMNS } from './teachers.import-columns.js';
import { IMPORT_MESSAGES } from './teachers.import-cells.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

const HEADERS = IMPORT_COLUMNS.map((c) => c.header);
type RowSpec = Partial<Record<string, unknown>>;

let idSeq = 500;
/** A fresh valid 身份证号 (distinct from the factories' sequence). */
const newId = (birth = '1985-03-15') => makeNationalId('150105', birth, idSeq++, idSeq % 2 ? 'male' : 'female');

async function xlsx(rows: RowSpec[], headers = HEADERS, textIdColumn = true): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('教师信息');
  ws.addRow(headers);
  if (textIdColumn) ws.getColumn(headers.indexOf('身份证号') + 1).numFmt = '@';
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (user: string, fileName: string, content: Buffer) => {
  const m = multipartFile(fileName, content);
  return t.app.inject({ method: 'POST', url: '/api/teachers/import/preview', payload: m.payload, headers: { ...m.headers, cookie: cookies[user] } });
};
const commit = (user: string, batchId: number, mode: string) =>
  t.app.inject({ method: 'POST', url: `/api/teachers/import/${batchId}/commit`, payload: { mode }, headers: { cookie: cookies[user] } });
const get = (user: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[user] } });

const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params)).rows[0].n;

async function readBook(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
const sheetValues = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

describe('import template', () => {
  it('has the Chinese headers, a text-formatted 身份证号 column and a guide sheet with the allowed values', async () => {
    const r = await get('county.admin', '/api/teachers/import/template');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('教师信息导入模板.xlsx')}`);
    const wb = await readBook(r.rawPayload);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['教师信息', '填写说明']);
    const data = wb.getWorksheet('教师信息')!;
    expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    for (const h of ['姓名', '身份证号', '学校', '学段', '聘用方式', '任教学科', '岗位角色', '班主任起始日期', '骨干级别', '骨干类别', '党员'])
      expect(HEADERS).toContain(h);
    expect(data.getColumn(HEADERS.indexOf('身份证号') + 1).numFmt).toBe('@');
    const guide = sheetValues(wb.getWorksheet('填写说明')!);
    const row = (h: string) => guide.find((x) => x[0] === h)!;
    expect(row('聘用方式')[3]).toBe('在编、非在编');
    expect(row('学段')[3]).toContain('小学');
    expect(row('岗位角色')[3]).toContain('兼职心理健康教师');
    expect(row('身份证号')[1]).toBe('必填');
  });

  it('a template filled in Excel re-imports cleanly', async () => {
    const wb = await readBook((await get('county.admin', '/api/teachers/import/template')).rawPayload);
    const ws = wb.getWorksheet('教师信息')!;
    const id1 = newId();
    const id2 = newId();
    const fill = (n: number, v: Record<string, unknown>) =>
      Object.entries(v).forEach(([h, x]) => (ws.getRow(n).getCell(HEADERS.indexOf(h) + 1).value = x as ExcelJS.CellValue));
    fill(2, {
      姓名: '模板甲',
      身份证号: id1,
      学校: '甲区第一小学',
      学段: '小学',
      任教学科: '语文、数学',
      聘用方式: '在编',
      入职日期: new Date(Date.UTC(2012, 8, 1)),
      岗位角色: '班主任',
      班主任起始日期: '2020/9/1',
      党员: '是',
    });
    fill(3, { 姓名: '模板乙', 身份证号: id2, 学校: 'T-S2', 学段: '初中', 职称: '中小学一级教师', 普通话等级: '二甲' });
    const r = await upload('county.admin', 'template.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.errors).toEqual([]);
    expect(body.counts).toEqual({ create: 2, update: 0, unchanged: 0, conflict: 0, error: 0 });
    expect(body.rows.map((x: { name: string; orgName: string }) => [x.name, x.orgName])).toEqual([
      ['模板甲', '甲区第一小学'],
      ['模板乙', '甲区第二中学'],
    ]);
    expect((await commit('county.admin', body.batchId, 'all')).json()).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 0 });
    const stored = await t.db.query<{
      name: string;
      hire_date: string | null;
      title: string | null;
      mandarin_level: string | null;
      party_member: boolean;
      subjects: string[];
    }>(`SELECT name, hire_date, title, mandarin_level, party_member, subjects FROM teachers WHERE name IN ('模板甲','模板乙') ORDER BY name`);
    expect(stored.rows).toEqual(
      [
        { name: '模板乙', hire_date: null, title: 'first', mandarin_level: '2A', party_member: false, subjects: [] },
        { name: '模板甲', hire_date: '2012-09-01', title: null, mandarin_level: null, party_member: true, subjects: ['语文', '数学'] },
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    const roles = await t.db.query(`SELECT r.role, r.since FROM teacher_roles r JOIN teachers t ON t.id = r.teacher_id WHERE t.name = '模板甲'`);
    expect(roles.rows).toEqual([{ role: 'homeroom', since: '2020-09-01' }]);
  });
});

describe('preview, commit and re-import', () => {
  const good = [
    {
      姓名: '导入甲',
      身份证号: newId('1980-01-02'),
      手机号: '13800001111',
      学校: '甲区第一小学',
      学段: '小学',
      任教学科: '语文,数学',
      入职日期: '2003年9月1日',
      学历: '本科',
      职称: '一级教师',
      职称取得日期: '2015/9/1',
      岗位角色: '班主任、兼职心理健康教师',
      班主任起始日期: '2019-09-01',
      党员: '是',
      其他证书: '国家二级心理咨询师、证书"甲"\\乙',
      教师资格证种类: '小学\\教师\t"资格"',
    },
    {
      姓名: '导入乙',
      身份证号: newId('1990-05-06'),
      学校: 'T-S2',
      学段: '初中',
      任教学科: '英语',
      聘用方式: '非在编',
      入职日期: '2019年9月' /* 参加工作年月: a year-month is the month's first day */,
      资格证有效期: new Date(Date.UTC(2026, 7, 31)),
    },
    {
      姓名: '导入丙',
      身份证号: newId('1978-11-30'),
      学校: '乙县第一中学',
      学段: '高中',
      任教学科: '物理',
      普通话等级: '二级乙等',
      骨干级别: '市级',
      骨干类别: '骨干教师',
    },
  ];
  const dupId = newId('1988-08-08');
  const badCheck = (() => {
    const id = newId('1982-02-02');
    return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  })();
  const rows: RowSpec[] = [
    good[0], // row 2
    good[1], // row 3
    { 姓名: '校验位错', 身份证号: badCheck, 学校: '甲区第一小学', 学段: '小学' }, // row 4
    { 姓名: '科学计数', 身份证号: 150102198001011234, 学校: '甲区第一小学', 学段: '小学' }, // row 5
    { 姓名: '未知学校', 身份证号: newId(), 学校: '不存在的学校', 学段: '小学' }, // row 6
    { 姓名: '重复一', 身份证号: dupId, 学校: '甲区第一小学', 学段: '小学' }, // row 7
    { 姓名: '重复二', 身份证号: dupId, 学校: '甲区第二中学', 学段: '初中' }, // row 8
    { 姓名: null, 身份证号: newId(), 学校: '甲区第一小学', 学段: '小学' }, // row 9
    { 姓名: '日期错', 身份证号: newId(), 学校: '甲区第一小学', 学段: '小学', 入职日期: '2020-13-45' }, // row 10
    {}, // row 11: empty, ignored
    good[2], // row 12
  ];
  let file: Buffer;
  let batchId: number;

  it('lists exactly the bad rows with row, column and a Chinese message', async () => {
    file = await xlsx(rows, HEADERS, false); // a General-formatted ID column, as users' own sheets are
    const r = await upload('city.admin', 'teachers.xlsx', file);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    batchId = body.batchId;
    expect(body.fileName).toBe('teachers.xlsx');
    expect(body.total).toBe(10);
    expect(body.counts).toEqual({ create: 3, update: 0, unchanged: 0, conflict: 0, error: 7 });
    expect(body.errors.map((e: { row: number; column: string; field: string; message: string }) => [e.row, e.column, e.field, e.message])).toEqual([
      [4, '身份证号', 'nationalId', NATIONAL_ID_MESSAGES.checkDigit],
      [5, '身份证号', 'nationalId', IMPORT_MESSAGES.idNumberCell],
      [6, '学校', 'orgId', '学校“不存在的学校”不存在或不在您的管辖范围内'],
      [7, '身份证号', 'nationalId', '身份证号与第 8 行重复'],
      [8, '身份证号', 'nationalId', '身份证号与第 7 行重复'],
      [9, '姓名', 'name', '姓名不能为空'],
      [10, '入职日期', 'hireDate', '日期无效：“2020-13-45”，请填写如 2020-09-01 或 2019-09、2019.9 或 2019年9月 的日期'],
    ]);
    const shown = body.rows.map((x: { row: number; action: string }) => [x.row, x.action]);
    expect(shown).toEqual([
      [2, 'create'],
      [3, 'create'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'error'],
      [9, 'error'],
      [10, 'error'],
      [12, 'create'],
    ]);
    expect(body.rows[0].nationalIdMasked).toBe(`${good[0].身份证号!.slice(0, 4)}**********${good[0].身份证号!.slice(-4)}`);
    // Nothing written yet.
    expect(await count(`SELECT count(*)::int AS n FROM teachers WHERE name LIKE '导入%'`)).toBe(0);
  });

  it('never stores a plain 身份证号 or phone in the batch', async () => {
    const raw = (await t.db.query<{ rows: string }>('SELECT rows::text AS rows FROM import_batches WHERE id = $1', [batchId])).rows[0].rows;
    for (const g of good) expect(raw).not.toContain(g.身份证号);
    expect(raw).not.toContain(dupId);
    expect(raw).not.toContain('13800001111');
    expect(raw).not.toContain('150102198001011234');
  });

  it("another user's batch is 404", async () => {
    expect((await commit('county.admin', batchId, 'validOnly')).statusCode).toBe(404);
  });

  it("'all' refuses a batch with errors (409) and writes nothing", async () => {
    const r = await commit('city.admin', batchId, 'all');
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('有 7 行存在错误');
    expect(await count(`SELECT count(*)::int AS n FROM teachers WHERE name LIKE '导入%'`)).toBe(0);
  });

  it('rejects an unknown mode with a Chinese field message', async () => {
    const r = await commit('city.admin', batchId, 'some');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('导入方式');
  });

  it("'validOnly' imports the good rows with roles, change history and an audit line", async () => {
    const r = await commit('city.admin', batchId, 'validOnly');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ created: 3, updated: 0, unchanged: 0, skipped: 7 });
    const a = (
      await t.db.query<Record<string, unknown>>(
        `SELECT t.id, t.name, t.qualification_type, t.gender, t.birth_date, t.hire_date, t.title, t.title_date, t.subjects, t.party_member, t.certificates, t.phone_mask, t.employment, o.code
           FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.name = '导入甲'`,
      )
    ).rows[0];
    expect(a).toMatchObject({
      gender: 'male',
      birth_date: '1980-01-02',
      hire_date: '2003-09-01',
      title: 'first',
      title_date: '2015-09-01',
      subjects: ['语文', '数学'],
      party_member: true,
      certificates: ['国家二级心理咨询师', '证书"甲"\\乙'],
      qualification_type: '小学\\教师\t"资格"',
      phone_mask: '138****1111',
      employment: 'staff',
      code: 'T-S1',
    });
    const b = (await t.db.query<Record<string, unknown>>(`SELECT hire_date, employment, qualification_expiry FROM teachers WHERE name = '导入乙'`)).rows[0];
    expect(b).toEqual({ hire_date: '2019-09-01', employment: 'contract', qualification_expiry: '2026-08-31' });
    const roles = await t.db.query(`SELECT role, since FROM teacher_roles WHERE teacher_id = $1 ORDER BY role`, [a.id]);
    expect(roles.rows).toEqual([
      { role: 'homeroom', since: '2019-09-01' },
      { role: 'psychPartTime', since: null },
    ]);
    const hist = await t.db.query<{ source: string; changes: Record<string, { from: unknown; to: unknown }> }>(
      'SELECT source, changes FROM teacher_changes WHERE teacher_id = $1',
      [a.id],
    );
    expect(hist.rows).toHaveLength(1);
    expect(hist.rows[0].source).toBe('import');
    expect(hist.rows[0].changes).toMatchObject({
      title: { from: null, to: 'first' },
      name: { from: null, to: '导入甲' },
      national_id_mask: { from: null, to: `${good[0].身份证号!.slice(0, 4)}**********${good[0].身份证号!.slice(-4)}` },
      subjects: { from: null, to: ['语文', '数学'] },
      party_member: { from: null, to: true },
      org_id: { from: null, to: w.school1 },
      roles: {
        from: [],
        to: [
          { role: 'homeroom', since: '2019-09-01' },
          { role: 'psychPartTime', since: null },
        ],
      },
    });
    expect(Object.keys(hist.rows[0].changes)).not.toContain('second_degree');
    expect(Object.keys(hist.rows[0].changes).some((k) => k.endsWith('_enc') || k.endsWith('_idx'))).toBe(false);
    expect(JSON.stringify(hist.rows[0].changes)).not.toContain(good[0].身份证号);
    const log = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'teacher.import' AND entity_id = $1`, [
      String(batchId),
    ]);
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0].detail).toMatchObject({ created: 3, updated: 0, unchanged: 0, skipped: 7, mode: 'validOnly', fileName: 'teachers.xlsx' });
  });

  it('a batch cannot be committed twice', async () => {
    const r = await commit('city.admin', batchId, 'validOnly');
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('已经导入');
  });

  it('the same file again changes nothing: all unchanged, no new rows, no new history', async () => {
    const before = {
      teachers: await count('SELECT count(*)::int AS n FROM teachers'),
      changes: await count('SELECT count(*)::int AS n FROM teacher_changes'),
      roles: await count('SELECT count(*)::int AS n FROM teacher_roles'),
      versions: await count(`SELECT sum(version)::int AS n FROM teachers`),
    };
    const p = (await upload('city.admin', 'teachers.xlsx', file)).json();
    expect(p.counts).toEqual({ create: 0, update: 0, unchanged: 3, conflict: 0, error: 7 });
    expect(p.previouslyCommitted?.batchId).toBe(batchId);
    expect((await commit('city.admin', p.batchId, 'validOnly')).json()).toEqual({ created: 0, updated: 0, unchanged: 3, skipped: 7 });
    expect({
      teachers: await count('SELECT count(*)::int AS n FROM teachers'),
      changes: await count('SELECT count(*)::int AS n FROM teacher_changes'),
      roles: await count('SELECT count(*)::int AS n FROM teacher_roles'),
      versions: await count(`SELECT sum(version)::int AS n FROM teachers`),
    }).toEqual(before);
  });

  it('a changed row is an update that records what changed; columns absent from the file keep their values', async () => {
    const headers = ['姓名', '身份证号', '学校', '学段', '职称'];
    const p = (await upload('city.admin', 'update.xlsx', await xlsx([{ ...good[0], 职称: '高级教师' }, good[2]], headers))).json();
    expect(p.counts).toEqual({ create: 0, update: 1, unchanged: 1, conflict: 0, error: 0 });
    expect(p.rows[0].messages).toEqual(['将更新：职称']);
    expect((await commit('city.admin', p.batchId, 'all')).json()).toEqual({ created: 0, updated: 1, unchanged: 1, skipped: 0 });
    const a = (
      await t.db.query<{ id: number; title: string; subjects: string[]; phone_mask: string; version: number }>(
        `SELECT id, title, subjects, phone_mask, version FROM teachers WHERE name = '导入甲'`,
      )
    ).rows[0];
    expect(a).toMatchObject({ title: 'senior', subjects: ['语文', '数学'], phone_mask: '138****1111', version: 2 });
    expect(await count('SELECT count(*)::int AS n FROM teacher_roles WHERE teacher_id = $1', [a.id])).toBe(2);
    const hist = (await get('city.admin', `/api/teachers/${a.id}/history`)).json();
    expect(hist[0].source).toBe('import');
    expect(hist[0].changes).toEqual({ title: { from: 'first', to: 'senior' } });
  });

  it('is atomic: a failure in the middle of the commit leaves nothing behind', async () => {
    const ids = [newId(), newId(), newId()];
    const p = (
      await upload(
        'city.admin',
        'atomic.xlsx',
        await xlsx(ids.map((id, i) => ({ 姓名: i === 2 ? '原子失败' : `原子${i}`, 身份证号: id, 学校: '甲区第一小学', 学段: '小学' }))),
      )
    ).json();
    expect(p.counts.create).toBe(3);
    await t.db.exec(`CREATE FUNCTION qs_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = '原子失败' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER qs_fail BEFORE INSERT ON teachers FOR EACH ROW EXECUTE FUNCTION qs_fail();`);
    const before = await count('SELECT count(*)::int AS n FROM teacher_changes');
    try {
      const r = await commit('city.admin', p.batchId, 'all');
      expect(r.statusCode).toBe(500);
      expect(r.json().message).toBe('服务器内部错误，请稍后重试');
    } finally {
      await t.db.exec('DROP TRIGGER qs_fail ON teachers; DROP FUNCTION qs_fail();');
    }
    expect(await count(`SELECT count(*)::int AS n FROM teachers WHERE name LIKE '原子%'`)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM teacher_changes')).toBe(before);
    // The batch is still open and now goes through.
    expect((await commit('city.admin', p.batchId, 'all')).json()).toMatchObject({ created: 3 });
  });

  it('re-checks at commit: a teacher registered elsewhere after the preview stops an "all" import', async () => {
    const id = newId();
    const p = (
      await upload(
        'county.admin',
        'late.xlsx',
        await xlsx([
          { 姓名: '后来者', 身份证号: id, 学校: '甲区第一小学', 学段: '小学' },
          { 姓名: '正常者', 身份证号: newId(), 学校: '甲区第一小学', 学段: '小学' },
        ]),
      )
    ).json();
    expect(p.counts.create).toBe(2);
    await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school3, { name: '乙县先登记', nationalId: id }));
    const r = await commit('county.admin', p.batchId, 'all');
    expect(r.statusCode).toBe(409);
    expect(await count(`SELECT count(*)::int AS n FROM teachers WHERE name = '正常者'`)).toBe(0);
    expect((await commit('county.admin', p.batchId, 'validOnly')).json()).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 1 });
  });
});

describe('scope', () => {
  it('a school admin cannot import into another school nor take over a teacher registered elsewhere', async () => {
    const elsewhere = buildTeacher(w.school3, { name: '乙县老师' });
    await createTeacher(t.ctx, w.cityAdmin, elsewhere);
    const r = await upload(
      'school.admin',
      'scope.xlsx',
      await xlsx([
        { 姓名: '乙县老师', 身份证号: elsewhere.nationalId, 学校: '甲区第一小学', 学段: '小学' },
        { 姓名: '别校老师', 身份证号: newId(), 学校: '甲区第二中学', 学段: '初中' },
        { 姓名: '本校老师', 身份证号: newId(), 学校: '甲区第一小学', 学段: '小学' },
      ]),
    );
    const body = r.json();
    expect(body.counts).toEqual({ create: 1, update: 0, unchanged: 0, conflict: 0, error: 2 });
    expect(body.errors).toEqual([
      { row: 2, column: '身份证号', field: 'nationalId', message: '该教师已在其他单位登记，需由原单位调出' },
      { row: 3, column: '学校', field: 'orgId', message: '学校“甲区第二中学”不存在或不在您的管辖范围内' },
    ]);
    expect(JSON.stringify(body)).not.toContain('乙县第一中学');
  });

  it('teachers may not import or export', async () => {
    expect((await upload('teacher', 'x.xlsx', await xlsx([]))).statusCode).toBe(403);
    expect((await get('teacher', '/api/teachers/export')).statusCode).toBe(403);
    expect((await get('teacher', '/api/teachers/import/template')).statusCode).toBe(403);
  });
});

describe('files', () => {
  it('reads a GBK-encoded CSV from Chinese Excel', async () => {
    const id = newId('1979-04-04');
    const csv = `姓名,身份证号,学校,学段,任教学科,职称,岗位角色\r\n欧阳春晓,${id},甲区第一小学,小学,"语文、道德与法治",二级教师,班主任\r\n`;
    const r = await upload('county.admin', 'gbk.csv', iconv.encode(csv, 'gbk'));
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.errors).toEqual([]);
    expect(body.rows[0]).toMatchObject({ row: 2, name: '欧阳春晓', orgName: '甲区第一小学', action: 'create' });
    await commit('county.admin', body.batchId, 'all');
    const s = (await t.db.query<{ subjects: string[]; title: string }>(`SELECT subjects, title FROM teachers WHERE name = '欧阳春晓'`)).rows[0];
    expect(s).toEqual({ subjects: ['语文', '道德与法治'], title: 'second' });
  });

  it('a CSV with the ID mangled to 1.50102E+17 gets the scientific-notation message', async () => {
    const r = await upload('county.admin', 'sci.csv', Buffer.from(`姓名,身份证号,学校,学段\n王五,1.50102E+17,甲区第一小学,小学\n`));
    expect(r.json().errors).toEqual([{ row: 2, column: '身份证号', field: 'nationalId', message: NATIONAL_ID_MESSAGES.scientific }]);
  });

  it('odd cells (numbers, long digit strings, formulas) become row errors, never a 500', async () => {
    const r = await upload(
      'county.admin',
      'odd.xlsx',
      await xlsx([
        { 姓名: 12345678901234567890, 身份证号: newId(), 学校: '甲区第一小学', 学段: '小学', 资格证编号: 12345678901234567890, 党员: '也许', 岗位角色: '校长' },
        { 姓名: { formula: 'CONCATENATE("公式","张三")', result: '公式张三' }, 身份证号: newId(), 学校: '甲区第一小学', 学段: '小学', 资格证编号: 20101500001 },
      ]),
    );
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`).sort()).toEqual([
      '2:name',
      '2:partyMember',
      '2:qualificationNo',
      '2:roles',
      '3:name',
    ]);
    // A formula cell is never replaced by its display text: it is refused, naming the cell.
    expect(body.errors.find((e: { row: number }) => e.row === 3)).toEqual({
      row: 3,
      column: '姓名',
      field: 'name',
      cell: 'A3',
      message: '单元格 A3 是公式，请改为直接填写的内容（复制后“选择性粘贴 → 数值”）',
    });
    expect(body.rows[1]).toMatchObject({ name: '公式张三', action: 'error' });
  });

  it('a file with the wrong headers is a 400 naming the missing columns', async () => {
    const r = await upload('county.admin', 'h.csv', Buffer.from('姓名,身份证号\n张三,1\n'));
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('表头缺少必填列：“学校”、“学段”。请使用导入模板');
  });

  it('a file named .xlsx that is not a zip is a 400 in Chinese', async () => {
    const r = await upload('county.admin', 'fake.xlsx', Buffer.from('这不是 Excel 文件'));
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('不是有效的 Excel');
  });

  it('a zip bomb is refused: declared (413) and disguised (413)', async () => {
    const declared = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(2000), declaredSize: 4_000_000_000 },
    ]);
    const r1 = await upload('county.admin', 'bomb.xlsx', declared);
    expect(r1.statusCode).toBe(413);
    expect(r1.json().message).toContain('解压后超过');
    const disguised = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20_000_000), declaredSize: 1000 }]);
    const r2 = await upload('county.admin', 'bomb2.xlsx', disguised);
    expect(r2.statusCode).toBe(413);
    expect(r2.json().message).toContain('压缩炸弹');
  });

  it('an upload over 10 MB is 413 with a Chinese message', async () => {
    const r = await upload('county.admin', 'big.csv', Buffer.alloc(10 * 1024 * 1024 + 10, 0x41));
    expect(r.statusCode).toBe(413);
    expect(r.json().message).toContain('10 MB');
  });

  it('a request without a file is a 400', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/teachers/import/preview', payload: {}, headers: { cookie: cookies['county.admin'] } });
    expect([400, 415]).toContain(r.statusCode);
    expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('the error report lists every error of the batch', async () => {
    const p = (await upload('county.admin', '错误.xlsx', await xlsx([{ 姓名: '甲', 身份证号: '123', 学校: '甲区第一小学', 学段: '大学' }]))).json();
    expect(p.fileName).toBe('错误.xlsx');
    const r = await get('county.admin', `/api/teachers/import/${p.batchId}/errors`);
    expect(r.statusCode).toBe(200);
    const rows = sheetValues((await readBook(r.rawPayload)).worksheets[0]);
    expect(rows[0]).toEqual(['行号', '单元格', '列', '错误说明', '姓名', '身份证号']);
    expect(
      rows
        .slice(1)
        .map((x) => x[2])
        .sort(),
    ).toEqual(['姓名', '学段', '身份证号'].sort());
    // The list carries 身份证号 as uploaded: its download is audited like an export.
    const line = await t.db.query<{ detail: { rows: number } }>(`SELECT detail FROM audit_log WHERE action = 'teacher.import.errors' AND entity_id = $1`, [
      String(p.batchId),
    ]);
    expect(line.rows.map((l) => l.detail.rows)).toEqual([rows.length - 1]);
    expect((await get('city.admin', `/api/teachers/import/${p.batchId}/errors`)).statusCode).toBe(404);
  });
});

describe('export', () => {
  it('exports the filtered list with masks, Chinese labels, neutralised cells and an audit line', async () => {
    const evil = buildTeacher(w.school3, { name: '=HYPERLINK("http://x","y")', title: 'first', roles: [{ role: 'homeroom', since: '2021-09-01' }] });
    await createTeacher(t.ctx, w.cityAdmin, evil);
    const r = await get('city.admin', `/api/teachers/export?orgId=${w.school3}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('教师名单.xlsx')}`);
    const rows = sheetValues((await readBook(r.rawPayload)).worksheets[0]);
    const header = rows[0] as string[];
    expect(header.slice(0, 6)).toEqual(['姓名', '身份证号', '性别', '出生日期', '手机号', '学校']);
    const data = rows.slice(1);
    expect(data.length).toBe(Number(r.headers['x-row-count']));
    expect(data.every((x) => x[header.indexOf('学校')] === '乙县第一中学')).toBe(true);
    const row = data.find((x) => String(x[0]).includes('HYPERLINK'))!;
    expect(row[0]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(row[1]).toBe(`${evil.nationalId.slice(0, 4)}**********${evil.nationalId.slice(-4)}`);
    expect(row[header.indexOf('职称')]).toBe('一级教师');
    expect(row[header.indexOf('岗位角色')]).toBe('班主任');
    expect(row[header.indexOf('班主任起始日期')]).toBe('2021-09-01');
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).not.toContain(evil.phone!);
    const log = await t.db.query<{ detail: { rows: number; filters: Record<string, unknown> } }>(
      `SELECT detail FROM audit_log WHERE action = 'teacher.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(log.rows[0].detail.rows).toBe(data.length);
    expect(log.rows[0].detail.filters).toMatchObject({ orgId: w.school3 });
  });

  it('a school admin exports only their school', async () => {
    const rows = sheetValues((await readBook((await get('school.admin', '/api/teachers/export')).rawPayload)).worksheets[0]).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((x) => x[5] === '甲区第一小学')).toBe(true);
  });
});
