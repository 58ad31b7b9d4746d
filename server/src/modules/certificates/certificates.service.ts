import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { Signer } from '../../platform/crypto.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { PROJECT_FORMS, PROJECT_LEVELS } from '../../platform/vocab.js';
import * as repo from './certificates.repository.js';
import type { CompletionRow } from './certificates.repository.js';
import { CERTIFICATE_FONT, renderCertificate } from './certificates.pdf.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * Completion rule for a certificate: the project is finished (closed or evaluated), the teacher attended
 * sessions worth at least 80 % of the hours of all its sessions, and the ledger holds hours for them
 * from the project (so a recognition that was reversed gives no certificate).
 */
export const COMPLETION_SHARE = 0.8;

const signers = new WeakMap<AppContext, Signer>();
/** Certificate links have their own signing purpose: a check-in token is never a certificate code. */
function signer(ctx: AppContext): Signer {
  let s = signers.get(ctx);
  if (!s) {
    s = new Signer(ctx.config.secret, 'certificate');
    signers.set(ctx, s);
  }
  return s;
}

export function verificationCode(ctx: AppContext, certId: number): string {
  return signer(ctx).sign(`c${certId}`);
}

/** 张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明: enough to recognise, not enough to identify. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function presentCompletion(r: CompletionRow) {
  const share = r.total_hours > 0 ? r.attended_hours / r.total_hours : 0;
  const recognised = round1(r.recognised_hours);
  let reason: string | null = null;
  if (r.total_hours <= 0) reason = '该项目没有场次，无法判断是否结业';
  else if (share < COMPLETION_SHARE)
    reason = `出勤 ${round1(r.attended_hours)} / ${round1(r.total_hours)} 学时（${Math.round(share * 100)}%），未达到结业要求的 ${COMPLETION_SHARE * 100}%`;
  else if (recognised <= 0) reason = '该项目的学时尚未认定';
  return {
    projectId: r.project_id,
    projectCode: r.project_code,
    projectName: r.project_name,
    level: r.level,
    form: r.form,
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status,
    orgName: r.org_name,
    totalHours: round1(r.total_hours),
    attendedHours: round1(r.attended_hours),
    recognisedHours: recognised,
    attendanceShare: Math.round(share * 1000) / 1000,
    completed: reason === null,
    reason,
    certNo: r.cert_no,
  };
}
export type CompletionDto = ReturnType<typeof presentCompletion>;

function ownTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看“我的证书”');
  return user.teacherId;
}

async function teacherOr404(ctx: AppContext, user: CurrentUser, teacherId: number): Promise<void> {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
    return;
  }
  requirePermission(user, 'hours.readOthers');
  if (!(await repo.teacherInScope(ctx.db, user.scopePath, teacherId))) throw notFound('教师');
}

/** The caller's finished projects with whether each earns a certificate (and why not). */
export async function myCompletions(ctx: AppContext, user: CurrentUser): Promise<CompletionDto[]> {
  return (await repo.completions(ctx.db, ownTeacher(user))).map(presentCompletion);
}

/** A teacher's finished projects, for admins with the teacher in scope (else 404). */
export async function teacherCompletions(ctx: AppContext, user: CurrentUser, teacherId: number): Promise<CompletionDto[]> {
  await teacherOr404(ctx, user, teacherId);
  return (await repo.completions(ctx.db, teacherId)).map(presentCompletion);
}

/**
 * The certificate PDF of one teacher for one project: issued (numbered) on first download, the same
 * number and hours ever after. 404 when the project is not a finished project of the teacher, 409 when
 * the teacher did not complete it. The QR code links to {baseUrl}/verify/{signed code}.
 */
