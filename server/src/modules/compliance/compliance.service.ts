import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { CATEGORIES } from '../../platform/vocab.js';
import { ruleSubject, type Policy, type Rule } from '../policies/policy.format.js';
import { ensureSeedPolicies, policiesInForceAt, policyForEvaluation, readScope, type LoadedPolicy } from '../policies/policies.service.js';
import type { AttachmentRow } from '../policies/policies.repository.js';
import { evaluatePolicy, prepareShared, type Outcome, type TeacherFilter } from './compliance.engine.js';
import * as repo from './compliance.repository.js';
import type { OrgFacts } from './compliance.repository.js';
import { SummaryBuilder, toResultDto, type ResultDto, type SummaryBody } from './compliance.summary.js';

/** Today in China (UTC+8): the default evaluation date. */
export function todayInChina(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Admin roles read compliance of their subtree; institutions do not; teachers only their own status. */
function requireReader(user: CurrentUser): void {
  if (!can(user, 'hours.readOthers')) throw forbidden('无权查看合规情况');
}

async function orgInScope(ctx: AppContext, user: CurrentUser, orgId: number | undefined): Promise<OrgFacts> {
  const org = await repo.loadOrgInScope(ctx.db, orgId ?? user.orgId, readScope(user));
  if (!org) throw notFound('组织');
  return org;
}

async function orgFacts(q: Queryable, path: string): Promise<OrgFacts> {
  const o = await repo.loadOrg(q, path);
  if (!o) throw notFound('组织');
  return o;
}

/**
 * Where to evaluate a policy for a displayed org X: each attachment A inside X is a root of its own
 * (region A); if X lies inside A, X is the root (region A). Unattached policies are previewed at X.
 */
async function evaluationRoots(q: Queryable, display: OrgFacts, attachments: (Pick<AttachmentRow, 'org_path'> & Partial<AttachmentRow>)[]): Promise<{ root: OrgFacts; region: OrgFacts }[]> {
  if (!attachments.length) return [{ root: display, region: display }];
  const out: { root: OrgFacts; region: OrgFacts }[] = [];
  const above = attachments.filter((a) => display.path.startsWith(a.org_path)).sort((a, b) => b.org_path.length - a.org_path.length)[0];
  if (above) {
    // The region above is used for its id, name and path only (region targets, the region's own trainings).
    const region =
      above.org_path === display.path
        ? display
        : above.org_id !== undefined && above.org_name !== undefined
          ? { id: above.org_id, code: above.org_code ?? '', name: above.org_name, level: above.org_level ?? '', kind: 'bureau', stage: null, parentId: null, path: above.org_path, publicFundBudget: null }
          : await orgFacts(q, above.org_path);
    out.push({ root: display, region });
  }
  for (const a of attachments) {
    if (a.org_path !== display.path && a.org_path.startsWith(display.path)) {
      // Skip an attachment nested inside another one already covered.
      if (out.some((r) => a.org_path.startsWith(r.root.path))) continue;
      const f = await orgFacts(q, a.org_path);
      out.push({ root: f, region: f });
    }
  }
  return out;
}

export interface SummaryQuery {
  policyId: number;
  orgId?: number;
  asOf?: string;
  version?: number;
  stage?: string;
  subject?: string;
  role?: string;
  /** Recompute even if a cached summary is still valid. */
  refresh?: boolean;
}

export interface SummaryDto extends SummaryBody {
  policy: { id: number; key: string; title: string; version: number; versionId: number };
  org: { id: number; code: string; name: string; level: string; kind: string };
  asOf: string;
  policyState: 'notStarted' | 'active' | 'ended';
  evaluatedOn: string;
  filters: TeacherFilter;
  roots: { id: number; name: string }[];
  runId: number | null;
  durationMs: number;
  /** When these numbers were computed, and whether this response reused them (see summary()). */
  computedAt: string;
  cached: boolean;
}

/** Evaluate a loaded policy for a displayed org (shared by the API, the export and the CLI). */
export async function summarizePolicy(
  q: Queryable,
  lp: Pick<LoadedPolicy, 'id' | 'key' | 'version' | 'versionId' | 'policy' | 'attachments'>,
  display: OrgFacts,
  asOf: string,
  filter: TeacherFilter = {},
  opts: { hoursSource?: 'auto' | 'rollup' | 'ledger'; extraSink?: (o: Outcome) => void } = {},
): Promise<SummaryDto> {
  const started = performance.now();
  const subtree = await repo.loadOrgs(q, display.path);
  // Drill-down children: sub-bureaus, districts and schools (centres and institutions hold no teachers).
  const childOrgs = subtree.filter((o) => o.parentId === display.id && ['bureau', 'school', 'district', 'eduGroup'].includes(o.kind));
  const builder = new SummaryBuilder(display, childOrgs, lp.policy.rules);
  const sink = opts.extraSink ? (o: Outcome) => (builder.sink(o), opts.extraSink!(o)) : builder.sink;
  const roots = await evaluationRoots(q, display, lp.attachments);
  let state: SummaryDto['policyState'] = 'active';
  let on = asOf;
  for (const { root, region } of roots) {
    const orgs = root.id === display.id ? subtree : await repo.loadOrgs(q, root.path);
    const breakdownNodes = root.path.length <= display.path.length ? childOrgs : [];
    const r = await evaluatePolicy(q, { policy: lp.policy, asOf, root, region, orgs, breakdownNodes, filter, hoursSource: opts.hoursSource }, sink);
    state = r.clock.state;
    on = r.clock.on;
  }
  const body = builder.build();
  return {
    policy: { id: lp.id, key: lp.key, title: lp.policy.title, version: lp.version, versionId: lp.versionId },
    org: { id: display.id, code: display.code, name: display.name, level: display.level, kind: display.kind },
    asOf,
    policyState: state,
    evaluatedOn: on,
    filters: filter,
    roots: roots.map((r) => ({ id: r.root.id, name: r.root.name })),
    runId: null,
    durationMs: Math.round(performance.now() - started),
    computedAt: new Date().toISOString(),
    cached: false,
    ...body,
  };
}

/** The stored record of a run: totals only (no per-teacher rows), enough to redraw a trend. */
function runRecord(s: SummaryDto) {
  return {
    rules: s.rules.map((r) => ({ id: r.id, totals: r.totals, status: r.result?.status ?? null })),
    children: s.children.filter((c) => c.type === 'org').map((c) => ({ id: c.id, name: c.name, totals: (c as { totals: unknown }).totals })),
    teachers: s.teachers,
    policyState: s.policyState,
  };
}

// ---- summary cache: a city-wide evaluation takes a second or more; the dashboard repaints often.
// A summary is reused while nothing it reads has changed (ledger, teachers and roles, orgs, projects,
// targets, funding, policies — one cheap query) and for at most CACHE_TTL_MS (attendance changes are
// caught by the TTL). Keys include the policy version, org, date and filters; scope is checked before.
const CACHE_TTL_MS = 10 * 60_000;
const summaryCache = new WeakMap<Queryable, Map<string, { at: number; mark: string; summary: SummaryDto }>>();

async function dataWatermark(q: Queryable): Promise<string> {
  const r = await q.query(
    `SELECT (SELECT max(id) FROM ledger_entries) AS l, (SELECT max(updated_at) FROM teachers)::text AS t, (SELECT count(*) FROM teachers) AS tc,
            (SELECT count(*) FROM teacher_roles) AS rc, (SELECT count(*) FROM orgs) AS o, (SELECT max(id) FROM projects) AS p,
            (SELECT max(id) FROM project_sessions) AS s, (SELECT max(id) FROM target_counts) AS tg, (SELECT max(id) FROM funding_figures) AS f,
            (SELECT count(*) FROM policy_attachments) AS a, (SELECT max(id) FROM policy_versions) AS v`,
  );
  return JSON.stringify(r.rows[0]);
}

/** A summary from the cache when still valid, else computed (and cached). */
async function cachedSummary(
  q: Queryable,
  lp: LoadedPolicy,
  display: OrgFacts,
  asOf: string,
  filter: TeacherFilter,
  refresh: boolean,
): Promise<SummaryDto> {
  let cache = summaryCache.get(q);
  if (!cache) summaryCache.set(q, (cache = new Map()));
  const key = JSON.stringify([lp.versionId, display.id, asOf, filter.stage ?? null, filter.subject ?? null, filter.role ?? null, lp.attachments.map((a) => a.org_path).sort()]);
  const mark = await dataWatermark(q);
  const hit = cache.get(key);
  if (!refresh && hit && hit.mark === mark && Date.now() - hit.at < CACHE_TTL_MS) return { ...hit.summary, cached: true };
  const s = await summarizePolicy(q, lp, display, asOf, filter);
  if (cache.size >= 200) cache.delete(cache.keys().next().value!);
  cache.set(key, { at: Date.now(), mark, summary: s });
  return s;
}

/**
 * Compliance summary per rule for an org and its children (the dashboard). Each computed summary is
 * recorded (compliance_runs) with the policy version used; a cached one carries its original run id.
 */
export async function summary(ctx: AppContext, user: CurrentUser, query: SummaryQuery): Promise<SummaryDto> {
  requireReader(user);
  const lp = await policyForEvaluation(ctx, user, query.policyId, query.version);
  const display = await orgInScope(ctx, user, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  const filter: TeacherFilter = { stage: query.stage, subject: query.subject, role: query.role };
  const s = await cachedSummary(ctx.db, lp, display, asOf, filter, query.refresh ?? false);
  if (!s.cached && s.runId === null) {
    s.runId = await repo.insertRun(ctx.db, { policyVersionId: lp.versionId, orgId: display.id, asOf, filters: filter, trigger: 'api', userId: user.id, durationMs: s.durationMs, summary: runRecord(s) });
  }
  return s;
}

/**
 * Compute, in the background after start-up, the summaries a dashboard opens with: every policy at
 * the org it is attached to, and province-level policies at each city below them.
 */
export async function warmSummaries(ctx: AppContext): Promise<number> {
  await ensureSeedPolicies(ctx.db);
  const asOf = todayInChina();
  let n = 0;
  const rows = await ctx.db.query<{ policy_id: number; org_path: string; level: string }>(
    `SELECT a.policy_id, o.path AS org_path, o.level FROM policy_attachments a JOIN orgs o ON o.id = a.org_id ORDER BY o.path`,
  );
  const system = { id: 0, username: 'system', displayName: '系统', role: 'bureauAdmin', orgId: 0, orgPath: '/', orgName: '', orgLevel: 'national', teacherId: null, scopePath: '/' } as CurrentUser;
  for (const a of rows.rows) {
    const lp = await policyForEvaluation(ctx, system, a.policy_id);
    const targets = [a.org_path];
    if (a.level === 'province' || a.level === 'national')
      targets.push(...(await ctx.db.query<{ path: string }>(`SELECT path FROM orgs WHERE path LIKE $1 || '%' AND level = 'city' AND kind = 'bureau'`, [a.org_path])).rows.map((r) => r.path));
    for (const path of targets) {
      await cachedSummary(ctx.db, lp, await orgFacts(ctx.db, path), asOf, {}, false);
      n++;
    }
  }
  return n;
}

/**
 * Per-rule share compliant at several dates (the trend chart): month or year ends by default. Each
 * point is one (cached) summary, so a repeated view costs little.
 */
export async function trend(ctx: AppContext, user: CurrentUser, query: { policyId: number; orgId?: number; dates?: string[]; stage?: string; subject?: string; role?: string }) {
  requireReader(user);
  const lp = await policyForEvaluation(ctx, user, query.policyId);
  const display = await orgInScope(ctx, user, query.orgId);
  const filter: TeacherFilter = { stage: query.stage, subject: query.subject, role: query.role };
  const today = todayInChina();
  let dates = query.dates?.length ? [...query.dates] : defaultTrendDates(lp.policy, today);
  dates = [...new Set(dates)].sort().slice(-12);
  const points = [];
  for (const asOf of dates) {
    const s = await cachedSummary(ctx.db, lp, display, asOf, filter, false);
    points.push({ asOf, teachers: s.teachers, rules: Object.fromEntries(s.rules.map((r) => [r.id, { share: r.totals.share, compliant: r.totals.compliant, shortfall: r.totals.shortfall, status: r.result?.status ?? null }])) });
  }
  return { policy: { id: lp.id, title: lp.policy.title, version: lp.version }, org: { id: display.id, name: display.name }, points };
}

/** Year ends of the policy period up to today, plus today (at most 6 points). */
export function defaultTrendDates(policy: Policy, today: string): string[] {
  const out: string[] = [];
  const last = Math.min(Number(today.slice(0, 4)), Number(policy.period.to.slice(0, 4)));
  for (let y = Number(policy.period.from.slice(0, 4)); y <= last; y++) {
    const end = `${y}-12-31`;
    if (end < today) out.push(end);
  }
  if (today <= policy.period.to) out.push(today);
  return out.slice(-6);
}

/** Recorded runs of a policy at an org, newest first (for the trend chart and reproducibility). */
export async function runs(ctx: AppContext, user: CurrentUser, policyId: number, orgId?: number) {
  requireReader(user);
  const lp = await policyForEvaluation(ctx, user, policyId);
  const display = await orgInScope(ctx, user, orgId);
  const rows = await repo.listRuns(ctx.db, readScope(user), display.id, lp.id, 200);
  return { items: rows.map((r) => ({ id: r.id, asOf: r.as_of, startedAt: r.started_at, durationMs: r.duration_ms, version: r.version, trigger: r.trigger, summary: r.summary })) };
}

// ---------------------------------------------------------------- worklist and teacher status

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
const byDeadline = (a: { deadline: string | null }, b: { deadline: string | null }) => (a.deadline ?? '9999') < (b.deadline ?? '9999') ? -1 : (a.deadline ?? '9999') > (b.deadline ?? '9999') ? 1 : 0;

async function policiesFor(ctx: AppContext, user: CurrentUser, path: string, policyId?: number): Promise<LoadedPolicy[]> {
  await ensureSeedPolicies(ctx.db);
  if (policyId) return [await policyForEvaluation(ctx, user, policyId)];
  return policiesInForceAt(ctx.db, path);
}

export interface WorklistQuery {
  orgId?: number;
  policyId?: number;
  asOf?: string;
  page: number;
  pageSize: number;
}

/**
 * The teachers of an org short of any teacher rule of the policies in force there, each with what
 * they still need, earliest deadline first.
 */
export async function worklist(ctx: AppContext, user: CurrentUser, query: WorklistQuery) {
  requireReader(user);
  const display = await orgInScope(ctx, user, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  const lps = await policiesFor(ctx, user, display.path, query.policyId);
  const byTeacher = new Map<number, { teacher: { id: number; name: string; orgId: number; orgName: string; nationalIdMask: string; stage: string; subjects: string[] }; items: WorkItem[] }>();
  const orgNames = display.kind === 'school' ? new Map([[display.id, display.name]]) : new Map((await repo.loadOrgs(ctx.db, display.path)).map((o) => [o.id, o.name]));
  const rootsOf = await Promise.all(lps.map((lp) => evaluationRoots(ctx.db, display, lp.attachments)));
  // Policies in force here share the root (the displayed org): fetch its teachers and hours once.
  const atDisplay = lps.filter((_, i) => rootsOf[i].some((r) => r.root.id === display.id)).map((lp) => lp.policy);
  const shared = atDisplay.length > 1 ? await prepareShared(ctx.db, atDisplay, display, asOf) : undefined;
  // Policies are independent: evaluate them concurrently (separate pool connections on PostgreSQL).
  await Promise.all(
    lps.map(async (lp, i) => {
      for (const { root, region } of rootsOf[i]) {
        const orgs = root.id === display.id ? [display] : await repo.loadOrgs(ctx.db, root.path);
        await evaluatePolicy(ctx.db, { policy: lp.policy, asOf, root, region, orgs, teacherRulesOnly: true, shared: root.id === display.id ? shared : undefined }, (o) => {
          if (o.result.status !== 'shortfall' || !o.subject.teacher) return;
          const t = o.subject.teacher;
          let e = byTeacher.get(t.id);
          if (!e) byTeacher.set(t.id, (e = { teacher: { id: t.id, name: t.name, orgId: t.orgId, orgName: orgNames.get(t.orgId) ?? '', nationalIdMask: t.nationalIdMask, stage: t.stage, subjects: t.subjects }, items: [] }));
          e.items.push(workItem(lp, o.rule, toResultDto(o.result), horizonOf(o)));
        });
      }
    }),
  );
  const all = [...byTeacher.values()].map((e) => {
    e.items.sort(byDeadline);
    return { ...e, earliestDeadline: e.items[0]?.deadline ?? null, overdue: e.items.some((i) => i.overdue) };
  });
  all.sort((a, b) => byDeadline({ deadline: a.earliestDeadline }, { deadline: b.earliestDeadline }) || b.items.length - a.items.length || a.teacher.id - b.teacher.id);
  const start = (query.page - 1) * query.pageSize;
  return {
    org: { id: display.id, name: display.name, level: display.level, kind: display.kind },
    asOf,
    policies: lps.map((lp) => ({ id: lp.id, title: lp.policy.title, version: lp.version })),
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
  const shared = lps.length ? await prepareShared(ctx.db, lps.map((lp) => lp.policy), school, asOf, [teacherId]) : undefined;
  const policies = await Promise.all(
    lps.map(async (lp) => {
      const items: WorkItem[] = [];
      const a = lp.attachments.filter((x) => row.path.startsWith(x.org_path)).sort((x, y) => y.org_path.length - x.org_path.length)[0];
      // Only id, name and path of the region are used for teacher rules: no need to load it.
      const region: OrgFacts = { id: a.org_id, code: a.org_code, name: a.org_name, level: a.org_level, kind: 'bureau', stage: null, parentId: null, path: a.org_path, publicFundBudget: null };
      await evaluatePolicy(
        ctx.db,
        { policy: lp.policy, asOf, root: school, region, orgs: [school], teacherIds: [teacherId], teacherRulesOnly: true, shared },
        (o) => {
          if (o.result.status !== 'notApplicable') items.push(workItem(lp, o.rule, toResultDto(o.result), horizonOf(o)));
        },
      );
      items.sort(byDeadline);
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
    outstanding: flat.filter((i) => i.status === 'shortfall').length,
    policies,
  };
}

export function assertDate(d: string | undefined, field: string): void {
  if (d !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d)))) throw badRequest('日期格式应为 YYYY-MM-DD', [{ field, message: '日期格式应为 YYYY-MM-DD' }]);
}

// ---------------------------------------------------------------- export

/** The summary as .xlsx (rules, children, and the teachers short of a rule); audited; PII masked. */
export async function exportSummary(ctx: AppContext, user: CurrentUser, query: SummaryQuery, ip?: string): Promise<{ buffer: Buffer; filename: string }> {
  requireReader(user);
  if (!can(user, 'teachers.export') && user.role !== 'devCenter') throw forbidden('无权导出');
  const lp = await policyForEvaluation(ctx, user, query.policyId, query.version);
  const display = await orgInScope(ctx, user, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  const filter: TeacherFilter = { stage: query.stage, subject: query.subject, role: query.role };
  const shortfalls: { teacher: string; mask: string; org: string; rule: string; text: string; deadline: string | null }[] = [];
  const orgNames = new Map((await repo.loadOrgs(ctx.db, display.path)).map((o) => [o.path, o.name]));
  const s = await summarizePolicy(ctx.db, lp, display, asOf, filter, {
    extraSink: (o) => {
      if (o.result.status === 'shortfall' && o.subject.teacher && shortfalls.length < 200_000)
        shortfalls.push({ teacher: o.subject.name, mask: o.subject.teacher.nationalIdMask, org: orgNames.get(o.subject.orgPath) ?? '', rule: o.rule.title, text: o.result.explanation, deadline: o.result.deadline });
    },
  });
  s.runId = await repo.insertRun(ctx.db, { policyVersionId: lp.versionId, orgId: display.id, asOf, filters: filter, trigger: 'export', userId: user.id, durationMs: s.durationMs, summary: runRecord(s) });
  const { buildSummaryWorkbook } = await import('./compliance.export.js');
  const buffer = await buildSummaryWorkbook(s, shortfalls);
  await audit(ctx.db, user, 'compliance.export', 'policy', lp.id, { orgId: display.id, asOf, version: lp.version, rows: shortfalls.length, filters: filter }, ip);
  return { buffer, filename: `合规汇总_${display.name}_${lp.key}_v${lp.version}_${asOf}.xlsx` };
}

export const categoryLabel = (c: string) => CATEGORIES[c as keyof typeof CATEGORIES] ?? c;
export type { Policy, Rule };
export { ruleSubject };
