import type { Queryable } from '../../db/db.js';

export interface StatementTeacher {
  id: number;
  name: string;
  school_id: number;
  school_name: string;
  school_path: string;
}

/** The teacher if their school is in the subtree under scopePath ('/' = anywhere). */
export async function teacherInScope(q: Queryable, scopePath: string, teacherId: number): Promise<StatementTeacher | null> {
  return (
    (
      await q.query<StatementTeacher>(
        `SELECT t.id, t.name, o.id AS school_id, o.name AS school_name, o.path AS school_path
           FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
        [teacherId, scopePath],
      )
    ).rows[0] ?? null
  );
}

/** The nearest 教育局 at or above the org: the bureau that issues the statement. */
export async function issuingBureau(q: Queryable, orgPath: string): Promise<{ id: number; name: string } | null> {
  return (
    (
      await q.query<{ id: number; name: string }>(
        `SELECT id, name FROM orgs WHERE $1 LIKE path || '%' AND kind = 'bureau' ORDER BY length(path) DESC LIMIT 1`,
        [orgPath],
      )
    ).rows[0] ?? null
  );
}

/** Net hours (reversals included) per year and category of a teacher between two years, inclusive. */
export async function hoursByYearCategory(
  q: Queryable,
  teacherId: number,
  fromYear: number,
  toYear: number,
): Promise<{ year: number; category: string; hours: number }[]> {
  return (
    await q.query<{ year: number; category: string; hours: number }>(
      `SELECT EXTRACT(YEAR FROM occurred_on)::int AS year, category, sum(hours) AS hours
         FROM ledger_entries
        WHERE teacher_id = $1 AND occurred_on >= make_date($2, 1, 1) AND occurred_on < make_date($3 + 1, 1, 1)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [teacherId, fromYear, toYear],
    )
  ).rows;
}

export interface StatementEntryRow {
  occurred_on: string;
  category: string;
  hours: number;
  description: string;
  source_type: string;
}

/** The entries of the period that still count (an entry and its reversal both left out), oldest first. */
export async function netEntries(q: Queryable, teacherId: number, fromYear: number, toYear: number): Promise<StatementEntryRow[]> {
  return (
    await q.query<StatementEntryRow>(
      `SELECT e.occurred_on, e.category, e.hours, e.description, e.source_type
         FROM ledger_entries e
        WHERE e.teacher_id = $1 AND e.occurred_on >= make_date($2, 1, 1) AND e.occurred_on < make_date($3 + 1, 1, 1)
          AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)
        ORDER BY e.occurred_on, e.id LIMIT 2000`,
      [teacherId, fromYear, toYear],
    )
  ).rows;
}

export interface StatementInsert {
  teacherId: number;
  fromYear: number;
  toYear: number;
  totalHours: number;
  byCategory: Record<string, number>;
  byYear: Record<string, number>;
  schoolName: string;
  issuerOrgId: number;
  issuedBy: number;
}

/** Append one statement; its number XS{year}{id, 6 digits} comes from the id sequence in the same statement. */
export async function insertStatement(q: Queryable, s: StatementInsert): Promise<StatementRow> {
  const r = await q.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('hours_statements', 'id')) AS id)
     INSERT INTO hours_statements (id, statement_no, teacher_id, from_year, to_year, total_hours, by_category, by_year, school_name, issuer_org_id, issued_by)
     SELECT n.id, 'XS' || to_char(now(), 'YYYY') || lpad(n.id::text, 6, '0'), $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM n
     RETURNING id`,
    [s.teacherId, s.fromYear, s.toYear, s.totalHours, JSON.stringify(s.byCategory), JSON.stringify(s.byYear), s.schoolName, s.issuerOrgId, s.issuedBy],
  );
  const row = await findStatement(q, r.rows[0].id);
  if (!row) throw new Error('hours statement vanished');
  return row;
}

export interface StatementRow {
  id: number;
  statement_no: string;
  teacher_id: number;
  teacher_name: string;
  from_year: number;
  to_year: number;
  total_hours: number;
  by_category: Record<string, number>;
  by_year: Record<string, number>;
  school_name: string;
  issuer: string;
  issued_at: Date;
}

export async function findStatement(q: Queryable, id: number): Promise<StatementRow | null> {
  return (
    (
      await q.query<StatementRow>(
        `SELECT s.id, s.statement_no, s.teacher_id, t.name AS teacher_name, s.from_year, s.to_year, s.total_hours, s.by_category,
                s.by_year, s.school_name, o.name AS issuer, s.issued_at
           FROM hours_statements s JOIN teachers t ON t.id = s.teacher_id JOIN orgs o ON o.id = s.issuer_org_id
          WHERE s.id = $1`,
        [id],
      )
    ).rows[0] ?? null
  );
}
