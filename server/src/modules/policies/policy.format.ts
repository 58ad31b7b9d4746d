/**
 * The policy document format (policies/*.yaml, documented in policies/README.md).
 * One zod schema per part; every message is Chinese and every issue carries the path the
 * loader turns into a YAML line number.
 */
import { z } from 'zod';
import { Vetoes } from './policy.veto.js';
import { hasForbiddenChars } from '../../platform/schemas.js';
import { DEFAULT_DUE_SOON_DAYS } from './policy.status.js';
import { ethicsSchema } from './policy.ethics.js';
import { mentoringSchema } from './policy.mentoring.js';
import { keyTeachersSchema } from './policy.keyteachers.js';
import { rotationSchema } from './policy.rotation.js';
import { studiosSchema } from './policy.studios.js';
import { staffingStandardsSchema } from './policy.staffing.js';
import { CATEGORIES, EDUCATION, keysOf, MANDARIN_LEVELS, PROJECT_FORMS, PROJECT_LEVELS, STAGES, SUBJECTS, TEACHER_ROLES } from '../../platform/vocab.js';
import { planCycleSchema } from './policy.plans.js';
import { titlesSchema } from './policy.titles.js';
import { appraisalSchema } from './policy.appraisal.js';
import { fundsSchema } from './policy.funds.js';

z.config(z.locales.zhCN());

export const RULE_KINDS = {
  hours: '学时',
  credential: '资质证书',
  staffing: '师资配备',
  target: '目标任务',
  participation: '参训率',
  funding: '培训经费',
  planContent: '培训方案内容',
} as const;
export type RuleKind = keyof typeof RULE_KINDS;

/**
 * Region-level counts a target rule can read. `registry` metrics are computed from data Qiangshi already holds
 * (teachers, enrolments); `records` metrics from the records of the growth modules (studios named, key-teacher
 * designations), where a figure typed on 目标与经费数据 is only an audited override for data from outside the platform.
 */
export const TARGET_METRICS = {
  teachersHired: { label: '新招聘教师人数', source: 'registry' },
  outboundTraining: { label: '外派培训人次', source: 'registry' },
  'studios.masterTeacher.city': { label: '市级名教师工作室数', source: 'records' },
  'studios.masterTeacher.county': { label: '旗县区级名教师工作室数', source: 'records' },
  'studios.masterHomeroom.city': { label: '市级名班主任工作室数', source: 'records' },
  'studios.masterHomeroom.county': { label: '旗县区级名班主任工作室数', source: 'records' },
  keyTeachersTracked: { label: '跟踪培养的学科骨干教师人数', source: 'records' },
} as const;
export type TargetMetric = keyof typeof TARGET_METRICS;

export const FUNDING_METRICS = {
  trainingBudget: '教师培训经费预算',
  trainingSpent: '教师培训经费支出',
  publicFundBudget: '年度公用经费预算总额',
  salaryTotal: '教师（教职工）工资总额',
} as const;
export type FundingMetric = keyof typeof FUNDING_METRICS;

/** Stored end of an open-ended period. */
export const OPEN_END = '9999-12-31';

const msg = {
  date: '日期格式应为 YYYY-MM-DD，例如 2025-12-31',
  slug: '只能使用小写英文字母、数字和连字符，例如 homeroom-annual',
};

const isoDate = z
  .string({ error: msg.date })
  .regex(/^\d{4}-\d{2}-\d{2}$/, msg.date)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '不是有效的日期');

/** One value or a non-empty list; a bad value gets the item's own message rather than zod's bare “无效输入”. */
const oneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z
    .union([item, z.array(item).min(1, '至少填写一项')], {
      error: (iss) => {
        if (iss.code !== 'invalid_union' || !('errors' in iss)) return undefined;
        return iss.errors[Array.isArray(iss.input) ? 1 : 0]?.[0]?.message;
      },
    })
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const enumOf = <T extends Record<string, string>>(o: T, what: string) =>
  z.enum(keysOf(o), { error: () => `${what}应为以下之一：${Object.keys(o).join(' / ')}` });

