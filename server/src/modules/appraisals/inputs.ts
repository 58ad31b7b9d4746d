/**
 * 年度考核 inputs (issue 14 item 1): what the platform already knows about a teacher's year, gathered when the school
 * grades — hours rules of the year (the compliance engine, as key-teachers/eligibility.ts asks it), 学业述评 each term,
 * 家访 visits, the 选派 trainings attended, and the 师德 veto (`vetoFor`, purposes appraisalExcellent / appraisalPass).
 * The rules come from the `appraisal` key of the policies in force at the round's org (policy.appraisal.ts).
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { todayInChina } from '../../platform/china-time.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { APPRAISAL_DEFAULT, APPRAISAL_INPUTS, type AppraisalInput, type AppraisalPolicy } from '../policies/policy.appraisal.js';
import { teacherStatus } from '../compliance/compliance.worklist.js';
import { vetoFor, vetoMessage } from '../integrity/veto.service.js';

export interface AppraisalRules {
  rules: AppraisalPolicy;
  source: string;
}

/** The appraisal rules in force at an org path in `year`: the nearest policy with an `appraisal` key, else the default. */
export async function appraisalRulesAt(q: Queryable, orgPath: string, year: number): Promise<AppraisalRules> {
  const date = `${year}-12-31`;
  const from = `${year}-01-01`;
  const found = (await policiesInForceAt(q, orgPath))
    .filter((p) => p.policy.period.from <= date && from <= p.policy.period.to && p.policy.appraisal)
    .sort((a, b) => longest(b) - longest(a))[0];
  return found?.policy.appraisal
    ? { rules: found.policy.appraisal, source: found.policy.title }
    : { rules: APPRAISAL_DEFAULT, source: '平台默认规则（依据种子文件，优秀比例等为假设）' };
}
const longest = (p: { attachments: { org_path: string }[] }) => Math.max(0, ...p.attachments.map((a) => a.org_path.length));

/**
 * 优秀 allowed for n teachers at a share: floor(n × share) — "不超过" a share means the count may not pass it, so a
 * fraction of a person rounds down (23 × 20 % = 4.6 → 4). Computed in thousandths so 0.57 × 100 is 57, not 56.
 */
export function excellentAllowed(n: number, share: number): number {
  return Math.floor((n * Math.round(share * 1000)) / 1000);
}

/** The day the year's inputs are read as of: the year's last day, or today while the year runs. */
export function asOfFor(year: number): string {
  const end = `${year}-12-31`;
  const today = todayInChina();
  return today < end ? today : end;
}

export interface AppraisalInputs {
  asOf: string;
  /** null: not evaluated here (the round's list); the compliance engine is asked when 优秀 is given and on the teacher's page. */
  hours: { met: boolean; short: string[] } | null;
  academicReview: { met: boolean; terms: { term: 'spring' | 'autumn'; classes: number; students: number; reviewed: number }[]; missing: string[] };
  homeVisits: { met: boolean; count: number; families: number; required: number };
  trainings: { met: boolean; required: number; attended: number; missed: string[] };
  veto: { excellent: string | null; pass: string | null };
  /** Why 优秀 is refused (each in Chinese), from the inputs the rules name and the veto. */
  blocksExcellent: string[];
  /** Why 合格/基本合格 are refused (only 不合格 may be given). */
  blocksPass: string[];
}

const TERM_LABELS = { spring: '春季学期', autumn: '秋季学期' } as const;

/** Every input of one teacher's year. `user` is the caller the compliance engine evaluates for (the teacher in its scope). */
export async function gatherInputs(ctx: AppContext, user: CurrentUser, teacherId: number, year: number, rules: AppraisalPolicy): Promise<AppraisalInputs> {
  return (await gatherMany(ctx, user, [teacherId], year, rules)).get(teacherId) as AppraisalInputs;
}

