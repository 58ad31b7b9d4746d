/**
 * 编制与结构 (issue 14 item 9): per school, the 编制数 in force, the teachers in post on a date (teacher facts: the
 * assignment and 在职 status valid then), 空编, the staffing the 城乡统一 standard requires (students ÷ ratio), and the
 * structure targets — 学历层次 by stage and 紧缺学科 — judged by the policy engine's evaluateStaffing as `staffing`
 * rules built from the `staffingStandards` policy key (policy.staffing.ts).
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina } from '../../platform/china-time.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { EDUCATION } from '../../platform/vocab.js';
import { loadTeachers, type TeacherRowFacts } from '../compliance/compliance.repository.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { evaluateStaffing, selectedOn, type RuleResult } from '../policies/policy.evaluate.js';
import { OPEN_END, type Rule } from '../policies/policy.format.js';
import { STAFFING_STANDARDS_DEFAULT, type StaffingStandards } from '../policies/policy.staffing.js';
import * as repo from './staffing.repository.js';
import { STAFFING_STAGES, type OverviewQuery, type QuotaBody, type RuralSupportBody, type StudentsBody } from './staffing.schema.js';

type StaffingRule = Extract<Rule, { kind: 'staffing' }>;
type CiteT = StaffingStandards['education'][number]['cite'];

const DEFAULT_SOURCE = '平台默认标准（依据种子文件与国家编制标准）';

export function requireReader(user: CurrentUser): void {
  if (!can(user, 'staffing.read')) throw forbidden('无权查看编制与结构');
}

/** The standards in force at an org path on a date: the nearest policy in force with `staffingStandards`, else the default. */
export async function standardsAt(q: Queryable, orgPath: string, date: string): Promise<{ standards: StaffingStandards; source: string }> {
  const found = (await policiesInForceAt(q, orgPath))
    .filter((p) => p.policy.period.from <= date && date <= (p.policy.period.to ?? OPEN_END) && p.policy.staffingStandards)
    .sort((a, b) => longest(b) - longest(a))[0];
  return found?.policy.staffingStandards
    ? { standards: found.policy.staffingStandards, source: found.policy.title }
    : { standards: STAFFING_STANDARDS_DEFAULT, source: DEFAULT_SOURCE };
}
const longest = (p: { attachments: { org_path: string }[] }) => Math.max(0, ...p.attachments.map((a) => a.org_path.length));

export const citeText = (c: { title?: string; file?: string; section: string; text: string }) =>
  `${c.title ? `《${c.title}》§` : `${c.file ?? ''} `}${c.section}：${c.text}`.trim();

/** The school year a date falls in (2025-09-01 … 2026-08-31 is 2025). */
export const schoolYearOf = (date: string) => {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? y : y - 1;
};

/** Stages a school teaches (a 九年一贯制 school both primary and junior). */
export function schoolStages(stage: string | null): string[] {
  if (stage === 'nineYear') return ['primary', 'junior'];
  if (stage === 'twelveYear') return ['primary', 'junior', 'senior'];
  return stage ? [stage] : [];
}

/** Required staffing by the ratios: Σ students_s ÷ ratio_s, rounded up; null without student figures or ratios. */
export function requiredByRatio(
  counts: { stage: string; students: number }[],
  ratios: StaffingStandards['ratios'],
): { required: number | null; parts: string[]; missingRatio: string[] } {
  if (counts.length === 0) return { required: null, parts: [], missingRatio: [] };
  let sum = 0;
  const parts: string[] = [];
  const missingRatio: string[] = [];
  for (const c of counts) {
    const r = ratios.find((x) => x.stage === c.stage);
    if (!r) {
      missingRatio.push(STAFFING_STAGES[c.stage as keyof typeof STAFFING_STAGES] ?? c.stage);
      continue;
    }
    sum += c.students / r.studentsPerStaff;
    parts.push(`${STAFFING_STAGES[c.stage as keyof typeof STAFFING_STAGES]} ${c.students} 人 ÷ ${r.studentsPerStaff}`);
  }
  if (parts.length === 0) return { required: null, parts, missingRatio };
  return { required: Math.ceil(sum - 1e-9), parts, missingRatio };
}

