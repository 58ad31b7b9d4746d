import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { call, teacherAccount } from './projects.fixtures.js';
import { issueCheckinToken, SCAN_TICKET_SECONDS } from './checkin-token.js';
import { scanCheckin } from './attendance.service.js';
import { purgeScanTicketUses } from './attendance.repository.js';
import { SCAN_TICKET_KEEP_MS } from './session-reminders.js';
import { todayInChina } from '../../platform/china-time.js';

// Issue 11 item 1: a teacher who scans while logged out and logs in after the QR code has rotated is still
// checked in, at the scan time; the scan ticket works once and only in the browser that scanned.

let t: TestApp;
let w: World;
let county: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  county = await login(t.app, 'county.admin', PASSWORD);
});
afterAll(async () => t?.close());

const KEY = 'phone-of-the-teacher-00001';
const OTHER_KEY = 'another-phone-entirely-0002';
const ago = (s: number) => new Date(Date.now() - s * 1000);
const anon = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });

/** An open county project with a session today whose check-in is open. */
async function openSession(name: string) {
  const p = await createOpenProject(t.app, [county], { name, startDate: todayInChina(), endDate: todayInChina() });
  const r = await call(t, county, 'POST', `/api/projects/${p.id}/sessions`, {
    title: '扫码签到场次',
    date: todayInChina(),
    startTime: '09:00',
    endTime: '11:00',
    place: '报告厅',
    hours: 2,
    category: 'ethics',
  });
  expect(r.statusCode, r.body).toBe(201);
  const sessionId = r.json().id as number;
  expect((await call(t, county, 'POST', `/api/sessions/${sessionId}/checkin/open`)).statusCode).toBe(200);
  return { projectId: p.id, sessionId };
}

async function enrolledTeacher(projectId: number) {
  const me = await teacherAccount(t, w, w.school1);
  const r = await call(t, county, 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: [me.teacherId] });
  expect(r.statusCode, r.body).toBeLessThan(300);
  return me;
}

/** The scan as the phone makes it `secondsAgo` seconds ago, with a QR token that was current then. */
const scanAgo = (sessionId: number, secondsAgo: number, key = KEY) => {
  const at = ago(secondsAgo);
  return scanCheckin(t.ctx, issueCheckinToken(t.ctx.checkinSigner, sessionId, at).token, key, at);
};

const attendance = async (sessionId: number, teacherId: number) =>
  (await t.db.query<{ at: Date }>('SELECT at FROM attendance WHERE session_id = $1 AND teacher_id = $2', [sessionId, teacherId])).rows;

