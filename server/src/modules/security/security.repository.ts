import type { Queryable } from '../../db/db.js';
import { orgScopeSql, type Role } from '../../platform/access.js';
import { SETTINGS_SELECT, settingsFromRow, type SecuritySettings } from '../../platform/security-settings.js';

/** Every version of the 安全策略, newest first. */
export async function settingsHistory(q: Queryable, limit = 50): Promise<SecuritySettings[]> {
  // biome-ignore lint/suspicious/noExplicitAny: the row shape is SETTINGS_SELECT's, typed in settingsFromRow
  const r = await q.query<any>(`${SETTINGS_SELECT} ORDER BY s.version DESC LIMIT $1`, [limit]);
  return r.rows.map(settingsFromRow);
}

/**
 * Whether no one holds `role` at an org above `orgPath`: the topmost 安全管理员 sets the deployment's 安全策略,
 * the topmost 安全管理员 / 审计管理员 also sees the log lines that belong to no org (unknown sign-in names,
 * system jobs). (The demo region's city has a province above it that nobody administers.)
 */
export async function isTopmost(q: Queryable, role: Role, orgPath: string): Promise<boolean> {
  const r = await q.query<{ top: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM user_roles r JOIN orgs o ON o.id = r.org_id
      WHERE r.role = $1 AND r.revoked_at IS NULL AND $2 LIKE o.path || '%' AND o.path <> $2) AS top`,
    [role, orgPath],
  );
  return r.rows[0].top;
}

/**
 * An account is in the caller's scope when one of its roles in force acts at an org of the subtree (a teacher
 * role: at the teacher's school).
 */
const IN_SCOPE = `EXISTS (SELECT 1 FROM user_roles r LEFT JOIN teachers t ON t.id = u.teacher_id
   JOIN orgs o ON o.id = COALESCE(r.org_id, t.org_id)
  WHERE r.user_id = u.id AND r.revoked_at IS NULL AND ${orgScopeSql('o', 1)})`;

export interface AccountSecurityRow {
  id: number;
  username: string;
  display_name: string;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
  totp_enrolled: boolean;
  recovery_codes_left: number;
  orgs: string | null;
  last_login: Date | null;
}

const ACCOUNT_COLUMNS = `u.id, u.username, u.display_name, u.active, u.failed_logins,
  CASE WHEN u.locked_until > now() THEN u.locked_until END AS locked_until,
  EXISTS (SELECT 1 FROM user_totp x WHERE x.user_id = u.id AND x.enrolled_at IS NOT NULL) AS totp_enrolled,
  (SELECT count(*)::int FROM user_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL) AS recovery_codes_left,
  (SELECT string_agg(DISTINCT o.name, '、') FROM user_roles r LEFT JOIN teachers t ON t.id = u.teacher_id
     JOIN orgs o ON o.id = COALESCE(r.org_id, t.org_id) WHERE r.user_id = u.id AND r.revoked_at IS NULL) AS orgs,
  (SELECT max(l.at) FROM audit_log l WHERE l.user_id = u.id AND l.action = 'login') AS last_login`;

/** Accounts in scope by username or name (at most 50), or those locked now. */
export async function searchAccounts(q: Queryable, scope: string, opts: { q?: string; locked?: boolean }): Promise<AccountSecurityRow[]> {
  const params: unknown[] = [scope];
  const where = [IN_SCOPE];
  if (opts.locked) where.push('u.locked_until > now()');
  if (opts.q) {
    params.push(opts.q.replace(/[\\%_]/g, (c) => `\\${c}`));
    where.push(`(u.username ILIKE '%' || $${params.length} || '%' OR u.display_name ILIKE '%' || $${params.length} || '%')`);
  }
  const r = await q.query<AccountSecurityRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE ${where.join(' AND ')} ORDER BY u.locked_until DESC NULLS LAST, u.username LIMIT 50`,
    params,
  );
  return r.rows;
}

/** One account in scope, or null (then the caller answers 404). */
export async function accountInScope(q: Queryable, scope: string, userId: number): Promise<AccountSecurityRow | null> {
  const r = await q.query<AccountSecurityRow>(`SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE u.id = $2 AND ${IN_SCOPE}`, [scope, userId]);
  return r.rows[0] ?? null;
}

export interface FailedLoginRow {
  id: number;
  at: Date;
  action: string;
  user_id: number | null;
  username: string | null;
  display_name: string | null;
  org_name: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

/**
 * Failed sign-ins and locks of the last `hours`, newest first: those attributed to an org in scope, and — for
 * the region's top bureau — those of identifiers no account has (they belong to no org).
 */
export async function recentFailedLogins(q: Queryable, scope: string, includeUnattributed: boolean, hours: number): Promise<FailedLoginRow[]> {
  const r = await q.query<FailedLoginRow>(
    `SELECT a.id, a.at, a.action, a.user_id, u.username, u.display_name, o.name AS org_name, a.detail, a.ip
       FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN orgs o ON o.id = a.org_id
      WHERE a.action IN ('login.failed', 'account.locked') AND a.at > now() - make_interval(hours => $2::int)
        AND (${orgScopeSql('o', 1)} OR (a.org_id IS NULL AND $3::boolean))
      ORDER BY a.id DESC LIMIT 200`,
    [scope, hours, includeUnattributed],
  );
  return r.rows;
}
