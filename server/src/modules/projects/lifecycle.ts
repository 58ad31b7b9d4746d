// Imported by the web app too (labels, allowed states): keep this file free of Node and database imports.
import { defineMachine } from '../../platform/state-machine.js';
import { CATEGORIES, ORG_LEVELS, PROJECT_LEVELS, STAGES, TEACHER_ROLES, TITLES } from '../../platform/vocab.js';

/**
 * The training-project lifecycle of 004 §三(六): 立项审定 → 项目备案 → 培训方案审核 → (需求调研) → 学员选派 →
 * 过程监管 → 学时认定 → 绩效评估. 'open' and 'closed' keep the meaning they had before the lifecycle existed
 * (open: enrolment, sessions and check-in possible; closed: hours recognised).
 *
 * 学时认定 takes two steps: the organiser submits the recognition (attendance is frozen from then on), the
 * approver — the last bureau of the approval chain, which filed the project — confirms it (the ledger
 * entries are written and the project closes) or returns it with a comment (back to running, attendance
 * editable again). Where the organiser is that bureau, confirming is still a separate, explicit step.
 *
 * approveStep and approve are both 审批通过: approveStep at an intermediate bureau of the chain (the
 * proposal goes on up), approve at the last one.
 */
export const projectMachine = defineMachine({
  states: {
    draft: '草稿',
    submitted: '审批中',
    approved: '已审定待备案',
    filed: '已备案',
    planReview: '方案审核中',
    open: '报名中',
    running: '实施中',
    recognitionPending: '学时认定待确认',
    closed: '已结项',
    evaluated: '已评估',
    rejected: '不予立项',
    deleted: '已删除',
  },
  transitions: {
    submit: { from: ['draft'], to: 'submitted', label: '提交立项申报' },
    withdraw: { from: ['submitted'], to: 'draft', label: '撤回申报' },
    approveStep: { from: ['submitted'], to: 'submitted', label: '审批通过并报上级' },
    approve: { from: ['submitted'], to: 'approved', label: '审批通过' },
    return: { from: ['submitted'], to: 'draft', label: '退回修改' },
    reject: { from: ['submitted'], to: 'rejected', label: '不予立项' },
    file: { from: ['approved'], to: 'filed', label: '备案' },
    submitPlan: { from: ['filed'], to: 'planReview', label: '提交方案审核' },
    approvePlan: { from: ['planReview'], to: 'open', label: '方案审核通过' },
    returnPlan: { from: ['planReview'], to: 'filed', label: '退回方案' },
    start: { from: ['open'], to: 'running', label: '开始实施' },
    submitRecognition: { from: ['open', 'running'], to: 'recognitionPending', label: '提交学时认定' },
    confirmRecognition: { from: ['recognitionPending'], to: 'closed', label: '确认学时认定' },
    returnRecognition: { from: ['recognitionPending'], to: 'running', label: '退回学时认定' },
    evaluate: { from: ['closed'], to: 'evaluated', label: '完成绩效评估' },
    discard: { from: ['draft'], to: 'deleted', label: '删除草稿' },
  },
});
export type ProjectStatus = keyof typeof projectMachine.states;
export type ProjectAction = keyof typeof projectMachine.transitions;
export const PROJECT_STATUSES = Object.keys(projectMachine.states) as [ProjectStatus, ...ProjectStatus[]];
export const PROJECT_ACTIONS = Object.keys(projectMachine.transitions) as [ProjectAction, ...ProjectAction[]];

/** Actions that need a comment (the proposer must know why). */
export const COMMENT_REQUIRED: ReadonlySet<ProjectAction> = new Set(['return', 'reject', 'returnPlan', 'returnRecognition']);

/** States in which enrolment, check-in, attendance and the running work happen. */
export const RUNNING_STATES: readonly ProjectStatus[] = ['open', 'running'];
/** States in which the proposal (plan, audience, capacity …) may still be edited by the proposer. */
export const EDITABLE_STATES: readonly ProjectStatus[] = ['draft', 'filed'];
/** "Before the plan is final": the needs survey can be set up and published. */
export const SURVEY_STATES: readonly ProjectStatus[] = ['draft', 'submitted', 'approved', 'filed'];
/** States after which nothing about the project changes any more. */
export const FROZEN_STATES: readonly ProjectStatus[] = ['closed', 'evaluated', 'rejected', 'deleted'];

