import { z } from 'zod';
import { Id, IdList, IsoDate, Name, Year } from '../../platform/schemas.js';
import { STAGES, SUBJECTS } from '../../platform/vocab.js';

/** 基本功竞赛 kinds: 班主任基本功 (000 §二(三)), 教学基本功, 青年教师（如“劲竹杯”）, other. */
export const COMPETITION_KINDS = ['homeroomSkills', 'teachingSkills', 'youngTeacher', 'other'] as const;
export const COMPETITION_KIND_LABELS: Record<(typeof COMPETITION_KINDS)[number], string> = {
  homeroomSkills: '班主任基本功大赛',
  teachingSkills: '教学基本功大赛',
  youngTeacher: '青年教师大赛',
  other: '其他竞赛',
};

export const AWARDS = ['first', 'second', 'third'] as const;
export type Award = (typeof AWARDS)[number];
export const AWARD_LABELS: Record<Award, string> = { first: '一等奖', second: '二等奖', third: '三等奖' };

/** Who may be entered; every condition given must hold. */
export const Audience = z
  .object({
    stages: z
      .array(z.enum(Object.keys(STAGES) as [string, ...string[]], { error: '学段无效' }))
      .max(6)
      .optional(),
    subjects: z
      .array(z.enum(SUBJECTS, { error: '学科无效' }))
      .max(30)
      .optional(),
    /** 教龄 at most N years on the first round's date (from hire_date); 青年教师 editions. */
    maxTeachingYears: z.coerce.number().int('教龄上限应为整数').min(1, '教龄上限至少 1 年').max(40, '教龄上限不超过 40 年').optional(),
    /** Only teachers holding the 班主任 role (班主任基本功大赛). */
    homeroomOnly: z.boolean().optional(),
  })
  .default({});
export type Audience = z.infer<typeof Audience>;

export const CompetitionInput = z.object({
  series: Name(2, 60, '竞赛系列名称'),
  name: Name(2, 100, '竞赛名称'),
  kind: z.enum(COMPETITION_KINDS, { error: '竞赛类别无效' }),
  year: Year,
  audience: Audience,
});
export type CompetitionInput = z.infer<typeof CompetitionInput>;

export const RoundInput = z.object({
  seq: z.coerce.number().int('轮次序号应为整数').min(1, '轮次序号 1–5').max(5, '轮次序号 1–5'),
  name: Name(2, 20, '轮次名称'),
  heldOn: IsoDate,
});

export const JudgeInput = z
  .object({ userId: Id.optional().nullable(), expertName: Name(2, 50, '专家姓名').optional().nullable() })
  .refine((b) => !!b.userId !== !!b.expertName, { message: '请选择评委账号或填写专家姓名（二选一）', path: ['expertName'] });

export const EntriesInput = z.object({ teacherIds: IdList(200).min(1, '请选择参赛教师') });

export const ScoresInput = z.object({
  roundId: Id,
  judgeId: Id,
  scores: z
    .array(z.object({ entryId: Id, score: z.coerce.number('分数无效').min(0, '分数不能低于 0').max(100, '分数不能超过 100') }))
    .min(1, '请填写分数')
    .max(500),
});

export const ResultsInput = z.object({
  roundId: Id,
  results: z
    .array(
      z.object({
        entryId: Id,
        award: z.enum(AWARDS, { error: '奖项只能是一等奖、二等奖或三等奖' }).optional().nullable(),
        qualifies: z.boolean().default(false),
      }),
    )
    .min(1, '请填写结果')
    .max(500),
});

export const PublishInput = z.object({ publishedOn: IsoDate.optional().nullable() });
