import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { ROLE_LABELS, requirePermission, type CurrentUser } from '../../platform/access.js';
import { piiViewOf, viewNationalIdMask, viewPhoneMask } from '../../platform/pii-view.js';
import { audit } from '../../platform/audit.js';
import { destroyAllSessions } from '../../platform/auth.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { TEACHER_STATUS } from '../../platform/vocab.js';
import { grantRole } from '../users/users.repository.js';
import * as repo from './accounts.repository.js';
import type { AccountRow, RoleInForce } from './accounts.repository.js';
import { ACCOUNT_STATUS, type AccountStatus, type AdminAccountQuery, type TeacherAccountQuery } from './accounts.schema.js';
import { type AccountFacts, type Manager, manageProblem, type RuleProblem } from './role-rules.js';

/**
 * 账号管理, reading and 停用/启用: the accounts of the caller's subtree with their state in Chinese, and
 * the checks every change to an account goes through (managedAccount). Issuing and resetting passwords
 * are in issue.service.ts, roles in roles.service.ts.
 */

export const ruleError = (p: RuleProblem) => new AppError(p.code, p.message, p.field ? [{ field: p.field, message: p.message }] : []);

const teacherStatusLabel = (s: string) => (TEACHER_STATUS as Record<string, string>)[s] ?? s;

/** Why an account is stopped, in Chinese (null when it is not). */
export function deactivationText(reason: string | null, note: string | null): string | null {
  if (!reason) return null;
  if (reason.startsWith('teacherStatus:')) return `教师状态变为「${teacherStatusLabel(reason.slice('teacherStatus:'.length))}」，账号随之停用`;
  if (reason === 'admin') return note ? `系统管理员停用：${note}` : '系统管理员停用';
  if (reason === 'lastRole') return note ? `最后一个角色已结束：${note}` : '最后一个角色已结束';
  return reason;
}

/** Why a role ended, in Chinese. */
export function roleEndText(reason: string | null): string | null {
  if (!reason) return null;
  if (reason.startsWith('teacherStatus:')) return `教师状态变为「${teacherStatusLabel(reason.slice('teacherStatus:'.length))}」`;
  return reason;
}

function statusOf(r: { status: AccountStatus; deactivated_reason: string | null; deactivated_note: string | null }) {
  return {
    status: r.status,
    statusLabel: ACCOUNT_STATUS[r.status],
    statusReason:
      r.status === 'deactivated'
        ? deactivationText(r.deactivated_reason, r.deactivated_note)
        : r.status === 'noRole'
          ? '该账号当前没有有效角色，无法登录'
          : r.status === 'mustChange'
            ? '尚未使用初始密码登录并修改密码'
            : null,
  };
}

export const managerOf = (user: CurrentUser): Manager => ({ userId: user.id, orgPath: user.orgPath });

function factsOf(userId: number, teacher: { status: string; orgPath: string } | null, roles: RoleInForce[]): AccountFacts {
  return {
    userId,
    teacher,
    roles: roles.map((r) => ({ role: r.role, orgId: r.org_id, orgPath: r.org_path, orgName: r.org_name })),
  };
}

const presentRole = (r: RoleInForce) => ({ id: r.id, role: r.role, roleLabel: ROLE_LABELS[r.role], orgId: r.org_id, orgName: r.org_name });

// ------------------------------------------------------------------ lists