const stage = enumOf(STAGES, '学段');
const role = enumOf(TEACHER_ROLES, '岗位角色');
const subject = z.enum(SUBJECTS, { error: () => `学科应为以下之一：${SUBJECTS.join('、')}` });
const category = enumOf(CATEGORIES, '培训类别');

export const Cite = z.strictObject({
  file: z.string().min(1).optional(),
  /** The cited document's title, shown instead of its file name (《…》§二（三）). Defaults to source.title, else the policy's title, when file is the source's. */
  title: z.string().min(2, '请填写出处文件的标题').optional(),
  section: z.string({ error: '请填写出处章节，例如 二（三）' }).min(1, '请填写出处章节'),
  text: z.string({ error: '请摘录原文' }).min(4, '请摘录原文（至少 4 个字）'),
});

/** Who a rule selects. All given conditions must hold; `all: true` selects every active teacher. */
export const Selector = z
  .strictObject({
    all: z.literal(true, { error: 'all 只能写 true' }).optional(),
    role: oneOrMany(role).optional(),
    stage: oneOrMany(stage).optional(),
    subject: oneOrMany(subject).optional(),
    notSubject: oneOrMany(subject).optional(),
    onlySubject: subject.optional(),
    newTeacher: z.literal(true, { error: 'newTeacher 只能写 true' }).optional(),
    keyTeacher: z.boolean({ error: 'keyTeacher 应为 true 或 false' }).optional(),
    qualificationMatch: z.boolean({ error: 'qualificationMatch 应为 true 或 false' }).optional(),
    employment: z.enum(['staff', 'contract'], { error: 'employment 应为 staff（在编）或 contract（非在编）' }).optional(),
    /** 学历 at least this level (issue 14 item 9: 学历层次 by stage), as held on the evaluation date. */
    educationAtLeast: enumOf(EDUCATION, '学历层次（educationAtLeast）').optional(),
  })
  .superRefine((s, c) => {
    const keys = Object.keys(s).filter((k) => s[k as keyof typeof s] !== undefined);
    if (keys.length === 0) c.addIssue({ code: 'custom', message: '请至少写一个选择条件，或写 all: true 表示全体教师' });
    if (s.all && keys.length > 1) c.addIssue({ code: 'custom', message: 'all: true 不能与其他条件同时使用' });
  });
export type Selector = z.output<typeof Selector>;

const positiveInt = (what: string) =>
  z
    .number({ error: `${what}应为正整数` })
    .int(`${what}应为正整数`)
    .positive(`${what}应为正整数`);

/** Exactly one way of saying when: see README §窗口. */
export const Window = z
  .strictObject({
    every: z.enum(['year', 'term'], { error: 'every 应为 year（自然年）或 term（学期）' }).optional(),
    period: z.literal(true, { error: 'period 只能写 true（使用政策的实施期）' }).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    cycle: z.strictObject({ years: positiveInt('周期年数'), anchor: isoDate }).optional(),
    rolling: z.strictObject({ years: positiveInt('年数') }).optional(),
    afterHire: z
      .strictObject({
        years: positiveInt('年数'),
        /** Days before the hire date that still count (岗前 training often happens in the summer before). */
        leadDays: z.number().int().min(0).max(366).default(0),
      })
      .optional(),
  })
  .superRefine((w, c) => {
    const forms = [
      w.every !== undefined,
      w.period !== undefined,
      w.from !== undefined || w.to !== undefined,
      w.cycle !== undefined,
      w.rolling !== undefined,
      w.afterHire !== undefined,
    ].filter(Boolean).length;
    if (forms !== 1) c.addIssue({ code: 'custom', message: '窗口只能选一种写法：every / period / from+to / cycle / rolling / afterHire' });
    if ((w.from === undefined) !== (w.to === undefined))
      c.addIssue({ code: 'custom', message: '固定窗口需要同时写 from 和 to', path: [w.from === undefined ? 'from' : 'to'] });
    if (w.from && w.to && w.from > w.to) c.addIssue({ code: 'custom', message: '窗口的 from 不能晚于 to', path: ['to'] });
  });
