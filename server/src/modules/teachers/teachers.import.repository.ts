import type { Queryable } from '../../db/db.js';
import { ROLE_HELD_TODAY, TEACHER_COLUMNS, type TeacherColumns } from './teachers.repository.js';

/** SQL of the teacher Excel import: set-based (one statement per chunk), no per-row round trips. */

/** PostgreSQL types of the teacher columns, for jsonb_to_recordset column definitions. */
const COLUMN_TYPES: Record<keyof TeacherColumns, string> = {
  org_id: 'integer',
  name: 'text',
  national_id_enc: 'text',
  national_id_idx: 'text',
  national_id_mask: 'text',
  phone_enc: 'text',
  phone_idx: 'text',
  phone_mask: 'text',
  gender: 'text',
  birth_date: 'date',
  employment: 'text',
  stage: 'text',
  subjects: 'text[]',
  hire_date: 'date',
  education: 'text',
  second_degree: 'text',
  title: 'text',
  title_date: 'date',
  qualification_type: 'text',
  qualification_stage: 'text',
  qualification_subject: 'text',
  qualification_no: 'text',
  qualification_expiry: 'date',
  mandarin_level: 'text',
  certificates: 'text[]',
  key_level: 'text',
  key_category: 'text',
  key_term_end: 'date',
  party_member: 'boolean',
  status: 'text',
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
  return (
    await q.query<SchoolRef>(
      `SELECT o.id, o.code, o.name FROM orgs o WHERE o.kind = 'school' AND o.closed_at IS NULL AND o.path LIKE $1 || '%' ORDER BY o.path`,
      [scopePath],
    )
  ).rows;
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
              COALESCE((SELECT json_agg(json_build_object('role', r.role, 'since', r.since) ORDER BY r.role) FROM teacher_roles r WHERE r.teacher_id = t.id AND ${ROLE_HELD_TODAY}), '[]'::json) AS roles
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

const CHUNK = 2000;

/**
 * The batch's valid rows, typed, in a temporary table for this transaction: the commit works on them
 * in SQL (classify, insert, roles, history) instead of shipping ~60 MB of JSON through Node. Each
 * row's action is decided against the database as it is now:
 *   create   — 身份证号 not registered anywhere;
 *   existing — registered in the caller's subtree (Node compares it field by field);
 *   stale    — registered outside the subtree since the preview, or its school left the subtree.
 * Returns the count per action.
 */
export async function stageBatchRows(q: Queryable, batchId: number, scopePath: string): Promise<Record<'create' | 'existing' | 'stale', number>> {
  const typed = TEACHER_COLUMNS.map((c, i) => {
    const t = COLUMN_TYPES[c];
    const expr = t === 'text[]' ? `ARRAY(SELECT jsonb_array_elements_text(e.c->${i}))` : t === 'text' ? `e.c->>${i}` : `(e.c->>${i})::${t}`;
    return `${expr} AS ${c}`;
  });
  // MATERIALIZED: take x->'c' apart once per row, not once per column.
  await q.query(
    `CREATE TEMP TABLE import_rows ON COMMIT DROP AS
     WITH e AS MATERIALIZED (
       SELECT (x->>'r')::int AS row_no, x->'c' AS c, COALESCE(x->'ro', '[]'::jsonb) AS roles, ARRAY(SELECT jsonb_array_elements_text(COALESCE(x->'x', '[]'::jsonb))) AS empty
         FROM import_batches b, jsonb_array_elements(b.rows) AS x
        WHERE b.id = $1 AND x ? 'c'),
     v AS (SELECT e.row_no, ${typed.join(', ')}, e.roles, e.empty FROM e)
     SELECT v.*, t.id AS teacher_id,
            CASE WHEN s.id IS NULL THEN 'stale' WHEN t.id IS NULL THEN 'create' WHEN o.path LIKE $2 || '%' THEN 'existing' ELSE 'stale' END AS action
       FROM v
       LEFT JOIN orgs s ON s.id = v.org_id AND s.kind = 'school' AND s.path LIKE $2 || '%'
       LEFT JOIN teachers t ON t.national_id_idx = v.national_id_idx
       LEFT JOIN orgs o ON o.id = t.org_id`,
    [batchId, scopePath],
  );
  await q.query('ANALYZE import_rows');
  const r = await q.query<{ action: 'create' | 'existing' | 'stale'; n: number }>('SELECT action, count(*)::int AS n FROM import_rows GROUP BY action');
  const out = { create: 0, existing: 0, stale: 0 };
  for (const x of r.rows) out[x.action] = x.n;
  return out;
}

/** Insert the staged 'create' rows and their roles; returns the new teacher ids. */
export async function insertStagedCreates(q: Queryable): Promise<number[]> {
  const r = await q.query<{ id: number }>(
    `WITH ins AS (
       INSERT INTO teachers (${COLS}) SELECT ${COLS} FROM import_rows WHERE action = 'create' ORDER BY row_no
       RETURNING id, national_id_idx),
     rl AS (
       INSERT INTO teacher_roles (teacher_id, role, since)
       SELECT DISTINCT ON (ins.id, ro->>0) ins.id, ro->>0, (ro->>1)::date FROM ins JOIN import_rows i ON i.national_id_idx = ins.national_id_idx, jsonb_array_elements(i.roles) AS ro)
     SELECT id FROM ins`,
  );
  return r.rows.map((x) => x.id);
}

/**
 * The staged rows of teachers already registered in the caller's subtree, for a field-by-field comparison;
 * empty lists the fields whose cell was blank (they keep the stored value).
 */
export async function stagedExisting(q: Queryable): Promise<(TeacherColumns & { row_no: number; roles: [string, string | null][]; empty: string[] })[]> {
  return (
    await q.query<TeacherColumns & { row_no: number; roles: [string, string | null][]; empty: string[] }>(
      `SELECT row_no, roles, empty, ${COLS} FROM import_rows WHERE action = 'existing' ORDER BY row_no`,
    )
  ).rows;
}

/** Update many teachers, each only if its version is unchanged; returns how many were updated. */
export async function updateTeachers(q: Queryable, rows: (TeacherColumns & { id: number; version: number })[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const r = await q.query(
      `UPDATE teachers t SET (${COLS}) = (${TEACHER_COLUMNS.map((c) => `x.${c}`).join(', ')}), version = t.version + 1, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id integer, version integer, ${RECORD_DEF})
        WHERE t.id = x.id AND t.version = x.version`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
    n += r.rowCount;
  }
  return n;
}

/**
 * History rows for newly created teachers, built by the database from the stored rows (every
 * non-null field as { from: null, to: value }, plus the roles): the same shape as a manual create's
 * entry, without shipping ~1 KB of JSON per teacher from Node.
 */
export async function insertCreateHistory(q: Queryable, userId: number, source: string, teacherIds: number[], fields: (keyof TeacherColumns)[]): Promise<void> {
  // Every field as { from: null, to: value }, then the keys of NULL fields removed: one C-level call per row.
  const all = fields.map((f) => `'${f}', jsonb_build_object('from', NULL, 'to', t.${f})`).join(', ');
  const nulls = fields.map((f) => `CASE WHEN t.${f} IS NULL THEN '${f}' END`).join(', ');
  for (let i = 0; i < teacherIds.length; i += CHUNK * 10)
    await q.query(
      `INSERT INTO teacher_changes (teacher_id, user_id, source, changes)
       SELECT t.id, $2, $3,
              (jsonb_build_object(${all}) - ARRAY[${nulls}]::text[])
              || COALESCE((SELECT jsonb_build_object('roles', jsonb_build_object('from', '[]'::jsonb, 'to', jsonb_agg(jsonb_build_object('role', r.role, 'since', r.since) ORDER BY r.role)))
                             FROM teacher_roles r WHERE r.teacher_id = t.id AND r.superseded_at IS NULL HAVING count(*) > 0), '{}'::jsonb)
         FROM teachers t WHERE t.id = ANY($1::int[])`,
      [teacherIds.slice(i, i + CHUNK * 10), userId, source],
    );
}

/** Change-history rows for many teachers at once. */
export async function insertChanges(
  q: Queryable,
  userId: number,
  source: string,
  changes: { teacher_id: number; changes: Record<string, unknown> }[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += CHUNK)
    await q.query(
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
export async function lockBatch(q: Queryable, id: number, userId: number): Promise<Omit<BatchRecord, 'rows'> | null> {
  const r = await q.query<Omit<BatchRecord, 'rows'>>(
    `SELECT id, file_name, status, summary FROM import_batches WHERE id = $1 AND user_id = $2 AND kind = 'teachers' FOR UPDATE`,
    [id, userId],
  );
  return r.rows[0] ?? null;
}

export async function findBatch(q: Queryable, id: number, userId: number): Promise<BatchRecord | null> {
  const r = await q.query<BatchRecord>(`SELECT id, file_name, status, rows, summary FROM import_batches WHERE id = $1 AND user_id = $2 AND kind = 'teachers'`, [
    id,
    userId,
  ]);
  return r.rows[0] ?? null;
}

export async function markBatchCommitted(q: Queryable, id: number, result: Record<string, unknown>): Promise<void> {
  await q.query(`UPDATE import_batches SET status = 'committed', committed_at = now(), summary = summary || $2::jsonb WHERE id = $1`, [
    id,
    JSON.stringify({ result }),
  ]);
}

/** The caller's last committed batch of the same file, to tell them they imported it before. */
export async function lastCommittedSameFile(q: Queryable, userId: number, sha256: string): Promise<{ id: number; committed_at: string } | null> {
  const r = await q.query<{ id: number; committed_at: string }>(
    `SELECT id, committed_at FROM import_batches WHERE user_id = $1 AND kind = 'teachers' AND file_sha256 = $2 AND status = 'committed' ORDER BY committed_at DESC LIMIT 1`,
    [userId, sha256],
  );
  return r.rows[0] ?? null;
}

/**
 * A teacher batch the caller may discard, locked: their own, or one uploaded in an org of their subtree
 * (an admin over the uploader). Null when there is none or it is outside the caller's scope.
 */
export async function lockBatchForDiscard(
  q: Queryable,
  id: number,
  userId: number,
  scopePath: string,
): Promise<{ id: number; file_name: string; status: string; user_id: number } | null> {
  const r = await q.query<{ id: number; file_name: string; status: string; user_id: number }>(
    `SELECT b.id, b.file_name, b.status, b.user_id
       FROM import_batches b JOIN orgs o ON o.id = b.org_id
      WHERE b.id = $1 AND b.kind = 'teachers' AND (b.user_id = $2 OR o.path LIKE $3 || '%')
      FOR UPDATE OF b`,
    [id, userId, scopePath],
  );
  return r.rows[0] ?? null;
}

export async function deleteBatch(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM import_batches WHERE id = $1', [id]);
}

/**
 * Delete batches (of every kind) never committed and older than the given hours: their rows hold
 * encrypted personal data nobody will import any more. Returns how many per kind.
 */
export async function deleteStaleBatches(q: Queryable, olderThanHours: number): Promise<{ kind: string; n: number }[]> {
  const r = await q.query<{ kind: string; n: number }>(
    `WITH gone AS (
       DELETE FROM import_batches WHERE status <> 'committed' AND created_at < now() - make_interval(hours => $1::int) RETURNING kind
     )
     SELECT kind, count(*)::int AS n FROM gone GROUP BY kind ORDER BY kind`,
    [olderThanHours],
  );
  return r.rows;
}
