import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `ethics` key of a policy document (issue 12 item 1): the region's vocabulary of report categories (十项准则 /
 * 负面清单) and the deadlines of a report (受理 = first response, 办结 = conclusion) in working days. A region
 * publishes its own list by putting this key in a policy in force for its bureau; without one the platform's
 * defaults below hold.
 */

const code = z.string({ error: '请填写类别代码 code' }).regex(/^[a-z][a-zA-Z0-9]*$/, '类别代码只能用英文字母和数字，以小写字母开头，例如 care');

const workingDays = (label: string) =>
  z
    .number({ error: `${label}应为工作日天数` })
    .int(`${label}应为整数`)
    .min(1, `${label}至少 1 个工作日`)
    .max(365, `${label}不能超过 365 个工作日`);

/**
 * The schema of the key, given the document format's `Cite` (a function, so that policy.format.ts can use it without
 * an import cycle: this file imports only the type).
 */
export const ethicsSchema = (cite: typeof Cite) =>
  z
    .strictObject({
      categories: z
        .array(
          z.strictObject({
            code,
            label: z.string({ error: '请填写类别名称 label' }).min(2, '类别名称至少 2 个字'),
            /** What falls under it, shown under the choice on the public form. */
            hint: z.string().min(2).optional(),
            cite: cite.optional(),
          }),
        )
        .min(1, '至少要有一个举报类别'),
      deadlines: z.strictObject({
        respondWorkingDays: workingDays('受理时限'),
        concludeWorkingDays: workingDays('办结时限'),
      }),
      cite: cite.optional(),
      assumptions: z.array(z.string().min(2)).optional(),
    })
    .superRefine((e, c) => {
      const seen = new Set<string>();
      e.categories.forEach((x, i) => {
        if (seen.has(x.code)) c.addIssue({ code: 'custom', path: ['categories', i, 'code'], message: `类别代码 ${x.code} 重复` });
        seen.add(x.code);
      });
      if (e.deadlines.concludeWorkingDays < e.deadlines.respondWorkingDays)
        c.addIssue({ code: 'custom', path: ['deadlines', 'concludeWorkingDays'], message: '办结时限不能短于受理时限' });
    });
export type EthicsPolicy = z.output<ReturnType<typeof ethicsSchema>>;
export type EthicsCategory = EthicsPolicy['categories'][number];

/**
 * The platform's defaults when no policy in force for the handling bureau has an `ethics` key: the ten 准则 of
 * 《新时代中小学教师职业行为十项准则》 (教育部 2018) plus 其他, 受理 within 5 working days and 办结 within 30.
 * The seeds name the 十项准则 and the 负面清单 but give no deadline figures: 5 and 30 are the platform's choice.
 */
export const DEFAULT_ETHICS: EthicsPolicy = {
  categories: [
    { code: 'politics', label: '坚定政治方向', hint: '在教育教学中有损党中央权威、违背党的路线方针政策的言行' },
    { code: 'law', label: '自觉爱国守法', hint: '损害国家利益、社会公共利益，或违背社会公序良俗' },
    { code: 'culture', label: '传播优秀文化', hint: '通过课堂、论坛、讲座、网络等发表、转发错误观点，或编造散布虚假信息、不良信息' },
    { code: 'teaching', label: '潜心教书育人', hint: '违反教学纪律，敷衍教学，或擅自从事影响教育教学本职工作的兼职兼薪行为' },
    { code: 'care', label: '关心爱护学生', hint: '歧视、侮辱学生，虐待、伤害学生（含体罚和变相体罚）' },
    { code: 'safety', label: '加强安全防范', hint: '在教育教学活动中遇突发事件、面临危险时，不顾学生安危，擅离职守，自行逃离' },
    { code: 'conduct', label: '坚持言行雅正', hint: '与学生发生任何不正当关系，有任何形式的猥亵、性骚扰行为' },
    { code: 'fairness', label: '秉持公平诚信', hint: '在招生、考试、推优、保送及绩效考核、岗位聘用、职称评聘、评优评奖等工作中徇私舞弊、弄虚作假' },
    { code: 'integrity', label: '坚守廉洁自律', hint: '索要、收受学生及家长财物，或参加由学生及家长付费的宴请、旅游、娱乐休闲等活动' },
    { code: 'tutoring', label: '规范从教行为', hint: '组织、参与有偿补课，或为校外培训机构和他人介绍生源、提供相关信息' },
    { code: 'other', label: '其他', hint: '其他师德失范行为' },
  ],
  deadlines: { respondWorkingDays: 5, concludeWorkingDays: 30 },
  assumptions: [
    '类别取自《新时代中小学教师职业行为十项准则》，另加“其他”；本地区可在政策文件中发布自己的负面清单。',
    '受理 5 个工作日、办结 30 个工作日是平台默认值：来源文件未给出具体时限。',
    '工作日按周一至周五计算，未扣除法定节假日（平台暂无节假日表）。',
  ],
};
