/** All SQL of 学历提升 / 资格证 plans (issue 13 item 5). */
import type { Queryable } from '../../db/db.js';
import type { PlanInput } from './upgrade.schema.js';

export interface PlanRow {
  id: number;
  teacherId: number;
  teacherName: string;
  orgPath: string;
  schoolName: string;
  kind: 'degree' | 'qualification';
  targetEducation: string | null;
  targetSubject: string | null;
  targetStage: string | null;
  institution: string | null;
  expectedOn: string;
  status: 'active' | 'completed' | 'abandoned';
  completedOn: string | null;
  /** The teacher asked to confirm completion and the school has not answered yet. */
  completionRequested: boolean;
}

const SELECT = `SELECT p.id, p.teacher_id AS "teacherId", t.name AS "teacherName", o.path AS "orgPath", o.name AS "schoolName", p.kind,
    p.target_education AS "targetEducation", p.target_subject AS "targetSubject", p.target_stage AS "targetStage", p.institution,
    p.expected_on::text AS "expectedOn", p.status, p.completed_on::text AS "completedOn",
    COALESCE((SELECT g.kind = 'completionRequested' FROM upgrade_progress g
               WHERE g.plan_id = p.id AND g.kind IN ('completionRequested','returned','completed') ORDER BY g.id DESC LIMIT 1), false) AS "completionRequested"
  FROM upgrade_plans p JOIN teachers t ON t.id = p.teacher_id JOIN orgs o ON o.id = t.org_id`;

/** A teacher's own ($2), or those of teachers in the subtree $1. */
export async function list(q: Queryable, scope: string, teacherId: number | null): Promise<PlanRow[]> {
  return (
    await q.query<PlanRow>(
      `${SELECT} WHERE CASE WHEN $2::int IS NOT NULL THEN p.teacher_id = $2 ELSE o.path LIKE $1 || '%' END ORDER BY p.id DESC LIMIT 1000`,
      [scope, teacherId],
    )
  ).rows;
}

export async function find(q: Queryable, scope: string, teacherId: number | null, id: number, lock = false): Promise<PlanRow | undefined> {
  return (
    await q.query<PlanRow>(
      `${SELECT} WHERE p.id = $3 AND CASE WHEN $2::int IS NOT NULL THEN p.teacher_id = $2 ELSE o.path LIKE $1 || '%' END${lock ? ' FOR UPDATE OF p' : ''}`,
      [scope, teacherId, id],
    )
  ).rows[0];
}

export async function insertPlan(q: Queryable, teacherId: number, b: PlanInput, by: number): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO upgrade_plans (teacher_id, kind, target_education, target_subject, target_stage, institution, expected_on, evidence_file_id, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [
        teacherId,
        b.kind,
        b.kind === 'degree' ? b.targetEducation : null,
        b.kind === 'qualification' ? b.targetSubject : null,
        b.kind === 'qualification' ? (b.targetStage ?? null) : null,
        b.institution ?? null,
        b.expectedOn,
        b.evidenceFileId ?? null,
        by,
      ],
    )
  ).rows[0].id;
}

export async function addProgress(q: Queryable, planId: number, kind: string, note: string | null, achieved: unknown, fileId: number | null, by: number) {
  await q.query('INSERT INTO upgrade_progress (plan_id, kind, note, achieved, file_id, by_user) VALUES ($1,$2,$3,$4,$5,$6)', [
    planId,
    kind,
    note,
    achieved === null ? null : JSON.stringify(achieved),
    fileId,
    by,
  ]);
}

export async function progress(q: Queryable, planId: number) {
  return (
    await q.query<{
      id: number;
      kind: string;
      note: string | null;
      achieved: Record<string, string> | null;
      fileId: number | null;
      at: string;
      byName: string | null;
    }>(
      `SELECT x.id, x.kind, x.note, x.achieved, x.file_id AS "fileId", x.at::text AS at, u.display_name AS "byName"
         FROM upgrade_progress x LEFT JOIN users u ON u.id = x.by_user WHERE x.plan_id = $1 ORDER BY x.id`,
      [planId],
    )
  ).rows;
}

export async function complete(q: Queryable, planId: number, on: string): Promise<void> {
  await q.query(`UPDATE upgrade_plans SET status = 'completed', completed_on = $2 WHERE id = $1`, [planId, on]);
}

/**
 * 科证不符 (GLOSSARY qualificationMatch; the rule of policy.evaluate.ts qualificationMatchesSubject): active teachers of
 * the subtree, not in kindergarten, whose 资格证学科 is missing or is none of the subjects they teach; with their
 * active plan if any.
 */
export async function mismatched(q: Queryable, scope: string) {
  return (
    await q.query<{
      teacherId: number;
      name: string;
      schoolName: string;
      subjects: string[];
      qualificationSubject: string | null;
      education: string | null;
      planId: number | null;
      planKind: string | null;
      expectedOn: string | null;
    }>(
      `SELECT t.id AS "teacherId", t.name, o.name AS "schoolName", t.subjects, t.qualification_subject AS "qualificationSubject", t.education,
              p.id AS "planId", p.kind AS "planKind", p.expected_on::text AS "expectedOn"
         FROM teachers t JOIN orgs o ON o.id = t.org_id
         LEFT JOIN LATERAL (SELECT id, kind, expected_on FROM upgrade_plans x WHERE x.teacher_id = t.id AND x.status = 'active' ORDER BY x.id DESC LIMIT 1) p ON true
        WHERE o.path LIKE $1 || '%' AND t.status = 'active' AND t.stage <> 'kindergarten'
          AND (t.qualification_subject IS NULL OR NOT (t.qualification_subject = ANY(t.subjects)))
        ORDER BY o.path, t.name, t.id LIMIT 5000`,
      [scope],
    )
  ).rows;
}

/** An active teacher of the subtree (a teacher's own record: scope '/'). */
export async function teacherIn(q: Queryable, scope: string, id: number) {
  return (
    await q.query<{ id: number; stage: string }>(
      `SELECT t.id, t.stage FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $2 AND o.path LIKE $1 || '%' AND t.status = 'active'`,
      [scope, id],
    )
  ).rows[0];
}
