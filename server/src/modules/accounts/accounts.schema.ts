import { z } from 'zod';
import { ROLES } from '../../platform/access.js';
import { Id, IdList, RequiredText, Text } from '../../platform/schemas.js';
import { NATIONAL_ID_MESSAGES, parseNationalId } from '../../platform/national-id.js';
import { toHalfWidth } from '../auth/login-identifier.js';

import { ACCOUNT_STATUS, type AccountStatus, ISSUE_CHUNK } from './accounts.vocab.js';

export { ACCOUNT_STATUS, type AccountStatus, ISSUE_CHUNK };
const StatusKeys = Object.keys(ACCOUNT_STATUS) as [AccountStatus, ...AccountStatus[]];

const Page = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

/** 教师账号: teachers of the caller's subtree (or one org's subtree) with their account. */
export const TeacherAccountQuery = z.object({
  orgId: Id.optional(),
  status: z.enum(StatusKeys).optional(),
  /** Name or username (contains). */
  q: Text(50, '搜索内容').optional(),
  ...Page,
});
export type TeacherAccountQuery = z.infer<typeof TeacherAccountQuery>;

/** 管理员账号: accounts holding (or having held) a role other than 教师 at an org of the subtree. */
export const AdminAccountQuery = z.object({
  orgId: Id.optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(StatusKeys).optional(),
  q: Text(50, '搜索内容').optional(),
  ...Page,
});
export type AdminAccountQuery = z.infer<typeof AdminAccountQuery>;

/**
 * 开通账号: the selected teachers, or every teacher of an org's subtree that has none yet (the next
 * ISSUE_CHUNK of them: the answer says how many remain). slipId adds the passwords to the 账号单 of an
 * earlier round of the same run.
 */
export const IssueBody = z
  .object({
    teacherIds: IdList(ISSUE_CHUNK).min(1, '请选择教师').optional(),
    orgId: Id.optional(),
    slipId: Id.optional(),
  })
  .refine((b) => (b.teacherIds ? 1 : 0) + (b.orgId ? 1 : 0) === 1, { message: '请选择教师，或选择一个单位为其全部未开通的教师开通', path: ['teacherIds'] });
export type IssueBody = z.infer<typeof IssueBody>;

export const ResetBody = z.object({ slipId: Id.optional() });
export type ResetBody = z.infer<typeof ResetBody>;

export const ReasonBody = z.object({ reason: RequiredText(200, '原因') });
export const OptionalReasonBody = z.object({ reason: Text(200, '原因').optional() });

const USERNAME_RE = /^[A-Za-z][A-Za-z0-9._-]{2,39}$/;

/** An optional 身份证号 (full-width digits folded, X upper-cased); '' is none. */
const OptionalNationalId = z
  .string()
  .transform((s) => toHalfWidth(s).trim().toUpperCase())
  .superRefine((v, c) => {
    if (!v) return;
    const r = parseNationalId(v);
    if (!r.ok) c.addIssue({ code: 'custom', message: NATIONAL_ID_MESSAGES[r.problem] });
  })
  .optional();

const OptionalPhone = z
  .string()
  .transform((s) => toHalfWidth(s).replace(/[\s-]/g, ''))
  .refine((s) => s === '' || /^1[3-9]\d{9}$/.test(s), '手机号应为 11 位，以 1 开头')
  .optional();

/** 新建管理员账号: a person without a teacher record, with the first role they hold. */
export const CreateAdminBody = z.object({
  username: z
    .string()
    .trim()
    .regex(USERNAME_RE, '用户名为 3–40 位，以字母开头，只能包含字母、数字、点、下划线和连字符')
    .refine((s) => !/^t\d+$/i.test(s), '“t + 数字”形式的用户名保留给教师账号，请换一个'),
  displayName: RequiredText(30, '姓名'),
  nationalId: OptionalNationalId,
  phone: OptionalPhone,
  role: z.enum(ROLES),
  orgId: Id,
  slipId: Id.optional(),
});
export type CreateAdminBody = z.infer<typeof CreateAdminBody>;

export const GrantBody = z.object({
  role: z.enum(ROLES),
  /** The org the role acts at; not for a 教师 role (it follows the teacher record). */
  orgId: Id.optional(),
});
export type GrantBody = z.infer<typeof GrantBody>;

export const EndRoleBody = z.object({
  reason: RequiredText(200, '原因'),
  /** Ending the last role in force also deactivates the account: the caller must say they mean it. */
  deactivateAccount: z.boolean().default(false),
});
export type EndRoleBody = z.infer<typeof EndRoleBody>;

export const AccountRoleParam = z.object({ id: Id, roleId: Id });
export const TeacherIdParam = z.object({ teacherId: Id });
