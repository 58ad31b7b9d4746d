import type { Queryable } from '../../db/db.js';

const CHUNK = 5000;

async function chunked<T, R>(items: T[], fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
  return out;
}

export interface TeacherMatch {
  id: number;
  name: string;
  national_id_idx: string;
}

/** Teachers of the caller's subtree holding these 身份证号 blind indexes. */
export function teachersByIdx(q: Queryable, scopePath: string, idxs: string[]): Promise<TeacherMatch[]> {
  return chunked(
    idxs,
    async (c) =>
      (
        await q.query<TeacherMatch>(
          `SELECT t.id, t.name, t.national_id_idx FROM teachers t JOIN orgs o ON o.id = t.org_id
          WHERE t.national_id_idx = ANY($1::text[]) AND o.path LIKE $2 || '%'`,
          [c, scopePath],
        )
      ).rows,
  );
}

/** Which of these dedupe keys the ledger holds already. */
export async function existingKeys(q: Queryable, keys: string[]): Promise<Set<string>> {
  const rows = await chunked(
    keys,
    async (c) => (await q.query<{ dedupe_key: string }>('SELECT dedupe_key FROM ledger_entries WHERE dedupe_key = ANY($1::text[])', [c])).rows,
  );
  return new Set(rows.map((r) => r.dedupe_key));
}

export interface RunColumns {
  user_id: number;
  org_id: number;
  platform: string;
  file_name: string;
  file_sha256: string;
  mapping: unknown;
  added: number;
  skipped: number;
  rejected: number;
  hours_added: number;
  report: unknown;
}

export async function insertRun(q: Queryable, r: RunColumns): Promise<number> {
  const res = await q.query<{ id: number }>(
    `INSERT INTO hour_import_runs (user_id, org_id, platform, file_name, file_sha256, mapping, added, skipped, rejected, hours_added, report)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
    [
      r.user_id,
      r.org_id,
      r.platform,
      r.file_name,
      r.file_sha256,
      JSON.stringify(r.mapping),
      r.added,
      r.skipped,
      r.rejected,
      r.hours_added,
      JSON.stringify(r.report),
    ],
  );
  return res.rows[0].id;
}

export interface RunRow {
  id: number;
  user_name: string;
  org_name: string;
  platform: string;
  file_name: string;
  file_sha256: string;
  mapping: unknown;
  added: number;
  skipped: number;
  rejected: number;
  hours_added: number;
  report: unknown;
  created_at: Date;
}

const RUN_SELECT = `SELECT r.id, u.display_name AS user_name, o.name AS org_name, r.platform, r.file_name, r.file_sha256, r.mapping,
    r.added, r.skipped, r.rejected, r.hours_added, r.report, r.created_at
  FROM hour_import_runs r JOIN users u ON u.id = r.user_id JOIN orgs o ON o.id = r.org_id`;

/** Runs made by orgs in the caller's subtree, newest first (without the bulky report). */
export async function listRuns(q: Queryable, scopePath: string, page: number, pageSize: number): Promise<{ rows: RunRow[]; total: number }> {
  const total = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM hour_import_runs r JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE $1 || '%'`, [scopePath])
  ).rows[0].n;
  const rows = (
    await q.query<RunRow>(
      `SELECT r.id, u.display_name AS user_name, o.name AS org_name, r.platform, r.file_name, r.file_sha256, r.mapping,
              r.added, r.skipped, r.rejected, r.hours_added, NULL AS report, r.created_at
         FROM hour_import_runs r JOIN users u ON u.id = r.user_id JOIN orgs o ON o.id = r.org_id
        WHERE o.path LIKE $1 || '%' ORDER BY r.created_at DESC, r.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      [scopePath],
    )
  ).rows;
  return { rows, total };
}

export async function findRun(q: Queryable, scopePath: string, id: number): Promise<RunRow | null> {
  return (await q.query<RunRow>(`${RUN_SELECT} WHERE r.id = $1 AND o.path LIKE $2 || '%'`, [id, scopePath])).rows[0] ?? null;
}

/** Earlier runs of the same file content within the caller's subtree (to warn before a re-import). */
export async function runsOfFile(q: Queryable, scopePath: string, sha256: string): Promise<{ id: number; created_at: Date; added: number }[]> {
  return (
    await q.query<{ id: number; created_at: Date; added: number }>(
      `SELECT r.id, r.created_at, r.added FROM hour_import_runs r JOIN orgs o ON o.id = r.org_id
        WHERE r.file_sha256 = $1 AND o.path LIKE $2 || '%' ORDER BY r.created_at DESC LIMIT 5`,
      [sha256, scopePath],
    )
  ).rows;
}

/** Login accounts of these teachers (to tell them hours arrived). */
export function usersOfTeachers(q: Queryable, teacherIds: number[]): Promise<number[]> {
  return chunked(teacherIds, async (c) =>
    (await q.query<{ id: number }>('SELECT id FROM users WHERE active AND teacher_id = ANY($1::int[])', [c])).rows.map((r) => r.id),
  );
}
