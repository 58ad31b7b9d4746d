import { z } from 'zod';
import { Id, IdList, IsoDate, RequiredText, Text, Year } from '../../platform/schemas.js';
import { KEY_TIER_CODES } from '../policies/policy.keyteachers.js';

const category = z.string({ error: '请选择类别' }).regex(/^[a-z][a-zA-Z0-9]*$/, '类别代码不正确');

export const CreateRoundBody = z.strictObject({
  title: RequiredText(100, '评选名称'),
  tier: z.enum(KEY_TIER_CODES, { error: '请选择层级（校级/县级/市级/省级）' }),
  categories: z.array(category).min(1, '至少选择一个类别').max(10, '类别过多'),
  asOf: IsoDate,
  nominateUntil: IsoDate,
  quotas: z
    .array(z.strictObject({ orgId: Id, quota: z.number({ error: '名额应为整数' }).int('名额应为整数').min(0, '名额不能为负').max(10_000, '名额过大') }))
    .min(1, '请至少为一个下级单位分配名额')
    .max(1000, '单位过多'),
});
export type CreateRoundBody = z.infer<typeof CreateRoundBody>;

export const NominateBody = z.strictObject({ category, teacherIds: IdList(200).min(1, '请选择教师') });
export type NominateBody = z.infer<typeof NominateBody>;

export const ReviewBody = z.strictObject({
  passed: z.boolean({ error: '请选择通过或不通过' }),
  score: z.number({ error: '评分应为数字' }).min(0, '评分不能为负').max(100, '评分不超过 100').nullable().default(null),
  comment: Text(500, '评审意见').nullable().default(null),
});
export const PublicizeBody = z.strictObject({ from: IsoDate, until: IsoDate });
export const DesignateBody = z.strictObject({ termFrom: IsoDate });
export const ObjectionBody = z.strictObject({
  receivedOn: IsoDate,
  content: RequiredText(1000, '异议内容'),
  upheld: z.boolean({ error: '请选择异议是否成立' }),
});
export const AssessBody = z.strictObject({
  year: Year,
  result: z.enum(['qualified', 'unqualified'], { error: '请选择合格或不合格' }),
  duties: z
    .array(z.string().regex(/^[a-z][a-zA-Z0-9]*$/, '职责代码不正确'))
    .max(20)
    .default([]),
  note: Text(500, '说明').nullable().default(null),
  correctionReason: Text(200, '更正原因').nullable().default(null),
});
export const RenewBody = z.strictObject({ note: Text(200, '说明').nullable().default(null) });
export const ExitBody = z.strictObject({ on: IsoDate, note: RequiredText(200, '退出原因') });
