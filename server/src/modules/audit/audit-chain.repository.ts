import type { Queryable } from '../../db/db.js';

/** An audit row as the chain hashes it: every column as text, in one fixed form on every database. */
export interface ChainRow {
  id: number;
  at: string;
  user_id: number | null;
  org_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string;
  ip: string | null;
}

const ROW_COLUMNS = `a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, a.user_id, a.org_id, a.action,
  a.entity, a.entity_id, a.detail::text AS detail, a.ip`;

/** Rows a later sealer run could still find unsealed lie at most this far below the newest sealed id. */
const REORDER_WINDOW = 100_000;

export interface Head {
  seq: number;
  hash: string;
}

/** The end of the chain, row-locked: one sealer at a time (others wait, then see what it sealed). */
export async function lockHead(q: Queryable): Promise<Head> {
  return (await q.query<Head>('SELECT seq, hash FROM audit_chain_head WHERE id FOR UPDATE')).rows[0];
}

export async function readHead(q: Queryable): Promise<Head> {
  return (await q.query<Head>('SELECT seq, hash FROM audit_chain_head WHERE id')).rows[0];
}

/**
 * Committed rows without a seal, oldest id first. A row committed after a higher id was sealed is found too
 * (ids are taken at insert, commits may finish out of order), within REORDER_WINDOW ids.
 */
export async function unsealedRows(q: Queryable, limit: number): Promise<ChainRow[]> {
  const r = await q.query<ChainRow>(
    `SELECT ${ROW_COLUMNS} FROM audit_log a
      WHERE a.id > (SELECT COALESCE(max(log_id), 0) FROM audit_seals) - $1
        AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.log_id = a.id)
      ORDER BY a.id LIMIT $2`,
    [REORDER_WINDOW, limit],
  );
  return r.rows;
}

export async function insertSeals(q: Queryable, seals: { seq: number; logId: number; prev: string; hash: string }[]): Promise<void> {
  await q.query(
    `INSERT INTO audit_seals (seq, log_id, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`,
    [seals.map((s) => s.seq), seals.map((s) => s.logId), seals.map((s) => s.prev), seals.map((s) => s.hash)],
  );
}

export async function moveHead(q: Queryable, head: Head): Promise<void> {
  await q.query('UPDATE audit_chain_head SET seq = $1, hash = $2, updated_at = now() WHERE id', [head.seq, head.hash]);
}

export interface SealWithRow {
  seq: number;
  log_id: number;
  prev_hash: string;
  hash: string;
  /** The sealed row, or nulls when it is gone. */
  row: ChainRow | null;
}

/** Seals in chain order after `afterSeq`, each with its row (if it still exists). */
export async function sealsAfter(q: Queryable, afterSeq: number, limit: number): Promise<SealWithRow[]> {
  const r = await q.query<{ seq: number; log_id: number; prev_hash: string; hash: string; found: boolean } & ChainRow>(
    `SELECT s.seq, s.log_id, s.prev_hash, s.hash, a.id IS NOT NULL AS found, ${ROW_COLUMNS}
       FROM audit_seals s LEFT JOIN audit_log a ON a.id = s.log_id
      WHERE s.seq > $1 ORDER BY s.seq LIMIT $2`,
    [afterSeq, limit],
  );
  return r.rows.map(({ seq, log_id, prev_hash, hash, found, ...row }) => ({ seq, log_id, prev_hash, hash, row: found ? row : null }));
}

/** Rows older than `minutes` that have no seal (the sealer did not run, or a row slipped in below the window). */
export async function countUnsealed(q: Queryable, minutes: number): Promise<{ n: number; first: number | null }> {
  const r = await q.query<{ n: number; first: number | null }>(
    `SELECT count(*)::int AS n, min(a.id) AS first FROM audit_log a
      WHERE a.at < now() - make_interval(mins => $1::int) AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.log_id = a.id)`,
    [minutes],
  );
  return r.rows[0];
}
