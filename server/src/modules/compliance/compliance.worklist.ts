/**
 * The worklist (teachers of an org with unmet teacher rules, most urgent first), one teacher's status, and
 * 仍需此类培训 (teachersShortOn, for nomination candidates): per-teacher views of the evaluation.
 */
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { piiViewOf, viewNationalIdMask } from '../../platform/pii-view.js';
import { notFound } from '../../platform/errors.js';
import type { Rule } from '../policies/policy.format.js';
import { ensureSeedPolicies, policiesInForceAt, policyForEvaluation, type LoadedPolicy } from '../policies/policies.service.js';
import { evaluatePolicy, prepareShared, type Outcome } from './compliance.engine.js';
import * as repo from './compliance.repository.js';
import type { OrgFacts } from './compliance.repository.js';
import { toResultDto, type ResultDto } from './compliance.summary.js';
import { isOpen, URGENCY_RANK, urgencyOf, type Urgency } from '../policies/policy.status.js';
import { evaluationRoots, orgInScope, requireReader } from './compliance.scope.js';
import { todayInChina } from '../../platform/china-time.js';

export interface WorkItem extends ResultDto {
  policyId: number;
  policyTitle: string;
  ruleId: string;
  ruleTitle: string;
  unit: string;
  horizon: 'year' | 'cycle' | 'standing';
  cite: Rule['cite'] & { file: string };
  assumptions: string[];
}

function workItem(lp: LoadedPolicy, rule: Rule, r: ResultDto, horizon: WorkItem['horizon']): WorkItem {
  return {
    ...r,
    policyId: lp.id,
    policyTitle: lp.policy.title,
    ruleId: rule.id,
    ruleTitle: rule.title,
    unit: rule.kind === 'hours' ? (rule.unit === 'days' ? '天' : '学时') : rule.kind === 'participation' ? '场次' : '',
    horizon,
    cite: { ...rule.cite, file: rule.cite.file ?? lp.policy.source.file },
    assumptions: rule.assumptions ?? [],
  };
}

const horizonOf = (o: Outcome): WorkItem['horizon'] => (o.result.window ? o.result.window.horizon : 'standing');
export const byDeadline = (a: { deadline: string | null }, b: { deadline: string | null }) =>
  (a.deadline ?? '9999') < (b.deadline ?? '9999') ? -1 : (a.deadline ?? '9999') > (b.deadline ?? '9999') ? 1 : 0;
/** Unmet first, most urgent first (未达标, 临期, behind pace, on pace), then no data, then met; each by deadline. */
const STATUS_RANK = { overdue: 0, dueSoon: 1, inProgress: 2, noData: 3, compliant: 4, notApplicable: 5 } as const;
export const byUrgency = (a: Pick<WorkItem, 'status' | 'pace' | 'deadline'>, b: Pick<WorkItem, 'status' | 'pace' | 'deadline'>) =>
  STATUS_RANK[a.status] - STATUS_RANK[b.status] || Number(!!b.pace?.behind) - Number(!!a.pace?.behind) || byDeadline(a, b);

async function policiesFor(ctx: AppContext, user: CurrentUser, path: string, policyId?: number): Promise<LoadedPolicy[]> {
  await ensureSeedPolicies(ctx.db);
  if (policyId) return [await policyForEvaluation(ctx, user, policyId)];
  return policiesInForceAt(ctx.db, path);
}

export interface WorklistQuery {
  orgId?: number;
  policyId?: number;
  asOf?: string;
  show?: 'attention' | 'onPace' | 'all';
  page: number;
  pageSize: number;
}

/**
 * The teachers of an org with an unmet teacher rule of the policies in force there, each with what they
 * still need, most urgent first: 未达标 (deadline passed), then 临期, then 进行中 behind a linear pace, each
 * by earliest deadline. Teachers whose unmet requirements are all 进行中 on pace are not failures: they
 * are listed only with show=onPace (or all). `counts` gives the teachers of each urgency.
 */
