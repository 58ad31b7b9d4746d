/** SQL of 交流轮岗 plans and records (issue 14 item 2). Every list is limited to the caller's subtree. */
import type { Queryable } from '../../db/db.js';

export interface RecordRow {
  id: number;
  teacherId: number;
  teacherName: string;
  fromOrgId: number;
  fromOrgName: string;
  toOrgId: number;
  toOrgName: string;
  kind: string;
  startDate: string;
  endDate: string | null;
  rural: boolean;
  planId: number | null;
  assignmentId: number | null;
  note: string | null;
  createdAt: string;
  supersededAt: string | null;
  supersededBy: number | null;
  supersedeReason: string | null;
}

const RECORD_SELECT = `SELECT r.id, r.teacher_id AS "teacherId", t.name AS "teacherName", r.from_org_id AS "fromOrgId", f.name AS "fromOrgName",
       r.to_org_id AS "toOrgId", d.name AS "toOrgName", r.kind, r.start_date::text AS "startDate", r.end_date::text AS "endDate", r.rural,
       r.plan_id AS "planId", r.assignment_id AS "assignmentId", r.note, r.created_at::text AS "createdAt",
       r.superseded_at::text AS "supersededAt", r.superseded_by AS "supersededBy", r.supersede_reason AS "supersedeReason"
  FROM rotation_records r JOIN teachers t ON t.id = r.teacher_id JOIN orgs f ON f.id = r.from_org_id JOIN orgs d ON d.id = r.to_org_id`;

/** Records in scope: the sending or the receiving school is in the subtree. */
export async function listRecords(q: Queryable, scopePath: string, f: { year?: number; teacherId?: number; history?: boolean }): Promise<RecordRow[]> {
  const where = [`(f.path LIKE $1 || '%' OR d.path LIKE $1 || '%')`];
  const params: unknown[] = [scopePath];
  if (!f.history) where.push('r.superseded_at IS NULL');
  if (f.year) {
    params.push(f.year);
    where.push(`extract(year FROM r.start_date)::int = $${params.length}`);
  }
  if (f.teacherId) {
    params.push(f.teacherId);
    where.push(`r.teacher_id = $${params.length}`);
  }
  return (await q.query<RecordRow>(`${RECORD_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.start_date DESC, r.id DESC LIMIT 2000`, params)).rows;
}

export async function findRecord(q: Queryable, scopePath: string, id: number, lock = false): Promise<RecordRow | null> {
  const r = await q.query<RecordRow>(`${RECORD_SELECT} WHERE r.id = $1 AND (f.path LIKE $2 || '%' OR d.path LIKE $2 || '%')${lock ? ' FOR UPDATE OF r' : ''}`, [
    id,
    scopePath,
  ]);
  return r.rows[0] ?? null;
}

/** Records in force of the teacher whose period overlaps [from, until] (until null: open). */
export async function overlapping(q: Queryable, teacherId: number, from: string, until: string | null, exceptId: number | null) {
  return (
    await q.query<{ id: number; startDate: string; endDate: string | null }>(
      `SELECT id, start_date::text AS "startDate", end_date::text AS "endDate" FROM rotation_records
        WHERE teacher_id = $1 AND superseded_at IS NULL AND id <> COALESCE($4, 0)
          AND start_date <= COALESCE($3::date, '9999-12-31'::date) AND COALESCE(end_date, '9999-12-31'::date) >= $2::date`,
      [teacherId, from, until, exceptId],
    )
  ).rows;
}

export interface NewRecord {
  teacherId: number;
  fromOrgId: number;
  toOrgId: number;
  kind: string;
  startDate: string;
  endDate: string | null;
  rural: boolean;
  planId: number | null;
  assignmentId: number | null;
  note: string | null;
  by: number;
  byOrgId: number;
}

