import type { AppContext } from '../../platform/context.js';
import { ROLE_LABELS, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { destroyAllSessions } from '../../platform/auth.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { maskNationalId, maskPhone } from '../../platform/national-id.js';
import { grantRole, insertUser } from '../users/users.repository.js';
import * as repo from './accounts.repository.js';
import { managedAccount, managerOf, ruleError } from './accounts.service.js';
import type { CreateAdminBody, EndRoleBody, GrantBody } from './accounts.schema.js';
import { generateInitialPassword, hashAll } from './initial-password.js';
import { signInText } from './issue.service.js';
import { endProblem, grantProblem, manageProblem } from './role-rules.js';
import { appendToSlip, slipFor } from './slips.js';

/**
 * Admin accounts and roles: 新建管理员账号 for a person without a teacher record, 授予角色 and 结束角色.
 * A role row is never changed or deleted, only ended (who, when, why); the rules live in role-rules.ts.
 */

/** The org a role is to be held at; an id that names no org is refused like one outside the subtree. */
async function orgFor(q: Parameters<typeof repo.orgFacts>[0], orgId: number | undefined) {
  if (orgId === undefined) return null;
  const org = await repo.orgFacts(q, orgId);
  if (!org) throw ruleError({ code: 'FORBIDDEN', field: 'orgId', message: '只能在本单位及下级单位授予角色' });
  return org;
}

/** The 23505 of a role granted twice at once, as the 409 the rule check would have given. */
function duplicateRole(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw conflict('该账号已有此角色');
  throw err;
}

/**
 * 新建管理员账号: username, name and optionally the person's 身份证号 / phone (kept only as blind index and
 * mask, for signing in with them), with their first role. The initial password is answered once, put on a
 * 账号单 and must be changed at first sign-in.
 */
export async function createAdminAccount(ctx: AppContext, user: CurrentUser, body: CreateAdminBody, ip?: string) {
  requirePermission(user, 'accounts.manage');
  const nid = body.nationalId || null;
  const phone = body.phone || null;
  const nidIdx = nid ? ctx.pii.blindIndex(nid) : null;
  const org = await orgFor(ctx.db, body.orgId);
  // The new person holds nothing yet; the role must still fit the org, the caller's subtree and the rules.
  const p = grantProblem(managerOf(user), { userId: 0, teacher: null, roles: [] }, body.role, org);
  if (p) throw ruleError(p);
  const password = generateInitialPassword();
  const [hash] = await hashAll([password]);
  return ctx.db.tx(async (q) => {
    if (await repo.usernameTaken(q, body.username))
      throw new AppError('CONFLICT', `用户名「${body.username}」已被使用，请换一个`, [{ field: 'username', message: '用户名已被使用，请换一个' }]);
    if (nidIdx) {
      const holders = await repo.nationalIdHolders(q, nidIdx);
      if (holders.teacher) {
        const msg = holders.teacher.orgPath.startsWith(user.scopePath)
          ? `该身份证号属于在册教师「${holders.teacher.name}」（${holders.teacher.orgName}），请先在“教师账号”中为其开通账号，再授予角色`
          : '该身份证号已登记为教师，请由其所在单位的系统管理员开通账号后授予角色';
        throw new AppError('CONFLICT', msg, [{ field: 'nationalId', message: msg }]);
      }
      if (holders.account) throw new AppError('CONFLICT', '该身份证号已用于其他账号', [{ field: 'nationalId', message: '该身份证号已用于其他账号' }]);
    }
    const id = await insertUser(q, {
      username: body.username,
      passwordHash: hash,
      displayName: body.displayName,
      role: body.role,
      orgId: body.orgId,
      mustChangePassword: true,
      createdBy: user.id,
    });
    await repo.setSignInIdentifiers(q, id, {
      nationalIdIdx: nidIdx,
      nationalIdMask: nid ? maskNationalId(nid) : null,
      phoneIdx: phone ? ctx.pii.blindIndex(phone) : null,
      phoneMask: phone ? maskPhone(phone) : null,
    });
    const slip = await slipFor(q, user, 'create', body.slipId);
    const signIn = signInText({ teacher_id: null, national_id_mask: nid, phone_mask: phone });
    await appendToSlip(ctx, q, slip, [{ name: body.displayName, orgName: org?.name ?? '', username: body.username, password, signIn }]);
    await audit(q, user, 'account.create', 'user', id, { username: body.username, role: body.role, orgId: body.orgId, slipId: slip.id }, ip);
    return {
      userId: id,
      username: body.username,
      displayName: body.displayName,
      initialPassword: password,
      signIn,
      slipId: slip.id,
      expiresAt: slip.expires_at,
    };
  });
}
export type CreateAdminResult = Awaited<ReturnType<typeof createAdminAccount>>;

/** 授予角色: one more role for an account of the subtree, at an org of the subtree (see grantProblem). */
export async function grantAccountRole(ctx: AppContext, user: CurrentUser, id: number, body: GrantBody, ip?: string) {
  return ctx.db.tx(async (q) => {
    const { account, facts } = await managedAccount(q, user, id, false);
    const manager = managerOf(user);
    const org = body.role === 'teacher' ? null : await orgFor(q, body.orgId);
    const p = (id === user.id ? null : manageProblem(manager, facts)) ?? grantProblem(manager, facts, body.role, org);
    if (p) throw ruleError(p);
    const roleId = await grantRole(q, id, body.role, org?.id ?? 0, user.id).catch(duplicateRole);
    await audit(q, user, 'role.grant', 'user', id, { username: account.username, role: body.role, orgId: org?.id ?? null, roleId }, ip);
    const where = org ? `在「${org.name}」` : '';
    return {
      roleId,
      accountActive: account.active,
      message: account.active
        ? `已授予${where}的「${ROLE_LABELS[body.role]}」角色，对方下次切换角色或重新登录即可使用`
        : `已授予${where}的「${ROLE_LABELS[body.role]}」角色；该账号仍处于停用状态，启用后才能登录`,
    };
  });
}

/**
 * 结束角色: the role row is ended (who, when, why), never deleted; sessions acting in it end. Ending the
 * last role in force would leave an account that cannot sign in: that is refused unless the caller says
 * deactivateAccount, and then the account is stopped too, in the same transaction, and the answer says so.
 */
export async function endAccountRole(ctx: AppContext, user: CurrentUser, id: number, roleId: number, body: EndRoleBody, ip?: string) {
  return ctx.db.tx(async (q) => {
    const { account, roles } = await managedAccount(q, user, id, false);
    const held = roles.find((r) => r.id === roleId);
    if (!held) throw notFound('角色（或该角色已结束）');
    const manager = managerOf(user);
    // Ending a role takes power away: allowed for a role of the subtree even if the account also acts elsewhere.
    const sysAdminHere = id !== user.id && roles.some((r) => r.role === 'sysAdmin' && r.org_path === manager.orgPath);
    if (sysAdminHere) throw new AppError('FORBIDDEN', '该账号是本单位的系统管理员，只能由上级单位的系统管理员管理');
    const p = endProblem(manager, { userId: id, role: held.role, orgId: held.org_id, orgPath: held.org_path, orgName: held.org_name });
    if (p) throw ruleError(p);
    const last = roles.length === 1;
    if (last && account.active && !body.deactivateAccount) {
      const msg = `这是该账号唯一的有效角色。结束后该账号将无法登录，系统会同时停用该账号；确认请勾选“同时停用账号”后再提交`;
      throw new AppError('CONFLICT', msg, [{ field: 'deactivateAccount', message: msg }]);
    }
    await repo.endRole(q, id, roleId, user.id, body.reason);
    let sessionsEnded = await repo.endRoleSessions(q, roleId);
    let accountDeactivated = false;
    if (last && account.active) {
      await repo.deactivate(q, id, 'lastRole', body.reason, user.id);
      sessionsEnded += await destroyAllSessions(q, id);
      accountDeactivated = true;
    }
    await audit(
      q,
      user,
      'role.end',
      'user',
      id,
      { username: account.username, role: held.role, orgId: held.org_id, roleId, reason: body.reason, accountDeactivated, sessionsEnded },
      ip,
    );
    const what = `「${held.org_name}」的「${ROLE_LABELS[held.role]}」角色`;
    return {
      accountDeactivated,
      sessionsEnded,
      message: accountDeactivated
        ? `已结束${what}；这是该账号最后一个角色，账号已同时停用`
        : last
          ? `已结束${what}；该账号已无有效角色`
          : `已结束${what}；该账号的其他角色不受影响`,
    };
  });
}
