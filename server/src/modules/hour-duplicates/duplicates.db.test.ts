import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { createOpenProject } from '../../../../test/projects.js';
import { createSession } from '../../platform/auth.js';
import { writeXlsx } from '../../platform/excel.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';

// The same course arriving through a platform import and a teacher's claim (and the other way round) is
// flagged to the reviewer / importer with the match; different courses on the same dates and the same
// course a year apart are not. The reviewer decides: approve with a reason (recorded) or reject as duplicate.

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
let liu: { id: number; name: string; nationalId: string };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const HEAD = ['姓名', '身份证号', '课程名称', '学时', '完成时间'];
const MAPPING = { platform: 'smartEdu', headerRow: 1, columns: { name: 0, nationalId: 1, course: 2, hours: 3, date: 4 }, defaultCategory: 'it' };

function form(fileName: string, content: Buffer, fields: Record<string, string>) {
  const boundary = `----qs${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
  );
  parts.push(content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const xlsx = (rows: (string | number)[][]) => writeXlsx([{ name: '学习记录', columns: HEAD.map((h) => ({ header: h, text: h === '身份证号' })), rows }]);
async function importFile(rows: (string | number)[][], opts: { dryRun?: boolean; skipRows?: number[] } = {}) {
  const fields: Record<string, string> = { mapping: JSON.stringify(MAPPING) };
  if (opts.skipRows) fields.skipRows = JSON.stringify(opts.skipRows);
  const f = form('智慧教育平台导出.xlsx', await xlsx(rows), fields);
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/hour-imports${opts.dryRun ? '?dryRun=1' : ''}`,
    payload: f.payload,
    headers: { ...f.headers, cookie: cookies['school.admin'] },
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

const req = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] } });
const act = (who: string, id: number, body: Record<string, unknown>) => req(who, 'POST', `/api/claims/${id}/transitions`, body);

async function submittedClaim(title: string, hours: number, occurredOn: string): Promise<number> {
  const c = await req('liu', 'POST', '/api/claims', { title, category: 'it', hours, occurredOn, description: '' });
  expect(c.statusCode, c.body).toBe(201);
  const m = multipartFile('结业证书.pdf', PDF);
  const up = await t.app.inject({
    method: 'POST',
    url: `/api/claims/${c.json().id}/files`,
    payload: m.payload,
    headers: { ...m.headers, cookie: cookies.liu },
  });
  expect(up.statusCode).toBe(201);
  expect((await act('liu', c.json().id, { action: 'submit' })).statusCode).toBe(200);
  return c.json().id;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin']) cookies[u] = await login(t.app, u, PASSWORD);
  const input = buildTeacher(w.school1, { name: '刘思远' });
  liu = { id: await createTeacher(t.ctx, w.cityAdmin, input), name: '刘思远', nationalId: input.nationalId };
  const u = await insertUser(t.db, { username: 'liu', passwordHash: 'x', displayName: '刘思远', role: 'teacher', orgId: w.school1, teacherId: liu.id });
  cookies.liu = `qs_session=${(await createSession(t.db, u)).token}`;
});
afterAll(async () => t?.close());

