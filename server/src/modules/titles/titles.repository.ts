/**
 * SQL of 职称 eligibility and review rounds (migration 0064). The facts are read, never written here: the title and
 * its date from the teacher's credential periods (compliance's credentialsDifferingOn, the one as-of reading),
 * appraisal_results and rotation_records (migration 0060), teacher_assignments kind 'rotation'.
 */
import type { Queryable } from '../../db/db.js';
import { notFound } from '../../platform/errors.js';
import { credentialsDifferingOn } from '../compliance/compliance.repository.js';

export interface TitleFacts {
  id: number;
  name: string;
  orgId: number;
  orgName: string;
  path: string;
  stage: string | null;
  nationalIdMask: string;
  title: string | null;
  titleDate: string | null;
}

/** The teacher with the title and title date valid on `on` (today's record plus what differed on the date). */
export async function titleFactsOn(q: Queryable, teacherId: number, on: string): Promise<TitleFacts> {
  const t = (
    await q.query<TitleFacts>(
      `SELECT t.id, t.name, t.org_id AS "orgId", o.name AS "orgName", o.path, o.stage, t.national_id_mask AS "nationalIdMask",
              t.title, t.title_date::text AS "titleDate"
         FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1`,
      [teacherId],
    )
  ).rows[0];
  if (!t) throw notFound('教师');
  const diff = (await credentialsDifferingOn(q, on, ['title', 'title_date'], [teacherId])).get(teacherId);
  if (diff && 'title' in diff) t.title = typeof diff.title === 'string' ? diff.title : null;
  if (diff && 'title_date' in diff) t.titleDate = typeof diff.title_date === 'string' ? diff.title_date.slice(0, 10) : null;
  return t;
}

/** The appraisal results in force (not superseded), by year. */
export async function appraisalsOf(q: Queryable, teacherId: number): Promise<{ year: number; grade: string }[]> {
  return (
    await q.query<{ year: number; grade: string }>('SELECT year, grade FROM appraisal_results WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY year', [
      teacherId,
    ])
  ).rows;
}

/** 交流轮岗 begun by `on`: a rotation record (any kind) or a school assignment of kind 'rotation'. */
export async function hasRotation(q: Queryable, teacherId: number, on: string): Promise<boolean> {
  const r = await q.query(
    `SELECT 1 FROM rotation_records WHERE teacher_id = $1 AND superseded_at IS NULL AND start_date <= $2::date
      UNION ALL
     SELECT 1 FROM teacher_assignments WHERE teacher_id = $1 AND kind = 'rotation' AND superseded_at IS NULL AND valid_from <= $2::date
      LIMIT 1`,
    [teacherId, on],
  );
  return r.rows.length > 0;
}

/** The active teachers of an org subtree (ids), for the school's list. */
export async function teachersUnder(q: Queryable, path: string, limit: number): Promise<number[]> {
  return (
    await q.query<{ id: number }>(
      `SELECT t.id FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE $1 || '%' AND t.status = 'active' ORDER BY o.path, t.name, t.id LIMIT $2`,
      [path, limit],
    )
  ).rows.map((r) => r.id);
}

/** Hours of the ledger between two dates, by year and category (net of corrections). */
export async function hoursByYearCategory(
  q: Queryable,
  teacherId: number,
  from: string,
  to: string,
): Promise<{ year: number; category: string; hours: number }[]> {
  return (
    await q.query<{ year: number; category: string; hours: string }>(
      `SELECT extract(year FROM occurred_on)::int AS year, category, sum(hours)::text AS hours FROM ledger_entries
        WHERE teacher_id = $1 AND occurred_on BETWEEN $2::date AND $3::date GROUP BY 1, 2 HAVING sum(hours) <> 0 ORDER BY 1, 2`,
      [teacherId, from, to],
    )
  ).rows.map((r) => ({ year: r.year, category: r.category, hours: Number(r.hours) }));
}
