import QRCode from 'qrcode';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import * as repo from './projects.repository.js';
import * as attRepo from './attendance.repository.js';
import type { AttendanceRow } from './attendance.repository.js';
import {
  CHECKIN_PERIOD_SECONDS,
  issueCheckinToken,
  issueScanTicket,
  SCAN_TICKET_SECONDS,
  verifyCheckinToken,
  verifyScanTicket,
  type Direction,
} from './checkin-token.js';
import { assertRunning, attendeePath, managedPath, notRunningMessage, presentSession, type SessionDto } from './projects.service.js';
import { participationThresholdFor } from './projects.policy.js';
import { RUNNING_STATES } from './lifecycle.js';
import { localInstant } from '../../platform/china-time.js';

function presentAttendance(a: AttendanceRow) {
  return {
    teacherId: a.teacher_id,
    name: a.name,
    orgName: a.org_name,
    present: a.present,
    method: a.method,
    at: a.at,
    checkedOutAt: a.checked_out_at,
    apology: a.apology,
  };
}

/** The session of a project the caller manages, locked against a concurrent close; 404 outside scope. */
async function managedOpenSession(q: Queryable, user: CurrentUser, sessionId: number) {
  const s = await repo.findSession(q, managedPath(user), sessionId);
  if (!s) throw notFound('场次');
  const lock = await repo.lockProject(q, '/', s.project_id, 'keyShare');
  if (!lock) throw notFound('场次');
  assertRunning(lock.status);
  return s;
}

async function presentWithThreshold(q: Queryable, sessionId: number): Promise<SessionDto> {
  const s = await repo.findSession(q, '/', sessionId);
  if (!s) throw notFound('场次');
  return presentSession(s, (await participationThresholdFor(q, s.project_org_path, { form: s.project_form, level: s.project_level })).threshold);
}

/** Open or close QR check-in (签到) or check-out (签退) of a session (organiser only, project open or running). */
export async function setCheckin(
  ctx: AppContext,
  user: CurrentUser,
  sessionId: number,
  open: boolean,
  direction: 'checkin' | 'checkout' = 'checkin',
): Promise<SessionDto> {
  return ctx.db.tx(async (q) => {
    await managedOpenSession(q, user, sessionId);
    await repo.setCheckinOpen(q, sessionId, direction, open);
    return presentWithThreshold(q, sessionId);
  });
}

/**
 * The QR code for the current 30-second period (the organiser's screen polls this). The QR encodes the
 * absolute check-in URL on this server (baseUrl = PUBLIC_URL, never the request's Host header); the
 * signed token says whether it is a check-in or a check-out code.
 */
export async function checkinToken(ctx: AppContext, user: CurrentUser, sessionId: number, baseUrl: string, now = new Date(), direction: Direction = 'in') {
  const s = await repo.findSession(ctx.db, managedPath(user), sessionId);
  if (!s) throw notFound('场次');
  const open = direction === 'in' ? s.checkin_open : s.checkout_open;
  if (!open || !RUNNING_STATES.includes(s.project_status)) throw conflict(direction === 'in' ? '签到未开启' : '签退未开启');
  const t = issueCheckinToken(ctx.checkinSigner, sessionId, now, direction);
  const checkinUrl = `/m/checkin?t=${encodeURIComponent(t.token)}`;
  const qrDataUrl = await QRCode.toDataURL(`${baseUrl}${checkinUrl}`, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
  return {
    token: t.token,
    direction,
    checkinUrl,
    qrDataUrl,
    issuedAt: t.issuedAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    periodSeconds: CHECKIN_PERIOD_SECONDS,
  };
}

/**
 * A teacher scans the QR code. The token must be signed by us and from the current or previous period;
 * the session's check-in (or check-out) open, the project open or running, the teacher enrolled. A repeat
 * scan is refused by the attendance primary key (or the conditional check-out UPDATE), never by a
 * read-then-write. The lookup, the checks and the write are one statement (attRepo.scan): this is the
 * path a whole hall hits at once.
 */
export async function checkIn(ctx: AppContext, user: CurrentUser, token: string, now = new Date()) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可扫码签到');
  const v = verifyCheckinToken(ctx.checkinSigner, token, now);
  if (!v.ok) throw new AppError('BAD_REQUEST', v.problem === 'expired' ? '二维码已过期，请在现场重新扫描' : '二维码无效');
  const out = v.direction === 'out';
  const r = await attRepo.scan(ctx.db, v.direction, v.sessionId, user.teacherId, user.id, RUNNING_STATES);
  if (!r) throw new AppError('BAD_REQUEST', '二维码无效');
  if (!r.accepting) throw conflict(out ? '本场签退已结束' : '本场签到已结束');
  if (!r.enrolled) throw forbidden(`您未报名该培训项目，无法${out ? '签退' : '签到'}`);
  if (!r.at) {
    if (!out) throw conflict('您已签到，无需重复签到');
    throw conflict(r.was_in ? '您已签退，无需重复签退' : '您本场尚未签到，不能签退');
  }
  return { ok: true as const, direction: v.direction, projectName: r.project_name, sessionTitle: r.title, at: r.at };
}

