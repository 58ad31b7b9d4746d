import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { isPgDb, type Db, type Queryable } from '../../db/db.js';
import { TEACHER_COLUMNS, type TeacherColumns } from './teachers.repository.js';

/** SQL of the teacher Excel import: set-based (one statement per chunk), no per-row round trips. */

/** PostgreSQL types of the teacher columns, for jsonb_to_recordset column definitions. */
const COLUMN_TYPES: Record<keyof TeacherColumns, string> = {
  org_id: 'integer', name: 'text', national_id_enc: 'text', national_id_idx: 'text', national_id_mask: 'text',
  phone_enc: 'text', phone_idx: 'text', phone_mask: 'text', gender: 'text', birth_date: 'date', employment: 'text',
  stage: 'text', subjects: 'text[]', hire_date: 'date', education: 'text', second_degree: 'text', title: 'text',
  title_date: 'date', qualification_type: 'text', qualification_stage: 'text', qualification_subject: 'text',
  qualification_no: 'text', qualification_expiry: 'date', mandarin_level: 'text', certificates: 'text[]',
  key_level: 'text', key_category: 'text', key_term_end: 'date', party_member: 'boolean', status: 'text',
};
const RECORD_DEF = TEACHER_COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ');
const COLS = TEACHER_COLUMNS.join(', ');

export interface SchoolRef {
  id: number;
  code: string;
  name: string;
}

/** Schools in the caller's subtree: the only orgs an import may place teachers in. */
export async function schoolsInScope(q: Queryable, scopePath: string): Promise<SchoolRef[]> {
  return (await q.query<SchoolRef>(`SELECT o.id, o.code, o.name FROM orgs o WHERE o.kind = 'school' AND o.path LIKE $1 || '%' ORDER BY o.path`, [scopePath])).rows;
}

export interface ExistingTeacher extends TeacherColumns {
  id: number;
  version: number;
  roles: { role: string; since: string | null }[];
}

/** Teachers in the caller's subtree holding any of these 身份证号 blind indexes: one query for the whole file. */
export async function existingInScope(q: Queryable, scopePath: string, idxs: string[]): Promise<ExistingTeacher[]> {
  if (!idxs.length) return [];
  return (
    await q.query<ExistingTeacher>(
      `SELECT t.id, t.version, ${TEACHER_COLUMNS.map((c) => `t.${c}`).join(', ')},
              COALESCE((SELECT json_agg(json_build_object('role', r.role, 'since', r.since) ORDER BY r.role) FROM teacher_roles r WHERE r.teacher_id = t.id), '[]'::json) AS roles
         FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE t.national_id_idx = ANY($1::text[]) AND o.path LIKE $2 || '%'`,
      [idxs, scopePath],
    )
  ).rows;
}

/**
 * Which of these blind indexes are registered outside the caller's subtree. Only the index comes back:
 * the other unit's record is none of the caller's business, only that it exists.
 */
export async function registeredOutsideScope(q: Queryable, scopePath: string, idxs: string[]): Promise<Set<string>> {
  if (!idxs.length) return new Set();
  const r = await q.query<{ idx: string }>(
    `SELECT t.national_id_idx AS idx FROM teachers t JOIN orgs o ON o.id = t.org_id
      WHERE t.national_id_idx = ANY($1::text[]) AND NOT (o.path LIKE $2 || '%')`,
    [idxs, scopePath],
  );
  return new Set(r.rows.map((x) => x.idx));
}

/**
 * A transaction for bulk writes. On PostgreSQL it holds a raw pool client so rows can be streamed
 * with COPY (several times faster than INSERT … SELECT for 100k rows); on PGlite it is an ordinary
 * transaction and writes go through multi-row INSERTs. Either way: all or nothing.
 */
export interface BulkTx {
  q: Queryable;
  /** COPY … FROM STDIN (text format); only on PostgreSQL. */
  copy?: (table: string, columns: string[], rows: unknown[][]) => Promise<void>;
}

