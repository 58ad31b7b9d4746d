import type { Queryable } from '../../db/db.js';

/** SQL of 班主任津贴 (issue 14 item 8). `month` is its first day, 'YYYY-MM-01'. */

export interface TeacherRow {
  teacher_id: number;
  name: string;
  stage: string;
  homeroom: boolean;
  amount_fen: number | null;
  recorded_at: string | null;
}

/**
 * The school's teachers for the month: those assigned to it on some day of the month (the assignment history; a
 * teacher without one counts where the registry has them), flagged 班主任 when a homeroom role period overlaps the
 * month, with the month's allowance (latest row) — plus anyone with an allowance recorded there that month.
 */
export async function monthRows(q: Queryable, orgId: number, month: string): Promise<TeacherRow[]> {
  const r = await q.query<TeacherRow>(
    `WITH m AS (SELECT $2::date AS first, ($2::date + INTERVAL '1 month' - INTERVAL '1 day')::date AS last),
     here AS (
       SELECT t.id FROM teachers t, m
        WHERE EXISTS (SELECT 1 FROM teacher_assignments a WHERE a.teacher_id = t.id AND a.org_id = $1 AND a.superseded_at IS NULL
                        AND (a.valid_from IS NULL OR a.valid_from <= m.last) AND (a.valid_until IS NULL OR a.valid_until >= m.first))
           OR (t.org_id = $1 AND NOT EXISTS (SELECT 1 FROM teacher_assignments a WHERE a.teacher_id = t.id AND a.superseded_at IS NULL))
       UNION
       SELECT teacher_id FROM homeroom_allowances WHERE org_id = $1 AND month = $2::date
     ),
     pay AS (
       SELECT DISTINCT ON (teacher_id) teacher_id, amount_fen, recorded_at FROM homeroom_allowances
        WHERE org_id = $1 AND month = $2::date ORDER BY teacher_id, id DESC
     )
     SELECT t.id AS teacher_id, t.name, t.stage,
            EXISTS (SELECT 1 FROM teacher_roles r, m WHERE r.teacher_id = t.id AND r.role = 'homeroom' AND r.superseded_at IS NULL
                      AND (r.since IS NULL OR r.since <= m.last) AND (r.until IS NULL OR r.until >= m.first)) AS homeroom,
            pay.amount_fen, pay.recorded_at::text
       FROM here JOIN teachers t ON t.id = here.id LEFT JOIN pay ON pay.teacher_id = t.id
      ORDER BY t.name, t.id`,
    [orgId, month],
  );
  return r.rows.map((x) => ({ ...x, amount_fen: x.amount_fen === null ? null : Number(x.amount_fen) }));
}

export async function insertAllowance(
  q: Queryable,
  a: { orgId: number; teacherId: number; month: string; amountFen: number; reason: string | null; userId: number },
): Promise<void> {
  await q.query('INSERT INTO homeroom_allowances (org_id, teacher_id, month, amount_fen, reason, recorded_by) VALUES ($1,$2,$3,$4,$5,$6)', [
    a.orgId,
    a.teacherId,
    a.month,
    a.amountFen,
    a.reason,
    a.userId,
  ]);
}

export async function schoolsUnder(q: Queryable, rootPath: string): Promise<{ id: number; name: string; path: string }[]> {
  const r = await q.query<{ id: number; name: string; path: string }>(
    `SELECT id, name, path FROM orgs WHERE path LIKE $1 || '%' AND kind = 'school' AND closed_at IS NULL ORDER BY path LIMIT 1000`,
    [rootPath],
  );
  return r.rows;
}
