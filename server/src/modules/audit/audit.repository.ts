import type { Queryable } from '../../db/db.js';
import { orgScopeSql } from '../../platform/access.js';
import type { AuditFilters } from './audit.schema.js';

export interface AuditRow {
  id: number;
  at: Date;
  user_id: number | null;
  username: string | null;
  display_name: string | null;
  org_id: number | null;
  org_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  seq: number | null;
}

const FROM = `FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN orgs o ON o.id = a.org_id`;
const COLUMNS = `a.id, a.at, a.user_id, u.username, u.display_name, a.org_id, o.name AS org_name, a.action, a.entity, a.entity_id, a.detail, a.ip,
  (SELECT s.seq FROM audit_seals s WHERE s.log_id = a.id) AS seq`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * WHERE for the caller's view: rows of an org in the subtree, and — for the auditor of the region's top
 * bureau — rows that belong to no org (sign-ins with unknown identifiers, system jobs). Then the filters.
 * Days are China days (UTC+8).
 */
function where(scope: string, includeUnattributed: boolean, f: AuditFilters): { sql: string; params: unknown[] } {
  const params: unknown[] = [scope, includeUnattributed];
  const w = [`(${orgScopeSql('o', 1)} OR (a.org_id IS NULL AND $2::boolean))`];
  const add = (cond: (i: number) => string, v: unknown) => {
    params.push(v);
    w.push(cond(params.length));
  };
  if (f.from) add((i) => `a.at >= ($${i} || 'T00:00:00+08:00')::timestamptz`, f.from);
  if (f.to) add((i) => `a.at < ($${i} || 'T00:00:00+08:00')::timestamptz + interval '1 day'`, f.to);
  if (f.user) add((i) => `(u.username ILIKE '%' || $${i} || '%' OR u.display_name ILIKE '%' || $${i} || '%')`, likeEscape(f.user));
  if (f.action) add((i) => `a.action = $${i}`, f.action);
  if (f.entity) add((i) => `a.entity = $${i}`, f.entity);
  if (f.entityId) add((i) => `a.entity_id = $${i}`, f.entityId);
  return { sql: w.join(' AND '), params };
}

export async function listAudit(
  q: Queryable,
  scope: string,
  includeUnattributed: boolean,
  f: AuditFilters,
  page: number,
  pageSize: number,
): Promise<{ rows: AuditRow[]; total: number }> {
  const w = where(scope, includeUnattributed, f);
  const [rows, total] = await Promise.all([
    q.query<AuditRow>(`SELECT ${COLUMNS} ${FROM} WHERE ${w.sql} ORDER BY a.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, w.params),
    q.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${w.sql}`, w.params),
  ]);
  return { rows: rows.rows, total: total.rows[0].n };
}

export async function getAudit(q: Queryable, scope: string, includeUnattributed: boolean, id: number): Promise<AuditRow | null> {
  const w = where(scope, includeUnattributed, {});
  const r = await q.query<AuditRow>(`SELECT ${COLUMNS} ${FROM} WHERE ${w.sql} AND a.id = $${w.params.length + 1}`, [...w.params, id]);
  return r.rows[0] ?? null;
}

/** The rows of an export, newest first, in pages by id (keyset: constant cost per page). */
export async function* iterateAudit(q: Queryable, scope: string, includeUnattributed: boolean, f: AuditFilters, max: number): AsyncGenerator<AuditRow[]> {
  const w = where(scope, includeUnattributed, f);
  let before = Number.MAX_SAFE_INTEGER;
  let left = max;
  while (left > 0) {
    const n = Math.min(1000, left);
    const r = await q.query<AuditRow>(`SELECT ${COLUMNS} ${FROM} WHERE ${w.sql} AND a.id < $${w.params.length + 1} ORDER BY a.id DESC LIMIT ${n}`, [
      ...w.params,
      before,
    ]);
    if (!r.rows.length) return;
    yield r.rows;
    before = r.rows[r.rows.length - 1].id;
    left -= r.rows.length;
    if (r.rows.length < n) return;
  }
}

export async function countAudit(q: Queryable, scope: string, includeUnattributed: boolean, f: AuditFilters): Promise<number> {
  const w = where(scope, includeUnattributed, f);
  return (await q.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${w.sql}`, w.params)).rows[0].n;
}