export async function withBulkTx<T>(db: Db, fn: (w: BulkTx) => Promise<T>): Promise<T> {
  if (!isPgDb(db)) return db.tx((q) => fn({ q }));
  const client = await db.rawPool.connect();
  const q: Queryable = {
    async query<R>(sql: string, params: unknown[] = []) {
      const r = await client.query(sql, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
  const copy = async (table: string, columns: string[], rows: unknown[][]) => {
    if (!rows.length) return;
    const lines = (function* () {
      for (let i = 0; i < rows.length; i += 500) yield rows.slice(i, i + 500).map(copyLine).join('');
    })();
    await pipeline(Readable.from(lines), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  };
  try {
    await client.query('BEGIN');
    const out = await fn({ q, copy });
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE_ALL = /[\\\t\n\r]/g;
const pgArray = (xs: unknown[]) => `{${xs.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** One line of COPY text format: tab-separated, \N for NULL, arrays and JSON as their literals. */
function copyLine(row: unknown[]): string {
  let out = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    let s: string;
    if (v === null || v === undefined) s = '\\N';
    else if (typeof v === 'boolean') s = v ? 't' : 'f';
    else {
      s = Array.isArray(v) ? pgArray(v) : typeof v === 'object' ? JSON.stringify(v) : String(v);
      if (NEEDS_ESCAPE.test(s)) s = s.replace(ESCAPE_ALL, (c) => COPY_ESCAPES[c]);
    }
    out += i ? `\t${s}` : s;
  }
  return `${out}\n`;
}

/** n new teacher ids, taken from the table's own sequence, so children can be written without RETURNING. */
export async function allocateTeacherIds(q: Queryable, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await q.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('teachers', 'id'))::int AS id FROM generate_series(1, $1::int)`, [n]);
  return r.rows.map((x) => x.id);
}

const CHUNK = 2000;

/** Insert teachers with pre-allocated ids. */
export async function insertTeachers(w: BulkTx, rows: (TeacherColumns & { id: number })[]): Promise<void> {
  if (w.copy) return w.copy('teachers', ['id', ...TEACHER_COLUMNS], rows.map((r) => [r.id, ...TEACHER_COLUMNS.map((c) => r[c])]));
  for (let i = 0; i < rows.length; i += CHUNK)
    await w.q.query(
      `INSERT INTO teachers (id, ${COLS}) SELECT id, ${COLS} FROM jsonb_to_recordset($1::jsonb) AS x(id integer, ${RECORD_DEF})`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
}

/** Update many teachers, each only if its version is unchanged; returns how many were updated. */
export async function updateTeachers(w: BulkTx, rows: (TeacherColumns & { id: number; version: number })[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const r = await w.q.query(
      `UPDATE teachers t SET (${COLS}) = (${TEACHER_COLUMNS.map((c) => `x.${c}`).join(', ')}), version = t.version + 1, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id integer, version integer, ${RECORD_DEF})
        WHERE t.id = x.id AND t.version = x.version`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
    n += r.rowCount;
  }
  return n;
}

/** Drop the current roles of these teachers (before writing the imported set). */
export async function deleteRoles(w: BulkTx, teacherIds: number[]): Promise<void> {
  if (teacherIds.length) await w.q.query('DELETE FROM teacher_roles WHERE teacher_id = ANY($1::int[])', [teacherIds]);
}

export async function insertRoles(w: BulkTx, roles: { teacher_id: number; role: string; since: string | null }[]): Promise<void> {
  if (w.copy) return w.copy('teacher_roles', ['teacher_id', 'role', 'since'], roles.map((r) => [r.teacher_id, r.role, r.since]));
  for (let i = 0; i < roles.length; i += CHUNK * 5)
    await w.q.query(
      `INSERT INTO teacher_roles (teacher_id, role, since)
       SELECT teacher_id, role, since FROM jsonb_to_recordset($1::jsonb) AS x(teacher_id integer, role text, since date)`,
      [JSON.stringify(roles.slice(i, i + CHUNK * 5))],
    );
}

/**
 * History rows for newly created teachers, built by the database from the stored rows (every
 * non-null field as { from: null, to: value }, plus the roles): the same shape as a manual create's
 * entry, without shipping ~1 KB of JSON per teacher from Node.
 */
export async function insertCreateHistory(w: BulkTx, userId: number, source: string, teacherIds: number[], fields: (keyof TeacherColumns)[]): Promise<void> {
  // One (key, value) row per history field; cheaper than expanding to_jsonb(t) with jsonb_each.
  const pairs = fields.map((f) => `('${f}', to_jsonb(t.${f}))`).join(', ');
  for (let i = 0; i < teacherIds.length; i += CHUNK * 10)
    await w.q.query(
      `INSERT INTO teacher_changes (teacher_id, user_id, source, changes)
       SELECT t.id, $2, $3,
              (SELECT COALESCE(jsonb_object_agg(f.k, jsonb_build_object('from', NULL, 'to', f.v)), '{}'::jsonb)
                 FROM (VALUES ${pairs}) AS f(k, v) WHERE f.v <> 'null'::jsonb)
              || COALESCE((SELECT jsonb_build_object('roles', jsonb_build_object('from', '[]'::jsonb, 'to', jsonb_agg(jsonb_build_object('role', r.role, 'since', r.since) ORDER BY r.role)))
                             FROM teacher_roles r WHERE r.teacher_id = t.id HAVING count(*) > 0), '{}'::jsonb)
         FROM teachers t WHERE t.id = ANY($1::int[])`,
      [teacherIds.slice(i, i + CHUNK * 10), userId, source],
    );
}

/** Change-history rows for many teachers at once. */
export async function insertChanges(w: BulkTx, userId: number, source: string, changes: { teacher_id: number; changes: Record<string, unknown> }[]): Promise<void> {
  if (w.copy) return w.copy('teacher_changes', ['teacher_id', 'user_id', 'source', 'changes'], changes.map((c) => [c.teacher_id, userId, source, c.changes]));
  for (let i = 0; i < changes.length; i += CHUNK)
    await w.q.query(
      `INSERT INTO teacher_changes (teacher_id, user_id, source, changes)
       SELECT teacher_id, $2, $3, changes FROM jsonb_to_recordset($1::jsonb) AS x(teacher_id integer, changes jsonb)`,
      [JSON.stringify(changes.slice(i, i + CHUNK)), userId, source],
    );
}

export interface BatchRecord {
  id: number;
  file_name: string;
  status: string;
  rows: unknown;
  summary: Record<string, unknown>;
}

export async function insertBatch(
  q: Queryable,
  b: { userId: number; orgId: number; fileName: string; sha256: string; rows: unknown[]; summary: Record<string, unknown> },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO import_batches (kind, user_id, org_id, file_name, file_sha256, rows, summary) VALUES ('teachers',$1,$2,$3,$4,$5,$6) RETURNING id`,
    [b.userId, b.orgId, b.fileName, b.sha256, JSON.stringify(b.rows), JSON.stringify(b.summary)],
  );
  return r.rows[0].id;
}

/** The caller's own batch, locked for the commit (a second, concurrent commit waits and then sees it committed). */
export async function lockBatch(q: Queryable, id: number, userId: number): Promise<BatchRecord | null> {
  const r = await q.query<BatchRecord>(
    `SELECT id, file_name, status, rows, summary FROM import_batches WHERE id = $1 AND user_id = $2 AND kind = 'teachers' FOR UPDATE`,
    [id, userId],
  );
  return r.rows[0] ?? null;
}

export async function findBatch(q: Queryable, id: number, userId: number): Promise<BatchRecord | null> {
  const r = await q.query<BatchRecord>(`SELECT id, file_name, status, rows, summary FROM import_batches WHERE id = $1 AND user_id = $2 AND kind = 'teachers'`, [id, userId]);
  return r.rows[0] ?? null;
}

export async function markBatchCommitted(q: Queryable, id: number, result: Record<string, unknown>): Promise<void> {
  await q.query(`UPDATE import_batches SET status = 'committed', committed_at = now(), summary = summary || $2::jsonb WHERE id = $1`, [id, JSON.stringify({ result })]);
}

/** The caller's last committed batch of the same file, to tell them they imported it before. */
export async function lastCommittedSameFile(q: Queryable, userId: number, sha256: string): Promise<{ id: number; committed_at: string } | null> {
  const r = await q.query<{ id: number; committed_at: string }>(
    `SELECT id, committed_at FROM import_batches WHERE user_id = $1 AND kind = 'teachers' AND file_sha256 = $2 AND status = 'committed' ORDER BY committed_at DESC LIMIT 1`,
    [userId, sha256],
  );
  return r.rows[0] ?? null;
}
