/**
 * Evaluates every rule of one policy over one org subtree as of a date. Facts come from SQL in a
 * handful of set-based queries (one GROUP BY over the hours for all hours rules together); the
 * verdicts come from the pure functions in policies/policy.evaluate.ts. Outcomes are streamed to a
 * sink so a city-wide summary never holds 50,000 × rules result objects.
 */
import type { Db, Queryable } from '../../db/db.js';
import { ruleSubject, type HoursRule, type ParticipationRule, type Policy, type Rule, type SubjectType } from '../policies/policy.format.js';
import {
  evaluateCredential,
  evaluateFunding,
  evaluatePlanContent,
  evaluateSessionRate,
  evaluateSessionsPerTeacher,
  evaluateStaffing,
  evaluateTarget,
  judgeHours,
  notApplicable,
  planHours,
  policyClock,
  selectedOn,
  staffingApplies,
  type Clock,
  type HoursPlan,
  type RuleResult,
} from '../policies/policy.evaluate.js';
import { minDate, resolveWindow, yearOf } from '../policies/policy.windows.js';
import * as repo from './compliance.repository.js';
import { targetFigures, type TargetFigures } from './target-figures.js';
import { fundFigures, fundMetric, withFundOverride } from '../funds/figures.js';
import type { OrgFacts, TeacherRowFacts } from './compliance.repository.js';

export interface Subject {
  type: SubjectType;
  id: number;
  name: string;
  orgPath: string;
  teacher?: TeacherRowFacts;
  /** Region results computed for a drill-down child rather than for an evaluation root. */
  breakdown?: boolean;
}

export interface Outcome {
  rule: Rule;
  subject: Subject;
  result: RuleResult;
}

export type Sink = (o: Outcome) => void;

export interface TeacherFilter {
  stage?: string;
  subject?: string;
  role?: string;
}

export interface EngineInput {
  policy: Policy;
  asOf: string;
  /** Where the evaluation starts (its subtree is evaluated). */
  root: OrgFacts;
  /** The policy's region (the org it is attached to). Region targets are judged only when root is the region. */
  region: OrgFacts;
  /** The org tree under root (from loadOrgs). */
  orgs: OrgFacts[];
  /** Non-root nodes that also get region-level results (the dashboard's drill-down children). */
  breakdownNodes?: OrgFacts[];
  filter?: TeacherFilter;
  /** Only these teachers (teacher status page); otherwise every active teacher under root. */
  teacherIds?: number[];
  /** Only teacher-level rules (teacher page, school worklist). */
  teacherRulesOnly?: boolean;
  /** Where hours come from: the per-year roll-ups (default, 'auto'/'rollup') or the raw ledger ('ledger', a recomputation from scratch). */
  hoursSource?: 'auto' | 'rollup' | 'ledger';
  /** Teachers and hours already fetched for several policies at the same root (see prepareShared). */
  shared?: SharedFacts;
}

/** Facts fetched once for several policies evaluated at the same root (worklists, a teacher's page). */
export interface SharedFacts {
  /** The roster date the teachers were loaded for: a policy whose clock is on another day loads its own. */
  on: string;
  teachers: TeacherRowFacts[];
  hours: { index: Map<string, number>; values: Promise<Map<number, number[]>> };
}

/**
 * Load the teachers under root and every shared-window hours measure of the given policies in one
 * pass each, for evaluatePolicy({ shared }) of each policy.
 */
