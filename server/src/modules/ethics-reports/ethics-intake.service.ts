import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { saveUpload, sniffKind, type FileKind } from '../../platform/files.js';
import type { Queryable } from '../../db/db.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { deadlinesOf, ethicsRulesFor } from './ethics-deadlines.js';
import * as repo from './ethics-reports.repository.js';
import { CHANNELS, PUBLIC_STATUS, type Channel, type LoggedReportInput, type PublicReportInput } from './ethics-reports.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * 举报受理, the intake half: the public form, the 举报电话 log, the tracking page and the public lists the form
 * needs. A report gets a tracking code and a secret shown once (only a hash is kept, valid one year); the
 * reporter's identity, the name of the teacher and the account are sealed with the PII key.
 */

/** Characters of codes and secrets read out on the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. */
const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
const draw = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Codes are 8 characters (shown as XXXX-XXXX), secrets 16 (≈ 74 bits: a hash without salt or stretching is enough). */
export const CODE_LENGTH = 8;
export const SECRET_LENGTH = 16;
export const SECRET_VALID_DAYS = 365;

export const ATTACHMENT_LIMITS = { count: 5, maxBytes: 5 * 1024 * 1024, kinds: ['jpeg', 'png', 'pdf'] as FileKind[] };

const hashSecret = (code: string, secret: string) => createHash('sha256').update(`ethics-report:${code}:${secret}`).digest('hex');
export const formatCode = (c: string) => `${c.slice(0, 4)}-${c.slice(4)}`;
const formatSecret = (s: string) => s.match(/.{1,4}/g)?.join('-') ?? s;

export interface IntakeReceipt {
  id: number;
  trackingCode: string;
  /** Shown once: never stored, never shown again. */
  secret: string;
  secretExpiresAt: string;
  respondBy: string;
  concludeBy: string;
  handlingOrgName: string;
}

/** An attachment read from the request, already checked (size, count, real type) before anything is stored. */
export interface IncomingFile {
  fileName: string;
  buffer: Buffer;
}

/** Check the attachments before anything is stored: count, size and the type read from the bytes. */
export function checkAttachments(files: IncomingFile[]): void {
  if (files.length > ATTACHMENT_LIMITS.count)
    throw badRequest(`附件最多 ${ATTACHMENT_LIMITS.count} 个`, [{ field: 'files', message: `附件最多 ${ATTACHMENT_LIMITS.count} 个` }]);
  for (const f of files) {
    if (f.buffer.length > ATTACHMENT_LIMITS.maxBytes)
      throw new AppError('PAYLOAD_TOO_LARGE', `附件“${f.fileName}”超过 5 MB，请压缩后再上传；其他填写的内容不受影响`, [
        { field: 'files', message: `“${f.fileName}”超过 5 MB` },
      ]);
    if (f.buffer.length === 0) throw badRequest(`附件“${f.fileName}”是空文件`, [{ field: 'files', message: `“${f.fileName}”是空文件` }]);
    const k = sniffKind(f.buffer);
    if (!k || !ATTACHMENT_LIMITS.kinds.includes(k))
      throw new AppError('UNSUPPORTED_MEDIA', `附件“${f.fileName}”不是图片（JPG、PNG）或 PDF 文件，请换一个文件；其他填写的内容不受影响`, [
        { field: 'files', message: `“${f.fileName}”类型不支持` },
      ]);
  }
}

interface Facts {
  handlingOrgId: number;
  schoolOrgId?: number | null;
  subjectName: string;
  category: string;
  content: string;
  occurredOn?: string | null;
}

/** The bureau and school of a report, checked: an open bureau, and a school below it. */
async function placeOf(q: Queryable, f: Facts): Promise<{ bureau: { id: number; name: string; path: string }; schoolId: number | null }> {
  const b = await repo.orgById(q, f.handlingOrgId);
  if (b?.kind !== 'bureau' || b.closed) throw badRequest('请选择受理举报的教育局', [{ field: 'handlingOrgId', message: '请选择地区（教育局）' }]);
  let schoolId: number | null = null;
  if (f.schoolOrgId) {
    const s = await repo.orgById(q, f.schoolOrgId);
    if (s?.kind !== 'school' || !s.path.startsWith(b.path))
      throw badRequest('所选学校不在所选地区', [{ field: 'schoolOrgId', message: '所选学校不在所选地区' }]);
    schoolId = s.id;
  }
  return { bureau: b, schoolId };
}

