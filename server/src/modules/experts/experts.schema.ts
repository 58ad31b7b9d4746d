import { z } from 'zod';
import { Id, IdList, IdParam, Page, PageSize, RequiredText, Text, Name } from '../../platform/schemas.js';
import { EXPERT_CRITERIA, EXPERT_LEVELS, EXPERT_STATUS, keysOf } from '../../platform/vocab.js';

const score100 = z
  .number()
  .min(0, '分数应在 0–100 之间')
  .max(100, '分数应在 0–100 之间')
  .refine((n) => Number.isInteger(n * 10), '分数最多一位小数');

export { IdParam };
export const ProjectExpertParam = z.object({ id: Id, expertId: Id });

export const ExpertInput = z.object({
  name: Name(2, 30, '姓名'),
  affiliation: Name(2, 100, '工作单位'),
  title: Text(50, '职称/职务').nullish(),
  /** 研究领域: subjects or training categories, free labels. */
  fields: z
    .array(RequiredText(30, '领域'))
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
  version: z.number().int().positive().max(2_147_483_647),
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
  q: Text(50, '搜索词').optional(),
  level: z.enum(keysOf(EXPERT_LEVELS)).optional(),
  field: Text(30, '领域').optional(),
  status: z.enum(keysOf(EXPERT_STATUS)).optional(),
  page: Page,
  pageSize: PageSize(200, 20),
});
export type ExpertListQuery = z.infer<typeof ExpertListQuery>;

export const AssignInput = z.object({
  expertIds: IdList(20).min(1, '请选择专家'),
});

const criteriaShape = Object.fromEntries(keysOf(EXPERT_CRITERIA).map((k) => [k, score100])) as Record<keyof typeof EXPERT_CRITERIA, typeof score100>;

export const ScoreInput = z.object({
  criteria: z.object(criteriaShape),
  comment: Text(1000, '评语').default(''),
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
  z.object({ mode: z.literal('link'), username: RequiredText(40, '要关联的用户名') }),
]);
export type AccountInput = z.infer<typeof AccountInput>;

export const ProjectParam = z.object({ projectId: Id });
