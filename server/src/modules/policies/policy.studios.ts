import { z } from 'zod';
import type { Cite } from './policy.format.js';

/**
 * The `studios` key of a policy document (issue 13 item 1): what a studio (工作室) owes each year, by kind and level
 * (集中教研活动, 双师型 teachers cultivated, 示范 activities of each expert/银龄 member), how many studios a teacher may
 * belong to at once, the term of a naming, and 动态管理 (an assessment failed once → 警示, twice → 撤销).
 * A region publishes its own figures by putting this key in a policy in force for the naming org; without one the
 * platform's defaults below hold.
 */

export const STUDIO_KINDS = {
  masterTeacher: '名师工作室',
  masterHomeroom: '名班主任工作室',
  principal: '名校长工作室',
  dualQualified: '双师型名师工作室',
  skillMaster: '技能大师工作室',
} as const;
export type StudioKind = keyof typeof STUDIO_KINDS;
export const STUDIO_LEVELS = { school: '校级', county: '旗县区级', city: '市级', province: '省级' } as const;
export type StudioLevel = keyof typeof STUDIO_LEVELS;

const count = (label: string) =>
  z
    .number({ error: `${label}应为次数` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(1000, `${label}不能超过 1000`);

export const studiosSchema = (cite: typeof Cite) =>
  z
    .strictObject({
      /** Duties per kind (and optionally level); the first entry matching a studio applies. */
      duties: z
        .array(
          z.strictObject({
            kind: z.enum(Object.keys(STUDIO_KINDS) as [StudioKind, ...StudioKind[]], { error: '工作室类型无效' }).optional(),
            level: z.enum(Object.keys(STUDIO_LEVELS) as [StudioLevel, ...StudioLevel[]], { error: '工作室级别无效' }).optional(),
            /** 集中教研活动 a year (online and offline). */
            activitiesPerYear: count('每年集中教研活动次数'),
            /** 双师型 mature teachers cultivated a year. */
            dualQualifiedPerYear: count('每年培养双师型教师人数').default(0),
            /** 示范引领 activities a year led by each expert/银龄 member. */
            expertDemosPerYear: count('专家、银龄教师每年示范活动次数').default(0),
            cite: cite.optional(),
          }),
        )
        .min(1, '至少要有一条工作室职责'),
      maxStudiosPerTeacher: z.number({ error: '每位教师最多参加的工作室数应为数字' }).int().min(1, '至少为 1').max(10, '不能超过 10'),
      termYears: z.number({ error: '命名期限应为年数' }).int().min(1, '至少 1 年').max(10, '不能超过 10 年'),
      /** 动态管理: failed assessments (in a row) that warn, and that de-list. */
      failuresToWarn: z.number().int().min(1).max(5).default(1),
      failuresToDelist: z.number().int().min(1).max(10).default(2),
      cite: cite.optional(),
      assumptions: z.array(z.string().min(2)).optional(),
    })
    .superRefine((s, c) => {
      if (s.failuresToDelist < s.failuresToWarn)
        c.addIssue({ code: 'custom', path: ['failuresToDelist'], message: '撤销所需的不合格次数不能少于警示所需的次数' });
    });
export type StudiosPolicy = z.output<ReturnType<typeof studiosSchema>>;
export type StudioDuty = StudiosPolicy['duties'][number];

const SEED_001 = '【问答解读】阿拉善高新区 示范区师资队伍专业化提升年(2025)实施方案';

/**
 * The platform's defaults: the duties of 001 §三(三) (the only seed that states a studio's yearly duties), applied to
 * every kind. The seed's figures are cited; the cap on studios per teacher and the 3-year term are not in any seed.
 */
export const DEFAULT_STUDIOS: StudiosPolicy = {
  duties: [
    {
      activitiesPerYear: 8,
      dualQualifiedPerYear: 5,
      expertDemosPerYear: 2,
      cite: {
        file: '001_ccb7d628c06d47ce.txt',
        title: SEED_001,
        section: '三（三）1、2',
        text: '每年须培养 5名以上“双师型”成熟教师。全年集中教研活动不少于 8次(线上线下结合)。专家、银龄教师每人每年度开展公开课、讲座、主持专题教研等示范引领活动至少 2次。',
      },
    },
  ],
  maxStudiosPerTeacher: 2,
  termYears: 3,
  failuresToWarn: 1,
  failuresToDelist: 2,
  assumptions: [
    '职责数字取自阿拉善高新区实施方案（001）三（三），平台默认对各类工作室适用；本地区可在政策文件中按类型、级别另定。',
    '教研团队每年活动不少于 4 次（001 三（三）3）适用于教研室的学科教研团队，不是工作室职责，此处未采用。',
    '每位教师最多同时参加 2 个工作室、命名期限 3 年：来源文件未给出，是平台的假设。',
    '年度考核不合格一次警示、两次（连续）撤销：出自议题“动态管理”的要求，来源文件未给出具体次数。',
  ],
};

/** The duty that applies to a studio of this kind and level: the first matching entry, else the last one. */
export function dutyFor(p: StudiosPolicy, kind: string, level: string): StudioDuty {
  return p.duties.find((d) => (!d.kind || d.kind === kind) && (!d.level || d.level === level)) ?? p.duties[p.duties.length - 1];
}