/**
 * The scan moment of a teacher who is not logged in yet (no auth): the QR token must be valid NOW and the
 * session's check-in (check-out) open now; the answer is a scan ticket bound to this browser's key, good for
 * SCAN_TICKET_SECONDS and once (checkInWithTicket). Nothing is written here: a scan costs one HMAC and one
 * indexed read, so a hall behind one address can scan at once.
 */
export async function scanCheckin(ctx: AppContext, token: string, key: string, now = new Date()) {
  const v = verifyCheckinToken(ctx.checkinSigner, token, now);
  if (!v.ok) throw new AppError('BAD_REQUEST', v.problem === 'expired' ? '二维码已过期，请在现场重新扫描' : '二维码无效');
  const s = await repo.findSession(ctx.db, '/', v.sessionId);
  if (!s) throw new AppError('BAD_REQUEST', '二维码无效');
  const out = v.direction === 'out';
  if (!RUNNING_STATES.includes(s.project_status) || !(out ? s.checkout_open : s.checkin_open)) throw conflict(out ? '本场签退已结束' : '本场签到已结束');
  return {
    ticket: issueScanTicket(ctx.checkinSigner, v.sessionId, v.direction, now, key),
    direction: v.direction,
    scannedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SCAN_TICKET_SECONDS * 1000).toISOString(),
  };
}

const TICKET_PROBLEM = {
  invalid: '扫码记录无效，请在现场重新扫描二维码',
  expired: '扫码已超过 10 分钟，请在现场重新扫描二维码',
  otherBrowser: '扫码记录只能在扫码的手机上使用，请用本机在现场重新扫描二维码',
} as const;

/**
 * After the login: check the teacher in (out) with the scan ticket of this browser, at the scan time. The
 * ticket is used up in the same transaction as the attendance write, so it counts once; a refusal (not
 * enrolled, already present) leaves it for the right account.
 */
export async function checkInWithTicket(ctx: AppContext, user: CurrentUser, ticket: string, key: string, now = new Date()) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可扫码签到');
  const teacherId = user.teacherId;
  const v = verifyScanTicket(ctx.checkinSigner, ticket, key, now);
  if (!v.ok) throw new AppError('BAD_REQUEST', TICKET_PROBLEM[v.problem]);
  const out = v.direction === 'out';
  return ctx.db.tx(async (q) => {
    // The write first, then the ticket: the teacher who reloads the page hears 已签到; a second account
    // on the same phone finds the ticket used, and the transaction takes its attendance row back.
    const r = await attRepo.scan(q, v.direction, v.sessionId, teacherId, user.id, RUNNING_STATES, { at: v.scannedAt });
    if (!r) throw new AppError('BAD_REQUEST', '二维码无效');
    if (!r.accepting) throw conflict(out ? '本场签退已结束' : '本场签到已结束');
    if (!r.enrolled) throw forbidden(`您未报名该培训项目，无法${out ? '签退' : '签到'}`);
    if (!r.at) {
      if (!out) throw conflict('您已签到，无需重复签到');
      throw conflict(r.was_in ? '您已签退，无需重复签退' : '您本场尚未签到，不能签退');
    }
    if (!(await attRepo.useScanTicket(q, v.hash, v.sessionId, teacherId, v.scannedAt))) throw conflict('该扫码记录已使用过，如需再次签到请在现场重新扫描');
    return { ok: true as const, direction: v.direction, projectName: r.project_name, sessionTitle: r.title, at: r.at, scannedAt: v.scannedAt };
  });
}

