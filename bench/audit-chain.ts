/**
 * What the audit log's hash chain costs a login (issue 9 item 5).
 *
 *   npx tsx bench/audit-chain.ts [--pg] [--logins=2000] [--concurrency=50]
 *
 * The chain is built off the request path: a login writes its audit row with a plain INSERT (as before the
 * chain), and a sealer (one at a time, row lock on the chain's head) seals committed rows every few seconds.
 * Measured, in one run over one database:
 *   1. plain     — the database work of a login (session row + audit row, one transaction) with nothing else;
 *   2. sealing   — the same while a sealer runs continuously (every 20 ms instead of every 5 s);
 *   3. in-tx     — the alternative not chosen: a BEFORE INSERT trigger that chains inside the writer's
 *                  transaction (locks the head row until commit, SHA-256 in SQL), so concurrent logins queue;
 *   4. real      — full POST /api/auth/login through the app (argon2id included), sealer off vs on.
 * Plus sealing and verification throughput for a 50,000-row log.
 * `concurrency` transactions in flight; each login transaction also does ~2 ms of other work after its audit
 * row (pg_sleep), as a real one does (role lookup, last_role_id update).
 *
 * Database: --pg starts a throwaway PostgreSQL cluster (default durability); otherwise PGlite in memory (one
 * connection: everything is serial there, so only 4. and the throughput mean much).
 * Writes bench/results/audit-chain.json (PostgreSQL) or audit-chain-pglite.json, and a BENCHMARKS.md section.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import type { Db } from '../server/src/db/db.js';
import { audit } from '../server/src/platform/audit.js';
import { hashPassword } from '../server/src/platform/auth.js';
import { buildContext } from '../server/src/platform/context.js';
import { sealAuditLog, verifyAuditChain } from '../server/src/modules/audit/audit-chain.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { setSettingsAsSystem } from '../server/src/modules/security/security.service.js';
import { insertUser } from '../server/src/modules/users/users.repository.js';
import { freshDatabase, startThrowawayPg } from '../test/pg-cluster.js';
import { writeResultLine } from './benchmarks-md.js';

const args = process.argv.slice(2);
const START_PG = args.includes('--pg');
const LOGINS = Number(args.find((a) => a.startsWith('--logins='))?.split('=')[1] ?? 2000);
const CONCURRENCY = Number(args.find((a) => a.startsWith('--concurrency='))?.split('=')[1] ?? 50);
const REAL_LOGINS = 300;
const LOG_ROWS = 50_000;

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

async function measure(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<Stats> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const s = performance.now();
        await one(i);
        ms.push(performance.now() - s);
      }
    }),
  );
  const total = performance.now() - t0;
  ms.sort((a, b) => a - b);
  const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] * 10) / 10;
  return { n, p50: q(0.5), p95: q(0.95), p99: q(0.99), perSecond: Math.round((n / total) * 1000) };
}

/** The database work of a login: a session row and an audit row in one transaction, then ~2 ms more. */
const loginTx = (db: Db, userId: number, roleId: number, i: number) =>
  db.tx(async (q) => {
    await q.query(`INSERT INTO auth_sessions (token_hash, user_id, role_id, expires_at) VALUES ($1, $2, $3, now() + interval '12 hours')`, [
      `bench-${Date.now()}-${i}-${Math.random()}`,
      userId,
      roleId,
    ]);
    await audit(q, { id: userId, orgId: null }, 'login', 'user', userId, { by: 'username' }, '10.0.0.1');
    await q.query('SELECT pg_sleep(0.002)');
  });

// The alternative not chosen: chain inside the writer's transaction.
const IN_TX_CHAIN = `
CREATE TABLE bench_chain_head (id boolean PRIMARY KEY, seq bigint NOT NULL, hash text NOT NULL);
INSERT INTO bench_chain_head VALUES (true, 0, 'genesis');
ALTER TABLE audit_log ADD COLUMN bench_seq bigint, ADD COLUMN bench_hash text;
CREATE FUNCTION bench_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE h record;
BEGIN
  SELECT seq, hash INTO h FROM bench_chain_head WHERE id FOR UPDATE;
  NEW.bench_seq := h.seq + 1;
  NEW.bench_hash := encode(sha256(convert_to(concat_ws('|', NEW.bench_seq, NEW.at, NEW.user_id, NEW.action, NEW.entity, NEW.entity_id, NEW.detail::text, NEW.ip, h.hash), 'UTF8')), 'hex');
  UPDATE bench_chain_head SET seq = NEW.bench_seq, hash = NEW.bench_hash WHERE id;
  RETURN NEW;
END $$;
CREATE TRIGGER bench_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION bench_chain();`;

