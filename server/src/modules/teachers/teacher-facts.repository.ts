/**
 * SQL of a teacher's facts over time (migration 0033): roles, school assignment, employment status,
 * credentials (one row per field) and key-teacher designations. Periods run from `from` to `until`, both
 * inclusive; NULL from = since the record began, NULL until = still holds. Rows are ended or superseded,
 * never rewritten (a trigger refuses anything else).
 */
import type { Queryable } from '../../db/db.js';

export type FactKind = 'role' | 'assignment' | 'status' | 'credential' | 'designation';

/** Table and period columns of each kind of fact. */
export const FACT_TABLES: Record<FactKind, { table: string; from: string; until: string; value: string }> = {
  role: { table: 'teacher_roles', from: 'since', until: 'until', value: 'role' },
  assignment: { table: 'teacher_assignments', from: 'valid_from', until: 'valid_until', value: 'org_id' },
  status: { table: 'teacher_statuses', from: 'valid_from', until: 'valid_until', value: 'status' },
  credential: { table: 'teacher_credentials', from: 'valid_from', until: 'valid_until', value: 'value' },
  designation: { table: 'teacher_designations', from: 'valid_from', until: 'valid_until', value: 'level' },
};

/** The credential fields kept as periods, and their teachers columns (same names). */
export const CREDENTIAL_FIELDS = [
  'qualification_type',
  'qualification_stage',
  'qualification_subject',
  'qualification_no',
  'qualification_expiry',
  'title',
  'title_date',
  'mandarin_level',
  'certificates',
  'education',
  'second_degree',
] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

export interface FactRow {
  id: number;
  teacher_id: number;
  from: string | null;
  until: string | null;
  recorded_by: number | null;
  recorded_at: string;
  ended_by: number | null;
  ended_at: string | null;
  superseded_by: number | null;
  superseded_at: string | null;
  corrects: number | null;
  note: string | null;
  [k: string]: unknown;
}

/** One fact row (locked), only if it belongs to this teacher. */
export async function findFact(q: Queryable, kind: FactKind, teacherId: number, id: number): Promise<FactRow | null> {
  const t = FACT_TABLES[kind];
  const r = await q.query<FactRow>(
    `SELECT x.*, x.${t.from}::text AS "from", x.${t.until}::text AS "until" FROM ${t.table} x WHERE x.id = $1 AND x.teacher_id = $2 FOR UPDATE`,
    [id, teacherId],
  );
  return r.rows[0] ?? null;
}

/** Every row of a teacher's facts of one kind (superseded ones too), oldest first. */
export async function listFacts(q: Queryable, kind: FactKind, teacherId: number): Promise<(FactRow & { recorded_by_name: string | null })[]> {
  const t = FACT_TABLES[kind];
  const orgName = kind === 'assignment' ? ', o.name AS org_name' : '';
  const joinOrg = kind === 'assignment' ? 'LEFT JOIN orgs o ON o.id = x.org_id' : '';
  return (
    await q.query<FactRow & { recorded_by_name: string | null }>(
      `SELECT x.*, x.${t.from}::text AS "from", x.${t.until}::text AS "until", u.display_name AS recorded_by_name, eu.display_name AS ended_by_name,
              su.display_name AS superseded_by_name${orgName}
         FROM ${t.table} x LEFT JOIN users u ON u.id = x.recorded_by LEFT JOIN users eu ON eu.id = x.ended_by LEFT JOIN users su ON su.id = x.superseded_by ${joinOrg}
        WHERE x.teacher_id = $1 ORDER BY x.${t.from} NULLS FIRST, x.id`,
      [teacherId],
    )
  ).rows;
}

/** Insert a period; `values` holds the kind's own columns (role, org_id and kind, status, field and value, level and category). */
export async function insertFact(
  q: Queryable,
  kind: FactKind,
  teacherId: number,
  values: Record<string, unknown>,
  from: string | null,
  until: string | null,
  recordedBy: number | null,
  corrects: number | null = null,
  note: string | null = null,
): Promise<number> {
  const t = FACT_TABLES[kind];
  const cols = Object.keys(values);
  const params = [teacherId, from, until, recordedBy, corrects, note, ...cols.map((c) => (c === 'value' ? JSON.stringify(values[c]) : values[c]))];
  const r = await q.query<{ id: number }>(
    `INSERT INTO ${t.table} (teacher_id, ${t.from}, ${t.until}, recorded_by, corrects, note${cols.map((c) => `, ${c}`).join('')})
     VALUES ($1, $2, $3, $4, $5, $6${cols.map((_, i) => `, $${i + 7}`).join('')}) RETURNING id`,
    params,
  );
  return r.rows[0].id;
}