export async function listTeacherAccounts(ctx: AppContext, user: CurrentUser, f: TeacherAccountQuery) {
  requirePermission(user, 'accounts.read');
  const r = await repo.listTeacherAccounts(ctx.db, user.scopePath, f);
  const ids = r.rows.flatMap((x) => (x.user_id ? [x.user_id] : []));
  const roles = await repo.rolesInForce(ctx.db, ids);
  return {
    items: r.rows.map((x) => ({
      teacherId: x.teacher_id,
      name: x.name,
      orgId: x.org_id,
      orgName: x.org_name,
      nationalIdMasked: viewNationalIdMask(x.national_id_mask, piiViewOf(user)),
      teacherStatus: x.teacher_status,
      teacherStatusLabel: teacherStatusLabel(x.teacher_status),
      account: x.user_id ? { id: x.user_id, username: x.username as string, createdAt: x.account_created_at as Date } : null,
      ...statusOf(x),
      /** Roles in force besides 教师 (a teacher who is also the school's 信息管理员 …). */
      otherRoles: roles.filter((o) => o.user_id === x.user_id && o.role !== 'teacher').map(presentRole),
      blockedReason: x.user_id
        ? (manageProblem(
            managerOf(user),
            factsOf(
              x.user_id,
              null,
              roles.filter((o) => o.user_id === x.user_id),
            ),
          )?.message ?? null)
        : null,
    })),
    total: r.total,
    page: f.page,
    pageSize: f.pageSize,
    /** How many teachers of the filtered set are in each state (for the filter's counters). */
    counts: Object.fromEntries(Object.keys(ACCOUNT_STATUS).map((k) => [k, r.counts[k] ?? 0])) as Record<AccountStatus, number>,
  };
}
export type TeacherAccountDto = Awaited<ReturnType<typeof listTeacherAccounts>>['items'][number];

function presentAccount(a: repo.AdminAccountRow, roles: RoleInForce[], user: CurrentUser) {
  const own = roles.filter((r) => r.user_id === a.id);
  return {
    id: a.id,
    username: a.username,
    displayName: a.display_name,
    teacherId: a.teacher_id,
    nationalIdMasked: viewNationalIdMask(a.national_id_mask, piiViewOf(user)),
    phoneMasked: viewPhoneMask(a.phone_mask, piiViewOf(user)),
    createdAt: a.created_at,
    ...statusOf(a),
    roles: own.map(presentRole),
    /** Why the caller may not change this account (null: they may). */
    blockedReason: manageProblem(managerOf(user), factsOf(a.id, null, own))?.message ?? null,
  };
}
export type AdminAccountDto = ReturnType<typeof presentAccount>;

export async function listAdminAccounts(ctx: AppContext, user: CurrentUser, f: AdminAccountQuery) {
  requirePermission(user, 'accounts.read');
  const r = await repo.listAdminAccounts(ctx.db, user.scopePath, f);
  const roles = await repo.rolesInForce(
    ctx.db,
    r.rows.map((x) => x.id),
  );
  return { items: r.rows.map((a) => presentAccount(a, roles, user)), total: r.total, page: f.page, pageSize: f.pageSize };
}

/** One account: its roles (ended ones too, with who and why) and the history of stops and restarts. */
export async function getAccount(ctx: AppContext, user: CurrentUser, id: number) {
  requirePermission(user, 'accounts.read');
  const a = await repo.findAccount(ctx.db, user.scopePath, id);
  if (!a) throw notFound('账号');
  const [roles, history, status] = await Promise.all([repo.rolesInForce(ctx.db, [id]), repo.roleHistory(ctx.db, id), repo.statusHistory(ctx.db, id)]);
  return {
    ...presentAccount(a, roles, user),
    teacher: a.teacher_id
      ? {
          id: a.teacher_id,
          name: a.teacher_name,
          status: a.teacher_status,
          statusLabel: teacherStatusLabel(a.teacher_status ?? ''),
          orgName: a.teacher_org_name,
        }
      : null,
    roleHistory: history.map((h) => ({
      id: h.id,
      role: h.role,
      roleLabel: ROLE_LABELS[h.role],
      orgName: h.org_name ?? a.teacher_org_name,
      grantedAt: h.granted_at,
      grantedBy: h.granted_by_name,
      endedAt: h.revoked_at,
      endedBy: h.revoked_by_name,
      endReason: roleEndText(h.revoke_reason),
    })),
    statusHistory: status.map((s) => ({
      at: s.at,
      active: s.active,
      text: s.active
        ? '启用'
        : (deactivationText(s.cause === 'teacherStatus' ? `teacherStatus:${s.note}` : s.cause, s.cause === 'teacherStatus' ? null : s.note) ?? '停用'),
      note: s.cause === 'admin' && s.active ? s.note : null,
      by: s.changed_by_name,
    })),
  };
}
export type AccountDetail = Awaited<ReturnType<typeof getAccount>>;

