import { z } from 'zod';
import { CATEGORIES, keysOf, PROJECT_FORMS, PROJECT_LEVELS } from '../../platform/vocab.js';

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
export const EnrolmentParam = z.object({ id, teacherId: id });

export const ProjectListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  status: z.enum(['open', 'closed']).optional(),
  year: z.coerce.number().int().min(2000, '年份无效').max(2100, '年份无效').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;

export const ProjectInput = z
  .object({
    name: z.string().trim().min(2, '项目名称至少 2 个字').max(100, '项目名称不能超过 100 字'),
    level: z.enum(keysOf(PROJECT_LEVELS)),
    form: z.enum(keysOf(PROJECT_FORMS)),
    categories: z
      .array(z.enum(keysOf(CATEGORIES)))
      .min(1, '请至少选择一个培训类别')
      .max(9)
      .transform((a) => [...new Set(a)]),
    targetHours: z.number().gt(0, '计划学时应大于 0').max(1000, '计划学时不能超过 1000').refine(oneDecimal, '计划学时最多一位小数'),
    startDate: isoDate,
    endDate: isoDate,
  })
  .superRefine((v, c) => {
    if (v.endDate < v.startDate) c.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
  });
export type ProjectInput = z.infer<typeof ProjectInput>;

export const SessionInput = z
  .object({
    title: z.string().trim().min(2, '场次标题至少 2 个字').max(100, '场次标题不能超过 100 字'),
    date: isoDate,
    startTime: hhmm,
    endTime: hhmm,
    place: z.string().trim().min(1, '请填写培训地点').max(100, '地点不能超过 100 字'),
    hours: z.number().min(0.5, '学时至少 0.5').max(12, '单场学时不能超过 12').refine((n) => Number.isInteger(n * 2), '学时应为 0.5 的整数倍'),
    category: z.enum(keysOf(CATEGORIES)),
  })
  .superRefine((v, c) => {
    if (v.endTime <= v.startTime) c.addIssue({ code: 'custom', path: ['endTime'], message: '结束时间应晚于开始时间' });
  });
export type SessionInput = z.infer<typeof SessionInput>;

export const EnrolmentListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type EnrolmentListQuery = z.infer<typeof EnrolmentListQuery>;

export const EnrolInput = z.object({
  teacherIds: z.array(id).min(1, '请至少选择一位教师').max(500, '一次最多报名 500 位教师'),
});

export const CheckinInput = z.object({ token: z.string().trim().min(1, '缺少签到码').max(200, '二维码无效') });

export const AttendanceMark = z.object({ present: z.boolean() });
