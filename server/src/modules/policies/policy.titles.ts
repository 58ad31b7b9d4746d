import { z } from 'zod';
import type { Cite } from './policy.format.js';
import { TITLES } from '../../platform/vocab.js';

/**
 * The `titles` key of a policy document (issue 14 item 3, 职称 eligibility): per target title (二级→一级, 一级→高级,
 * 高级→正高级 …) the years at the current title, the appraisal results of the last N years, whether 交流轮岗 is
 * required (in the stages listed, 义务教育 by default) and the years of rural service; for every target the
 * 继续教育 hours of the last completed cycle (the compliance engine's cycle hours rules) and the 师德 veto
 * (purpose titleEligibility). A region publishes its own by putting this key in a policy in force for its bureau;
 * without one TITLES_DEFAULT below holds.
 */

type TitleCode = keyof typeof TITLES;
const TITLE_CODES = Object.keys(TITLES) as [TitleCode, ...TitleCode[]];
const STAGE_CODES = ['kindergarten', 'primary', 'junior', 'senior', 'vocational', 'special'] as const;
const title = (what: string) => z.enum(TITLE_CODES, { error: `${what}应为以下之一：${TITLE_CODES.join(' / ')}` });
const int = (label: string, max: number) =>
  z
    .number({ error: `${label}应为数字` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(max, `${label}不能超过 ${max}`);

export const titlesSchema = (cite: typeof Cite) =>
  z
    .strictObject({
      targets: z
        .array(
          z.strictObject({
            from: title('现职称 from'),
            to: title('申报职称 to'),
            /** Full years at the current title on the base date (任现职年限). */
            yearsAtTitle: int('任现职年限', 20),
            /** Appraisal: of the `appraisalYears` calendar years before the base date's year, at least `minPassed` 合格 or better, and none 不合格. */
            appraisalYears: int('考核年数', 10),
            minPassed: int('合格以上年数', 10),
            /** 交流轮岗 experience required (teachers of `rotationStages`). */
            rotation: z.boolean({ error: 'rotation 应为 true 或 false' }),
            /** Years of rural service (乡村学校任教，含支教) required; 0 = not required. */
            ruralYears: int('乡村任教年限', 20),
          }),
          { error: '请列出申报职称 targets' },
        )
        .min(1, '至少一个申报职称'),
      /** The stages where 交流轮岗 is a condition (003 #10: 义务教育). */
      rotationStages: z.array(z.enum(STAGE_CODES, { error: '学段代码不正确' })),
      /** 继续教育: the cycle hours rules of the policies in force, met in the last completed cycle. */
      hoursCycleMet: z.boolean(),
      cite: z.array(cite).optional(),
      assumptions: z.array(z.string().min(2)).optional(),
    })
    .superRefine((t, c) => {
      const seen = new Set<string>();
      t.targets.forEach((x, i) => {
        if (x.from === x.to) c.addIssue({ code: 'custom', path: ['targets', i, 'to'], message: '申报职称不能与现职称相同' });
        if (x.minPassed > x.appraisalYears) c.addIssue({ code: 'custom', path: ['targets', i, 'minPassed'], message: '合格以上年数不能多于考核年数' });
        if (seen.has(x.to)) c.addIssue({ code: 'custom', path: ['targets', i, 'to'], message: `申报职称 ${x.to} 重复` });
        seen.add(x.to);
      });
    });
export type TitlesPolicy = z.output<ReturnType<typeof titlesSchema>>;
export type TitleTarget = TitlesPolicy['targets'][number];

/**
 * The platform default. The seeds make training completion a basis for 职称 (004 §四(三), 000 §三(五)), 交流轮岗 a
 * necessary condition of 职称晋升 in compulsory education (003 #10) and the 师德 veto apply to 职称评定 (000 §二(一));
 * 360 学时 per 5 years is 002 §三(三)1 (the compliance rule cycle-360). The years at title and the appraisal counts are
 * not in the seeds: they follow the national 中小学教师职称评价标准 and are listed as assumptions.
 */
export const TITLES_DEFAULT: TitlesPolicy = {
  targets: [
    { from: 'second', to: 'first', yearsAtTitle: 4, appraisalYears: 4, minPassed: 4, rotation: false, ruralYears: 0 },
    { from: 'first', to: 'senior', yearsAtTitle: 5, appraisalYears: 5, minPassed: 5, rotation: true, ruralYears: 1 },
    { from: 'senior', to: 'fullSenior', yearsAtTitle: 5, appraisalYears: 5, minPassed: 5, rotation: true, ruralYears: 0 },
  ],
  rotationStages: ['primary', 'junior'],
  hoursCycleMet: true,
  cite: [
    {
      file: '004_2e4368c11b6d8dec.txt',
      section: '四（三）',
      text: '将教师培训完成情况作为教师晋升职务(职称)、评先选优、荣誉奖励等的重要依据',
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
      section: '三（五）',
      text: '把提升教师专业能力与学校年度考核和教师职称评审、职称晋级、评优选先、绩效考核等挂钩',
    },
    {
      file: '002_3e80cca182bc990a.txt',
      title: '基础教育强师计划实施方案（省级）',
      section: '三（三）1',
      text: '抓好教师全员培训及紧缺、薄弱学科教师培训,强化5年360学时培训任务的落实',
    },
  ],
  assumptions: [
    '任现职年限（二级→一级 4 年，一级→高级 5 年，高级→正高级 5 年）按全国中小学教师职称评价标准的常见要求，来源文件未给出',
    '年度考核：基准日前 N 个年度（N 同任现职年限）每年合格以上、无不合格，来源文件未给出',
    '申报高级教师须有 1 年以上乡村学校任教（含支教）经历，是平台假定：来源文件只要求落实乡村教师政策（002 §三（五）），未给出年限',
    '交流轮岗作为职称晋升的必要条件只对义务教育学段（小学、初中）的高级、正高级申报适用，是平台对 003 #10 的理解',
    '继续教育以基准日前最近一个已结束的 5 年周期是否完成 360 学时（按在岗月数折算）判断',
  ],
};

export const titleLabel = (t: string | null | undefined) => (t ? (TITLES[t as TitleCode] ?? t) : '无');