/** The account of one teacher (teacher detail page): null when the teacher has none yet. */
export async function teacherAccount(ctx: AppContext, user: CurrentUser, teacherId: number) {
  requirePermission(user, 'accounts.read');
  const t = await repo.findTeacherAccount(ctx.db, user.scopePath, teacherId);
  if (!t) throw notFound('教师');
  if (!t.userId) return { account: null };
  const a = await repo.findAccount(ctx.db, user.scopePath, t.userId);
  if (!a) return { account: null };
  const roles = await repo.rolesInForce(ctx.db, [a.id]);
  return { account: presentAccount(a, roles, user) };
}

// ------------------------------------------------------------------ the checks every change goes through

export interface Managed {
  account: AccountRow;
  roles: RoleInForce[];
  facts: AccountFacts;
}

/**
 * The account `id` as the caller may change it, row-locked in transaction q: 404 outside the subtree,
 * 403 when it is theirs, holds a role outside their subtree or is a 系统管理员 of their own org.
 * `check: false` leaves the rule check to the caller (granting and ending roles have their own).
 */
export async function managedAccount(q: Queryable, user: CurrentUser, id: number, check = true): Promise<Managed> {
  requirePermission(user, 'accounts.manage');
  const account = await repo.findAccount(q, user.scopePath, id, true);
  if (!account) throw notFound('账号');
  const roles = await repo.rolesInForce(q, [id]);
  const facts = factsOf(id, account.teacher_id ? { status: account.teacher_status ?? '', orgPath: account.teacher_org_path ?? '' } : null, roles);
  if (check) {
    const p = manageProblem(managerOf(user), facts);
    if (p) throw ruleError(p);
  }
  return { account, roles, facts };
}

// ------------------------------------------------------------------ 停用 / 启用

/** 停用: the account can no longer sign in and its sessions end; the reason is kept and audited. */
export async function deactivateAccount(ctx: AppContext, user: CurrentUser, id: number, reason: string, ip?: string) {
  return ctx.db.tx(async (q) => {
    const { account } = await managedAccount(q, user, id);
    if (!account.active) throw conflict('该账号已是停用状态');
    await repo.deactivate(q, id, 'admin', reason, user.id);
    const ended = await destroyAllSessions(q, id);
    await audit(q, user, 'account.deactivate', 'user', id, { username: account.username, reason, sessionsEnded: ended }, ip);
    return { sessionsEnded: ended };
  });
}

/**
 * 启用: the account may sign in again. A teacher's account needs the teacher in post (在职) and gets its
 * 教师 role back if leaving had ended it; an account left with no role at all cannot be started.
 */
export async function activateAccount(ctx: AppContext, user: CurrentUser, id: number, reason: string | undefined, ip?: string) {
  return ctx.db.tx(async (q) => {
    const { account, roles } = await managedAccount(q, user, id);
    if (account.active) throw conflict('该账号已是启用状态');
    let teacherRoleRestored = false;
    if (account.teacher_id) {
      if (account.teacher_status !== 'active')
        throw conflict(`该教师当前状态为「${teacherStatusLabel(account.teacher_status ?? '')}」，不能启用其账号；教师恢复在职后可再启用`);
      if (!roles.some((r) => r.role === 'teacher')) {
        await grantRole(q, id, 'teacher', 0, user.id);
        teacherRoleRestored = true;
      }
    } else if (!roles.length) {
      throw conflict('该账号没有有效角色，启用后也无法登录；请先在“角色”中授予角色，再启用');
    }
    await repo.activate(q, id, reason ?? null, user.id);
    await audit(q, user, 'account.activate', 'user', id, { username: account.username, reason: reason ?? null, teacherRoleRestored }, ip);
    return { teacherRoleRestored };
  });
}
