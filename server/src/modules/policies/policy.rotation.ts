import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `rotation` key of a policy document (issue 14 item 2, 交流轮岗): who is eligible to rotate (years at the
 * same school, stages), the share of the eligible teachers that must rotate each year, which kinds of record
 * count toward it, and the stages whose 职称/骨干 eligibility requires rotation experience. Without a policy in
 * force carrying the key, ROTATION_DEFAULT holds.
 */
const STAGE_CODES = ['kindergarten', 'primary', 'junior', 'senior', 'vocational', 'special', 'nineYear', 'twelveYear'] as const;
export const ROTATION_KINDS = { exchange: '交流', rotation: '轮岗', supportTeaching: '支教', sendTeaching: '送教下乡' } as const;
export type RotationKind = keyof typeof ROTATION_KINDS;
export const ROTATION_KIND_CODES = Object.keys(ROTATION_KINDS) as [RotationKind, ...RotationKind[]];

export const rotationSchema = (cite: typeof Cite) =>
  z.strictObject({
    /** Teachers of these school stages are counted (义务教育). */
    stages: z.array(z.enum(STAGE_CODES, { error: '学段代码不正确' })).min(1, '至少一个学段'),
    /** Eligible: in service at the same school for at least this many full years. */
    eligibleYears: z.number({ error: '任教年限应为数字' }).int('任教年限应为整数').min(1, '任教年限至少 1 年').max(30, '任教年限不超过 30 年'),
    /** Share of the eligible teachers who must rotate each year (0.1 = 10 %). */
    annualShare: z.number({ error: '年度交流比例应为数字' }).gt(0, '年度交流比例应大于 0').max(1, '年度交流比例不超过 1'),
    /** The record kinds counted toward the share. */
    countedKinds: z.array(z.enum(ROTATION_KIND_CODES, { error: '交流类型不正确' })).min(1, '至少一种交流类型'),
    cite: z.array(cite).optional(),
    assumptions: z.array(z.string().min(2)).optional(),
  });
export type RotationPolicy = z.output<ReturnType<typeof rotationSchema>>;

/**
 * The platform default. The seeds make 交流轮岗 a required condition (003 #5/#10: 将义务教育学校校长教师参与交流轮岗
 * 和工作绩效作为…教师职称晋升、骨干教师评选、评优评先等方面工作的必要条件) but give no share or year count; the
 * figures below are the national rule (教育部等《关于推进县（区）域内义务教育学校校长教师交流轮岗的意见》2014:
 * 在同一所学校连续任教满 6 年的教师应交流轮岗，每年交流轮岗教师的比例不低于符合交流条件教师总数的 10%),
 * listed as assumptions until a region publishes its own.
 */
export const ROTATION_DEFAULT: RotationPolicy = {
  stages: ['primary', 'junior', 'nineYear'],
  eligibleYears: 6,
  annualShare: 0.1,
  countedKinds: ['exchange', 'rotation', 'supportTeaching'],
  cite: [
    {
      file: '003_517967f07bc3b182.txt',
      section: '10',
      text: '深化推进区域内义务教育学校校长交流轮换、骨干教师均衡配置、普通教师按需轮岗…将义务教育学校校长教师参与交流轮岗和工作绩效作为校长职级和教师职称晋升、骨干教师评选、评优评先等方面工作的必要条件',
    },
    { file: '000_1a3ff7e1cbb247a8.txt', section: '三（一）2', text: '通过开展“送教下乡”、区域教研等方式，帮助薄弱学校教师提高业务能力' },
  ],
  assumptions: [
    '种子文件未给出交流比例与年限：采用国家规定（教育部等《关于推进县（区）域内义务教育学校校长教师交流轮岗的意见》，2014）——同一所学校连续任教满 6 年应交流，每年交流人数不低于符合条件教师的 10%',
    '计入比例的类型：交流、轮岗、支教（送教下乡为短期送教，不计入）',
  ],
};
