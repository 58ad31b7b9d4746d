/**
 * 开通账号 for a whole school (and what that means for a county):
 *   npx tsx bench/account-issue.ts [teachers=300] [--pg]
 *
 * A fresh database with one school of N active teachers without accounts and its 系统管理员; then the
 * issue runs as the web runs it — rounds of ISSUE_CHUNK through the service (select, generate, hash on
 * the libuv pool HASH_CONCURRENCY at a time, insert accounts + roles, encrypt the 账号单 entries, audit)
 * until none remain — and the 账号单 is downloaded once. Floor in the same run: bare argon2id hashes of N
 * passwords at the same concurrency (and one at a time, what a plain loop would take). While the issue
 * runs, a "login" (one argon2id verify) every 250 ms measures what other users feel. Database:
 * DATABASE_URL if set; --pg starts a throwaway PostgreSQL 15; otherwise in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { freshDatabase, startThrowawayPg } from '../test/pg-cluster.js';
import { loadConfig } from '../server/src/config.js';
import type { CurrentUser } from '../server/src/platform/access.js';
import { createSession, hashPassword, loadSessionUser } from '../server/src/platform/auth.js';
import { buildContext } from '../server/src/platform/context.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { insertUser } from '../server/src/modules/users/users.repository.js';
import { ISSUE_CHUNK } from '../server/src/modules/accounts/accounts.schema.js';
import { HASH_CONCURRENCY } from '../server/src/modules/accounts/initial-password.js';
import { issueAccounts } from '../server/src/modules/accounts/issue.service.js';
import { downloadSlip } from '../server/src/modules/accounts/slips.js';
import { writeResultLine } from './benchmarks-md.js';

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 300);
const START_PG = args.includes('--pg');
const OPTS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const now = () => performance.now();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function bareHashes(n: number, concurrency: number): Promise<number> {
  const t0 = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        await hash(`Floor${next}aB3`, OPTS);
      }
    }),
  );
  return now() - t0;
}

/** Run fn while probing a login-like argon2 verify every 250 ms; the probe latencies. */
async function withProbe<T>(stored: string, fn: () => Promise<T>): Promise<{ result: T; probes: number[] }> {
  const probes: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = now();
      await verify(stored, 'Probe@2025');
      probes.push(now() - t0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const result = await fn();
  running = false;
  await loop;
  return { result, probes };
}

async function main() {
  const pgServer = START_PG && !process.env.DATABASE_URL ? startThrowawayPg({ durable: true, prefix: 'qs-bench-issue-' }) : null;
  const adminUrl = process.env.DATABASE_URL ?? pgServer?.url;
  const engine = adminUrl ? 'PostgreSQL' : 'PGlite';
  const { db, drop } = await freshDatabase(adminUrl, 'qs_bench_issue_');
  try {
    const ctx = buildContext(loadConfig({ NODE_ENV: 'test', DEMO: '0', DATA_DIR: '.tmp/bench' }), db);
    const city = await insertOrg(db, { code: 'B-CITY', name: '基准市教育局', level: 'city', kind: 'bureau', parentId: null });
    const school = await insertOrg(db, { code: 'B-S1', name: '基准第一中学', level: 'school', kind: 'school', stage: 'junior', parentId: city.id });
    // Teachers straight into the table (the import is measured elsewhere): what matters here is that they exist.
    await db.query(
      `INSERT INTO teachers (org_id, name, national_id_enc, national_id_idx, national_id_mask, gender, birth_date, stage)
       SELECT $1, '教师' || g, 'v1:x', $2 || g, '1501**********' || lpad(g::text, 4, '0'), 'female', '1985-01-01', 'junior'
         FROM generate_series(1, $3::int) g`,
      [school.id, randomBytes(6).toString('hex'), N],
    );
    const sysId = await insertUser(db, {
      username: 'bench.sys',
      passwordHash: await hashPassword('Bench@2025'),
      displayName: '系统管理员',
      role: 'sysAdmin',
      orgId: city.id,
    });
    const user = (await loadSessionUser(db, (await createSession(db, sysId)).token)) as CurrentUser;
    const probeHash = await hash('Probe@2025', OPTS);

    // Idle login probe, then the floors, then ours (one warm-up hash first).
    await hash('warm', OPTS);
    const idle: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = now();
      await verify(probeHash, 'Probe@2025');
      idle.push(now() - t0);
    }
    const floorSequential = await bareHashes(N, 1);
    const floorParallel = await bareHashes(N, HASH_CONCURRENCY);

    const rounds: number[] = [];
    const { result: slipId, probes } = await withProbe(probeHash, async () => {
      let slip: number | undefined;
      for (;;) {
        const t0 = now();
        const r = await issueAccounts(ctx, user, { orgId: school.id, ...(slip ? { slipId: slip } : {}) });
        rounds.push(now() - t0);
        slip = r.slipId;
        if (r.remaining === 0) break;
      }
      return slip as number;
    });
    const ours = rounds.reduce((a, b) => a + b, 0);
    const t0 = now();
    const slip = await downloadSlip(ctx, user, slipId);
    const downloadMs = now() - t0;
    const issued = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE teacher_id IS NOT NULL AND must_change_password`)).rows[0].n;
    if (issued !== N || slip.count !== N) throw new Error(`issued ${issued}, slip ${slip.count}, expected ${N}`);

    const perTeacher = ours / N;
    const county = 6000;
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end`;
    const line =
      `- ${engine}, ${N} teachers, ${new Date().toISOString().slice(0, 10)}: **${round(ours / 1000)} s** vs floor ${round(floorParallel / 1000)} s → ratio **${round(ours / floorParallel)}**. ` +
      `${rounds.length} rounds of ≤ ${ISSUE_CHUNK} (longest ${round(Math.max(...rounds) / 1000)} s: what the 系统管理员 waits per request, with a progress bar), ` +
      `${round(perTeacher, 1)} ms per teacher; hashing ${HASH_CONCURRENCY} at a time (one at a time the floor is ${round(floorSequential / 1000)} s). ` +
      `账号单 download (decrypt + .xlsx) ${round(downloadMs)} ms. A login-like argon2id verify meanwhile: p50 ${round(pct(probes, 50))} ms, max ${round(Math.max(...probes))} ms ` +
      `(idle ${round(pct(idle, 50))} ms). A county of ${county} teachers at this rate: ≈ ${Math.round((perTeacher * county) / 1000)} s in ${Math.ceil(county / ISSUE_CHUNK)} rounds. ${machine}.`;
    console.log(line);
    const intro =
      '开通账号 for one school through the service in the rounds the web sends (select, generate, argon2id on the libuv pool several at a time, insert accounts and 教师 roles, encrypt 账号单 entries, audit), then the one-time 账号单 download, against a floor of bare argon2id hashes of as many passwords at the same concurrency in the same run. The ratio is the figure that carries over (hashing is nearly all of it); the seconds scale with the free CPU — the runs below shared 2 cores with a load average near 20, where a bare hash took 60–100 ms instead of ~40 ms idle. ' +
      '`npx tsx bench/account-issue.ts [teachers] [--pg]`.';
    if (!args.includes('--no-write')) writeResultLine('## Account issue', intro, engine, line);
  } finally {
    await drop();
    await pgServer?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