describe('check-in that survives a slow login', () => {
  it('the scan (no login) answers a ticket; after the code rotated, the login checks in at the scan time, once', async () => {
    const s = await openSession('扫码后登录项目');
    const me = await enrolledTeacher(s.projectId);

    // The real route without a cookie: a current code gives a ticket for this browser.
    const now = issueCheckinToken(t.ctx.checkinSigner, s.sessionId, new Date());
    const live = await anon('/api/checkin/scan', { token: now.token, key: KEY });
    expect(live.statusCode, live.body).toBe(200);
    expect(live.json()).toMatchObject({ direction: 'in', ticket: expect.any(String) });
    expect(new Date(live.json().expiresAt).getTime() - new Date(live.json().scannedAt).getTime()).toBe(SCAN_TICKET_SECONDS * 1000);

    // The scan four minutes ago: its QR code has long rotated away (the old path says 已过期) …
    const scanned = await scanAgo(s.sessionId, 240);
    const stale = issueCheckinToken(t.ctx.checkinSigner, s.sessionId, ago(240)).token;
    const direct = await call(t, me.cookie, 'POST', '/api/checkin', { token: stale });
    expect(direct.statusCode).toBe(400);
    expect(direct.json().message).toBe('二维码已过期，请在现场重新扫描');
    // … but the ticket of that scan checks the teacher in, and the time recorded is the scan's.
    const ok = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, direction: 'in', sessionTitle: '扫码签到场次' });
    const rows = await attendance(s.sessionId, me.teacherId);
    expect(rows).toHaveLength(1);
    expect(rows[0].at.toISOString()).toBe(scanned.scannedAt);

    // The same teacher again (a reload): told they are checked in, still one row.
    const again = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('您已签到，无需重复签到');
    expect(await attendance(s.sessionId, me.teacherId)).toHaveLength(1);
    // Once: a colleague logging in on the same phone cannot reuse it, and gets no attendance row.
    const colleague = await enrolledTeacher(s.projectId);
    const reuse = await call(t, colleague.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY });
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().message).toBe('该扫码记录已使用过，如需再次签到请在现场重新扫描');
    expect(await attendance(s.sessionId, colleague.teacherId)).toHaveLength(0);
    const used = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM checkin_scan_uses WHERE session_id = $1', [s.sessionId]);
    expect(used.rows[0].n).toBe(1);
  });

  it('a code that had expired at the scan is refused at the scan, with a clear message', async () => {
    const s = await openSession('过期二维码项目');
    const old = issueCheckinToken(t.ctx.checkinSigner, s.sessionId, ago(120)).token;
    const r = await anon('/api/checkin/scan', { token: old, key: KEY });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('二维码已过期，请在现场重新扫描');
    const forged = await anon('/api/checkin/scan', { token: 'abc.def', key: KEY });
    expect(forged.json().message).toBe('二维码无效');
    // Bad input names the field.
    const noKey = await anon('/api/checkin/scan', { token: old });
    expect(noKey.statusCode).toBe(400);
  });

  it('a forwarded ticket does not work in another browser, and a refusal leaves the ticket for the right one', async () => {
    const s = await openSession('转发扫码记录项目');
    const me = await enrolledTeacher(s.projectId);
    const stranger = await teacherAccount(t, w, w.school1); // not enrolled
    const scanned = await scanAgo(s.sessionId, 30);

    const elsewhere = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: OTHER_KEY });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().message).toBe('扫码记录只能在扫码的手机上使用，请用本机在现场重新扫描二维码');
    const tampered = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: `${scanned.ticket}x`, key: KEY });
    expect(tampered.json().message).toBe('扫码记录无效，请在现场重新扫描二维码');

    // The wrong account logged in on the phone first: refused, nothing used up.
    const wrong = await call(t, stranger.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toBe('您未报名该培训项目，无法签到');
    expect((await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY })).statusCode).toBe(200);
    // An organiser is no teacher.
    expect((await call(t, county, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY })).statusCode).toBe(403);
  });

  it('a ticket is good for 10 minutes; a check-in closed during the login still counts, one closed at the scan does not', async () => {
    const s = await openSession('扫码时效项目');
    const me = await enrolledTeacher(s.projectId);
    const late = await scanAgo(s.sessionId, SCAN_TICKET_SECONDS + 60);
    const r = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: late.ticket, key: KEY });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('扫码已超过 10 分钟，请在现场重新扫描二维码');

    const inTime = await scanAgo(s.sessionId, 60);
    await call(t, county, 'POST', `/api/sessions/${s.sessionId}/checkin/close`);
    const stillCounts = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: inTime.ticket, key: KEY });
    expect(stillCounts.statusCode, stillCounts.body).toBe(200);

    const closed = await anon('/api/checkin/scan', { token: issueCheckinToken(t.ctx.checkinSigner, s.sessionId, new Date()).token, key: KEY });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().message).toBe('本场签到已结束');
  });

  it('used tickets are forgotten once they can no longer be presented; the attendance stays', async () => {
    const s = await openSession('扫码记录清理项目');
    const me = await enrolledTeacher(s.projectId);
    const scanned = await scanAgo(s.sessionId, 60);
    expect((await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY })).statusCode).toBe(200);
    const uses = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM checkin_scan_uses WHERE session_id = $1', [s.sessionId])).rows[0].n;
    // The hourly job now: the ticket could still be presented (within its 10 minutes), so its use is kept.
    await purgeScanTicketUses(t.db, new Date(Date.now() - SCAN_TICKET_KEEP_MS));
    expect(await uses()).toBe(1);
    // The job a day later: gone; the ticket itself has long expired, and the check-in is still on record.
    await purgeScanTicketUses(t.db, new Date(Date.now() + 86400_000 - SCAN_TICKET_KEEP_MS));
    expect(await uses()).toBe(0);
    expect(await attendance(s.sessionId, me.teacherId)).toHaveLength(1);
    const replay = await call(t, me.cookie, 'POST', '/api/checkin/ticket', { ticket: scanned.ticket, key: KEY });
    expect(replay.statusCode).toBe(409);
  });
});