/** The 学历 and 紧缺学科 targets as `staffing` rules of the policy engine. */
export function structureRules(s: StaffingStandards): { education: StaffingRule[]; shortage: StaffingRule[] } {
  const base = (id: string, title: string, cite: CiteT, openFigure?: string) =>
    ({ id, title, cite, kind: 'staffing' as const, per: 'school' as const, ...(openFigure ? { openFigure } : {}) }) as const;
  const education = s.education.map(
    (e) =>
      ({
        ...base(e.id, `${e.stages.map((x) => STAFFING_STAGES[x]).join('、')}教师${EDUCATION[e.atLeast]}及以上学历`, e.cite, e.openFigure),
        schools: { stage: e.stages },
        ratio: { of: { all: true }, having: { educationAtLeast: e.atLeast } },
        atLeast: e.share,
      }) as StaffingRule,
  );
  const shortage = s.shortageSubjects.map(
    (x) =>
      ({
        ...base(`shortage-${x.subject}`, `${x.subject}教师配备`, x.cite, x.openFigure),
        schools: { stage: x.stages },
        count: { subject: [x.subject] },
        atLeast: x.minPerSchool,
      }) as StaffingRule,
  );
  return { education, shortage };
}

/** Standing requirements: no deadline, in force from the start (the frame evaluateStaffing reads). */
const FRAME = { period: { from: '2000-01-01', to: OPEN_END } };

export interface StructureLine {
  ruleId: string;
  title: string;
  status: RuleResult['status'];
  met: boolean | null;
  /** Teachers counted (share: having/of, count: n). */
  having: number;
  of: number;
  required: number | null;
  explanation: string;
  cite: string;
}

function judge(rule: StaffingRule, teachers: TeacherRowFacts[], asOf: string): StructureLine {
  const r = evaluateStaffing(rule, { teachers }, FRAME, asOf);
  const having = teachers.filter((t) => selectedOn(rule.ratio ? rule.ratio.having : rule.count!, t, asOf, FRAME.period)).length;
  const of = rule.ratio ? teachers.length : having;
  const openNote = rule.atLeast === null ? (rule.ratio ? `现有 ${having}/${of} 人；` : `现有 ${having} 人；`) : '';
  return {
    ruleId: rule.id,
    title: rule.title,
    status: r.status,
    met: r.status === 'compliant' ? true : r.status === 'noData' || r.status === 'notApplicable' ? null : false,
    having,
    of,
    required: rule.atLeast,
    explanation: `${openNote}${r.explanation}`,
    cite: citeText(rule.cite),
  };
}

export interface SchoolStaffing {
  orgId: number;
  code: string;
  name: string;
  stage: string | null;
  locale: string | null;
  quota: number | null;
  quotaFrom: string | null;
  quotaSource: string | null;
  inPost: number;
  vacant: number | null;
  overQuota: number | null;
  students: { stage: string; students: number; source: string }[];
  required: number | null;
  requiredText: string | null;
  shortOfStandard: number | null;
  education: StructureLine[];
  shortage: StructureLine[];
  reasons: string[];
}

