import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Db } from '../server/src/db/db.js';

/**
 * A throwaway PostgreSQL cluster from the local Debian binaries, shared by the 'postgres' test
 * project (test/pg-global-setup.ts) and the benchmarks (bench/*.ts). Only node built-ins and `pg`
 * are imported at the top: the vitest global setup should not load the server.
 */

export interface ThrowawayPg {
  /** Connection URL of the `postgres` database (superuser, trust auth). */
  url: string;
  /** PID of the postmaster, for reading its CPU time. */
  postmasterPid: number;
  /**
   * Stop the cluster and delete its folder; safe to call twice. Asynchronous so that the vitest main
   * process (global teardown) is not blocked while pg_ctl waits and hundreds of MB of test databases go.
   */
  stop(): Promise<void>;
}

export interface ThrowawayPgOptions {
  /**
   * true: PostgreSQL's default durability (benchmarks must pay for WAL and commits as production does).
   * false (default): fsync, synchronous_commit and full_page_writes off — fast, for tests.
   */
  durable?: boolean;
  /** Folder name prefix under the temp dir. */
  prefix?: string;
  /** max_connections (tests open one pool per test file); PostgreSQL's default when absent. */
  maxConnections?: number;
}

/** The bin folder of the installed PostgreSQL, 15 when present. */
export function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  if (!versions.length) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql: install postgresql-15 or set DATABASE_URL');
  return join(base, versions.includes('15') ? '15' : versions[0], 'bin');
}

/** initdb + pg_ctl start on a random loopback port in a fresh temp folder. */
export function startThrowawayPg(opts: ThrowawayPgOptions = {}): ThrowawayPg {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), opts.prefix ?? 'qs-pg-'));
  // The postgres user must be able to enter the folder when we run its binaries as root.
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = 55000 + Math.floor(Math.random() * 5000);
  // PostgreSQL refuses to run as root: run its binaries as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  const command = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
  const run = (cmd: string, args: string[]) => execFileSync(...command(cmd, args), { stdio: 'pipe' });
  const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1'];
  if (opts.maxConnections) settings.push(`-c max_connections=${opts.maxConnections}`);
  if (!opts.durable) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      // Tests do not need a clean shutdown; a benchmark's last numbers are already written.
      const child = spawn(...command('pg_ctl', ['-D', data, '-m', opts.durable ? 'fast' : 'immediate', 'stop']), { stdio: 'ignore' });
      child.on('error', () => resolve());
      child.on('exit', () => resolve());
    }).then(() => rm(dir, { recursive: true, force: true })));
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', settings.join(' '), 'start']);
  } catch (e) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${(e as Error).message}\n${log}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    postmasterPid: Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop,
  };
}

/** CREATE DATABASE <prefix><random> on the server of adminUrl; drop() removes it again. */
export async function createDatabase(adminUrl: string, prefix = 'qs_'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A fresh, migrated database: a new database on the server of adminUrl, or in-memory PGlite when
 * adminUrl is undefined. drop() closes it (and drops the PostgreSQL database).
 */
export async function freshDatabase(adminUrl: string | undefined, prefix = 'qs_bench_'): Promise<{ db: Db; drop: () => Promise<void> }> {
  // Loaded here, not at the top, so the global setup does not pull in PGlite and the server.
  const { openDb } = await import('../server/src/db/db.js');
  const { migrate } = await import('../server/src/db/migrate.js');
  if (!adminUrl) {
    const db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const created = await createDatabase(adminUrl, prefix);
  const db = await openDb({ databaseUrl: created.url });
  await migrate(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await created.drop();
    },
  };
}
