/**
 * Compliance (policy engine) benchmark.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/compliance.ts [--teachers 50000] [--years 5] [--scale city] [--runs 5]
 *   npx tsx bench/compliance.ts --pglite --teachers 6000 --years 3 --scale county      # PGlite in ./.tmp/bench-pglite
 *
 * Uses the demo generator's data (generates it first when the database holds none: at 50,000
 * teachers and 5 years that is ~15 million ledger rows). In the same run it measures
 *   floor: one bare SQL GROUP BY (teacher, category) over the ledger rows in the policy's hour windows;
 *   ours:  the whole-city evaluation of every rule of a policy (summarizePolicy, as the dashboard and CLI
 *          run it), via the per-year roll-ups, and again straight from the ledger ("from scratch");
 *   p95 of one teacher's status, one school's worklist, and the city dashboard's first paint through the API.
 * ratio = ours ÷ floor (medians). Writes bench/results/compliance-<scale>.json and the '## Compliance'
 * section of BENCHMARKS.md (from every compliance-*.json present).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { openDb, type Db } from '../server/src/db/db.js';
import { migrate } from '../server/src/db/migrate.js';
import { buildApp } from '../server/src/app.js';
import { buildContext } from '../server/src/platform/context.js';
import { isSeeded, seedDemo } from '../server/src/demo/seed.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { attachDemoPolicies, syncSeedPolicies } from '../server/src/modules/policies/policies.service.js';
import { loadPolicy } from '../server/src/modules/policies/policy.loader.js';
import type { Policy } from '../server/src/modules/policies/policy.format.js';
import { policyClock } from '../server/src/modules/policies/policy.evaluate.js';
import { resolveWindow, minDate } from '../server/src/modules/policies/policy.windows.js';
import * as repo from '../server/src/modules/compliance/compliance.repository.js';
import { summarizePolicy } from '../server/src/modules/compliance/compliance.service.js';
import { writeSection } from './benchmarks-md.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const TEACHERS = Number(opt('--teachers', '50000'));
const YEARS = Number(opt('--years', '5'));
const SCALE = opt('--scale', 'city');
const RUNS = Number(opt('--runs', '5'));
const AS_OF = opt('--as-of', '2025-12-31');
const USE_PGLITE = args.includes('--pglite');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x: number) => Math.round(x * 10) / 10;
async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

/** The ledger date span an evaluation of the policy reads for its hours rules at AS_OF. */
function hoursSpan(policy: Policy): { from: string; to: string } {
  const clock = policyClock(policy, AS_OF);
  let from = `${clock.on.slice(0, 4)}-01-01`;
  let to = clock.on;
  for (const r of policy.rules) {
    if (r.kind !== 'hours' || r.window.afterHire) continue;
    const w = resolveWindow(r.window, policy.period, clock.on);
    if (w.ok) {
      if (w.window.from < from) from = w.window.from;
      to = minDate(w.window.to, clock.on) > to ? minDate(w.window.to, clock.on) : to;
    }
  }
  return { from, to };
}

