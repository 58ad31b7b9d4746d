import { z } from 'zod';
import type { Cite } from './policy.format.js';
import { EDUCATION, SUBJECTS } from '../../platform/vocab.js';

/**
 * The `staffingStandards` key of a policy document (issue 14 item 9, 编制与结构): the 城乡统一 teacher–student ratios
 * by stage (a school's required staffing = students ÷ ratio), the 学历层次 targets by stage and the 紧缺学科 a school
 * must staff. The 学历 and 紧缺学科 targets are turned into `staffing` rules (policy.format.ts) and judged by the
 * engine's evaluateStaffing, like every other staffing rule. A region publishes its own by putting this key in a
 * policy in force for its bureau; without one the platform default below holds.
 */

const STAGE_CODES = ['kindergarten', 'primary', 'junior', 'senior', 'vocational', 'special'] as const;
const stage = z.enum(STAGE_CODES, { error: `学段应为以下之一：${STAGE_CODES.join(' / ')}` });
const education = z.enum(Object.keys(EDUCATION) as [keyof typeof EDUCATION, ...(keyof typeof EDUCATION)[]], {
  error: `学历层次应为以下之一：${Object.keys(EDUCATION).join(' / ')}`,
});
const share = z
  .number({ error: '比例应写成小数，例如 90% 写 0.9；原文未给出时写 null' })
  .min(0, '比例不能为负数')
  .max(1, '比例应写成小数，例如 90% 写 0.9')
  .nullable();

export const staffingStandardsSchema = (cite: typeof Cite) =>
  z.strictObject({
    /** Students per teacher (教职工) by stage: 1:19 → 19. */
    ratios: z
      .array(
        z.strictObject({
          stage,
          studentsPerStaff: z.number({ error: '师生比应写每名教职工对应的学生数，例如 1:19 写 19' }).positive('师生比应为正数').max(100, '师生比不超过 1:100'),
          cite: cite.optional(),
        }),
      )
      .min(1, '至少写一个学段的师生比'),
    /** 学历层次: of the teachers in post at schools of these stages, at least `share` hold `atLeast` or higher. */
    education: z.array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, '只能使用小写英文字母、数字和连字符'),
        stages: z.array(stage).min(1, '至少一个学段'),
        atLeast: education,
        share,
        openFigure: z.string().min(2).optional(),
        cite,
      }),
    ),
    /** 紧缺学科: each school of these stages staffs at least `minPerSchool` teachers of the subject (null: no figure, count shown). */
    shortageSubjects: z.array(
      z.strictObject({
        subject: z.enum(SUBJECTS, { error: () => `学科应为以下之一：${SUBJECTS.join('、')}` }),
        stages: z.array(stage).min(1, '至少一个学段'),
        minPerSchool: z.number().int('人数应为整数').min(0).max(50).nullable(),
        openFigure: z.string().min(2).optional(),
        cite,
      }),
    ),
    cite: z.array(cite).optional(),
    assumptions: z.array(z.string().min(2)).optional(),
  });
export type StaffingStandards = z.output<ReturnType<typeof staffingStandardsSchema>>;

const RATIO_DOC = '中央编办 教育部 财政部《关于统一城乡中小学教职工编制标准的通知》（中央编办发〔2014〕72号）';
const C002_4_2 = {
  file: '002_3e80cca182bc990a.txt',
  title: '基础教育强师计划实施方案（省级）',
  section: '三（四）2',
  text: '落实城乡统一教职工编制标准',
};
const C003_8 = {
  file: '003_517967f07bc3b182.txt',
  title: '北京市新时代基础教育强师计划实施方案',
  section: '8',
  text: '按照中小学教职工编制标准和相关政策要求，核定区域内中小学教职工编制总量',
};
const C000_EDU = (text: string) => ({
  file: '000_1a3ff7e1cbb247a8.txt',
  title: '巴彦淖尔市教师专业能力提升行动计划（2023—2025年）',
  section: '二（五）1',
  text,
});
const C003_10 = {
  file: '003_517967f07bc3b182.txt',
  title: '北京市新时代基础教育强师计划实施方案',
  section: '10',
  text: '加大藝術、體育、美育、勞動、科學、信息科技、心理健康教育等緊缺學科教師補充力度',
};
const C001_7 = {
  file: '001_ccb7d628c06d47ce.txt',
  title: '阿拉善高新区示范区师资队伍专业化提升年（2025）实施方案',
  section: '三（七）',
  text: '劳动、科学、心理健康每校至少要配备1名专职教师',
};

