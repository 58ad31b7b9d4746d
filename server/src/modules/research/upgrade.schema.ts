import { z } from 'zod';
import { Id, IsoDate, Text } from '../../platform/schemas.js';
import { STAGES, SUBJECTS } from '../../platform/vocab.js';

/** 学历提升 (degree) or a matching 教师资格证 (qualification), seed 001 §三(七). */
export const UPGRADE_KINDS = ['degree', 'qualification'] as const;
export const UPGRADE_KIND_LABELS: Record<(typeof UPGRADE_KINDS)[number], string> = { degree: '学历提升', qualification: '取得相符的教师资格证' };
export const TARGET_EDUCATION = ['associate', 'bachelor', 'master', 'doctor'] as const;
const stageKeys = Object.keys(STAGES) as [string, ...string[]];

export const PlanInput = z
  .object({
    /** The school records a plan for a teacher of its subtree; a teacher records its own (teacherId ignored). */
    teacherId: Id.optional().nullable(),
    kind: z.enum(UPGRADE_KINDS, { error: '类型只能是学历提升（degree）或资格证（qualification）' }),
    targetEducation: z.enum(TARGET_EDUCATION, { error: '目标学历无效' }).optional().nullable(),
    targetSubject: z.enum(SUBJECTS, { error: '资格证学科无效' }).optional().nullable(),
    targetStage: z.enum(stageKeys, { error: '资格证学段无效' }).optional().nullable(),
    institution: Text(100, '就读院校或考试机构').optional().nullable(),
    expectedOn: IsoDate,
    evidenceFileId: Id.optional().nullable(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'degree' && !b.targetEducation) ctx.addIssue({ code: 'custom', path: ['targetEducation'], message: '请选择目标学历' });
    if (b.kind === 'qualification' && !b.targetSubject) ctx.addIssue({ code: 'custom', path: ['targetSubject'], message: '请选择资格证学科' });
  });
export type PlanInput = z.infer<typeof PlanInput>;

export const ProgressInput = z.object({ note: Text(1000, '进展说明').refine((s) => s.length > 0, '请填写进展说明'), fileId: Id.optional().nullable() });

/** What was achieved and from when: the education, or the certificate (subject from the plan, its number and stage). */
export const CompletionInput = z.object({
  achievedOn: IsoDate,
  qualificationNo: Text(40, '资格证编号').optional().nullable(),
  qualificationType: Text(30, '资格证种类').optional().nullable(),
  fileId: Id.optional().nullable(),
  note: Text(500, '说明').optional().nullable(),
});
export type CompletionInput = z.infer<typeof CompletionInput>;