/** Pure: one school's figures and verdicts. */
export function schoolStaffing(
  school: repo.SchoolRow,
  quota: { quota: number; effective_from: string; source: string } | null,
  teachers: TeacherRowFacts[],
  counts: { stage: string; students: number; source: string }[],
  standards: StaffingStandards,
  asOf: string,
): SchoolStaffing {
  const rules = structureRules(standards);
  const stages = schoolStages(school.stage);
  const applies = (r: StaffingRule) => (r.schools?.stage ?? []).some((s) => stages.includes(s));
  const inPost = teachers.length;
  const req = requiredByRatio(counts, standards.ratios);
  const reasons: string[] = [];
  const vacant = quota ? Math.max(0, quota.quota - inPost) : null;
  const over = quota ? Math.max(0, inPost - quota.quota) : null;
  if (!quota) reasons.push('未录入编制数');
  else if (vacant! > 0) reasons.push(`空编 ${vacant} 人：编制 ${quota.quota}，在编在岗 ${inPost}`);
  else if (over! > 0) reasons.push(`超编 ${over} 人：编制 ${quota.quota}，在编在岗 ${inPost}`);
  const short = req.required === null ? null : Math.max(0, req.required - inPost);
  if (req.required === null) reasons.push(counts.length ? `未设定${req.missingRatio.join('、')}的师生比` : '未录入本学年在校生数');
  else if (short! > 0) reasons.push(`按城乡统一标准应配 ${req.required} 人（${req.parts.join(' + ')}），在岗 ${inPost} 人，还差 ${short} 人`);
  if (quota && req.required !== null && quota.quota < req.required)
    reasons.push(`编制数 ${quota.quota} 低于按标准应配的 ${req.required} 人，差 ${req.required - quota.quota} 人`);
  const education = rules.education.filter(applies).map((r) => judge(r, teachers, asOf));
  const shortage = rules.shortage.filter(applies).map((r) => judge(r, teachers, asOf));
  for (const l of [...education, ...shortage]) if (l.met === false) reasons.push(`${l.title}：${l.explanation}`);
  return {
    orgId: school.id,
    code: school.code,
    name: school.name,
    stage: school.stage,
    locale: school.locale,
    quota: quota?.quota ?? null,
    quotaFrom: quota?.effective_from ?? null,
    quotaSource: quota?.source ?? null,
    inPost,
    vacant,
    overQuota: over,
    students: counts,
    required: req.required,
    requiredText: req.parts.length ? `${req.parts.join(' + ')} = ${req.required}` : null,
    shortOfStandard: short,
    education,
    shortage,
    reasons,
  };
}

async function scopeRoot(q: Queryable, user: CurrentUser, orgId: number | undefined): Promise<repo.SchoolRow & { kind: string }> {
  const org = await repo.orgInScope(q, orgId ?? user.orgId, user.scopePath);
  if (!org) throw notFound('单位');
  return org;
}

/** 编制与结构 of every school under the org (default: the caller's), as of a date. */
export async function overview(ctx: AppContext, user: CurrentUser, query: OverviewQuery) {
  requireReader(user);
  const asOf = query.asOf ?? todayInChina();
  const root = await scopeRoot(ctx.db, user, query.orgId);
  const { standards, source } = await standardsAt(ctx.db, root.path, asOf);
  const schools = await repo.schoolsIn(ctx.db, root.path);
  const ids = schools.map((s) => s.id);
  const year = schoolYearOf(asOf);
  const [quotas, counts, teachers] = await Promise.all([
    repo.quotasOn(ctx.db, ids, asOf),
    repo.studentsFor(ctx.db, ids, year),
    loadTeachers(ctx.db, { rootPath: root.path, on: asOf }),
  ]);
  const bySchool = new Map<number, TeacherRowFacts[]>();
  for (const t of teachers) {
    const l = bySchool.get(t.orgId);
    if (l) l.push(t);
    else bySchool.set(t.orgId, [t]);
  }
  const rows = schools.map((s) =>
    schoolStaffing(
      s,
      quotas.get(s.id) ?? null,
      bySchool.get(s.id) ?? [],
      counts.filter((c) => c.org_id === s.id).map((c) => ({ stage: c.stage, students: c.students, source: c.source })),
      standards,
      asOf,
    ),
  );
  const sum = (f: (r: SchoolStaffing) => number | null) => rows.reduce((a, r) => a + (f(r) ?? 0), 0);
  return {
    org: { id: root.id, name: root.name },
    asOf,
    schoolYear: year,
    standards: {
      source,
      ratios: standards.ratios.map((r) => ({ stage: r.stage, studentsPerStaff: r.studentsPerStaff, cite: r.cite ? citeText(r.cite) : null })),
      cite: (standards.cite ?? []).map(citeText),
      assumptions: standards.assumptions ?? [],
    },
    totals: {
      quota: sum((r) => r.quota),
      inPost: sum((r) => r.inPost),
      vacant: sum((r) => r.vacant),
      required: sum((r) => r.required),
      shortOfStandard: sum((r) => r.shortOfStandard),
    },
    schools: rows,
    canEditQuota: user.role === 'bureauAdmin',
    canEditStudents: can(user, 'staffing.manage'),
  };
}

