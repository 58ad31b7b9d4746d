import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { piiViewOf, type PiiView, viewNationalIdMask } from '../../platform/pii-view.js';
import { audit } from '../../platform/audit.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { CATEGORIES } from '../../platform/vocab.js';
import { ruleSubject, type Policy, type Rule } from '../policies/policy.format.js';
import { ensureSeedPolicies, policiesInForceAt, policyForEvaluation, readScope, type LoadedPolicy } from '../policies/policies.service.js';
import type { AttachmentRow } from '../policies/policies.repository.js';
import { evaluatePolicy, prepareShared, type Outcome, type TeacherFilter } from './compliance.engine.js';
import * as repo from './compliance.repository.js';
import { limitCompute } from '../../platform/heavy.js';
import * as snapshots from './snapshots.repository.js';
import { syncDue } from '../teachers/teacher-facts.repository.js';
import type { OrgFacts } from './compliance.repository.js';
import { SummaryBuilder, toResultDto, type ResultDto, type SummaryBody } from './compliance.summary.js';
import { isOpen } from '../policies/policy.status.js';
import { evaluationRoots, orgFacts, orgInScope, requireReader } from './compliance.scope.js';
import { byDeadline } from './compliance.worklist.js';

// The worklist, one teacher's status and 仍需此类培训 live in compliance.worklist.ts; re-exported for existing importers.
export { byUrgency, teacherStatus, teachersShortOn, worklist, type WorkItem, type WorklistQuery } from './compliance.worklist.js';
import type { OpenRow } from './compliance.export.js';
import { todayInChina } from '../../platform/china-time.js';

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
  /** When these numbers were computed, whether this response reused stored ones, and whether data changed since (a recomputation is then under way). */
  computedAt: string;
  cached: boolean;
  stale: boolean;
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
    stale: false,
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

// ---- stored summaries. A city-wide evaluation reads every teacher and their hours (seconds at 50,000
// teachers); the dashboard repaints often. Each summary is stored (compliance_snapshots) with the
// change-log mark read before it was computed, and reused while no write to anything it reads has
// been committed since (exact, not a TTL). When something changed: a summary that took at most
// SYNC_BUDGET_MS is recomputed before answering; a bigger one is answered from the stored figures
// marked `stale` and recomputed in the background (the page polls until it is current).
const SYNC_BUDGET_MS = 400;
const inflight = new WeakMap<Queryable, Map<string, Promise<SummaryDto>>>();

/**
 * Bumped whenever the stored body's shape or meaning changes, so summaries stored before are recomputed
 * rather than served (2: four outcomes — 进行中 / 临期 / 未达标 counts, 达标率 over due windows only).
 */
export const SUMMARY_SHAPE = 2;

function snapshotKey(lp: Pick<LoadedPolicy, 'versionId' | 'attachments'>, display: OrgFacts, asOf: string, filter: TeacherFilter): string {
  return JSON.stringify([
    `v${SUMMARY_SHAPE}`,
    lp.versionId,
    display.id,
    asOf,
    filter.stage ?? null,
    filter.subject ?? null,
    filter.role ?? null,
    lp.attachments.map((a) => a.org_path).sort(),
  ]);
}

interface SnapshotTarget {
  lp: LoadedPolicy;
  display: OrgFacts;
  asOf: string;
  filter: TeacherFilter;
  /** Who asked (recorded with the run); null for the background. */
  userId: number | null;
  trigger: 'api' | 'refresh';
  opening?: boolean;
}

/** Compute a summary, record the run and store it; concurrent calls for one key share one computation. */
function computeSnapshot(q: Queryable, key: string, t: SnapshotTarget): Promise<SummaryDto> {
  let running = inflight.get(q);
  if (!running) inflight.set(q, (running = new Map()));
  const existing = running.get(key);
  if (existing) return existing;
  // At most HEAVY_LIMITS.computeConcurrency computations at once in the process; the others queue (joined meanwhile).
  const p = limitCompute(async () => {
    const mark = await snapshots.changeMark(q);
    const s = await summarizePolicy(q, t.lp, t.display, t.asOf, t.filter);
    s.runId = await repo.insertRun(q, {
      policyVersionId: t.lp.versionId,
      orgId: t.display.id,
      asOf: t.asOf,
      filters: t.filter,
      trigger: t.trigger,
      userId: t.userId,
      durationMs: s.durationMs,
      summary: runRecord(s),
    });
    await snapshots.saveSnapshot(q, {
      key,
      policyVersionId: t.lp.versionId,
      orgId: t.display.id,
      asOf: t.asOf,
      watermark: mark,
      computedAt: s.computedAt,
      durationMs: s.durationMs,
      opening: t.opening ?? false,
      body: s,
    });
    return s;
  }).finally(() => running.delete(key));
  running.set(key, p);
  return p;
}

/**
 * The stored summary when current; else recomputed (inline when cheap, in the background when not,
 * answering the stored one marked stale meanwhile); computed inline when none is stored or `refresh`.
 */
