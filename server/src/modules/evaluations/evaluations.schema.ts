import { z } from 'zod';
import { Id, IdParam, IsoDate, MinText, Text, Year, Name } from '../../platform/schemas.js';
import { keysOf, QUALIFICATION_STATUS } from '../../platform/vocab.js';

export { IdParam };
export const FileParam = z.object({ id: Id, fileId: Id });

/** The default questions of the participant survey (004 §三(六) 网上匿名评估). */
export const DEFAULT_SURVEY_QUESTIONS = ['内容实用性', '专家水平', '组织管理', '总体满意度'];
export const DEFAULT_COMMENT_LABEL = '意见和建议';

export const SurveyInput = z.object({
  title: Name(2, 100, '问卷标题').optional(),
  questions: z
    .array(Name(2, 40, '评分项'))
    .min(1, '至少需要一个评分项')
    .max(10, '评分项不能超过 10 个')
    .refine((a) => new Set(a).size === a.length, '评分项不能重复')
    .optional(),
  commentLabel: Name(2, 40, '文字题').optional(),
});
export type SurveyInput = z.infer<typeof SurveyInput>;

export const SurveyAction = z.object({ action: z.enum(['close', 'reopen']) });

export const AnswerInput = z.object({
  /** questionKey → 1..5; every rating question must be answered. */
  ratings: z.record(z.string().max(10), z.number().int('评分应为 1–5 的整数').min(1, '评分应为 1–5').max(5, '评分应为 1–5')),
  comment: Text(500, '意见和建议').optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

const score100 = z
  .number()
  .min(0, '分数应在 0–100 之间')
  .max(100, '分数应在 0–100 之间')
  .refine((n) => Number.isInteger(n * 10), '分数最多一位小数');

export const InspectionInput = z.object({
  inspectedOn: IsoDate,
  inspectors: MinText(2, 100, '督导人员', '请填写督导人员'),
  findings: MinText(5, 2000, '督导情况'),
  score: score100,
  issues: z
    .array(MinText(1, 200, '问题', '问题不能为空'))
    .max(20, '问题不能超过 20 条')
    .default([]),
});
export type InspectionInput = z.infer<typeof InspectionInput>;

export const ScorecardQuery = z.object({
  fromYear: Year.optional(),
  toYear: Year.optional(),
});
export type ScorecardQuery = z.infer<typeof ScorecardQuery>;

export const StatusChangeInput = z.object({
  status: z.enum(keysOf(QUALIFICATION_STATUS)),
  reason: MinText(5, 500, '原因', '请填写变更原因（至少 5 个字）'),
});
export type StatusChangeInput = z.infer<typeof StatusChangeInput>;

export { score100 };
