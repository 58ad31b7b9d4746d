/**
 * Folds the engine's outcomes into the dashboard's shape: per rule, the counts of each outcome and
 * the 达标率 over the subjects whose deadline has passed, at the displayed org and for each of its
 * children (or, for a school, each teacher). Pure: no I/O, so the CLI and the API print the same numbers.
 */
import type { Rule } from '../policies/policy.format.js';
import type { Pace, RuleResult, Status } from '../policies/policy.evaluate.js';
import { isOpen, URGENCY_RANK, urgencyOf } from '../policies/policy.status.js';
import { presentRule, type RuleDto } from '../policies/policies.service.js';
import type { Outcome } from './compliance.engine.js';
import type { OrgFacts } from './compliance.repository.js';

export interface Totals {
  /** Subjects judged (every outcome and noData); notApplicable ones are not counted here. */
  subjects: number;
  /** 已达标, due or early. */
  compliant: number;
  /** Subjects whose deadline has been reached (today or earlier, or holding at once), met or not: the 达标率's base. */
  due: number;
  /** Of those due: met. */
  compliantDue: number;
  /** 进行中: not met, deadline further away than the 临期 days. */
  inProgress: number;
  /** Of inProgress: behind a linear pace through the window. */
  behindPace: number;
  /** 临期: not met, deadline within the 临期 days. */
  dueSoon: number;
  /** 未达标: not met and the deadline has passed. */
  overdue: number;
  noData: number;
  notApplicable: number;
  /** 达标率 over due windows only: compliantDue ÷ due; null when nothing is due yet. */
  share: number | null;
}

export interface ResultDto {
  status: Status;
  required: number | null;
  done: number | null;
  shortfall: number | null;
  deadline: string | null;
  due: boolean;
  daysLeft: number | null;
  pace: Pace | null;
  window: string | null;
  explanation: string;
}

export interface SubjectResultDto extends ResultDto {
  subjectType: string;
  subjectId: number;
  name: string;
}

export interface RuleSummary extends RuleDto {
  totals: Totals;
  /** The single verdict when the rule judges one subject here (a region target, the region's ratio …). */
  result: ResultDto | null;
  /** Schools, counties or projects not meeting the rule (at most 50, most urgent first), for rules that judge those. */
  failing: SubjectResultDto[];
}

export interface OrgChild {
  type: 'org';
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  totals: Record<string, Totals>;
  results: Record<string, ResultDto>;
}

export interface TeacherChild {
  type: 'teacher';
  id: number;
  name: string;
  nationalIdMask: string;
  stage: string;
  subjects: string[];
  results: Record<string, ResultDto>;
}

export interface SummaryBody {
  rules: RuleSummary[];
  children: (OrgChild | TeacherChild)[];
  /** Teachers judged; all rules met; with at least one 未达标 (overdue) rule; share = compliantAll ÷ evaluated. */
  teachers: { evaluated: number; compliantAll: number; overdue: number; share: number | null };
}

export const emptyTotals = (): Totals => ({
  subjects: 0,
  compliant: 0,
  due: 0,
  compliantDue: 0,
  inProgress: 0,
  behindPace: 0,
  dueSoon: 0,
  overdue: 0,
  noData: 0,
  notApplicable: 0,
  share: null,
});

export function count(t: Totals, r: Pick<RuleResult, 'status' | 'due' | 'pace'>): void {
  if (r.status === 'notApplicable') {
    t.notApplicable++;
    return;
  }
  t.subjects++;
  if (r.due && r.status !== 'noData') {
    t.due++;
    if (r.status === 'compliant') t.compliantDue++;
  }
  switch (r.status) {
    case 'compliant':
      t.compliant++;
      break;
    case 'inProgress':
      t.inProgress++;
      if (r.pace?.behind) t.behindPace++;
      break;
    case 'dueSoon':
      t.dueSoon++;
      break;
    case 'overdue':
      t.overdue++;
      break;
    default:
      t.noData++;
  }
}

export const finish = (t: Totals): Totals => ({
  ...t,
  share: t.due ? Math.round((t.compliantDue / t.due) * 10000) / 10000 : null,
});

/** Most urgent first: 未达标, 临期, behind pace, 进行中; then by deadline. */
const byUrgency = (a: ResultDto, b: ResultDto) =>
  URGENCY_RANK[urgencyOf(a) ?? 'onPace'] - URGENCY_RANK[urgencyOf(b) ?? 'onPace'] || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999');

export function toResultDto(r: RuleResult): ResultDto {
  return {
    status: r.status,
    required: r.required,
    done: r.done,
    shortfall: r.shortfall,
    deadline: r.deadline,
    due: r.due,
    daysLeft: r.daysLeft,
    pace: r.pace,
    window: r.window?.label ?? null,
    explanation: r.explanation,
  };
}

