import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import type { Role } from '../../platform/access.js';
import { recordCredentials } from '../teachers/teacher-facts.service.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';

let t: TestApp;
let w: World;
let teacher2: number;
const cookies: Record<string, string> = {};

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function account(username: string, role: Role, orgId: number, teacherId: number | null = null): Promise<string> {
  const userId = await insertUser(t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: username, role, orgId, teacherId });
  return `qs_session=${(await createSession(t.db, userId)).token}`;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
  cookies.info1 = await account('info1', 'infoAdmin', w.school1);
  cookies.info2 = await account('info2', 'infoAdmin', w.school2);
  teacher2 = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(w.school1, { name: '李老师' }));
  cookies.teacher2 = await account('teacher2', 'teacher', w.school1, teacher2);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] } });
const upload = (who: string, changeId: number, name: string, content: Buffer) => {
  const m = multipartFile(name, content);
  return t.app.inject({ method: 'POST', url: `/api/records/changes/${changeId}/files`, payload: m.payload, headers: { ...m.headers, cookie: cookies[who] } });
};
const act = (who: string, id: number, action: string, comment?: string) => req(who, 'POST', `/api/records/changes/${id}/transitions`, { action, comment });

const TITLE = { level: 'first', obtainedOn: '2021-09-01', issuer: '甲区职称改革领导小组', number: 'ZC2021-088' };

/** A change by `who`, with one evidence image, 报送. */
async function submitted(who: string, body: Record<string, unknown>): Promise<number> {
  const c = await req(who, 'POST', '/api/records/changes', body);
  expect(c.statusCode, c.body).toBe(201);
  if (body.kind !== 'remove') expect((await upload(who, c.json().id, '证书.png', PNG)).statusCode).toBe(201);
  const s = await act(who, c.json().id, 'submit');
  expect(s.statusCode, s.body).toBe(200);
  return c.json().id;
}

const teacherRow = async (id: number) =>
  (
    await t.db.query<{ title: string | null; title_date: string | null; mandarin_level: string | null; certificates: string[] }>(
      'SELECT title, title_date::text, mandarin_level, certificates FROM teachers WHERE id = $1',
      [id],
    )
  ).rows[0];
const section = (record: { sections: { key: string; entries: unknown[] }[] }, key: string) =>
  record.sections.find((s) => s.key === key) as {
    entries: { entryId: number; title: string; files: unknown[]; display: { label: string; value: string }[] }[];
  };