/** The inputs of many teachers at once: one query per kind of record, the compliance engine and the veto per teacher. */
export async function gatherMany(
  ctx: AppContext,
  user: CurrentUser,
  ids: number[],
  year: number,
  rules: AppraisalPolicy,
  opts: { hours: boolean } = { hours: true },
): Promise<Map<number, AppraisalInputs>> {
  const q = ctx.db;
  const asOf = asOfFor(year);
  const from = `${year}-01-01`;
  const ar = await q.query<{ teacherId: number; term: 'spring' | 'autumn'; classes: number; students: number; reviewed: number }>(
    `SELECT teacher_id AS "teacherId", term, count(*)::int AS classes, sum(students)::int AS students, sum(reviewed)::int AS reviewed
       FROM academic_reviews WHERE teacher_id = ANY($1::int[]) AND year = $2 AND superseded_at IS NULL AND completed_on <= $3::date
      GROUP BY teacher_id, term ORDER BY teacher_id, term DESC`,
    [ids, year, asOf],
  );
  const hv = await q.query<{ teacherId: number; count: number; families: number }>(
    `SELECT teacher_id AS "teacherId", count(*)::int AS count, coalesce(sum(families), 0)::int AS families FROM home_visits
      WHERE teacher_id = ANY($1::int[]) AND withdrawn_at IS NULL AND visited_on BETWEEN $2::date AND $3::date GROUP BY teacher_id`,
    [ids, from, asOf],
  );
  // 选派 trainings: projects the teacher was nominated to (approved nominations) with sessions held in the year by asOf.
  const tr = await q.query<{ teacherId: number; title: string; held: number; attended: number }>(
    `SELECT e.teacher_id AS "teacherId", p.name AS title, count(s.id)::int AS held, count(a.session_id)::int AS attended
       FROM enrolments e JOIN projects p ON p.id = e.project_id
       JOIN project_sessions s ON s.project_id = p.id AND s.date BETWEEN $2::date AND $3::date
       LEFT JOIN attendance a ON a.session_id = s.id AND a.teacher_id = e.teacher_id
      WHERE e.teacher_id = ANY($1::int[]) AND e.status = 'approved' AND e.source = 'nomination'
      GROUP BY e.teacher_id, p.id, p.name ORDER BY p.id`,
    [ids, from, asOf],
  );
  const sanctioned = new Set(
    (
      await q.query<{ id: number }>('SELECT DISTINCT teacher_id AS id FROM ethics_sanctions WHERE teacher_id = ANY($1::int[]) AND decided_on <= $2::date', [
        ids,
        asOf,
      ])
    ).rows.map((r) => r.id),
  );
  const out = new Map<number, AppraisalInputs>();
  for (const teacherId of ids) {
    let hours: AppraisalInputs['hours'] = null;
    if (opts.hours) {
      const st = await teacherStatus(ctx, user, teacherId, asOf);
      const shortItems = st.thisYear.filter((i) => (i.unit === '学时' || i.unit === '天') && i.status !== 'compliant' && i.status !== 'notApplicable');
      hours = { met: shortItems.length === 0, short: shortItems.map((i) => `${i.ruleTitle}（${i.policyTitle}）`) };
    }
    const terms = ar.rows.filter((r) => r.teacherId === teacherId).map(({ teacherId: _, ...r }) => r);
    const missing: string[] = [];
    if (rules.academicReviewEachTerm)
      for (const t of ['spring', 'autumn'] as const) {
        const row = terms.find((r) => r.term === t);
        if (!row) missing.push(`${TERM_LABELS[t]}无学业述评记录`);
        else if (row.reviewed < row.students) missing.push(`${TERM_LABELS[t]}尚有 ${row.students - row.reviewed} 名学生未述评`);
      }
    const academicReview = { met: missing.length === 0, terms, missing };
    const v = hv.rows.find((r) => r.teacherId === teacherId) ?? { count: 0, families: 0 };
    const homeVisits = { met: v.count >= rules.homeVisitsPerYear, count: v.count, families: v.families, required: rules.homeVisitsPerYear };
    const mine = tr.rows.filter((r) => r.teacherId === teacherId);
    const missed = mine.filter((r) => r.attended < r.held).map((r) => `${r.title}（缺勤 ${r.held - r.attended} 次）`);
    const trainings = { met: missed.length === 0, required: mine.length, attended: mine.length - missed.length, missed };
    let veto: AppraisalInputs['veto'] = { excellent: null, pass: null };
    if (sanctioned.has(teacherId)) {
      const vx = await vetoFor(q, teacherId, 'appraisalExcellent', asOf);
      const vp = await vetoFor(q, teacherId, 'appraisalPass', asOf);
      veto = { excellent: vx.vetoed ? vetoMessage(vx, 'appraisalExcellent') : null, pass: vp.vetoed ? vetoMessage(vp, 'appraisalPass') : null };
    }
    const unmet: Record<AppraisalInput, string | null> = {
      hours: !hours || hours.met ? null : `学时未达标：${hours.short.join('、')}`,
      academicReview: academicReview.met ? null : `学业述评未完成：${missing.join('；')}`,
      homeVisits: homeVisits.met ? null : `家访 ${homeVisits.count} 次，不足 ${homeVisits.required} 次`,
      trainings: trainings.met ? null : `未完成选派的培训：${missed.join('、')}`,
    };
    const blocksExcellent = [
      ...(veto.excellent ? [veto.excellent] : []),
      ...rules.excellentRequires.map((k) => unmet[k]).filter((x): x is string => x !== null),
    ];
    out.set(teacherId, { asOf, hours, academicReview, homeVisits, trainings, veto, blocksExcellent, blocksPass: veto.pass ? [veto.pass] : [] });
  }
  return out;
}

export const inputLabel = (k: AppraisalInput) => APPRAISAL_INPUTS[k];
