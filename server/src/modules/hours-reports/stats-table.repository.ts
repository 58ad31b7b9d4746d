import type { Queryable } from '../../db/db.js';

export interface OrgHead {
  id: number;
  name: string;
  level: string;
  kind: string;
  path: string;
}

export async function orgInScope(q: Queryable, scopePath: string, id: number): Promise<OrgHead | null> {
  return (await q.query<OrgHead>(`SELECT id, name, level, kind, path FROM orgs o WHERE o.id = $1 AND o.path LIKE $2 || '%'`, [id, scopePath])).rows[0] ?? null;
}

export interface StatsRow {
  key: string;
  teachers: number;
  reached: number;
  total_hours: number;
  by_category: Record<string, number>;
}

/**
 * Per group (school id, or main subject — the first of the teacher's subjects, '' when none): active teachers,
 * teachers whose net hours of the year reach `target`, total net hours and hours per category. Teachers are
 * those of the subtree under orgPath, within the caller's scope, all in SQL.
 */
export async function statsBy(
  q: Queryable,
  by: 'school' | 'subject',
  scopePath: string,
  orgPath: string,
  from: string,
  to: string,
  target: number,
): Promise<StatsRow[]> {
  const key = by === 'school' ? 't.org_id::text' : `COALESCE(NULLIF(t.subjects[1], ''), '')`;
  return (
    await q.query<StatsRow>(
      `WITH m AS (
         SELECT t.id, ${key} AS key FROM teachers t JOIN orgs o ON o.id = t.org_id
          WHERE o.path LIKE $1 || '%' AND o.path LIKE $2 || '%' AND t.status = 'active'),
       h AS (
         SELECT l.teacher_id, l.category, sum(l.hours) AS hours
           FROM m JOIN ledger_entries l ON l.teacher_id = m.id
          WHERE l.occurred_on >= $3 AND l.occurred_on < $4
          GROUP BY 1, 2),
       pt AS (SELECT teacher_id, sum(hours) AS hours FROM h GROUP BY 1),
       g AS (
         SELECT m.key, count(*)::int AS teachers, (count(*) FILTER (WHERE pt.hours >= $5))::int AS reached,
                COALESCE(sum(pt.hours), 0) AS total_hours
           FROM m LEFT JOIN pt ON pt.teacher_id = m.id GROUP BY m.key),
       c AS (SELECT m.key, h.category, sum(h.hours) AS hours FROM m JOIN h ON h.teacher_id = m.id GROUP BY 1, 2)
       SELECT g.key, g.teachers, g.reached, g.total_hours,
              COALESCE((SELECT json_object_agg(c.category, c.hours) FROM c WHERE c.key = g.key), '{}'::json) AS by_category
         FROM g`,
      [orgPath, scopePath, from, to, target],
    )
  ).rows;
}

/** The open schools of the subtree, in tree order (every one gets a row, even without teachers). */
export async function schoolsUnder(q: Queryable, scopePath: string, orgPath: string): Promise<{ id: number; name: string }[]> {
  return (
    await q.query<{ id: number; name: string }>(
      `SELECT id, name FROM orgs WHERE path LIKE $1 || '%' AND path LIKE $2 || '%' AND kind = 'school' AND closed_at IS NULL ORDER BY path LIMIT 5000`,
      [orgPath, scopePath],
    )
  ).rows;
}
