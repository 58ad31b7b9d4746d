import { forbidden } from './errors.js';

export const ROLES = [
  'bureauAdmin',
  'schoolAdmin',
  'teacher',
  'institution',
  'devCenter',
  'expert',
  'sysAdmin',
  'infoAdmin',
  'securityAdmin',
  'auditor',
  'ethicsOfficer',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  bureauAdmin: '教育局管理员',
  schoolAdmin: '学校管理员',
  teacher: '教师',
  institution: '培训机构',
  devCenter: '教师发展中心',
  expert: '评审专家',
  sysAdmin: '系统管理员',
  infoAdmin: '信息管理员',
  securityAdmin: '安全管理员',
  auditor: '审计管理员',
  ethicsOfficer: '师德专干',
};

/**
 * 三权分立 (等保2.0 三级): the one who manages accounts, the one who manages security and the one who reads
 * the audit log are three different people; no person holds two of these roles at once.
 */
export const SEPARATED_ROLES: readonly Role[] = ['sysAdmin', 'securityAdmin', 'auditor'];

/**
 * Roles that do not make an account an admin account: every other role requires a TOTP second factor while
 * the 安全管理员's setting 「管理员须使用动态口令」 is on (等保2.0 三级: two factors for administrators).
 */
export const SECOND_FACTOR_EXEMPT_ROLES: readonly Role[] = ['teacher', 'expert'];

/** Roles held only at a bureau (city, county …), never at a school or an institution. */
export const BUREAU_ONLY_ROLES: readonly Role[] = ['bureauAdmin', 'securityAdmin', 'auditor', 'ethicsOfficer'];

