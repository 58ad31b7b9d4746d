/**
 * All SQL of 目标与经费数据. Both tables are append-only (a trigger refuses UPDATE/DELETE): the latest
 * recorded_at (then id) per (org, metric, year) is the current figure, exactly as the compliance engine
 * reads it. Every read joins orgs and is limited to the caller's subtree in SQL.
 */
import type { Queryable } from '../../db/db.js';
import type { IndicatorKind } from './indicators.schema.js';

const TABLES: Record<IndicatorKind, { table: string; value: string }> = {
  targets: { table: 'target_counts', value: 'value' },
  funding: { table: 'funding_figures', value: 'amount' },
};

export interface OrgRef {
  id: number;
  code: string;
  name: string;
  kind: string;
  level: string;
  path: string;
}

export async function orgInScope(q: Queryable, scopePath: string, id: number): Promise<OrgRef | null> {
  const r = await q.query<OrgRef>(`SELECT o.id, o.code, o.name, o.kind, o.level, o.path FROM orgs o WHERE o.id = $1 AND o.path LIKE $2 || '%'`, [
    id,
    scopePath,
  ]);
  return r.rows[0] ?? null;
}

/** Orgs of the subtree by code (the Excel import names orgs by code): one query for the whole file. */
export async function orgsByCode(q: Queryable, scopePath: string, codes: string[]): Promise<OrgRef[]> {
  if (!codes.length) return [];
  return (
    await q.query<OrgRef>(`SELECT o.id, o.code, o.name, o.kind, o.level, o.path FROM orgs o WHERE o.code = ANY($1::text[]) AND o.path LIKE $2 || '%'`, [
      codes,
      scopePath,
    ])
  ).rows;
}

export interface NewFigure {
  orgId: number;
  year: number;
  metric: string;
  /** null only for a target 撤销覆盖 row (cleared). */
  value: number | null;
  source: string;
  /** targets: the override's (or the clearing's) reason; ignored for funding. */
  reason?: string | null;
  cleared?: boolean;
}

export interface FigureRow {
  id: number;
  org_id: number;
  org_code: string;
  org_name: string;
  org_kind: string;
  metric: string;
  year: number;
  value: number | null;
  source: string;
  recorded_at: string;
  recorded_by_name: string | null;
  /** targets only (migration 0056). */
  reason?: string;
  cleared?: boolean;
}

/** Append figures (never UPDATE): one statement for any number of rows. Returns the new ids in input order. */
export async function insertFigures(q: Queryable, kind: IndicatorKind, userId: number, rows: NewFigure[]): Promise<number[]> {
  if (!rows.length) return [];
  const t = TABLES[kind];
  const base = [rows.map((x) => x.orgId), rows.map((x) => x.year), rows.map((x) => x.metric), rows.map((x) => x.value), rows.map((x) => x.source), userId];
  const r =
    kind === 'targets'
      ? await q.query<{ id: number }>(
          `INSERT INTO target_counts (org_id, year, metric, value, source, recorded_by, reason, cleared)
           SELECT x.org_id, x.year, x.metric, x.value, x.source, $6, x.reason, x.cleared
             FROM unnest($1::int[], $2::int[], $3::text[], $4::numeric[], $5::text[], $7::text[], $8::boolean[])
                  WITH ORDINALITY AS x(org_id, year, metric, value, source, reason, cleared, n)
            ORDER BY x.n
           RETURNING id`,
          [...base, rows.map((x) => x.reason ?? ''), rows.map((x) => x.cleared ?? false)],
        )
      : await q.query<{ id: number }>(
          `INSERT INTO ${t.table} (org_id, year, metric, ${t.value}, source, recorded_by)
           SELECT x.org_id, x.year, x.metric, x.value, x.source, $6
             FROM unnest($1::int[], $2::int[], $3::text[], $4::numeric[], $5::text[]) WITH ORDINALITY AS x(org_id, year, metric, value, source, n)
            ORDER BY x.n
           RETURNING id`,
          base,
        );
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
}

const SELECT = (kind: IndicatorKind, opts: { distinct?: boolean; extra?: string } = {}) => {
  const t = TABLES[kind];
  return `SELECT ${opts.distinct ? 'DISTINCT ON (f.org_id, f.metric, f.year) ' : ''}f.id, f.org_id, o.code AS org_code, o.name AS org_name, o.kind AS org_kind, o.path AS org_path, f.metric, f.year,
                 f.${t.value} AS value, f.source, f.recorded_at, u.display_name AS recorded_by_name${kind === 'targets' ? ', f.reason, f.cleared' : ''}${opts.extra ?? ''}
            FROM ${t.table} f JOIN orgs o ON o.id = f.org_id LEFT JOIN users u ON u.id = f.recorded_by`;
};

export interface FigureFilter {
  orgId?: number;
  year?: number;
  metric?: string;
}

