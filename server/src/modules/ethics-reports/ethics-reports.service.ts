import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { openDownload, type Download } from '../../platform/files.js';
import { maskPhone } from '../../platform/national-id.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { categoryLabelsAt, ethicsRulesFor } from './ethics-deadlines.js';
import { formatCode } from './ethics-intake.service.js';
import * as repo from './ethics-reports.repository.js';
import { CHANNELS, type Channel } from './ethics-reports.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * 举报受理, the officer's half: the list and detail of reports (ethics.handle; every read audited), unmasking the
 * reporter (the handling bureau's office and the one it was escalated to only; audited), 不予受理 with the reason
 * the reporter reads, 转办 within the officer's subtree and 补充 notes. Anyone else, and reports outside the
 * caller's reach: 404, as if there were none.
 */

const STATUS_LABELS = { received: '待受理', accepted: '已受理', rejected: '不予受理', closed: '已办结' } as const;
const EVENT_LABELS: Record<string, string> = { received: '收到举报', transferred: '转办', note: '补充', rejected: '不予受理', escalated: '超期升级' };

/** Reports are the ethics office's only: anyone else gets 404 for every report (403 for the lists, which name none). */
export function requireHandler(user: CurrentUser, list = false): void {
  if (!can(user, 'ethics.handle')) throw list ? forbidden('只有师德专干可以办理举报') : notFound('举报');
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const maskName = (n: string) => (n.length <= 1 ? '*' : `${n[0]}${'*'.repeat(Math.min(n.length - 1, 3))}`);

/** Whether a report is past a deadline on `today` (no first response by respond_by, or not closed by conclude_by). */
export function overdueOf(r: Pick<repo.ReportRow, 'status' | 'respond_by' | 'conclude_by'>, today: string): 'respond' | 'conclude' | null {
  if (r.status === 'received' && r.respond_by < today) return 'respond';
  if ((r.status === 'received' || r.status === 'accepted') && r.conclude_by < today) return 'conclude';
  return null;
}

const categoryLabels = (ctx: AppContext, rows: repo.ReportRow[]) =>
  categoryLabelsAt(
    ctx.db,
    rows.map((r) => r.handling_org_path),
    todayInChina(),
  );

function summary(r: repo.ReportRow, labels: Map<string, string>, today: string) {
  return {
    id: r.id,
    trackingCode: formatCode(r.tracking_code),
    channel: r.channel,
    channelLabel: CHANNELS[r.channel as Channel] ?? r.channel,
    category: r.category,
    categoryLabel: labels.get(r.category) ?? r.category,
    handlingOrgId: r.handling_org_id,
    handlingOrgName: r.handling_org_name,
    schoolName: r.school_name,
    anonymous: r.anonymous,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    receivedAt: iso(r.received_at),
    respondBy: r.respond_by,
    concludeBy: r.conclude_by,
    overdue: overdueOf(r, today),
    escalatedToName: r.escalated_to_name,
    escalatedAt: iso(r.escalated_at),
  };
}

/** Reports the caller handles (its subtree) or that were escalated to it, the most urgent deadline first. */
export async function listReports(ctx: AppContext, user: CurrentUser, f: { status: string; overdue?: 'true' | 'false'; page: number; pageSize: number }) {
  requireHandler(user, true);
  const today = todayInChina();
  const statuses = f.status === 'all' ? ['received', 'accepted', 'rejected', 'closed'] : f.status === 'open' ? ['received', 'accepted'] : [f.status];
  const { rows, total } = await repo.listInReach(ctx.db, user.orgPath, user.orgId, {
    statuses,
    overdueOn: f.overdue === 'true' ? today : null,
    limit: f.pageSize,
    offset: (f.page - 1) * f.pageSize,
  });
  const labels = await categoryLabels(ctx, rows);
  return { items: rows.map((r) => summary(r, labels, today)), total };
}

/** Whether the caller's office may read the reporter's identity: the handling bureau's, or the one it was escalated to. */
const mayUnmask = (user: CurrentUser, r: repo.ReportRow) => r.handling_org_id === user.orgId || r.escalated_to_org_id === user.orgId;

async function reportOr404(ctx: AppContext, user: CurrentUser, id: number, lock = false, q: Queryable = ctx.db) {
  requireHandler(user);
  const r = await repo.reportInReach(q, user.orgPath, user.orgId, id, lock);
  if (!r) throw notFound('举报');
  return r;
}

/** One report with its account (decrypted), the reporter masked, its attachments and trail. Every read is audited. */
export async function getReport(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  const r = await reportOr404(ctx, user, id);
  const today = todayInChina();
  const labels = await categoryLabels(ctx, [r]);
  await audit(ctx.db, user, 'ethics.report.read', 'ethics_report', id, {}, ip);
  let reporterMasked: { name: string; phone: string; relation: string } | null = null;
  if (r.reporter_enc) {
    const p = JSON.parse(ctx.pii.decrypt(r.reporter_enc)) as { name?: string; phone?: string; relation?: string };
    reporterMasked = { name: p.name ? maskName(p.name) : '', phone: p.phone ? maskPhone(p.phone) : '', relation: p.relation ?? '' };
  }
  const events = await repo.eventsOf(ctx.db, id);
  const rules = await ethicsRulesFor(ctx.db, r.handling_org_path, todayInChina(new Date(r.received_at)));
  return {
    ...summary(r, labels, today),
    subjectName: r.subject_name_enc ? ctx.pii.decrypt(r.subject_name_enc) : '',
    content: ctx.pii.decrypt(r.content_enc),
    occurredOn: r.occurred_on,
    receivedByName: r.received_by_name,
    reporter: reporterMasked,
    canUnmask: reporterMasked !== null && mayUnmask(user, r),
    firstResponseAt: iso(r.first_response_at),
    answer: r.answer,
    answeredAt: iso(r.answered_at),
    escalationReason: r.escalation_reason,
    canRespond: r.status === 'received',
    deadlinesSource: rules.source ? (rules.source.cite ?? rules.source.title) : '平台默认（受理 5 个工作日、办结 30 个工作日）',
    files: (await repo.filesOf(ctx.db, id)).map((f) => ({ id: f.id, name: f.original_name, kind: f.kind, size: f.size })),
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      actionLabel: EVENT_LABELS[e.action] ?? e.action,
      fromOrgName: e.from_org_name,
      toOrgName: e.to_org_name,
      byName: e.by_name,
      at: iso(e.at),
      comment: e.comment_enc ? ctx.pii.decrypt(e.comment_enc) : null,
    })),
  };
}