export type Window = z.output<typeof Window>;

/** Reminded this many days before a deadline when a document says nothing (README §提醒). */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [7];

const reminderDay = z
  .number({ error: '提醒天数应为 1—365 的整数' })
  .int('提醒天数应为 1—365 的整数')
  .min(1, '提醒天数应为 1—365 的整数')
  .max(365, '提醒天数不能超过 365 天');

/**
 * 达标期限提醒: days before a rule's deadline that a teacher still short of it is reminded, and from how
 * many days before the deadline an unmet requirement is 临期 (dueSoon) rather than 进行中.
 */
export const Reminders = z
  .strictObject({
    daysBefore: z
      .array(reminderDay, { error: 'daysBefore 应为天数列表，例如 [30, 7]' })
      .min(1, '至少填写一个提醒天数，例如 [7]')
      .max(5, '提醒天数最多 5 个')
      .superRefine((days, c) => {
        days.forEach((d, i) => {
          if (days.indexOf(d) !== i) c.addIssue({ code: 'custom', path: [i], message: `提醒天数 ${d} 重复` });
        });
      })
      .optional(),
    /** 临期: an unmet requirement whose deadline is at most this many days away. Absent: dueSoonDays() below. */
    dueSoonDays: z
      .number({ error: '临期天数应为 1—365 的整数' })
      .int('临期天数应为 1—365 的整数')
      .min(1, '临期天数应为 1—365 的整数')
      .max(365, '临期天数不能超过 365 天')
      .optional(),
  })
  .superRefine((r, c) => {
    if (r.daysBefore === undefined && r.dueSoonDays === undefined)
      c.addIssue({ code: 'custom', path: ['daysBefore'], message: 'daysBefore 应为天数列表，例如 [30, 7]' });
  });
export type Reminders = z.output<typeof Reminders>;

/** A figure the seed states (number) or leaves open (null + openFigure). */
const figure = z.number({ error: '应为数字；原文未给出数字时写 null 并填写 openFigure' }).nonnegative('不能为负数').nullable();

const ruleBase = {
  id: z.string({ error: '请填写规则编号' }).regex(/^[a-z0-9][a-z0-9-]*$/, msg.slug),
  title: z.string({ error: '请填写规则标题' }).min(2, '请填写规则标题'),
  /** Short noun used in explanations: '还差 12 学时 班主任研修'. Defaults to the title. */
  label: z.string().min(1).optional(),
  cite: Cite,
  /** Required when a figure is null: what the seed leaves open, in its words. */
  openFigure: z.string().min(2).optional(),
  /** Interpretations this policy makes where the seed is silent; shown with every result. */
  assumptions: z.array(z.string().min(2)).optional(),
  note: z.string().optional(),
  /** Overrides the document's `reminders` for this rule. */
  reminders: Reminders.optional(),
};

const HoursRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('hours'),
  who: Selector,
  categories: z.union([z.literal('any'), z.array(category).min(1, '至少一个培训类别')], {
    error: `categories 应为 any 或类别列表：${Object.keys(CATEGORIES).join(' / ')}`,
  }),
  unit: z.enum(['hours', 'days'], { error: 'unit 应为 hours（学时）或 days（天）' }).default('hours'),
  /**
   * Only hours recognised from projects of these forms count (集中脱产 → inPerson). Claims, imports and
   * school-based entries carry no project and so never count under a forms filter.
   */
  forms: oneOrMany(enumOf(PROJECT_FORMS, '培训形式（forms）')).optional(),
  atLeast: figure,
  window: Window,
  /** How a teacher who joined the selection (role since / hired) inside the window is treated. */
  prorate: z.enum(['month', 'none'], { error: 'prorate 应为 month（按在岗月数折算）或 none（不折算）' }).default('month'),
});

const CredentialRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('credential'),
  who: Selector,
  require: z
    .strictObject({
      mandarin: z.strictObject({ atLeast: enumOf(MANDARIN_LEVELS, '普通话等级') }).optional(),
      certificate: z.strictObject({ anyOf: z.array(z.string().min(2)).min(1, '至少写一个证书名称') }).optional(),
      qualification: z
        .strictObject({
          stage: z.boolean().default(true),
          subject: z.boolean().default(true),
          unexpired: z.boolean().default(false),
        })
        .optional(),
    })
    .superRefine((r, c) => {
      const n = [r.mandarin, r.certificate, r.qualification].filter((x) => x !== undefined).length;
      if (n !== 1) c.addIssue({ code: 'custom', message: 'require 只能写一种要求：mandarin / certificate / qualification' });
    }),
  /** Omit when the seed states a standing requirement (met now, or already late). */
  deadline: isoDate.optional(),
});

const StaffingRule = z
  .strictObject({
    ...ruleBase,
    kind: z.literal('staffing'),
    per: z.enum(['school', 'region'], { error: 'per 应为 school（每所学校）或 region（全区域合计）' }),
    schools: z.strictObject({ stage: oneOrMany(stage).optional() }).optional(),
    count: Selector.optional(),
    ratio: z.strictObject({ of: Selector, having: Selector }).optional(),
    atLeast: figure,
    atMost: z.number().nonnegative().optional(),
    deadline: isoDate.optional(),
  })
  .superRefine((r, c) => {
    if ((r.count === undefined) === (r.ratio === undefined)) c.addIssue({ code: 'custom', message: '请写 count（人数）或 ratio（比例）二者之一' });
    if (r.ratio && r.atLeast !== null && r.atLeast > 1) c.addIssue({ code: 'custom', message: '比例应写成小数，例如 70% 写 0.7', path: ['atLeast'] });
  });

const TargetRule = z
  .strictObject({
    ...ruleBase,
    kind: z.literal('target'),
    metric: z.enum(keysOf(Object.fromEntries(Object.keys(TARGET_METRICS).map((k) => [k, k])) as Record<TargetMetric, string>), {
      error: () => `metric 应为以下之一：${Object.keys(TARGET_METRICS).join(' / ')}`,
    }),
    aggregate: z.enum(['perYear', 'cumulative', 'average'], { error: 'aggregate 应为 perYear（每年）/ cumulative（累计）/ average（年均）' }),
    years: z.strictObject({ from: z.number().int().min(2000).max(2100), to: z.number().int().min(2000).max(2100) }).optional(),
    atLeast: figure,
    deadline: isoDate.optional(),
  })
  .superRefine((r, c) => {
    if (r.aggregate !== 'perYear' && !r.years) c.addIssue({ code: 'custom', message: '累计或年均目标需要写 years: { from, to }', path: ['years'] });
    if (r.years && r.years.from > r.years.to) c.addIssue({ code: 'custom', message: 'years.from 不能晚于 years.to', path: ['years', 'to'] });
  });

const ParticipationRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('participation'),
  measure: z.enum(['sessionRate', 'sessionsPerTeacher'], { error: 'measure 应为 sessionRate（每场参训率）或 sessionsPerTeacher（每人参加场次）' }),
  who: Selector.default({ all: true }),
  trainings: z.strictObject({
    forms: oneOrMany(enumOf(PROJECT_FORMS, '培训形式')).optional(),
    levels: oneOrMany(enumOf(PROJECT_LEVELS, '项目级别')).optional(),
    /** region: projects run by the region's own bureau/centres (not schools); any: every project. */
    owner: z.enum(['region', 'any'], { error: 'owner 应为 region 或 any' }).default('region'),
  }),
  atLeast: figure,
  window: Window,
});

const FundingRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('funding'),
  per: z.enum(['school', 'county', 'region'], { error: 'per 应为 school / county / region' }),
  schools: z.strictObject({ stage: oneOrMany(stage).optional() }).optional(),
  numerator: enumOf(FUNDING_METRICS, '分子'),
  denominator: enumOf(FUNDING_METRICS, '分母'),
  atLeast: figure.refine((v) => v === null || v <= 1, '比例应写成小数，例如 5% 写 0.05'),
  atMost: z.number().nonnegative().max(1).optional(),
  window: Window,
});

const PlanContentRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('planContent'),
  module: z.strictObject({
    category: category,
    position: z.enum(['first', 'any'], { error: 'position 应为 first（第一模块）或 any（包含即可）' }),
  }),
  projects: z
    .strictObject({ forms: oneOrMany(enumOf(PROJECT_FORMS, '培训形式')).optional(), levels: oneOrMany(enumOf(PROJECT_LEVELS, '项目级别')).optional() })
    .optional(),
  window: Window,
});

/** Point an unknown-key issue at the key itself (so the loader can name its line) and say it in Chinese. */
export function issueAt(i: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (i.code === 'unrecognized_keys') {
    const keys = i.keys;
    return { path: [...i.path, keys[0]], message: `无法识别的字段 ${keys.map((k) => `“${k}”`).join('、')}，请检查拼写（字段名区分大小写）` };
  }
  return { path: i.path, message: i.message };
}

const RULE_SCHEMAS = {
  hours: HoursRule,
  credential: CredentialRule,
  staffing: StaffingRule,
  target: TargetRule,
  participation: ParticipationRule,
  funding: FundingRule,
  planContent: PlanContentRule,
} as const;

export type HoursRule = z.output<typeof HoursRule>;
export type CredentialRule = z.output<typeof CredentialRule>;
export type StaffingRule = z.output<typeof StaffingRule>;
export type TargetRule = z.output<typeof TargetRule>;
export type ParticipationRule = z.output<typeof ParticipationRule>;
export type FundingRule = z.output<typeof FundingRule>;
export type PlanContentRule = z.output<typeof PlanContentRule>;
export type Rule = HoursRule | CredentialRule | StaffingRule | TargetRule | ParticipationRule | FundingRule | PlanContentRule;

/** One rule: `kind` picks the schema, so an unknown kind gets one clear message instead of a union dump. */
const RuleSchema = z.unknown().transform((raw, c): Rule => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    c.addIssue({ code: 'custom', message: '每条规则应为一个对象（id、kind、…）' });
    return z.NEVER;
  }
  const kind = (raw as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in RULE_SCHEMAS)) {
    c.addIssue({ code: 'custom', path: ['kind'], message: `kind 应为以下之一：${Object.keys(RULE_KINDS).join(' / ')}` });
    return z.NEVER;
  }
  const r = RULE_SCHEMAS[kind as RuleKind].safeParse(raw);
  if (!r.success) {
    for (const i of r.error.issues) c.addIssue({ code: 'custom', ...issueAt(i) });
    return z.NEVER;
  }
  return r.data;
});

