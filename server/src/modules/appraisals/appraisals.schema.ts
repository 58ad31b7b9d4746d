import { z } from 'zod';
import { Id, IsoDate, RequiredText, Text, Year } from '../../platform/schemas.js';
import { APPRAISAL_GRADE_CODES } from '../policies/policy.appraisal.js';

const grade = z.enum(APPRAISAL_GRADE_CODES, { error: '请选择等次（优秀/合格/基本合格/不合格）' });

export const CreateRoundBody = z.strictObject({
  year: Year,
  title: RequiredText(100, '考核名称'),
  selfReportUntil: IsoDate,
  gradeUntil: IsoDate,
  /** A bureau may set the 优秀 share for its subtree; a school uses the policy's. */
  excellentShare: z.number({ error: '优秀比例应为 0 到 1 之间的小数' }).min(0, '优秀比例不能为负').max(1, '优秀比例不能超过 1').nullable().default(null),
});
export type CreateRoundBody = z.infer<typeof CreateRoundBody>;

export const GradeBody = z.strictObject({ grade, comment: Text(500, '评语').nullable().default(null) });
export const PublicizeBody = z.strictObject({ from: IsoDate, until: IsoDate });
export const ObjectionBody = z.strictObject({
  receivedOn: IsoDate,
  content: RequiredText(1000, '异议内容'),
  upheld: z.boolean({ error: '请选择异议是否成立' }),
  decision: RequiredText(500, '核实处理意见'),
  newGrade: grade.nullable().default(null),
});
export const CorrectBody = z.strictObject({ grade, reason: RequiredText(200, '更正原因') });
export const SelfReportBody = z.strictObject({ roundId: Id, text: RequiredText(3000, '个人述职') });

export const HomeVisitBody = z.strictObject({
  visitedOn: IsoDate,
  className: RequiredText(40, '班级'),
  families: z.number({ error: '家访户数应为整数' }).int('家访户数应为整数').min(1, '家访户数至少 1 户').max(200, '家访户数不超过 200'),
  mode: z.enum(['visit', 'online'], { error: '请选择家访方式（入户/线上）' }).default('visit'),
  note: Text(300, '备注').nullable().default(null),
});
export const AcademicReviewBody = z.strictObject({
  year: Year,
  term: z.enum(['spring', 'autumn'], { error: '请选择学期（春季/秋季）' }),
  className: RequiredText(40, '班级'),
  students: z.number({ error: '学生人数应为整数' }).int('学生人数应为整数').min(1, '学生人数至少 1 人').max(500, '学生人数不超过 500'),
  reviewed: z.number({ error: '已述评人数应为整数' }).int('已述评人数应为整数').min(0, '已述评人数不能为负').max(500, '已述评人数不超过 500'),
  completedOn: IsoDate,
  note: Text(300, '备注').nullable().default(null),
});
export const YearQuery = z.object({ year: Year.optional() });