export async function prepareShared(q: Queryable, policies: Policy[], root: OrgFacts, asOf: string, teacherIds?: number[]): Promise<SharedFacts> {
  const index = new Map<string, number>();
  const measures: repo.HoursMeasure[] = [];
  const on = policies.length ? policyClock(policies[0], asOf).on : asOf;
  for (const policy of policies) {
    if (policyClock(policy, asOf).on !== on) continue;
    const g = globalHoursMeasures(
      policy.rules.filter((r): r is HoursRule => r.kind === 'hours'),
      policy,
      policyClock(policy, asOf),
    );
    for (const [key, i] of g.index) {
      if (index.has(key)) continue;
      index.set(key, measures.length);
      measures.push(g.measures[i]);
    }
  }
  const pop: repo.Population = { rootPath: root.path, on, teacherIds };
  const ids = measures.length ? await repo.rosterIds(q, pop) : [];
  const values = measures.length ? repo.measureFromRollups(q, { ...pop, ids }, measures) : Promise.resolve(new Map<number, number[]>());
  values.catch(() => undefined);
  const teachers = await repo.loadTeachers(q, pop, teacherIds !== undefined || root.kind === 'school');
  return { on, teachers, hours: { index, values } };
}

function passesFilter(t: TeacherRowFacts, f: TeacherFilter | undefined, on: string): boolean {
  if (!f) return true;
  if (f.stage && t.stage !== f.stage) return false;
  if (f.subject && !t.subjects.includes(f.subject)) return false;
  if (f.role && !t.roles.some((r) => r.role === f.role && (r.since === null || r.since <= on) && (r.until === null || r.until >= on))) return false;
  return true;
}

const under = (path: string, root: string) => path.startsWith(root);