async function main() {
  const dataDir = join(process.cwd(), '.tmp', `bench-pglite-${TEACHERS}`);
  if (USE_PGLITE) mkdirSync(dataDir, { recursive: true });
  const url = USE_PGLITE ? undefined : process.env.DATABASE_URL;
  if (!USE_PGLITE && !url) throw new Error('设置 DATABASE_URL（PostgreSQL），或使用 --pglite');
  const db: Db = await openDb({ databaseUrl: url, dataDir: USE_PGLITE ? dataDir : undefined });
  await migrate(db);
  const config = loadConfig({ ...process.env, DEMO: '1', DATA_DIR: USE_PGLITE ? dataDir : '.tmp/bench-data', LOG_LEVEL: 'warn' });
  const ctx = buildContext(config, db);
  if (!(await isSeeded(db))) {
    console.log(`生成演示数据：${TEACHERS} 名教师，${YEARS} 年…`);
    await seedDemo(ctx, { teachers: TEACHERS, years: YEARS, density: YEARS >= 5 ? 2.5 : 1, log: console.log });
  }
  await syncSeedPolicies(db);
  await attachDemoPolicies(db);
  const counts = (
    await db.query<{ t: number; l: number; r: number }>(
      `SELECT (SELECT count(*) FROM teachers WHERE status = 'active')::int AS t, (SELECT count(*) FROM ledger_entries)::int AS l, (SELECT count(*) FROM ledger_year_rollups)::int AS r`,
    )
  ).rows[0];
  const cityRow = (await db.query<{ path: string }>(`SELECT path FROM orgs WHERE level = 'city' AND kind = 'bureau' ORDER BY path LIMIT 1`)).rows[0];
  const city = (await repo.loadOrgs(db, cityRow.path))[0];
  console.log(`数据：在职教师 ${counts.t}，台账 ${counts.l} 条，年度汇总 ${counts.r} 条；评估单位 ${city.name}，截至 ${AS_OF}`);

  // ---- whole-city evaluation vs floor, per policy
  const perPolicy: { key: string; rules: number; oursMs: number; scratchMs: number; floorMs: number; floorRows: number; span: string }[] = [];
  for (const f of readdirSync('policies')
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const loaded = loadPolicy(readFileSync(join('policies', f), 'utf8'));
    if (!loaded.ok) throw new Error(f);
    const policy = loaded.policy;
    const lp = { id: 0, key: policy.policy, version: policy.version, versionId: 0, policy, attachments: [{ org_path: city.path } as never] };
    const span = hoursSpan(policy);
    const floorSql = `SELECT e.teacher_id, e.category, sum(e.hours) FROM ledger_entries e WHERE e.occurred_on BETWEEN $1 AND $2 GROUP BY 1, 2`;
    const floorRows = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE occurred_on BETWEEN $1 AND $2`, [span.from, span.to]))
      .rows[0].n;
    const floor: number[] = [];
    const ours: number[] = [];
    const scratch: number[] = [];
    // Warm-up of each, then alternate so caches favour neither.
    await db.query(floorSql, [span.from, span.to]);
    await summarizePolicy(db, lp, city, AS_OF);
    for (let i = 0; i < RUNS; i++) {
      floor.push(await time(() => db.query(floorSql, [span.from, span.to])));
      ours.push(await time(() => summarizePolicy(db, lp, city, AS_OF)));
      scratch.push(await time(() => summarizePolicy(db, lp, city, AS_OF, {}, { hoursSource: 'ledger' })));
    }
    perPolicy.push({
      key: policy.policy,
      rules: policy.rules.length,
      oursMs: median(ours),
      scratchMs: median(scratch),
      floorMs: median(floor),
      floorRows,
      span: `${span.from}…${span.to}`,
    });
    console.log(
      `${policy.policy}: ${policy.rules.length} 条规则，全市评估 ${ms(median(ours))} ms（直接读台账 ${ms(median(scratch))} ms），基线 GROUP BY ${ms(median(floor))} ms（${floorRows} 行）`,
    );
  }

  // ---- API latencies: one teacher's status, one school's worklist, the dashboard's first paint
  const openApp = async () => {
    const app = await buildApp(ctx, { webDir: '/nonexistent' });
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city.admin', password: DEMO_PASSWORD } });
    const cookie = `qs_session=${login.cookies.find((c) => c.name === 'qs_session')?.value}`;
    const get = async (u: string) => {
      const r = await app.inject({ method: 'GET', url: u, headers: { cookie } });
      if (r.statusCode !== 200) throw new Error(`${u}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      return r;
    };
    return { app, get };
  };
  let { app, get } = await openApp();
  const cityPolicyId = (await db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'bayannur-2023-2025'`)).rows[0].id;
  const summaryUrl = `/api/compliance/summary?policyId=${cityPolicyId}&asOf=${AS_OF}`;
  // What the page asks for when it opens: the policy list, then the summary of the user's org.
  let lastSummary: { stale: boolean; cached: boolean } = { stale: false, cached: false };
  const paint = async () => {
    await get('/api/policies');
    lastSummary = (await get(summaryUrl)).json();
  };
  // Nothing stored yet (a date or filter nobody opened before): the evaluation runs inside the request.
  await db.query('DELETE FROM compliance_snapshots');
  const coldPaint = await time(paint);
  // The normal case: the summary is stored and current (the server keeps the opening ones so). Each
  // paint on a freshly started app: nothing in process memory helps.
  const firstPaints: number[] = [];
  for (let i = 0; i < 5; i++) {
    await app.close();
    ({ app, get } = await openApp());
    firstPaints.push(await time(paint));
    if (!lastSummary.cached || lastSummary.stale) throw new Error('expected the stored, current summary');
  }
  const repaint: number[] = [];
  for (let i = 0; i < 3; i++) repaint.push(await time(() => get(summaryUrl)));
  // After a write (one ledger entry, then its reversal, as a correction would): the page gets the stored
  // figures marked stale at once, and the current ones once the background recomputation is done.
  const someone = (await db.query<{ id: number }>(`SELECT id FROM teachers WHERE status = 'active' ORDER BY id LIMIT 1`)).rows[0].id;
  const entry = (
    await db.query<{ id: number }>(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description) VALUES ($1, 1, 'it', $2, 'import', '基准测试') RETURNING id`,
      [someone, AS_OF],
    )
  ).rows[0].id;
  const stalePaint = await time(paint);
  if (!lastSummary.stale) throw new Error('expected stale figures after a write');
  const written = performance.now();
  while (lastSummary.stale) {
    await new Promise((r) => setTimeout(r, 50));
    lastSummary = (await get(summaryUrl)).json();
  }
  const catchUp = performance.now() - written;
  await db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, reverses_id, reason) VALUES ($1, -1, 'it', $2, 'correction', '基准测试', $3, '基准测试')`,
    [someone, AS_OF, entry],
  );
  const teacherIds = (await db.query<{ id: number }>(`SELECT id FROM teachers WHERE status = 'active' ORDER BY md5(id::text) LIMIT 200`)).rows.map((r) => r.id);
  const schoolIds = (await db.query<{ id: number }>(`SELECT id FROM orgs WHERE kind = 'school' ORDER BY md5(id::text) LIMIT 100`)).rows.map((r) => r.id);
  await get(`/api/compliance/teachers/${teacherIds[0]}?asOf=${AS_OF}`);
  const teacherMs: number[] = [];
  for (const id of teacherIds) teacherMs.push(await time(() => get(`/api/compliance/teachers/${id}?asOf=${AS_OF}`)));
  const schoolMs: number[] = [];
  for (const id of schoolIds) schoolMs.push(await time(() => get(`/api/compliance/worklist?orgId=${id}&asOf=${AS_OF}`)));
  await app.close();

  const headline = perPolicy.find((p) => p.key === 'bayannur-2023-2025')!;
  const cycle = perPolicy.find((p) => p.key === 'province-strong-teacher')!;
  const kind = db.kind === 'pg' ? 'PostgreSQL' : 'PGlite';
  const result = {
    name: `compliance-${SCALE}`,
    date: new Date().toISOString().slice(0, 10),
    scale: `${SCALE}: ${counts.t} active teachers, ${counts.l} ledger rows (${counts.r} year roll-ups), ${kind}`,
    value: ms(headline.oursMs),
    unit: 'ms',
    floor: ms(headline.floorMs),
    ratio: Math.round((headline.oursMs / headline.floorMs) * 100) / 100,
    notes:
      `Whole-${SCALE} evaluation of all ${headline.rules} rules of ${headline.key} as of ${AS_OF} (summarizePolicy: teachers + roles, one FILTERed GROUP BY over the year roll-ups for every hours rule, ` +
      `per-teacher windows, staffing, targets, funding; median of ${RUNS}) vs floor = one bare GROUP BY teacher, category over the ${headline.floorRows} ledger rows of its windows (${headline.span}), same run. ` +
      `From scratch (hours straight from the ledger, no roll-ups): ${ms(headline.scratchMs)} ms, ratio ${Math.round((headline.scratchMs / headline.floorMs) * 100) / 100}. ` +
      `${cycle.key} (360 h / 5-year cycle, ${cycle.floorRows} rows): ${ms(cycle.oursMs)} ms vs ${ms(cycle.floorMs)} ms, ratio ${Math.round((cycle.oursMs / cycle.floorMs) * 100) / 100}; from scratch ratio ${Math.round((cycle.scratchMs / cycle.floorMs) * 100) / 100}. ` +
      `API p95: one teacher's status ${ms(p95(teacherMs))} ms (${teacherIds.length} teachers), one school's worklist ${ms(p95(schoolMs))} ms (${schoolIds.length} schools); ` +
      `city dashboard first paint (GET /api/policies + /api/compliance/summary on a freshly started app, summary stored and current) ${ms(median(firstPaints))} ms (median of ${firstPaints.length}, max ${ms(Math.max(...firstPaints))}), repaint ${ms(median(repaint))} ms; ` +
      `right after a write ${ms(stalePaint)} ms (stored figures marked stale; current again ${ms(catchUp)} ms after the write); nothing stored ${ms(coldPaint)} ms (evaluated in the request). ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; load average at the end ${loadavg()[0].toFixed(1)} (the machine is shared).`,
    detail: {
      perPolicy,
      teacherP95: ms(p95(teacherMs)),
      schoolP95: ms(p95(schoolMs)),
      firstPaintMs: ms(median(firstPaints)),
      firstPaintMaxMs: ms(Math.max(...firstPaints)),
      repaintMs: ms(median(repaint)),
      stalePaintMs: ms(stalePaint),
      catchUpMs: ms(catchUp),
      coldPaintMs: ms(coldPaint),
      teachers: counts.t,
      ledgerRows: counts.l,
      db: kind,
    },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/compliance-${SCALE}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  writeBenchmarksSection();
  await db.close();
}

/** Rewrite the '## Compliance' section of BENCHMARKS.md from every compliance-*.json present. */
function writeBenchmarksSection() {
  type R = {
    name: string;
    date: string;
    scale: string;
    value: number;
    floor: number;
    ratio: number;
    notes: string;
    detail: {
      perPolicy: { key: string; rules: number; oursMs: number; scratchMs: number; floorMs: number; floorRows: number }[];
      teacherP95: number;
      schoolP95: number;
      firstPaintMs: number;
      firstPaintMaxMs?: number;
      repaintMs: number;
      stalePaintMs?: number;
      catchUpMs?: number;
      coldPaintMs?: number;
      teachers: number;
      ledgerRows: number;
      db: string;
    };
  };
  const files = readdirSync('bench/results').filter((f) => /^compliance-.*\.json$/.test(f));
  const results = files.map((f) => JSON.parse(readFileSync(join('bench/results', f), 'utf8')) as R).sort((a, b) => a.detail.ledgerRows - b.detail.ledgerRows);
  const lines = [
    '## Compliance',
    '',
    'Whole-region evaluation of a policy (every rule, as the 合规看板 and `npm run check` run it) against the floor of one bare SQL `GROUP BY teacher, category` over the same ledger rows, measured in the same run; plus API latencies. `DATABASE_URL=… npx tsx bench/compliance.ts --teachers 50000 --years 5 --scale city` (generates the demo data when the database is empty); `npx tsx bench/compliance.ts --pglite --teachers 6000 --years 3 --scale county`. Hours come from per-teacher, per-year roll-ups kept by a statement-level ledger trigger (`npx tsx server/src/main.ts verify` recomputes them from the ledger; a DB test proves equality); "from scratch" reads the ledger directly.',
    '',
    '| scale | db | teachers | ledger rows | policy (rules) | ours | from scratch | floor | ratio | ratio from scratch |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results)
    for (const p of r.detail.perPolicy)
      lines.push(
        `| ${r.name.replace('compliance-', '')} | ${r.detail.db} | ${r.detail.teachers} | ${r.detail.ledgerRows} | ${p.key} (${p.rules}) | ${ms(p.oursMs)} ms | ${ms(p.scratchMs)} ms | ${ms(p.floorMs)} ms (${p.floorRows} rows) | ${(p.oursMs / p.floorMs).toFixed(2)} | ${(p.scratchMs / p.floorMs).toFixed(2)} |`,
      );
  lines.push(
    '',
    'The dashboard\'s summaries are stored (`compliance_snapshots`) with a mark of the change log (`data_changes`, one row per committed write statement on any table the evaluation reads) and reused while the mark is unchanged, so a stored summary is exact, not merely recent. The server keeps the opening ones (each policy at its org, as of today) current in the background. After a write, a summary that took over 400 ms is answered at once from the stored figures marked stale (the page says so and asks again) while it is recomputed; a cheaper one is recomputed inside the request. "Nothing stored" is the first request ever for a date or filter.',
    '',
    "| scale | one teacher's status p95 | one school's worklist p95 | first paint (stored, current; fresh app) | right after a write (stale figures) | current again after | nothing stored |",
    '|---|---|---|---|---|---|---|',
  );
  for (const r of results)
    lines.push(
      // Results from before summaries were stored (no coldPaintMs) measured only the cold first paint.
      r.detail.coldPaintMs === undefined
        ? `| ${r.name.replace('compliance-', '')} (${r.detail.db}, ${r.date}, before stored summaries) | ${r.detail.teacherP95} ms | ${r.detail.schoolP95} ms | — | — | — | ${r.detail.firstPaintMs} ms |`
        : `| ${r.name.replace('compliance-', '')} (${r.detail.db}) | ${r.detail.teacherP95} ms | ${r.detail.schoolP95} ms | ${r.detail.firstPaintMs} ms | ${r.detail.stalePaintMs} ms | ${r.detail.catchUpMs} ms | ${r.detail.coldPaintMs} ms |`,
    );
  // How cost grows from one scale to the next (the city plan, 25 rules).
  const growth: string[] = [];
  for (let i = 1; i < results.length; i++) {
    const [a, b] = [results[i - 1], results[i]];
    const pa = a.detail.perPolicy.find((p) => p.key === 'bayannur-2023-2025');
    const pb = b.detail.perPolicy.find((p) => p.key === 'bayannur-2023-2025');
    if (!pa || !pb) continue;
    const x = (u: number, v: number) => `×${(v / u).toFixed(1)}`;
    growth.push(
      `${a.name.replace('compliance-', '')} (${a.detail.db}) → ${b.name.replace('compliance-', '')} (${b.detail.db}): teachers ${x(a.detail.teachers, b.detail.teachers)}, ledger rows ${x(a.detail.ledgerRows, b.detail.ledgerRows)}; evaluation ${x(pa.oursMs, pb.oursMs)} (from scratch ${x(pa.scratchMs, pb.scratchMs)}), floor ${x(pa.floorMs, pb.floorMs)}.`,
    );
  }
  if (growth.length)
    lines.push(
      '',
      `Growth (bayannur-2023-2025): ${growth.join(' ')} The roll-up path grows with teachers × years × categories (the roll-up rows), not with ledger rows.`,
    );
  lines.push(
    '',
    'As-of evaluation (issue 10): the lines dated 2026-12-03 are measured with it — the roster, roles, credentials and designations valid on the date (migration 0033); credentials and the 骨干 designation are read as the current record plus only what differs on the date (`credentialsDifferingOn`, compared in SQL), and on PGlite the roster is resolved once. ' +
      "Generating the city (50,000 teachers, 5 years, 13.7 million ledger rows) through the demo path had fallen to ~500 teachers a minute after 30,000: the per-row certificate trigger on ledger inserts (0032) ran an UPDATE whose estimated cost grows with the ledger, and past `jit_above_cost` PostgreSQL JIT-compiled it for every inserted row (seen with `perf`: LLVM in the backend; `EXPLAIN` of the statement: cost 103,706 > 100,000, JIT on). Migration 0049 probes for a current certificate first; applied to the running generation at 32,281 teachers, a chunk of ~1,450 teachers went from 486 s to 56–105 s at the same load (load average 12–20 on 2 shared cores; 23–38 s for the last chunks). The whole generation took 63.5 min at that load, most of it before the fix. County, the same PGlite data and load, old and new code alternating (median of 5 each, twice): the 25-rule evaluation 577 ms → 472 ms against a 287–299 ms floor (ratio about 1.95 → 1.6); the recorded 1.72 is that run's own. The city line was measured at a load average of 10–16 (other sessions), so its absolute times and API latencies are several times the 2026-11-23 ones and the growth figures between scales mix loads; its ratio against the floor of the same run (0.91, from scratch 1.16) is the figure that carries.",
    '',
  );
  for (const r of results) lines.push(`- ${r.name}, ${r.date}: **${r.value} ms** vs floor ${r.floor} ms → ratio **${r.ratio}**. ${r.notes}`);
  writeSection(lines[0], `${lines.slice(1).join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
