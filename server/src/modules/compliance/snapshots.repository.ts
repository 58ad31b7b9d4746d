/** SQL of the stored compliance summaries (compliance_snapshots) and the change log they are checked against. */
import type { Queryable } from '../../db/db.js';

export interface SnapshotRow<B> {
  key: string;
  watermark: string;
  computedAt: string;
  durationMs: number;
  body: B;
}

/** The change log's (count, max id): equal before and after means nothing the evaluation reads was written in between. */
export async function changeMark(q: Queryable): Promise<string> {
  const r = await q.query<{ n: number; m: number | null }>(`SELECT count(*)::bigint AS n, max(id) AS m FROM data_changes`);
  return `${r.rows[0].n}:${r.rows[0].m ?? 0}`;
}

export async function readSnapshot<B>(q: Queryable, key: string): Promise<SnapshotRow<B> | null> {
  const r = await q.query<{ key: string; watermark: string; computed_at: Date | string; duration_ms: number; body: B }>(
    `SELECT key, watermark, computed_at, duration_ms, body FROM compliance_snapshots WHERE key = $1`,
    [key],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { key: row.key, watermark: row.watermark, computedAt: new Date(row.computed_at).toISOString(), durationMs: row.duration_ms, body: row.body };
}

/** The change-log mark a stored summary was computed at (null: none stored), without reading its body. */
export async function snapshotMark(q: Queryable, key: string): Promise<string | null> {
  const r = await q.query<{ watermark: string }>(`SELECT watermark FROM compliance_snapshots WHERE key = $1`, [key]);
  return r.rows[0]?.watermark ?? null;
}

/** Remember that a snapshot is still looked at (at most one write per key every ten minutes). */
export async function touchSnapshot(q: Queryable, key: string): Promise<void> {
  await q.query(`UPDATE compliance_snapshots SET read_at = now() WHERE key = $1 AND read_at < now() - interval '10 minutes'`, [key]);
}

export async function saveSnapshot(
  q: Queryable,
  s: {
    key: string;
    policyVersionId: number;
    orgId: number;
    asOf: string;
    watermark: string;
    computedAt: string;
    durationMs: number;
    opening: boolean;
    body: unknown;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO compliance_snapshots (key, policy_version_id, org_id, as_of, watermark, computed_at, duration_ms, opening, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
     ON CONFLICT (key) DO UPDATE SET watermark = EXCLUDED.watermark, computed_at = EXCLUDED.computed_at, duration_ms = EXCLUDED.duration_ms,
       opening = compliance_snapshots.opening OR EXCLUDED.opening, read_at = now(), body = EXCLUDED.body
     WHERE compliance_snapshots.computed_at <= EXCLUDED.computed_at`,
    [s.key, s.policyVersionId, s.orgId, s.asOf, s.watermark, s.computedAt, s.durationMs, s.opening, JSON.stringify(s.body)],
  );
}

/**
 * Housekeeping: drop snapshots nobody read for a week, and change-log rows older than two days
 * (this changes the log's count, so every snapshot is recomputed once afterwards: run it at night).
 */
export async function purge(q: Queryable, opts: { changeLog: boolean }): Promise<{ snapshots: number; changes: number }> {
  const s = await q.query(`DELETE FROM compliance_snapshots WHERE read_at < now() - interval '7 days'`);
  const c = opts.changeLog ? await q.query(`DELETE FROM data_changes WHERE at < now() - interval '2 days'`) : { rowCount: 0 };
  return { snapshots: s.rowCount ?? 0, changes: c.rowCount ?? 0 };
}
