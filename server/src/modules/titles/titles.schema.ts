import { z } from 'zod';
import { IdList, IsoDate, RequiredText, Text, Year, Id } from '../../platform/schemas.js';

const TARGETS = ['second', 'first', 'senior', 'fullSenior'] as const;
const target = z.enum(TARGETS, { error: '申报职称应为 二级教师 / 一级教师 / 高级教师 / 正高级教师 之一' });

export const DateQuery = z.object({ date: IsoDate.optional() });
export const ProofQuery = z.object({
  date: IsoDate.optional(),
  cycle: z.enum(['last', 'current'], { error: '周期应为 last（上一周期）或 current（本周期）' }).optional(),
});
export const TeacherQuery = z.object({ date: IsoDate.optional(), target: target.optional() });
export const ListQuery = z.object({
  orgId: Id.optional(),
  date: IsoDate.optional(),
  target: target.optional(),
  status: z.enum(['eligible', 'short'], { error: '筛选应为 可申报（eligible）或 还差（short）' }).optional(),
});

export const CreateRoundBody = z
  .strictObject({
    name: RequiredText(100, '评审名称').refine((s) => s.length >= 4, '评审名称至少 4 个字'),
    year: Year,
    baseDate: IsoDate,
    deadline: IsoDate,
    targets: z.array(target, { error: '请选择申报职称' }).min(1, '至少选择一个申报职称').max(4),
  })
  .refine((b) => new Set(b.targets).size === b.targets.length, { path: ['targets'], message: '申报职称重复' });
export type CreateRoundBody = z.infer<typeof CreateRoundBody>;

export const PutForwardBody = z.strictObject({
  target,
  teacherIds: IdList(200).min(1, '请选择教师'),
  overrideReason: Text(500, '破格推荐理由')
    .nullable()
    .optional()
    .transform((s) => (s ? s : null)),
});
export type PutForwardBody = z.infer<typeof PutForwardBody>;
