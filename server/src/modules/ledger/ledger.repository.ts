import type { Queryable } from '../../db/db.js';

/** One row to append, already validated by the service. */
export interface LedgerRowInput {
  teacher_id: number;
  hours: number;
  category: string;
  occurred_on: string;
  source_type: string;
  project_id: number | null;
  session_id: number | null;
  source_ref: string | null;
  description: string;
  recognised_by: number | null;
  dedupe_key: string;
}

const BATCH = 5000;

/**
 * Append rows in batches of one multi-row INSERT … SELECT FROM unnest each. A row whose dedupe_key
 * exists already is skipped (ON CONFLICT DO NOTHING), so every source is idempotent and race-safe.
 */
export async function insertEntries(q: Queryable, rows: LedgerRowInput[]): Promise<{ inserted: number; teacherIds: number[]; hours: number }> {
  let inserted = 0;
  let hours = 0;
  const teachers = new Set<number>();
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    const col = <K extends keyof LedgerRowInput>(k: K) => b.map((r) => r[k]);
    const r = await q.query<{ n: number; hours: number; teacher_ids: number[] | null }>(
      `WITH ins AS (
         INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, session_id, source_ref, description, recognised_by, dedupe_key)
         SELECT * FROM unnest($1::int[], $2::numeric[], $3::text[], $4::date[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::int[], $11::text[])
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING teacher_id, hours)
       SELECT count(*)::int AS n, COALESCE(sum(hours), 0) AS hours, array_agg(DISTINCT teacher_id) AS teacher_ids FROM ins`,
      [
        col('teacher_id'),
        col('hours'),
        col('category'),
        col('occurred_on'),
        col('source_type'),
        col('project_id'),
        col('session_id'),
        col('source_ref'),
        col('description'),
        col('recognised_by'),
        col('dedupe_key'),
      ],
    );
    inserted += r.rows[0].n;
    hours += r.rows[0].hours;
    for (const id of r.rows[0].teacher_ids ?? []) teachers.add(id);
  }
  return { inserted, teacherIds: [...teachers], hours: Math.round(hours * 10) / 10 };
}

export interface TeacherHead {
  id: number;
  name: string;
  org_name: string;
}

/** The teacher if they belong to the subtree under scopePath ('/' = anywhere). */
export async function findTeacherInScope(q: Queryable, scopePath: string, teacherId: number): Promise<TeacherHead | null> {
  const r = await q.query<TeacherHead>(
    `SELECT t.id, t.name, o.name AS org_name FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
    [teacherId, scopePath],
  );
  return r.rows[0] ?? null;
}

export interface EntryRow {
  id: number;
  teacher_id: number;
  hours: number;
  category: string;
  occurred_on: string;
  source_type: string;
  project_id: number | null;
  project_name: string | null;
  session_id: number | null;
  description: string;
  source_ref: string | null;
  recognised_by_name: string | null;
  recognised_at: Date;
  reverses_id: number | null;
  reversed_by_id: number | null;
  reason: string | null;
}

const ENTRY_SELECT = `SELECT e.id, e.teacher_id, e.hours, e.category, e.occurred_on, e.source_type, e.project_id, p.name AS project_name,
    e.session_id, e.description, e.source_ref, u.display_name AS recognised_by_name, e.recognised_at, e.reverses_id,
    r.id AS reversed_by_id, e.reason
  FROM ledger_entries e
  LEFT JOIN projects p ON p.id = e.project_id
  LEFT JOIN users u ON u.id = e.recognised_by
  LEFT JOIN ledger_entries r ON r.reverses_id = e.id`;

/** A teacher's entries, newest first; capped because a teacher has at most a few hundred. */
export async function listEntries(q: Queryable, teacherId: number, range: { from: string; to: string } | null): Promise<EntryRow[]> {
  const params: unknown[] = [teacherId];
  let where = 'e.teacher_id = $1';
  if (range) {
    params.push(range.from, range.to);
    where += ' AND e.occurred_on >= $2 AND e.occurred_on < $3';
  }
  return (await q.query<EntryRow>(`${ENTRY_SELECT} WHERE ${where} ORDER BY e.occurred_on DESC, e.id DESC LIMIT 5000`, params)).rows;
}

export async function getEntry(q: Queryable, id: number): Promise<EntryRow | null> {
  return (await q.query<EntryRow>(`${ENTRY_SELECT} WHERE e.id = $1`, [id])).rows[0] ?? null;
}

/** Net hours per year and category (reversals included, so corrected entries cancel). */
export async function yearTotals(q: Queryable, teacherId: number): Promise<{ year: number; category: string; hours: number }[]> {
  return (
    await q.query<{ year: number; category: string; hours: number }>(
      `SELECT EXTRACT(YEAR FROM occurred_on)::int AS year, category, sum(hours) AS hours
         FROM ledger_entries WHERE teacher_id = $1 GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
      [teacherId],
    )
  ).rows;
}