/** Enrolment workflow (报名): self-enrolment starts pending; nominations and the organiser's enrolments start approved. */
export const enrolmentMachine = defineMachine({
  states: { pending: '待审核', approved: '已报名', rejected: '未通过', withdrawn: '已撤销', replaced: '已替换' },
  transitions: {
    approve: { from: ['pending'], to: 'approved', label: '审核通过' },
    reject: { from: ['pending'], to: 'rejected', label: '审核不通过' },
    withdraw: { from: ['pending', 'approved'], to: 'withdrawn', label: '撤销报名' },
    replace: { from: ['approved'], to: 'replaced', label: '替换学员' },
    reapply: { from: ['rejected', 'withdrawn', 'replaced'], to: 'pending', label: '重新报名' },
    renominate: { from: ['rejected', 'withdrawn', 'replaced'], to: 'approved', label: '重新选派' },
  },
});
export type EnrolmentStatus = keyof typeof enrolmentMachine.states;
export type EnrolmentAction = keyof typeof enrolmentMachine.transitions;

// ----------------------------------------------------------------- approval chain

const LEVEL_RANK: Record<string, number> = { national: 0, province: 1, city: 2, county: 3, school: 4 };

export interface ChainOrg {
  id: number;
  name: string;
  level: string;
  kind: string;
}

export type ChainResult = { ok: true; chain: ChainOrg[] } | { ok: false; message: string };

/**
 * THE approval chain, defined once. A proposal goes up from the proposer through every education bureau
 * (kind 'bureau') among the proposer's org and its ancestors, bottom-up, until the bureau whose level
 * equals the project's level; that last bureau also files it (备案) and reviews the plan.
 *   - 校本 (school level): proposed by a school only; approved by its county bureau (schools approve nothing).
 *   - 县级: school → county; a county bureau or its centre proposing its own project → county.
 *   - 市级: school → county → city; a city institution/centre → city; a county bureau → county → city.
 *   - 省培 / 国培: … → city → province (→ national), as far as the level requires.
 * A bureau proposing at its own level approves its own proposal (its 立项审定 is then on record like any other).
 * A level the ancestors cannot approve (a city institution proposing a county project, a region without a
 * province bureau in the system) is refused with a message naming what is missing.
 *
 * `lineage` is the proposer's org and its ancestors in any order; the proposer is `proposer`.
 */
export function approvalChain(proposer: ChainOrg, lineage: ChainOrg[], projectLevel: string): ChainResult {
  const levelLabel = PROJECT_LEVELS[projectLevel as keyof typeof PROJECT_LEVELS] ?? projectLevel;
  if (projectLevel === 'school' && proposer.kind !== 'school') return { ok: false, message: '校本项目只能由学校申报' };
  const top = projectLevel === 'school' ? 'county' : projectLevel;
  const topRank = LEVEL_RANK[top];
  if (topRank === undefined) return { ok: false, message: `项目级别「${levelLabel}」无效` };
  const bureaus = lineage
    .filter((o) => o.kind === 'bureau' && LEVEL_RANK[o.level] !== undefined && LEVEL_RANK[o.level] >= topRank)
    .sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
  if (!bureaus.some((o) => o.level === top)) {
    const orgLevel = ORG_LEVELS[top as keyof typeof ORG_LEVELS] ?? top;
    return { ok: false, message: `「${proposer.name}」及其上级中没有${orgLevel}教育局，不能申报「${levelLabel}」项目` };
  }
  return { ok: true, chain: bureaus };
}

const LEVEL_SHORT: Record<string, string> = { national: '国', province: '省', city: '市', county: '县', school: '校' };

/** 备案号: 备{year}-{级别}-{4-digit sequence of the filing bureau in that year}, e.g. 备2026-市-0012. */
export function filingNumber(year: number, filerCode: string, projectLevel: string, seq: number): string {
  return `备${year}-${filerCode}-${LEVEL_SHORT[projectLevel] ?? projectLevel}-${String(seq).padStart(4, '0')}`;
}

// ----------------------------------------------------------------- plan

export interface PlanModule {
  title: string;
  hours: number;
  category: keyof typeof CATEGORIES;
}

/** The plan-content rule applied to a project: which category, and whether it must come first. */
export interface PlanRule {
  category: keyof typeof CATEGORIES;
  position: 'first' | 'any';
  /** Where the rule comes from, for the message and the UI. */
  source: string;
}

export const ETHICS_FIRST_MESSAGE = '培训方案的第一个模块必须是“思想政治和师德师风”';

/** The first problem of a plan under a rule, or null when it passes. */
export function checkPlan(plan: PlanModule[], rule: PlanRule): string | null {
  if (!plan.length) return '培训方案至少需要一个模块';
  const ok = rule.position === 'first' ? plan[0].category === rule.category : plan.some((m) => m.category === rule.category);
  if (ok) return null;
  if (rule.category === 'ethics') return rule.position === 'first' ? ETHICS_FIRST_MESSAGE : '培训方案必须包含“思想政治和师德师风”模块';
  const label = CATEGORIES[rule.category];
  return rule.position === 'first' ? `培训方案的第一个模块必须是“${label}”` : `培训方案必须包含“${label}”模块`;
}

