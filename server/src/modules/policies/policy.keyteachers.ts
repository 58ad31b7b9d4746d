import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `keyTeachers` key of a policy document (issue 13 item 2, 骨干教师 三级三类): the region's ladder (tiers ×
 * categories), the term of a designation, the eligibility rules a nomination is checked against, and the yearly
 * duties during the term. A region publishes its own by putting this key in a policy in force for its bureau;
 * without one the platform default below (KEY_TEACHERS_DEFAULT) holds.
 */

export const KEY_TIERS = { school: '校级', county: '县级', city: '市级', province: '省级' } as const;
export type KeyTier = keyof typeof KEY_TIERS;
export const KEY_TIER_CODES = Object.keys(KEY_TIERS) as KeyTier[];

const code = z.string({ error: '请填写代码 code' }).regex(/^[a-z][a-zA-Z0-9]*$/, '代码只能用英文字母和数字，以小写字母开头，例如 keyTeacher');
const STAGE_CODES = ['kindergarten', 'primary', 'junior', 'senior', 'vocational', 'special'] as const;

export const keyTeachersSchema = (cite: typeof Cite) =>
  z
    .strictObject({
      /** 三级三类: the tiers the region designates and the categories (教学新秀 / 教学能手 / 骨干教师 / 学科带头人 / 名师 …). */
      tiers: z.array(z.enum(KEY_TIER_CODES, { error: `层级应为以下之一：${KEY_TIER_CODES.join(' / ')}` })).min(1, '至少一个层级'),
      categories: z.array(z.strictObject({ code, label: z.string({ error: '请填写类别名称 label' }).min(2, '类别名称至少 2 个字') })).min(1, '至少一个类别'),
      /** Years of a designation's term (任期). */
      termYears: z.number({ error: '任期应为年数' }).int('任期应为整数年').min(1, '任期至少 1 年').max(10, '任期不超过 10 年'),
      eligibility: z.strictObject({
        /** The hours rules of the policies in force must not be 未达标 (overdue) on the round's date. */
        hoursMet: z.boolean(),
        /** 交流轮岗 required before selection for teachers of these stages (义务教育: primary, junior). */
        rotationRequiredStages: z.array(z.enum(STAGE_CODES, { error: '学段代码不正确' })),
        /** 教龄 ≤ newTeacherYears: at least polishPassed 磨课 rounds (purpose keyCandidate) passed, incl. one by the 教研室. */
        newTeacherYears: z.number().int().min(0).max(10),
        polishPassed: z.number().int().min(0).max(10),
        researchOfficeEvaluation: z.boolean(),
      }),
      /** Yearly duties during the term, assessed 合格/不合格 each year. */
      duties: z.array(z.strictObject({ code, label: z.string().min(2, '职责名称至少 2 个字') })),
      cite: z.array(cite).optional(),
      assumptions: z.array(z.string().min(2)).optional(),
    })
    .superRefine((k, c) => {
      const seen = new Set<string>();
      k.categories.forEach((x, i) => {
        if (seen.has(x.code)) c.addIssue({ code: 'custom', path: ['categories', i, 'code'], message: `类别代码 ${x.code} 重复` });
        seen.add(x.code);
      });
    });
export type KeyTeachersPolicy = z.output<ReturnType<typeof keyTeachersSchema>>;

/**
 * The platform default (the seeds' rules; figures they do not give are marked as assumptions):
 * - 002 §二/§三(三)2: 推进新一轮基础教育三级三类骨干教师培养计划 (the ladder; the four tiers are the platform's reading).
 * - 001 §三(四): 教龄 3 年以下 … 磨课至少两轮，教研室听课评估合格方能成为骨干教师培养对象.
 * - 003 #5/#10: 交流轮岗 a condition of key-teacher selection in compulsory education (primary, junior).
 * - 000 (五)2: 1500 名骨干教师跟踪培训 3 年 (the term of 3 years).
 */
export const KEY_TEACHERS_DEFAULT: KeyTeachersPolicy = {
  tiers: ['school', 'county', 'city', 'province'],
  categories: [
    { code: 'newStar', label: '教学新秀' },
    { code: 'expert', label: '教学能手' },
    { code: 'keyTeacher', label: '骨干教师' },
    { code: 'subjectLeader', label: '学科带头人' },
    { code: 'master', label: '名师' },
  ],
  termYears: 3,
  eligibility: { hoursMet: true, rotationRequiredStages: ['primary', 'junior'], newTeacherYears: 3, polishPassed: 2, researchOfficeEvaluation: true },
  duties: [
    { code: 'demoLesson', label: '示范课或公开课' },
    { code: 'mentoring', label: '带教青年教师' },
    { code: 'research', label: '参与教研或课题研究' },
    { code: 'training', label: '完成骨干教师跟踪培训' },
  ],
  cite: [
    { file: '002_3e80cca182bc990a.txt', title: '基础教育强师计划实施方案（省级）', section: '三（三）2', text: '推进新一轮基础教育三级三类骨干教师培养计划' },
    {
      file: '001_ccb7d628c06d47ce.txt',
      title: '阿拉善高新区示范区师资队伍专业化提升年（2025）实施方案',
      section: '三（四）',
      text: '教龄 3年以下的年轻教师……进行磨课至少两轮，教研室听课评估合格方能成为骨干教师培养对象',
    },
    {
      file: '003_517967f07bc3b182.txt',
      title: '北京市新时代基础教育强师计划实施方案',
      section: '10',
      text: '將義務教育學校校長教師參與交流輪崗和工作績效作為校長職級和教師職稱晉升、骨干教師評選、評優評先等方面工作的必要條件',
    },
    {
      file: '000_1a3ff7e1cbb247a8.txt',
      title: '巴彦淖尔市教师专业能力提升行动计划（2023—2025年）',
      section: '（五）提高教师培养培训效果 2',
      text: '从小学、初中、高中各学科遴选1500名骨干教师，跟踪培训3年',
    },
  ],
  assumptions: [
    '层级（校级/县级/市级/省级）与五个类别名称是平台对“三级三类”的理解，原文未列出',
    '任期 3 年取自“跟踪培训3年”；年度职责四项为平台默认，原文未列出',
  ],
};

export const tierLabel = (t: string) => KEY_TIERS[t as KeyTier] ?? t;