async function storedSummary(q: Queryable, t: SnapshotTarget, refresh: boolean): Promise<SummaryDto> {
  const key = snapshotKey(t.lp, t.display, t.asOf, t.filter);
  if (!refresh) {
    const [snap, mark] = await Promise.all([snapshots.readSnapshot<SummaryDto>(q, key), snapshots.changeMark(q)]);
    if (snap) {
      void snapshots.touchSnapshot(q, key).catch(() => undefined);
      if (snap.watermark === mark) return { ...snap.body, cached: true, stale: false };
      if (snap.durationMs > SYNC_BUDGET_MS) {
        // Start once this answer is on its way: the evaluation's JavaScript (and PGlite's queries) run on this thread.
        setTimeout(
          () => computeSnapshot(q, key, { ...t, userId: null, trigger: 'refresh' }).catch((err: unknown) => console.error('合规汇总后台重算失败', err)),
          20,
        );
        return { ...snap.body, cached: true, stale: true };
      }
    }
  }
  return computeSnapshot(q, key, t);
}

/**
 * Compliance summary per rule for an org and its children (the dashboard). Each computed summary is
 * recorded (compliance_runs) with the policy version used; a stored one carries its original run id.
 */
export async function summary(ctx: AppContext, user: CurrentUser, query: SummaryQuery): Promise<SummaryDto> {
  requireReader(user);
  const lp = await policyForEvaluation(ctx, user, query.policyId, query.version);
  const display = await orgInScope(ctx, user, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  const filter: TeacherFilter = { stage: query.stage, subject: query.subject, role: query.role };
  return viewSummary(await storedSummary(ctx.db, { lp, display, asOf, filter, userId: user.id, trigger: 'api' }, query.refresh ?? false), piiViewOf(user));
}

/** A summary as this viewer may see it: a stored summary is shared by viewers, so masks are cut down per viewer. */
function viewSummary(s: SummaryDto, view: PiiView): SummaryDto {
  if (view === 'full') return s;
  return { ...s, children: s.children.map((c) => (c.type === 'teacher' ? { ...c, nationalIdMask: viewNationalIdMask(c.nationalIdMask, view) } : c)) };
}

const SYSTEM_USER = {
  id: 0,
  username: 'system',
  displayName: '系统',
  role: 'bureauAdmin',
  orgId: 0,
  orgPath: '/',
  orgName: '',
  orgLevel: 'national',
  teacherId: null,
  scopePath: '/',
} as CurrentUser;

/**
 * The summaries a dashboard opens with (as of today): every policy at the org it is attached to, and
 * province-level policies at each city below them.
 */
async function openingTargets(ctx: AppContext, asOf: string): Promise<SnapshotTarget[]> {
  await ensureSeedPolicies(ctx.db);
  const rows = await ctx.db.query<{ policy_id: number; org_path: string; level: string }>(
    `SELECT a.policy_id, o.path AS org_path, o.level FROM policy_attachments a JOIN orgs o ON o.id = a.org_id ORDER BY o.path`,
  );
  const out: SnapshotTarget[] = [];
  for (const a of rows.rows) {
    const lp = await policyForEvaluation(ctx, SYSTEM_USER, a.policy_id);
    const paths = [a.org_path];
    if (a.level === 'province' || a.level === 'national')
      paths.push(
        ...(
          await ctx.db.query<{ path: string }>(`SELECT path FROM orgs WHERE path LIKE $1 || '%' AND level = 'city' AND kind = 'bureau'`, [a.org_path])
        ).rows.map((r) => r.path),
      );
    for (const path of paths) out.push({ lp, display: await orgFacts(ctx.db, path), asOf, filter: {}, userId: null, trigger: 'refresh', opening: true });
  }
  return out;
}

/**
 * Bring the stored summaries up to date, in the background (at start and then periodically): the
 * opening ones of today are computed when missing or out of date, so a dashboard's first paint reads
 * a current stored summary; the opening trend chart's points when missing. Returns how many were computed.
 */
export async function refreshSnapshots(ctx: AppContext): Promise<number> {
  const asOf = todayInChina();
  let n = 0;
  // A school move, status or credential recorded ahead of its date becomes the current value once the day comes.
  await syncDue(ctx.db, asOf);
  const mark = await snapshots.changeMark(ctx.db);
  const openings = await openingTargets(ctx, asOf);
  for (const t of openings) {
    const key = snapshotKey(t.lp, t.display, t.asOf, t.filter);
    if ((await snapshots.snapshotMark(ctx.db, key)) === mark) continue;
    await computeSnapshot(ctx.db, key, t);
    n++;
  }
  // The points of the trend chart the dashboard opens with, once: later changes are caught when the
  // chart asks (stale figures at once, recomputed in the background).
  for (const t of openings)
    for (const date of defaultTrendDates(t.lp.policy, asOf)) {
      const point = { ...t, asOf: date, opening: false };
      const key = snapshotKey(point.lp, point.display, date, point.filter);
      if ((await snapshots.snapshotMark(ctx.db, key)) !== null) continue;
      await computeSnapshot(ctx.db, key, point);
      n++;
    }
  // Once a night (from 01:00 China time) the change log is trimmed, which invalidates every snapshot once.
  const hour = new Date(Date.now() + 8 * 3600_000).getUTCHours();
  const trimLog = hour >= 1 && hour < 6 && lastLogTrim.get(ctx.db) !== asOf;
  await snapshots.purge(ctx.db, { changeLog: trimLog });
  if (trimLog) lastLogTrim.set(ctx.db, asOf);
  return n;
}
const lastLogTrim = new WeakMap<Queryable, string>();

/** Run refreshSnapshots now and every `everyMs`; returns a stop function. */
export function startSnapshotRefresh(ctx: AppContext, onError: (err: unknown) => void, everyMs = 5 * 60_000): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    refreshSnapshots(ctx)
      .catch(onError)
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Per-rule share compliant at several dates (the trend chart): month or year ends by default. Each
 * point is one stored summary, so a repeated view costs little.
 */
export async function trend(
  ctx: AppContext,
  user: CurrentUser,
  query: { policyId: number; orgId?: number; dates?: string[]; stage?: string; subject?: string; role?: string },
) {
  requireReader(user);
  const lp = await policyForEvaluation(ctx, user, query.policyId);
  const display = await orgInScope(ctx, user, query.orgId);
  const filter: TeacherFilter = { stage: query.stage, subject: query.subject, role: query.role };
  const today = todayInChina();
  let dates = query.dates?.length ? [...query.dates] : defaultTrendDates(lp.policy, today);
  dates = [...new Set(dates)].sort().slice(-12);
  const points = [];
  for (const asOf of dates) {
    const s = await storedSummary(ctx.db, { lp, display, asOf, filter, userId: user.id, trigger: 'api' }, false);
    points.push({
      asOf,
      teachers: s.teachers,
      rules: Object.fromEntries(
        s.rules.map((r) => [
          r.id,
          {
            share: r.totals.share,
            compliant: r.totals.compliant,
            overdue: r.totals.overdue,
            dueSoon: r.totals.dueSoon,
            inProgress: r.totals.inProgress,
            status: r.result?.status ?? null,
          },
        ]),
      ),
    });
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
  return {
    items: rows.map((r) => ({
      id: r.id,
      asOf: r.as_of,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      version: r.version,
      trigger: r.trigger,
      summary: r.summary,
    })),
  };
}

export function assertDate(d: string | undefined, field: string): void {
  if (d !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))))
    throw badRequest('日期格式应为 YYYY-MM-DD', [{ field, message: '日期格式应为 YYYY-MM-DD' }]);
}