/** The reporter's identity in clear: the handling office and the office it was escalated to only; audited. */
export async function unmaskReporter(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  const r = await reportOr404(ctx, user, id);
  if (!r.reporter_enc) throw conflict('匿名举报，没有举报人信息');
  if (!mayUnmask(user, r)) throw notFound('举报人信息');
  await audit(ctx.db, user, 'ethics.reporter.unmask', 'ethics_report', id, {}, ip);
  const p = JSON.parse(ctx.pii.decrypt(r.reporter_enc)) as { name?: string; phone?: string; relation?: string };
  return { name: p.name ?? '', phone: p.phone ?? '', relation: p.relation ?? '' };
}

/** 不予受理: the first response, with the reason the reporter reads on the tracking page. Only while 待受理 (else 409). */
export async function rejectReport(ctx: AppContext, user: CurrentUser, id: number, reason: string, ip?: string) {
  return ctx.db.tx(async (q) => {
    const r = await reportOr404(ctx, user, id, true, q);
    if (r.status !== 'received' || !(await repo.reject(q, id, reason))) throw conflict(`该举报${STATUS_LABELS[r.status]}，不能再作不予受理`);
    await repo.insertEvent(q, { reportId: id, action: 'rejected', byUser: user.id, commentEnc: ctx.pii.encrypt(reason) });
    await audit(q, user, 'ethics.report.reject', 'ethics_report', id, {}, ip);
    return { status: 'rejected' as const };
  });
}

/** 转办: hand a report still 待受理 to another bureau of the caller's subtree; its ethics officers are told. */
export async function transferReport(ctx: AppContext, user: CurrentUser, id: number, orgId: number, comment: string, ip?: string) {
  return ctx.db.tx(async (q) => {
    const r = await reportOr404(ctx, user, id, true, q);
    if (r.status !== 'received') throw conflict(`该举报${STATUS_LABELS[r.status]}，不能再转办`);
    const to = await repo.orgById(q, orgId);
    if (to?.kind !== 'bureau' || to.closed || !to.path.startsWith(user.orgPath))
      throw badRequest('只能转给本单位或下级的教育局', [{ field: 'orgId', message: '请选择本单位或下级的教育局' }]);
    if (to.id === r.handling_org_id) throw badRequest('该举报已由这个单位受理', [{ field: 'orgId', message: '与当前受理单位相同' }]);
    await repo.transfer(q, id, to.id);
    await repo.insertEvent(q, {
      reportId: id,
      action: 'transferred',
      fromOrgId: r.handling_org_id,
      toOrgId: to.id,
      byUser: user.id,
      commentEnc: ctx.pii.encrypt(comment),
    });
    await audit(q, user, 'ethics.report.transfer', 'ethics_report', id, { from: r.handling_org_id, to: to.id }, ip);
    await notify(q, await usersAt(q, [to.id], ['ethicsOfficer']), {
      kind: 'approval',
      title: `${user.orgName}转办一件师德举报，请在 ${r.respond_by} 前答复是否受理`,
      link: `/ethics/reports/${id}`,
    });
    return { handlingOrgId: to.id };
  });
}

/** 补充: a note on the report's trail (what a follow-up call added, what was checked). */
export async function addNote(ctx: AppContext, user: CurrentUser, id: number, comment: string, ip?: string) {
  await reportOr404(ctx, user, id);
  await repo.insertEvent(ctx.db, { reportId: id, action: 'note', byUser: user.id, commentEnc: ctx.pii.encrypt(comment) });
  await audit(ctx.db, user, 'ethics.report.note', 'ethics_report', id, {}, ip);
  return { ok: true };
}

/** An attachment of a report the caller reaches (audited). */
export async function reportFile(ctx: AppContext, user: CurrentUser, id: number, fileId: number, ip?: string): Promise<Download> {
  await reportOr404(ctx, user, id);
  if (!(await repo.hasFile(ctx.db, id, fileId))) throw notFound('文件');
  const d = await openDownload(ctx, user, fileId, () => true);
  await audit(ctx.db, user, 'ethics.report.file', 'ethics_report', id, { fileId }, ip);
  return d;
}

/** Bureaus a report can be transferred to (or logged for): the caller's own and the open ones below it. */
export async function bureausInReach(ctx: AppContext, user: CurrentUser) {
  requireHandler(user, true);
  return (await repo.bureausUnder(ctx.db, user.orgPath)).map((o) => ({ id: o.id, name: o.name }));
}