/** Set the end of an open period (once). */
export async function endFact(q: Queryable, kind: FactKind, id: number, until: string, by: number | null): Promise<boolean> {
  const t = FACT_TABLES[kind];
  const r = await q.query(
    `UPDATE ${t.table} SET ${t.until} = $2, ended_by = $3, ended_at = now() WHERE id = $1 AND ${t.until} IS NULL AND superseded_at IS NULL`,
    [id, until, by],
  );
  return r.rowCount === 1;
}

/** Mark a period superseded (by a correction, or by a same-day change). */
export async function supersedeFact(q: Queryable, kind: FactKind, id: number, by: number | null): Promise<boolean> {
  const t = FACT_TABLES[kind];
  const r = await q.query(`UPDATE ${t.table} SET superseded_by = $2, superseded_at = now() WHERE id = $1 AND superseded_at IS NULL`, [id, by]);
  return r.rowCount === 1;
}

export async function deleteFact(q: Queryable, kind: FactKind, id: number): Promise<void> {
  await q.query(`DELETE FROM ${FACT_TABLES[kind].table} WHERE id = $1`, [id]);
}

/** The current (not superseded) periods of one kind valid on `on`, for one teacher (locked). */
export async function factsOn(q: Queryable, kind: FactKind, teacherId: number, on: string): Promise<FactRow[]> {
  const t = FACT_TABLES[kind];
  return (
    await q.query<FactRow>(
      `SELECT x.*, x.${t.from}::text AS "from", x.${t.until}::text AS "until" FROM ${t.table} x
        WHERE x.teacher_id = $1 AND x.superseded_at IS NULL AND (x.${t.from} IS NULL OR x.${t.from} <= $2::date) AND (x.${t.until} IS NULL OR x.${t.until} >= $2::date)
        ORDER BY x.id FOR UPDATE`,
      [teacherId, on],
    )
  ).rows;
}

/** The start of the first current period of a credential field after `after` (a change recorded later), if any. */
export async function nextCredentialFrom(q: Queryable, teacherId: number, field: string, after: string): Promise<string | null> {
  const r = await q.query<{ from: string }>(
    `SELECT min(valid_from)::text AS "from" FROM teacher_credentials WHERE teacher_id = $1 AND field = $2 AND superseded_at IS NULL AND valid_from > $3::date`,
    [teacherId, field, after],
  );
  return r.rows[0]?.from ?? null;
}

/** A change made outside the form (a dated fact): an open form of this teacher must reload (optimistic version). */
export async function bumpVersion(q: Queryable, teacherId: number): Promise<void> {
  await q.query('UPDATE teachers SET version = version + 1, updated_at = now() WHERE id = $1', [teacherId]);
}

/** Lock the teacher row: fact changes of one teacher are serialised (the overlap check relies on it). */
export async function lockTeacher(q: Queryable, teacherId: number): Promise<{ id: number; org_id: number; status: string } | null> {
  return (
    (await q.query<{ id: number; org_id: number; status: string }>('SELECT id, org_id, status FROM teachers WHERE id = $1 FOR UPDATE', [teacherId])).rows[0] ??
    null
  );
}

/**
 * Bring the denormalised current values (teachers.org_id, status, credential columns, key designation) in line
 * with the periods valid on `today`, for these teachers (all when null). Only columns whose period says
 * otherwise are written, so a no-op costs one read.
 */
