import { z } from 'zod';
import { keysOf, QUALIFICATION_STATUS } from '../../platform/vocab.js';

const id = z.coerce.number().int().positive('编号无效').max(2_147_483_647, '编号无效');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, '日期无效');

export const IdParam = z.object({ id });
export const FileParam = z.object({ id, fileId: id });

/** The default questions of the participant survey (004 §三(六) 网上匿名评估). */
export const DEFAULT_SURVEY_QUESTIONS = ['内容实用性', '专家水平', '组织管理', '总体满意度'];
export const DEFAULT_COMMENT_LABEL = '意见和建议';

export const SurveyInput = z.object({
  title: z.string().trim().min(2, '问卷标题至少 2 个字').max(100, '问卷标题不能超过 100 字').optional(),
  questions: z
    .array(z.string().trim().min(2, '评分项至少 2 个字').max(40, '评分项不能超过 40 字'))
    .min(1, '至少需要一个评分项')
    .max(10, '评分项不能超过 10 个')
    .refine((a) => new Set(a).size === a.length, '评分项不能重复')
    .optional(),
  commentLabel: z.string().trim().min(2, '文字题至少 2 个字').max(40, '文字题不能超过 40 字').optional(),
});
export type SurveyInput = z.infer<typeof SurveyInput>;

export const SurveyAction = z.object({ action: z.enum(['close', 'reopen']) });

export const AnswerInput = z.object({
  /** questionKey → 1..5; every rating question must be answered. */
  ratings: z.record(z.string().max(10), z.number().int('评分应为 1–5 的整数').min(1, '评分应为 1–5').max(5, '评分应为 1–5')),
  comment: z.string().trim().max(500, '意见和建议不能超过 500 字').optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

const score100 = z
  .number()
  .min(0, '分数应在 0–100 之间')
  .max(100, '分数应在 0–100 之间')
  .refine((n) => Number.isInteger(n * 10), '分数最多一位小数');

export const InspectionInput = z.object({
  inspectedOn: isoDate,
  inspectors: z.string().trim().min(2, '请填写督导人员').max(100, '督导人员不能超过 100 字'),
  findings: z.string().trim().min(5, '督导情况至少 5 个字').max(2000, '督导情况不能超过 2000 字'),
  score: score100,
  issues: z.array(z.string().trim().min(1, '问题不能为空').max(200, '每条问题不能超过 200 字')).max(20, '问题不能超过 20 条').default([]),
});
export type InspectionInput = z.infer<typeof InspectionInput>;

export const ScorecardQuery = z.object({
  fromYear: z.coerce.number().int().min(2000, '年份无效').max(2100, '年份无效').optional(),
  toYear: z.coerce.number().int().min(2000, '年份无效').max(2100, '年份无效').optional(),
});
export type ScorecardQuery = z.infer<typeof ScorecardQuery>;

export const StatusChangeInput = z.object({
  status: z.enum(keysOf(QUALIFICATION_STATUS)),
  reason: z.string().trim().min(5, '请填写变更原因（至少 5 个字）').max(500, '原因不能超过 500 字'),
});
export type StatusChangeInput = z.infer<typeof StatusChangeInput>;

export { score100 };
