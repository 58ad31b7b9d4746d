import { z } from 'zod';
import { Id, IdParam, IsoDate, Page, PageSize, Text } from '../../platform/schemas.js';
import { keysOf, STAGES, TEACHER_ROLES } from '../../platform/vocab.js';

const isoDate = IsoDate;
const Version = z.coerce.number().int('版本号无效').positive('版本号无效').max(100_000, '版本号无效');

export const SummaryQuery = z.object({
  policyId: Id,
  orgId: Id.optional(),
  asOf: isoDate.optional(),
  version: Version.optional(),
  stage: z.enum(keysOf(STAGES)).optional(),
  subject: Text(20, '学科').optional(),
  role: z.enum(keysOf(TEACHER_ROLES)).optional(),
  refresh: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
});

export const WorklistQuery = z.object({
  orgId: Id.optional(),
  policyId: Id.optional(),
  asOf: isoDate.optional(),
  /** attention (default): 未达标, 临期 and behind-pace 进行中 teachers; onPace: 进行中 on pace; all: every teacher with an unmet requirement. */
  show: z.enum(['attention', 'onPace', 'all'], { error: '筛选应为 attention（需关注）/ onPace（进度正常）/ all（全部）' }).optional(),
  page: Page,
  pageSize: PageSize(200, 50),
});

export const AsOfQuery = z.object({ asOf: isoDate.optional() });
export const TeacherParam = IdParam;
export const RunsQuery = z.object({ policyId: Id, orgId: Id.optional() });

export const TrendQuery = z.object({
  policyId: Id,
  orgId: Id.optional(),
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
  subject: Text(20, '学科').optional(),
  role: z.enum(keysOf(TEACHER_ROLES)).optional(),
});
