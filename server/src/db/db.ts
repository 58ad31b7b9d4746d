import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Run fn inside one transaction; rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Run a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

// Dates stay 'YYYY-MM-DD' strings, numerics become numbers, bigints numbers (ids < 2^53).
const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v));
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

class PgDb implements Db {
  readonly kind = 'pg' as const;
  constructor(private pool: pg.Pool) {}
  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    const r = await this.pool.query(sql, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const q: Queryable = {
        async query<R>(sql: string, params: unknown[] = []) {
          const r = await client.query(sql, params as unknown[]);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
      };
      const out = await fn(q);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }
  /** The pool, for bulk paths (COPY) that need a raw client. */
  get rawPool(): pg.Pool {
    return this.pool;
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

const pgliteParsers = {
  [DATE_OID]: (v: string) => v,
  [NUMERIC_OID]: (v: string) => Number(v),
  [INT8_OID]: (v: string) => Number(v),
};

/** Benchmarks: `on: false` is the behaviour before the yield (bench/event-loop-under-load.ts baseline). */
export const PGLITE_YIELD = { on: true };

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(private pg: PGlite) {}
  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    // PGlite runs each query on this thread and resolves through microtasks only, so a chain of queries (a city
    // summary: seconds) never lets the event loop read a socket. Yield to I/O before each one (issue 9 item 15).
    if (PGLITE_YIELD.on) await new Promise<void>((resolve) => setImmediate(resolve));
    const r = await this.pg.query<T>(sql, params, { parsers: pgliteParsers });
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (t) =>
      fn({
        async query<R>(sql: string, params: unknown[] = []) {
          const r = await t.query<R>(sql, params, { parsers: pgliteParsers });
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
      }),
    );
  }
  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }
  get raw(): PGlite {
    return this.pg;
  }
  async close(): Promise<void> {
    await this.pg.close();
  }
}

export type { PgDb, PgliteDb };

/** Open PostgreSQL when a URL is given, else PGlite in dataDir (or in memory when dataDir is 'memory://'). */
export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    await pool.query('SELECT 1');
    return new PgDb(pool);
  }
  const dir = opts.dataDir && opts.dataDir !== 'memory://' ? `${opts.dataDir.replace(/\/$/, '')}/pglite` : undefined;
  const instance = dir ? await PGlite.create(dir) : await PGlite.create();
  return new PgliteDb(instance);
}

export function isPgDb(db: Db): db is PgDb {
  return db.kind === 'pg';
}
export function isPgliteDb(db: Db): db is PgliteDb {
  return db.kind === 'pglite';
}