// ---------------------------------------------------------------- export

/** The summary as .xlsx (rules, children, and the teachers' unmet requirements with their outcome); audited; PII masked. */
export async function exportSummary(ctx: AppContext, user: CurrentUser, query: SummaryQuery, ip?: string): Promise<{ buffer: Buffer; filename: string }> {
  requireReader(user);
  if (!can(user, 'teachers.export') && user.role !== 'devCenter') throw forbidden('无权导出');
  const lp = await policyForEvaluation(ctx, user, query.policyId, query.version);
  const display = await orgInScope(ctx, user, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  const filter: TeacherFilter = { stage: query.stage, subject: query.subject, role: query.role };
  const open: OpenRow[] = [];
  const orgNames = new Map((await repo.loadOrgs(ctx.db, display.path)).map((o) => [o.path, o.name]));
  const s = await summarizePolicy(ctx.db, lp, display, asOf, filter, {
    extraSink: (o) => {
      if (isOpen(o.result.status) && o.subject.teacher && open.length < 200_000)
        open.push({
          teacher: o.subject.name,
          mask: viewNationalIdMask(o.subject.teacher.nationalIdMask, piiViewOf(user)),
          org: orgNames.get(o.subject.orgPath) ?? '',
          rule: o.rule.title,
          status: o.result.status,
          text: o.result.explanation,
          deadline: o.result.deadline,
        });
    },
  });
  s.runId = await repo.insertRun(ctx.db, {
    policyVersionId: lp.versionId,
    orgId: display.id,
    asOf,
    filters: filter,
    trigger: 'export',
    userId: user.id,
    durationMs: s.durationMs,
    summary: runRecord(s),
  });
  const { buildSummaryWorkbook } = await import('./compliance.export.js');
  const rank = { overdue: 0, dueSoon: 1, inProgress: 2 } as Record<string, number>;
  open.sort((a, b) => rank[a.status] - rank[b.status] || byDeadline(a, b));
  const buffer = await buildSummaryWorkbook(viewSummary(s, piiViewOf(user)), open);
  await audit(ctx.db, user, 'compliance.export', 'policy', lp.id, { orgId: display.id, asOf, version: lp.version, rows: open.length, filters: filter }, ip);
  return { buffer, filename: `合规汇总_${display.name}_${lp.key}_v${lp.version}_${asOf}.xlsx` };
}

export const categoryLabel = (c: string) => CATEGORIES[c as keyof typeof CATEGORIES] ?? c;
export type { Policy, Rule };
export { ruleSubject };