/**
 * Let other requests run between rules: a city's pass over 50,000 teachers for one rule takes tens of
 * milliseconds, all rules together most of a second of this thread (a background recomputation too).
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Evaluate a policy; returns the teachers considered (for callers that present them). */
export async function evaluatePolicy(q: Queryable, input: EngineInput, sink: Sink): Promise<{ teachers: TeacherRowFacts[]; clock: Clock }> {
  const { policy, asOf, root } = input;
  const clock = policyClock(policy, asOf);
  const rules = input.teacherRulesOnly ? policy.rules.filter((r) => ruleSubject(r) === 'teacher') : policy.rules;
  const needTeachers = rules.some((r) => ['hours', 'credential', 'staffing', 'participation'].includes(r.kind));
  // Start the hours aggregate first: its windows do not depend on the teachers, so on PostgreSQL it
  // runs on a second connection while the teachers load.
  const hoursRules = rules.filter((r): r is HoursRule => r.kind === 'hours');
  let global: { index: Map<string, number>; values: Promise<Map<number, number[]>> };
  let teachers: TeacherRowFacts[];
  if (input.shared && input.shared.on === clock.on) {
    global = input.shared.hours;
    teachers = input.shared.teachers;
  } else {
    const g = globalHoursMeasures(hoursRules, policy, clock);
    // Roll-ups by default: a few index pages per teacher instead of hundreds of ledger rows (the ledger is the
    // biggest table and rarely cached); 'ledger' recomputes from scratch (tests and the benchmark compare both).
    const source = input.hoursSource === 'ledger' ? 'ledger' : 'rollup';
    const pop: repo.Population = { rootPath: root.path, on: clock.on, teacherIds: input.teacherIds };
    const small = (input.teacherIds !== undefined && input.teacherIds.length <= 200) || root.kind === 'school';
    const measure = (ids: number[]) =>
      source === 'rollup' ? repo.measureFromRollups(q, { ...pop, ids }, g.measures) : repo.measureFromLedger(q, { ...pop, ids }, g.measures);
    // PGlite runs one query at a time: the teachers first, and the hours aggregates filter on their ids (the roster
    // is not resolved twice). PostgreSQL: the roster's ids (a short query), then the aggregates run on a second
    // connection while the teachers load.
    const serial = (q as Partial<Db>).kind === 'pglite' && needTeachers;
    teachers = serial ? await repo.loadTeachers(q, pop, small) : [];
    const values = !g.measures.length
      ? Promise.resolve(new Map<number, number[]>())
      : measure(serial ? teachers.map((t) => t.id) : await repo.rosterIds(q, pop));
    values.catch(() => undefined); // awaited below; avoid an unhandled rejection if loading teachers fails first
    global = { index: g.index, values };
    if (!serial) teachers = needTeachers ? await repo.loadTeachers(q, pop, small) : [];
  }
  const selected = teachers.filter((t) => passesFilter(t, input.filter, clock.on));
  // One subject object per teacher, shared by all of that teacher's outcomes (a city has ~50,000).
  const subjects = new Map<number, Subject>();
  const subjectOf = (t: TeacherRowFacts): Subject => {
    let x = subjects.get(t.id);
    if (!x) subjects.set(t.id, (x = { type: 'teacher', id: t.id, name: t.name, orgPath: t.orgPath, teacher: t }));
    return x;
  };

  await evaluateHoursRules(q, input, clock, hoursRules, selected, subjectOf, sink, global);

  const credentialRules = rules.filter((r) => r.kind === 'credential');
  if (credentialRules.length && selected.length) {
    // Judged on the credentials valid on the evaluation day (loadTeachers read them from their periods).
    for (const rule of credentialRules) {
      selected.forEach((t) => sink({ rule, subject: subjectOf(t), result: evaluateCredential(rule, t, policy, asOf) }));
      await breathe();
    }
  }

  for (const rule of rules) {
    if (rule.kind !== 'participation') continue;
    await evaluateParticipation(q, input, clock, rule, teachers, selected, subjectOf, sink);
    await breathe();
  }
  if (input.teacherRulesOnly) return { teachers: selected, clock };

  const schools = input.orgs.filter((o) => o.kind === 'school' && under(o.path, root.path));
  const byOrg = new Map<number, TeacherRowFacts[]>();
  for (const t of teachers) {
    const list = byOrg.get(t.orgId);
    if (list) list.push(t);
    else byOrg.set(t.orgId, [t]);
  }
  const orgById = new Map(input.orgs.map((o) => [o.id, o]));
  const regionNodes: { node: OrgFacts; breakdown: boolean }[] = [
    { node: root, breakdown: false },
    ...(input.breakdownNodes ?? []).map((node) => ({ node, breakdown: true })),
  ];
  const regionSubject = (n: { node: OrgFacts; breakdown: boolean }): Subject => ({
    type: 'region',
    id: n.node.id,
    name: n.node.name,
    orgPath: n.node.path,
    breakdown: n.breakdown,
  });

  for (const rule of rules) {
    if (rule.kind === 'staffing') {
      if (rule.per === 'school') {
        for (const s of schools) {
          if (!staffingApplies(rule, s.stage)) continue;
          sink({
            rule,
            subject: { type: 'school', id: s.id, name: s.name, orgPath: s.path },
            result: evaluateStaffing(rule, { teachers: byOrg.get(s.id) ?? [] }, policy, asOf),
          });
        }
      } else {
        const stageOk = (orgId: number) => staffingApplies(rule, orgById.get(orgId)?.stage ?? null);
        const eligible = rule.schools?.stage ? teachers.filter((t) => stageOk(t.orgId)) : teachers;
        for (const n of regionNodes) {
          const ts = eligible.filter((t) => under(t.orgPath, n.node.path));
          sink({ rule, subject: regionSubject(n), result: evaluateStaffing(rule, { teachers: ts }, policy, asOf) });
        }
      }
    } else if (rule.kind === 'target') {
      if (root.id !== input.region.id) {
        sink({
          rule,
          subject: regionSubject(regionNodes[0]),
          result: notApplicable(`区域目标，在${input.region.name}层面统计`),
        });
        continue;
      }
      sink({
        rule,
        subject: regionSubject(regionNodes[0]),
        result: await targetValues(q, rule, root, clock).then((f) => evaluateTarget(rule, f.values, policy, asOf, f.overrides)),
      });
    } else if (rule.kind === 'funding') {
      const wr = resolveWindow(rule.window, policy.period, clock.on);
      const year = wr.ok ? yearOf(wr.window.from) : yearOf(clock.on);
      const figures = await repo.fundingFigures(q, root.path, year, [rule.numerator, rule.denominator]);
      // Issue 14: the funds module's entries (and bases, overrides) come first; typed figures only where it has none.
      const funds = await fundFigures(q, root.path, year);
      const facts = (o: OrgFacts) => {
        const f = figures.get(o.id);
        const get = (m: string) =>
          fundMetric(funds.get(o.id), m) ?? f?.get(m) ?? (m === 'publicFundBudget' && o.publicFundBudget !== null ? o.publicFundBudget : null);
        return { numerator: get(rule.numerator), denominator: get(rule.denominator) };
      };
      const targets =
        rule.per === 'school'
          ? schools.filter((s) => staffingApplies({ schools: rule.schools } as never, s.stage)).map((o) => ({ o, type: 'school' as const }))
          : rule.per === 'county'
            ? input.orgs.filter((o) => o.level === 'county' && o.kind === 'bureau' && under(o.path, root.path)).map((o) => ({ o, type: 'county' as const }))
            : [{ o: root, type: 'region' as const }];
      for (const { o, type } of targets)
        sink({
          rule,
          subject: { type, id: o.id, name: o.name, orgPath: o.path },
          result: withFundOverride(evaluateFunding(rule, facts(o), policy, asOf), funds.get(o.id)),
        });
    } else if (rule.kind === 'planContent') {
      const wr = resolveWindow(rule.window, policy.period, clock.on);
      if (!wr.ok) continue;
      const projects = await repo.projectsWithModules(q, root.path, {
        from: wr.window.from,
        to: minDate(wr.window.to, clock.on),
        forms: rule.projects?.forms,
        levels: rule.projects?.levels,
      });
      for (const p of projects)
        sink({ rule, subject: { type: 'project', id: p.projectId, name: p.name, orgPath: p.orgPath }, result: evaluatePlanContent(rule, p, policy, asOf) });
    }
  }
  return { teachers: selected, clock };
}

