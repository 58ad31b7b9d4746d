import { z } from 'zod';
import { IdParam, MinText, RequiredText, Text, Name } from '../../platform/schemas.js';

export const MAX_QUESTIONS = 20;

export const QuestionInput = z
  .object({
    type: z.enum(['single', 'multiple', 'text']),
    title: MinText(2, 200, '题目'),
    options: z.array(RequiredText(100, '选项')).max(10, '每题最多 10 个选项').default([]),
    required: z.boolean().default(true),
  })
  .superRefine((v, c) => {
    if (v.type !== 'text' && v.options.length < 2) c.addIssue({ code: 'custom', path: ['options'], message: '选择题至少需要 2 个选项' });
    if (v.type === 'text' && v.options.length) c.addIssue({ code: 'custom', path: ['options'], message: '填空题不需要选项' });
    if (new Set(v.options).size !== v.options.length) c.addIssue({ code: 'custom', path: ['options'], message: '选项不能重复' });
  });
export type Question = z.infer<typeof QuestionInput>;

export const SurveyInput = z.object({
  title: Name(2, 100, '问卷标题'),
  questions: z.array(QuestionInput).min(1, '问卷至少需要 1 道题').max(MAX_QUESTIONS, `问卷最多 ${MAX_QUESTIONS} 道题`),
});
export type SurveyInput = z.infer<typeof SurveyInput>;

const Choice = z.number().int('选项无效').min(0, '选项无效').max(99, '选项无效');

/** One answer per question, in order: an option index, a list of option indexes, a text, or null (skipped). */
export const AnswerInput = z.object({
  answers: z.array(z.union([Choice, z.array(Choice).max(10), Text(1000, '回答'), z.null()])).max(MAX_QUESTIONS),
});
export type Answer = z.infer<typeof AnswerInput>['answers'][number];

export const SurveyIdParam = IdParam;
