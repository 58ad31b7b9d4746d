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

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), '日期无效');
const optDate = isoDate.nullish();

export const NationalIdField = z.string().superRefine((v, c) => {
  const r = parseNationalId(v);
  if (!r.ok) c.addIssue({ code: 'custom', message: NATIONAL_ID_MESSAGES[r.problem] });
});

export const RoleInput = z.object({
  role: z.enum(keysOf(TEACHER_ROLES)),
  since: optDate,
});

/** Everything a user enters for a teacher. Gender and birth date come from the 身份证号. */
export const TeacherInput = z.object({
  name: z.string().trim().min(2, '姓名至少 2 个字').max(30, '姓名过长'),
  nationalId: NationalIdField,
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '手机号应为 11 位，以 1 开头')
    .nullish(),
  orgId: z.number().int().positive('请选择学校'),
  employment: z.enum(keysOf(EMPLOYMENT)).default('staff'),
  stage: z.enum(keysOf(STAGES)),
  subjects: z.array(z.enum(SUBJECTS)).max(5).default([]),
  hireDate: optDate,
  education: z.enum(keysOf(EDUCATION)).nullish(),
  secondDegree: z.string().max(50).nullish(),
  title: z.enum(keysOf(TITLES)).nullish(),
  titleDate: optDate,
  qualificationType: z.string().max(30).nullish(),
  qualificationStage: z.enum(keysOf(STAGES)).nullish(),
  qualificationSubject: z.string().max(30).nullish(),
  qualificationNo: z.string().max(40).nullish(),
  qualificationExpiry: optDate,
  mandarinLevel: z.enum(keysOf(MANDARIN_LEVELS)).nullish(),
  certificates: z.array(z.string().max(50)).max(20).default([]),
  roles: z.array(RoleInput).max(10).default([]),
  keyLevel: z.enum(keysOf(KEY_LEVELS)).nullish(),
  keyCategory: z.enum(keysOf(KEY_CATEGORIES)).nullish(),
  keyTermEnd: optDate,
  partyMember: z.boolean().default(false),
  status: z.enum(keysOf(TEACHER_STATUS)).default('active'),
});
export type TeacherInput = z.infer<typeof TeacherInput>;

export const TeacherUpdate = TeacherInput.extend({ version: z.number().int().positive() });
export type TeacherUpdate = z.infer<typeof TeacherUpdate>;

export const TeacherListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  orgId: z.coerce.number().int().positive().optional(),
  stage: z.enum(keysOf(STAGES)).optional(),
  subject: z.string().max(20).optional(),
  role: z.enum(keysOf(TEACHER_ROLES)).optional(),
  title: z.enum(keysOf(TITLES)).optional(),
  status: z.enum(keysOf(TEACHER_STATUS)).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TeacherListQuery = z.infer<typeof TeacherListQuery>;

export const IdParam = z.object({ id: z.coerce.number().int().positive('编号无效') });