/** Collects outcomes for one displayed org. Children are its child orgs, or its teachers when it is a school. */
export class SummaryBuilder {
  private ruleTotals = new Map<string, Totals>();
  private ruleSingles = new Map<string, ResultDto[]>();
  private ruleFailing = new Map<string, SubjectResultDto[]>();
  private childOrgs = new Map<number, OrgChild>();
  private childTeachers = new Map<number, TeacherChild>();
  private teacherOk = new Map<number, boolean>();
  private teacherOverdue = new Set<number>();
  private readonly teacherChildren: boolean;

  constructor(
    private display: OrgFacts,
    childOrgs: OrgFacts[],
    private rules: Rule[],
  ) {
    this.teacherChildren = display.kind === 'school';
    for (const r of rules) this.ruleTotals.set(r.id, emptyTotals());
    if (!this.teacherChildren)
      for (const c of childOrgs)
        this.childOrgs.set(c.id, { type: 'org', id: c.id, code: c.code, name: c.name, level: c.level, kind: c.kind, totals: {}, results: {} });
  }

  private childByPath = new Map<string, OrgChild | undefined>();

  /** The direct child of the displayed org that contains path, if any (memoised: few distinct paths). */
  private childOf(path: string): OrgChild | undefined {
    if (this.childByPath.has(path)) return this.childByPath.get(path);
    let child: OrgChild | undefined;
    if (path.startsWith(this.display.path) && path !== this.display.path)
      child = this.childOrgs.get(Number(path.slice(this.display.path.length).split('/')[0]));
    this.childByPath.set(path, child);
    return child;
  }

  readonly sink = (o: Outcome): void => {
    const { rule, subject, result } = o;
    if (!subject.orgPath.startsWith(this.display.path) && !this.display.path.startsWith(subject.orgPath)) return;
    if (subject.type === 'region' && subject.breakdown) {
      const child = this.childOf(subject.orgPath);
      if (child) {
        child.results[rule.id] = toResultDto(result);
        const t = (child.totals[rule.id] ??= emptyTotals());
        count(t, result);
      }
      return;
    }
    count(this.ruleTotals.get(rule.id)!, result);
    if (subject.type === 'region' || subject.type === 'county' || (subject.type === 'school' && subject.id === this.display.id)) {
      const list = this.ruleSingles.get(rule.id) ?? [];
      list.push(toResultDto(result));
      this.ruleSingles.set(rule.id, list);
    }
    if (subject.type !== 'teacher' && subject.type !== 'region' && isOpen(result.status)) {
      // All kept (schools, counties, projects: thousands at most) and cut to the 50 most urgent in build().
      const list = this.ruleFailing.get(rule.id) ?? [];
      list.push({ ...toResultDto(result), subjectType: subject.type, subjectId: subject.id, name: subject.name });
      this.ruleFailing.set(rule.id, list);
    }
    if (subject.type === 'teacher' && subject.teacher) {
      if (result.status !== 'notApplicable') {
        const prev = this.teacherOk.get(subject.id);
        this.teacherOk.set(subject.id, (prev ?? true) && result.status === 'compliant');
        if (result.status === 'overdue') this.teacherOverdue.add(subject.id);
      }
      if (this.teacherChildren) {
        const t = subject.teacher;
        let c = this.childTeachers.get(t.id);
        if (!c)
          this.childTeachers.set(
            t.id,
            (c = { type: 'teacher', id: t.id, name: t.name, nationalIdMask: t.nationalIdMask, stage: t.stage, subjects: t.subjects, results: {} }),
          );
        c.results[rule.id] = toResultDto(result);
        return;
      }
    }
    const child = this.childOf(subject.orgPath);
    if (child) count((child.totals[rule.id] ??= emptyTotals()), result);
  };

  build(): SummaryBody {
    const rules = this.rules.map((r) => {
      const singles = this.ruleSingles.get(r.id) ?? [];
      return {
        ...presentRule(r),
        totals: finish(this.ruleTotals.get(r.id)!),
        result: singles.length === 1 ? singles[0] : null,
        failing: (this.ruleFailing.get(r.id) ?? []).sort(byUrgency).slice(0, 50),
      };
    });
    const children: (OrgChild | TeacherChild)[] = this.teacherChildren
      ? [...this.childTeachers.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id - b.id)
      : [...this.childOrgs.values()]
          .filter((c) => Object.keys(c.totals).length > 0)
          .map((c) => ({ ...c, totals: Object.fromEntries(Object.entries(c.totals).map(([k, v]) => [k, finish(v)])) }));
    const judged = [...this.teacherOk.values()];
    const ok = judged.filter(Boolean).length;
    return {
      rules,
      children,
      teachers: {
        evaluated: judged.length,
        compliantAll: ok,
        overdue: this.teacherOverdue.size,
        share: judged.length ? Math.round((ok / judged.length) * 10000) / 10000 : null,
      },
    };
  }
}
