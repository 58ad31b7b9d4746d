import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../platform/china-time.js';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { verificationCode } from './certificates.service.js';

// Issue 9 item 6: after a project's hours are reversed the certificate used to verify as valid (16 学时) and
// download. A reversal now revokes it (the public page says 已撤销 with the date); a teacher who still
// completes the project gets a new certificate with the new hours.

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

/** A closed county project: `sessions` sessions of 2 hours, 张老师 present at all, hours recognised. */
async function project(name: string, sessions: number): Promise<{ id: number; entries: number[] }> {
  const p = (
    await t.db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
       VALUES ($1, $2, $3, 'county', 'inPerson', '{ethics}', $4, '2025-03-01', '2025-03-31', 'closed') RETURNING id`,
      [w.county1, `RV-${name}`, name, sessions * 2],
    )
  ).rows[0].id;
  await t.db.query('INSERT INTO enrolments (project_id, teacher_id) VALUES ($1, $2)', [p, w.teacherId]);
  for (let i = 0; i < sessions; i++) {
    const s = (
      await t.db.query<{ id: number }>(
        `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
         VALUES ($1, $2, $3, '09:00', '11:00', '报告厅', 2, 'ethics') RETURNING id`,
        [p, `第${i + 1}讲`, `2025-03-${String(10 + i).padStart(2, '0')}`],
      )
    ).rows[0].id;
    await t.db.query(`INSERT INTO attendance (session_id, teacher_id, method) VALUES ($1, $2, 'qr')`, [s, w.teacherId]);
    await recordLedgerEntries(t.db, [
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
  const entries = (await t.db.query<{ id: string }>('SELECT id FROM ledger_entries WHERE project_id = $1 ORDER BY id', [p])).rows.map((r) => Number(r.id));
  return { id: p, entries };
}

const get = (who: string | null, url: string) => t.app.inject({ url, headers: who ? { cookie: cookies[who] } : {} });
const reverse = (entryId: number) =>
  t.app.inject({ method: 'POST', url: `/api/ledger/${entryId}/reverse`, headers: { cookie: cookies['county.admin'] }, payload: { reason: '考勤记录有误' } });
const certs = async (projectId: number) =>
  (
    await t.db.query<{ id: number; cert_no: string; hours: number; revoked_at: Date | null }>(
      'SELECT id, cert_no, hours, revoked_at FROM certificates WHERE project_id = $1 ORDER BY id',
      [projectId],
    )
  ).rows;
const verify = async (certId: number) => (await get(null, `/api/public/certificates/${verificationCode(t.ctx, certId)}`)).json();
const today = () => todayInChina();

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

describe('certificates follow reversals of their hours', () => {
  it('all hours reversed: the certificate is revoked, verifies as 已撤销 with the date, and no longer downloads', async () => {
    const p = await project('2025年信息技术应用能力提升培训', 8);
    expect((await get('teacher', `/api/my/certificates/${p.id}/pdf`)).statusCode).toBe(200);
    const [cert] = await certs(p.id);
    expect(cert.hours).toBe(16);
    expect((await verify(cert.id)).valid).toBe(true);

    for (const e of p.entries) expect((await reverse(e)).statusCode).toBe(201);

    const [after] = await certs(p.id);
    expect(after.revoked_at).not.toBeNull();
    expect(await verify(cert.id)).toEqual({
      valid: false,
      revoked: true,
      revokedOn: today(),
      certNo: cert.cert_no,
      projectName: '2025年信息技术应用能力提升培训',
      message: `该证书已于 ${today()} 撤销：学时已冲销：考勤记录有误`,
    });
    const dl = await get('teacher', `/api/my/certificates/${p.id}/pdf`);
    expect(dl.statusCode).toBe(409);
    expect(dl.json().message).toContain(`该证书已于 ${today()} 撤销`);
    // The teacher's list no longer shows a certificate number for it.
    const mine = (await get('teacher', '/api/my/certificates')).json() as { projectId: number; certNo: string | null; completed: boolean }[];
    expect(mine.find((m) => m.projectId === p.id)).toMatchObject({ certNo: null, completed: false });
  });

  it('part of the hours reversed: the old certificate is revoked and a new one is issued with the new hours', async () => {
    const p = await project('2025年心理健康教育培训', 5);
    expect((await get('teacher', `/api/my/certificates/${p.id}/pdf`)).statusCode).toBe(200);
    const [old] = await certs(p.id);
    expect(old.hours).toBe(10);

    expect((await reverse(p.entries[0])).statusCode).toBe(201);
    expect((await verify(old.id)).revoked).toBe(true);

    // Still 8 of 10 hours recognised and attended: a new certificate, new number, 8 学时.
    expect((await get('teacher', `/api/my/certificates/${p.id}/pdf`)).statusCode).toBe(200);
    const all = await certs(p.id);
    expect(all).toHaveLength(2);
    const fresh = all[1];
    expect(fresh).toMatchObject({ hours: 8, revoked_at: null });
    expect(fresh.cert_no).not.toBe(old.cert_no);
    expect(await verify(fresh.id)).toMatchObject({ valid: true, hours: 8 });
    expect((await verify(old.id)).valid).toBe(false);
  });

  it('a download racing a reversal never leaves a certificate in force with hours the ledger no longer holds', async () => {
    for (let round = 0; round < 3; round++) {
      const p = await project(`2025年并发证书培训${round}`, 5);
      await Promise.all([get('teacher', `/api/my/certificates/${p.id}/pdf`), reverse(p.entries[0]), get('teacher', `/api/my/certificates/${p.id}/pdf`)]);
      const net = Number((await t.db.query<{ h: string }>('SELECT COALESCE(sum(hours), 0) AS h FROM ledger_entries WHERE project_id = $1', [p.id])).rows[0].h);
      expect(net).toBe(8);
      for (const c of await certs(p.id)) if (c.revoked_at === null) expect(Number(c.hours)).toBe(net);
    }
  });

  it('any path that changes the hours revokes: a reversal written straight to the ledger does too', async () => {
    const p = await project('2025年班主任专题培训', 5);
    expect((await get('teacher', `/api/my/certificates/${p.id}/pdf`)).statusCode).toBe(200);
    // E.g. a withdrawn recognition or a reversed import: any reversing entry of the project.
    await t.db.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, description, reverses_id, reason, dedupe_key)
       SELECT teacher_id, -hours, category, occurred_on, 'correction', project_id, '冲销', id, '认定撤回', 'reverse:' || id FROM ledger_entries WHERE id = $1`,
      [p.entries[1]],
    );
    const [cert] = await certs(p.id);
    expect(cert.revoked_at).not.toBeNull();
    // An entry that leaves the project's net hours unchanged does not.
    const q = await project('2025年德育专题培训', 5);
    expect((await get('teacher', `/api/my/certificates/${q.id}/pdf`)).statusCode).toBe(200);
    await recordLedgerEntries(t.db, [
      {
        teacherId: w.teacherId,
        hours: 2,
        category: 'ethics',
        occurredOn: '2025-03-10',
        sourceType: 'claim',
        description: '个人申报',
        dedupeKey: 'unrelated:1',
      },
    ]);
    expect((await certs(q.id))[0].revoked_at).toBeNull();
  });
});
