import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAll, worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { makeNationalId } from '../../demo/national-ids.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { IMPORT_COLUMNS } from './teachers.import-columns.js';
import { purgeStaleImportBatches } from './teachers.import.js';

let t: TestApp;
let w: World;
let cookies: Cookies;

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  const hash = await hashPassword(PASSWORD);
  // Admins outside 甲区 (where school.admin uploads): another county's bureau and another school.
  await insertUser(t.db, { username: 'county2.admin', passwordHash: hash, displayName: '乙县管理员', role: 'bureauAdmin', orgId: w.county2 });
  await insertUser(t.db, { username: 'school3.admin', passwordHash: hash, displayName: '乙县一中管理员', role: 'schoolAdmin', orgId: w.school3 });
  Object.assign(cookies, await loginAll(t.app, ['county2.admin', 'school3.admin']));
});
afterAll(async () => t?.close());

let idSeq = 700;
async function oneRowFile(): Promise<Buffer> {
  const headers = IMPORT_COLUMNS.map((c) => c.header);
  const row: Record<string, unknown> = {
    姓名: `保留测试${idSeq}`,
    身份证号: makeNationalId('150105', '1986-05-20', idSeq++, 'female'),
    学校: '甲区第一小学',
    学段: '小学',
    任教学科: '语文',
  };
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('教师信息');
  ws.addRow(headers);
  ws.getColumn(headers.indexOf('身份证号') + 1).numFmt = '@';
  ws.addRow(headers.map((h) => row[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Preview a one-row file as `user`; the batch id. */
async function preview(user = 'school.admin'): Promise<number> {
  const m = multipartFile('教师.xlsx', await oneRowFile());
  const r = await t.app.inject({ method: 'POST', url: '/api/teachers/import/preview', payload: m.payload, headers: { ...m.headers, cookie: cookies[user] } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ batchId: number }>().batchId;
}
const discard = (user: string, batchId: number | string) =>
  t.app.inject({ method: 'DELETE', url: `/api/teachers/import/${batchId}`, headers: { cookie: cookies[user] } });
const batchExists = async (id: number) => (await t.db.query('SELECT 1 FROM import_batches WHERE id = $1', [id])).rows.length === 1;

describe('DELETE /api/teachers/import/:batchId (放弃)', () => {
  it('lets the uploader discard a previewed batch: the stored rows are deleted, audited, and it can no longer be committed', async () => {
    const id = await preview();
    const r = await discard('school.admin', id);
    expect(r.statusCode, r.body).toBe(204);
    expect(await batchExists(id)).toBe(false);
    const a = await t.db.query<{ action: string; detail: { fileName: string; uploaderId: number } }>(
      "SELECT action, detail FROM audit_log WHERE entity = 'import_batch' AND entity_id = $1 AND action = 'teacher.import.discard'",
      [String(id)],
    );
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0].detail.fileName).toBe('教师.xlsx');
    const c = await t.app.inject({
      method: 'POST',
      url: `/api/teachers/import/${id}/commit`,
      payload: { mode: 'all' },
      headers: { cookie: cookies['school.admin'] },
    });
    expect(c.statusCode).toBe(404);
    expect((await discard('school.admin', id)).statusCode).toBe(404);
  });

  it('lets an admin whose subtree holds the uploader discard it', async () => {
    for (const admin of ['county.admin', 'city.admin']) {
      const id = await preview();
      expect((await discard(admin, id)).statusCode).toBe(204);
      expect(await batchExists(id)).toBe(false);
    }
  });

  it('answers 404 to admins outside the scope and 403 to a teacher, and keeps the batch', async () => {
    const id = await preview();
    for (const admin of ['county2.admin', 'school3.admin']) {
      const r = await discard(admin, id);
      expect(r.statusCode).toBe(404);
      expect(r.json<{ message: string }>().message).toContain('导入批次');
    }
    expect((await discard('teacher', id)).statusCode).toBe(403);
    expect(await batchExists(id)).toBe(true);
  });

  it('refuses a committed batch (409) and answers 404 for an unknown one, 400 for a bad id', async () => {
    const id = await preview();
    const c = await t.app.inject({
      method: 'POST',
      url: `/api/teachers/import/${id}/commit`,
      payload: { mode: 'all' },
      headers: { cookie: cookies['school.admin'] },
    });
    expect(c.statusCode, c.body).toBe(200);
    const r = await discard('school.admin', id);
    expect(r.statusCode).toBe(409);
    expect(await batchExists(id)).toBe(true);
    expect((await discard('school.admin', 999999)).statusCode).toBe(404);
    expect((await discard('school.admin', 'abc')).statusCode).toBe(400);
  });
});

describe('purge of stale uncommitted batches', () => {
  it('deletes previewed batches older than 24 h of every kind, keeps fresh and committed ones, and audits the purge', async () => {
    const oldPreview = await preview();
    const freshPreview = await preview();
    const oldCommitted = await preview();
    const c = await t.app.inject({
      method: 'POST',
      url: `/api/teachers/import/${oldCommitted}/commit`,
      payload: { mode: 'all' },
      headers: { cookie: cookies['school.admin'] },
    });
    expect(c.statusCode, c.body).toBe(200);
    // Another module's batch (same table, other kind) is kept the same way.
    const other = (
      await t.db.query<{ id: number }>(
        "INSERT INTO import_batches (kind, user_id, org_id, file_name, file_sha256, rows) SELECT 'other', a.user_id, a.org_id, 'x.xlsx', 'h', '[]' FROM users u JOIN active_user_roles a ON a.user_id = u.id WHERE u.username = 'city.admin' RETURNING id",
      )
    ).rows[0].id;
    await t.db.query("UPDATE import_batches SET created_at = now() - interval '25 hours' WHERE id = ANY($1::int[])", [[oldPreview, oldCommitted, other]]);
    await t.db.query("UPDATE import_batches SET created_at = now() - interval '23 hours' WHERE id = $1", [freshPreview]);
    const before = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'import_batch.purge'")).rows[0].n;

    expect(await purgeStaleImportBatches(t.ctx)).toBe(2);
    expect(await batchExists(oldPreview)).toBe(false);
    expect(await batchExists(other)).toBe(false);
    expect(await batchExists(freshPreview)).toBe(true);
    expect(await batchExists(oldCommitted)).toBe(true);
    const a = await t.db.query<{ detail: { byKind: Record<string, number> } }>(
      "SELECT detail FROM audit_log WHERE action = 'import_batch.purge' ORDER BY id DESC LIMIT 1",
    );
    expect(a.rows[0].detail.byKind).toEqual({ other: 1, teachers: 1 });

    // Nothing left to purge: no deletion, no further audit line.
    expect(await purgeStaleImportBatches(t.ctx)).toBe(0);
    expect((await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'import_batch.purge'")).rows[0].n).toBe(before + 1);
  });
});
