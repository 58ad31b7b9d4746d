import type { Queryable } from '../../db/db.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { findProject, type EvalProjectRow } from './evaluations.repository.js';

/**
 * Whose projects a caller may evaluate or see evaluated: supervisors (bureau, development centre) the
 * region they serve (scopePath); organisers (institution, school) only projects their own org runs.
 */
export function projectScopePath(user: CurrentUser): string {
  if (can(user, 'evaluations.read')) return user.scopePath;
  requirePermission(user, 'projects.manage');
  return user.orgPath;
}

/** The project if the caller may see its evaluation, else 404 (nothing leaks outside the scope). */
export async function evaluatedProject(q: Queryable, user: CurrentUser, projectId: number): Promise<EvalProjectRow> {
  const p = await findProject(q, projectScopePath(user), projectId);
  if (!p) throw notFound('培训项目');
  return p;
}

/**
 * The project if the caller runs it (its org subtree), else 404: the participant survey belongs to the
 * organiser; a supervisor who reads the region's evaluations does not manage other organisers' surveys.
 */
export async function ownProject(q: Queryable, user: CurrentUser, projectId: number): Promise<EvalProjectRow> {
  requirePermission(user, 'projects.manage');
  const p = await findProject(q, user.orgPath, projectId);
  if (!p) throw notFound('培训项目');
  return p;
}

/**
 * The project if the caller may manage its experts (assign, unassign, record scores), else 404: a
 * supervising bureau (evaluations.supervise) the region it serves; a development centre only the projects
 * it runs itself (issue 9 item 17).
 */
export async function expertManagedProject(q: Queryable, user: CurrentUser, projectId: number): Promise<EvalProjectRow> {
  requirePermission(user, 'experts.manage');
  const p = await findProject(q, can(user, 'evaluations.supervise') ? user.scopePath : user.orgPath, projectId);
  if (!p) throw notFound('培训项目');
  return p;
}