/** The caller, as loaded from the session. orgPath is the chain of org ids, '/1/4/'. */
export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  /** The role this session acts in (user_roles.id and its role); a person may hold several and switch. */
  roleId: number;
  role: Role;
  orgId: number;
  orgPath: string;
  orgName: string;
  orgLevel: string;
  teacherId: number | null;
  /** The subtree whose teachers this user may see; for an institution or dev centre, the region it serves. */
  scopePath: string;
  /** An initial or reset password: until it is changed, the session may only change it (or log out). */
  mustChangePassword: boolean;
  /**
   * What the session still owes before it may do anything: 'verify' the TOTP code (the first step of a login
   * proved the password only) or 'enrol' a TOTP authenticator (required for admin accounts). Absent = nothing.
   */
  secondFactor?: 'verify' | 'enrol' | null;
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
  | 'experts.review'
  // Accounts and orgs (系统管理员): issue accounts, reset passwords, grant and end roles; create, edit, move,
  // merge and close orgs in the subtree. accounts.read: the account list with lock status (also 安全管理员).
  | 'accounts.read'
  | 'accounts.manage'
  | 'orgs.manage'
  // 安全管理员: security settings, unlocking accounts. 审计管理员: read, verify and export the audit log.
  | 'security.manage'
  | 'audit.read'
  // 教师档案 (issue 10 item 4): read teachers' records, the change queue and completeness of the subtree;
  // approve or return the changes teachers 报送 (the school's 信息管理员).
  | 'records.read'
  | 'records.review'
  // 师德师风 (issue 12). ethics.handle: the 师德专干 receives reports (and reads the reporter's identity,
  // audited), handles cases, records sanctions and 禁入, publishes 通报, reads the ethics board.
  // ethics.entryCheck: 准入查询 of one 身份证号 against the 行业禁入 register (audited).
  // ethics.integrity: read the 诚信档案 (sanctions in force, 师德考核, 承诺书, honours) of the subtree's teachers.
  // ethics.notices: read 通报 sent to the org and confirm reading; see that a case concerns one of the org's
  // teachers when the bureau chose to inform the school (never the report or the reporter).
  | 'ethics.handle'
  | 'ethics.entryCheck'
  | 'ethics.integrity'
  | 'ethics.notices'
  // 师徒结对与磨课 (issue 13 item 3, mentoring). mentoring.manage: pair mentors with new teachers, mark 可独立任教
  // after the 磨课 rounds, flag 重点培养对象, read the board (school and bureau). mentoring.polish: record 磨课
  // rounds as the evaluator (the school's 磨课团队, the bureau, the 教研室 through a devCenter account).
  | 'mentoring.manage'
  | 'mentoring.polish'
  // 骨干教师 三级三类 (issue 13 item 2). keyTeachers.manage: a bureau opens selection rounds with quotas, reviews,
  // publishes 公示, records objections, designates, assesses the yearly duties, renews and ends terms.
  // keyTeachers.nominate: a school (or sub-bureau) nominates its teachers within its quota.
  | 'keyTeachers.manage'
  | 'keyTeachers.nominate'
  // 工作室 (issue 13 item 1): file a studio application for a host of the subtree; as the naming org, review, name,
  // end and assess it; run the studios named in the subtree (members, plan, activities, outputs); read the board.
  // A studio's host runs it without this permission; its members read its page.
  | 'studios.manage'
  // 教师发展 (issue 13 items 4–5, growth): competitions.manage organises 基本功竞赛 for the caller's region (rounds,
  // judges, scores, results, publication); research.review approves 课题 and runs 开题/中期检查/结题.
  | 'competitions.manage'
  | 'research.review'
  // 编制与结构 (issue 14 item 9): staffing.read the 编制/在岗/空编/structure page of the subtree; staffing.manage record
  // 在校生数 and 乡村教师 support (a school for itself); 编制数 itself only a bureau admin records.
  | 'staffing.read'
  | 'staffing.manage'
  // 计划报备与年度考核 (issue 14 item 5): plans.file — a school (or sub-bureau) files its annual plans with the bureau
  // above; plans.review — a bureau reviews the plans of its sub-units, lists missing/late ones, scores 年度考核.
  | 'plans.file'
  | 'plans.review'
  // 职称 (issue 14 item 3). titles.review: a school or bureau sees its teachers' 职称 eligibility, their 学时证明,
  // and puts applicants forward into a review round. titles.manage: a bureau opens review rounds and exports them.
  | 'titles.review'
  | 'titles.manage'
  // 年度考核 (issue 14 item 1): a school (or a bureau for its subtree) opens the year's round, grades its teachers
  // within the 优秀 quota, publishes the 公示, records objections, confirms and corrects results; reads the
  // 家访/学业述评 table. Teachers write their own self-report and records without it.
  | 'appraisals.manage'
  // 交流轮岗 (issue 14 item 2): a bureau plans rotations per school and year, records them, reads the counts
  // against the annual share and the eligible list. 表彰荣誉 (issue 14 item 4): award types, nominations (checked
  // against the 师德 veto), awards and revocations, 尊师月 activities and 荣退 records.
  | 'rotations.manage'
  | 'honours.manage'
  // 培训经费 and 班主任津贴 (issue 14 items 6, 8): budgets, bases, spending entries with vouchers, 冲销, the funding
  // rules' status and export for the caller's org and below; the allowance grid and check.
  | 'funds.manage';

