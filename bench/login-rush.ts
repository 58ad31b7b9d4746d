/**
 * A morning rush (issue 8): N distinct teachers sign in through the real login route, 50 in flight.
 *   npx tsx bench/login-rush.ts [teachers=5000] [--pg] [--quick] [--m=19456 --t=2] [--no-write]
 *
 * A fresh database with one county of N teachers, each with an account (signing in with their 身份证号: the
 * blind-index lookup); every teacher then signs in once through POST /api/auth/login (app.inject, each from its
 * own address so the per-address back-off does not decide): the address back-off check, the lookup, the
 * per-account attempt count, one argon2id verify, the session row and the audit line. Floor in the same run:
 * bare argon2id verifies of the same stored hash at the same concurrency, half before and half after ours (the
 * machine is shared, so its load drifts). p95 and throughput of both; ratio = our p95 ÷ the floor's p95.
 * Parameters: those of hashPassword (platform/auth.ts ARGON2_OPTIONS) unless --m (KiB) and --t are given.
 * --quick: 500 teachers. Database: DATABASE_URL if set; --pg starts a throwaway PostgreSQL 15; else PGlite.
 * Writes bench/results/login-rush.json (one record per engine, the worst ratio on top) and BENCHMARKS.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { freshDatabase, startThrowawayPg } from '../test/pg-cluster.js';
import { loadConfig } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { ARGON2_OPTIONS } from '../server/src/platform/auth.js';
import { buildContext } from '../server/src/platform/context.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { writeResultLine } from './benchmarks-md.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const N = args.includes('--quick') ? 500 : Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
const START_PG = args.includes('--pg');
const CONCURRENCY = 50;
const WINDOW_S = 300;
const PARAMS = { memoryCost: Number(flag('m') ?? ARGON2_OPTIONS.memoryCost), timeCost: Number(flag('t') ?? ARGON2_OPTIONS.timeCost), parallelism: 1 };
const PASSWORD = 'Rush@2025morning';
const RESULT_FILE = 'bench/results/login-rush.json';

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const now = () => performance.now();
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  throughput: number;
  wallS: number;
}

/** Run `n` jobs with CONCURRENCY workers; each job's latency. */
async function run(n: number, job: (i: number) => Promise<void>): Promise<{ ms: number[]; wall: number }> {
  const ms: number[] = [];
  let next = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const s = now();
        await job(i);
        ms.push(now() - s);
      }
    }),
  );
  return { ms, wall: now() - t0 };
}

function stats(ms: number[], wall: number): Stats {
  const s = [...ms].sort((a, b) => a - b);
  return {
    count: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    max: round(s[s.length - 1]),
    throughput: round(s.length / (wall / 1000)),
    wallS: round(wall / 1000, 2),
  };
}

