import { z } from 'zod';
import {
  EDUCATION,
  EMPLOYMENT,
  KEY_CATEGORIES,
  KEY_LEVELS,
  keysOf,
  MANDARIN_LEVELS,
  STAGES,
  SUBJECTS,
  TEACHER_ROLES,
  TEACHER_STATUS,
  TITLES,
} from '../../platform/vocab.js';
import { NATIONAL_ID_MESSAGES, parseNationalId } from '../../platform/national-id.js';
import { Id, IdParam, IsoDate, Page, PageSize, Text, Name } from '../../platform/schemas.js';
import { looksLikeIdOrPhone } from '../../platform/pii-view.js';

const optDate = IsoDate.nullish();

export const NationalIdField = z
  .string()
  .max(40, '身份证号应为 18 位')
  .superRefine((v, c) => {
    const r = parseNationalId(v);
    if (!r.ok) c.addIssue({ code: 'custom', message: NATIONAL_ID_MESSAGES[r.problem] });
  });

export const RoleInput = z.object({
  role: z.enum(keysOf(TEACHER_ROLES)),
  since: optDate,
});

/** Everything a user enters for a teacher. Gender and birth date come from the 身份证号. */
export const TeacherInput = z.object({
  name: Name(2, 30, '姓名'),
  nationalId: NationalIdField,
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '手机号应为 11 位，以 1 开头')
    .nullish(),
  orgId: Id,
  employment: z.enum(keysOf(EMPLOYMENT)).default('staff'),
  stage: z.enum(keysOf(STAGES)),
  subjects: z.array(z.enum(SUBJECTS)).max(5).default([]),
  hireDate: optDate,
  education: z.enum(keysOf(EDUCATION)).nullish(),
  secondDegree: Text(50, '第二学历').nullish(),
  title: z.enum(keysOf(TITLES)).nullish(),
  titleDate: optDate,
  qualificationType: Text(30, '资格证种类').nullish(),
  qualificationStage: z.enum(keysOf(STAGES)).nullish(),
  qualificationSubject: Text(30, '资格证学科').nullish(),
  qualificationNo: Text(40, '资格证编号').nullish(),
  qualificationExpiry: optDate,
  mandarinLevel: z.enum(keysOf(MANDARIN_LEVELS)).nullish(),
  certificates: z.array(Text(50, '证书')).max(20).default([]),
  roles: z.array(RoleInput).max(10).default([]),
  keyLevel: z.enum(keysOf(KEY_LEVELS)).nullish(),
  keyCategory: z.enum(keysOf(KEY_CATEGORIES)).nullish(),
  keyTermEnd: optDate,
  partyMember: z.boolean().default(false),
  status: z.enum(keysOf(TEACHER_STATUS)).default('active'),
});
export type TeacherInput = z.infer<typeof TeacherInput>;

/**
 * An edit. effectiveFrom (生效日期, default today) is the first day a changed school, status, role, credential or
 * key designation holds: earlier for a correction of the past (a reason is then required), later for a scheduled
 * change (at most a year ahead). Other fields (name, phone, …) are not dated and change at once.
 */
export const TeacherUpdate = TeacherInput.extend({
  version: z.number().int().positive().max(2_147_483_647),
  effectiveFrom: IsoDate.optional(),
  reason: Text(200, '更正原因').nullish(),
});
export type TeacherUpdate = z.infer<typeof TeacherUpdate>;

/** Shown when a 身份证号 or phone number is put into a URL: the list searches names only. */
export const EXACT_SEARCH_HINT = '列表只按姓名查找；按身份证号或手机号查找请用「精确查找」（仅限可查看完整信息的角色，记入审计日志）';

export const TeacherListQuery = z.object({
  // Never a 身份证号 or phone: a URL ends up in logs, proxies and browser history (exact search: POST /teachers/search).
  q: Text(50, '搜索词')
    .refine((s) => !looksLikeIdOrPhone(s), EXACT_SEARCH_HINT)
    .optional(),
  orgId: Id.optional(),
  stage: z.enum(keysOf(STAGES)).optional(),
  subject: Text(20, '学科').optional(),
  role: z.enum(keysOf(TEACHER_ROLES)).optional(),
  title: z.enum(keysOf(TITLES)).optional(),
  status: z.enum(keysOf(TEACHER_STATUS)).optional(),
  page: Page,
  pageSize: PageSize(200, 20),
});
export type TeacherListQuery = z.infer<typeof TeacherListQuery>;

const PHONE = /^1[3-9]\d{9}$/;

/** 精确查找 (POST body, never the URL): exactly one of a full 身份证号 or an 11-digit mobile number. */
export const ExactSearch = z
  .object({
    nationalId: NationalIdField.transform((s) => s.trim().toUpperCase()).optional(),
    phone: z.string().trim().regex(PHONE, '手机号应为 11 位，以 1 开头').optional(),
  })
  .refine((b) => (b.nationalId ? 1 : 0) + (b.phone ? 1 : 0) === 1, { message: '请填写完整的身份证号或手机号（二选一）', path: ['nationalId'] });
export type ExactSearch = z.infer<typeof ExactSearch>;

export { IdParam };
