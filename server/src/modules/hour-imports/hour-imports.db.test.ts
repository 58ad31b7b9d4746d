import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { writeXlsx } from '../../platform/excel.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { createSession } from '../../platform/auth.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';
import { importDedupeKey } from './hour-imports.parse.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
const people: { id: number; name: string; nationalId: string }[] = [];
let farId = '';

/** multipart/form-data with optional text fields before the file, for app.inject. */
function form(fileName: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----qs${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
  );
  parts.push(content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const post = (who: string, url: string, fileName: string, content: Buffer, fields: Record<string, string> = {}) => {
  const f = form(fileName, content, fields);
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: cookies[who] } });
};
const get = (who: string, url: string) => t.app.inject({ url, headers: { cookie: cookies[who] } });

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
  const zhang = (await t.db.query<{ name: string }>('SELECT name FROM teachers WHERE id = $1', [w.teacherId])).rows[0];
  for (const name of ['李晓梅', '王建国']) {
    const input = buildTeacher(w.school1, { name });
    people.push({ id: await createTeacher(t.ctx, w.cityAdmin, input), name, nationalId: input.nationalId });
  }
  // 李晓梅 has a login account, 王建国 has none.
  const liUser = await insertUser(t.db, {
    username: 'li.teacher',
    passwordHash: 'x',
    displayName: '李晓梅',
    role: 'teacher',
    orgId: w.school1,
    teacherId: people[0].id,
  });
  cookies['li.teacher'] = `qs_session=${(await createSession(t.db, liUser)).token}`;
  const far = buildTeacher(w.school3, { name: '赵远' });
  await createTeacher(t.ctx, w.cityAdmin, far);
  farId = far.nationalId;
  expect(zhang.name).toBe('张老师');
});
afterAll(async () => t?.close());

const HEAD = ['序号', '姓名', '身份证号', '课程名称', '学时', '完成时间', '培训类别'];

/** A 国家中小学智慧教育平台-style export: a title line, then the header, then the records. */
let cached: Buffer | null = null;
async function platformXlsx(): Promise<Buffer> {
  const [li, wang] = people;
  // Built once: the same bytes every time, as when a user uploads the same file again.
  cached ??= await writeXlsx([
    {
      name: '学习记录',
      columns: HEAD.map((h) => ({ header: h, text: h === '身份证号' })),
      rows: [
        [1, li.name, li.nationalId, '2025年暑期教师研修：师德专题', 2, '2025-07-10', '师德修养'],
        [2, li.name, li.nationalId, '人工智能赋能课堂教学', 1.5, '2025-07-12', '数字素养'],
        [3, wang.name, wang.nationalId, '2025年暑期教师研修：师德专题', 2, '2025-07-10', '师德修养'],
        [4, wang.name, wang.nationalId, '2025年暑期教师研修：师德专题', 2, '2025-07-10', '师德修养'],
        [5, '赵远', farId, '班主任工作案例', 3, '2025-07-11', '班主任'],
        [6, '钱多多', '11010519491231002X', '班主任工作案例', 3, '2025-07-11', '班主任'],
        [7, li.name, li.nationalId, '作业设计', 'abc', '2025-07-11', '学科教学'],
        [8, li.name, li.nationalId, '作业设计', 1, '2025-13-40', '学科教学'],
        [9, '王建', wang.nationalId, '作业设计', 1, '2025-07-11', '学科教学'],
      ],
    },
  ]);
  return cached;
}

const MAPPING = {
  platform: 'smartEdu',
  headerRow: 1,
  columns: { name: 1, nationalId: 2, course: 3, hours: 4, date: 5, category: 6 },
  categoryMap: { 师德修养: 'ethics', 数字素养: 'it' },
};

const importEntries = async () =>
  (
    await t.db.query<{ teacher_id: number; hours: number; category: string }>(
      `SELECT teacher_id, hours, category FROM ledger_entries WHERE source_type = 'import' ORDER BY id`,
    )
  ).rows;