export const PolicyDocument = z
  .strictObject({
    policy: z.string({ error: '请填写政策编号 policy' }).regex(/^[a-z0-9][a-z0-9-]*$/, msg.slug),
    version: positiveInt('版本号'),
    title: z.string({ error: '请填写政策标题' }).min(4, '请填写政策标题'),
    issuer: z.string().min(2).optional(),
    source: z.strictObject({ file: z.string().min(1, '请填写来源文件'), title: z.string().optional(), date: z.string().optional() }),
    appliesTo: z.strictObject({
      /** An org code (e.g. the region's administrative code). Omit when the seed names no region. */
      org: z.union([z.string(), z.number()]).transform(String).optional(),
      name: z.string().min(2).optional(),
      level: z.enum(['national', 'province', 'city', 'county', 'school'], { error: 'level 应为 national / province / city / county / school' }).optional(),
    }),
    /** to: null = the seed sets no end date (the policy stays in force until replaced). */
    period: z
      .strictObject({ from: isoDate, to: isoDate.nullable().transform((v) => v ?? OPEN_END) })
      .refine((p) => p.from <= p.to, { message: '实施期的 from 不能晚于 to', path: ['to'] }),
    /** Policy-wide interpretations, shown on the policy page. */
    notes: z.array(z.string().min(2)).optional(),
    /** Default for every rule; absent = DEFAULT_REMINDER_DAYS. */
    reminders: Reminders.optional(),
    /** 师德举报: the region's report categories and deadlines (policy.ethics.ts). */
    ethics: ethicsSchema(Cite).optional(),
    rules: z.array(RuleSchema).min(1, '至少要有一条规则'),
    /** 一票否决 (issue 12): which sanctions veto what, for how long (policy.veto.ts). */
    vetoes: Vetoes.optional(),
    /** 师徒结对 and the 磨课 gate (issue 13 item 3, policy.mentoring.ts). */
    mentoring: mentoringSchema(Cite).optional(),
    /** 骨干教师 三级三类 (issue 13): ladder, term, eligibility, yearly duties (policy.keyteachers.ts). */
    keyTeachers: keyTeachersSchema(Cite).optional(),
    /** 工作室 (issue 13): yearly duties, membership cap, term, 动态管理 (policy.studios.ts). */
    studios: studiosSchema(Cite).optional(),
    /** 编制与结构 (issue 14 item 9): 城乡统一 ratios, 学历层次 and 紧缺学科 targets (policy.staffing.ts). */
    staffingStandards: staffingStandardsSchema(Cite).optional(),
    /** 计划报备与年度考核 (issue 14 item 5): filing deadline, reminders, review components (policy.plans.ts). */
    planCycle: planCycleSchema(Cite).optional(),
    /** 职称 eligibility (issue 14 item 3): per target title, years, appraisal, rotation, rural service (policy.titles.ts). */
    titles: titlesSchema(Cite).optional(),
    /** 年度考核 (issue 14): 优秀 share, 学业述评/家访 requirements, inputs that block 优秀 (policy.appraisal.ts). */
    appraisal: appraisalSchema(Cite).optional(),
    /** 交流轮岗 (issue 14 item 2): eligibility years, annual share, counted kinds (policy.rotation.ts). */
    rotation: rotationSchema(Cite).optional(),
    /** 经费 and 班主任津贴 (issue 14 items 6, 8): 专款专用, allowance minimum by stage (policy.funds.ts). */
    funds: fundsSchema(Cite).optional(),
  })
  .superRefine((p, c) => {
    // Titles, names, labels and notes are shown as written: no bidi controls or zero-width characters anywhere.
    const walk = (v: unknown, path: PropertyKey[]): void => {
      if (typeof v === 'string') {
        if (hasForbiddenChars(v)) c.addIssue({ code: 'custom', path, message: '含有不可见或控制字符（如从右到左或零宽字符），请删除后重试' });
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(p, []);
    const seen = new Map<string, number>();
    p.rules.forEach((r, i) => {
      const id = (r as { id?: string }).id;
      if (!id) return;
      if (seen.has(id)) c.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `规则编号 ${id} 与第 ${seen.get(id)! + 1} 条规则重复` });
      else seen.set(id, i);
    });
    p.rules.forEach((r, i) => {
      const rule = r as Rule;
      const atLeast = (rule as { atLeast?: number | null }).atLeast;
      if (atLeast === null && !rule.openFigure)
        c.addIssue({ code: 'custom', path: ['rules', i, 'openFigure'], message: 'atLeast 为 null（原文未给出数字）时，必须用 openFigure 说明原文怎么说' });
    });
  });

export type Policy = z.output<typeof PolicyDocument>;

/**
 * JSON Schema of the document (for editors and policies/policy.schema.json). Generated from the same
 * zod schemas; cross-field checks (one window form, openFigure with a null figure …) are enforced by
 * the loader only.
 */
