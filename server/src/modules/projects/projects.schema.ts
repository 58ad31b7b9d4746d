import { z } from 'zod';
import { CATEGORIES, keysOf, PROJECT_FORMS, PROJECT_LEVELS, STAGES, SUBJECTS, TEACHER_ROLES, TITLES } from '../../platform/vocab.js';
import { enrolmentMachine, PROJECT_ACTIONS, PROJECT_STATUSES } from './lifecycle.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, '日期无效');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const id = z.coerce.number().int().positive('编号无效').max(2_147_483_647, '编号无效');
const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

export const IdParam = z.object({ id });
/** Shared with the module's other schema files. */
export { id as IdSchema, isoDate as IsoDateSchema };
export const EnrolmentParam = z.object({ id, teacherId: id });

export const ProjectListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  year: z.coerce.number().int().min(2000, '年份无效').max(2100, '年份无效').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;

export const PlanModuleInput = z.object({
  title: z.string().trim().min(2, '模块名称至少 2 个字').max(100, '模块名称不能超过 100 字'),
  hours: z.number().gt(0, '模块学时应大于 0').max(500, '模块学时不能超过 500').refine(oneDecimal, '学时最多一位小数'),
  category: z.enum(keysOf(CATEGORIES)),
});

const uniq = <T>(a: T[]) => [...new Set(a)];
export const AudienceInput = z
  .object({
    stages: z
      .array(z.enum(keysOf(STAGES)))
      .max(10)
      .default([])
      .transform(uniq),
    subjects: z.array(z.enum(SUBJECTS)).max(30).default([]).transform(uniq),
    roles: z
      .array(z.enum(keysOf(TEACHER_ROLES)))
      .max(10)
      .default([])
      .transform(uniq),
    titles: z
      .array(z.enum(keysOf(TITLES)))
      .max(10)
      .default([])
      .transform(uniq),
  })
  .default({ stages: [], subjects: [], roles: [], titles: [] });

/** 立项申报: the proposal. Categories and target hours follow from the plan modules. */
export const ProjectInput = z
  .object({
    name: z.string().trim().min(2, '项目名称至少 2 个字').max(100, '项目名称不能超过 100 字'),
    level: z.enum(keysOf(PROJECT_LEVELS)),
    form: z.enum(keysOf(PROJECT_FORMS)),
    audience: AudienceInput,
    capacity: z.number().int('容量应为整数').min(1, '容量至少 1 人').max(100_000, '容量不能超过 100000 人'),
    budget: z
      .number()
      .min(0, '预算不能为负')
      .max(1e10, '预算过大')
      .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, '预算最多两位小数'),
    plan: z.array(PlanModuleInput).min(1, '培训方案至少需要一个模块').max(30, '培训方案最多 30 个模块'),
    startDate: isoDate,
    endDate: isoDate,
    selfEnrol: z.boolean().default(false),
    /** 外出培训（跟岗、影子）: trainees share back in their school afterwards. Defaults from the form. */
    outbound: z.boolean().optional(),
  })
  .superRefine((v, c) => {
    if (v.endDate < v.startDate) c.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
    const total = v.plan.reduce((n, m) => n + m.hours, 0);
    if (total > 1000) c.addIssue({ code: 'custom', path: ['plan'], message: '培训方案总学时不能超过 1000' });
  });
export type ProjectInput = z.infer<typeof ProjectInput>;

export const ActionParam = z.object({ id, action: z.enum(PROJECT_ACTIONS) });
export const ActionInput = z.object({ comment: z.string().trim().max(500, '意见不能超过 500 字').optional() }).default({});

export const SessionInput = z
  .object({
    title: z.string().trim().min(2, '场次标题至少 2 个字').max(100, '场次标题不能超过 100 字'),
    date: isoDate,
    startTime: hhmm,
    endTime: hhmm,
    place: z.string().trim().min(1, '请填写培训地点').max(100, '地点不能超过 100 字'),
    hours: z
      .number()
      .min(0.5, '学时至少 0.5')
      .max(12, '单场学时不能超过 12')
      .refine((n) => Number.isInteger(n * 2), '学时应为 0.5 的整数倍'),
    category: z.enum(keysOf(CATEGORIES)),
  })
  .superRefine((v, c) => {
    if (v.endTime <= v.startTime) c.addIssue({ code: 'custom', path: ['endTime'], message: '结束时间应晚于开始时间' });
  });
export type SessionInput = z.infer<typeof SessionInput>;

export const EnrolmentListQuery = z.object({
  status: z.enum(keysOf(enrolmentMachine.states)).default('approved'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type EnrolmentListQuery = z.infer<typeof EnrolmentListQuery>;

export const EnrolInput = z.object({
  teacherIds: z.array(id).min(1, '请至少选择一位教师').max(500, '一次最多报名 500 位教师'),
});

export const CheckinInput = z.object({ token: z.string().trim().min(1, '缺少签到码').max(200, '二维码无效') });

export const AttendanceMark = z.object({ present: z.boolean() });

export const CheckDirection = z.object({ id, direction: z.enum(['checkin', 'checkout']) });

export const ApologyInput = z.object({ reason: z.string().trim().min(2, '请填写请假原因（至少 2 个字）').max(200, '请假原因不能超过 200 字') });
