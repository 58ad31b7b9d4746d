import { z } from 'zod';
import { Id, IdList, IdParam, IsoDate, MinText, Page, PageSize, RequiredText, Text, Year, Name } from '../../platform/schemas.js';
import { CATEGORIES, keysOf, PROJECT_FORMS, PROJECT_LEVELS, STAGES, SUBJECTS, TEACHER_ROLES, TITLES } from '../../platform/vocab.js';
import { enrolmentMachine, PROJECT_ACTIONS, PROJECT_STATUSES } from './lifecycle.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

export { IdParam };
export const EnrolmentParam = z.object({ id: Id, teacherId: Id });

export const ProjectListQuery = z.object({
  q: Text(50, '搜索词').optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  year: Year.optional(),
  page: Page,
  pageSize: PageSize(200, 20),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;

export const PlanModuleInput = z.object({
  title: Name(2, 100, '模块名称'),
  hours: z.number().gt(0, '模块学时应大于 0').max(500, '模块学时不能超过 500').refine(oneDecimal, '学时最多一位小数'),
  category: z.enum(keysOf(CATEGORIES)),
});

const uniq = <T>(a: T[]) => [...new Set(a)];
export const AudienceInput = z
  .object({
    stages: z
      .array(z.enum(keysOf(STAGES)))
      .max(10)
      .default([])
      .transform(uniq),
    subjects: z.array(z.enum(SUBJECTS)).max(30).default([]).transform(uniq),
    roles: z
      .array(z.enum(keysOf(TEACHER_ROLES)))
      .max(10)
      .default([])
      .transform(uniq),
    titles: z
      .array(z.enum(keysOf(TITLES)))
      .max(10)
      .default([])
      .transform(uniq),
  })
  .default({ stages: [], subjects: [], roles: [], titles: [] });

/** 立项申报: the proposal. Categories and target hours follow from the plan modules. */
export const ProjectInput = z
  .object({
    name: Name(2, 100, '项目名称'),
    level: z.enum(keysOf(PROJECT_LEVELS)),
    form: z.enum(keysOf(PROJECT_FORMS)),
    audience: AudienceInput,
    capacity: z.number().int('容量应为整数').min(1, '容量至少 1 人').max(100_000, '容量不能超过 100000 人'),
    budget: z
      .number()
      .min(0, '预算不能为负')
      .max(1e10, '预算过大')
      .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, '预算最多两位小数'),
    plan: z.array(PlanModuleInput).min(1, '培训方案至少需要一个模块').max(30, '培训方案最多 30 个模块'),
    startDate: IsoDate,
    endDate: IsoDate,
    selfEnrol: z.boolean().default(false),
    /** 外出培训（跟岗、影子）: trainees share back in their school afterwards. Defaults from the form. */
    outbound: z.boolean().optional(),
    /** 培训目标, shown to teachers on the project page before they enrol. */
    aims: Text(1000, '培训目标').optional(),
    /** 报名截止日期: the last day a teacher may apply (none: until the project starts running). */
    enrolDeadline: IsoDate.nullish(),
  })
  .superRefine((v, c) => {
    if (v.endDate < v.startDate) c.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
    if (v.enrolDeadline && v.enrolDeadline > v.endDate) c.addIssue({ code: 'custom', path: ['enrolDeadline'], message: '报名截止日期不能晚于结束日期' });
    const total = v.plan.reduce((n, m) => n + m.hours, 0);
    if (total > 1000) c.addIssue({ code: 'custom', path: ['plan'], message: '培训方案总学时不能超过 1000' });
  });
export type ProjectInput = z.infer<typeof ProjectInput>;

export const ActionParam = z.object({ id: Id, action: z.enum(PROJECT_ACTIONS) });
export const ActionInput = z
  .object({
    comment: Text(500, '意见').optional(),
    /** 提交学时认定 (closing) with warnings: the organiser has read them and closes anyway. */
    confirmWarnings: z.boolean({ error: '请用 true / false 表示是否已知晓结项提醒' }).optional(),
  })
  .default({});

export const SessionInput = z
  .object({
    title: Name(2, 100, '场次标题'),
    date: IsoDate,
    startTime: hhmm,
    endTime: hhmm,
    place: RequiredText(100, '培训地点'),
    hours: z
      .number()
      .min(0.5, '学时至少 0.5')
      .max(12, '单场学时不能超过 12')
      .refine((n) => Number.isInteger(n * 2), '学时应为 0.5 的整数倍'),
    category: z.enum(keysOf(CATEGORIES)),
  })
  .superRefine((v, c) => {
    if (v.endTime <= v.startTime) c.addIssue({ code: 'custom', path: ['endTime'], message: '结束时间应晚于开始时间' });
  });
export type SessionInput = z.infer<typeof SessionInput>;

export const EnrolmentListQuery = z.object({
  status: z.enum(keysOf(enrolmentMachine.states)).default('approved'),
  page: Page,
  pageSize: PageSize(500, 50),
});
export type EnrolmentListQuery = z.infer<typeof EnrolmentListQuery>;

export const EnrolInput = z.object({
  teacherIds: IdList(500).min(1, '请至少选择一位教师'),
});

export const CheckinInput = z.object({ token: RequiredText(200, '签到码') });
/** The browser's own random key, kept in the page: a scan ticket only works with the key of the browser that scanned. */
const BrowserKey = RequiredText(64, '本机标识').refine((s) => /^[A-Za-z0-9_-]{22,64}$/.test(s), '本机标识格式不正确，请刷新页面后重新扫码');
export const CheckinScanInput = z.object({ token: RequiredText(200, '签到码'), key: BrowserKey });
export const CheckinTicketInput = z.object({ ticket: RequiredText(200, '扫码记录'), key: BrowserKey });

export const AttendanceMark = z.object({ present: z.boolean() });

export const CheckDirection = z.object({ id: Id, direction: z.enum(['checkin', 'checkout']) });

export const ApologyInput = z.object({ reason: MinText(2, 200, '请假原因', '请填写请假原因（至少 2 个字）') });

// Bodies and parameters of the enrolment, quota, nomination and self-enrolment routes.
export const SessionTeacherParam = z.object({ id: Id, teacherId: Id });
export const Comment = z.object({ comment: Text(500, '意见').optional() }).default({});
export const ReplaceInput = z.object({ newTeacherId: Id, reason: MinText(2, 200, '原因', '请填写原因（至少 2 个字）') });
export const QuotaItems = z.object({
  items: z
    .array(z.object({ orgId: Id, quota: z.number().int('名额应为整数').min(0, '名额不能为负').max(100_000, '名额过大') }))
    .max(2000, '一次最多分配 2000 个单位'),
});
export const CandidateQuery = z.object({
  year: Year.optional(),
  q: Text(20, '搜索词').optional(),
  // Filters of the nomination list (issue 11 item 3): school, stage, subject, 仍需此类培训.
  orgId: Id.optional(),
  stage: z.enum(keysOf(STAGES)).optional(),
  subject: z.enum(SUBJECTS).optional(),
  needsTraining: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});
export const DecisionParam = z.object({ id: Id, teacherId: Id, decision: z.enum(['approve', 'reject']) });
export const NeedsSurveyAction = z.object({ id: Id, action: z.enum(['publish', 'close']) });
export const WithdrawBody = z.object({ reason: Text(200, '原因').optional() }).default({});
