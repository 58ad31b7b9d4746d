import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { destroyAllSessions } from '../../platform/auth.js';
import { notFound } from '../../platform/errors.js';
import { TEACHER_STATUS } from '../../platform/vocab.js';
import { findInScope } from '../orgs/orgs.repository.js';
import * as accounts from './accounts.repository.js';
import { managedAccount } from './accounts.service.js';
import { ISSUE_CHUNK, type IssueBody, type ResetBody } from './accounts.schema.js';
import { generateInitialPassword, hashAll } from './initial-password.js';
import * as repo from './issue.repository.js';
import { appendToSlip, type SlipEntry, slipFor } from './slips.js';

/**
 * 开通账号 and 重置密码: initial passwords are generated here, hashed (argon2id, several at a time off the
 * event loop), stored only as hashes, answered once to the 系统管理员 and put on their 账号单. They never
 * reach the audit log or the server log.
 */

export const TEACHER_SIGN_IN = '用户名、本人身份证号或登记的手机号';

export interface IssuedAccount {
  userId: number;
  teacherId: number;
  name: string;
  orgName: string;
  username: string;
  initialPassword: string;
}

export interface SkippedTeacher {
  teacherId: number;
  name: string | null;
  reason: string;
}

/**
 * Issue accounts to teachers of the caller's subtree: the selected ones (≤ ISSUE_CHUNK), or the next
 * ISSUE_CHUNK of an org's teachers without one — `remaining` says how many are left, and the web asks
 * again with the same slipId until none are, so a county is issued in rounds of a few seconds each, each
 * round one transaction. Teachers who have an account or are not in post are skipped with the reason.
 */
export async function issueAccounts(ctx: AppContext, user: CurrentUser, body: IssueBody, ip?: string, chunk = ISSUE_CHUNK) {
  requirePermission(user, 'accounts.manage');
  const skipped: SkippedTeacher[] = [];
  let candidates: repo.IssueCandidate[];
  let orgPath: string | null = null;
  if (body.orgId !== undefined) {
    const org = await findInScope(ctx.db, user.scopePath, { id: body.orgId });
    if (!org) throw notFound('单位');
    orgPath = org.path;
    candidates = await repo.teachersWithoutAccount(ctx.db, org.path, chunk);
  } else {
    const ids = [...new Set(body.teacherIds ?? [])];
    const found = await repo.teachersByIds(ctx.db, user.scopePath, ids);
    const byId = new Map(found.map((t) => [t.id, t]));
    candidates = [];
    for (const id of ids) {
      const t = byId.get(id);
      if (!t) skipped.push({ teacherId: id, name: null, reason: '教师不存在或不在您的管理范围内' });
      else if (t.username) skipped.push({ teacherId: id, name: t.name, reason: `已开通账号（用户名 ${t.username}）` });
      else if (t.status !== 'active')
        skipped.push({ teacherId: id, name: t.name, reason: `教师状态为「${(TEACHER_STATUS as Record<string, string>)[t.status] ?? t.status}」，不开通账号` });
      else candidates.push(t);
    }
  }

  // Hash before the transaction: a round takes seconds of CPU and should not hold locks meanwhile.
  const passwords = candidates.map(() => generateInitialPassword());
  const hashes = await hashAll(passwords);

  return ctx.db.tx(async (q) => {
    const slip = await slipFor(q, user, 'issue', body.slipId);
    const created = await repo.insertTeacherAccounts(
      q,
      candidates.map((c, i) => ({ teacherId: c.id, name: c.name, passwordHash: hashes[i] })),
      user.id,
    );
    const userOf = new Map(created.map((c) => [c.teacher_id, c.id]));
    const issued: IssuedAccount[] = [];
    candidates.forEach((c, i) => {
      const userId = userOf.get(c.id);
      if (userId === undefined) skipped.push({ teacherId: c.id, name: c.name, reason: '已由他人同时开通' });
      else issued.push({ userId, teacherId: c.id, name: c.name, orgName: c.org_name, username: `t${c.id}`, initialPassword: passwords[i] });
    });
    const entries: SlipEntry[] = issued.map((a) => ({
      name: a.name,
      orgName: a.orgName,
      username: a.username,
      password: a.initialPassword,
      signIn: TEACHER_SIGN_IN,
    }));
    await appendToSlip(ctx, q, slip, entries);
    if (issued.length)
      await audit(
        q,
        user,
        'account.issue',
        'account_slip',
        slip.id,
        { count: issued.length, teacherIds: issued.map((a) => a.teacherId), ...(body.orgId ? { orgId: body.orgId } : {}) },
        ip,
      );
    const remaining = orgPath ? await repo.countWithoutAccount(q, orgPath) : 0;
    return {
      slipId: slip.id,
      expiresAt: slip.expires_at,
      issued,
      skipped,
      /** Teachers of the org still without an account after this round (org mode; 0 otherwise). */
      remaining,
    };
  });
}
export type IssueResult = Awaited<ReturnType<typeof issueAccounts>>;

/** How an account signs in, for its slip: a teacher account also by 身份证号/phone; an admin account by what it has. */
export function signInText(a: { teacher_id: number | null; national_id_mask: string | null; phone_mask: string | null }): string {
  if (a.teacher_id) return TEACHER_SIGN_IN;
  return ['用户名', ...(a.national_id_mask ? ['本人身份证号'] : []), ...(a.phone_mask ? ['登记的手机号'] : [])].join('、');
}

/**
 * 重置密码 by the 系统管理员 (忘记密码): a new initial password, answered once and put on a 账号单, that must
 * be changed at the next sign-in; every session of the account ends. Audited without the password.
 */
export async function resetPassword(ctx: AppContext, user: CurrentUser, id: number, body: ResetBody, ip?: string) {
  const password = generateInitialPassword();
  const [hash] = await hashAll([password]);
  return ctx.db.tx(async (q) => {
    const { account } = await managedAccount(q, user, id);
    await accounts.setInitialPassword(q, id, hash);
    const sessionsEnded = await destroyAllSessions(q, id);
    const slip = await slipFor(q, user, 'reset', body.slipId);
    const orgName = account.teacher_org_name ?? (await accounts.rolesInForce(q, [id]))[0]?.org_name ?? '';
    await appendToSlip(ctx, q, slip, [{ name: account.display_name, orgName, username: account.username, password, signIn: signInText(account) }]);
    await audit(q, user, 'account.password.reset', 'user', id, { username: account.username, sessionsEnded, slipId: slip.id }, ip);
    return {
      userId: id,
      name: account.display_name,
      username: account.username,
      initialPassword: password,
      sessionsEnded,
      /** A stopped account keeps its new password but still cannot sign in until it is started again. */
      accountActive: account.active,
      slipId: slip.id,
      expiresAt: slip.expires_at,
    };
  });
}
export type ResetResult = Awaited<ReturnType<typeof resetPassword>>;
