import { z } from 'zod';
import { Id, IsoDate, RequiredText, Text, Year } from '../../platform/schemas.js';
import { STUDIO_KINDS, STUDIO_LEVELS, type StudioKind, type StudioLevel } from '../policies/policy.studios.js';
import { ACTIVITY_KINDS, type ActivityKind, GRADES, type Grade, OUTPUT_KINDS, type OutputKind, REQUESTABLE_ACTIONS } from './studios.machine.js';

const keys = <T extends string>(o: Record<T, string>) => Object.keys(o) as [T, ...T[]];

export const ApplyBody = z.object({
  name: RequiredText(60, '工作室名称'),
  kind: z.enum(keys<StudioKind>(STUDIO_KINDS), { message: '请选择工作室类型' }),
  level: z.enum(keys<StudioLevel>(STUDIO_LEVELS), { message: '请选择工作室级别' }),
  hostTeacherId: Id,
  subject: Text(30, '学科').nullish(),
  planText: RequiredText(5000, '建设方案'),
});
export type ApplyInput = z.infer<typeof ApplyBody>;

export const TransitionBody = z
  .object({
    action: z.enum(REQUESTABLE_ACTIONS, { message: '操作无效' }),
    comment: Text(1000, '意见').nullish(),
    /** approve: the naming date (default today), the term (default: the policy's term from the naming date). */
    namedOn: IsoDate.nullish(),
    termUntil: IsoDate.nullish(),
  })
  .superRefine((b, c) => {
    if (b.action === 'reject' && !b.comment?.trim()) c.addIssue({ code: 'custom', path: ['comment'], message: '评审未通过时请填写原因' });
  });
export type TransitionInput = z.infer<typeof TransitionBody>;

export const MemberBody = z.object({
  teacherId: Id,
  role: z.enum(['member', 'expert'], { message: '成员角色应为成员或专家/银龄教师' }).default('member'),
  joinedOn: IsoDate,
});
export type MemberInput = z.infer<typeof MemberBody>;
export const LeaveBody = z.object({ leftOn: IsoDate });
export type LeaveInput = z.infer<typeof LeaveBody>;

export const PlanBody = z.object({
  year: Year,
  body: RequiredText(5000, '年度计划'),
  planned: z
    .array(
      z.object({
        kind: z.enum(keys<ActivityKind>(ACTIVITY_KINDS), { message: '活动类型无效' }),
        title: RequiredText(100, '活动名称'),
        month: z.coerce.number('月份无效').int('月份无效').min(1, '月份应为 1–12').max(12, '月份应为 1–12'),
      }),
    )
    .max(100, '计划活动最多 100 项')
    .default([]),
});
export type PlanInput = z.infer<typeof PlanBody>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
export const ActivityBody = z
  .object({
    kind: z.enum(keys<ActivityKind>(ACTIVITY_KINDS), { message: '请选择活动类型' }),
    title: RequiredText(100, '活动名称'),
    mode: z.enum(['online', 'offline'], { message: '请选择线上或线下' }),
    heldOn: IsoDate,
    place: Text(100, '地点').nullish(),
    ledByTeacherId: Id.nullish(),
    /** Offline with attendance: a session on the studio's yearly project (check-in, then 学时认定). */
    attendance: z.boolean().default(false),
    startTime: hhmm.nullish(),
    endTime: hhmm.nullish(),
    hours: z.coerce.number('学时应为数字').positive('学时应大于 0').max(24, '学时不能超过 24').nullish(),
  })
  .superRefine((b, c) => {
    if (b.mode === 'offline' && !b.place?.trim()) c.addIssue({ code: 'custom', path: ['place'], message: '线下活动请填写地点' });
    if (b.attendance) {
      if (b.mode !== 'offline') c.addIssue({ code: 'custom', path: ['attendance'], message: '只有线下活动可以签到' });
      if (!b.startTime) c.addIssue({ code: 'custom', path: ['startTime'], message: '签到活动请填写开始时间' });
      if (!b.endTime) c.addIssue({ code: 'custom', path: ['endTime'], message: '签到活动请填写结束时间' });
      if (b.startTime && b.endTime && b.endTime <= b.startTime) c.addIssue({ code: 'custom', path: ['endTime'], message: '结束时间应晚于开始时间' });
      if (!b.hours) c.addIssue({ code: 'custom', path: ['hours'], message: '签到活动请填写学时' });
    }
  });
export type ActivityInput = z.infer<typeof ActivityBody>;

export const OutputBody = z
  .object({
    kind: z.enum(keys<OutputKind>(OUTPUT_KINDS), { message: '请选择成果类型' }),
    title: RequiredText(200, '成果名称'),
    producedOn: IsoDate,
    teacherId: Id.nullish(),
  })
  .superRefine((b, c) => {
    if (b.kind === 'dualQualified' && !b.teacherId) c.addIssue({ code: 'custom', path: ['teacherId'], message: '请选择培养的双师型教师' });
  });
export type OutputInput = z.infer<typeof OutputBody>;

export const WithdrawBody = z.object({ reason: RequiredText(500, '撤回原因') });

export const AssessBody = z.object({
  year: Year,
  grade: z.enum(keys<Grade>(GRADES), { message: '请选择考核等次' }),
  comment: Text(1000, '考核意见').nullish(),
  decidedOn: IsoDate.nullish(),
});
export type AssessInput = z.infer<typeof AssessBody>;

export const YearQuery = z.object({ year: Year.optional() });
export const BoardQuery = z.object({ year: Year.optional() });