/** The entry if its teacher is in the subtree under scopePath. */
export async function findEntryInScope(q: Queryable, scopePath: string, id: number): Promise<EntryRow | null> {
  const r = await q.query<EntryRow>(
    `${ENTRY_SELECT} JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id WHERE e.id = $1 AND o.path LIKE $2 || '%'`,
    [id, scopePath],
  );
  return r.rows[0] ?? null;
}

/**
 * Append the reversing entry of `id`. The unique reverses_id and dedupe_key make a second or
 * concurrent reversal insert nothing: returns null then.
 */
export async function insertReversal(q: Queryable, id: number, userId: number, reason: string): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, project_id, session_id, source_ref,
                                 description, recognised_by, reverses_id, reason, dedupe_key)
     SELECT teacher_id, -hours, category, occurred_on, 'correction', project_id, session_id, source_ref,
            '冲销：' || description, $2, id, $3, 'reverse:' || id
       FROM ledger_entries WHERE id = $1 AND reverses_id IS NULL
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [id, userId, reason],
  );
  return r.rows[0]?.id ?? null;
}

export interface OrgHead {
  id: number;
  name: string;
  level: string;
  kind: string;
  path: string;
}

export async function findOrgInScope(q: Queryable, scopePath: string, id: number): Promise<OrgHead | null> {
  const r = await q.query<OrgHead>(`SELECT id, name, level, kind, path FROM orgs o WHERE o.id = $1 AND o.path LIKE $2 || '%'`, [id, scopePath]);
  return r.rows[0] ?? null;
}

export interface SummaryRow {
  id: number;
  name: string;
  teachers: number;
  total_hours: number;
  by_category: Record<string, number>;
}

/**
 * Hours of the year per child org of `org` (every active teacher counted under the child whose
 * subtree holds their school). The child is read off the org path, so it is one pass over the
 * subtree and one GROUP BY, all limited to scopePath in SQL.
 */
export async function summaryByChildOrg(q: Queryable, scopePath: string, org: OrgHead, from: string, to: string): Promise<SummaryRow[]> {
  const r = await q.query<SummaryRow>(
    `WITH k AS (
       SELECT o.id, o.name, o.path FROM orgs o
        WHERE o.parent_id = $1 AND o.path LIKE $3 || '%' AND o.kind NOT IN ('institution', 'devCenter', 'researchOffice')),
     m AS (
       SELECT t.id AS teacher_id, split_part(substr(o.path, length($2) + 1), '/', 1)::int AS child_id
         FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $2 || '%' AND o.path <> $2 AND o.path LIKE $3 || '%' AND t.status = 'active'),
     n AS (SELECT child_id, count(*)::int AS teachers FROM m GROUP BY child_id),
     h AS (
       SELECT m.child_id, l.category, sum(l.hours) AS hours
         FROM m JOIN ledger_entries l ON l.teacher_id = m.teacher_id
        WHERE l.occurred_on >= $4 AND l.occurred_on < $5
        GROUP BY m.child_id, l.category)
     SELECT k.id, k.name, COALESCE(n.teachers, 0)::int AS teachers, COALESCE(sum(h.hours), 0) AS total_hours,
            COALESCE(json_object_agg(h.category, h.hours) FILTER (WHERE h.category IS NOT NULL), '{}'::json) AS by_category
       FROM k LEFT JOIN n ON n.child_id = k.id LEFT JOIN h ON h.child_id = k.id
      GROUP BY k.id, k.name, k.path, n.teachers
      ORDER BY k.path`,
    [org.id, org.path, scopePath, from, to],
  );
  return r.rows;
}

/** Hours of the year per active teacher of one school. */
export async function summaryBySchoolTeacher(q: Queryable, scopePath: string, org: OrgHead, from: string, to: string): Promise<SummaryRow[]> {
  const r = await q.query<SummaryRow>(
    `WITH m AS (
       SELECT t.id, t.name FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE t.org_id = $1 AND o.path LIKE $2 || '%' AND t.status = 'active'),
     h AS (
       SELECT l.teacher_id, l.category, sum(l.hours) AS hours
         FROM m JOIN ledger_entries l ON l.teacher_id = m.id
        WHERE l.occurred_on >= $3 AND l.occurred_on < $4
        GROUP BY l.teacher_id, l.category)
     SELECT m.id, m.name, 1 AS teachers, COALESCE(sum(h.hours), 0) AS total_hours,
            COALESCE(json_object_agg(h.category, h.hours) FILTER (WHERE h.category IS NOT NULL), '{}'::json) AS by_category
       FROM m LEFT JOIN h ON h.teacher_id = m.id
      GROUP BY m.id, m.name
      ORDER BY m.name, m.id`,
    [org.id, scopePath, from, to],
  );
  return r.rows;
}