const ip = (i: number) => `10.${100 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;

async function main() {
  const pgServer = START_PG && !process.env.DATABASE_URL ? startThrowawayPg({ durable: true, prefix: 'qs-bench-rush-' }) : null;
  const adminUrl = process.env.DATABASE_URL ?? pgServer?.url;
  const engine = adminUrl ? 'PostgreSQL' : 'PGlite';
  const { db, drop } = await freshDatabase(adminUrl, 'qs_bench_rush_');
  try {
    const ctx = buildContext(loadConfig({ NODE_ENV: 'test', DEMO: '0', DATA_DIR: '.tmp/bench' }), db);
    const app = await buildApp(ctx, { webDir: '/nonexistent' });
    await app.ready();
    const county = await insertOrg(db, { code: 'R-C1', name: '基准县教育局', level: 'county', kind: 'bureau', parentId: null });
    const schools: number[] = [];
    for (let s = 0; s < 20; s++)
      schools.push(
        (await insertOrg(db, { code: `R-S${s}`, name: `基准学校${s + 1}`, level: 'school', kind: 'school', stage: 'primary', parentId: county.id })).id,
      );

    // N teachers with distinct 身份证号 (blind index as the app computes it), an account each, one teacher role.
    // One stored hash for all (a verify costs the same whatever the salt; hashing 5,000 would only slow the setup).
    const stored = await hash(PASSWORD, PARAMS);
    const ids = Array.from({ length: N }, (_, i) =>
      makeNationalId('150102', new Date(Date.UTC(1965, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), i, 'female'),
    );
    await db.query(
      `INSERT INTO teachers (org_id, name, national_id_enc, national_id_idx, national_id_mask, gender, birth_date, stage)
       SELECT ($1::int[])[1 + (g.i % 20)], '教师' || g.i, 'v1:x', g.idx, '1501**********' || lpad(g.i::text, 4, '0'), 'female', '1985-01-01', 'primary'
         FROM unnest($2::text[]) WITH ORDINALITY AS g(idx, i)`,
      [schools, ids.map((v) => ctx.pii.blindIndex(v))],
    );
    await db.query(
      `INSERT INTO users (username, password_hash, display_name, teacher_id)
       SELECT 'rush' || t.id, $1, t.name, t.id FROM teachers t`,
      [stored],
    );
    await db.query(`INSERT INTO user_roles (user_id, role, org_id) SELECT u.id, 'teacher', NULL FROM users u WHERE u.teacher_id IS NOT NULL`);

    // Warm-up: a few of each, not counted.
    await Promise.all(Array.from({ length: 8 }, () => verify(stored, PASSWORD)));
    const statuses: Record<string, number> = {};
    const login = async (i: number) => {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: ids[i], password: PASSWORD }, remoteAddress: ip(i) });
      statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1;
    };
    const floorJob = async () => {
      if (!(await verify(stored, PASSWORD))) throw new Error('floor verify failed');
    };

    const half = Math.ceil(N / 2);
    const floorA = await run(half, floorJob);
    const ours = await run(N, login);
    const floorB = await run(N - half, floorJob);
    const floorMs = [...floorA.ms, ...floorB.ms];
    const o = stats(ours.ms, ours.wall);
    const f = stats(floorMs, floorA.wall + floorB.wall);

    const sessions = (await db.query<{ n: number }>('SELECT count(DISTINCT user_id)::int AS n FROM auth_sessions')).rows[0].n;
    const audited = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login'`)).rows[0].n;
    if (statuses['200'] !== N || sessions !== N || audited !== N)
      throw new Error(`answers ${JSON.stringify(statuses)}, sessions ${sessions}, audit lines ${audited}; expected ${N} each`);
    await app.close();

    const ratio = round(o.p95 / f.p95, 2);
    const throughputRatio = round(f.throughput / o.throughput, 2);
    const withinWindow = o.wallS <= WINDOW_S;
    const params = `argon2id m=${PARAMS.memoryCost} KiB (${round(PARAMS.memoryCost / 1024)} MiB), t=${PARAMS.timeCost}, p=1`;
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end`;
    const date = new Date().toISOString().slice(0, 10);
    const notes =
      `${engine}; ${N} distinct teachers signing in with their 身份证号 through POST /api/auth/login (address back-off check, blind-index lookup, ` +
      `attempt count, argon2id verify, session row, audit line), ${CONCURRENCY} in flight, each from its own address; ${params}. ` +
      `Ours: p50 ${o.p50} ms, p95 ${o.p95} ms, p99 ${o.p99} ms, ${o.throughput} logins/s, all ${N} in ${o.wallS} s ` +
      `(${withinWindow ? 'within' : 'NOT within'} the 5-minute rush). Floor (bare verifies of the same hash, ${CONCURRENCY} in flight, half before and half after): ` +
      `p50 ${f.p50} ms, p95 ${f.p95} ms, ${f.throughput} verifies/s. p95 ratio ${ratio}, throughput ratio ${throughputRatio}. ${machine}.`;
    const record = {
      name: 'login-rush',
      date,
      scale: `${N} teachers, ${CONCURRENCY} in flight`,
      value: o.p95,
      unit: 'ms (p95 latency of a sign-in)',
      floor: f.p95,
      ratio,
      notes,
      engine,
      argon2: PARAMS,
      throughputRatio,
      ours: o,
      floorStats: f,
    };
    console.log(notes);
    if (args.includes('--no-write')) return;

    // One record per engine; the top-level figures are the engine with the worst ratio.
    const prev = existsSync(RESULT_FILE) ? (JSON.parse(readFileSync(RESULT_FILE, 'utf8')) as { engines?: Record<string, typeof record> }) : {};
    const engines = { ...(prev.engines ?? {}), [engine]: record };
    const worst = Object.values(engines).sort((a, b) => b.ratio - a.ratio)[0];
    const { engine: _e, ...top } = worst;
    writeFileSync(RESULT_FILE, `${JSON.stringify({ ...top, notes: `Worst of ${Object.keys(engines).join(' and ')}: ${worst.notes}`, engines }, null, 2)}\n`);
    const line =
      `- ${engine}, ${N} teachers, ${date}: p95 **${o.p95} ms** vs floor ${f.p95} ms → ratio **${ratio}**; ${o.throughput} logins/s vs ${f.throughput} verifies/s ` +
      `(throughput ratio ${throughputRatio}); all ${N} in ${o.wallS} s (${withinWindow ? 'within' : 'NOT within'} 5 min). ${params}. ${machine}.`;
    const intro =
      'A morning rush: every teacher of a county signs in once through `POST /api/auth/login` with their 身份证号 (address back-off, blind-index lookup, attempt count, argon2id verify, session row, audit line), 50 in flight, each from its own address; against bare argon2id verifies of the same hash at the same concurrency in the same run. ' +
      'Argon2id parameters: **m=19 MiB (19456 KiB), t=2, p=1** — OWASP’s minimum (its 19 MiB/t=2 line), kept because on PostgreSQL the verify is nearly all of a sign-in (ratio ≤ 1.5) and existing hashes keep working. On PGlite the database runs in the app’s own thread, so its share of a sign-in competes with the verifies for the same cores; on a loaded machine the ratio there is higher (below). Heavier parameters do not fix PGlite’s p95 (its single connection queues the 50 sign-ins’ statements): with 2,000 teachers on a quiet machine, m=19 MiB t=4 gave p95 ratio 1.59 (throughput 1.41), m=46 MiB t=2 1.52 (1.33), m=19 MiB t=6 1.55 (1.33), each halving or thirding the logins per second; so the parameters stay at the minimum and a region past a county’s rush uses PostgreSQL. The runs below had the 2 cores nearly to themselves (load ≈ 5); runs sharing them with other jobs at a load average of 25–38 gave ~7 verifies/s, 5,000 sign-ins on PostgreSQL in 778 s at ratio 1.15: the 5-minute window is a property of free cores, the ratio the figure that carries over. ' +
      '`npx tsx bench/login-rush.ts [teachers] [--pg] [--quick]`.';
    writeResultLine('## Login rush', intro, engine, line);
  } finally {
    await drop();
    await pgServer?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