async function targetValues(q: Queryable, rule: Extract<Rule, { kind: 'target' }>, root: OrgFacts, clock: Clock): Promise<TargetFigures> {
  const y = yearOf(clock.on);
  return targetFigures(q, rule.metric, root, rule.years?.from ?? y, Math.min(rule.years?.to ?? y, y), clock.on);
}

/**
 * The measures (SQL columns) of the hours rules whose window is the same for every teacher, keyed
 * by categories and dates so rules sharing a window share a column. Known before any teacher is
 * loaded, so the one GROUP BY can run while the teachers load.
 */
export function globalHoursMeasures(rules: HoursRule[], policy: Policy, clock: Clock): { measures: repo.HoursMeasure[]; index: Map<string, number> } {
  const measures: repo.HoursMeasure[] = [];
  const index = new Map<string, number>();
  if (clock.state === 'notStarted') return { measures, index };
  for (const rule of rules) {
    if (rule.window.afterHire || rule.unit === 'days' || rule.atLeast === null) continue;
    const w = resolveWindow(rule.window, policy.period, clock.on);
    if (!w.ok) continue;
    const cats = rule.categories === 'any' ? null : [...rule.categories];
    const forms = rule.forms ? [...rule.forms] : null;
    const key = measureKey(cats, w.window.from, minDate(w.window.to, clock.on), forms);
    if (!index.has(key)) {
      index.set(key, measures.length);
      measures.push({ categories: cats, from: w.window.from, to: minDate(w.window.to, clock.on), forms });
    }
  }
  return { measures, index };
}

const measureKey = (cats: string[] | null, from: string, to: string, forms: string[] | null) =>
  `${cats?.join(',') ?? '*'}|${from}|${to}|${forms?.join(',') ?? '*'}`;