describe('teacher self-service records (教师档案)', () => {
  let titleChange: number;

  it('a teacher adds a 职称 entry with evidence and 报送s it; nothing is in the record before approval', async () => {
    const bad = await req('teacher', 'POST', '/api/records/changes', { kind: 'add', section: 'title', fields: { level: '', obtainedOn: '2099-01-01' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual(
      expect.arrayContaining([
        { field: 'level', message: '请选择职称等级' },
        { field: 'obtainedOn', message: '取得时间不能晚于今天' },
      ]),
    );
    const c = await req('teacher', 'POST', '/api/records/changes', { kind: 'add', section: 'title', fields: TITLE });
    expect(c.statusCode).toBe(201);
    titleChange = c.json().id;
    expect(c.json()).toMatchObject({ status: 'draft', statusLabel: '草稿', kindLabel: '新增', sectionLabel: '职称', title: '一级教师', editable: true });
    // Evidence is required before 报送.
    const early = await act('teacher', titleChange, 'submit');
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toContain('请上传职称的证明材料');
    const exe = await upload('teacher', titleChange, '证书.exe', Buffer.from('MZ\x90\x00'));
    expect(exe.statusCode).toBe(415);
    expect((await upload('teacher', titleChange, '职称证书.png', PNG)).statusCode).toBe(201);
    const s = await act('teacher', titleChange, 'submit');
    expect(s.statusCode).toBe(200);
    expect(s.json()).toMatchObject({ status: 'pending', statusLabel: '待审核', editable: false });
    const mine = (await req('teacher', 'GET', '/api/my/record')).json();
    expect(section(mine, 'title').entries).toEqual([]);
    expect(mine.openChanges.map((x: { id: number }) => x.id)).toContain(titleChange);
    expect((await teacherRow(w.teacherId)).title).toBeNull();
  });

  it('the school 信息管理员 sees the queue with before/after and the evidence, and approves: the record and the teacher facts change', async () => {
    const q = await req('info1', 'GET', '/api/records/changes?pending=1');
    expect(q.statusCode).toBe(200);
    const item = q.json().items.find((x: { id: number }) => x.id === titleChange);
    expect(item.compare.find((r: { key: string }) => r.key === 'level')).toEqual({
      key: 'level',
      label: '职称等级',
      before: null,
      after: '一级教师',
      changed: true,
    });
    expect(item.allowedActions.map((a: { action: string }) => a.action)).toEqual(['approve', 'return']);
    const detail = (await req('info1', 'GET', `/api/records/changes/${titleChange}`)).json();
    expect(detail.files).toHaveLength(1);
    const img = await req('info1', 'GET', `/api/records/changes/${titleChange}/files/${detail.files[0].id}`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    // The school admin and the county read it but cannot decide.
    expect((await req('county.admin', 'GET', `/api/records/changes/${titleChange}`)).statusCode).toBe(200);
    expect((await act('county.admin', titleChange, 'approve')).statusCode).toBe(403);
    expect((await act('school.admin', titleChange, 'approve')).statusCode).toBe(403);
    const a = await act('info1', titleChange, 'approve');
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ status: 'approved', statusLabel: '已生效', decidedBy: 'info1' });
    expect(await teacherRow(w.teacherId)).toMatchObject({ title: 'first', title_date: '2021-09-01' });
    const mine = (await req('teacher', 'GET', '/api/my/record')).json();
    const entries = section(mine, 'title').entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ title: '一级教师', files: [expect.objectContaining({ name: '职称证书.png' })] });
    // The teacher record's own change history names the self-service source.
    const hist = (await req('county.admin', 'GET', `/api/teachers/${w.teacherId}/history`)).json();
    expect(hist[0]).toMatchObject({ source: 'selfService', changes: { title: { from: null, to: 'first' } } });
    // Approved twice: 409.
    expect((await act('info1', titleChange, 'approve')).statusCode).toBe(409);
  });

  it('return with a reason → the teacher sees it, corrects and resubmits → approve', async () => {
    const id = await submitted('teacher', {
      kind: 'add',
      section: 'mandarin',
      fields: { level: '2A', obtainedOn: '2015-06-01', number: '1504123', issuer: '' },
    });
    const noReason = await act('info1', id, 'return', ' ');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('请填写原因');
    expect((await act('info1', id, 'return', '证书上的等级是二级乙等，请核对')).statusCode).toBe(200);
    const seen = (await req('teacher', 'GET', `/api/records/changes/${id}`)).json();
    expect(seen).toMatchObject({ status: 'returned', statusLabel: '已退回', returnReason: '证书上的等级是二级乙等，请核对', editable: true });
    const inbox = (await req('teacher', 'GET', '/api/notifications')).json();
    expect(inbox.items.some((n: { title: string; body: string }) => n.title.includes('被退回') && n.body.includes('二级乙等'))).toBe(true);
    const fix = await req('teacher', 'PUT', `/api/records/changes/${id}`, {
      fields: { level: '2B', obtainedOn: '2015-06-01', number: '1504123' },
      note: '已更正',
    });
    expect(fix.statusCode, fix.body).toBe(200);
    expect((await act('teacher', id, 'submit')).statusCode).toBe(200);
    expect((await act('info1', id, 'approve')).statusCode).toBe(200);
    expect((await teacherRow(w.teacherId)).mandarin_level).toBe('2B');
    const steps = (await req('teacher', 'GET', `/api/records/changes/${id}`)).json().history.map((h: { actionLabel: string }) => h.actionLabel);
    expect(steps).toEqual(['创建', '报送', '退回', '报送', '审核通过']);
  });

  it('the teacher withdraws a pending change; it can no longer be approved', async () => {
    const id = await submitted('teacher', {
      kind: 'add',
      section: 'honour',
      fields: { name: '优秀班主任', level: 'county', awardedOn: '2023-09-10', issuer: '甲区教育局' },
    });
    const wd = await act('teacher', id, 'withdraw');
    expect(wd.statusCode).toBe(200);
    expect(wd.json().statusLabel).toBe('已撤回');
    expect((await act('info1', id, 'approve')).statusCode).toBe(409);
    expect(section((await req('teacher', 'GET', '/api/my/record')).json(), 'honour').entries).toEqual([]);
  });

  it('edits and removals are versions: the history keeps who, when, old → new and the approver', async () => {
    const rec = (await req('teacher', 'GET', '/api/my/record')).json();
    const entryId = section(rec, 'title').entries[0].entryId;
    const edit = await submitted('teacher', { kind: 'edit', entryId, fields: { ...TITLE, level: 'senior', obtainedOn: '2024-12-01' } });
    // One open change per entry.
    const second = await req('teacher', 'POST', '/api/records/changes', { kind: 'edit', entryId, fields: { ...TITLE, level: 'second' } });
    expect(second.statusCode).toBe(409);
    const queued = (await req('info1', 'GET', `/api/records/changes/${edit}`)).json();
    expect(queued.compare.find((r: { key: string }) => r.key === 'level')).toMatchObject({ before: '一级教师', after: '高级教师', changed: true });
    expect(queued.files).toHaveLength(2); // the approved version's evidence carried over, plus the new one
    expect((await act('info1', edit, 'approve')).statusCode).toBe(200);
    expect(await teacherRow(w.teacherId)).toMatchObject({ title: 'senior', title_date: '2024-12-01' });

    const removeNoReason = await req('teacher', 'POST', '/api/records/changes', { kind: 'remove', entryId, note: '' });
    expect(removeNoReason.statusCode).toBe(400);
    const rm = await submitted('teacher', { kind: 'remove', entryId, note: '录入重复' });
    expect((await act('info1', rm, 'approve')).statusCode).toBe(200);
    const after = (await req('teacher', 'GET', '/api/my/record')).json();
    expect(section(after, 'title').entries).toEqual([]);
    const titleHistory = after.history.filter((h: { section: string }) => h.section === 'title');
    expect(titleHistory.map((h: { action: string }) => h.action)).toEqual(['删除', '修改', '新增']);
    expect(titleHistory[1]).toMatchObject({ submittedBy: '张老师', approvedBy: 'info1' });
    expect(titleHistory[1].changes).toEqual(
      expect.arrayContaining([
        { key: 'level', label: '职称等级', from: '一级教师', to: '高级教师' },
        { key: 'obtainedOn', label: '取得时间', from: '2021-09-01', to: '2024-12-01' },
      ]),
    );
    // Nothing was overwritten: three versions of the entry are stored, and the database refuses to change one.
    expect((await t.db.query('SELECT seq FROM record_entry_versions WHERE entry_id = $1 ORDER BY seq', [entryId])).rows).toHaveLength(3);
    await expect(t.db.query('UPDATE record_entry_versions SET removed = false WHERE entry_id = $1', [entryId])).rejects.toThrow();
    await expect(t.db.query('DELETE FROM record_entry_versions WHERE entry_id = $1', [entryId])).rejects.toThrow();
  });

  it('a teacher cannot see or touch another teacher’s record (404)', async () => {
    const id = await submitted('teacher2', { kind: 'add', section: 'certificate', fields: { name: '心理健康教育C证', obtainedOn: '2022-05-01' } });
    expect((await req('teacher', 'GET', `/api/records/changes/${id}`)).statusCode).toBe(404);
    expect((await req('teacher', 'PUT', `/api/records/changes/${id}`, { fields: {}, note: '' })).statusCode).toBe(404);
    expect((await act('teacher', id, 'withdraw')).statusCode).toBe(404);
    expect((await upload('teacher', id, 'x.png', PNG)).statusCode).toBe(404);
    expect((await req('teacher', 'GET', `/api/records/teachers/${teacher2}`)).statusCode).toBe(404);
    expect((await req('teacher', 'GET', '/api/records/changes')).json().items.every((c: { teacherId: number }) => c.teacherId === w.teacherId)).toBe(true);
    // An entry of another teacher cannot be edited by naming its id.
    const theirs = (await req('teacher2', 'GET', '/api/my/record')).json();
    expect(theirs.openChanges).toHaveLength(1);
    expect((await act('info1', id, 'approve')).statusCode).toBe(200);
    const entryId = section((await req('teacher2', 'GET', '/api/my/record')).json(), 'certificate').entries[0].entryId;
    expect((await req('teacher', 'POST', '/api/records/changes', { kind: 'remove', entryId, note: '不是我的' })).statusCode).toBe(404);
    expect((await teacherRow(teacher2)).certificates).toEqual(['心理健康教育C证']);
  });

  it('a reviewer of another school can neither see nor approve (404); an institution has no access (403)', async () => {
    const id = await submitted('teacher', {
      kind: 'add',
      section: 'work',
      fields: { startDate: '2010-09-01', employer: '甲区第三小学', position: '语文教师' },
    });
    expect((await req('info2', 'GET', `/api/records/changes/${id}`)).statusCode).toBe(404);
    expect((await act('info2', id, 'approve')).statusCode).toBe(404);
    expect((await req('info2', 'GET', '/api/records/changes?pending=1')).json().items).toEqual([]);
    expect((await req('info2', 'GET', `/api/records/teachers/${w.teacherId}`)).statusCode).toBe(404);
    expect((await req('institution', 'GET', '/api/records/changes')).statusCode).toBe(403);
    // Drafts are the teacher's own: the reviewer does not see them.
    const draft = await req('teacher', 'POST', '/api/records/changes', {
      kind: 'add',
      section: 'work',
      fields: { startDate: '2005-09-01', endDate: '2010-07-01', employer: '乙县中学' },
    });
    expect((await req('info1', 'GET', `/api/records/changes/${draft.json().id}`)).statusCode).toBe(404);
    expect((await act('info1', id, 'approve')).statusCode).toBe(200);
  });

  it('completeness: what each teacher lacks, and the school-level counts for the 信息管理员', async () => {
    const mine = (await req('teacher', 'GET', '/api/my/record')).json();
    expect(mine.missing).toEqual(expect.arrayContaining(['没有学历（学习经历）记录', '没有教师资格记录', '没有职称记录']));
    const id = await submitted('teacher', {
      kind: 'add',
      section: 'qualification',
      fields: { type: 'primary', subject: '语文', number: '20101500000001', issuedOn: '2010-07-01', issuer: '甲区教育局' },
    });
    expect((await act('info1', id, 'approve')).statusCode).toBe(200);
    const after = (await req('teacher', 'GET', '/api/my/record')).json();
    expect(after.missing).not.toContain('没有教师资格记录');
    expect(after.missing).toContain('没有职称记录');
    const school = await req('info1', 'GET', '/api/records/completeness');
    expect(school.statusCode).toBe(200);
    expect(school.json()).toMatchObject({ teachers: 2, complete: 0 });
    const bySection = Object.fromEntries(school.json().missingBySection.map((m: { section: string; count: number }) => [m.section, m.count]));
    expect(bySection).toEqual({ education: 2, qualification: 1, title: 2 });
    expect(school.json().incomplete.find((x: { teacherId: number }) => x.teacherId === teacher2).missing).toContain('没有教师资格记录');
    expect((await req('teacher', 'GET', '/api/records/completeness')).statusCode).toBe(403);
    // The county reads its schools' figures.
    expect((await req('county.admin', 'GET', '/api/records/completeness')).json().teachers).toBeGreaterThanOrEqual(2);
    // A reviewer sees a certificate number in full (teachers.unmask); the 资格 entry is in the teacher's facts.
    const rec = (await req('info1', 'GET', `/api/records/teachers/${w.teacherId}`)).json();
    expect(section(rec, 'qualification').entries[0].display.find((d) => d.label === '证书编号')?.value).toBe('20101500000001');
    const q = await t.db.query<{ qualification_type: string; qualification_no: string }>(
      'SELECT qualification_type, qualification_no FROM teachers WHERE id = $1',
      [w.teacherId],
    );
    expect(q.rows[0]).toEqual({ qualification_type: '小学教师资格', qualification_no: '20101500000001' });
  });

  it('evidence of an approved entry: the teacher and the school read it, another school does not', async () => {
    const rec = (await req('teacher', 'GET', '/api/my/record')).json();
    const file = section(rec, 'qualification').entries[0].files[0] as { id: number };
    expect((await req('teacher', 'GET', `/api/records/teachers/${w.teacherId}/files/${file.id}`)).statusCode).toBe(200);
    expect((await req('info1', 'GET', `/api/records/teachers/${w.teacherId}/files/${file.id}`)).statusCode).toBe(200);
    expect((await req('info2', 'GET', `/api/records/teachers/${w.teacherId}/files/${file.id}`)).statusCode).toBe(404);
    expect((await req('teacher2', 'GET', `/api/records/teachers/${w.teacherId}/files/${file.id}`)).statusCode).toBe(404);
    // A file of another teacher named under one's own record: 404.
    expect((await req('teacher2', 'GET', `/api/records/teachers/${teacher2}/files/${file.id}`)).statusCode).toBe(404);
  });

  it('an edit that changes nothing cannot be 报送; one that only replaces the evidence can', async () => {
    const rec = (await req('teacher', 'GET', '/api/my/record')).json();
    const entry = section(rec, 'qualification').entries[0] as unknown as { entryId: number; fields: Record<string, string | null>; files: { id: number }[] };
    const c = await req('teacher', 'POST', '/api/records/changes', { kind: 'edit', entryId: entry.entryId, fields: entry.fields });
    expect(c.statusCode).toBe(201);
    const same = await act('teacher', c.json().id, 'submit');
    expect(same.statusCode).toBe(400);
    expect(same.json().message).toContain('没有修改任何内容');
    expect((await req('teacher', 'DELETE', `/api/records/changes/${c.json().id}/files/${entry.files[0].id}`)).statusCode).toBe(204);
    expect((await upload('teacher', c.json().id, '清晰的证书.png', PNG)).statusCode).toBe(201);
    expect((await act('teacher', c.json().id, 'submit')).statusCode).toBe(200);
    expect((await act('teacher', c.json().id, 'withdraw')).statusCode).toBe(200);
  });

  it('removing carried-over evidence from an edit keeps the file of the approved version', async () => {
    const rec = (await req('teacher', 'GET', '/api/my/record')).json();
    const entry = section(rec, 'qualification').entries[0];
    const fileId = (entry.files[0] as { id: number }).id;
    const c = await req('teacher', 'POST', '/api/records/changes', {
      kind: 'edit',
      entryId: entry.entryId,
      fields: { type: 'primary', subject: '数学', number: '20101500000001', issuedOn: '2010-07-01', issuer: '甲区教育局' },
    });
    expect(c.statusCode).toBe(201);
    expect((await req('teacher', 'DELETE', `/api/records/changes/${c.json().id}/files/${fileId}`)).statusCode).toBe(204);
    expect((await req('teacher', 'GET', `/api/records/teachers/${w.teacherId}/files/${fileId}`)).statusCode).toBe(200);
    expect((await upload('teacher', c.json().id, '新证书.pdf', PDF)).statusCode).toBe(201);
    expect((await act('teacher', c.json().id, 'withdraw')).statusCode).toBe(200);
  });

  it('登记错误: the school 信息管理员 deletes a mistaken entry outright — audited, the teacher facts derived again', async () => {
    const id = await submitted('teacher', { kind: 'add', section: 'mandarin', fields: { level: '1A', obtainedOn: '2016-06-01' } });
    expect((await act('info1', id, 'approve')).statusCode).toBe(200);
    expect((await teacherRow(w.teacherId)).mandarin_level).toBe('1A');
    const entry = section((await req('teacher', 'GET', '/api/my/record')).json(), 'mandarin').entries.find((e) => e.title === '一级甲等');
    const entryId = entry?.entryId as number;
    expect((await req('teacher', 'POST', `/api/records/entries/${entryId}/purge`, { reason: '录错了人' })).statusCode).toBe(403);
    expect((await req('county.admin', 'POST', `/api/records/entries/${entryId}/purge`, { reason: '录错了人' })).statusCode).toBe(403);
    expect((await req('info2', 'POST', `/api/records/entries/${entryId}/purge`, { reason: '录错了人' })).statusCode).toBe(404);
    const noReason = await req('info1', 'POST', `/api/records/entries/${entryId}/purge`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const ok = await req('info1', 'POST', `/api/records/entries/${entryId}/purge`, { reason: '录错了人，应为李老师的证书' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await t.db.query('SELECT 1 FROM record_entry_versions WHERE entry_id = $1', [entryId])).rows).toEqual([]);
    expect((await t.db.query('SELECT 1 FROM record_changes WHERE entry_id = $1', [entryId])).rows).toEqual([]);
    // The 2B entry approved earlier is what is left: the teacher's 普通话 follows it.
    expect((await teacherRow(w.teacherId)).mandarin_level).toBe('2B');
    const line = (
      await t.db.query<{ details: Record<string, unknown> }>(`SELECT detail AS details FROM audit_log WHERE action = 'record.purge' AND entity_id = $1`, [
        String(entryId),
      ])
    ).rows[0];
    expect(line.details).toMatchObject({ teacherId: w.teacherId, section: 'mandarin', versions: 1, reason: '录错了人，应为李老师的证书' });
    // Outside that path, versions stay undeletable.
    await expect(t.db.query('DELETE FROM record_entry_versions')).rejects.toThrow();
  });

  it('an approved credential holds from the date on its certificate, not from the day of approval; an older one fills the years before', async () => {
    const periods = async () =>
      (
        await t.db.query<{ value: unknown; from: string | null; until: string | null }>(
          `SELECT value, valid_from::text AS "from", valid_until::text AS "until" FROM teacher_credentials
            WHERE teacher_id = $1 AND field = 'title' AND superseded_at IS NULL ORDER BY valid_from NULLS FIRST`,
          [teacher2],
        )
      ).rows.filter((r) => r.value !== null);
    const first = await submitted('teacher2', { kind: 'add', section: 'title', fields: { ...TITLE, number: 'ZC2021-301' } });
    expect((await act('info1', first, 'approve')).statusCode).toBe(200);
    expect(await periods()).toContainEqual({ value: 'first', from: '2021-09-01', until: null });
    // The 二级 of 2015, reported after: it holds from 2015 until the 一级 of 2021, which stays.
    const older = await submitted('teacher2', {
      kind: 'add',
      section: 'title',
      fields: { level: 'second', obtainedOn: '2015-07-01', issuer: '甲区职称改革领导小组', number: 'ZC2015-017' },
    });
    expect((await act('info1', older, 'approve')).statusCode).toBe(200);
    const after = await periods();
    expect(after).toContainEqual({ value: 'second', from: '2015-07-01', until: '2021-08-31' });
    expect(after).toContainEqual({ value: 'first', from: '2021-09-01', until: null });
    expect((await teacherRow(teacher2)).title).toBe('first');
    // No two periods of the field overlap.
    for (let i = 1; i < after.length; i++) expect((after[i].from ?? '') > (after[i - 1].until ?? '9999'), JSON.stringify(after)).toBe(true);
    // A date inside a period that already ended: that period is corrected into its part before, the new value
    // holds until the period's end, and what follows is untouched.
    await t.db.tx((q) => recordCredentials(q, w.cityAdmin.id, teacher2, { title: 'third' }, '2018-01-01'));
    expect(await periods()).toEqual([
      { value: 'second', from: '2015-07-01', until: '2017-12-31' },
      { value: 'third', from: '2018-01-01', until: '2021-08-31' },
      { value: 'first', from: '2021-09-01', until: null },
    ]);
  });
});
