import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { streamXlsx, type XlsxColumn } from '../../platform/excel.js';
import { isTopmost } from '../security/security.repository.js';
import { actionLabel, entityLabel, LOGIN_FAILURE_REASONS } from './audit-actions.js';
import { verifyAuditChain, type ChainReport } from './audit-chain.js';
import * as repo from './audit.repository.js';
import type { AuditFilters, AuditListQuery } from './audit.schema.js';

/**
 * 审计日志 for the 审计管理员 (permission audit.read; 三权分立: the 系统管理员 and the 安全管理员 do not have it,
 * and the auditor changes nothing — the only writes here are the audit lines of the auditor's own exports
 * and checks). Everything in the caller's subtree; the topmost auditor also sees rows of no org.
 */

/** A long digit run in a detail (an ID or phone someone typed as a filter) is shown masked. */
export function maskLongDigits(s: string): string {
  return s.replace(/\d{11,}[\dXx]?/g, (m) => `${m.slice(0, 3)}${'*'.repeat(m.length - 5)}${m.slice(-2)}`);
}

function maskDetail(v: unknown): unknown {
  if (typeof v === 'string') return maskLongDigits(v);
  if (Array.isArray(v)) return v.map(maskDetail);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDetail(x)]));
  return v;
}

function present(r: repo.AuditRow) {
  const detail = maskDetail(r.detail ?? {}) as Record<string, unknown>;
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    userId: r.user_id,
    username: r.username ?? (typeof detail.username === 'string' ? detail.username : null),
    displayName: r.display_name,
    orgId: r.org_id,
    orgName: r.org_name,
    action: r.action,
    actionLabel: actionLabel(r.action),
    entity: r.entity,
    entityLabel: entityLabel(r.entity),
    entityId: r.entity_id,
    detail,
    reasonLabel: typeof detail.reason === 'string' && r.action === 'login.failed' ? (LOGIN_FAILURE_REASONS[detail.reason] ?? null) : null,
    ip: r.ip,
    /** Its position in the hash chain (null: not sealed yet, within seconds of its commit). */
    seq: r.seq,
  };
}
export type AuditEntryDto = ReturnType<typeof present>;

export async function listAudit(ctx: AppContext, user: CurrentUser, query: AuditListQuery) {
  requirePermission(user, 'audit.read');
  const { page, pageSize, ...filters } = query;
  const root = await isTopmost(ctx.db, 'auditor', user.orgPath);
  const r = await repo.listAudit(ctx.db, user.scopePath, root, filters, page, pageSize);
  return { items: r.rows.map(present), total: r.total, page, pageSize };
}

export async function getAuditEntry(ctx: AppContext, user: CurrentUser, id: number): Promise<AuditEntryDto> {
  requirePermission(user, 'audit.read');
  const r = await repo.getAudit(ctx.db, user.scopePath, await isTopmost(ctx.db, 'auditor', user.orgPath), id);
  if (!r) throw notFound('审计记录');
  return present(r);
}

/** Rows one export may hold; a larger selection is refused with a hint to narrow the filters. */
export const AUDIT_EXPORT_MAX = 100_000;

const EXPORT_COLUMNS: (XlsxColumn & { value: (e: AuditEntryDto) => unknown })[] = [
  { header: '编号', width: 10, value: (e) => e.id },
  { header: '时间', width: 20, value: (e) => chinaTime(e.at) },
  { header: '用户名', width: 16, value: (e) => e.username ?? '' },
  { header: '姓名', width: 12, value: (e) => e.displayName ?? '' },
  { header: '单位', width: 24, value: (e) => e.orgName ?? '' },
  { header: '操作', width: 26, value: (e) => e.actionLabel },
  { header: '操作代码', width: 22, value: (e) => e.action },
  { header: '对象', width: 12, value: (e) => e.entityLabel },
  { header: '对象编号', width: 12, value: (e) => e.entityId ?? '' },
  { header: '详情', width: 60, value: (e) => JSON.stringify(e.detail) },
  { header: 'IP 地址', width: 16, value: (e) => e.ip ?? '' },
  { header: '校验链序号', width: 12, value: (e) => e.seq ?? '' },
];

/** 'YYYY-MM-DD HH:mm:ss' in China time. */
function chinaTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** .xlsx of the filtered rows (streamed), audited with the filters and the row count. */
export async function exportAudit(
  ctx: AppContext,
  user: CurrentUser,
  filters: AuditFilters,
  ip?: string,
): Promise<{ stream: Readable; fileName: string; count: number }> {
  requirePermission(user, 'audit.read');
  const root = await isTopmost(ctx.db, 'auditor', user.orgPath);
  const count = Math.min(await repo.countAudit(ctx.db, user.scopePath, root, filters), AUDIT_EXPORT_MAX);
  await audit(ctx.db, user, 'audit.export', 'audit_log', null, { filters, rows: count }, ip);
  const pages = (async function* () {
    for await (const page of repo.iterateAudit(ctx.db, user.scopePath, root, filters, AUDIT_EXPORT_MAX))
      yield page.map((r) => {
        const e = present(r);
        return EXPORT_COLUMNS.map((c) => c.value(e));
      });
  })();
  const stamp = chinaTime(new Date().toISOString()).slice(0, 10);
  return { stream: streamXlsx('审计日志', EXPORT_COLUMNS, pages), fileName: `审计日志-${stamp}.xlsx`, count };
}

/** 完整性校验: walk the hash chain (whole log) and report the first altered or removed rows; audited. */
export async function verifyAudit(ctx: AppContext, user: CurrentUser, ip?: string): Promise<ChainReport> {
  requirePermission(user, 'audit.read');
  const report = await verifyAuditChain(ctx.db, ctx.config.secret);
  await audit(ctx.db, user, 'audit.verify', 'audit_log', null, { ok: report.ok, checked: report.checked, problems: report.problemCount }, ip);
  return report;
}