async function main(): Promise<void> {
  const cluster = START_PG ? startThrowawayPg({ durable: true, prefix: 'qs-bench-audit-' }) : null;
  const { db, drop } = await freshDatabase(cluster?.url);
  const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', DATA_DIR: '.tmp/bench-audit' });
  const ctx = buildContext(config, db);
  try {
    const org = await insertOrg(db, { code: 'B-CITY', name: '基准市教育局', level: 'city', kind: 'bureau', parentId: null });
    const hash = await hashPassword('Bench@2025x');
    const users: { id: number; roleId: number; username: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const username = `bench.${i}`;
      const id = await insertUser(db, { username, passwordHash: hash, displayName: `基准${i}`, role: 'bureauAdmin', orgId: org.id });
      const roleId = (await db.query<{ id: number }>('SELECT id FROM user_roles WHERE user_id = $1', [id])).rows[0].id;
      users.push({ id, roleId, username });
    }
    await setSettingsAsSystem(ctx, { totpRequired: false }, '基准测试');
    const u = (i: number) => users[i % users.length];
    const log = (s: string) => console.log(s);

    log(`logins (database work) × ${LOGINS}, ${CONCURRENCY} in flight, ${db.kind}`);
    const plain = await measure(LOGINS, CONCURRENCY, (i) => loginTx(db, u(i).id, u(i).roleId, i));
    log(`  plain:   ${JSON.stringify(plain)}`);
    let sealing = true;
    let sealed = 0;
    const sealer = (async () => {
      while (sealing) {
        sealed += await sealAuditLog(db, config.secret);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const withSealer = await measure(LOGINS, CONCURRENCY, (i) => loginTx(db, u(i).id, u(i).roleId, i));
    sealing = false;
    await sealer;
    log(`  sealing: ${JSON.stringify(withSealer)} (sealed ${sealed} rows meanwhile)`);
    await db.exec(IN_TX_CHAIN);
    const inTx = await measure(LOGINS, CONCURRENCY, (i) => loginTx(db, u(i).id, u(i).roleId, i));
    await db.exec('DROP TRIGGER bench_chain ON audit_log');
    log(`  in-tx:   ${JSON.stringify(inTx)}`);

    // Full logins through the app (argon2id verify dominates), sealer off vs on.
    const app = await buildApp(ctx, { webDir: '/nonexistent' });
    await app.ready();
    const realLogin = (i: number) =>
      app
        .inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: u(i).username, password: 'Bench@2025x' },
          remoteAddress: `10.1.${i % 250}.${(i >> 8) % 250}`,
        })
        .then((r) => {
          if (r.statusCode !== 200) throw new Error(`login ${r.statusCode} ${r.body}`);
        });
    const realOff = await measure(REAL_LOGINS, 20, realLogin);
    sealing = true;
    const sealer2 = (async () => {
      while (sealing) {
        await sealAuditLog(db, config.secret);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const realOn = await measure(REAL_LOGINS, 20, realLogin);
    sealing = false;
    await sealer2;
    await app.close();
    log(`  real logins, sealer off: ${JSON.stringify(realOff)}; on: ${JSON.stringify(realOn)}`);

    // Throughput on a larger log.
    const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    await db.query(
      `INSERT INTO audit_log (user_id, action, entity, entity_id, detail, ip)
       SELECT g % 200, 'bench.row', 'user', g::text, jsonb_build_object('i', g), '10.0.0.1' FROM generate_series(1, $1::int) g`,
      [Math.max(0, LOG_ROWS - have)],
    );
    let t0 = performance.now();
    const n = await sealAuditLog(db, config.secret);
    const sealMs = performance.now() - t0;
    t0 = performance.now();
    const report = await verifyAuditChain(db, config.secret);
    const verifyMs = performance.now() - t0;
    if (!report.ok) throw new Error(`chain not intact: ${report.problems[0]?.message}`);
    const throughput = {
      sealed: n,
      sealRowsPerSecond: Math.round((n / sealMs) * 1000),
      verified: report.checked,
      verifyRowsPerSecond: Math.round((report.checked / verifyMs) * 1000),
    };
    log(`  throughput: ${JSON.stringify(throughput)}`);

    const result = {
      db: db.kind,
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) },
      concurrency: CONCURRENCY,
      loginTransactions: { plain, withSealer, inTransactionChain: inTx },
      realLogins: { concurrency: 20, sealerOff: realOff, sealerOn: realOn },
      throughput,
    };
    const file = join('bench', 'results', db.kind === 'pg' ? 'audit-chain.json' : 'audit-chain-pglite.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const ratio = (a: Stats, b: Stats) => Math.round((a.p95 / b.p95) * 100) / 100;
    writeResultLine(
      '## Audit hash chain: cost on a login',
      `The audit row of a login is a plain INSERT; a sealer chains committed rows (HMAC-SHA256, one linear chain) a few seconds later (bench/audit-chain.ts). p95 of a login's database transaction (session + audit row + ~2 ms), ${CONCURRENCY} in flight, ${LOGINS} each: plain / with a sealer running every 20 ms / the alternative of chaining inside the transaction (head row locked until commit). Real logins: POST /api/auth/login with argon2id, 20 in flight, sealer off/on. Load average at the end of the run in brackets.`,
      db.kind === 'pg' ? 'PostgreSQL' : 'PGlite',
      `- ${db.kind === 'pg' ? 'PostgreSQL' : 'PGlite'}, ${new Date().toISOString().slice(0, 10)}: transaction p95 plain ${plain.p95} ms, with sealer ${withSealer.p95} ms (×${ratio(withSealer, plain)}), chained in-transaction ${inTx.p95} ms (×${ratio(inTx, plain)}); real login p95 ${realOff.p95} → ${realOn.p95} ms with the sealer; sealing ${throughput.sealRowsPerSecond} rows/s, verifying ${throughput.verifyRowsPerSecond} rows/s [load ${result.machine.loadavg[0]}]`,
    );
    console.log(`结果已写入 ${file}`);
  } finally {
    await drop();
    await cluster?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