export async function insertRecord(q: Queryable, r: NewRecord): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO rotation_records (teacher_id, from_org_id, to_org_id, kind, start_date, end_date, rural, plan_id, assignment_id, note, created_by, recorded_by_org_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
      [r.teacherId, r.fromOrgId, r.toOrgId, r.kind, r.startDate, r.endDate, r.rural, r.planId, r.assignmentId, r.note, r.by, r.byOrgId],
    )
  ).rows[0].id;
}

export async function setEnd(q: Queryable, id: number, endDate: string): Promise<void> {
  await q.query('UPDATE rotation_records SET end_date = $2 WHERE id = $1 AND end_date IS NULL AND superseded_at IS NULL', [id, endDate]);
}

export async function supersede(q: Queryable, id: number, by: number, reason: string): Promise<void> {
  await q.query('UPDATE rotation_records SET superseded_at = now(), superseded_by = $2, supersede_reason = $3 WHERE id = $1', [id, by, reason]);
}

/** The teacher's school on `on` (the assignment valid then), else their school of record. */
export async function schoolOn(q: Queryable, teacherId: number, on: string): Promise<number> {
  const r = await q.query<{ org_id: number }>(
    `SELECT COALESCE((SELECT a.org_id FROM teacher_assignments a WHERE a.teacher_id = t.id AND a.superseded_at IS NULL
                        AND (a.valid_from IS NULL OR a.valid_from <= $2::date) AND (a.valid_until IS NULL OR a.valid_until >= $2::date)
                      ORDER BY a.id DESC LIMIT 1), t.org_id) AS org_id
       FROM teachers t WHERE t.id = $1`,
    [teacherId, on],
  );
  return r.rows[0].org_id;
}

export interface PlanRow {
  id: number;
  orgId: number;
  orgName: string;
  orgKind: string;
  year: number;
  plannedCount: number;
  note: string | null;
  createdAt: string;
}

export async function listPlans(q: Queryable, scopePath: string, year: number): Promise<PlanRow[]> {
  return (
    await q.query<PlanRow>(
      `SELECT p.id, p.org_id AS "orgId", o.name AS "orgName", o.kind AS "orgKind", p.year, p.planned_count AS "plannedCount", p.note, p.created_at::text AS "createdAt"
         FROM rotation_plans p JOIN orgs o ON o.id = p.org_id
        WHERE p.superseded_at IS NULL AND p.year = $2 AND o.path LIKE $1 || '%' ORDER BY o.path`,
      [scopePath, year],
    )
  ).rows;
}

export async function findPlan(q: Queryable, scopePath: string, id: number): Promise<PlanRow | null> {
  const r = await q.query<PlanRow>(
    `SELECT p.id, p.org_id AS "orgId", o.name AS "orgName", o.kind AS "orgKind", p.year, p.planned_count AS "plannedCount", p.note, p.created_at::text AS "createdAt"
       FROM rotation_plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1 AND p.superseded_at IS NULL AND o.path LIKE $2 || '%'`,
    [id, scopePath],
  );
  return r.rows[0] ?? null;
}

/** One plan in force per unit and year: the previous one (if any) is superseded by the new one. */
export async function savePlan(q: Queryable, p: { orgId: number; year: number; plannedCount: number; note: string | null; by: number; byOrgId: number }) {
  const old = (
    await q.query<{ id: number }>('SELECT id FROM rotation_plans WHERE org_id = $1 AND year = $2 AND superseded_at IS NULL FOR UPDATE', [p.orgId, p.year])
  ).rows[0];
  if (old) await q.query('UPDATE rotation_plans SET superseded_at = now() WHERE id = $1', [old.id]);
  const id = (
    await q.query<{ id: number }>(
      `INSERT INTO rotation_plans (org_id, year, planned_count, note, created_by_org_id, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [p.orgId, p.year, p.plannedCount, p.note, p.byOrgId, p.by],
    )
  ).rows[0].id;
  if (old) await q.query('UPDATE rotation_plans SET superseded_by = $2 WHERE id = $1', [old.id, id]);
  return { id, replaced: old?.id ?? null };
}