/**
 * The platform default. The seeds require the 城乡统一 standard (002 §三（四）2, 003 #8) without figures: the ratios
 * are the national standard's (assumption, named); the 学历 levels are 000 §二（五）1's, the shares are assumptions.
 */
export const STAFFING_STANDARDS_DEFAULT: StaffingStandards = {
  ratios: [
    { stage: 'primary', studentsPerStaff: 19, cite: C002_4_2 },
    { stage: 'junior', studentsPerStaff: 13.5, cite: C002_4_2 },
    { stage: 'senior', studentsPerStaff: 12.5, cite: C002_4_2 },
  ],
  education: [
    {
      id: 'edu-kindergarten-associate',
      stages: ['kindergarten'],
      atLeast: 'associate',
      share: 1,
      cite: C000_EDU('幼儿园要侧重培养才艺兼备、擅长保教的专科层次教师'),
    },
    {
      id: 'edu-compulsory-bachelor',
      stages: ['primary', 'junior'],
      atLeast: 'bachelor',
      share: 1,
      cite: C000_EDU('义务教育学校要侧重培养素质全面、业务见长的本科层次教师'),
    },
    {
      id: 'edu-senior-master',
      stages: ['senior'],
      atLeast: 'master',
      share: null,
      openFigure: '原文只说“侧重培养……研究生层次教师”，未给出比例；显示现有比例，由本地区政策填写目标',
      cite: C000_EDU('高中阶段教育学校侧重培养专业突出、底蕴深厚的研究生层次教师'),
    },
  ],
  shortageSubjects: [
    { subject: '劳动', stages: ['primary', 'junior'], minPerSchool: 1, cite: C001_7 },
    { subject: '科学', stages: ['primary', 'junior'], minPerSchool: 1, cite: C001_7 },
    { subject: '心理健康', stages: ['primary', 'junior', 'senior'], minPerSchool: 1, cite: C001_7 },
    { subject: '体育', stages: ['primary', 'junior', 'senior'], minPerSchool: null, openFigure: '原文要求加大补充力度，未给出每校人数', cite: C003_10 },
    { subject: '音乐', stages: ['primary', 'junior', 'senior'], minPerSchool: null, openFigure: '原文要求加大艺术学科补充力度，未给出每校人数', cite: C003_10 },
    { subject: '美术', stages: ['primary', 'junior', 'senior'], minPerSchool: null, openFigure: '原文要求加大艺术学科补充力度，未给出每校人数', cite: C003_10 },
    { subject: '信息技术', stages: ['primary', 'junior', 'senior'], minPerSchool: null, openFigure: '原文要求加大补充力度，未给出每校人数', cite: C003_10 },
  ],
  cite: [C002_4_2, C003_8],
  assumptions: [
    `师生比 小学 1:19、初中 1:13.5、高中 1:12.5 取自${RATIO_DOC}；种子文件只要求“落实城乡统一教职工编制标准”，未给出数字`,
    '按标准应配 = 在校生数 ÷ 师生比，向上取整；九年一贯制等学校按各学段学生分别折算后合计',
    '学历达标比例 100%（幼儿园专科及以上、义务教育本科及以上）是平台对“侧重培养……层次教师”的理解，原文未给出比例',
    '劳动、科学、心理健康每校至少 1 名取自阿拉善方案 三（七）；艺术（音乐、美术）、体育、信息科技（学科表中为“信息技术”）原文未给出每校人数，只显示现有人数',
  ],
};
