import type { Queryable } from '../../db/db.js';
import type { Role } from '../../platform/access.js';
import type { AccountStatus, AdminAccountQuery, TeacherAccountQuery } from './accounts.schema.js';

/**
 * The SQL of 账号管理. Scope: an account is visible to a subtree when its teacher record's school is in it,
 * or when any of its roles (in force or ended) was held at an org in it.
 */

/**
 * The account's state, from its row (alias u, possibly NULL: no account) and its teacher record (alias t,
 * possibly NULL). 'noRole': no role in force, by the rule of the active_user_roles view (a 教师 role counts
 * while the teacher is in post), written out so a list of thousands does not join the view per row.
 */
const STATUS_SQL = `CASE WHEN u.id IS NULL THEN 'none'
       WHEN NOT u.active THEN 'deactivated'
       WHEN NOT EXISTS (SELECT 1 FROM user_roles sr WHERE sr.user_id = u.id AND sr.revoked_at IS NULL AND (sr.role <> 'teacher' OR t.status = 'active')) THEN 'noRole'
       WHEN u.must_change_password THEN 'mustChange'
       ELSE 'active' END`;

const VISIBLE_SQL = (scope: string) => `(tor.path LIKE ${scope} || '%'
       OR EXISTS (SELECT 1 FROM user_roles vr JOIN orgs vo ON vo.id = vr.org_id WHERE vr.user_id = u.id AND vo.path LIKE ${scope} || '%'))`;

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

class Where {
  readonly params: unknown[];
  readonly conds: string[] = [];
  constructor(...params: unknown[]) {
    this.params = params;
  }
  add(sql: (n: number) => string, v: unknown): void {
    this.params.push(v);
    this.conds.push(sql(this.params.length));
  }
  get sql(): string {
    return this.conds.length ? this.conds.join(' AND ') : 'true';
  }
}

export interface TeacherAccountRow {
  teacher_id: number;
  name: string;
  national_id_mask: string;
  teacher_status: string;
  org_id: number;
  org_name: string;
  user_id: number | null;
  username: string | null;
  deactivated_reason: string | null;
  deactivated_note: string | null;
  deactivated_at: Date | null;
  account_created_at: Date | null;
  status: AccountStatus;
}

/** 教师账号 of the subtree: active teachers, and any teacher who has an account (a retired one shows it stopped). */
export async function listTeacherAccounts(
  q: Queryable,
  scope: string,
  f: TeacherAccountQuery,
): Promise<{ rows: TeacherAccountRow[]; total: number; counts: Record<string, number> }> {
  const w = new Where(scope);
  w.conds.push(`o.path LIKE $1 || '%'`, `(t.status = 'active' OR u.id IS NOT NULL)`);
  if (f.orgId) w.add((n) => `o.path LIKE (SELECT path FROM orgs WHERE id = $${n}) || '%'`, f.orgId);
  if (f.q) w.add((n) => `(t.name LIKE $${n} OR lower(u.username) LIKE lower($${n}))`, like(f.q));
  const inner = `SELECT t.id AS teacher_id, t.name, t.national_id_mask, t.status AS teacher_status, o.id AS org_id, o.name AS org_name, o.path AS org_path,
         u.id AS user_id, u.username, u.deactivated_reason, u.deactivated_note, u.deactivated_at, u.created_at AS account_created_at,
         ${STATUS_SQL} AS status
    FROM teachers t JOIN orgs o ON o.id = t.org_id LEFT JOIN users u ON u.teacher_id = t.id
   WHERE ${w.sql}`;
  const counts = await q.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM (${inner}) x GROUP BY status`, w.params);
  const params = [...w.params];
  let statusCond = 'true';
  if (f.status) {
    params.push(f.status);
    statusCond = `x.status = $${params.length}`;
  }
  params.push(f.pageSize, (f.page - 1) * f.pageSize);
  const r = await q.query<TeacherAccountRow & { total: number }>(
    `SELECT x.*, count(*) OVER ()::int AS total FROM (${inner}) x WHERE ${statusCond}
      ORDER BY x.org_path, x.name, x.teacher_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0, counts: Object.fromEntries(counts.rows.map((c) => [c.status, c.n])) };
}

export interface RoleInForce {
  id: number;
  user_id: number;
  role: Role;
  org_id: number;
  org_name: string;
  org_path: string;
  org_kind: string;
}

/** Roles in force of these accounts (ended ones not), with the org each acts at (a teacher role: the school). */
export async function rolesInForce(q: Queryable, userIds: number[]): Promise<RoleInForce[]> {
  if (!userIds.length) return [];
  return (
    await q.query<RoleInForce>(
      `SELECT r.id, r.user_id, r.role, o.id AS org_id, o.name AS org_name, o.path AS org_path, o.kind AS org_kind
         FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN teachers t ON t.id = u.teacher_id
         JOIN orgs o ON o.id = COALESCE(r.org_id, t.org_id)
        WHERE r.user_id = ANY($1::int[]) AND r.revoked_at IS NULL
        ORDER BY r.user_id, r.id`,
      [userIds],
    )
  ).rows;
}