export const planHours = (plan: PlanModule[]): number => Math.round(plan.reduce((n, m) => n + m.hours, 0) * 10) / 10;

// ----------------------------------------------------------------- audience and eligibility

export interface Audience {
  stages?: string[];
  subjects?: string[];
  roles?: string[];
  titles?: string[];
}

export interface EligibilityFacts {
  status: string;
  stage: string;
  subjects: string[];
  roles: string[];
  title: string | null;
}

const labelsOf = (vocab: Record<string, string>, codes: string[]) => codes.map((c) => vocab[c] ?? c).join('、');

/**
 * Why a teacher may not join a project of this audience (a Chinese message naming the failed condition),
 * or null when eligible. Empty lists mean "any".
 */
export function eligibilityProblem(a: Audience, t: EligibilityFacts): string | null {
  if (t.status !== 'active') return '不符合报名条件（在职状态）：该教师不在职（退休、调出或禁入）';
  if (a.stages?.length && !a.stages.includes(t.stage))
    return `不符合报名条件（学段）：本项目面向${labelsOf(STAGES, a.stages)}，该教师学段为${labelsOf(STAGES, [t.stage])}`;
  if (a.subjects?.length && !a.subjects.some((s) => t.subjects.includes(s)))
    return `不符合报名条件（任教学科）：本项目面向${a.subjects.join('、')}教师，该教师任教${t.subjects.join('、') || '（未登记学科）'}`;
  if (a.roles?.length && !a.roles.some((r) => t.roles.includes(r)))
    return `不符合报名条件（岗位）：本项目面向${labelsOf(TEACHER_ROLES, a.roles)}，该教师不担任上述岗位`;
  if (a.titles?.length && !(t.title && a.titles.includes(t.title)))
    return `不符合报名条件（职称）：本项目面向${labelsOf(TITLES, a.titles)}，该教师职称为${t.title ? labelsOf(TITLES, [t.title]) : '未登记'}`;
  return null;
}

/** One line describing an audience, for lists and notifications. */
export function describeAudience(a: Audience): string {
  const parts = [
    a.stages?.length ? labelsOf(STAGES, a.stages) : '',
    a.subjects?.length ? a.subjects.join('、') : '',
    a.roles?.length ? labelsOf(TEACHER_ROLES, a.roles) : '',
    a.titles?.length ? labelsOf(TITLES, a.titles) : '',
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '不限';
}

// ----------------------------------------------------------------- training load

/** The median of a list of counts (0 for an empty list). */
export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Sent again and again while colleagues get nothing: ≥ 3 projects this year and ≥ 3 above the school median. */
export const OVERLOAD_MIN_PROJECTS = 3;
export function loadWarning(projects: number, schoolMedian: number): string | null {
  if (projects >= OVERLOAD_MIN_PROJECTS && projects - schoolMedian >= OVERLOAD_MIN_PROJECTS)
    return `本年度已参训 ${projects} 次（本校中位数 ${schoolMedian} 次），建议优先选派其他教师`;
  return null;
}

// ----------------------------------------------------------------- needs survey and share-back

/** 训前需求调研 questionnaire: set up as a draft, published to the target teachers, closed when the plan is final. */
export const surveyMachine = defineMachine({
  states: { draft: '草稿', published: '调研中', closed: '已结束' },
  transitions: {
    publish: { from: ['draft'], to: 'published', label: '发布问卷' },
    close: { from: ['published'], to: 'closed', label: '结束调研' },
  },
});
export type SurveyStatus = keyof typeof surveyMachine.states;

/** 返岗分享 task of an outbound trainee: the teacher submits evidence, the school admin confirms or returns it. */
export const shareBackMachine = defineMachine({
  states: { assigned: '待完成', submitted: '待确认', confirmed: '已确认', returned: '已退回' },
  transitions: {
    submit: { from: ['assigned', 'returned'], to: 'submitted', label: '提交分享记录' },
    confirm: { from: ['submitted'], to: 'confirmed', label: '确认' },
    return: { from: ['submitted'], to: 'returned', label: '退回补充' },
  },
});
export type ShareBackStatus = keyof typeof shareBackMachine.states;
export const SHARE_BACK_KINDS = { lecture: '讲座', seminar: '座谈', openClass: '公开课' } as const;