async function evaluateHoursRules(
  q: Queryable,
  input: EngineInput,
  clock: Clock,
  rules: HoursRule[],
  teachers: TeacherRowFacts[],
  subjectOf: (t: TeacherRowFacts) => Subject,
  sink: Sink,
  global: { index: Map<string, number>; values: Promise<Map<number, number[]>> },
): Promise<void> {
  if (!rules.length) return;
  const values = await global.values;
  if (!teachers.length) return;
  const { policy } = input;
  const perTeacher = new Map<HoursRule, { t: TeacherRowFacts; plan: HoursPlan }[]>();
  for (const rule of rules) {
    const cats = rule.categories === 'any' ? null : [...rule.categories];
    const shared = rule.window.afterHire ? undefined : resolveWindow(rule.window, policy.period, clock.on);
    // Every teacher of a shared-window rule reads the same measure column.
    const m = shared?.ok
      ? global.index.get(measureKey(cats, shared.window.from, minDate(shared.window.to, clock.on), rule.forms ? [...rule.forms] : null))
      : undefined;
    for (const t of teachers) {
      const p = planHours(rule, t, policy, clock, shared);
      if ('skip' in p) {
        sink({ rule, subject: subjectOf(t), result: p.skip });
        continue;
      }
      if (rule.window.afterHire || rule.unit === 'days') {
        const list = perTeacher.get(rule) ?? [];
        list.push({ t, plan: p.plan });
        perTeacher.set(rule, list);
        continue;
      }
      if (m === undefined) throw new Error(`hours measure missing for rule ${rule.id}`);
      sink({ rule, subject: subjectOf(t), result: judgeHours(rule, p.plan, values.get(t.id)?.[m] ?? 0, clock) });
    }
    await breathe();
  }
  for (const [rule, list] of perTeacher) {
    const cats = rule.categories === 'any' ? null : [...rule.categories];
    const done = await repo.measurePerTeacherWindows(
      q,
      { rootPath: input.root.path, on: clock.on },
      list.map((x) => ({ teacherId: x.t.id, from: x.plan.countFrom, to: x.plan.countTo })),
      cats,
      rule.unit,
      rule.forms ? [...rule.forms] : null,
    );
    for (const x of list) sink({ rule, subject: subjectOf(x.t), result: judgeHours(rule, x.plan, done.get(x.t.id) ?? 0, clock) });
  }
}

async function evaluateParticipation(
  q: Queryable,
  input: EngineInput,
  clock: Clock,
  rule: ParticipationRule,
  allTeachers: TeacherRowFacts[],
  selected: TeacherRowFacts[],
  subjectOf: (t: TeacherRowFacts) => Subject,
  sink: Sink,
): Promise<void> {
  const { policy, asOf, root } = input;
  const wr = resolveWindow(rule.window, policy.period, clock.on);
  if (!wr.ok) return;
  const w = wr.window;
  const sessions = await repo.qualifyingSessions(q, {
    ownerRootPath: rule.trainings.owner === 'region' ? input.region.path : null,
    forms: rule.trainings.forms,
    levels: rule.trainings.levels,
    from: w.from,
    to: minDate(w.to, clock.on),
    scopePath: input.region.path.startsWith(root.path) ? root.path : input.region.path,
  });
  const attendance = await repo.attendanceByTeacher(
    q,
    { rootPath: root.path, on: clock.on, teacherIds: input.teacherIds },
    sessions.map((s) => s.sessionId),
  );
  if (rule.measure === 'sessionsPerTeacher') {
    for (const t of selected) sink({ rule, subject: subjectOf(t), result: evaluateSessionsPerTeacher(rule, t, attendance.get(t.id)?.size ?? 0, policy, asOf) });
    return;
  }
  if (input.teacherRulesOnly) return;
  const nodes = [{ node: root, breakdown: false }, ...(input.breakdownNodes ?? []).map((node) => ({ node, breakdown: true }))];
  for (const n of nodes) {
    const pop = allTeachers.filter((t) => t.orgPath.startsWith(n.node.path) && selectedOn(rule.who, t, clock.on, policy.period));
    const counts = new Map<number, number>();
    for (const t of pop) for (const s of attendance.get(t.id) ?? []) counts.set(s, (counts.get(s) ?? 0) + 1);
    const facts = sessions.map((s) => ({ ...s, attended: counts.get(s.sessionId) ?? 0 }));
    sink({
      rule,
      subject: { type: 'region', id: n.node.id, name: n.node.name, orgPath: n.node.path, breakdown: n.breakdown },
      result: evaluateSessionRate(rule, facts, pop.length, policy, asOf),
    });
  }
}
