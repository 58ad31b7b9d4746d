import type { Queryable } from '../../db/db.js';

/** 编制与结构: SQL over staffing_quotas, student_counts, rural_support_records (migration 0067). */

export interface SchoolRow {
  id: number;
  code: string;
  name: string;
  stage: string | null;
  locale: string | null;
  path: string;
}

/** Schools of the subtree (open ones), by path. */
export async function schoolsIn(q: Queryable, rootPath: string): Promise<SchoolRow[]> {
  return (
    await q.query<SchoolRow>(`SELECT id, code, name, stage, locale, path FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' ORDER BY path`, [rootPath])
  ).rows;
}

export async function orgInScope(q: Queryable, orgId: number, rootPath: string): Promise<(SchoolRow & { kind: string }) | null> {
  return (
    (
      await q.query<SchoolRow & { kind: string }>(`SELECT id, code, name, stage, locale, path, kind FROM orgs WHERE id = $1 AND path LIKE $2 || '%'`, [
        orgId,
        rootPath,
      ])
    ).rows[0] ?? null
  );
}

export interface QuotaRow {
  id: number;
  org_id: number;
  quota: number;
  effective_from: string;
  source: string;
  note: string | null;
  recorded_by_name: string | null;
  recorded_at: string;
  superseded_at: string | null;
}

/** The 编制数 in force on `on` per school: the latest effective_from on or before the date, not superseded. */
export async function quotasOn(q: Queryable, orgIds: number[], on: string): Promise<Map<number, QuotaRow>> {
  const r = await q.query<QuotaRow>(
    `SELECT DISTINCT ON (s.org_id) s.id, s.org_id, s.quota, s.effective_from::text, s.source, s.note, u.display_name AS recorded_by_name,
            s.recorded_at::text, s.superseded_at::text
       FROM staffing_quotas s LEFT JOIN users u ON u.id = s.recorded_by
      WHERE s.org_id = ANY($1::int[]) AND s.superseded_at IS NULL AND s.effective_from <= $2::date
      ORDER BY s.org_id, s.effective_from DESC`,
    [orgIds, on],
  );
  return new Map(r.rows.map((x) => [x.org_id, x]));
}

export interface StudentRow {
  id: number;
  org_id: number;
  year: number;
  stage: string;
  students: number;
  source: string;
  recorded_by_name: string | null;
  recorded_at: string;
  superseded_at: string | null;
}

/** 在校生数 in force for a school year, per school and stage. */
export async function studentsFor(q: Queryable, orgIds: number[], year: number): Promise<StudentRow[]> {
  return (
    await q.query<StudentRow>(
      `SELECT c.id, c.org_id, c.year, c.stage, c.students, c.source, u.display_name AS recorded_by_name, c.recorded_at::text, c.superseded_at::text
         FROM student_counts c LEFT JOIN users u ON u.id = c.recorded_by
        WHERE c.org_id = ANY($1::int[]) AND c.year = $2 AND c.superseded_at IS NULL ORDER BY c.org_id, c.stage`,
      [orgIds, year],
    )
  ).rows;
}

