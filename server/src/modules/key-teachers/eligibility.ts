/**
 * 骨干教师 eligibility (issue 13 item 2): every reason a teacher may not be nominated on the round's date, each in
 * Chinese with the rule's citation. The rules are the `keyTeachers` key of the policies in force at the teacher's
 * school (policies/policy.keyteachers.ts), else the platform default.
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { KEY_TEACHERS_DEFAULT, type KeyTeachersPolicy } from '../policies/policy.keyteachers.js';
import { teacherStatus } from '../compliance/compliance.worklist.js';
import { vetoFor } from '../integrity/veto.service.js';
import { polishSummary } from '../mentoring/polish.repository.js';
import { STAGES } from '../../platform/vocab.js';
import { rotationServiceFor } from '../rotations/rotation-figures.js';

export type ReasonCode = 'hours' | 'veto' | 'rotation' | 'polish';
export interface EligibilityReason {
  code: ReasonCode;
  message: string;
  cite: string | null;
}

export interface KeyTeachersRules {
  rules: KeyTeachersPolicy;
  /** The policy title the rules come from, or the platform default. */
  source: string;
}

const DEFAULT_SOURCE = '平台默认规则（依据种子文件）';

/** The key-teacher rules in force at an org path on `date`: the nearest policy in force with a `keyTeachers` key, else the default. */
export async function keyTeacherRulesAt(q: Queryable, orgPath: string, date: string): Promise<KeyTeachersRules> {
  const found = (await policiesInForceAt(q, orgPath))
    .filter((p) => p.policy.period.from <= date && date <= p.policy.period.to && p.policy.keyTeachers)
    .sort((a, b) => longestAttachment(b) - longestAttachment(a))[0];
  return found?.policy.keyTeachers ? { rules: found.policy.keyTeachers, source: found.policy.title } : { rules: KEY_TEACHERS_DEFAULT, source: DEFAULT_SOURCE };
}
const longestAttachment = (p: { attachments: { org_path: string }[] }) => Math.max(0, ...p.attachments.map((a) => a.org_path.length));

/** A citation as the UI shows it: 《title》§section：text (the file name only when a cite has no title). */
const citeText = (c: { title?: string; file?: string; section: string; text: string }) =>
  `${c.title ? `《${c.title}》§` : `${c.file ?? ''} `}${c.section}：${c.text}`.trim();
const citeOf = (rules: KeyTeachersPolicy, needle: string): string | null => {
  const c = rules.cite?.find((x) => x.text.includes(needle));
  return c ? citeText(c) : null;
};

const yearsBetween = (from: string, to: string) => {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
};

interface TeacherFacts {
  id: number;
  name: string;
  stage: string | null;
  path: string;
  hireDate: string | null;
}

export async function teacherFacts(q: Queryable, teacherId: number): Promise<TeacherFacts | undefined> {
  return (
    await q.query<TeacherFacts>(
      `SELECT t.id, t.name, o.stage, o.path,
              COALESCE(t.hire_date, (SELECT min(a.valid_from) FROM teacher_assignments a WHERE a.teacher_id = t.id AND a.superseded_at IS NULL))::text AS "hireDate"
         FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1`,
      [teacherId],
    )
  ).rows[0];
}

/**
 * Every failing reason for one teacher on `asOf`. The caller (a nominator with the teacher in scope) is the one the
 * compliance engine evaluates for; hours fail when an hours rule in force is 未达标 (overdue) on the date, or its window
 * ends on or before the date without being met.
 */
export async function eligibilityOf(
  ctx: AppContext,
  user: CurrentUser,
  teacherId: number,
  asOf: string,
  rules: KeyTeachersPolicy,
): Promise<EligibilityReason[]> {
  const q = ctx.db;
  const t = await teacherFacts(q, teacherId);
  if (!t) return [];
  const out: EligibilityReason[] = [];
  const e = rules.eligibility;
  if (e.hoursMet) {
    const st = await teacherStatus(ctx, user, teacherId, asOf);
    const short = [...st.thisYear, ...st.thisCycle, ...st.standing].filter(
      (i) =>
        (i.unit === '学时' || i.unit === '天') &&
        // 未达标, or a window that ends on the round's date itself and is not met by then
        (i.status === 'overdue' || (i.deadline !== null && i.deadline <= asOf && (i.status === 'dueSoon' || i.status === 'inProgress'))),
    );
    for (const i of short)
      out.push({
        code: 'hours',
        message: `学时未达标：${i.ruleTitle}（${i.policyTitle}）截至 ${asOf} 未完成`,
        cite: citeText({ ...i.cite, title: i.cite.title ?? undefined, file: i.cite.file ?? undefined }),
      });
  }
  const veto = await vetoFor(q, teacherId, 'keyTeacherSelection', asOf);
  for (const r of veto.reasons)
    out.push({ code: 'veto', message: `师德一票否决：${r.label}（${r.from} 起${r.until ? `至 ${r.until}` : ''}，${r.vetoTitle}）`, cite: r.cite });
  if (t.stage && e.rotationRequiredStages.includes(t.stage as (typeof e.rotationRequiredStages)[number])) {
    // A 交流轮岗 record (交流/轮岗/支教) or a school-of-record change of kind 'rotation' begun by the date.
    const rot = (await rotationServiceFor(q, [teacherId], asOf)).get(teacherId);
    if (!rot?.hasRotation)
      out.push({
        code: 'rotation',
        message: `无交流轮岗经历：${STAGES[t.stage as keyof typeof STAGES]}教师参加骨干教师评选须有交流轮岗经历（无交流轮岗记录）`,
        cite: citeOf(rules, '交流輪崗') ?? citeOf(rules, '交流轮岗'),
      });
  }
  if (t.hireDate && yearsBetween(t.hireDate, asOf) < e.newTeacherYears && (e.polishPassed > 0 || e.researchOfficeEvaluation)) {
    const p = await polishSummary(q, teacherId, asOf, { purpose: 'keyCandidate' });
    const missing: string[] = [];
    if (p.passed < e.polishPassed) missing.push(`磨课合格 ${p.passed} 轮，至少需 ${e.polishPassed} 轮`);
    if (e.researchOfficeEvaluation && p.passedByResearchOffice < 1) missing.push('缺少教研室听课评估合格');
    if (missing.length) out.push({ code: 'polish', message: `教龄不满 ${e.newTeacherYears} 年：${missing.join('；')}`, cite: citeOf(rules, '磨课') });
  }
  return out;
}