export async function syncCurrent(q: Queryable, today: string, teacherIds: number[] | null): Promise<number> {
  const only = teacherIds ? 'AND t.id = ANY($2::int[])' : '';
  const params: unknown[] = teacherIds ? [today, teacherIds] : [today];
  const on = (a: string, f = 'valid_from', u = 'valid_until') =>
    `${a}.superseded_at IS NULL AND (${a}.${f} IS NULL OR ${a}.${f} <= $1::date) AND (${a}.${u} IS NULL OR ${a}.${u} >= $1::date)`;
  const cred = (f: CredentialField, type: string) =>
    type === 'text[]'
      ? `COALESCE((SELECT ARRAY(SELECT jsonb_array_elements_text(c.value)) FROM teacher_credentials c WHERE c.teacher_id = t.id AND c.field = '${f}' AND ${on('c')} LIMIT 1), '{}')`
      : `(SELECT (c.value #>> '{}')::${type} FROM teacher_credentials c WHERE c.teacher_id = t.id AND c.field = '${f}' AND ${on('c')} LIMIT 1)`;
  const types: Record<CredentialField, string> = {
    qualification_type: 'text',
    qualification_stage: 'text',
    qualification_subject: 'text',
    qualification_no: 'text',
    qualification_expiry: 'date',
    title: 'text',
    title_date: 'date',
    mandarin_level: 'text',
    certificates: 'text[]',
    education: 'text',
    second_degree: 'text',
  };
  const wanted = [
    `COALESCE((SELECT a.org_id FROM teacher_assignments a WHERE a.teacher_id = t.id AND ${on('a')} ORDER BY a.id DESC LIMIT 1), t.org_id) AS org_id`,
    `COALESCE((SELECT s.status FROM teacher_statuses s WHERE s.teacher_id = t.id AND ${on('s')} ORDER BY s.id DESC LIMIT 1), t.status) AS status`,
    ...CREDENTIAL_FIELDS.map((f) => `${cred(f, types[f])} AS ${f}`),
    `(SELECT d.level FROM teacher_designations d WHERE d.teacher_id = t.id AND ${on('d')} ORDER BY d.id DESC LIMIT 1) AS key_level`,
    `(SELECT d.category FROM teacher_designations d WHERE d.teacher_id = t.id AND ${on('d')} ORDER BY d.id DESC LIMIT 1) AS key_category`,
    `(SELECT d.valid_until FROM teacher_designations d WHERE d.teacher_id = t.id AND ${on('d')} ORDER BY d.id DESC LIMIT 1) AS key_term_end`,
  ];
  const cols = ['org_id', 'status', ...CREDENTIAL_FIELDS, 'key_level', 'key_category', 'key_term_end'];
  const r = await q.query(
    `WITH w AS (SELECT t.id, ${wanted.join(', ')} FROM teachers t WHERE true ${only})
     UPDATE teachers t SET ${cols.map((c) => `${c} = w.${c}`).join(', ')}, updated_at = now()
       FROM w WHERE w.id = t.id AND (${cols.map((c) => `t.${c} IS DISTINCT FROM w.${c}`).join(' OR ')})`,
    params,
  );
  return r.rowCount;
}

/**
 * The teachers with a period starting or ending within the last week (a change recorded ahead of its date that
 * has now come): their current values are brought in line. Run periodically (with the snapshot refresh).
 */
export async function syncDue(q: Queryable, today: string): Promise<number> {
  const due = (t: string, f: string, u: string) =>
    `SELECT teacher_id FROM ${t} WHERE superseded_at IS NULL AND (${f} BETWEEN $1::date - 7 AND $1::date OR ${u} BETWEEN $1::date - 8 AND $1::date - 1)`;
  const ids = (
    await q.query<{ teacher_id: number }>(
      [
        due('teacher_assignments', 'valid_from', 'valid_until'),
        due('teacher_statuses', 'valid_from', 'valid_until'),
        due('teacher_credentials', 'valid_from', 'valid_until'),
        due('teacher_designations', 'valid_from', 'valid_until'),
      ].join(' UNION '),
      [today],
    )
  ).rows.map((r) => r.teacher_id);
  return ids.length ? syncCurrent(q, today, ids) : 0;
}

/**
 * The periods follow the saved columns of these teachers, effective `on` (a form save or an import: "as of
 * today the record says …"). Per fact whose value valid on `on` differs from the column: the period valid on
 * `on` ends the day before (or, if it started on `on` or later, is superseded as a same-day change) and a new
 * one starts on `on`. A teacher with no period of a kind yet gets one since the record began. Set-based.
 */