async function schoolForWrite(q: Queryable, user: CurrentUser, orgId: number) {
  if (!can(user, 'staffing.manage')) throw forbidden('无权填报编制与学生数');
  const org = await repo.orgInScope(q, orgId, user.scopePath);
  if (!org) throw notFound('学校');
  if (org.kind !== 'school') throw badRequest(`「${org.name}」不是学校，编制数和在校生数应填报到学校`);
  if (user.role === 'schoolAdmin' && org.id !== user.orgId) throw forbidden('学校管理员只能填报本校的数据');
  return org;
}

/** A new 编制数 from a date (bureau only). Same date again: a correction that supersedes the earlier row. */
export async function recordQuota(ctx: AppContext, user: CurrentUser, body: QuotaBody, ip?: string, q0?: Queryable) {
  if (user.role !== 'bureauAdmin') throw forbidden('编制数由教育局核定，只有教育局管理员可以填报');
  const run = async (q: Queryable) => {
    const org = await schoolForWrite(q, user, body.orgId);
    const old = await repo.supersedeQuota(q, org.id, body.effectiveFrom);
    const id = await repo.insertQuota(q, {
      orgId: org.id,
      quota: body.quota,
      effectiveFrom: body.effectiveFrom,
      source: body.source,
      note: body.note ?? null,
      by: user.id,
    });
    if (old) await repo.linkSuccessor(q, 'staffing_quotas', old.id, id);
    await audit(
      q,
      user,
      'staffing.quota',
      'org',
      org.id,
      { quota: body.quota, effectiveFrom: body.effectiveFrom, source: body.source, replaced: old?.quota ?? null },
      ip,
    );
    return { id, replaced: old?.quota ?? null };
  };
  return q0 ? run(q0) : ctx.db.tx(run);
}

/** 在校生数 of a school year and stage; a new figure supersedes the one in force. */
export async function recordStudents(ctx: AppContext, user: CurrentUser, body: StudentsBody, ip?: string, q0?: Queryable) {
  const run = async (q: Queryable) => {
    const org = await schoolForWrite(q, user, body.orgId);
    const stages = schoolStages(org.stage);
    if (stages.length && !stages.includes(body.stage))
      throw badRequest(
        `「${org.name}」不设${STAFFING_STAGES[body.stage]}学段（应为：${stages.map((s) => STAFFING_STAGES[s as keyof typeof STAFFING_STAGES]).join('、')}）`,
      );
    const old = await repo.supersedeStudents(q, org.id, body.year, body.stage);
    const id = await repo.insertStudents(q, { orgId: org.id, year: body.year, stage: body.stage, students: body.students, source: body.source, by: user.id });
    if (old) await repo.linkSuccessor(q, 'student_counts', old.id, id);
    await audit(
      q,
      user,
      'staffing.students',
      'org',
      org.id,
      { year: body.year, stage: body.stage, students: body.students, replaced: old?.students ?? null },
      ip,
    );
    return { id, replaced: old?.students ?? null };
  };
  return q0 ? run(q0) : ctx.db.tx(run);
}

