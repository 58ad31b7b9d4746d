/** All SQL of the research-projects module (课题, issue 13 item 5). */
import type { Queryable } from '../../db/db.js';
import type { ResearchInput } from './research.schema.js';

export type ResearchStatus = 'applied' | 'approved' | 'rejected' | 'started' | 'midtermPassed' | 'concluded' | 'terminated';

export interface ProjectRow {
  id: number;
  title: string;
  leaderTeacherId: number;
  leaderName: string;
  schoolOrgId: number;
  schoolName: string;
  schoolPath: string;
  level: 'county' | 'city' | 'province';
  approvingOrgId: number;
  approvingName: string;
  approvingPath: string;
  category: string;
  plan: string;
  status: ResearchStatus;
  appliedAt: string;
}

const SELECT = `SELECT p.id, p.title, p.leader_teacher_id AS "leaderTeacherId", t.name AS "leaderName",
    p.school_org_id AS "schoolOrgId", s.name AS "schoolName", s.path AS "schoolPath", p.level,
    p.approving_org_id AS "approvingOrgId", a.name AS "approvingName", a.path AS "approvingPath",
    p.category, p.plan, p.status, p.applied_at::text AS "appliedAt"
  FROM research_projects p JOIN teachers t ON t.id = p.leader_teacher_id JOIN orgs s ON s.id = p.school_org_id
  JOIN orgs a ON a.id = p.approving_org_id`;

/**
 * What a caller sees: a teacher the projects it leads or is a member of ($2), anyone else those of schools in its
 * scope, or (reviewers, $3) those approved by an org in its scope.
 */
const VISIBLE = `(CASE WHEN $2::int IS NOT NULL
    THEN p.leader_teacher_id = $2 OR EXISTS (SELECT 1 FROM research_members m WHERE m.project_id = p.id AND m.teacher_id = $2)
    ELSE s.path LIKE $1 || '%' OR ($3::boolean AND a.path LIKE $1 || '%') END)`;

export interface Viewer {
  scope: string;
  teacherId: number | null;
  reviewer: boolean;
}

export async function list(q: Queryable, v: Viewer): Promise<ProjectRow[]> {
  return (await q.query<ProjectRow>(`${SELECT} WHERE ${VISIBLE} ORDER BY p.id DESC LIMIT 500`, [v.scope, v.teacherId, v.reviewer])).rows;
}

export async function find(q: Queryable, v: Viewer, id: number, lock = false): Promise<ProjectRow | undefined> {
  return (await q.query<ProjectRow>(`${SELECT} WHERE ${VISIBLE} AND p.id = $4${lock ? ' FOR UPDATE OF p' : ''}`, [v.scope, v.teacherId, v.reviewer, id]))
    .rows[0];
}

/** The teachers named, in the subtree `scope`, active. */
export async function teachersIn(q: Queryable, scope: string, ids: number[]) {
  return (
    await q.query<{ id: number; name: string; orgId: number; orgPath: string }>(
      `SELECT t.id, t.name, t.org_id AS "orgId", o.path AS "orgPath" FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE t.id = ANY($2::int[]) AND o.path LIKE $1 || '%' AND t.status = 'active'`,
      [scope, ids],
    )
  ).rows;
}

/** The bureau of `level` above (or at) the org with path `path`. */
export async function bureauAbove(q: Queryable, path: string, level: string): Promise<number | undefined> {
  return (
    await q.query<{ id: number }>(`SELECT id FROM orgs WHERE $1 LIKE path || '%' AND level = $2 AND kind = 'bureau' ORDER BY length(path) DESC LIMIT 1`, [
      path,
      level,
    ])
  ).rows[0]?.id;
}

export async function insertProject(
  q: Queryable,
  b: ResearchInput,
  leaderId: number,
  schoolOrgId: number,
  approvingOrgId: number,
  by: number,
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO research_projects (title, leader_teacher_id, school_org_id, level, approving_org_id, category, plan, applied_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
      [b.title, leaderId, schoolOrgId, b.level, approvingOrgId, b.category, b.plan, by],
    )
  ).rows[0].id;
}

export async function addMember(q: Queryable, projectId: number, teacherId: number, role: 'leader' | 'member', on: string, by: number): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO research_members (project_id, teacher_id, role, joined_on, recorded_by) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (project_id, teacher_id) WHERE left_on IS NULL DO NOTHING RETURNING id`,
    [projectId, teacherId, role, on, by],
  );
  return r.rows.length > 0;
}

export async function members(q: Queryable, projectId: number) {
  return (
    await q.query<{ id: number; teacherId: number; name: string; role: string; joinedOn: string; leftOn: string | null }>(
      `SELECT m.id, m.teacher_id AS "teacherId", t.name, m.role, m.joined_on::text AS "joinedOn", m.left_on::text AS "leftOn"
         FROM research_members m JOIN teachers t ON t.id = m.teacher_id WHERE m.project_id = $1 ORDER BY m.role, m.id`,
      [projectId],
    )
  ).rows;
}

export async function setStatus(q: Queryable, id: number, status: ResearchStatus): Promise<void> {
  await q.query('UPDATE research_projects SET status = $2 WHERE id = $1', [id, status]);
}

export async function insertStep(
  q: Queryable,
  projectId: number,
  step: string,
  result: string | null,
  heldOn: string,
  comment: string | null,
  statusAfter: ResearchStatus,
  byUser: number,
  byOrg: number,
): Promise<void> {
  await q.query(`INSERT INTO research_steps (project_id, step, result, held_on, comment, status_after, by_user, by_org_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [
    projectId,
    step,
    result,
    heldOn,
    comment,
    statusAfter,
    byUser,
    byOrg,
  ]);
}

export async function steps(q: Queryable, projectId: number) {
  return (
    await q.query<{
      step: string;
      result: string | null;
      heldOn: string;
      comment: string | null;
      statusAfter: ResearchStatus;
      byOrgName: string | null;
      byName: string | null;
    }>(
      `SELECT x.step, x.result, x.held_on::text AS "heldOn", x.comment, x.status_after AS "statusAfter", o.name AS "byOrgName", u.display_name AS "byName"
         FROM research_steps x LEFT JOIN orgs o ON o.id = x.by_org_id LEFT JOIN users u ON u.id = x.by_user
        WHERE x.project_id = $1 ORDER BY x.id`,
      [projectId],
    )
  ).rows;
}

export async function insertOutput(q: Queryable, projectId: number, kind: string, title: string, fileId: number | null, by: number): Promise<number> {
  return (
    await q.query<{ id: number }>('INSERT INTO research_outputs (project_id, kind, title, file_id, recorded_by) VALUES ($1,$2,$3,$4,$5) RETURNING id', [
      projectId,
      kind,
      title,
      fileId,
      by,
    ])
  ).rows[0].id;
}

export async function outputs(q: Queryable, projectId: number) {
  return (
    await q.query<{ id: number; kind: string; title: string; fileId: number | null; recordedAt: string }>(
      `SELECT id, kind, title, file_id AS "fileId", recorded_at::text AS "recordedAt" FROM research_outputs WHERE project_id = $1 ORDER BY id`,
      [projectId],
    )
  ).rows;
}