export function policyJsonSchema(): Record<string, unknown> {
  const rules = z.array(z.union(Object.values(RULE_SCHEMAS) as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]]));
  const shape = z.strictObject({
    policy: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.number().int().positive(),
    title: z.string(),
    issuer: z.string().optional(),
    source: z.strictObject({ file: z.string(), title: z.string().optional(), date: z.string().optional() }),
    appliesTo: z.strictObject({
      org: z.string().optional(),
      name: z.string().optional(),
      level: z.enum(['national', 'province', 'city', 'county', 'school']).optional(),
    }),
    period: z.strictObject({ from: isoDate, to: isoDate.nullable() }),
    notes: z.array(z.string()).optional(),
    reminders: Reminders.optional(),
    ethics: ethicsSchema(Cite).optional(),
    rules,
    vetoes: Vetoes.optional(),
    mentoring: mentoringSchema(Cite).optional(),
    keyTeachers: keyTeachersSchema(Cite).optional(),
    studios: studiosSchema(Cite).optional(),
    staffingStandards: staffingStandardsSchema(Cite).optional(),
    planCycle: planCycleSchema(Cite).optional(),
    titles: titlesSchema(Cite).optional(),
    appraisal: appraisalSchema(Cite).optional(),
    rotation: rotationSchema(Cite).optional(),
    funds: fundsSchema(Cite).optional(),
  });
  return {
    $id: 'https://qiangshi.local/policy.schema.json',
    title: '强师 政策文件格式',
    ...z.toJSONSchema(shape, { io: 'input', unrepresentable: 'any', reused: 'ref' }),
  } as Record<string, unknown>;
}

/**
 * Days before a deadline at which a teacher short of `rule` is reminded, largest first: the rule's own
 * setting, else the document's, else DEFAULT_REMINDER_DAYS. Tolerates documents parsed before the setting existed.
 */
export function reminderDays(policy: Pick<Policy, 'reminders'>, rule: Pick<Rule, 'reminders'>): number[] {
  const days = rule.reminders?.daysBefore ?? policy.reminders?.daysBefore ?? DEFAULT_REMINDER_DAYS;
  return [...days].sort((a, b) => b - a);
}

/**
 * From how many days before a deadline an unmet requirement is 临期: the rule's `reminders.dueSoonDays`,
 * else the document's, else DEFAULT_DUE_SOON_DAYS (60) or the largest reminder day count if larger.
 */
export function dueSoonDays(policy: Pick<Policy, 'reminders'>, rule: Pick<Rule, 'reminders'>): number {
  return rule.reminders?.dueSoonDays ?? policy.reminders?.dueSoonDays ?? Math.max(DEFAULT_DUE_SOON_DAYS, ...reminderDays(policy, rule));
}

/** The unit a rule's figures are in, for explanations and the dashboard. */
export function ruleUnit(rule: Rule): string {
  switch (rule.kind) {
    case 'hours':
      return rule.unit === 'days' ? '天' : '学时';
    case 'staffing':
      return rule.ratio ? '%' : '人';
    case 'target':
      return rule.metric === 'outboundTraining' ? '人次' : rule.metric.startsWith('studios.') ? '个' : '人';
    case 'participation':
      return rule.measure === 'sessionRate' ? '%' : '场次';
    case 'funding':
      return '%';
    default:
      return '';
  }
}

/** What a rule judges: one teacher, one school, one county bureau, the whole region, or one training project. */
export type SubjectType = 'teacher' | 'school' | 'county' | 'region' | 'project';

export function ruleSubject(rule: Rule): SubjectType {
  switch (rule.kind) {
    case 'hours':
    case 'credential':
      return 'teacher';
    case 'staffing':
      return rule.per;
    case 'target':
      return 'region';
    case 'participation':
      return rule.measure === 'sessionsPerTeacher' ? 'teacher' : 'region';
    case 'funding':
      return rule.per;
    case 'planContent':
      return 'project';
  }
}