export interface AdminAccountRow {
  id: number;
  username: string;
  display_name: string;
  teacher_id: number | null;
  national_id_mask: string | null;
  phone_mask: string | null;
  deactivated_reason: string | null;
  deactivated_note: string | null;
  deactivated_at: Date | null;
  created_at: Date;
  status: AccountStatus;
}

const ACCOUNT_COLUMNS = `u.id, u.username, u.display_name, u.teacher_id,
       COALESCE(u.national_id_mask, t.national_id_mask) AS national_id_mask, COALESCE(u.phone_mask, t.phone_mask) AS phone_mask,
       u.deactivated_reason, u.deactivated_note, u.deactivated_at, u.created_at, ${STATUS_SQL} AS status`;

/** 管理员账号: accounts that hold or held a role other than 教师 at an org of the subtree. */
export async function listAdminAccounts(q: Queryable, scope: string, f: AdminAccountQuery): Promise<{ rows: AdminAccountRow[]; total: number }> {
  const w = new Where(scope);
  const roleConds = [`ro.path LIKE $1 || '%'`];
  if (f.orgId) {
    w.params.push(f.orgId);
    roleConds.push(`ro.path LIKE (SELECT path FROM orgs WHERE id = $${w.params.length}) || '%'`);
  }
  if (f.role) {
    w.params.push(f.role);
    roleConds.push(`rr.role = $${w.params.length} AND rr.revoked_at IS NULL`);
  }
  w.conds.push(`EXISTS (SELECT 1 FROM user_roles rr JOIN orgs ro ON ro.id = rr.org_id WHERE rr.user_id = u.id AND ${roleConds.join(' AND ')})`);
  if (f.q) w.add((n) => `(u.display_name LIKE $${n} OR lower(u.username) LIKE lower($${n}))`, like(f.q));
  const inner = `SELECT ${ACCOUNT_COLUMNS} FROM users u LEFT JOIN teachers t ON t.id = u.teacher_id WHERE ${w.sql}`;
  const params = [...w.params];
  let statusCond = 'true';
  if (f.status) {
    params.push(f.status);
    statusCond = `x.status = $${params.length}`;
  }
  params.push(f.pageSize, (f.page - 1) * f.pageSize);
  const r = await q.query<AdminAccountRow & { total: number }>(
    `SELECT x.*, count(*) OVER ()::int AS total FROM (${inner}) x WHERE ${statusCond}
      ORDER BY x.username LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export interface AccountRow extends AdminAccountRow {
  active: boolean;
  must_change_password: boolean;
  teacher_name: string | null;
  teacher_status: string | null;
  teacher_org_id: number | null;
  teacher_org_name: string | null;
  teacher_org_path: string | null;
}

/**
 * One account visible in the subtree, or null. `lock` takes the row lock, so two administrators changing
 * the same account (roles, status, password) act one after the other on what the other left.
 */
export async function findAccount(q: Queryable, scope: string, id: number, lock = false): Promise<AccountRow | null> {
  const r = await q.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS}, u.active, u.must_change_password, t.name AS teacher_name, t.status AS teacher_status,
            tor.id AS teacher_org_id, tor.name AS teacher_org_name, tor.path AS teacher_org_path
       FROM users u LEFT JOIN teachers t ON t.id = u.teacher_id LEFT JOIN orgs tor ON tor.id = t.org_id
      WHERE u.id = $2 AND ${VISIBLE_SQL('$1')}${lock ? ' FOR UPDATE OF u' : ''}`,
    [scope, id],
  );
  return r.rows[0] ?? null;
}

/** The account of a teacher of the subtree: { teacher } always when the teacher is in scope; account null if none. */
export async function findTeacherAccount(q: Queryable, scope: string, teacherId: number): Promise<{ teacherStatus: string; userId: number | null } | null> {
  const r = await q.query<{ status: string; user_id: number | null }>(
    `SELECT t.status, u.id AS user_id FROM teachers t JOIN orgs o ON o.id = t.org_id LEFT JOIN users u ON u.teacher_id = t.id
      WHERE t.id = $2 AND o.path LIKE $1 || '%'`,
    [scope, teacherId],
  );
  const row = r.rows[0];
  return row ? { teacherStatus: row.status, userId: row.user_id } : null;
}

export interface RoleHistoryRow {
  id: number;
  role: Role;
  org_id: number | null;
  org_name: string | null;
  granted_at: Date;
  granted_by_name: string | null;
  revoked_at: Date | null;
  revoked_by_name: string | null;
  revoke_reason: string | null;
}

