import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `planCycle` key of a policy document (issue 14 item 5): when each school (or sub-bureau) must file its 年度计划
 * and 培训年度计划 with the bureau, how many days before the deadline the school is reminded, and how the bureau's
 * 年度考核 of a sub-unit scores the plan's completion (the components, each with its source and weight).
 * A region publishes its own by putting this key in a policy in force for the bureau; without one the default holds.
 */

/** Where a component's figure comes from. `bureau`: the bureau's judgement only (no platform figure). */
export const PLAN_SOURCES = {
  compliance: '学时达标（平台达标结果）',
  projects: '计划培训项目实施（平台项目记录）',
  targets: '区域目标（平台目标数据）',
  funds: '培训经费执行（平台经费记录）',
  bureau: '教育局评议',
} as const;
export type PlanSource = keyof typeof PLAN_SOURCES;
export const PLAN_SOURCE_CODES = Object.keys(PLAN_SOURCES) as PlanSource[];

const monthDay = z.string({ error: '截止日期应为 MM-DD，例如 05-31' }).regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '截止日期应为 MM-DD，例如 05-31');

export const planCycleSchema = (cite: typeof Cite) =>
  z
    .strictObject({
      /** The yearly filing deadline (month-day, China date): a plan first filed after it is late (逾期报送). */
      deadline: monthDay,
      /** Days before the deadline on which a unit that has not filed is reminded (to-do from the first, notification on each). */
      reminderDays: z
        .array(z.number({ error: '提醒天数应为整数' }).int('提醒天数应为整数').min(1, '提醒天数至少 1 天').max(180, '提醒天数不超过 180 天'))
        .min(1, '至少一个提醒天数')
        .max(10, '提醒天数过多'),
      /** 年度考核 of plan completion: the components and their weights (weights of components that do not apply are left out of the total). */
      components: z
        .array(
          z.strictObject({
            code: z.string({ error: '请填写代码 code' }).regex(/^[a-z][a-zA-Z0-9]*$/, '代码只能用英文字母和数字，以小写字母开头'),
            label: z.string({ error: '请填写名称 label' }).min(2, '名称至少 2 个字'),
            source: z.enum(PLAN_SOURCE_CODES, { error: `来源应为以下之一：${PLAN_SOURCE_CODES.join(' / ')}` }),
            weight: z.number({ error: '权重应为数字' }).min(0, '权重不能为负').max(100, '权重不超过 100'),
          }),
        )
        .min(1, '至少一个考核项'),
      cite: z.array(cite).optional(),
      assumptions: z.array(z.string().min(2)).optional(),
    })
    .superRefine((p, c) => {
      const seen = new Set<string>();
      p.components.forEach((x, i) => {
        if (seen.has(x.code)) c.addIssue({ code: 'custom', path: ['components', i, 'code'], message: `考核项代码 ${x.code} 重复` });
        seen.add(x.code);
      });
      if (p.components.reduce((n, x) => n + x.weight, 0) <= 0) c.addIssue({ code: 'custom', path: ['components'], message: '考核项权重之和应大于 0' });
    });
export type PlanCyclePolicy = z.output<ReturnType<typeof planCycleSchema>>;

/**
 * The platform default:
 * - 004 (文末): 各校(园)实施方案、培训年度计划于 5 月 31 日前报回市教科局师训股 — the deadline 05-31.
 * - 004 §四(一): 要制定实施方案、年度培训计划，报市教科局师训股备案.
 * - 000 §三(五): 把教师专业能力提升作为对旗县区教育局和直属各学校年度考核的重要内容; 002 §四(三): 将强师行动实施情况纳入工作考核指标体系.
 * Reminder days and the components' weights are not given by the seeds (assumptions).
 */
export const PLAN_CYCLE_DEFAULT: PlanCyclePolicy = {
  deadline: '05-31',
  reminderDays: [14, 7, 1],
  components: [
    { code: 'hours', label: '教师学时达标', source: 'compliance', weight: 40 },
    { code: 'projects', label: '计划培训项目实施', source: 'projects', weight: 30 },
    { code: 'targets', label: '区域目标完成', source: 'targets', weight: 0 },
    { code: 'funds', label: '培训经费执行', source: 'funds', weight: 10 },
    { code: 'judgement', label: '计划执行与管理（教育局评议）', source: 'bureau', weight: 30 },
  ],
  cite: [
    {
      file: '004_2e4368c11b6d8dec.txt',
      title: '侯马市教育科技局关于进一步加强全市新时代教师培训工作的实施方案',
      section: '四（三）后',
      text: '各校(园)实施方案、培训年度计划于2023年5月31日前报回市教科局师训股',
    },
    {
      file: '004_2e4368c11b6d8dec.txt',
      title: '侯马市教育科技局关于进一步加强全市新时代教师培训工作的实施方案',
      section: '四（一）',
      text: '要制定实施方案、年度培训计划，报市教科局师训股备案',
    },
    {
      file: '000_1a3ff7e1cbb247a8.txt',
      title: '巴彦淖尔市教师专业能力提升行动计划（2023—2025年）',
      section: '三（五）',
      text: '市教育局将把教师专业能力提升作为对旗县区教育局和直属各学校年度考核的重要内容',
    },
    {
      file: '002_3e80cca182bc990a.txt',
      title: '基础教育强师计划实施方案（省级）',
      section: '四（三）',
      text: '要将强师行动实施情况纳入工作考核指标体系',
    },
  ],
  assumptions: [
    '原文给出 2023 年 5 月 31 日，平台按每年 5 月 31 日（05-31）理解',
    '截止前 14、7、1 天提醒为平台默认，原文未规定',
    '年度考核各项权重（学时达标 40、项目实施 30、经费执行 10、教育局评议 30；区域目标 0，由地区按需设定；不适用的项不计入，按其余各项权重折算）为平台默认，原文未规定',
  ],
};

export const planSourceLabel = (s: string) => PLAN_SOURCES[s as PlanSource] ?? s;
