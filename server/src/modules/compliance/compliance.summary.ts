/**
 * Folds the engine's outcomes into the dashboard's shape: per rule, the share of subjects
 * compliant at the displayed org and for each of its children (or, for a school, each teacher).
 * Pure: no I/O, so the CLI and the API print the same numbers.
 */
import type { Rule } from '../policies/policy.format.js';
import type { RuleResult, Status } from '../policies/policy.evaluate.js';
import { presentRule, type RuleDto } from '../policies/policies.service.js';
import type { Outcome } from './compliance.engine.js';
import type { OrgFacts } from './compliance.repository.js';

export interface Totals {
  /** Subjects judged (compliant + shortfall + noData); notApplicable ones are not counted here. */
  subjects: number;
  compliant: number;
  shortfall: number;
  overdue: number;
  noData: number;
  notApplicable: number;
  /** compliant ÷ (compliant + shortfall); null when nothing could be judged. */
  share: number | null;
}

export interface ResultDto {
  status: Status;
  required: number | null;
  done: number | null;
  shortfall: number | null;
  deadline: string | null;
  overdue: boolean;
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
  /** Schools, counties or projects short of the rule (at most 50), for rules that judge those. */
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
  teachers: { evaluated: number; compliantAll: number; share: number | null };
}

const emptyTotals = (): Totals => ({ subjects: 0, compliant: 0, shortfall: 0, overdue: 0, noData: 0, notApplicable: 0, share: null });

function count(t: Totals, s: Status, overdue: boolean): void {
  if (s === 'notApplicable') {
    t.notApplicable++;
    return;
  }
  t.subjects++;
  if (s === 'compliant') t.compliant++;
  else if (s === 'shortfall') {
    t.shortfall++;
    if (overdue) t.overdue++;
  } else t.noData++;
}

const finish = (t: Totals): Totals => ({
  ...t,
  share: t.compliant + t.shortfall ? Math.round((t.compliant / (t.compliant + t.shortfall)) * 10000) / 10000 : null,
});

export function toResultDto(r: RuleResult): ResultDto {
  return {
    status: r.status,
    required: r.required,
    done: r.done,
    shortfall: r.shortfall,
    deadline: r.deadline,
    overdue: r.overdue,
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
        count(t, result.status, result.overdue);
      }
      return;
    }
    count(this.ruleTotals.get(rule.id)!, result.status, result.overdue);
    if (subject.type === 'region' || subject.type === 'county' || (subject.type === 'school' && subject.id === this.display.id)) {
      const list = this.ruleSingles.get(rule.id) ?? [];
      list.push(toResultDto(result));
      this.ruleSingles.set(rule.id, list);
    }
    if (subject.type !== 'teacher' && subject.type !== 'region' && result.status === 'shortfall') {
      const list = this.ruleFailing.get(rule.id) ?? [];
      if (list.length < 50) list.push({ ...toResultDto(result), subjectType: subject.type, subjectId: subject.id, name: subject.name });
      this.ruleFailing.set(rule.id, list);
    }
    if (subject.type === 'teacher' && subject.teacher) {
      if (result.status !== 'notApplicable') {
        const prev = this.teacherOk.get(subject.id);
        this.teacherOk.set(subject.id, (prev ?? true) && result.status === 'compliant');
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
    if (child) count((child.totals[rule.id] ??= emptyTotals()), result.status, result.overdue);
  };

  build(): SummaryBody {
    const rules = this.rules.map((r) => {
      const singles = this.ruleSingles.get(r.id) ?? [];
      return {
        ...presentRule(r),
        totals: finish(this.ruleTotals.get(r.id)!),
        result: singles.length === 1 ? singles[0] : null,
        failing: this.ruleFailing.get(r.id) ?? [],
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
      teachers: { evaluated: judged.length, compliantAll: ok, share: judged.length ? Math.round((ok / judged.length) * 10000) / 10000 : null },
    };
  }
}
