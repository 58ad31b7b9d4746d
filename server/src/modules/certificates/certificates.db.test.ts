import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import type { Queryable } from '../../db/db.js';
import { AppError } from '../../platform/errors.js';
import { createSession, loadSessionUser } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { maskName, myCertificate, verificationCode } from './certificates.service.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
let completed: number;
let partial: number;
let running: number;

/**
 * A finished project of the county with `sessions` sessions of 2 hours, 张老师 enrolled and present at
 * `attended` of them, hours recognised for those (as project close does). Built in SQL so the test
 * does not depend on the project workflow.
 */
async function project(q: Queryable, name: string, sessions: number, attended: number, status = 'closed'): Promise<number> {
  const p = (
    await q.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
       VALUES ($1, $2, $3, 'county', 'inPerson', '{ethics}', $4, '2025-03-01', '2025-03-31', $5) RETURNING id`,
      [w.county1, `T-${name}`, name, sessions * 2, status],
    )
  ).rows[0].id;
  await q.query(`INSERT INTO enrolments (project_id, teacher_id) VALUES ($1, $2)`, [p, w.teacherId]);
  for (let i = 0; i < sessions; i++) {
    const s = (
      await q.query<{ id: number }>(
        `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
         VALUES ($1, $2, $3, '09:00', '11:00', '报告厅', 2, 'ethics') RETURNING id`,
        [p, `第${i + 1}讲`, `2025-03-${String(10 + i).padStart(2, '0')}`],
      )
    ).rows[0].id;
    if (i < attended) {
      await q.query(`INSERT INTO attendance (session_id, teacher_id, method) VALUES ($1, $2, 'qr')`, [s, w.teacherId]);
      if (status !== 'open')
        await recordLedgerEntries(q, [
          {
            teacherId: w.teacherId,
            hours: 2,
            category: 'ethics',
            occurredOn: '2025-03-10',
            sourceType: 'project',
            projectId: p,
            sessionId: s,
            description: name,
            dedupeKey: `project:${p}:session:${s}:teacher:${w.teacherId}`,
          },
        ]);
    }
  }
  return p;
}

const get = (who: string | null, url: string) => t.app.inject({ url, headers: who ? { cookie: cookies[who] } : {} });

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
  completed = await project(t.db, '2025年师德师风专题培训', 5, 4); // 8 of 10 hours = 80 %
  partial = await project(t.db, '2025年班主任能力提升培训', 5, 3); // 60 %
  running = await project(t.db, '仍在进行的培训', 2, 2, 'open');
});
afterAll(async () => t?.close());

describe('completion certificates', () => {
  it('lists finished projects with completion (≥ 80 % of hours attended) and the reason when not', async () => {
    const r = await get('teacher', '/api/my/certificates');
    expect(r.statusCode).toBe(200);
    const items = r.json() as {
      projectId: number;
      completed: boolean;
      reason: string | null;
      attendedHours: number;
      totalHours: number;
      recognisedHours: number;
    }[];
    expect(items.map((i) => i.projectId).sort()).toEqual([completed, partial].sort());
    expect(items.find((i) => i.projectId === completed)).toMatchObject({ completed: true, reason: null, attendedHours: 8, totalHours: 10, recognisedHours: 8 });
    expect(items.find((i) => i.projectId === partial)?.reason).toBe('出勤 6 / 10 学时（60%），未达到结业要求的 80%');
    expect(items.some((i) => i.projectId === running)).toBe(false);
  });

  let pdf: Buffer;
  it('downloads a PDF with an embedded Chinese font subset and a verification link', async () => {
    const r = await get('teacher', `/api/my/certificates/${completed}/pdf`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toContain(encodeURIComponent('结业证书'));
    pdf = r.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    expect(text).toContain('/FontFile2'); // embedded, not referenced
    expect(pdf.length).toBeLessThan(300_000); // a subset, not the 5 MB font
    expect(text).toContain('/Subtype /Image'); // the QR code
    const link = /\/URI \((http:\/\/[^)]+\/verify\/([^)]+))\)/.exec(text);
    expect(link).not.toBeNull();
    const cert = (
      await t.db.query<{ id: number; cert_no: string; hours: number }>('SELECT id, cert_no, hours FROM certificates WHERE project_id = $1', [completed])
    ).rows[0];
    expect(cert.cert_no).toMatch(/^ZS\d{4}\d{6}$/);
    expect(cert.hours).toBe(8);
    expect(link![2]).toBe(verificationCode(t.ctx, cert.id));
  });

  it('keeps one certificate number however often it is downloaded', async () => {
    await get('teacher', `/api/my/certificates/${completed}/pdf`);
    const rows = (await t.db.query('SELECT 1 FROM certificates WHERE project_id = $1', [completed])).rows;
    expect(rows).toHaveLength(1);
    expect((await get('teacher', '/api/my/certificates')).json().find((i: { projectId: number }) => i.projectId === completed).certNo).toMatch(/^ZS/);
  });

  it('refuses a certificate for a project not completed, or not the teacher’s, or not finished', async () => {
    const r = await get('teacher', `/api/my/certificates/${partial}/pdf`);
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('未达到结业条件');
    expect((await get('teacher', `/api/my/certificates/${running}/pdf`)).statusCode).toBe(404);
    expect((await get('teacher', '/api/my/certificates/999999/pdf')).statusCode).toBe(404);
    expect((await get('school.admin', `/api/my/certificates/${completed}/pdf`)).statusCode).toBe(403);
  });

  it('the public endpoint resolves the code with masked data only, without login', async () => {
    const cert = (await t.db.query<{ id: number; cert_no: string }>('SELECT id, cert_no FROM certificates WHERE project_id = $1', [completed])).rows[0];
    const r = await get(null, `/api/public/certificates/${verificationCode(t.ctx, cert.id)}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      valid: true,
      certNo: cert.cert_no,
      name: '张*师',
      projectName: '2025年师德师风专题培训',
      hours: 8,
      // The period held (first to last session with attendance, 10–13 March), not the planned 1–31 March.
      startDate: '2025-03-10',
      endDate: '2025-03-13',
      issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      issuer: '甲区教育局',
    });
    expect(r.body).not.toContain('张老师');
  });

  it('a tampered or made-up code is invalid', async () => {
    const cert = (await t.db.query<{ id: number }>('SELECT id FROM certificates WHERE project_id = $1', [completed])).rows[0];
    const code = verificationCode(t.ctx, cert.id);
    const forged = `${Buffer.from(`c${cert.id + 1}`).toString('base64url')}.${code.split('.')[1]}`;
    for (const bad of [forged, `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`, 'abc', 'x.y']) {
      const r = await get(null, `/api/public/certificates/${encodeURIComponent(bad)}`);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ valid: false, message: '证书无效：未找到该证书，或验证码已被篡改' });
    }
  });

  it('admins download for teachers in scope (audited); others get 404', async () => {
    const r = await get('school.admin', `/api/teachers/${w.teacherId}/certificates/${completed}/pdf`);
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const audits = (await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'certificate.download'`)).rows;
    expect(audits).toHaveLength(1);
    expect((await get('county.admin', `/api/teachers/${w.teacherId}/certificates`)).json()).toHaveLength(2);
    // Another county's school admin: as if the teacher did not exist.
    const other = await insertUser(t.db, { username: 's3.admin', passwordHash: 'x', displayName: '乙县一中管理员', role: 'schoolAdmin', orgId: w.school3 });
    cookies.other = `qs_session=${(await createSession(t.db, other)).token}`;
    expect((await get('other', `/api/teachers/${w.teacherId}/certificates/${completed}/pdf`)).statusCode).toBe(404);
    expect((await get('other', `/api/teachers/${w.teacherId}/certificates`)).statusCode).toBe(404);
    // The institution lacks hours.readOthers.
    expect((await get('institution', `/api/teachers/${w.teacherId}/certificates`)).statusCode).toBe(403);
  });

  it('fails with a clear Chinese message when the server has no Chinese font', async () => {
    const user = await loadSessionUser(t.db, cookies.teacher.split('=')[1]);
    const err = await myCertificate(t.ctx, user!, completed, 'http://localhost', { path: '/nonexistent/wqy.ttc', postscriptName: 'X' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(503);
    expect((err as AppError).message).toContain('中文字体');
  });

  it('masks names of any length', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小明')).toBe('张*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
  });

  it('rate-limits the public endpoint', async () => {
    let last = 0;
    for (let i = 0; i < 35; i++) last = (await get(null, '/api/public/certificates/abc')).statusCode;
    expect(last).toBe(429);
  });
});