describe('likely duplicate hours across sources', () => {
  let dupClaim: number;
  let otherCourse: number;
  let lastYear: number;

  it('a claim for a course the teacher already has from a platform import is flagged with the match', async () => {
    const run = await importFile([[liu.name, liu.nationalId, '2025年暑期教师研修（第二期）', 10, '2025-08-18']]);
    expect(run).toMatchObject({ added: 1, duplicateRows: [] });
    dupClaim = await submittedClaim('暑期教师研修', 10, '2025-08-20');
    otherCourse = await submittedClaim('中小学心理健康教育专题', 10, '2025-08-19');
    lastYear = await submittedClaim('2024年暑期教师研修', 10, '2024-08-20');

    const d = (await req('school.admin', 'GET', `/api/claims/${dupClaim}`)).json();
    expect(d.duplicates).toHaveLength(1);
    expect(d.duplicates[0]).toMatchObject({
      kind: 'ledger',
      source: 'import',
      sourceLabel: '平台导入',
      title: '2025年暑期教师研修（第二期）',
      hours: 10,
      occurredOn: '2025-08-18',
    });
    expect(d.duplicates[0].similarity).toBe(1);

    const list = (await req('school.admin', 'GET', '/api/claims?pending=1')).json();
    const count = (id: number) => list.items.find((c: { id: number }) => c.id === id).duplicateCount;
    expect([count(dupClaim), count(otherCourse), count(lastYear)]).toEqual([1, 0, 0]);
  });

  it('a different course on the same dates and the same course a year earlier are not flagged', async () => {
    expect((await req('school.admin', 'GET', `/api/claims/${otherCourse}`)).json().duplicates).toEqual([]);
    expect((await req('school.admin', 'GET', `/api/claims/${lastYear}`)).json().duplicates).toEqual([]);
  });

  it('approving a likely duplicate needs a reason; bulk approval leaves it for a decision of its own', async () => {
    const bare = await act('school.admin', dupClaim, { action: 'schoolApprove' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().message).toContain('可能与已有学时重复');
    expect(bare.json().fields).toEqual([{ field: 'duplicateReason', message: '请填写仍然通过的理由' }]);

    const batch = await req('school.admin', 'POST', '/api/claims/batch', { ids: [dupClaim, otherCourse], action: 'schoolApprove' });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().succeeded).toEqual([otherCourse]);
    expect(batch.json().failed[0].message).toContain('可能重复');
    expect((await req('school.admin', 'GET', `/api/claims/${dupClaim}`)).json().status).toBe('submitted');
  });

  it('the reviewer approves it anyway with a reason, recorded with the match', async () => {
    const ok = await act('school.admin', dupClaim, { action: 'schoolApprove', duplicateReason: '平台记录为线上部分，申报为线下集中研修，不重复' });
    expect(ok.statusCode, ok.body).toBe(200);
    const ev = (
      await t.db.query<{ duplicates: { source: string }[]; duplicate_reason: string }>(
        `SELECT duplicates, duplicate_reason FROM hour_claim_events WHERE claim_id = $1 AND action = 'schoolApprove'`,
        [dupClaim],
      )
    ).rows[0];
    expect(ev.duplicate_reason).toBe('平台记录为线上部分，申报为线下集中研修，不重复');
    expect(ev.duplicates.map((m) => m.source)).toEqual(['import']);
    const audited = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'claim.approveDuplicate' AND entity_id = $1`, [String(dupClaim)]);
    expect(audited.rows).toHaveLength(1);
  });

  it('or rejects it as a duplicate: the decision keeps the match it was based on', async () => {
    const again = await submittedClaim('暑期教师研修（线上）', 9, '2025-08-22');
    const r = await act('school.admin', again, { action: 'reject', comment: '重复申报：已由平台导入计入学时' });
    expect(r.statusCode).toBe(200);
    const d = (await req('liu', 'GET', `/api/claims/${again}`)).json();
    expect(d.status).toBe('rejected');
    // Decided: the matches shown are those the reviewer saw (the import and the claim approved above, still under review).
    expect(d.duplicates.map((m: { source: string }) => m.source).sort()).toEqual(['claimPending', 'import']);
  });

  it('the import preview flags a row matching a claim under review; the importer leaves it out or writes it, never silently', async () => {
    const claim = await submittedClaim('信息技术应用能力提升工程2.0', 30, '2025-06-10');
    const rows = [
      [liu.name, liu.nationalId, '信息技术应用能力提升工程 2.0（2025年）', 30, '2025-06-12'],
      [liu.name, liu.nationalId, '新课标解读：初中数学', 6, '2025-06-12'],
    ];
    const preview = await importFile(rows, { dryRun: true });
    expect(preview).toMatchObject({ added: 2 });
    expect(preview.duplicateRows).toHaveLength(1);
    expect(preview.duplicateRows[0]).toMatchObject({ row: 2, teacherName: '刘思远', hours: 30, written: true });
    expect(preview.duplicateRows[0].matches[0]).toMatchObject({ kind: 'claim', id: claim, sourceLabel: '个人申报（审核中）' });

    const left = await importFile(rows, { skipRows: [2] });
    expect(left).toMatchObject({ added: 1, skipped: 1 });
    expect(left.skippedRows[0].row).toBe(2);
    expect(left.skippedRows[0].message).toMatch(
      /^疑似重复，按导入人的决定未导入：与「信息技术应用能力提升工程2\.0」（个人申报（审核中），2025-06-10，30 学时）重复/,
    );
    expect(left.duplicateRows[0]).toMatchObject({ row: 2, written: false });
    const stored = (await req('school.admin', 'GET', `/api/hour-imports/${left.runId}`)).json();
    expect(stored.report.duplicateRows[0]).toMatchObject({ row: 2, written: false });
    expect(JSON.stringify(stored.report)).not.toContain('刘思远');

    const written = await importFile(rows);
    expect(written).toMatchObject({ added: 1, skipped: 1 });
    expect(written.duplicateRows[0]).toMatchObject({ row: 2, written: true });
    // And now the claim shows the imported hours as a likely duplicate.
    const d = (await req('school.admin', 'GET', `/api/claims/${claim}`)).json();
    expect(d.duplicates.map((m: { source: string }) => m.source)).toContain('import');
  });

  it("a claim for a project's session the teacher was already recognised for is flagged with the project", async () => {
    const p = (
      await t.db.query<{ id: number }>(
        `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
         VALUES ($1, 'DUP-P1', '甲区初中数学骨干教师研修', 'county', 'inPerson', '{subject}', 6, '2025-03-01', '2025-03-31', 'closed') RETURNING id`,
        [w.county1],
      )
    ).rows[0].id;
    const s = (
      await t.db.query<{ id: number }>(
        `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
         VALUES ($1, '集中研修', '2025-03-15', '09:00', '15:00', '报告厅', 6, 'subject') RETURNING id`,
        [p],
      )
    ).rows[0].id;
    await t.db.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, session_id, description, dedupe_key)
       VALUES ($1, 6, 'subject', '2025-03-15', 'project', $2, $3, '「甲区初中数学骨干教师研修」集中研修', $4)`,
      [liu.id, p, s, `project:${p}:session:${s}:teacher:${liu.id}`],
    );
    const claim = await submittedClaim('初中数学骨干教师研修', 6, '2025-03-16');
    const d = (await req('school.admin', 'GET', `/api/claims/${claim}`)).json();
    expect(d.duplicates).toHaveLength(1);
    expect(d.duplicates[0]).toMatchObject({ kind: 'ledger', source: 'project', sourceLabel: '培训项目', projectId: p, hours: 6, occurredOn: '2025-03-15' });
  });

  it("a project's recognition preview names a teacher's claim for the same course; its own sessions are not duplicates", async () => {
    const p = await createOpenProject(t.app, [cookies['county.admin']], {
      name: '2025年甲区小学科学实验教学研修班',
      startDate: '2025-05-01',
      endDate: '2025-05-31',
    });
    const session = async (date: string) => {
      const r = await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, {
        title: `实验教学 ${date}`,
        date,
        startTime: '09:00',
        endTime: '12:00',
        place: '实验室',
        hours: 3,
        category: 'subject',
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    const s1 = await session('2025-05-10');
    const s2 = await session('2025-05-20');
    const other = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '周明' }));
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [liu.id, other] })).statusCode).toBeLessThan(300);
    for (const sid of [s1, s2])
      for (const tid of [liu.id, other])
        expect((await req('county.admin', 'PUT', `/api/sessions/${sid}/attendance/${tid}`, { present: true })).statusCode).toBe(200);
    // 刘 also claimed the course himself (a week after its last session), still under review.
    await submittedClaim('小学科学实验教学研修', 6, '2025-05-27');

    const preview = async () =>
      (await req('county.admin', 'GET', `/api/projects/${p.id}/recognition`)).json().items as { teacherId: number; duplicates: string[] }[];
    const before = await preview();
    expect(before.find((i) => i.teacherId === liu.id)?.duplicates).toEqual(['「小学科学实验教学研修」（个人申报（审核中），2025-05-27，6 学时）']);
    expect(before.find((i) => i.teacherId === other)?.duplicates).toEqual([]);

    // Recognised: the project's own ledger entries never count as duplicates of it; the claim still does.
    await t.db.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, session_id, description, dedupe_key)
       VALUES ($1, 3, 'subject', '2025-05-10', 'project', $2, $3, '「2025年甲区小学科学实验教学研修班」', $4)`,
      [other, p.id, s1, `project:${p.id}:session:${s1}:teacher:${other}`],
    );
    const after = await preview();
    expect(after.find((i) => i.teacherId === other)?.duplicates).toEqual([]);
    expect(after.find((i) => i.teacherId === liu.id)?.duplicates).toHaveLength(1);
  });

  it('rejects a malformed list of rows to leave out with a field message', async () => {
    const f = form('x.xlsx', await xlsx([[liu.name, liu.nationalId, '作业设计', 1, '2025-06-12']]), { mapping: JSON.stringify(MAPPING), skipRows: '["a"]' });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/hour-imports?dryRun=1',
      payload: f.payload,
      headers: { ...f.headers, cookie: cookies['school.admin'] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('skipRows');
  });
});
