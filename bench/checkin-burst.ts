/**
 * QR check-in burst benchmark (issue 4).
 *
 *   npx tsx bench/checkin-burst.ts [teachers=2000] [--pg] [--concurrency=100] [--replays=0.1]
 *
 * Starts the real app (buildApp) on loopback over a fresh database, creates one project with one
 * session and `teachers` enrolled teachers each holding a logged-in session cookie (users and sessions
 * written in bulk, no argon2 logins), opens check-in through the API, then fires one POST /api/checkin
 * per teacher plus a share of duplicate replays (a second tap), `concurrency` requests in flight, with
 * the QR token refreshed from the organiser's token endpoint as the screen does. Bounded: every request
 * is issued within 60 s (the rest count as never answered) and each has a 30 s timeout.
 *
 * Afterwards, against the database: lost = teachers whose check-in returned 200 but have no attendance
 * row + teachers who never got an answer; duplicates = attendance rows beyond one per teacher.
 *
 * Floor, in the same run and process, same HTTP client, same request count and concurrency: a bare
 * Fastify route doing one INSERT … ON CONFLICT DO NOTHING into a scratch table over the same database
 * connection pool. ratio = our p95 latency ÷ floor p95 latency.
 *
 * Database: DATABASE_URL if set; --pg starts a throwaway PostgreSQL cluster from the local binaries
 * (default durability: every check-in pays for its commit); otherwise PGlite in memory.
 * Writes bench/results/checkin-burst.json (PostgreSQL) or checkin-burst-pglite.json, and the
 * '## Check-in burst' section of BENCHMARKS.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { createSession, SESSION_COOKIE } from '../server/src/platform/auth.js';
import { buildContext } from '../server/src/platform/context.js';
import { maskNationalId } from '../server/src/platform/national-id.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { insertUser } from '../server/src/modules/users/users.repository.js';
import { freshDatabase, startThrowawayPg } from '../test/pg-cluster.js';
import { writeResultLine } from './benchmarks-md.js';

const args = process.argv.slice(2);
const TEACHERS = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
const START_PG = args.includes('--pg');
const CONCURRENCY = Number(args.find((a) => a.startsWith('--concurrency='))?.split('=')[1] ?? 100);
const REPLAY_SHARE = Number(args.find((a) => a.startsWith('--replays='))?.split('=')[1] ?? 0.1);
const WARMUP = 200;
const BURST_WINDOW_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// HTTP on loopback: one keep-alive agent per target, at most CONCURRENCY sockets.

interface Reply {
  status: number; // 0: no answer (connection error or timeout)
  ms: number;
  body: string;
}

function post(agent: http.Agent, port: number, path: string, body: unknown, cookie: string): Promise<Reply> {
  const payload = JSON.stringify(body);
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const done = (status: number, text: string) => resolve({ status, ms: Number(process.hrtime.bigint() - t0) / 1e6, body: text });
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), cookie },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        res.on('error', () => done(0, ''));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(0, ''));
    req.end(payload);
  });
}

function getJson<T>(port: number, path: string, cookie: string): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { cookie } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as T);
        });
      })
      .on('error', reject);
  });
}

interface Shot {
  teacher: number; // index into the teacher list
  replay: boolean;
}

/** Run the shots with CONCURRENCY workers; none is issued after the window closes. */
async function burst(shots: Shot[], send: (s: Shot) => Promise<Reply>): Promise<{ results: (Reply | null)[]; wallMs: number }> {
  const results: (Reply | null)[] = new Array(shots.length).fill(null);
  let next = 0;
  const t0 = Date.now();
  const worker = async () => {
    while (next < shots.length && Date.now() - t0 < BURST_WINDOW_MS) {
      const i = next++;
      results[i] = await send(shots[i]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { results, wallMs: Date.now() - t0 };
}

/** Each teacher once, plus a share of replays (a second tap), in random order. */
function schedule(n: number, replayShare: number): Shot[] {
  const shots: Shot[] = Array.from({ length: n }, (_, i) => ({ teacher: i, replay: false }));
  for (let i = 0; i < Math.round(n * replayShare); i++) shots.push({ teacher: Math.floor(Math.random() * n), replay: true });
  for (let i = shots.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shots[i], shots[j]] = [shots[j], shots[i]];
  }
  return shots;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Stats {
  requests: number;
  answered: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  throughput: number;
  wallMs: number;
  statuses: Record<string, number>;
}

function stats(results: (Reply | null)[], wallMs: number): Stats {
  const answered = results.filter((r): r is Reply => r !== null && r.status !== 0);
  const ms = answered.map((r) => r.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const r of results) {
    const k = r === null ? 'not sent' : r.status === 0 ? 'no answer' : String(r.status);
    statuses[k] = (statuses[k] ?? 0) + 1;
  }
  return {
    requests: results.length,
    answered: answered.length,
    p50: round(percentile(ms, 50)),
    p95: round(percentile(ms, 95)),
    p99: round(percentile(ms, 99)),
    max: round(ms[ms.length - 1] ?? NaN),
    throughput: round(answered.length / (wallMs / 1000), 0),
    wallMs,
    statuses,
  };
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------------
// Data: one county, 20 schools, TEACHERS teachers with users and sessions, one project, two sessions.

interface World {
  organiserCookie: string;
  cookies: string[]; // per teacher
  teacherIds: number[];
  warmupSessionId: number;
  sessionId: number;
}

async function seed(ctx: ReturnType<typeof buildContext>, n: number): Promise<World> {
  const db = ctx.db;
  const city = await insertOrg(db, { code: 'CB-CITY', name: '基准市教育局', level: 'city', kind: 'bureau', parentId: null });
  const county = await insertOrg(db, { code: 'CB-C1', name: '基准县教育局', level: 'county', kind: 'bureau', parentId: city.id });
  const schools: number[] = [];
  for (let s = 0; s < 20; s++)
    schools.push(
      (await insertOrg(db, { code: `CB-S${s}`, name: `基准学校${s + 1}`, level: 'school', kind: 'school', stage: 'primary', parentId: county.id })).id,
    );

  const ids: string[] = [];
  const cols = {
    org: [] as number[],
    name: [] as string[],
    enc: [] as string[],
    idx: [] as string[],
    mask: [] as string[],
    gender: [] as string[],
    birth: [] as string[],
  };
  for (let i = 0; i < n; i++) {
    const gender = i % 2 ? 'male' : 'female';
    const birth = new Date(Date.UTC(1970, 0, 1) + (i % 9000) * 86400000).toISOString().slice(0, 10);
    const nid = makeNationalId('150102', birth, Math.floor(i / 9000) * 2 + (gender === 'male' ? 1 : 0), gender);
    ids.push(nid);
    cols.org.push(schools[i % schools.length]);
    cols.name.push(`基准教师${i + 1}`);
    cols.enc.push(ctx.pii.encrypt(nid));
    cols.idx.push(ctx.pii.blindIndex(nid));
    cols.mask.push(maskNationalId(nid));
    cols.gender.push(gender);
    cols.birth.push(birth);
  }
  const teacherIds = (
    await db.query<{ id: number }>(
      `INSERT INTO teachers (org_id, name, national_id_enc, national_id_idx, national_id_mask, gender, birth_date, stage, subjects)
       SELECT o, nm, e, x, m, g, b::date, 'primary', '{语文}' FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(o, nm, e, x, m, g, b)
       RETURNING id`,
      [cols.org, cols.name, cols.enc, cols.idx, cols.mask, cols.gender, cols.birth],
    )
  ).rows.map((r) => r.id);
  const users = (
    await db.query<{ id: number; teacher_id: number }>(
      `INSERT INTO users (username, password_hash, display_name, teacher_id)
       SELECT 'bench.t' || t.id, 'no-login', t.name, t.id FROM teachers t WHERE t.id = ANY($1::int[]) RETURNING id, teacher_id`,
      [teacherIds],
    )
  ).rows;
  await db.query(`INSERT INTO user_roles (user_id, role) SELECT unnest($1::int[]), 'teacher'`, [users.map((u) => u.id)]);
  // One login session per teacher, as if each had logged in on their phone (createSession is one INSERT).
  const cookieOf = new Map<number, string>();
  await db.tx(async (q) => {
    for (const u of users) cookieOf.set(u.teacher_id, `${SESSION_COOKIE}=${(await createSession(q, u.id)).token}`);
  });
  const organiser = await insertUser(db, {
    username: 'bench.organiser',
    passwordHash: 'no-login',
    displayName: '基准组织者',
    role: 'bureauAdmin',
    orgId: county.id,
  });
  const organiserCookie = `${SESSION_COOKIE}=${(await createSession(db, organiser)).token}`;

  const today = new Date().toISOString().slice(0, 10);
  const project = (
    await db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, created_by)
       VALUES ($1, 'P-BENCH-1', '签到压力测试项目', 'county', 'inPerson', '{ethics}', 6, $2::date, $2::date + 1, 'open', $3) RETURNING id`,
      [county.id, today, organiser],
    )
  ).rows[0].id;
  const session = async (title: string) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category) VALUES ($1, $2, $3, '00:00', '23:59', '报告厅', 3, 'ethics') RETURNING id`,
        [project, title, today],
      )
    ).rows[0].id;
  const warmupSessionId = await session('预热场次');
  const sessionId = await session('全员集中培训');
  await db.query('INSERT INTO enrolments (project_id, teacher_id) SELECT $1, unnest($2::int[])', [project, teacherIds]);
  return { organiserCookie, cookies: teacherIds.map((id) => cookieOf.get(id) as string), teacherIds, warmupSessionId, sessionId };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const pgServer = START_PG && !process.env.DATABASE_URL ? startThrowawayPg({ durable: true, prefix: 'qs-bench-pg-' }) : null;
  const adminUrl = process.env.DATABASE_URL ?? pgServer?.url;
  const engine = adminUrl ? 'PostgreSQL' : 'PGlite';
  const dir = mkdtempSync(join(tmpdir(), 'qs-bench-checkin-'));
  try {
    const { db, drop } = await freshDatabase(adminUrl);
    const ctx = buildContext(loadConfig({ NODE_ENV: 'bench', DEMO: '0', DATA_DIR: join(dir, 'data') }), db);
    const t0 = Date.now();
    const w = await seed(ctx, TEACHERS);
    console.log(`${engine}: seeded ${TEACHERS} teachers with users, sessions and enrolments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const app = await buildApp(ctx, { webDir: '/nonexistent' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;

    const floorApp = Fastify({ logger: false });
    await db.exec(
      'CREATE TABLE checkin_floor (session_id integer NOT NULL, teacher_id integer NOT NULL, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (session_id, teacher_id))',
    );
    floorApp.post<{ Body: { sessionId: number; teacherId: number } }>('/floor', async (req) => {
      const r = await db.query('INSERT INTO checkin_floor (session_id, teacher_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        req.body.sessionId,
        req.body.teacherId,
      ]);
      return { ok: r.rowCount > 0 };
    });
    await floorApp.listen({ host: '127.0.0.1', port: 0 });
    const floorPort = (floorApp.server.address() as AddressInfo).port;

    // Open check-in of both sessions as the organiser would, and keep the QR token fresh (the screen polls).
    for (const s of [w.warmupSessionId, w.sessionId]) {
      const r = await post(new http.Agent(), port, `/api/sessions/${s}/checkin/open`, {}, w.organiserCookie);
      if (r.status !== 200) throw new Error(`open check-in: ${r.status} ${r.body}`);
    }
    const tokens = new Map<number, string>();
    const refresh = async () => {
      for (const s of [w.warmupSessionId, w.sessionId])
        tokens.set(s, (await getJson<{ token: string }>(port, `/api/sessions/${s}/checkin/token`, w.organiserCookie)).token);
    };
    await refresh();
    const refresher = setInterval(() => void refresh().catch((e: unknown) => console.error('token refresh failed', e)), 5000);

    const ours = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const bare = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const checkin = (session: number) => (s: Shot) => post(ours, port, '/api/checkin', { token: tokens.get(session) }, w.cookies[s.teacher]);
    const floor = (session: number) => (s: Shot) =>
      post(bare, floorPort, '/floor', { sessionId: session, teacherId: w.teacherIds[s.teacher] }, w.cookies[s.teacher]);

    // Warm-up (JIT, connection pools, keep-alive sockets) on a separate session / key range.
    const warm = schedule(Math.min(WARMUP, TEACHERS), 0);
    await burst(warm, checkin(w.warmupSessionId));
    await burst(warm, floor(0));

    // The floor, then ours: same shots, same client, same concurrency.
    const shots = schedule(TEACHERS, REPLAY_SHARE);
    const f = await burst(shots, floor(1));
    const fs = stats(f.results, f.wallMs);
    console.log(`floor: ${JSON.stringify(fs)}`);
    const o = await burst(shots, checkin(w.sessionId));
    const os = stats(o.results, o.wallMs);
    console.log(`ours:  ${JSON.stringify(os)}`);
    clearInterval(refresher);

    // Check against the database.
    const rows = await db.query<{ teacher_id: number; n: number }>(
      'SELECT teacher_id, count(*)::int AS n FROM attendance WHERE session_id = $1 GROUP BY teacher_id',
      [w.sessionId],
    );
    const present = new Set(rows.rows.map((r) => r.teacher_id));
    const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance WHERE session_id = $1', [w.sessionId])).rows[0].n;
    const duplicates = total - present.size;
    const okBy = new Map<number, number>();
    const answeredBy = new Set<number>();
    const unexpected: Record<string, number> = {};
    shots.forEach((s, i) => {
      const r = o.results[i];
      if (r && r.status !== 0) answeredBy.add(s.teacher);
      if (r?.status === 200) okBy.set(s.teacher, (okBy.get(s.teacher) ?? 0) + 1);
      if (r && r.status !== 200 && r.status !== 409)
        unexpected[`${r.status} ${r.body.slice(0, 80)}`] = (unexpected[`${r.status} ${r.body.slice(0, 80)}`] ?? 0) + 1;
    });
    const okButMissing = [...okBy.keys()].filter((t) => !present.has(w.teacherIds[t])).length;
    const neverAnswered = w.teacherIds.filter((_, t) => !answeredBy.has(t)).length;
    const lost = okButMissing + neverAnswered;
    const double200 = [...okBy.values()].filter((n) => n > 1).length;
    const withoutRow = w.teacherIds.filter((id) => !present.has(id)).length;
    console.log(
      `check: rows ${total}, teachers present ${present.size}/${TEACHERS}, lost ${lost} (200 without row ${okButMissing}, never answered ${neverAnswered}), duplicates ${duplicates}, teachers with two 200s ${double200}, without row ${withoutRow}`,
    );
    if (Object.keys(unexpected).length) console.log('unexpected answers:', unexpected);

    await app.close();
    await floorApp.close();
    ours.destroy();
    bare.destroy();
    await drop();

    const ratio = round(os.p95 / fs.p95, 2);
    const date = new Date().toISOString().slice(0, 10);
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
    const replays = shots.filter((s) => s.replay).length;
    const notes =
      `${engine}; ${TEACHERS} teachers each checking in once plus ${replays} replays (second taps), ${CONCURRENCY} requests in flight over keep-alive loopback HTTP, in ${(o.wallMs / 1000).toFixed(1)} s. ` +
      `Ours (POST /api/checkin: session cookie lookup, signed rotating token, one statement doing the session/project KEY SHARE lock, state and enrolment check and INSERT … ON CONFLICT): ` +
      `p50 ${os.p50} ms, p95 ${os.p95} ms, p99 ${os.p99} ms, max ${os.max} ms, ${os.throughput} req/s; answers ${JSON.stringify(os.statuses)}. ` +
      `Floor (bare Fastify route, one INSERT … ON CONFLICT DO NOTHING, same pool): p50 ${fs.p50} ms, p95 ${fs.p95} ms, p99 ${fs.p99} ms, ${fs.throughput} req/s. ` +
      `Database check after the burst: ${present.size}/${TEACHERS} teachers present, ${total} rows, lost ${lost}, duplicates ${duplicates}, teachers answered 200 twice ${double200}. ${machine}.`;
    const record = {
      name: adminUrl ? 'checkin-burst' : 'checkin-burst-pglite',
      date,
      scale: `${TEACHERS} teachers + ${replays} replays, ${CONCURRENCY} concurrent`,
      value: os.p95,
      unit: 'ms (p95 latency)',
      floor: fs.p95,
      ratio,
      notes,
      lost,
      duplicates,
      ours: os,
      floorStats: fs,
    };
    writeFileSync(join(process.cwd(), 'bench', 'results', `${record.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    console.log(JSON.stringify({ ...record, ours: undefined, floorStats: undefined }, null, 2));
    updateBenchmarksMd(record, engine);
    if (lost || duplicates) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pgServer?.stop();
  }
}

/** Keep one line per engine under '## Check-in burst' in BENCHMARKS.md; other sections are left alone. */
function updateBenchmarksMd(
  r: { date: string; scale: string; value: number; floor: number; ratio: number; notes: string; lost: number; duplicates: number },
  engine: string,
) {
  const heading = '## Check-in burst';
  const intro =
    'A burst of QR check-ins against one session through the real app on loopback (`npx tsx bench/checkin-burst.ts [teachers] [--pg]`): every enrolled teacher ' +
    'checks in once with their own session cookie, plus 10 % replays, 100 in flight; then the attendance table is checked (lost = answered 200 but no row, or never answered; ' +
    'duplicates = rows beyond one per teacher). Floor in the same run: a bare Fastify route doing one INSERT … ON CONFLICT into a scratch table, same client and concurrency. ' +
    'ratio = our p95 ÷ floor p95.';
  const line = `- ${engine}, ${r.scale}, ${r.date}: p95 **${r.value} ms** vs floor ${r.floor} ms → ratio **${r.ratio}**; lost **${r.lost}**, duplicates **${r.duplicates}**. ${r.notes}`;
  writeResultLine(heading, intro, engine, line);
}

await main();
