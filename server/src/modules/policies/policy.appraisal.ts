import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `appraisal` key of a policy document (issue 14 item 1, 年度考核): the share of a school's teachers that may be
 * graded 优秀, what each teacher owes the year (学业述评 each term, 家访 visits), and which of the gathered inputs block
 * 优秀. A region publishes its own by putting this key in a policy in force for its bureau; without one the
 * platform default below (APPRAISAL_DEFAULT) holds. The grades are fixed (优秀/合格/基本合格/不合格).
 */

export const APPRAISAL_GRADES = { excellent: '优秀', qualified: '合格', basicallyQualified: '基本合格', unqualified: '不合格' } as const;
export type AppraisalGrade = keyof typeof APPRAISAL_GRADES;
export const APPRAISAL_GRADE_CODES = Object.keys(APPRAISAL_GRADES) as [AppraisalGrade, ...AppraisalGrade[]];

/** The inputs that may block 优秀 when not met. */
export const APPRAISAL_INPUTS = {
  hours: '学时达标',
  academicReview: '每学期学业述评',
  homeVisits: '家访次数',
  trainings: '参加选派的培训',
} as const;
export type AppraisalInput = keyof typeof APPRAISAL_INPUTS;
const inputCodes = Object.keys(APPRAISAL_INPUTS) as [AppraisalInput, ...AppraisalInput[]];

export const appraisalSchema = (cite: typeof Cite) =>
  z.strictObject({
    /** Share of a school's teachers in the round that may be graded 优秀; the count allowed is floor(n × share). */
    excellentShare: z.number({ error: '优秀比例应为 0 到 1 之间的小数，例如 0.2' }).min(0, '优秀比例不能为负').max(1, '优秀比例不能超过 1'),
    /** 学业述评: each term of the year (春季、秋季) needs a record for each class taught. */
    academicReviewEachTerm: z.boolean(),
    /** 家访: visits a teacher records in the year (0 = no minimum). */
    homeVisitsPerYear: z.number({ error: '家访次数应为整数' }).int('家访次数应为整数').min(0, '家访次数不能为负').max(100, '家访次数不超过 100'),
    /** Which inputs, when not met, block 优秀 (the school may still grade 合格). */
    excellentRequires: z.array(z.enum(inputCodes, { error: () => `应为以下之一：${inputCodes.join(' / ')}` })),
    cite: z.array(cite).optional(),
    assumptions: z.array(z.string().min(2)).optional(),
  });
export type AppraisalPolicy = z.output<ReturnType<typeof appraisalSchema>>;

/**
 * The platform default. The seeds say 家访 and 学业述评 count in the appraisal (003 #12) but give no 优秀 share and no
 * number of visits: those figures are assumptions, listed as such.
 */
export const APPRAISAL_DEFAULT: AppraisalPolicy = {
  excellentShare: 0.2,
  academicReviewEachTerm: true,
  homeVisitsPerYear: 1,
  excellentRequires: ['hours', 'academicReview', 'homeVisits', 'trainings'],
  cite: [
    {
      file: '003_517967f07bc3b182.txt',
      title: '北京市新时代基础教育强师计划实施方案',
      section: '12',
      text: '落實中小學教師家訪制度，將家校聯系情況納入教師考核。探索建立中小學教師教學述評制度，任課教師每學期須對每個學生進行學業述評，述評情況納入教師考核內容',
    },
    {
      file: '000_1a3ff7e1cbb247a8.txt',
      title: '巴彦淖尔市教师专业能力提升行动计划（2023—2025年）',
      section: '三（五）',
      text: '把提升教师专业能力与学校年度考核和教师职称评审、职称晋级、评优选先、绩效考核等挂钩',
    },
  ],
  assumptions: [
    '优秀比例 20%：种子文件未给出；取事业单位年度考核优秀档次“一般不超过参加考核人数 20%”的通行做法，人数向下取整（23 人 × 20% = 4.6 → 4 人）',
    '家访每年至少 1 次：种子文件只要求“落实家访制度”，未给出次数',
    '学业述评按春季、秋季两个学期计，每学期至少一条完成记录',
    '未达标的学时、缺学期的学业述评、家访不足、未参加选派的培训不得评为优秀（仍可评为合格），为平台默认',
  ],
};

export const gradeLabel = (g: string) => APPRAISAL_GRADES[g as AppraisalGrade] ?? g;
