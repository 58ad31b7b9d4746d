import { z } from 'zod';
import { EXPERT_CRITERIA, EXPERT_LEVELS, EXPERT_STATUS, keysOf } from '../../platform/vocab.js';

const id = z.coerce.number().int().positive('编号无效').max(2_147_483_647, '编号无效');
const score100 = z
  .number()
  .min(0, '分数应在 0–100 之间')
  .max(100, '分数应在 0–100 之间')
  .refine((n) => Number.isInteger(n * 10), '分数最多一位小数');

export const IdParam = z.object({ id });
export const ProjectExpertParam = z.object({ id, expertId: id });

export const ExpertInput = z.object({
  name: z.string().trim().min(2, '姓名至少 2 个字').max(30, '姓名不能超过 30 字'),
  affiliation: z.string().trim().min(2, '请填写工作单位').max(100, '工作单位不能超过 100 字'),
  title: z.string().trim().max(50, '职称/职务不能超过 50 字').nullish(),
  /** 研究领域: subjects or training categories, free labels. */
  fields: z
    .array(z.string().trim().min(1, '领域不能为空').max(30, '每个领域不能超过 30 字'))
    .min(1, '请至少填写一个擅长领域')
    .max(10, '擅长领域不能超过 10 个')
    .transform((a) => [...new Set(a)]),
  level: z.enum(keysOf(EXPERT_LEVELS)),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '手机号应为 11 位，以 1 开头')
    .nullish(),
  status: z.enum(keysOf(EXPERT_STATUS)).default('active'),
});
export type ExpertInput = z.infer<typeof ExpertInput>;

export const ExpertUpdate = ExpertInput.extend({
  version: z.number().int().positive(),
  /** Empty or omitted keeps the stored phone (the form only ever sees its mask); clearPhone removes it. */
  phone: z
    .union([
      z.literal(''),
      z
        .string()
        .trim()
        .regex(/^1[3-9]\d{9}$/, '手机号应为 11 位，以 1 开头'),
    ])
    .nullish(),
  clearPhone: z.boolean().default(false),
});
export type ExpertUpdate = z.infer<typeof ExpertUpdate>;

export const ExpertListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  level: z.enum(keysOf(EXPERT_LEVELS)).optional(),
  field: z.string().trim().max(30).optional(),
  status: z.enum(keysOf(EXPERT_STATUS)).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ExpertListQuery = z.infer<typeof ExpertListQuery>;

export const AssignInput = z.object({
  expertIds: z.array(id).min(1, '请选择专家').max(20, '一次最多指派 20 位专家'),
});

const criteriaShape = Object.fromEntries(keysOf(EXPERT_CRITERIA).map((k) => [k, score100])) as Record<keyof typeof EXPERT_CRITERIA, typeof score100>;

export const ScoreInput = z.object({
  criteria: z.object(criteriaShape),
  comment: z.string().trim().max(1000, '评语不能超过 1000 字').default(''),
});
export type ScoreInput = z.infer<typeof ScoreInput>;

/** 开通账号: a new login (initial password generated and shown once), or link an existing 评审专家 account. */
export const AccountInput = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('create'),
    username: z
      .string()
      .trim()
      .min(3, '用户名至少 3 个字符')
      .max(40, '用户名不能超过 40 个字符')
      .regex(/^[A-Za-z0-9._-]+$/, '用户名只能包含字母、数字、点、下划线和连字符')
      .refine((s) => !/^t\d+$/i.test(s), '“t + 数字”形式的用户名保留给教师账号，请换一个'),
  }),
  z.object({ mode: z.literal('link'), username: z.string().trim().min(1, '请填写要关联的用户名').max(40, '用户名不能超过 40 个字符') }),
]);
export type AccountInput = z.infer<typeof AccountInput>;

export const ProjectParam = z.object({ projectId: id });