/** Take in one report (any channel): checks, deadlines, sealing, attachments, trail, audit and the officers' notice. */
export async function receive(
  ctx: AppContext,
  f: Facts,
  opts: {
    channel: Channel;
    anonymous: boolean;
    reporter: Record<string, string> | null;
    receivedBy: Pick<CurrentUser, 'id' | 'orgId'> | null;
    receivedAt: Date;
    files: IncomingFile[];
    ip?: string;
  },
): Promise<IntakeReceipt> {
  checkAttachments(opts.files);
  return ctx.db.tx(async (q) => {
    const place = await placeOf(q, f);
    const receivedOn = todayInChina(opts.receivedAt);
    const rules = await ethicsRulesFor(q, place.bureau.path, receivedOn);
    if (!rules.ethics.categories.some((c) => c.code === f.category))
      throw badRequest('请选择举报类别', [{ field: 'category', message: `类别应为：${rules.ethics.categories.map((c) => c.label).join('、')}` }]);
    const { respondBy, concludeBy } = deadlinesOf(rules.ethics, receivedOn);
    const secret = draw(SECRET_LENGTH);
    const secretExpiresAt = new Date(opts.receivedAt.getTime() + SECRET_VALID_DAYS * 86_400_000);
    let id: number | null = null;
    let code = '';
    for (let i = 0; i < 5 && id === null; i++) {
      code = draw(CODE_LENGTH);
      id = await repo.insertReport(q, {
        trackingCode: code,
        secretHash: hashSecret(code, secret),
        secretExpiresAt,
        channel: opts.channel,
        handlingOrgId: place.bureau.id,
        schoolOrgId: place.schoolId,
        subjectNameEnc: f.subjectName ? ctx.pii.encrypt(f.subjectName) : null,
        category: f.category,
        contentEnc: ctx.pii.encrypt(f.content),
        anonymous: opts.anonymous,
        reporterEnc: opts.reporter ? ctx.pii.encrypt(JSON.stringify(opts.reporter)) : null,
        receivedAt: opts.receivedAt,
        receivedBy: opts.receivedBy?.id ?? null,
        respondBy,
        concludeBy,
        occurredOn: f.occurredOn ?? null,
      });
    }
    if (id === null) throw new AppError('UNAVAILABLE', '生成查询码失败，请重试');
    await repo.insertEvent(q, { reportId: id, action: 'received', toOrgId: place.bureau.id, byUser: opts.receivedBy?.id ?? null });
    for (const file of opts.files) {
      const saved = await saveUpload(ctx, file.buffer, {
        allowed: ATTACHMENT_LIMITS.kinds,
        maxBytes: ATTACHMENT_LIMITS.maxBytes,
        owner: { userId: opts.receivedBy?.id ?? null, orgId: place.bureau.id },
        purpose: 'ethicsReport',
        originalName: file.fileName,
        q,
      });
      await repo.attachFile(q, id, saved.fileId);
    }
    await audit(
      q,
      opts.receivedBy,
      'ethics.report.receive',
      'ethics_report',
      id,
      { channel: opts.channel, anonymous: opts.anonymous, files: opts.files.length },
      opts.ip,
    );
    const officers = await usersAt(q, [place.bureau.id], ['ethicsOfficer']);
    await notify(q, officers, {
      kind: 'approval',
      title: `收到师德举报（${CHANNELS[opts.channel]}），请在 ${respondBy} 前答复是否受理`,
      link: `/ethics/reports/${id}`,
    });
    return {
      id,
      trackingCode: formatCode(code),
      secret: formatSecret(secret),
      secretExpiresAt: secretExpiresAt.toISOString(),
      respondBy,
      concludeBy,
      handlingOrgName: place.bureau.name,
    };
  });
}

/** A report from the public page (no login): named or anonymous, with up to 5 attachments. */
export function submitPublicReport(ctx: AppContext, input: PublicReportInput, files: IncomingFile[], ip?: string): Promise<IntakeReceipt> {
  const reporter = input.anonymous || !input.reporter ? null : { name: input.reporter.name, phone: input.reporter.phone, relation: input.reporter.relation };
  return receive(ctx, input, { channel: 'web', anonymous: reporter === null, reporter, receivedBy: null, receivedAt: new Date(), files, ip });
}

