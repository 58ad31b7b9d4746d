import { z } from 'zod';
import { Id, IdList, IsoDate, Name, RequiredText, Text, Year } from '../../platform/schemas.js';

export const HONOUR_LEVEL_LABELS = { national: '国家级', province: '省级', city: '市级', county: '县级', school: '校级' } as const;
const LEVELS = Object.keys(HONOUR_LEVEL_LABELS) as [keyof typeof HONOUR_LEVEL_LABELS, ...(keyof typeof HONOUR_LEVEL_LABELS)[]];
export const ACTIVITY_KINDS = { teacherMonth: '尊师月活动', ceremony: '表彰大会', visit: '走访慰问', other: '其他' } as const;
const ACTIVITY_CODES = Object.keys(ACTIVITY_KINDS) as [keyof typeof ACTIVITY_KINDS, ...(keyof typeof ACTIVITY_KINDS)[]];

export const TypeBody = z.object({
  name: Name(2, 50, '表彰项目名称'),
  level: z.enum(LEVELS, { error: '级别只能是国家级、省级、市级、县级或校级' }),
  description: Text(500, '说明').optional(),
});
export type TypeInput = z.infer<typeof TypeBody>;

export const NominateBody = z.object({
  typeId: Id,
  year: Year,
  teacherIds: IdList(200).min(1, '请选择被推荐的教师'),
  deeds: Text(2000, '主要事迹').optional(),
});
export type NominateInput = z.infer<typeof NominateBody>;

export const DecideBody = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('award'), awardedOn: IsoDate, note: Text(500, '说明').optional() }),
    z.object({ decision: z.literal('reject'), note: RequiredText(500, '不予表彰的原因') }),
    z.object({ decision: z.literal('withdraw'), note: Text(500, '说明').optional() }),
  ],
  { error: () => '请选择授予、不予表彰或撤回推荐' },
);
export type DecideInput = z.infer<typeof DecideBody>;

export const RevokeBody = z.object({ reason: RequiredText(200, '撤销原因') });

export const ActivityBody = z.object({
  heldOn: IsoDate,
  title: Name(2, 100, '活动名称'),
  kind: z.enum(ACTIVITY_CODES, { error: '活动类型应为尊师月活动、表彰大会、走访慰问或其他' }),
  participants: z.coerce.number({ error: '参加人数应为数字' }).int('参加人数应为整数').min(0, '参加人数不能为负').max(1000000, '参加人数过大').nullish(),
  note: Text(500, '备注').optional(),
});
export type ActivityInput = z.infer<typeof ActivityBody>;

export const RetirementBody = z.object({ teacherId: Id, ceremonyOn: IsoDate, note: Text(500, '备注').optional() });
export type RetirementInput = z.infer<typeof RetirementBody>;

export const YearQuery = z.object({ year: Year.optional() });