/** The permission table: the one place that says what each role may do (rendered in docs/permissions.md). */
export const GRANTS: Record<Role, Permission[]> = {
  bureauAdmin: [
    'teachers.read',
    'teachers.write',
    'teachers.unmask',
    'teachers.import',
    'teachers.export',
    'projects.manage',
    'hours.readOthers',
    'hours.correct',
    'orgs.read',
    'evaluations.read',
    'experts.manage',
    'evaluations.supervise',
    'hours.review',
    'hours.import',
    // 组织机构管理 (issue 8 item 1): a bureau creates and moves the schools below it.
    'orgs.manage',
    // 教师档案: the county reads its schools' records and changes (review is the school's).
    'records.read',
    // 师德: the bureau checks an ID before hiring, sees its teachers' sanctions in force, reads 通报.
    'ethics.entryCheck',
    'ethics.integrity',
    'ethics.notices',
    // 师徒结对与磨课 (issue 13 item 3)
    'mentoring.manage',
    'mentoring.polish',
    // 骨干教师: opens rounds and designates; nominates into its parent's rounds within its quota.
    'keyTeachers.manage',
    'keyTeachers.nominate',
    // 工作室 (issue 13): a bureau files, names, assesses its level's studios and reads its board.
    'studios.manage',
    // 教师发展 (growth): the bureau organises competitions and reviews research projects.
    'competitions.manage',
    'research.review',
    'staffing.read',
    'staffing.manage',
    // 计划报备 (issue 14 item 5): reviews its sub-units' plans; files its own with the bureau above.
    'plans.review',
    'plans.file',
    // 职称 (issue 14 item 3): eligibility of the subtree's teachers; opens review rounds.
    'titles.review',
    'titles.manage',
    // 年度考核 (issue 14): opens rounds for its subtree (may set the 优秀 share), grades, 公示, results.
    'appraisals.manage',
    // issue 14: 交流轮岗 plans and records; 表彰荣誉.
    'rotations.manage',
    'honours.manage',
    // 经费 (issue 14): the bureau's own funds, its schools', overrides; allowance check.
    'funds.manage',
  ],
  schoolAdmin: [
    'teachers.read',
    'teachers.write',
    'teachers.unmask',
    'teachers.import',
    'teachers.export',
    'projects.manage',
    'hours.readOthers',
    'orgs.read',
    'hours.review',
    'hours.import',
    // 教师档案: the school admin reads; the 信息管理员 reviews.
    'records.read',
    // 师德: 通报 to the school and read confirmation; that a case concerns a teacher, when informed.
    'ethics.notices',
    // 师徒结对与磨课 (issue 13 item 3): the school pairs, its 磨课团队 records rounds, it marks 可独立任教.
    'mentoring.manage',
    'mentoring.polish',
    // 骨干教师: nominates the school's teachers within its quota.
    'keyTeachers.nominate',
    // 工作室 (issue 13): a school files applications for its teachers and names its 校级 studios.
    'studios.manage',
    'staffing.read',
    'staffing.manage',
    // 计划报备 (issue 14 item 5): files the school's annual plans with the bureau.
    'plans.file',
    // 职称 (issue 14 item 3): its teachers' eligibility and 学时证明; puts applicants forward.
    'titles.review',
    // 年度考核 (issue 14): runs its round (the policy's 优秀 share), grades its teachers, 公示, results.
    'appraisals.manage',
    // 表彰荣誉 (issue 14): the school nominates, confers its 校级 awards, records 尊师月 activities and 荣退.
    'honours.manage',
    // 经费 (issue 14): the school's training funds and 班主任津贴.
    'funds.manage',
  ],
  // mentoring.polish: the 教研室 (a devCenter account of a researchOffice org) evaluates 磨课 rounds (issue 13 item 3).
  devCenter: [
    'teachers.read',
    'projects.manage',
    'hours.readOthers',
    'orgs.read',
    'evaluations.read',
    'experts.manage',
    // 教师发展 (growth): the 教师发展中心/教研室 organises competitions and reviews research projects for its county.
    'competitions.manage',
    'research.review',
    // mentoring.polish: the 教研室 (a devCenter account of a researchOffice org) evaluates 磨课 rounds (issue 13 item 3).
    'mentoring.polish',
  ],
  institution: ['teachers.read', 'projects.manage', 'orgs.read'],
  teacher: [],
  expert: ['experts.review'],
  sysAdmin: ['accounts.read', 'accounts.manage', 'orgs.read', 'orgs.manage', 'teachers.read'],
  infoAdmin: [
    'teachers.read',
    'teachers.write',
    'teachers.unmask',
    'teachers.import',
    'teachers.export',
    'orgs.read',
    'hours.readOthers',
    // 教师档案: reviews the changes teachers 报送 (报送 → 审核 → 退回/生效).
    'records.read',
    'records.review',
  ],
  securityAdmin: ['accounts.read', 'security.manage', 'orgs.read'],
  auditor: ['audit.read', 'orgs.read'],
  // 师德专干 (bureau level): complaints, cases, sanctions, 禁入 register, 通报, the ethics board. teachers.read
  // finds the teacher a report names (masked like every list).
  ethicsOfficer: ['ethics.handle', 'ethics.entryCheck', 'ethics.integrity', 'ethics.notices', 'teachers.read', 'orgs.read'],
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
