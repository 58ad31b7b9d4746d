import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `mentoring` key of a policy document (issue 13 item 3): 师徒结对 and the 磨课 gate. A region publishes its own
 * figures by putting this key in a policy in force for its bureau; without one the platform's defaults below hold.
 */

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label}应为整数` })
    .int(`${label}应为整数`)
    .min(min, `${label}至少为 ${min}`)
    .max(max, `${label}不能超过 ${max}`);

/** The schema of the key, given the document format's `Cite` (a function: no import cycle with policy.format.ts). */
export const mentoringSchema = (cite: typeof Cite) =>
  z.strictObject({
    /** A teacher hired within this many months (or holding the role 新入职教师) is a new teacher: needs a mentor and the gate. */
    newTeacherMonths: int('新教师认定期（月）', 1, 60),
    /** How many current mentees one mentor may have at once. */
    mentorLoadCap: int('每名师傅同时带教人数上限', 1, 20),
    /** Passed 磨课 rounds before 可独立任教 (one of them evaluated by the 教研室). */
    roundsRequired: int('磨课轮数', 1, 10),
    /** 重点培养对象: teachers with at most this many years of 教龄. */
    keyCandidateMaxYears: int('重点培养对象教龄上限（年）', 1, 10),
    cite: cite.optional(),
    assumptions: z.array(z.string().min(2)).optional(),
  });
export type MentoringPolicy = z.output<ReturnType<typeof mentoringSchema>>;

/**
 * The platform's defaults. Two rounds, the 教研室's evaluation and 教龄 3 年 are 001 §三（四）; the seeds give no
 * figure for a mentor's load or for how long a teacher counts as new: 3 mentees and 12 months are assumptions.
 */
export const DEFAULT_MENTORING: MentoringPolicy = {
  newTeacherMonths: 12,
  mentorLoadCap: 3,
  roundsRequired: 2,
  keyCandidateMaxYears: 3,
  cite: {
    file: '001_ccb7d628c06d47ce.txt',
    title: '阿拉善高新区示范区师资队伍专业化提升年（2025）实施方案',
    section: '三（四）',
    text: '各学校要成立磨课团队,新入职教师、新任学科教师须经过两轮磨课,通过教研室听课评估合格方能正式代课;教龄 3年以下的年轻教师,每学期每学科至少确定 1名教师作为重点培养对象',
  },
  assumptions: [
    '每名师傅同时带教不超过 3 人是平台默认值：来源文件只要求“师徒结对”，未给出带教人数。',
    '入职 12 个月内（或任职为“新入职教师”）视为新教师，是平台默认值：来源文件未给出期限。',
    '两轮磨课中至少一轮须由教研室听课评估合格（001 §三（四）“通过教研室听课评估合格方能正式代课”）。',
  ],
};