export async function followColumns(
  q: Queryable,
  teacherIds: number[],
  on: string,
  by: number | null,
  opts: { assignmentKind?: string; created?: boolean } = {},
): Promise<void> {
  const assignmentKind = opts.assignmentKind ?? 'transfer';
  if (!teacherIds.length) return;
  const valid = (a: string) =>
    `${a}.superseded_at IS NULL AND (${a}.valid_from IS NULL OR ${a}.valid_from <= $2::date) AND (${a}.valid_until IS NULL OR ${a}.valid_until >= $2::date)`;
  // One statement per kind: the (kind's) wanted value per teacher vs the period valid on `on`.
  const kinds: { table: string; key: string; wanted: string; insertCols: string; insertVals: string; same: string }[] = [
    {
      table: 'teacher_assignments',
      key: '',
      wanted: 'SELECT t.id AS teacher_id, t.org_id AS v FROM teachers t WHERE t.id = ANY($1::int[])',
      insertCols: 'org_id, kind',
      insertVals: `w.v, CASE WHEN NOT EXISTS (SELECT 1 FROM teacher_assignments z WHERE z.teacher_id = w.teacher_id) THEN 'initial' ELSE '${assignmentKind}' END`,
      same: 'x.org_id = w.v',
    },
    {
      table: 'teacher_statuses',
      key: '',
      wanted: 'SELECT t.id AS teacher_id, t.status AS v FROM teachers t WHERE t.id = ANY($1::int[])',
      insertCols: 'status',
      insertVals: 'w.v',
      same: 'x.status = w.v',
    },
    {
      table: 'teacher_credentials',
      key: 'field',
      wanted: `SELECT t.id AS teacher_id, k.field, k.v FROM teachers t CROSS JOIN LATERAL (VALUES ${CREDENTIAL_FIELDS.map((f) => `('${f}', to_jsonb(t.${f}))`).join(', ')}) AS k(field, v) WHERE t.id = ANY($1::int[])`,
      insertCols: 'field, value',
      insertVals: 'w.field, w.v',
      same: 'x.value = w.v',
    },
    {
      table: 'teacher_designations',
      key: '',
      wanted: `SELECT t.id AS teacher_id, CASE WHEN t.key_level IS NULL THEN NULL ELSE jsonb_build_object('level', t.key_level, 'category', t.key_category, 'until', t.key_term_end) END AS v
                 FROM teachers t WHERE t.id = ANY($1::int[])`,
      insertCols: 'level, category',
      insertVals: `w.v ->> 'level', w.v ->> 'category'`,
      same: `x.level = w.v ->> 'level' AND x.category IS NOT DISTINCT FROM w.v ->> 'category' AND x.valid_until IS NOT DISTINCT FROM (w.v ->> 'until')::date`,
    },
  ];
  for (const k of kinds) {
    const keyJoin = k.key ? ` AND x.${k.key} = w.${k.key}` : '';
    const empty = k.table === 'teacher_credentials' ? `(w.v IS NULL OR w.v = 'null'::jsonb OR w.v = '[]'::jsonb)` : 'w.v IS NULL';
    // Periods valid on `on` whose value is not the wanted one.
    const changed = `SELECT x.id, x.valid_from, w.teacher_id FROM (${k.wanted}) w JOIN ${k.table} x ON x.teacher_id = w.teacher_id${keyJoin} AND ${valid('x')} WHERE NOT (${k.same}) OR ${empty}`;
    await q.query(
      `WITH c AS (${changed})
       UPDATE ${k.table} x SET superseded_at = now(), superseded_by = $3 FROM c WHERE x.id = c.id AND c.valid_from IS NOT NULL AND c.valid_from >= $2::date`,
      [teacherIds, on, by],
    );
    await q.query(
      `WITH c AS (${changed})
       UPDATE ${k.table} x SET valid_until = $2::date - 1, ended_at = now(), ended_by = $3 FROM c
        WHERE x.id = c.id AND x.valid_until IS NULL AND (c.valid_from IS NULL OR c.valid_from < $2::date)`,
      [teacherIds, on, by],
    );
    // A period ending after `on` (a designation's term) with another value: cut is not allowed (never rewritten): superseded.
    await q.query(
      `WITH c AS (${changed})
       UPDATE ${k.table} x SET superseded_at = now(), superseded_by = $3 FROM c WHERE x.id = c.id AND x.superseded_at IS NULL AND x.valid_until IS NOT NULL AND x.valid_until >= $2::date`,
      [teacherIds, on, by],
    );
    // A new period where the wanted value is not held on `on`: since the record began for a teacher with none of this kind.
    const until = k.table === 'teacher_designations' ? `(w.v ->> 'until')::date` : 'NULL::date';
    await q.query(
      `INSERT INTO ${k.table} (teacher_id, ${k.insertCols}, valid_from, valid_until, recorded_by)
       SELECT w.teacher_id, ${k.insertVals},
              ${
                opts.created
                  ? 'NULL::date'
                  : k.table === 'teacher_credentials' || k.table === 'teacher_designations'
                    ? '$2::date'
                    : `CASE WHEN EXISTS (SELECT 1 FROM ${k.table} z WHERE z.teacher_id = w.teacher_id) THEN $2::date END`
              }, ${until}, $3::int
         FROM (${k.wanted}) w
        WHERE NOT ${empty} AND NOT EXISTS (SELECT 1 FROM ${k.table} x WHERE x.teacher_id = w.teacher_id${keyJoin} AND ${valid('x')} AND ${k.same})`,
      [teacherIds, on, by],
    );
  }
}