export async function worklist(ctx: AppContext, user: CurrentUser, query: WorklistQuery) {
  requireReader(user);
  const display = await orgInScope(ctx, user, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  const lps = await policiesFor(ctx, user, display.path, query.policyId);
  const byTeacher = new Map<
    number,
    { teacher: { id: number; name: string; orgId: number; orgName: string; nationalIdMask: string; stage: string; subjects: string[] }; items: WorkItem[] }
  >();
  const orgNames =
    display.kind === 'school' ? new Map([[display.id, display.name]]) : new Map((await repo.loadOrgs(ctx.db, display.path)).map((o) => [o.id, o.name]));
  const rootsOf = await Promise.all(lps.map((lp) => evaluationRoots(ctx.db, display, lp.attachments)));
  // Policies in force here share the root (the displayed org): fetch its teachers and hours once.
  const atDisplay = lps.filter((_, i) => rootsOf[i].some((r) => r.root.id === display.id)).map((lp) => lp.policy);
  const shared = atDisplay.length > 1 ? await prepareShared(ctx.db, atDisplay, display, asOf) : undefined;
  // Policies are independent: evaluate them concurrently (separate pool connections on PostgreSQL).
  await Promise.all(
    lps.map(async (lp, i) => {
      for (const { root, region } of rootsOf[i]) {
        const orgs = root.id === display.id ? [display] : await repo.loadOrgs(ctx.db, root.path);
        await evaluatePolicy(
          ctx.db,
          { policy: lp.policy, asOf, root, region, orgs, teacherRulesOnly: true, shared: root.id === display.id ? shared : undefined },
          (o) => {
            if (!isOpen(o.result.status) || !o.subject.teacher) return;
            const t = o.subject.teacher;
            let e = byTeacher.get(t.id);
            if (!e)
              byTeacher.set(
                t.id,
                (e = {
                  teacher: {
                    id: t.id,
                    name: t.name,
                    orgId: t.orgId,
                    orgName: orgNames.get(t.orgId) ?? '',
                    nationalIdMask: viewNationalIdMask(t.nationalIdMask, piiViewOf(user)),
                    stage: t.stage,
                    subjects: t.subjects,
                  },
                  items: [],
                }),
              );
            e.items.push(workItem(lp, o.rule, toResultDto(o.result), horizonOf(o)));
          },
        );
      }
    }),
  );
  const counts: Record<Urgency, number> = { overdue: 0, dueSoon: 0, behind: 0, onPace: 0 };
  const everyone = [...byTeacher.values()].map((e) => {
    e.items.sort(byUrgency);
    const urgency = e.items.map((i) => urgencyOf(i) ?? 'onPace').reduce((a, b) => (URGENCY_RANK[b] < URGENCY_RANK[a] ? b : a));
    counts[urgency]++;
    // The deadline that makes the teacher this urgent (the earliest among the items of that urgency).
    const deadline = e.items.filter((i) => urgencyOf(i) === urgency).sort(byDeadline)[0]?.deadline ?? null;
    return { ...e, urgency, earliestDeadline: deadline };
  });
  const show = query.show ?? 'attention';
  const all = everyone.filter((e) => (show === 'all' ? true : show === 'onPace' ? e.urgency === 'onPace' : e.urgency !== 'onPace'));
  all.sort(
    (a, b) =>
      URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
      byDeadline({ deadline: a.earliestDeadline }, { deadline: b.earliestDeadline }) ||
      b.items.length - a.items.length ||
      a.teacher.id - b.teacher.id,
  );
  const start = (query.page - 1) * query.pageSize;
  return {
    org: { id: display.id, name: display.name, level: display.level, kind: display.kind },
    asOf,
    policies: lps.map((lp) => ({ id: lp.id, title: lp.policy.title, version: lp.version })),
    show,
    counts,
    total: all.length,
    page: query.page,
    pageSize: query.pageSize,
    items: all.slice(start, start + query.pageSize),
  };
}

/**
 * What one teacher still needs, this year and this cycle, under every policy in force at their
 * school, with each rule's source text. A teacher may read only their own.
 */
export async function teacherStatus(ctx: AppContext, user: CurrentUser, teacherId: number, asOf = todayInChina()) {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
  } else requireReader(user);
  const scope = user.role === 'teacher' ? user.orgPath : user.scopePath;
  const found = await repo.teacherInScope(ctx.db, teacherId, scope);
  if (!found) throw notFound('教师');
  const { teacher: row, school } = found;
  const lps = await policiesFor(ctx, user, row.path);
  // The one teacher (in scope, checked above) wherever they worked on the date: a past date finds them at the
  // school of that date (the roster query is limited to this teacher id).
  const root: OrgFacts = { ...school, path: '/' };
  const shared = lps.length
    ? await prepareShared(
        ctx.db,
        lps.map((lp) => lp.policy),
        root,
        asOf,
        [teacherId],
      )
    : undefined;
  const policies = await Promise.all(
    lps.map(async (lp) => {
      const items: WorkItem[] = [];
      const a = lp.attachments.filter((x) => row.path.startsWith(x.org_path)).sort((x, y) => y.org_path.length - x.org_path.length)[0];
      // Only id, name and path of the region are used for teacher rules: no need to load it.
      const region: OrgFacts = {
        id: a.org_id,
        code: a.org_code,
        name: a.org_name,
        level: a.org_level,
        kind: 'bureau',
        stage: null,
        parentId: null,
        path: a.org_path,
        publicFundBudget: null,
      };
      await evaluatePolicy(ctx.db, { policy: lp.policy, asOf, root, region, orgs: [school], teacherIds: [teacherId], teacherRulesOnly: true, shared }, (o) => {
        if (o.result.status !== 'notApplicable') items.push(workItem(lp, o.rule, toResultDto(o.result), horizonOf(o)));
      });
      items.sort(byUrgency);
      return { id: lp.id, key: lp.key, title: lp.policy.title, version: lp.version, items };
    }),
  );
  const flat = policies.flatMap((p) => p.items);
  const pick = (h: WorkItem['horizon']) => flat.filter((i) => i.horizon === h);
  return {
    teacher: { id: row.id, name: row.name, orgId: row.org_id, orgName: school.name },
    asOf,
    thisYear: pick('year'),
    thisCycle: pick('cycle'),
    standing: pick('standing'),
    /** Unmet requirements (未达标 + 临期 + 进行中), and of them those past their deadline. */
    outstanding: flat.filter((i) => isOpen(i.status)).length,
    overdue: flat.filter((i) => i.status === 'overdue').length,
    policies,
  };
}

/**
 * 仍需此类培训: the teachers (with their school) of an org (in the caller's scope) with an unmet hours rule that counts any of
 * these categories (a rule of 'any' category counts them all), under every policy in force there. Used to
 * filter nomination candidates; same evaluation and access as the worklist.
 */
export async function teachersShortOn(ctx: AppContext, user: CurrentUser, orgId: number, categories: readonly string[]): Promise<Map<number, number>> {
  const wl = await worklist(ctx, user, { orgId, show: 'all', page: 1, pageSize: 1_000_000 });
  const display = await orgInScope(ctx, user, orgId);
  const counting = new Set<string>();
  for (const lp of await policiesFor(ctx, user, display.path))
    for (const rule of lp.policy.rules)
      if (rule.kind === 'hours' && (rule.categories === 'any' || rule.categories.some((c) => categories.includes(c)))) counting.add(`${lp.id}:${rule.id}`);
  // teacher id → the teacher's school
  const short = new Map<number, number>();
  for (const e of wl.items) if (e.items.some((i) => counting.has(`${i.policyId}:${i.ruleId}`))) short.set(e.teacher.id, e.teacher.orgId);
  return short;
}