/** Every enrolled teacher of the session, present or not, with leaves and check-outs, and the rate against the threshold (organiser). */
export async function sessionAttendance(ctx: AppContext, user: CurrentUser, sessionId: number) {
  const managed = await repo.findSession(ctx.db, managedPath(user), sessionId);
  // A school reads the sessions of projects its teachers attend, with its own teachers' attendance only.
  const path = managed ? '/' : attendeePath(user);
  const s = managed ?? (path ? await repo.findSessionForTeachers(ctx.db, path, sessionId) : null);
  if (!s || !path || (!managed && !(await repo.findProjectAttendedBy(ctx.db, path, s.project_id)))) throw notFound('场次');
  const rows = await attRepo.listSessionAttendance(ctx.db, sessionId, s.project_id, undefined, path);
  const { threshold, source } = await participationThresholdFor(ctx.db, s.project_org_path, { form: s.project_form, level: s.project_level });
  return { session: presentSession(s, threshold), thresholdSource: source, items: rows.map(presentAttendance) };
}

/** The organiser marks a teacher present (method 'manual') or removes the mark; only while the project is open or running. */
export async function markAttendance(ctx: AppContext, user: CurrentUser, sessionId: number, teacherId: number, present: boolean) {
  return ctx.db.tx(async (q) => {
    const s = await managedOpenSession(q, user, sessionId);
    if (!(await repo.isEnrolled(q, s.project_id, teacherId))) throw notFound('该教师的报名记录');
    const changed = present
      ? (await attRepo.insertAttendance(q, sessionId, teacherId, 'manual', user.id)) !== null
      : await attRepo.deleteAttendance(q, sessionId, teacherId);
    if (changed) await audit(q, user, present ? 'attendance.mark' : 'attendance.unmark', 'session', sessionId, { teacherId });
    const [row] = await attRepo.listSessionAttendance(q, sessionId, s.project_id, teacherId);
    if (!row) throw notFound('该教师的报名记录');
    return presentAttendance(row);
  });
}

/** The teacher's own session of a project they are enrolled in, before it starts (for 请假). */
async function ownUpcomingSession(q: Queryable, user: CurrentUser, sessionId: number, now: Date) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可以请假');
  const s = await repo.findSession(q, '/', sessionId);
  if (!s || !(await repo.isEnrolled(q, s.project_id, user.teacherId))) throw notFound('场次');
  if (!RUNNING_STATES.includes(s.project_status)) throw conflict(notRunningMessage(s.project_status));
  if (now >= localInstant(s.date, s.start_time)) throw conflict('场次已开始，不能再请假（如有特殊情况请联系组织者）');
  return s;
}

/**
 * 请假: an enrolled teacher records a reason before the session starts. The leave is shown in the
 * attendance list and counted as 'excused', but it does not leave the rate's denominator (see presentSession).
 */
export async function apologise(ctx: AppContext, user: CurrentUser, sessionId: number, reason: string, now = new Date()) {
  return ctx.db.tx(async (q) => {
    await ownUpcomingSession(q, user, sessionId, now);
    const teacherId = user.teacherId as number;
    if (await attRepo.hasAttendance(q, sessionId, teacherId)) throw conflict('您本场已签到，无需请假');
    await attRepo.upsertApology(q, sessionId, teacherId, reason);
    return { sessionId, reason };
  });
}

/** Withdraw a leave, also only before the session starts. */
export async function cancelApology(ctx: AppContext, user: CurrentUser, sessionId: number, now = new Date()): Promise<void> {
  await ctx.db.tx(async (q) => {
    await ownUpcomingSession(q, user, sessionId, now);
    if (!(await attRepo.deleteApology(q, sessionId, user.teacherId as number))) throw notFound('请假记录');
  });
}
