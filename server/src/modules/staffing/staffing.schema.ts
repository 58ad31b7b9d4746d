import { z } from 'zod';
import { Id, IsoDate } from '../../platform/schemas.js';

z.config(z.locales.zhCN());

export const STAFFING_STAGES = { kindergarten: '幼儿园', primary: '小学', junior: '初中', senior: '高中', vocational: '中职', special: '特殊教育' } as const;
export const RURAL_SUPPORT_KINDS = { allowance: '乡村教师生活补助', housing: '周转宿舍/住房保障', training: '培训支持' } as const;

const source = z.string({ error: '请填写来源（如核编文件文号、学籍系统统计）' }).trim().min(2, '来源至少 2 个字').max(200, '来源不超过 200 个字');

export const OverviewQuery = z.object({
  orgId: z.coerce.number().int().positive().optional(),
  asOf: IsoDate.optional(),
});
export type OverviewQuery = z.infer<typeof OverviewQuery>;

export const QuotaBody = z.object({
  orgId: Id,
  quota: z.number({ error: '编制数应为整数' }).int('编制数应为整数').min(0, '编制数不能为负数').max(100000, '编制数过大'),
  effectiveFrom: IsoDate,
  source,
  note: z.string().trim().max(500, '说明不超过 500 个字').optional(),
});
export type QuotaBody = z.infer<typeof QuotaBody>;

export const StudentsBody = z.object({
  orgId: Id,
  year: z.number({ error: '学年应为年份，例如 2025' }).int('学年应为年份').min(2000, '学年应在 2000—2100 之间').max(2100, '学年应在 2000—2100 之间'),
  stage: z.enum(Object.keys(STAFFING_STAGES) as [keyof typeof STAFFING_STAGES], { error: `学段应为：${Object.values(STAFFING_STAGES).join('、')}` }),
  students: z.number({ error: '在校生数应为整数' }).int('在校生数应为整数').min(0, '在校生数不能为负数').max(1000000, '在校生数过大'),
  source,
});
export type StudentsBody = z.infer<typeof StudentsBody>;

export const RuralSupportBody = z
  .object({
    teacherId: Id,
    kind: z.enum(Object.keys(RURAL_SUPPORT_KINDS) as [keyof typeof RURAL_SUPPORT_KINDS], {
      error: `类型应为：${Object.values(RURAL_SUPPORT_KINDS).join('、')}`,
    }),
    startDate: IsoDate,
    endDate: IsoDate.optional(),
    amount: z.number({ error: '金额应为数字' }).min(0, '金额不能为负数').max(10000000, '金额过大').optional(),
    note: z.string().trim().max(500, '说明不超过 500 个字').optional(),
  })
  .refine((b) => !b.endDate || b.endDate >= b.startDate, { message: '结束日期不能早于开始日期', path: ['endDate'] });
export type RuralSupportBody = z.infer<typeof RuralSupportBody>;
