import { ROLE_LABELS, SEPARATED_ROLES, type Role } from '../../platform/access.js';
import { ORG_KINDS } from '../../platform/vocab.js';

/**
 * Who may grant which role where, and whose account a 系统管理员 may manage. Pure (no Node imports, no
 * database): the service feeds it the facts it loaded and the web form imports the same tables, so the
 * choices the form offers never disagree with what the server accepts.
 */

/** The org kinds each role is held at. A teacher role has no org (it follows the teacher record). */
export const ROLE_ORG_KINDS: Record<Role, readonly string[]> = {
  bureauAdmin: ['bureau'],
  securityAdmin: ['bureau'],
  auditor: ['bureau'],
  ethicsOfficer: ['bureau'],
  sysAdmin: ['bureau', 'school'],
  schoolAdmin: ['school'],
  infoAdmin: ['school'],
  institution: ['institution'],
  devCenter: ['devCenter', 'researchOffice'],
  expert: ['bureau', 'devCenter', 'researchOffice'],
  teacher: [],
};

/** Roles granted on 账号管理. The teacher role comes with the teacher record; 评审专家 accounts are opened in the 专家库. */
export const GRANTABLE_ROLES: readonly Role[] = [
  'sysAdmin',
  'infoAdmin',
  'schoolAdmin',
  'bureauAdmin',
  'securityAdmin',
  'auditor',
  'ethicsOfficer',
  'devCenter',
  'institution',
];

export type RuleCode = 'VALIDATION' | 'CONFLICT' | 'FORBIDDEN';
export interface RuleProblem {
  code: RuleCode;
  field?: string;
  message: string;
}

export interface OrgFacts {
  id: number;
  path: string;
  kind: string;
  name: string;
}

export interface HeldRole {
  role: Role;
  /** The org the role acts at (for a teacher role: the teacher's school). */
  orgId: number;
  orgPath: string;
  orgName: string;
}

export interface AccountFacts {
  userId: number;
  /** The teacher record behind the account, if any, with its status. */
  teacher: { status: string; orgPath: string } | null;
  /** Roles in force. */
  roles: HeldRole[];
}

export interface Manager {
  userId: number;
  /** The 系统管理员's org: they manage accounts in its subtree. */
  orgPath: string;
}

const kindLabel = (kind: string) => (ORG_KINDS as Record<string, string>)[kind] ?? kind;
const roleLabel = (r: Role) => ROLE_LABELS[r];

/** 「系统管理员」只能设在教育局或学校 */
export function placeText(role: Role): string {
  return `「${roleLabel(role)}」只能设在${ROLE_ORG_KINDS[role].map(kindLabel).join('或')}`;
}

/**
 * Why `manager` may not change `account` (reset its password, stop or restart it, change its roles), or
 * null. The account is already known to be visible to the manager (in their subtree); here: it is not
 * their own, every role it holds is inside their subtree (a county cannot take over an account that also
 * acts for the city), and a 系统管理员 of the manager's own org is managed from the org above.
 */
export function manageProblem(manager: Manager, account: AccountFacts): RuleProblem | null {
  if (account.userId === manager.userId)
    return { code: 'FORBIDDEN', message: '不能在账号管理中变更本人账号，请由其他系统管理员办理（修改本人密码请使用右上角“修改密码”）' };
  const outside = account.roles.find((r) => !r.orgPath.startsWith(manager.orgPath));
  if (outside)
    return {
      code: 'FORBIDDEN',
      message: `该账号还在「${outside.orgName}」担任「${roleLabel(outside.role)}」，超出您的管理范围，请联系上级单位的系统管理员`,
    };
  if (account.roles.some((r) => r.role === 'sysAdmin' && r.orgPath === manager.orgPath))
    return { code: 'FORBIDDEN', message: '该账号是本单位的系统管理员，只能由上级单位的系统管理员管理' };
  return null;
}

/** Why `role` may not be granted to `account` at `org` (null for a teacher role), or null if it may. */
export function grantProblem(manager: Manager, account: AccountFacts, role: Role, org: OrgFacts | null): RuleProblem | null {
  if (account.userId === manager.userId) return { code: 'FORBIDDEN', message: '系统管理员不能给自己授予角色，请由其他系统管理员办理' };
  if (role === 'expert') return { code: 'VALIDATION', field: 'role', message: '评审专家账号请在「专家库」中开通' };
  if (role === 'teacher') {
    if (!account.teacher) return { code: 'VALIDATION', field: 'role', message: '只有登记了教师档案的人员才能担任「教师」角色' };
    if (account.teacher.status !== 'active') return { code: 'CONFLICT', field: 'role', message: '该教师当前不在职，不能授予「教师」角色' };
    if (account.roles.some((r) => r.role === 'teacher')) return { code: 'CONFLICT', field: 'role', message: '该账号已有「教师」角色' };
    return null;
  }
  if (!org) return { code: 'VALIDATION', field: 'orgId', message: '请选择任职单位' };
  if (!org.path.startsWith(manager.orgPath)) return { code: 'FORBIDDEN', field: 'orgId', message: '只能在本单位及下级单位授予角色' };
  if (!ROLE_ORG_KINDS[role].includes(org.kind)) {
    return { code: 'VALIDATION', field: 'orgId', message: `${placeText(role)}，「${org.name}」是${kindLabel(org.kind)}` };
  }
  if (role === 'sysAdmin' && org.path === manager.orgPath)
    return { code: 'FORBIDDEN', field: 'orgId', message: '本单位的系统管理员须由上级单位的系统管理员任命，您可以任命下级单位的系统管理员' };
  if (SEPARATED_ROLES.includes(role)) {
    const other = account.roles.find((r) => r.role !== role && SEPARATED_ROLES.includes(r.role));
    if (other)
      return {
        code: 'CONFLICT',
        field: 'role',
        message: `三权分立：该人员已担任「${roleLabel(other.role)}」，不能同时担任「${roleLabel(role)}」（系统管理员、安全管理员、审计管理员须由不同人员担任）`,
      };
  }
  if (account.roles.some((r) => r.role === role && r.orgId === org.id))
    return { code: 'CONFLICT', field: 'role', message: `该账号已在「${org.name}」担任「${roleLabel(role)}」` };
  return null;
}

/** Why a role in force may not be ended here (beyond manageProblem's account-level rules), or null. */
export function endProblem(manager: Manager, held: HeldRole & { userId: number }): RuleProblem | null {
  if (held.userId === manager.userId) return { code: 'FORBIDDEN', message: '不能结束本人的角色，请由其他系统管理员办理' };
  if (held.role === 'teacher') return { code: 'CONFLICT', message: '「教师」角色随教师档案的在职状态变化；如需禁止该账号登录，请停用账号' };
  if (held.role === 'expert') return { code: 'CONFLICT', message: '评审专家角色请在「专家库」中管理' };
  if (!held.orgPath.startsWith(manager.orgPath)) return { code: 'FORBIDDEN', message: '只能结束本单位及下级单位的角色' };
  if (held.role === 'sysAdmin' && held.orgPath === manager.orgPath) return { code: 'FORBIDDEN', message: '本单位的系统管理员只能由上级单位的系统管理员免去' };
  return null;
}