export async function history(ctx: AppContext, user: CurrentUser, orgId: number | undefined) {
  requireReader(user);
  const org = await repo.orgInScope(ctx.db, orgId ?? user.orgId, user.scopePath);
  if (!org) throw notFound('学校');
  const h = await repo.historyOf(ctx.db, org.id);
  return {
    org: { id: org.id, name: org.name },
    quotas: h.quotas.map((x) => ({
      id: x.id,
      quota: x.quota,
      effectiveFrom: x.effective_from,
      source: x.source,
      note: x.note,
      recordedBy: x.recorded_by_name,
      recordedAt: x.recorded_at,
      superseded: x.superseded_at !== null,
    })),
    students: h.students.map((x) => ({
      id: x.id,
      year: x.year,
      stage: x.stage,
      students: x.students,
      source: x.source,
      recordedBy: x.recorded_by_name,
      recordedAt: x.recorded_at,
      superseded: x.superseded_at !== null,
    })),
  };
}

// ---------------------------------------------------------------- 乡村教师

/**
 * Years of rural service up to `asOf` per teacher (one decimal): the teacher's periods at schools whose locale is
 * rural (teacher_assignments) and rural 交流轮岗/支教 records (rotation_records), overlapping days counted once.
 * For the 职称 helper (003 #11: 长期在乡村学校工作 … 定向评价、定向使用).
 */
export async function ruralServiceYears(q: Queryable, teacherIds: number[], asOf: string): Promise<Map<number, number>> {
  const days = await repo.ruralServiceDays(q, teacherIds, asOf);
  return new Map(teacherIds.map((id) => [id, Math.floor(((days.get(id) ?? 0) / 365.25) * 10) / 10]));
}

export async function listRuralSupport(ctx: AppContext, user: CurrentUser, query: { orgId?: number; asOf?: string }) {
  requireReader(user);
  const root = await scopeRoot(ctx.db, user, query.orgId);
  const rows = await repo.ruralSupportIn(ctx.db, root.path);
  const years = await ruralServiceYears(ctx.db, [...new Set(rows.map((r) => r.teacher_id))], query.asOf ?? todayInChina());
  return rows.map((r) => ({
    id: r.id,
    teacherId: r.teacher_id,
    teacherName: r.teacher_name,
    kind: r.kind,
    startDate: r.start_date,
    endDate: r.end_date,
    amount: r.amount === null ? null : Number(r.amount),
    note: r.note,
    ruralServiceYears: years.get(r.teacher_id) ?? 0,
  }));
}

export async function recordRuralSupport(ctx: AppContext, user: CurrentUser, body: RuralSupportBody, ip?: string) {
  if (!can(user, 'staffing.manage')) throw forbidden('无权登记乡村教师支持');
  return ctx.db.tx(async (q) => {
    const t = (
      await q.query<{ id: number; org_id: number; name: string; locale: string | null; oname: string }>(
        `SELECT t.id, t.org_id, t.name, o.locale, o.name AS oname FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
        [body.teacherId, user.scopePath],
      )
    ).rows[0];
    if (!t) throw notFound('教师');
    if (user.role === 'schoolAdmin' && t.org_id !== user.orgId) throw forbidden('学校管理员只能登记本校教师');
    if (t.locale !== 'rural') throw badRequest(`「${t.oname}」未标为乡村学校，不能登记乡村教师支持（在组织机构中设置学校所在地为“乡村”）`);
    const id = await repo.insertRuralSupport(q, {
      teacherId: t.id,
      orgId: t.org_id,
      kind: body.kind,
      startDate: body.startDate,
      endDate: body.endDate ?? null,
      amount: body.amount ?? null,
      note: body.note ?? null,
      by: user.id,
    });
    await audit(q, user, 'staffing.ruralSupport', 'teacher', t.id, { kind: body.kind, startDate: body.startDate }, ip);
    return { id };
  });
}