/** Every role the account held or holds, newest first. */
export async function roleHistory(q: Queryable, userId: number): Promise<RoleHistoryRow[]> {
  return (
    await q.query<RoleHistoryRow>(
      `SELECT r.id, r.role, r.org_id, o.name AS org_name, r.granted_at, g.display_name AS granted_by_name,
              r.revoked_at, v.display_name AS revoked_by_name, r.revoke_reason
         FROM user_roles r LEFT JOIN orgs o ON o.id = r.org_id
         LEFT JOIN users g ON g.id = r.granted_by LEFT JOIN users v ON v.id = r.revoked_by
        WHERE r.user_id = $1 ORDER BY (r.revoked_at IS NULL) DESC, r.granted_at DESC, r.id DESC`,
      [userId],
    )
  ).rows;
}

export interface StatusChangeRow {
  at: Date;
  active: boolean;
  cause: 'admin' | 'lastRole' | 'teacherStatus';
  note: string | null;
  changed_by_name: string | null;
}

export async function statusHistory(q: Queryable, userId: number): Promise<StatusChangeRow[]> {
  return (
    await q.query<StatusChangeRow>(
      `SELECT c.at, c.active, c.cause, c.note, b.display_name AS changed_by_name
         FROM account_status_changes c LEFT JOIN users b ON b.id = c.changed_by
        WHERE c.user_id = $1 ORDER BY c.at DESC, c.id DESC`,
      [userId],
    )
  ).rows;
}

// ------------------------------------------------------------------ changes

export async function setInitialPassword(q: Queryable, userId: number, passwordHash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2, must_change_password = true WHERE id = $1', [userId, passwordHash]);
}

export async function deactivate(q: Queryable, userId: number, cause: 'admin' | 'lastRole', note: string | null, by: number): Promise<void> {
  await q.query(`UPDATE users SET active = false, deactivated_at = now(), deactivated_reason = $2, deactivated_note = $3, deactivated_by = $4 WHERE id = $1`, [
    userId,
    cause,
    note,
    by,
  ]);
  await q.query('INSERT INTO account_status_changes (user_id, active, cause, note, changed_by) VALUES ($1, false, $2, $3, $4)', [userId, cause, note, by]);
}

export async function activate(q: Queryable, userId: number, note: string | null, by: number): Promise<void> {
  await q.query(
    `UPDATE users SET active = true, deactivated_at = NULL, deactivated_reason = NULL, deactivated_note = NULL, deactivated_by = NULL WHERE id = $1`,
    [userId],
  );
  await q.query(`INSERT INTO account_status_changes (user_id, active, cause, note, changed_by) VALUES ($1, true, 'admin', $2, $3)`, [userId, note, by]);
}

/** End a role in force; false if it was not (already ended, or not this account's). */
export async function endRole(q: Queryable, userId: number, roleId: number, by: number, reason: string): Promise<boolean> {
  const r = await q.query(
    'UPDATE user_roles SET revoked_at = now(), revoked_by = $3, revoke_reason = $4 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL',
    [userId, roleId, by, reason],
  );
  return r.rowCount > 0;
}

/** Sessions acting in a role that has just ended (the person's other sessions carry on). */
export async function endRoleSessions(q: Queryable, roleId: number): Promise<number> {
  return (await q.query('DELETE FROM auth_sessions WHERE role_id = $1', [roleId])).rowCount;
}

export interface OrgFactsRow {
  id: number;
  path: string;
  kind: string;
  name: string;
}

export async function orgFacts(q: Queryable, orgId: number): Promise<OrgFactsRow | null> {
  return (await q.query<OrgFactsRow>('SELECT id, path, kind, name FROM orgs WHERE id = $1', [orgId])).rows[0] ?? null;
}

export async function usernameTaken(q: Queryable, username: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [username])).rows.length > 0;
}

/** Who already signs in with this 身份证号: a teacher record (with its school path) and/or an account of its own. */
export async function nationalIdHolders(
  q: Queryable,
  idx: string,
): Promise<{ teacher: { name: string; orgName: string; orgPath: string } | null; account: boolean }> {
  const t = await q.query<{ name: string; org_name: string; path: string }>(
    'SELECT t.name, o.name AS org_name, o.path FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.national_id_idx = $1',
    [idx],
  );
  const u = await q.query('SELECT 1 FROM users WHERE national_id_idx = $1', [idx]);
  const row = t.rows[0];
  return { teacher: row ? { name: row.name, orgName: row.org_name, orgPath: row.path } : null, account: u.rows.length > 0 };
}

export async function setSignInIdentifiers(
  q: Queryable,
  userId: number,
  ids: { nationalIdIdx: string | null; nationalIdMask: string | null; phoneIdx: string | null; phoneMask: string | null },
): Promise<void> {
  await q.query('UPDATE users SET national_id_idx = $2, national_id_mask = $3, phone_idx = $4, phone_mask = $5 WHERE id = $1', [
    userId,
    ids.nationalIdIdx,
    ids.nationalIdMask,
    ids.phoneIdx,
    ids.phoneMask,
  ]);
}
