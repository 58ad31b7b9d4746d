import QRCode from 'qrcode';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import * as repo from './projects.repository.js';
import * as attRepo from './attendance.repository.js';
import type { AttendanceRow } from './attendance.repository.js';
import { CHECKIN_PERIOD_SECONDS, issueCheckinToken, verifyCheckinToken } from './checkin-token.js';
import { CLOSED_MESSAGE, managedPath, presentSession, type SessionDto } from './projects.service.js';

function presentAttendance(a: AttendanceRow) {
  return { teacherId: a.teacher_id, name: a.name, orgName: a.org_name, present: a.present, method: a.method, at: a.at };
}

/** The session of a project the caller manages, locked against a concurrent close; 404 outside scope. */
async function managedOpenSession(q: Queryable, user: CurrentUser, sessionId: number) {
  const s = await repo.findSession(q, managedPath(user), sessionId);
  if (!s) throw notFound('场次');
  const lock = await repo.lockProject(q, '/', s.project_id, 'keyShare');
  if (!lock || lock.status === 'closed') throw conflict(CLOSED_MESSAGE);
  return s;
}

/** Open or close QR check-in of a session (organiser only, project still open). */
export async function setCheckin(ctx: AppContext, user: CurrentUser, sessionId: number, open: boolean): Promise<SessionDto> {
  return ctx.db.tx(async (q) => {
    await managedOpenSession(q, user, sessionId);
    await repo.setCheckinOpen(q, sessionId, open);
    const s = await repo.findSession(q, '/', sessionId);
    if (!s) throw notFound('场次');
    return presentSession(s);
  });
}

/**
 * The QR code for the current 30-second period (the organiser's screen polls this). The QR encodes the
 * absolute check-in URL on this server (baseUrl = protocol://host of the organiser's request).
 */
export async function checkinToken(ctx: AppContext, user: CurrentUser, sessionId: number, baseUrl: string, now = new Date()) {
  const s = await repo.findSession(ctx.db, managedPath(user), sessionId);
  if (!s) throw notFound('场次');
  if (!s.checkin_open || s.project_status === 'closed') throw conflict('签到未开启');
  const t = issueCheckinToken(ctx.checkinSigner, sessionId, now);
  const checkinUrl = `/m/checkin?t=${encodeURIComponent(t.token)}`;
  const qrDataUrl = await QRCode.toDataURL(`${baseUrl}${checkinUrl}`, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
  return {
    token: t.token,
    checkinUrl,
    qrDataUrl,
    issuedAt: t.issuedAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    periodSeconds: CHECKIN_PERIOD_SECONDS,
  };
}

/**
 * A teacher scans the QR code. The token must be signed by us and from the current or previous period;
 * the session's check-in open, the project open, the teacher enrolled. A repeat scan is refused by the
 * attendance primary key, never by a read-then-insert.
 */
export async function checkIn(ctx: AppContext, user: CurrentUser, token: string, now = new Date()) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可扫码签到');
  const teacherId = user.teacherId;
  const v = verifyCheckinToken(ctx.checkinSigner, token, now);
  if (!v.ok) throw new AppError('BAD_REQUEST', v.problem === 'expired' ? '二维码已过期，请在现场重新扫描' : '二维码无效');
  return ctx.db.tx(async (q) => {
    const s = await repo.findSession(q, '/', v.sessionId);
    if (!s) throw new AppError('BAD_REQUEST', '二维码无效');
    // KEY SHARE: a concurrent close (FOR UPDATE) waits for this check-in, or this one sees the project closed.
    const lock = await repo.lockProject(q, '/', s.project_id, 'keyShare');
    if (!lock || lock.status === 'closed' || !s.checkin_open) throw conflict('本场签到已结束');
    if (!(await repo.isEnrolled(q, s.project_id, teacherId))) throw forbidden('您未报名该培训项目，无法签到');
    const at = await attRepo.insertAttendance(q, s.id, teacherId, 'qr', user.id);
    if (!at) throw conflict('您已签到，无需重复签到');
    return { ok: true as const, projectName: s.project_name, sessionTitle: s.title, at };
  });
}

/** Every enrolled teacher of the session, present or not (organiser). */
export async function sessionAttendance(ctx: AppContext, user: CurrentUser, sessionId: number) {
  const s = await repo.findSession(ctx.db, managedPath(user), sessionId);
  if (!s) throw notFound('场次');
  const rows = await attRepo.listSessionAttendance(ctx.db, sessionId, s.project_id);
  return { session: presentSession(s), items: rows.map(presentAttendance) };
}

/** The organiser marks a teacher present (method 'manual') or removes the mark; only while the project is open. */
export async function markAttendance(ctx: AppContext, user: CurrentUser, sessionId: number, teacherId: number, present: boolean) {
  return ctx.db.tx(async (q) => {
    const s = await managedOpenSession(q, user, sessionId);
    if (!(await repo.isEnrolled(q, s.project_id, teacherId))) throw notFound('该教师的报名记录');
    const changed = present ? (await attRepo.insertAttendance(q, sessionId, teacherId, 'manual', user.id)) !== null : await attRepo.deleteAttendance(q, sessionId, teacherId);
    if (changed) await audit(q, user, present ? 'attendance.mark' : 'attendance.unmark', 'session', sessionId, { teacherId });
    const [row] = await attRepo.listSessionAttendance(q, sessionId, s.project_id, teacherId);
    if (!row) throw notFound('该教师的报名记录');
    return presentAttendance(row);
  });
}