function filterSql(scopePath: string, f: FigureFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [scopePath];
  const conds = [`o.path LIKE $1 || '%'`];
  if (f.orgId !== undefined) conds.push(`f.org_id = $${params.push(f.orgId)}`);
  if (f.year !== undefined) conds.push(`f.year = $${params.push(f.year)}`);
  if (f.metric !== undefined) conds.push(`f.metric = $${params.push(f.metric)}`);
  return { where: conds.join(' AND '), params };
}

/**
 * The current figure per (org, metric, year) in the subtree, with how many times it was recorded,
 * newest year first, then by org tree order and metric.
 */
export async function listCurrent(
  q: Queryable,
  kind: IndicatorKind,
  scopePath: string,
  f: FigureFilter,
  limit: number,
  offset: number,
): Promise<{ rows: (FigureRow & { versions: number })[]; total: number }> {
  const w = filterSql(scopePath, f);
  const r = await q.query<FigureRow & { versions: number; total: number }>(
    `SELECT x.*, count(*) OVER ()::int AS total FROM (
       ${SELECT(kind, { distinct: true, extra: ', count(*) OVER (PARTITION BY f.org_id, f.metric, f.year)::int AS versions' })}
        WHERE ${w.where}
        ORDER BY f.org_id, f.metric, f.year, f.recorded_at DESC, f.id DESC) x
      ORDER BY x.year DESC, x.org_path, x.metric
      LIMIT $${w.params.length + 1} OFFSET $${w.params.length + 2}`,
    [...w.params, limit, offset],
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

/** Every recorded value of one org, metric and year, newest (the one that counts) first. */
export async function history(q: Queryable, kind: IndicatorKind, scopePath: string, orgId: number, metric: string, year: number): Promise<FigureRow[]> {
  const w = filterSql(scopePath, { orgId, metric, year });
  return (await q.query<FigureRow>(`${SELECT(kind)} WHERE ${w.where} ORDER BY f.recorded_at DESC, f.id DESC`, w.params)).rows;
}

/** The current value per (org, metric, year) key, for deciding which imported rows change nothing. */
export async function currentValues(
  q: Queryable,
  kind: IndicatorKind,
  keys: { orgId: number; metric: string; year: number }[],
): Promise<Map<string, { value: number | null; source: string; reason: string | null }>> {
  const out = new Map<string, { value: number | null; source: string; reason: string | null }>();
  if (!keys.length) return out;
  const t = TABLES[kind];
  const r = await q.query<{ org_id: number; metric: string; year: number; value: number | null; source: string; reason: string | null }>(
    `SELECT DISTINCT ON (f.org_id, f.metric, f.year) f.org_id, f.metric, f.year, f.${t.value} AS value, f.source, ${kind === 'targets' ? 'f.reason' : 'NULL::text AS reason'}
       FROM ${t.table} f JOIN unnest($1::int[], $2::text[], $3::int[]) AS k(org_id, metric, year)
         ON f.org_id = k.org_id AND f.metric = k.metric AND f.year = k.year
      ORDER BY f.org_id, f.metric, f.year, f.recorded_at DESC, f.id DESC`,
    [keys.map((k) => k.orgId), keys.map((k) => k.metric), keys.map((k) => k.year)],
  );
  for (const x of r.rows)
    out.set(figureKey(x.org_id, x.metric, x.year), { value: x.value === null ? null : Number(x.value), source: x.source, reason: x.reason });
  return out;
}

export const figureKey = (orgId: number, metric: string, year: number) => `${orgId}|${metric}|${year}`;

// ---------------------------------------------------------------- import batches

export const batchKind = (kind: IndicatorKind) => `indicators.${kind}`;

export async function insertBatch(
  q: Queryable,
  b: { kind: IndicatorKind; userId: number; orgId: number; fileName: string; sha256: string; rows: unknown; summary: unknown },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO import_batches (kind, user_id, org_id, file_name, file_sha256, rows, summary) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [batchKind(b.kind), b.userId, b.orgId, b.fileName, b.sha256, JSON.stringify(b.rows), JSON.stringify(b.summary)],
  );
  return r.rows[0].id;
}

export interface BatchRow {
  id: number;
  status: string;
  file_name: string;
  rows: unknown;
  summary: Record<string, unknown>;
}

/** The caller's own batch of this kind, locked for the commit (a second commit waits, then sees 'committed'). */
export async function lockBatch(q: Queryable, kind: IndicatorKind, batchId: number, userId: number): Promise<BatchRow | null> {
  const r = await q.query<BatchRow>(`SELECT id, status, file_name, rows, summary FROM import_batches WHERE id = $1 AND user_id = $2 AND kind = $3 FOR UPDATE`, [
    batchId,
    userId,
    batchKind(kind),
  ]);
  return r.rows[0] ?? null;
}

export async function markBatchCommitted(q: Queryable, batchId: number, result: unknown): Promise<void> {
  await q.query(
    `UPDATE import_batches SET status = 'committed', committed_at = now(), summary = summary || jsonb_build_object('result', $2::jsonb) WHERE id = $1`,
    [batchId, JSON.stringify(result)],
  );
}