/** A new 编制数: supersedes the one in force for the same school and date (a correction), in the caller's transaction. */
export async function insertQuota(
  q: Queryable,
  v: { orgId: number; quota: number; effectiveFrom: string; source: string; note: string | null; by: number },
): Promise<number> {
  const id = (
    await q
      .query<{ id: number }>(
        `INSERT INTO staffing_quotas (org_id, quota, effective_from, source, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [v.orgId, v.quota, v.effectiveFrom, v.source, v.note, v.by],
      )
      .catch(async (e: unknown) => {
        throw e;
      })
  ).rows[0].id;
  return id;
}

/** Marks the row in force for (org, date) superseded by `byId`; returns whether there was one. */
export async function supersedeQuota(q: Queryable, orgId: number, effectiveFrom: string): Promise<{ id: number; quota: number } | null> {
  const r = await q.query<{ id: number; quota: number }>(
    `UPDATE staffing_quotas SET superseded_at = now() WHERE org_id = $1 AND effective_from = $2 AND superseded_at IS NULL RETURNING id, quota`,
    [orgId, effectiveFrom],
  );
  return r.rows[0] ?? null;
}

export async function linkSuccessor(q: Queryable, table: 'staffing_quotas' | 'student_counts', oldId: number, newId: number): Promise<void> {
  await q.query(`UPDATE ${table} SET superseded_by = $2 WHERE id = $1`, [oldId, newId]);
}

export async function supersedeStudents(q: Queryable, orgId: number, year: number, stage: string): Promise<{ id: number; students: number } | null> {
  const r = await q.query<{ id: number; students: number }>(
    `UPDATE student_counts SET superseded_at = now() WHERE org_id = $1 AND year = $2 AND stage = $3 AND superseded_at IS NULL RETURNING id, students`,
    [orgId, year, stage],
  );
  return r.rows[0] ?? null;
}

export async function insertStudents(
  q: Queryable,
  v: { orgId: number; year: number; stage: string; students: number; source: string; by: number },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO student_counts (org_id, year, stage, students, source, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [v.orgId, v.year, v.stage, v.students, v.source, v.by],
    )
  ).rows[0].id;
}

/** Every 编制数 and 在校生数 row of a school, newest first (history). */
export async function historyOf(q: Queryable, orgId: number): Promise<{ quotas: QuotaRow[]; students: StudentRow[] }> {
  const [quotas, students] = await Promise.all([
    q.query<QuotaRow>(
      `SELECT s.id, s.org_id, s.quota, s.effective_from::text, s.source, s.note, u.display_name AS recorded_by_name, s.recorded_at::text, s.superseded_at::text
         FROM staffing_quotas s LEFT JOIN users u ON u.id = s.recorded_by WHERE s.org_id = $1 ORDER BY s.effective_from DESC, s.id DESC`,
      [orgId],
    ),
    q.query<StudentRow>(
      `SELECT c.id, c.org_id, c.year, c.stage, c.students, c.source, u.display_name AS recorded_by_name, c.recorded_at::text, c.superseded_at::text
         FROM student_counts c LEFT JOIN users u ON u.id = c.recorded_by WHERE c.org_id = $1 ORDER BY c.year DESC, c.stage, c.id DESC`,
      [orgId],
    ),
  ]);
  return { quotas: quotas.rows, students: students.rows };
}

export interface RuralSupportRow {
  id: number;
  teacher_id: number;
  teacher_name: string;
  org_id: number;
  kind: string;
  start_date: string;
  end_date: string | null;
  amount: string | null;
  note: string | null;
}

export async function ruralSupportIn(q: Queryable, rootPath: string): Promise<RuralSupportRow[]> {
  return (
    await q.query<RuralSupportRow>(
      `SELECT r.id, r.teacher_id, t.name AS teacher_name, r.org_id, r.kind, r.start_date::text, r.end_date::text, r.amount::text, r.note
         FROM rural_support_records r JOIN teachers t ON t.id = r.teacher_id JOIN orgs o ON o.id = r.org_id
        WHERE r.superseded_at IS NULL AND o.path LIKE $1 || '%' ORDER BY r.start_date DESC, r.id DESC LIMIT 500`,
      [rootPath],
    )
  ).rows;
}

export async function insertRuralSupport(
  q: Queryable,
  v: { teacherId: number; orgId: number; kind: string; startDate: string; endDate: string | null; amount: number | null; note: string | null; by: number },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO rural_support_records (teacher_id, org_id, kind, start_date, end_date, amount, note, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [v.teacherId, v.orgId, v.kind, v.startDate, v.endDate, v.amount, v.note, v.by],
    )
  ).rows[0].id;
}

/**
 * Days of rural service up to `asOf` per teacher: periods assigned (teacher_assignments) to a school whose locale is
 * rural, and 交流轮岗/支教 records (rotation_records, migration 0060) marked rural. Overlapping days count once.
 */
export async function ruralServiceDays(q: Queryable, teacherIds: number[], asOf: string): Promise<Map<number, number>> {
  const r = await q.query<{ teacher_id: number; days: number }>(
    `WITH periods AS (
       SELECT ta.teacher_id, COALESCE(ta.valid_from, t.hire_date, ta.recorded_at::date) AS f, LEAST(COALESCE(ta.valid_until, $2::date), $2::date) AS u
         FROM teacher_assignments ta JOIN orgs o ON o.id = ta.org_id JOIN teachers t ON t.id = ta.teacher_id
        WHERE ta.teacher_id = ANY($1::int[]) AND ta.superseded_at IS NULL AND o.locale = 'rural'
       UNION ALL
       SELECT rr.teacher_id, rr.start_date, LEAST(COALESCE(rr.end_date, $2::date), $2::date)
         FROM rotation_records rr WHERE rr.teacher_id = ANY($1::int[]) AND rr.superseded_at IS NULL AND rr.rural),
     days AS (SELECT DISTINCT p.teacher_id, d::date AS d FROM periods p CROSS JOIN LATERAL generate_series(p.f, p.u, interval '1 day') AS d WHERE p.f <= p.u)
     SELECT teacher_id, count(*)::int AS days FROM days GROUP BY teacher_id`,
    [teacherIds, asOf],
  );
  return new Map(r.rows.map((x) => [x.teacher_id, x.days]));
}
