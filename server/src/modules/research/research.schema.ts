import { z } from 'zod';
import { Id, IdList, IsoDate, Name, RequiredText, Text } from '../../platform/schemas.js';

export const RESEARCH_LEVELS = ['county', 'city', 'province'] as const;
export const RESEARCH_LEVEL_LABELS: Record<(typeof RESEARCH_LEVELS)[number], string> = { county: '县级', city: '市级', province: '省级' };

/** aiTeaching: AI 教学 专项课题 (seed 001 §三(六)3). */
export const RESEARCH_CATEGORIES = ['general', 'aiTeaching', 'moralEducation', 'homeroom', 'other'] as const;
export const RESEARCH_CATEGORY_LABELS: Record<(typeof RESEARCH_CATEGORIES)[number], string> = {
  general: '教育教学一般课题',
  aiTeaching: 'AI 教学专项课题',
  moralEducation: '德育课题',
  homeroom: '班主任专项课题',
  other: '其他',
};

export const OUTPUT_KINDS = ['paper', 'lesson', 'report', 'other'] as const;
export const OUTPUT_KIND_LABELS: Record<(typeof OUTPUT_KINDS)[number], string> = { paper: '论文', lesson: '课例', report: '研究报告', other: '其他成果' };

export const ResearchInput = z.object({
  title: Name(4, 100, '课题名称'),
  /** The leader: the teacher themself when a teacher applies; a teacher of the school's subtree when the school does. */
  leaderTeacherId: Id.optional().nullable(),
  memberTeacherIds: IdList(20).default([]),
  level: z.enum(RESEARCH_LEVELS, { error: '级别只能是县级、市级或省级' }),
  category: z.enum(RESEARCH_CATEGORIES, { error: '课题类别无效' }),
  plan: RequiredText(5000, '研究方案'),
});
export type ResearchInput = z.infer<typeof ResearchInput>;

export const RESEARCH_STEPS = ['approve', 'reject', 'start', 'midterm', 'conclude', 'terminate'] as const;
export type ResearchStep = (typeof RESEARCH_STEPS)[number];

export const StepParam = z.object({
  id: Id,
  step: z.enum(RESEARCH_STEPS, { error: '步骤只能是 approve、reject、start、midterm、conclude 或 terminate' }),
});

export const StepInput = z.object({
  /** 中期检查 result: pass moves on, needsWork is recorded and the project stays 开题. */
  result: z.enum(['pass', 'needsWork'], { error: '中期检查结果只能是通过（pass）或需改进（needsWork）' }).optional().nullable(),
  heldOn: IsoDate.optional().nullable(),
  comment: Text(1000, '意见').optional().nullable(),
});

export const OutputInput = z.object({
  kind: z.enum(OUTPUT_KINDS, { error: '成果类型只能是论文、课例、研究报告或其他' }),
  title: Name(2, 200, '成果名称'),
  fileId: Id.optional().nullable(),
});

export const MemberInput = z.object({ teacherId: Id });