describe('platform hour imports', () => {
  let runId: number;

  it('analyses the file: headers, masked samples, guessed mapping and category values', async () => {
    const r = await post('school.admin', '/api/hour-imports/analyse', '智慧教育平台导出.xlsx', await platformXlsx());
    expect(r.statusCode).toBe(200);
    const a = r.json();
    expect(a.headerRow).toBe(1);
    expect(a.dataRows).toBe(9);
    expect(a.columns.map((c: { header: string }) => c.header)).toEqual(HEAD);
    expect(a.guess.columns).toEqual(MAPPING.columns);
    expect(a.columnValues['6']).toEqual(['学科教学', '师德修养', '数字素养', '班主任'].sort());
    expect(a.guess.categoryGuesses).toMatchObject({ 师德修养: 'ethics', 数字素养: 'it', 班主任: 'homeroom', 学科教学: 'subject' });
    expect(JSON.stringify(a.sample)).not.toContain(people[0].nationalId);
    expect(a.previousRuns).toEqual([]);
  });

  it('a dry run reports without writing', async () => {
    const r = await post('school.admin', '/api/hour-imports?dryRun=1', 'a.xlsx', await platformXlsx(), { mapping: JSON.stringify(MAPPING) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ dryRun: true, runId: null, added: 3, skipped: 1, rejected: 5 });
    expect(await importEntries()).toEqual([]);
  });

  it('imports matched rows into the ledger and reports added / skipped / rejected with row numbers', async () => {
    const r = await post('school.admin', '/api/hour-imports', '智慧教育平台导出.xlsx', await platformXlsx(), { mapping: JSON.stringify(MAPPING) });
    expect(r.statusCode).toBe(200);
    const rep = r.json();
    runId = rep.runId;
    expect(rep).toMatchObject({ dryRun: false, total: 9, added: 3, skipped: 1, rejected: 5, hoursAdded: 5.5, teachers: 2 });
    expect(rep.skippedRows).toEqual([{ row: 5, message: '与文件第 4 行重复（同一教师、课程、完成时间）' }]);
    expect(rep.rejectedRows).toEqual([
      { row: 6, message: '未找到该身份证号对应的教师，或该教师不在您的管辖范围内' }, // another county: out of scope
      { row: 7, message: '未找到该身份证号对应的教师，或该教师不在您的管辖范围内' }, // nobody
      { row: 8, message: '学时「abc」无效，应为大于 0 的数' },
      { row: 9, message: expect.stringContaining('完成时间无效') },
      { row: 10, message: '姓名「王建」与系统中该身份证号的教师姓名不一致' },
    ]);
    expect(await importEntries()).toEqual([
      { teacher_id: people[0].id, hours: 2, category: 'ethics' },
      { teacher_id: people[0].id, hours: 1.5, category: 'it' },
      { teacher_id: people[1].id, hours: 2, category: 'ethics' },
    ]);
  });

  it('is idempotent: the same file again adds nothing', async () => {
    const again = await post('school.admin', '/api/hour-imports', '智慧教育平台导出.xlsx', await platformXlsx(), { mapping: JSON.stringify(MAPPING) });
    expect(again.json()).toMatchObject({ added: 0, skipped: 4, rejected: 5, hoursAdded: 0 });
    expect(again.json().skippedRows.filter((s: { message: string }) => s.message.startsWith('已导入过'))).toHaveLength(3);
    expect(await importEntries()).toHaveLength(3);
    const a = (await post('school.admin', '/api/hour-imports/analyse', 'x.xlsx', await platformXlsx())).json();
    expect(a.previousRuns.length).toBe(2);
  });

  it('de-duplicates against what the ledger already holds, whatever file it came from (GBK CSV here)', async () => {
    const [li] = people;
    // The county imported this record earlier from another export.
    await recordLedgerEntries(t.db, [
      {
        teacherId: li.id,
        hours: 4,
        category: 'subject',
        occurredOn: '2025-08-01',
        sourceType: 'import',
        description: '早先导入',
        dedupeKey: importDedupeKey('smartEdu', { nationalId: li.nationalId, course: '大单元教学设计', date: '2025-08-01' }),
      },
    ]);
    const csv = iconv.encode(
      [
        '姓名,身份证号,课程名称,学时,完成时间',
        `${li.name},${li.nationalId},大单元教学设计,4,2025/8/1`,
        `${li.name},${li.nationalId},跨学科主题学习,3学时,2025年8月2日`,
      ].join('\r\n'),
      'gbk',
    );
    const mapping = { platform: 'smartEdu', columns: { name: 0, nationalId: 1, course: 2, hours: 3, date: 4 }, defaultCategory: 'subject' };
    const r = await post('county.admin', '/api/hour-imports', '平台导出.csv', csv, { mapping: JSON.stringify(mapping) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ added: 1, skipped: 1, rejected: 0, hoursAdded: 3 });
    expect(r.json().skippedRows).toEqual([{ row: 2, message: '已导入过：学时档案中已有这条记录' }]);
  });

  it('notifies the teachers whose hours arrived, never the importer', async () => {
    const mine = (await get('school.admin', '/api/notifications')).json().items;
    expect(mine.filter((i: { title: string }) => i.title.startsWith('平台学时导入完成'))).toEqual([]);
    const li = (await get('li.teacher', '/api/notifications')).json().items;
    expect(li.filter((i: { title: string }) => i.title === '您在国家中小学智慧教育平台的学习记录已计入学时档案')).toHaveLength(2); // the xlsx run and the CSV run
    const n = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1', [`hour-import:${runId}`])).rows[0].n;
    expect(n).toBe(1); // 王建国 has no account; nobody else was told
  });

  it('keeps the run with its report, scoped, and exports it to Excel', async () => {
    const list = (await get('school.admin', '/api/hour-imports')).json();
    expect(list.total).toBe(2);
    const run = (await get('school.admin', `/api/hour-imports/${runId}`)).json();
    expect(run).toMatchObject({ id: runId, added: 3, skipped: 1, rejected: 5, platform: 'smartEdu', fileName: '智慧教育平台导出.xlsx' });
    expect(run.report.rejectedRows).toHaveLength(5);
    expect(JSON.stringify(run)).not.toContain(people[0].nationalId);
    expect((await get('county.admin', `/api/hour-imports/${runId}`)).statusCode).toBe(200);
    const xlsx = await get('school.admin', `/api/hour-imports/${runId}/report.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses bad mappings, bad files and the wrong people', async () => {
    const bad = await post('school.admin', '/api/hour-imports', 'a.xlsx', await platformXlsx(), {
      mapping: JSON.stringify({ ...MAPPING, columns: { ...MAPPING.columns, course: 2 } }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('同一列不能对应两个字段');
    const none = await post('school.admin', '/api/hour-imports', 'a.xlsx', await platformXlsx());
    expect(none.statusCode).toBe(400);
    expect(none.json().fields[0].field).toBe('mapping');
    const junk = await post('school.admin', '/api/hour-imports/analyse', 'a.xlsx', Buffer.from('not a spreadsheet at all'));
    expect(junk.statusCode).toBe(400);
    expect((await post('teacher', '/api/hour-imports/analyse', 'a.xlsx', await platformXlsx())).statusCode).toBe(403);
    expect((await get('teacher', '/api/hour-imports')).statusCode).toBe(403);
  });
});
