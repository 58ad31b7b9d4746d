import { z } from 'zod';
import { keysOf, STAGES, TEACHER_ROLES } from '../../platform/vocab.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '日期无效');

export const SummaryQuery = z.object({
  policyId: z.coerce.number({ error: '请选择政策' }).int().positive('请选择政策'),
  orgId: z.coerce.number().int().positive().optional(),
  asOf: isoDate.optional(),
  version: z.coerce.number().int().positive().optional(),
  stage: z.enum(keysOf(STAGES)).optional(),
  subject: z.string().max(20).optional(),
  role: z.enum(keysOf(TEACHER_ROLES)).optional(),
  refresh: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
});

export const WorklistQuery = z.object({
  orgId: z.coerce.number().int().positive().optional(),
  policyId: z.coerce.number().int().positive().optional(),
  asOf: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const AsOfQuery = z.object({ asOf: isoDate.optional() });
export const TeacherParam = z.object({ id: z.coerce.number().int().positive('编号无效') });
export const RunsQuery = z.object({ policyId: z.coerce.number().int().positive('请选择政策'), orgId: z.coerce.number().int().positive().optional() });

export const TrendQuery = z.object({
  policyId: z.coerce.number({ error: '请选择政策' }).int().positive('请选择政策'),
  orgId: z.coerce.number().int().positive().optional(),
  /** Comma-separated dates (at most 12); default: year ends of the policy period and today. */
  dates: z
    .string()
    .max(200)
    .transform((v, c) => {
      const ds = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      for (const d of ds)
        if (!isoDate.safeParse(d).success) {
          c.addIssue({ code: 'custom', message: `日期格式应为 YYYY-MM-DD：${d}` });
          return z.NEVER;
        }
      return ds;
    })
    .optional(),
  stage: z.enum(keysOf(STAGES)).optional(),
  subject: z.string().max(20).optional(),
  role: z.enum(keysOf(TEACHER_ROLES)).optional(),
});