/**
 * The roles follow the saved set of these teachers, effective `on`: a role held on `on` that is not in the set
 * ends on `on` (a future one is superseded); a role in the set not held is started (since the given date, else
 * `on`; a new teacher's role without a date: since the record began); a held role whose start date differs is
 * corrected (old row superseded, new row added). With `lastDay: 'dayBefore'` (the teacher form's 生效日期: the
 * first day the new set holds) a removed role's last day is the day before `on`, and one that starts on `on` or
 * later is superseded (a same-day change).
 */
export async function followRoles(
  q: Queryable,
  teacherIds: number[],
  roles: { teacher_id: number; role: string; since: string | null }[],
  on: string,
  by: number | null,
  created = false,
  lastDay: 'on' | 'dayBefore' = 'on',
): Promise<void> {
  if (!teacherIds.length) return;
  const held = `x.superseded_at IS NULL AND (x.until IS NULL OR x.until >= $2::date)`;
  const want = `SELECT DISTINCT ON (teacher_id, role) teacher_id, role, since FROM jsonb_to_recordset($4::jsonb) AS w(teacher_id integer, role text, since date)`;
  const params = [teacherIds, on, by, JSON.stringify(roles)];
  const before = lastDay === 'dayBefore';
  // Removed: future rows superseded, others ended on `on` (or the day before).
  await q.query(
    `WITH w AS (${want})
     UPDATE teacher_roles x SET superseded_at = now(), superseded_by = $3
      WHERE x.teacher_id = ANY($1::int[]) AND ${held} AND x.since ${before ? '>=' : '>'} $2::date
        AND NOT EXISTS (SELECT 1 FROM w WHERE w.teacher_id = x.teacher_id AND w.role = x.role)`,
    params,
  );
  await q.query(
    `WITH w AS (${want})
     UPDATE teacher_roles x SET until = $2::date${before ? ' - 1' : ''}, ended_at = now(), ended_by = $3
      WHERE x.teacher_id = ANY($1::int[]) AND ${held} AND x.until IS NULL AND (x.since IS NULL OR x.since ${before ? '<' : '<='} $2::date)
        AND NOT EXISTS (SELECT 1 FROM w WHERE w.teacher_id = x.teacher_id AND w.role = x.role)`,
    params,
  );
  // Kept with another start date: a correction.
  await q.query(
    `WITH w AS (${want}),
     c AS (UPDATE teacher_roles x SET superseded_at = now(), superseded_by = $3 FROM w
            WHERE x.teacher_id = ANY($1::int[]) AND x.teacher_id = w.teacher_id AND x.role = w.role AND ${held} AND x.until IS NULL AND w.since IS NOT NULL AND x.since IS DISTINCT FROM w.since
            RETURNING x.id, x.teacher_id, x.role, w.since)
     INSERT INTO teacher_roles (teacher_id, role, since, recorded_by, corrects) SELECT teacher_id, role, since, $3::int, id FROM c`,
    params,
  );
  // Added.
  await q.query(
    `WITH w AS (${want})
     INSERT INTO teacher_roles (teacher_id, role, since, recorded_by)
     SELECT w.teacher_id, w.role, COALESCE(w.since, ${created ? 'NULL' : '$2::date'}), $3::int FROM w
      WHERE w.teacher_id = ANY($1::int[])
        AND NOT EXISTS (SELECT 1 FROM teacher_roles x WHERE x.teacher_id = w.teacher_id AND x.role = w.role AND ${held})`,
    params,
  );
}

/** Every teacher of an org moves to another (the org merged), effective `on`: assignments follow, then the column. */
export async function mergeAssignments(q: Queryable, fromOrgId: number, toOrgId: number, on: string, by: number): Promise<number[]> {
  const ids = (await q.query<{ id: number }>('SELECT id FROM teachers WHERE org_id = $1 ORDER BY id FOR UPDATE', [fromOrgId])).rows.map((r) => r.id);
  if (!ids.length) return ids;
  await q.query('UPDATE teachers SET org_id = $2 WHERE id = ANY($1::int[])', [ids, toOrgId]);
  await followColumns(q, ids, on, by, { assignmentKind: 'orgMerge' });
  return ids;
}
