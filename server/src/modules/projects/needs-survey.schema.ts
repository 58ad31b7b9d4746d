import { z } from 'zod';
import { IdSchema } from './projects.schema.js';

export const MAX_QUESTIONS = 20;

export const QuestionInput = z
  .object({
    type: z.enum(['single', 'multiple', 'text']),
    title: z.string().trim().min(2, '题目至少 2 个字').max(200, '题目不能超过 200 字'),
    options: z.array(z.string().trim().min(1, '选项不能为空').max(100, '选项不能超过 100 字')).max(10, '每题最多 10 个选项').default([]),
    required: z.boolean().default(true),
  })
  .superRefine((v, c) => {
    if (v.type !== 'text' && v.options.length < 2) c.addIssue({ code: 'custom', path: ['options'], message: '选择题至少需要 2 个选项' });
    if (v.type === 'text' && v.options.length) c.addIssue({ code: 'custom', path: ['options'], message: '填空题不需要选项' });
    if (new Set(v.options).size !== v.options.length) c.addIssue({ code: 'custom', path: ['options'], message: '选项不能重复' });
  });
export type Question = z.infer<typeof QuestionInput>;

export const SurveyInput = z.object({
  title: z.string().trim().min(2, '问卷标题至少 2 个字').max(100, '问卷标题不能超过 100 字'),
  questions: z.array(QuestionInput).min(1, '问卷至少需要 1 道题').max(MAX_QUESTIONS, `问卷最多 ${MAX_QUESTIONS} 道题`),
});
export type SurveyInput = z.infer<typeof SurveyInput>;

/** One answer per question, in order: an option index, a list of option indexes, a text, or null (skipped). */
export const AnswerInput = z.object({
  answers: z.array(z.union([z.number().int(), z.array(z.number().int()).max(10), z.string().max(1000, '回答不能超过 1000 字'), z.null()])).max(MAX_QUESTIONS),
});
export type Answer = z.infer<typeof AnswerInput>['answers'][number];

export const SurveyIdParam = z.object({ id: IdSchema });
