import { z } from 'zod';
import { Id, IsoDate, RequiredText, Text } from '../../platform/schemas.js';
import { SUBJECTS } from '../../platform/vocab.js';

/** 师徒结对 and 磨课 (issue 13 item 3): inputs. */

const Subject = z.enum(SUBJECTS, '请选择学科');

export const PairInput = z.object({
  mentorTeacherId: Id,
  menteeTeacherId: Id,
  subject: Subject,
  termFrom: IsoDate,
  termUntil: IsoDate.nullish(),
  goals: Text(1000, '结对目标').nullish(),
});
export type PairInput = z.infer<typeof PairInput>;

export const PairEndInput = z.object({
  endedOn: IsoDate,
  reason: RequiredText(200, '结束原因'),
});

/** Change the mentor: the current pair ends the day before `from`, a new pair with the new mentor starts on `from`. */
export const PairChangeInput = z.object({
  mentorTeacherId: Id,
  from: IsoDate,
  reason: RequiredText(200, '更换原因'),
  goals: Text(1000, '结对目标').nullish(),
});

export const RECORD_KINDS = { observation: '听课', guidance: '指导', reflection: '反思' } as const;
export const RecordInput = z.object({
  kind: z.enum(['observation', 'guidance', 'reflection'], '请选择记录类型（听课、指导或反思）'),
  heldOn: IsoDate,
  content: RequiredText(2000, '记录内容'),
});

export const POLISH_PURPOSES = { newTeacher: '新教师磨课', keyCandidate: '重点培养对象磨课', studio: '工作室活动', other: '其他' } as const;
export const RESULT_LABELS = { passed: '合格', failed: '不合格' } as const;

const EvaluationItem = z.object({
  label: RequiredText(30, '评价项目'),
  score: z.coerce.number('分数应为数字').min(0, '分数不能小于 0').max(100, '分数不能超过 100'),
  max: z.coerce.number('满分应为数字').min(1, '满分至少为 1').max(100, '满分不能超过 100').default(10),
});

export const RoundInput = z.object({
  subject: Subject,
  lesson: RequiredText(100, '课题'),
  heldOn: IsoDate,
  purpose: z.enum(['newTeacher', 'keyCandidate', 'studio', 'other'], '请选择磨课用途').default('newTeacher'),
  observers: z.array(RequiredText(30, '听课人')).max(20, '听课人最多 20 名').default([]),
  items: z.array(EvaluationItem).min(1, '请至少填写一项评价').max(10, '评价项目最多 10 项'),
  comment: Text(1000, '评价意见').nullish(),
  result: z.enum(['passed', 'failed'], '请选择评估结果（合格或不合格）'),
});
export type RoundInput = z.infer<typeof RoundInput>;

export const RoundCorrectionInput = RoundInput.extend({ correctionReason: RequiredText(200, '更正原因') });

export const GateOpenInput = z.object({
  subject: Subject,
  reason: z.enum(['newTeacher', 'newSubject'], '请选择原因（新入职或新任学科）'),
  openedOn: IsoDate,
});

export const GateReleaseInput = z.object({
  subject: Subject,
  releasedOn: IsoDate,
  note: Text(500, '说明').nullish(),
});

export const Term = z.string('请填写学期').regex(/^\d{4}-\d{4}-[12]$/, '学期格式应为 2026-2027-1（学年-学期）');

export const KeyCandidateInput = z.object({ teacherId: Id, subject: Subject, term: Term });
export const WithdrawInput = z.object({ reason: RequiredText(200, '撤销原因') });

export const BoardQuery = z.object({ term: Term.optional() });