async function certificatePdf(ctx: AppContext, teacherId: number, projectId: number, baseUrl: string, font = CERTIFICATE_FONT) {
  const cert = await ctx.db.tx(async (q) => {
    await repo.lockProjectCertificates(q, projectId);
    const [row] = await repo.completions(q, teacherId, projectId);
    if (!row) throw notFound('已结项的培训项目');
    const c = presentCompletion(row);
    if (!row.cert_id) {
      if (!c.completed) {
        // A certificate revoked by a correction of the hours says so, with its date.
        const revoked = await repo.lastRevoked(q, projectId, teacherId);
        if (revoked?.revoked_at)
          throw conflict(`该证书已于 ${todayInChina(new Date(revoked.revoked_at))} 撤销（${revoked.revoked_reason ?? '学时已更正'}），不能下载`);
        throw conflict(`未达到结业条件，不能下载证书：${c.reason}`);
      }
      // First download, or a reissue after a correction revoked the previous certificate: the current hours.
      await repo.issue(q, { projectId, teacherId, hours: c.recognisedHours, issuerOrgId: row.org_id });
    }
    const found = await repo.findCertificate(q, projectId, teacherId);
    if (!found) throw notFound('证书');
    return found;
  });
  if (cert.revoked_at) throw conflict('该证书已被撤销');
  const buffer = await renderCertificate(
    {
      certNo: cert.cert_no,
      teacherName: cert.teacher_name,
      projectName: cert.project_name,
      levelLabel: PROJECT_LEVELS[cert.level as keyof typeof PROJECT_LEVELS] ?? cert.level,
      formLabel: PROJECT_FORMS[cert.form as keyof typeof PROJECT_FORMS] ?? cert.form,
      startDate: cert.start_date,
      endDate: cert.end_date,
      hours: cert.hours,
      issuer: cert.issuer,
      issuedOn: todayInChina(new Date(cert.issued_at)),
      verifyUrl: `${baseUrl}/verify/${verificationCode(ctx, cert.id)}`,
    },
    font,
  );
  return { buffer, fileName: `结业证书-${cert.project_name}-${cert.teacher_name}.pdf`, certNo: cert.cert_no };
}

/** The caller's own certificate for a project they completed. */
export async function myCertificate(ctx: AppContext, user: CurrentUser, projectId: number, baseUrl: string, font = CERTIFICATE_FONT) {
  return certificatePdf(ctx, ownTeacher(user), projectId, baseUrl, font);
}

/** An admin downloads the certificate of a teacher in scope (logged: it carries the full name). */
export async function teacherCertificate(ctx: AppContext, user: CurrentUser, teacherId: number, projectId: number, baseUrl: string, ip?: string) {
  await teacherOr404(ctx, user, teacherId);
  const r = await certificatePdf(ctx, teacherId, projectId, baseUrl);
  if (user.role !== 'teacher') await audit(ctx.db, user, 'certificate.download', 'certificate', r.certNo, { teacherId, projectId }, ip);
  return r;
}

/**
 * Public verification of a signed code: only what is needed to verify — masked name, project, hours,
 * dates, issuer, number. Any bad, tampered or unknown code gets the same "invalid" answer; a revoked
 * certificate (its hours were corrected after issue) says 已撤销 with the date.
 */
export async function verifyCertificate(ctx: AppContext, code: string) {
  const invalid = { valid: false as const, message: '证书无效：未找到该证书，或验证码已被篡改' };
  const payload = code.length <= 200 ? signer(ctx).verify(code) : null;
  const m = payload ? /^c(\d{1,10})$/.exec(payload) : null;
  if (!m) return invalid;
  const c = await repo.findCertificateById(ctx.db, Number(m[1]));
  if (!c) return invalid;
  return presentVerification(c);
}

/** What the public sees of a certificate: its state and, when in force, the verification fields (name masked). */
function presentVerification(c: repo.CertificateRow) {
  if (c.revoked_at) {
    const revokedOn = todayInChina(new Date(c.revoked_at));
    return {
      valid: false as const,
      revoked: true as const,
      revokedOn,
      certNo: c.cert_no,
      projectName: c.project_name,
      message: `该证书已于 ${revokedOn} 撤销：${c.revoked_reason ?? '学时已更正'}`,
    };
  }
  return {
    valid: true as const,
    certNo: c.cert_no,
    name: maskName(c.teacher_name),
    projectName: c.project_name,
    hours: c.hours,
    startDate: c.start_date,
    endDate: c.end_date,
    issuedOn: todayInChina(new Date(c.issued_at)),
    issuer: c.issuer,
  };
}

// ---------------------------------------------------------------- lookup by number (issue 11 item 9, extras)

/** Same text for an unknown number and a wrong name, so the form tells nothing about which numbers exist. */
export const LOOKUP_NOT_FOUND = '未找到与该证书编号和姓名相符的证书，请核对后重试';

const normalName = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

/**
 * Public lookup on the /verify page: the certificate number and the holder's full name must both match (the
 * name keeps anyone from walking through numbers); the answer is the QR code's, name masked.
 */
export async function lookupCertificate(ctx: AppContext, certNo: string, name: string) {
  const c = await repo.findCertificateByNo(ctx.db, certNo.trim().toUpperCase());
  if (!c || normalName(c.teacher_name) !== normalName(name)) return { valid: false as const, message: LOOKUP_NOT_FOUND };
  return presentVerification(c);
}
