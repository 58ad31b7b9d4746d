import { forbidden } from './errors.js';

export type Role = 'bureauAdmin' | 'schoolAdmin' | 'teacher' | 'institution' | 'devCenter' | 'expert';

export const ROLE_LABELS: Record<Role, string> = {
  bureauAdmin: '教育局管理员',
  schoolAdmin: '学校管理员',
  teacher: '教师',
  institution: '培训机构',
  devCenter: '教师发展中心',
  expert: '评审专家',
};

/** The caller, as loaded from the session. orgPath is the chain of org ids, '/1/4/'. */
export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  orgPath: string;
  orgName: string;
  orgLevel: string;
  teacherId: number | null;
  /** The subtree whose teachers this user may see; for an institution or dev centre, the region it serves. */
  scopePath: string;
}

export type Permission =
  | 'teachers.read'
  | 'teachers.write'
  | 'teachers.unmask'
  | 'teachers.import'
  | 'teachers.export'
  | 'projects.manage'
  | 'hours.readOthers'
  | 'hours.correct'
  | 'orgs.read'
  // 绩效评估: read project evaluations and the institution scorecard of the region; manage the expert
  // pool and record expert scores; record inspections and set institutions' qualification status.
  | 'evaluations.read'
  | 'experts.manage'
  | 'evaluations.supervise'
  // 学时: review individual claims (the school step for school admins, the county step for bureaus);
  // import hour records exported by other platforms.
  | 'hours.review'
  | 'hours.import'
  // 评审专家: read the projects they are assigned to and submit their own scores (scope: their
  // assignments, not an org subtree; their scopePath matches no org).
  | 'experts.review';

const GRANTS: Record<Role, Permission[]> = {
  bureauAdmin: ['teachers.read', 'teachers.write', 'teachers.unmask', 'teachers.import', 'teachers.export', 'projects.manage', 'hours.readOthers', 'hours.correct', 'orgs.read', 'evaluations.read', 'experts.manage', 'evaluations.supervise', 'hours.review', 'hours.import'],
  schoolAdmin: ['teachers.read', 'teachers.write', 'teachers.unmask', 'teachers.import', 'teachers.export', 'projects.manage', 'hours.readOthers', 'orgs.read', 'hours.review', 'hours.import'],
  devCenter: ['teachers.read', 'projects.manage', 'hours.readOthers', 'orgs.read', 'evaluations.read', 'experts.manage'],
  institution: ['teachers.read', 'projects.manage', 'orgs.read'],
  teacher: [],
  expert: ['experts.review'],
};

export function can(user: CurrentUser, p: Permission): boolean {
  return GRANTS[user.role].includes(p);
}

export function requirePermission(user: CurrentUser, p: Permission): void {
  if (!can(user, p)) throw forbidden();
}

export function permissionsOf(user: CurrentUser): Permission[] {
  return GRANTS[user.role];
}

/**
 * SQL condition limiting an orgs row (alias) to the caller's subtree. Every repository query that
 * returns org-owned data joins orgs and adds this, so scoping happens in SQL, never by filtering in JS.
 */
export function orgScopeSql(alias: string, paramIndex: number): string {
  return `${alias}.path LIKE $${paramIndex} || '%'`;
}