/** A call to the 举报电话 (or a letter, a visit) recorded by the 师德专干; the code and secret are read out once. */
export async function logReport(ctx: AppContext, user: CurrentUser, input: LoggedReportInput, ip?: string): Promise<IntakeReceipt> {
  if (!can(user, 'ethics.handle')) throw forbidden('只有师德专干可以登记举报');
  const b = await repo.orgById(ctx.db, input.handlingOrgId);
  if (!b?.path.startsWith(user.orgPath)) throw badRequest('只能登记本单位或下级教育局受理的举报', [{ field: 'handlingOrgId', message: '不在本单位范围内' }]);
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
  if (receivedAt.getTime() > Date.now() + 60_000) throw badRequest('接听时间不能晚于现在', [{ field: 'receivedAt', message: '不能晚于现在' }]);
  const reporter = input.callerName || input.callerPhone ? { name: input.callerName, phone: input.callerPhone, relation: input.relation } : null;
  return receive(ctx, input, { channel: input.channel, anonymous: reporter === null, reporter, receivedBy: user, receivedAt, files: [], ip });
}

// ---------------------------------------------------------------- tracking

const WRONG = '查询码或查询密码不正确，请核对后重试';
const DUMMY_HASH = hashSecret('XXXXXXXX', 'XXXXXXXXXXXXXXXX');

/**
 * What the reporter reads with the tracking code and the secret: status in plain words, dates, the answer. Never the
 * teacher, the school or anything of other reports. A wrong code and a wrong secret are the same message after the
 * same work (one lookup, one hash, one comparison), so the page tells nothing about which codes exist.
 */
export async function trackReport(ctx: AppContext, code: string, secret: string, ip?: string) {
  const r = await repo.byTrackingCode(ctx.db, code);
  const want = Buffer.from(r?.secret_hash ?? DUMMY_HASH, 'hex');
  const got = Buffer.from(hashSecret(code, secret), 'hex');
  const ok = timingSafeEqual(want, got) && r !== null;
  if (!ok || !r) {
    await audit(ctx.db, null, 'ethics.report.trackFailed', 'ethics_report', null, {}, ip);
    throw new AppError('NOT_FOUND', WRONG);
  }
  if (new Date(r.secret_expires_at).getTime() < Date.now())
    throw new AppError('NOT_FOUND', '查询密码已过期（有效期一年）。如需了解办理情况，请拨打举报电话或到受理单位咨询');
  const status: keyof typeof PUBLIC_STATUS = r.status === 'accepted' && r.case_stage && r.case_stage !== 'accepted' ? 'investigating' : r.status;
  const rules = await ethicsRulesFor(ctx.db, r.handling_org_path, todayInChina(new Date(r.received_at)));
  return {
    trackingCode: formatCode(r.tracking_code),
    status,
    statusLabel: PUBLIC_STATUS[status],
    channel: CHANNELS[r.channel as Channel] ?? r.channel,
    categoryLabel: rules.ethics.categories.find((c) => c.code === r.category)?.label ?? r.category,
    handlingOrgName: r.handling_org_name,
    receivedAt: new Date(r.received_at).toISOString(),
    respondBy: r.respond_by,
    concludeBy: r.conclude_by,
    firstResponseAt: r.first_response_at ? new Date(r.first_response_at).toISOString() : null,
    answer: r.answer,
    answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
  };
}

// ---------------------------------------------------------------- what the public form needs

export async function publicBureaus(ctx: AppContext) {
  return (await repo.openBureaus(ctx.db)).map((o) => ({ id: o.id, name: o.name, parentId: o.parent_id, level: o.level }));
}

export async function publicSchools(ctx: AppContext, bureauId: number) {
  const b = await repo.orgById(ctx.db, bureauId);
  if (b?.kind !== 'bureau' || b.closed) throw notFound('地区');
  return (await repo.schoolsOfBureau(ctx.db, bureauId)).map((o) => ({ id: o.id, name: o.name }));
}

/** The categories and deadlines in force for a bureau (the public form shows them; the officer's form too). */
export async function categoriesFor(ctx: AppContext, bureauId: number) {
  const b = await repo.orgById(ctx.db, bureauId);
  if (b?.kind !== 'bureau' || b.closed) throw notFound('地区');
  const rules = await ethicsRulesFor(ctx.db, b.path, todayInChina(new Date()));
  return {
    categories: rules.ethics.categories.map((c) => ({ code: c.code, label: c.label, hint: c.hint ?? null })),
    respondWorkingDays: rules.ethics.deadlines.respondWorkingDays,
    concludeWorkingDays: rules.ethics.deadlines.concludeWorkingDays,
    source: rules.source ? (rules.source.cite ?? rules.source.title) : '平台默认（《新时代中小学教师职业行为十项准则》）',
    assumptions: rules.ethics.assumptions ?? [],
    attachments: { count: ATTACHMENT_LIMITS.count, maxMb: ATTACHMENT_LIMITS.maxBytes / 1048576 },
  };
}
