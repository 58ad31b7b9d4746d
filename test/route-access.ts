import type { Permission, Role } from '../server/src/platform/access.js';

/**
 * THE ROUTE CLASSIFICATION: who may call each route, and on which objects. Written by hand from the
 * permission table (server/src/platform/access.ts GRANTS) and the scoping rule, NOT read from the route code,
 * so that server/src/platform/permission-matrix.db.test.ts can catch a route that lets the wrong caller in.
 *
 * One line per route, keyed 'METHOD /api/path' exactly as fastify registers it:
 *   allow   who may call it: 'public' (no login), 'login' (any signed-in role), or a list of permissions
 *           and/or roles — a caller whose role is listed or holds a listed permission. Everyone else: 403
 *           (anonymous: 401).
 *   obj     the kind of object its path parameters name (test/route-world.ts builds one per org); omitted
 *           when the path names none.
 *   reach   which of those objects an allowed caller reaches (else 404):
 *             org    in the caller's own org subtree (projects are managed by their owner org)
 *             scope  in the caller's scope: its org subtree; institutions and development centres serve the
 *                    region above them (the default)
 *             up     in scope, or attached above the caller's org (policies, the parent's expert pool)
 *             assigned  a 评审专家's own assignments
 *             enrolled  in scope and enrolled in a project of the caller's org (an institution's teachers: in the
 *                    matrix world, the teacher of the school the institution stands for)
 *           A teacher's objects in its own school are its own (its record, claims, enrolments).
 *   reachBy a different reach for callers let in by one entry of `allow` (e.g. an organiser reads its own
 *           project's evaluation, a reader of evaluations the whole scope); a caller reaches what any of its
 *           entries reaches.
 *   roleReach  the reach of one role whatever entry lets it in (overrides reach and reachBy for that role).
 *   sees    objects the caller may see but not change (a parent's policy or expert pool): those answer 403.
 *   params  values of path parameters that are not objects (an action name, a direction …).
 *   fresh   the route uses its object up: every allowed call gets a new one.
 *   note    why the rule is what it is, when that is not obvious.
 *   pending the rule is right but the route does not keep it yet, and the fix is on its way (say where); the
 *           matrix lists those cases without failing, and fails once they pass so the marker gets removed.
 *
 * A NEW ROUTE fails the matrix test until it has a line here. Add one:
 *   'GET /api/things/:id': { allow: ['things.read'], obj: 'thing' },
 * (and, if the kind is new, build one per org in test/route-world.ts; a body in test/route-bodies.ts if it
 * takes one). Then `npm run docs:permissions` to refresh docs/permissions.md.
 */

export type Reach = 'org' | 'scope' | 'up' | 'assigned' | 'enrolled';
export type Allow = 'public' | 'login' | readonly (Permission | Role)[];

export interface RouteRule {
  allow: Allow;
  obj?: string;
  reach?: Reach;
  reachBy?: Partial<Record<Permission | Role, Reach>>;
  /** The reach of a role whatever entry of `allow` lets it in (an institution reads teachers with teachers.read, but fewer). */
  roleReach?: Partial<Record<Role, Reach>>;
  sees?: Reach;
  params?: Record<string, string>;
  fresh?: boolean;
  /** A caller the route does not allow gets 404 on its objects, even in its own org: the route does not exist for it. */
  hidden?: boolean;
  note?: string;
  pending?: string;
}

const TEACHER = ['teacher'] as const;
const EXPERT = ['expert'] as const;

export const ROUTE_ACCESS: Record<string, RouteRule> = {
  // ---------------------------------------------------------------- auth
  'POST /api/auth/login': { allow: 'public' },
  'POST /api/auth/logout': { allow: 'public' },
  'POST /api/auth/password': { allow: 'login' },
  'GET /api/auth/me': { allow: 'login' },
  'POST /api/auth/role': { allow: 'login' },
  'GET /api/auth/demo-accounts': { allow: 'public', note: '演示模式才返回账号列表' },
  'GET /api/auth/password-help': { allow: 'public', note: '忘记密码时向谁求助' },
  'POST /api/auth/totp/verify': { allow: 'login', note: '登录第二步；会话不欠动态口令时答 409' },
  'POST /api/auth/totp/setup': { allow: 'login', note: '任何账号都可绑定；管理员账号必须绑定' },
  'POST /api/auth/totp/enable': { allow: 'login' },
  'GET /api/health': { allow: 'public' },
  'GET /api/docs': {
    allow: 'public',
    note: 'API 文档：开发环境公开；生产环境（NODE_ENV=production）仅限已登录的管理员（教师、评审专家除外），见 platform/web-security.ts',
  },
  'GET /api/docs/json': { allow: 'public' },
  'GET /api/docs/yaml': { allow: 'public' },
  'GET /api/docs/static/index.html': { allow: 'public' },
  'GET /api/docs/static/swagger-initializer.js': { allow: 'public' },
  'GET /api/docs/static/*': { allow: 'public', params: { '*': 'index.css' } },

  // ---------------------------------------------------------------- orgs
  'GET /api/orgs/tree': { allow: 'login', note: '各角色只看到本人范围内的组织（教师：本校）' },
  'GET /api/orgs': { allow: 'login', note: '同上' },

  // ---------------------------------------------------------------- teachers
  'GET /api/teachers/import/template': { allow: ['teachers.import'] },
  'POST /api/teachers/import/preview': { allow: ['teachers.import'] },
  'POST /api/teachers/import/:batchId/commit': { allow: ['teachers.import'], obj: 'teacherBatch', reach: 'org', fresh: true, note: '本人上传的批次' },
  'DELETE /api/teachers/import/:batchId': { allow: ['teachers.import'], obj: 'teacherBatch', reach: 'org', fresh: true, note: '上传者或管辖范围内的管理员' },
  'GET /api/teachers/import/:batchId/errors': { allow: ['teachers.import'], obj: 'teacherBatch', reach: 'org', fresh: true, note: '本人上传的批次' },
  'GET /api/teachers/export': { allow: ['teachers.export'] },
  'GET /api/teachers': { allow: ['teachers.read'] },
  'GET /api/teachers/:id': {
    allow: ['teachers.read', ...TEACHER],
    obj: 'teacher',
    roleReach: { institution: 'enrolled' },
    note: '培训机构只看到参加本机构项目的教师',
  },
  'POST /api/teachers': { allow: ['teachers.write'] },
  'PUT /api/teachers/:id': { allow: ['teachers.write'], obj: 'teacher' },
  'POST /api/teachers/:id/unmask': { allow: ['teachers.unmask', ...TEACHER], obj: 'teacher', note: '教师可查看本人完整信息' },
  'GET /api/teachers/:id/history': {
    allow: ['teachers.read'],
    obj: 'teacher',
    roleReach: { institution: 'enrolled' },
    note: '同上；无查看完整信息权限的角色看不到出生日期等字段的变更',
  },

  // ---------------------------------------------------------------- projects: proposal and lifecycle
  'GET /api/projects': { allow: ['projects.manage'] },
  'POST /api/projects': { allow: ['projects.manage'] },
  'GET /api/projects/:id': {
    allow: ['projects.manage'],
    obj: 'project',
    reach: 'org',
    note: '学校另可只读查看本校教师参加的项目（仅本校教师的报名、考勤与人数；issue 11 第 8 项，school-view.db.test.ts）',
  },
  'PUT /api/projects/:id': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'GET /api/projects/:id/history': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'POST /api/projects/:id/actions/:action': { allow: ['projects.manage'], obj: 'project', reach: 'org', params: { action: 'submit' } },
  'GET /api/approvals/projects': { allow: ['projects.manage'] },
  'GET /api/projects/:id/recognition': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'POST /api/projects/:id/sessions': { allow: ['projects.manage'], obj: 'project', reach: 'org' },

  // ---------------------------------------------------------------- projects: enrolment, quotas, nomination
  'GET /api/projects/:id/enrolments': {
    allow: ['projects.manage'],
    obj: 'project',
    reach: 'org',
    note: '学校另可只读查看本校教师参加的项目（仅本校教师的报名、考勤与人数；issue 11 第 8 项，school-view.db.test.ts）',
  },
  'POST /api/projects/:id/enrolments': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'DELETE /api/projects/:id/enrolments/:teacherId': { allow: ['projects.manage'], obj: 'enrolment', reach: 'org' },
  'POST /api/projects/:id/enrolments/:teacherId/replace': { allow: ['projects.manage'], obj: 'enrolment', reach: 'org' },
  'POST /api/projects/:id/enrolments/:teacherId/:decision': {
    allow: ['bureauAdmin', 'schoolAdmin'],
    obj: 'enrolment',
    params: { decision: 'approve' },
    note: '自主报名由教师所在学校（或教育局）审核',
  },
  'GET /api/projects/:id/enrolment-history': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'GET /api/enrolment-requests': { allow: ['projects.manage'] },
  'GET /api/projects/:id/quotas': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'PUT /api/projects/:id/quotas': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'PUT /api/projects/:id/quotas/sub': { allow: ['projects.manage'], obj: 'quotaProject', reach: 'org', note: '上级项目分给本单位的名额' },
  'GET /api/nominations/projects': { allow: ['projects.manage'] },
  'GET /api/projects/:id/nomination/candidates': { allow: ['projects.manage'], obj: 'quotaProject', reach: 'org' },
  'POST /api/projects/:id/nominations': { allow: ['projects.manage'], obj: 'quotaProject', reach: 'org' },
  'GET /api/my/enrollable': { allow: TEACHER },
  'POST /api/projects/:id/self-enrol': { allow: TEACHER, obj: 'project', reach: 'up', note: '教师可报名本校及上级单位的项目' },
  'POST /api/projects/:id/self-enrol/withdraw': { allow: TEACHER, obj: 'project', fresh: true },

  // ---------------------------------------------------------------- projects: needs survey
  'GET /api/projects/:id/needs-survey': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'PUT /api/projects/:id/needs-survey': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'POST /api/projects/:id/needs-survey/:action': { allow: ['projects.manage'], obj: 'project', reach: 'org', params: { action: 'publish' } },
  'GET /api/projects/:id/needs-survey/results': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'GET /api/my/needs-surveys': { allow: TEACHER },
  'GET /api/needs-surveys/:id': { allow: TEACHER, obj: 'needsSurvey', reach: 'up', note: '面向本校及上级单位项目的培训对象' },
  'POST /api/needs-surveys/:id/answers': { allow: TEACHER, obj: 'needsSurvey', reach: 'up' },

  // ---------------------------------------------------------------- projects: sessions, check-in, attendance
  'POST /api/sessions/:id/checkin/open': { allow: ['projects.manage'], obj: 'session', reach: 'org' },
  'POST /api/sessions/:id/checkin/close': { allow: ['projects.manage'], obj: 'session', reach: 'org' },
  'POST /api/sessions/:id/checkout/open': { allow: ['projects.manage'], obj: 'session', reach: 'org' },
  'POST /api/sessions/:id/checkout/close': { allow: ['projects.manage'], obj: 'session', reach: 'org' },
  'GET /api/sessions/:id/:direction/token': { allow: ['projects.manage'], obj: 'session', reach: 'org', params: { direction: 'checkin' } },
  'POST /api/checkin': { allow: TEACHER },
  'GET /api/sessions/:id/attendance': {
    allow: ['projects.manage'],
    obj: 'session',
    reach: 'org',
    note: '学校另可只读查看本校教师参加的项目（仅本校教师的报名、考勤与人数；issue 11 第 8 项，school-view.db.test.ts）',
  },
  'PUT /api/sessions/:id/attendance/:teacherId': { allow: ['projects.manage'], obj: 'sessionTeacher', reach: 'org' },
  'PUT /api/sessions/:id/apology': { allow: TEACHER, obj: 'session', note: '教师本人为已报名的场次请假' },
  'DELETE /api/sessions/:id/apology': { allow: TEACHER, obj: 'session' },
  'GET /api/my/projects': { allow: TEACHER },

  // ---------------------------------------------------------------- projects: share-back
  'GET /api/my/share-backs': { allow: TEACHER },
  'POST /api/share-backs/:id/evidence': { allow: TEACHER, obj: 'shareBack' },
  'POST /api/share-backs/:id/submit': { allow: TEACHER, obj: 'shareBack' },
  'GET /api/share-backs': { allow: ['bureauAdmin', 'schoolAdmin'] },
  'POST /api/share-backs/:id/review': { allow: ['bureauAdmin', 'schoolAdmin'], obj: 'shareBack' },
  'GET /api/share-backs/:id/evidence': { allow: ['bureauAdmin', 'schoolAdmin', ...TEACHER], obj: 'shareBack' },

  // ---------------------------------------------------------------- hours ledger
  'GET /api/hours/me': { allow: TEACHER },
  'GET /api/teachers/:id/hours': { allow: ['hours.readOthers', ...TEACHER], obj: 'teacher' },
  'POST /api/ledger/:entryId/reverse': { allow: ['hours.correct'], obj: 'ledgerEntry' },
  'GET /api/hours/summary': { allow: ['hours.readOthers'] },

  // ---------------------------------------------------------------- policies
  'GET /api/policies': { allow: 'login' },
  'GET /api/policies/schema': { allow: 'login' },
  'GET /api/policies/:id': { allow: 'login', obj: 'policy', reach: 'up', note: '本单位及上级挂接的政策、下级单位的政策' },
  'POST /api/policies/validate': { allow: 'login' },
  'POST /api/policies': { allow: ['bureauAdmin'] },
  'POST /api/policies/:id/versions': { allow: ['bureauAdmin'], obj: 'policy', sees: 'up', note: '政策所属单位或其上级的教育局' },
  'POST /api/policies/:id/attachments': { allow: ['bureauAdmin'], obj: 'policy', reach: 'up' },

  // ---------------------------------------------------------------- compliance
  'GET /api/compliance/summary': { allow: ['hours.readOthers'] },
  'GET /api/compliance/summary.xlsx': { allow: ['hours.readOthers'] },
  'GET /api/compliance/worklist': { allow: ['hours.readOthers'] },
  'GET /api/compliance/teachers/:id': { allow: ['hours.readOthers', ...TEACHER], obj: 'teacher' },
  'GET /api/compliance/me': { allow: TEACHER },
  'GET /api/compliance/trend': { allow: ['hours.readOthers'] },
  'GET /api/compliance/runs': { allow: ['hours.readOthers'] },

  // ---------------------------------------------------------------- notifications
  'GET /api/notifications': { allow: 'login' },
  'GET /api/notifications/badges': { allow: 'login' },
  'POST /api/notifications/read': { allow: 'login' },

  // ---------------------------------------------------------------- evaluations
  'GET /api/projects/:id/survey': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'POST /api/projects/:id/survey': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'PUT /api/projects/:id/survey': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'POST /api/projects/:id/survey/status': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'GET /api/projects/:id/survey/results': { allow: ['projects.manage'], obj: 'project', reach: 'org' },
  'GET /api/my/surveys': { allow: TEACHER },
  'GET /api/surveys/:id': { allow: TEACHER, obj: 'survey' },
  'POST /api/surveys/:id/answers': { allow: TEACHER, obj: 'survey' },
  'GET /api/projects/:id/inspections': { allow: ['evaluations.read', 'projects.manage'], obj: 'project', reachBy: { 'projects.manage': 'org' } },
  'POST /api/projects/:id/inspections': { allow: ['evaluations.supervise'], obj: 'project' },
  'POST /api/inspections/:id/files': { allow: ['evaluations.supervise'], obj: 'inspection' },
  'GET /api/inspections/:id/files/:fileId': { allow: ['evaluations.read', 'projects.manage'], obj: 'inspectionFile', reachBy: { 'projects.manage': 'org' } },
  'GET /api/projects/:id/evaluation': { allow: ['evaluations.read', 'projects.manage'], obj: 'project', reachBy: { 'projects.manage': 'org' } },
  'GET /api/evaluations/institutions': { allow: ['evaluations.read'] },
  'GET /api/evaluations/institutions/:id': { allow: ['evaluations.read'], obj: 'institution' },
  'POST /api/evaluations/institutions/:id/status': { allow: ['evaluations.supervise'], obj: 'institution' },

  // ---------------------------------------------------------------- experts
  'GET /api/experts': { allow: ['experts.manage', 'evaluations.read'] },
  'POST /api/experts': { allow: ['experts.manage'] },
  'GET /api/experts/:id': { allow: ['experts.manage', 'evaluations.read'], obj: 'expert', reach: 'up' },
  'PUT /api/experts/:id': { allow: ['experts.manage'], obj: 'expert', reach: 'org', sees: 'up', note: '上级专家库只读' },
  'DELETE /api/experts/:id': { allow: ['experts.manage'], obj: 'expert', reach: 'org', sees: 'up', fresh: true },
  'POST /api/experts/:id/unmask': {
    allow: ['experts.manage'],
    obj: 'expert',
    reach: 'org',
    sees: 'up',
    note: '只能查看本单位专家库的手机号',
  },
  'GET /api/projects/:id/experts': {
    allow: ['experts.manage', 'evaluations.read', 'projects.manage'],
    obj: 'project',
    reachBy: { 'projects.manage': 'org' },
    note: '项目组织方可看本项目的评审专家',
  },
  // Supervising bureaus (evaluations.supervise) manage the experts of the region's projects; a development
  // centre (experts.manage alone) only those of the projects it runs (issue 9 item 17).
  'POST /api/projects/:id/experts': { allow: ['evaluations.supervise', 'experts.manage'], obj: 'project', reachBy: { 'experts.manage': 'org' } },
  'DELETE /api/projects/:id/experts/:expertId': {
    allow: ['evaluations.supervise', 'experts.manage'],
    obj: 'projectExpert',
    reachBy: { 'experts.manage': 'org' },
  },
  'PUT /api/projects/:id/experts/:expertId/score': {
    allow: ['evaluations.supervise', 'experts.manage'],
    obj: 'projectExpert',
    reachBy: { 'experts.manage': 'org' },
    note: '教师发展中心只能为本中心的项目代录专家评分',
  },
  'POST /api/experts/:id/account': { allow: ['experts.manage'], obj: 'expert', reach: 'org', sees: 'up', fresh: true },
  'DELETE /api/experts/:id/account': { allow: ['experts.manage'], obj: 'expert', reach: 'org', sees: 'up', fresh: true },
  'GET /api/my/reviews': { allow: EXPERT },
  'GET /api/my/reviews/:projectId': { allow: EXPERT, obj: 'myProject', reach: 'assigned' },
  'PUT /api/my/reviews/:projectId/score': { allow: EXPERT, obj: 'myProject', reach: 'assigned' },

  // ---------------------------------------------------------------- claims (个人申报)
  'GET /api/claims': { allow: ['hours.review', ...TEACHER] },
  'POST /api/claims': { allow: TEACHER },
  'POST /api/claims/batch': { allow: ['hours.review'] },
  'GET /api/claims/:id': { allow: ['hours.review', ...TEACHER], obj: 'claim' },
  'PUT /api/claims/:id': { allow: TEACHER, obj: 'claim' },
  'DELETE /api/claims/:id': { allow: TEACHER, obj: 'claim' },
  'POST /api/claims/:id/transitions': { allow: ['hours.review', ...TEACHER], obj: 'claim' },
  'POST /api/claims/:id/files': { allow: TEACHER, obj: 'claim' },
  'DELETE /api/claims/:id/files/:fileId': { allow: TEACHER, obj: 'claimFile' },
  'GET /api/claims/:id/files/:fileId': { allow: ['hours.review', ...TEACHER], obj: 'claimFile' },

  // ---------------------------------------------------------------- hour imports
  'POST /api/hour-imports/analyse': { allow: ['hours.import'] },
  'POST /api/hour-imports': { allow: ['hours.import'] },
  'GET /api/hour-imports': { allow: ['hours.import'] },
  'GET /api/hour-imports/:id': { allow: ['hours.import'], obj: 'hourImport' },
  'GET /api/hour-imports/:id/report.xlsx': { allow: ['hours.import'], obj: 'hourImport' },

  // ---------------------------------------------------------------- certificates
  'GET /api/my/certificates': { allow: TEACHER },
  'GET /api/my/certificates/:projectId/pdf': { allow: TEACHER, obj: 'closedProject' },
  'GET /api/teachers/:id/certificates': { allow: ['hours.readOthers', ...TEACHER], obj: 'teacher' },
  'GET /api/teachers/:id/certificates/:projectId/pdf': { allow: ['hours.readOthers', ...TEACHER], obj: 'teacherClosedProject' },
  'GET /api/public/certificates/:code': { allow: 'public', params: { code: 'NO-SUCH-CERT' } },

  // ---------------------------------------------------------------- indicators (目标与经费数据)
  'GET /api/indicators/metrics': { allow: ['hours.readOthers'] },
  'GET /api/indicators/:kind': { allow: ['hours.readOthers'], params: { kind: 'targets' } },
  'POST /api/indicators/:kind': { allow: ['bureauAdmin'], params: { kind: 'targets' }, note: '区域目标只由教育局填报（经费：学校填本校）' },
  'GET /api/indicators/:kind/history': { allow: ['hours.readOthers'], params: { kind: 'targets' } },
  'GET /api/indicators/:kind/template': { allow: ['bureauAdmin', 'schoolAdmin'], params: { kind: 'funding' } },
  'POST /api/indicators/:kind/import/preview': { allow: ['bureauAdmin', 'schoolAdmin'], params: { kind: 'funding' } },
  'POST /api/indicators/:kind/import/:batchId/commit': {
    allow: ['bureauAdmin'],
    obj: 'indicatorBatch',
    reach: 'org',
    fresh: true,
    note: '只能导入本人上传的批次',
  },
  'GET /api/indicators/:kind/export': { allow: ['teachers.export', 'devCenter'], params: { kind: 'targets' } },

  // ---------------------------------------------------------------- accounts (系统管理员)
  'GET /api/accounts/teachers': { allow: ['accounts.read'] },
  'GET /api/accounts/admins': { allow: ['accounts.read'] },
  'GET /api/accounts/slips': { allow: ['accounts.manage'] },
  'POST /api/accounts/slips/:id/download': { allow: ['accounts.manage'], obj: 'slip', note: '只有生成账号单的管理员本人可下载' },
  'GET /api/accounts/:id': { allow: ['accounts.read'], obj: 'account', reach: 'org' },
  'GET /api/teachers/:id/account': { allow: ['accounts.read'], obj: 'teacher', reach: 'org' },
  'POST /api/accounts/issue': { allow: ['accounts.manage'] },
  'POST /api/accounts/:id/password-reset': { allow: ['accounts.manage'], obj: 'account', reach: 'org' },
  'POST /api/accounts/:id/deactivate': { allow: ['accounts.manage'], obj: 'account', reach: 'org' },
  'POST /api/accounts/:id/activate': { allow: ['accounts.manage'], obj: 'account', reach: 'org' },
  'POST /api/accounts/admins': { allow: ['accounts.manage'] },
  'POST /api/accounts/:id/roles': { allow: ['accounts.manage'], obj: 'account', reach: 'org' },
  'POST /api/accounts/:id/roles/:roleId/end': { allow: ['accounts.manage'], obj: 'accountRole', reach: 'org' },

  // ---------------------------------------------------------------- security (安全管理员) and audit (审计管理员)
  'GET /api/security/settings': { allow: ['security.manage'] },
  'PUT /api/security/settings': { allow: ['security.manage'], note: '全系统一份：只有最上级单位的安全管理员可改（其余 403）' },
  'GET /api/security/accounts': { allow: ['security.manage'] },
  'POST /api/security/accounts/:id/unlock': { allow: ['security.manage'], obj: 'account', reach: 'org' },
  'POST /api/security/accounts/:id/totp-reset': { allow: ['security.manage'], obj: 'account', reach: 'org' },
  'GET /api/security/failed-logins': { allow: ['security.manage'] },
  'GET /api/audit': { allow: ['audit.read'] },
  'GET /api/audit/export': { allow: ['audit.read'] },
  'POST /api/audit/verify': { allow: ['audit.read'] },
  'GET /api/audit/:id': { allow: ['audit.read'], obj: 'auditEntry', reach: 'org', note: '本单位及下级单位的审计记录；最上级审计管理员另见系统记录' },

  // ---------------------------------------------------------------- 统一身份认证 (OIDC, issue 8 item 3)
  // The browser arrives without a session; unconfigured → a 409 page.
  'GET /api/auth/oidc': { allow: 'public', note: '登录页据此显示统一身份认证按钮' },
  'GET /api/auth/oidc/start': { allow: 'public', note: '转到身份认证服务；未配置时答 409' },
  'GET /api/auth/oidc/callback': { allow: 'public', note: '身份认证服务回调；state 须与本浏览器的 cookie 一致且只能用一次' },
  // ---------------------------------------------------------------- 组织机构管理 (issue 8 item 1)
  // A manager changes orgs strictly below its own org: 'subOrg' at an org is a school directly below it, so
  // reach 'org' = strictly below the caller's org. Its own org answers 403 (orgs.db.test.ts).
  'GET /api/orgs/:id': { allow: 'login', obj: 'org', note: '本人范围内的单位（教师：本校）' },
  'POST /api/orgs': { allow: ['orgs.manage'], note: '上级单位：本单位或其下级教育局' },
  'PUT /api/orgs/:id': { allow: ['orgs.manage'], obj: 'subOrg', reach: 'org', fresh: true, note: '本单位以下的单位；本单位由上级维护（403）' },
  'POST /api/orgs/:id/move': { allow: ['orgs.manage'], obj: 'subOrg', reach: 'org', fresh: true },
  'POST /api/orgs/:id/merge': { allow: ['orgs.manage'], obj: 'subOrg', reach: 'org', fresh: true },
  'POST /api/orgs/:id/close': { allow: ['orgs.manage'], obj: 'subOrg', reach: 'org', fresh: true },
  'POST /api/orgs/:id/members': { allow: ['orgs.manage'], obj: 'groupMember', reach: 'org', fresh: true },
  'POST /api/orgs/:id/members/:memberId/end': { allow: ['orgs.manage'], obj: 'groupMember', reach: 'org', fresh: true },
  'GET /api/orgs/import/template': { allow: ['orgs.manage'] },
  'POST /api/orgs/import/preview': { allow: ['orgs.manage'] },
  'POST /api/orgs/import/:batchId/commit': { allow: ['orgs.manage'], obj: 'orgBatch', reach: 'org', fresh: true, note: '本人上传的批次' },
  'GET /api/orgs/export': { allow: ['orgs.read'] },
  // ---------------------------------------------------------------- personal data (issue 9 items 1, 8)
  'POST /api/teachers/search': { allow: ['teachers.unmask'], note: '按完整身份证号或手机号精确查找：号码在请求体中，每账号限频，记入审计日志' },
  // ---------------------------------------------------------------- 学时更正申请 (issue 9 item 14, domainsec)
  'GET /api/ledger/corrections': { allow: ['hours.correct'], note: '报本单位（及下级）审核的申请和本单位（及下级）提出的申请' },
  'POST /api/ledger/corrections/:id/decision': {
    allow: ['hours.correct'],
    obj: 'correctionRequest',
    reach: 'org',
    fresh: true,
    note: '由认定该学时的单位（或其上级）审核',
  },
  // ---------------------------------------------------------------- 教师档案 (issue 10 item 4, selfservice)
  // A teacher changes their own record (a draft, evidence, 报送, 撤回); the readers (records.read) see the changes and
  // records of their subtree, never a draft; only the school's 信息管理员 (records.review) approves or returns.
  'GET /api/my/record': { allow: TEACHER },
  'GET /api/records/changes': { allow: ['records.read', ...TEACHER] },
  'POST /api/records/changes': { allow: TEACHER },
  'GET /api/records/changes/:id': { allow: ['records.read', ...TEACHER], obj: 'recordChange' },
  'PUT /api/records/changes/:id': { allow: TEACHER, obj: 'recordChange' },
  'POST /api/records/changes/:id/transitions': {
    allow: ['records.review', ...TEACHER],
    obj: 'recordChange',
    note: '报送、撤回：教师本人；审核通过、退回：教师所在学校的信息管理员（区县只读）',
  },
  'POST /api/records/changes/:id/files': { allow: TEACHER, obj: 'recordChange' },
  'DELETE /api/records/changes/:id/files/:fileId': { allow: TEACHER, obj: 'recordChangeFile' },
  'GET /api/records/changes/:id/files/:fileId': { allow: ['records.read', ...TEACHER], obj: 'recordChangeFile' },
  'GET /api/records/teachers/:id': { allow: ['records.read', ...TEACHER], obj: 'teacher', note: '教师只看本人档案' },
  'GET /api/records/teachers/:id/files/:fileId': { allow: ['records.read', ...TEACHER], obj: 'recordEntryFile' },
  'GET /api/records/completeness': { allow: ['records.read'] },
  'POST /api/records/entries/:id/purge': {
    allow: ['records.review'],
    obj: 'recordEntry',
    fresh: true,
    note: '登记错误：只有教师所在学校的信息管理员可彻底删除条目，记入审计日志',
  },
  // ---------------------------------------------------------------- facts over time (issue 10 items 1–2, temporal)
  'GET /api/teachers/:id/timeline': {
    allow: ['teachers.read', ...TEACHER],
    obj: 'teacher',
    roleReach: { institution: 'enrolled' },
    note: '教师可查看本人的时间线；无查看完整信息权限的角色看不到资格证编号',
  },
  'POST /api/teachers/:id/facts': { allow: ['teachers.write'], obj: 'teacher', note: '带生效日期登记任职、学校、在职状态、资格证书、骨干认定' },
  'POST /api/teachers/:id/facts/end': { allow: ['teachers.write'], obj: 'teacher', note: '请求体中的记录须属于该教师（否则 400）' },
  'POST /api/teachers/:id/facts/correct': { allow: ['teachers.write'], obj: 'teacher', note: '原记录保留并标记为已更正' },
  'POST /api/teachers/:id/facts/delete': { allow: ['teachers.write'], obj: 'teacher', note: '仅限误录，须填写原因，记入审计日志' },
  // ---------------------------------------------------------------- 人员变动 (issue 10 item 5, moves)
  // A request touches its sending and receiving school: callers whose subtree holds either see it. The bureau
  // directly above each school approves or returns (across counties both); only the filer withdraws.
  'GET /api/moves': { allow: ['teachers.write'], note: '涉及本单位（及下级）学校的申请' },
  'GET /api/moves/destinations': { allow: ['teachers.write'], note: '调入学校可选全部未撤销的学校（跨县调动）' },
  'GET /api/moves/:id': { allow: ['teachers.write'], obj: 'move', note: '调出或调入学校在本人范围内' },
  'POST /api/moves': { allow: ['teachers.write'], note: '本人范围内的在职教师' },
  'POST /api/moves/:id/approve': { allow: ['bureauAdmin'], obj: 'move', fresh: true, note: '学校的上级教育局；跨县调动须调出、调入两地教育局都同意' },
  'POST /api/moves/:id/return': { allow: ['bureauAdmin'], obj: 'move', fresh: true, note: '同上，须填原因' },
  'POST /api/moves/:id/withdraw': { allow: ['teachers.write'], obj: 'move', fresh: true, note: '只有申请人本人可撤回（他人 403）' },
  // ---------------------------------------------------------------- check-in after a slow login (issue 11 item 1, checkin)
  'POST /api/checkin/scan': {
    allow: 'public',
    note: '未登录扫码：二维码须在扫码时有效；返回只对本机有效、10 分钟内用一次的扫码记录（不写库）',
  },
  'POST /api/checkin/ticket': { allow: TEACHER, note: '登录后凭本机扫码记录签到，按扫码时刻记录；每条记录只能用一次' },
  // ---------------------------------------------------------------- 学时证明 / 学时统计表 / 证书查询 / 项目介绍 (issue 11 item 9, extras)
  'GET /api/hours/me/statement.pdf': { allow: TEACHER, note: '本人的学时证明，记入审计日志' },
  'GET /api/teachers/:id/hours/statement.pdf': {
    allow: ['hours.readOthers', ...TEACHER],
    obj: 'teacher',
    note: '学校为本校教师、教育局为辖区教师打印学时证明，记入审计日志',
  },
  'GET /api/hours/summary/table.xlsx': { allow: ['hours.readOthers'], note: '上报格式的学时统计表，只含统计数字，记入审计日志' },
  'GET /api/public/hours-statements/:code': { allow: 'public', params: { code: 'NO-SUCH-STATEMENT' } },
  'POST /api/public/certificates/lookup': { allow: 'public', note: '须同时填对证书编号和持证人姓名，限频' },
  'GET /api/my/enrollable/:id': {
    allow: TEACHER,
    obj: 'project',
    reach: 'org',
    note: '教师可报名的项目（本区域开放自主选学的项目）或本人已报名的项目；其他项目 404',
  },
  // ---------------------------------------------------------------- organiser shortcuts (issue 11 item 3, organiser)
  'GET /api/projects/:id/fast-track': { allow: ['projects.manage'], obj: 'project', reach: 'org', note: '本单位可一并办理的步骤' },
  'POST /api/projects/:id/fast-track': {
    allow: ['projects.manage'],
    obj: 'project',
    reach: 'org',
    note: '提交并开放报名：只办理本单位有权办理的连续步骤，逐步记入流转记录',
  },
  'PUT /api/sessions/:id/attendance': { allow: ['projects.manage'], obj: 'session', reach: 'org', note: '批量标记出勤、缺勤、请假，记入审计日志' },
  'GET /api/sessions/:id/attendance.xlsx': {
    allow: ['projects.manage'],
    obj: 'session',
    reach: 'org',
    note: '手机号仅对可查看个人信息的角色导出（已隐去部分）；记入审计日志',
  },
  'GET /api/projects/:id/attendance.xlsx': { allow: ['projects.manage'], obj: 'project', reach: 'org', note: '同上' },
  'GET /api/projects/:id/quotas/split': { allow: ['projects.manage'], obj: 'project', reach: 'org', note: '预览，不保存；按仍需培训人数须能查看学时达标情况' },
  'POST /api/projects/:id/quotas/sheet': { allow: ['projects.manage'], obj: 'project', reach: 'org', note: '读取名额表供预览，不保存' },
  // ---------------------------------------------------------------- 待办中心, 通知公告 (issue 11 items 2, 9, todo)
  // A bureau or school publishes to its subtree; a recipient is an account whose role acts in that subtree (and fits
  // the audience); the publishing org and the orgs above it see the receipts.
  'GET /api/todo': { allow: 'login', note: '按当前身份统计本人待处理的事项（范围：本单位及下级或本人）' },
  'GET /api/announcements': { allow: 'login', note: '本人按当前身份收到的通知公告' },
  'GET /api/announcements/sent': { allow: ['bureauAdmin', 'schoolAdmin'], note: '本单位（及下级）发布的' },
  'POST /api/announcements': { allow: ['bureauAdmin', 'schoolAdmin'], note: '以本单位名义发往本单位及下级' },
  'GET /api/announcements/:id': {
    allow: 'login',
    obj: 'announcement',
    reach: 'up',
    note: '接收人（本单位或上级单位发布）首次打开记为已读；发布单位及其上级也可查看',
  },
  'GET /api/announcements/:id/receipts': { allow: ['bureauAdmin', 'schoolAdmin'], obj: 'announcement', reach: 'org', note: '本单位（及下级）发布的' },
  'GET /api/announcements/:id/unread.xlsx': {
    allow: ['bureauAdmin', 'schoolAdmin'],
    obj: 'announcement',
    reach: 'org',
    note: '只含姓名、单位、身份；导出记入审计日志',
  },
  // ---------------------------------------------------------------- 师德: 通报, 警示教育, board (issue 12 items 6, 7, notices)
  // A notice is published by a 师德专干 to the schools of an org of its subtree (the world's notice of an org targets
  // that org); a reader sees it when a receiving school or the publishing bureau lies in its subtree; the officer whose
  // subtree holds the target manages it. Only a receiving school's admin confirms.
  'GET /api/ethics/notices': { allow: ['ethics.notices', 'ethics.handle'], note: '本单位收到的或本辖区发布的通报' },
  'POST /api/ethics/notices': { allow: ['ethics.handle'], note: '发往本辖区内所选单位下的全部学校' },
  'GET /api/ethics/notices/:id': {
    allow: ['ethics.notices', 'ethics.handle'],
    obj: 'ethicsNotice',
    reach: 'up',
    note: '接收学校及其上级、发布单位；教师姓名只以发布时选定的方式出现',
  },
  'GET /api/ethics/notices/:id/schools': { allow: ['ethics.handle'], obj: 'ethicsNotice', reach: 'org', note: '接收单位在本辖区内' },
  'POST /api/ethics/notices/:id/confirm': { allow: ['schoolAdmin'], obj: 'ethicsNotice', reach: 'up', note: '接收学校的管理员确认，一校一次' },
  'POST /api/ethics/notices/:id/withdraw': { allow: ['ethics.handle'], obj: 'ethicsNotice', reach: 'org', fresh: true, note: '撤回一次，须填原因' },
  'POST /api/ethics/notices/:id/remind': { allow: ['ethics.handle'], obj: 'ethicsNotice', reach: 'org', note: '通知未确认学校的管理员' },
  'GET /api/ethics/meetings': { allow: ['ethics.handle'], note: '本辖区的警示教育会议' },
  'POST /api/ethics/meetings': { allow: ['ethics.handle'], note: '单位、签到场次、所学通报均须在本辖区' },
  'GET /api/ethics/meetings/:id': { allow: ['ethics.handle'], obj: 'ethicsMeeting', reach: 'org' },
  'GET /api/ethics/meeting-sessions': { allow: ['ethics.handle'], note: '本辖区项目的师德类场次' },
  'GET /api/ethics/board': { allow: ['ethics.handle'], note: '本辖区的统计数字' },
  'GET /api/ethics/board.xlsx': { allow: ['ethics.handle'], note: '仅统计数字；导出记入审计日志' },
  // ---------------------------------------------------------------- 案件办理 (issue 12 item 2, ethics-cases)
  // The 师德专干 of the handling bureau or above; every read audited. The school sees only that a case concerns its
  // teacher (when told); the teacher only own cases, once told.
  'POST /api/ethics/reports/:id/case': { allow: ['ethics.handle'], obj: 'caseReport', fresh: true, note: '受理举报并立案；被举报教师须在受理单位辖区内' },
  'POST /api/ethics/cases': { allow: ['ethics.handle'], note: '上级交办、检查发现：由本单位办理，教师须在本辖区' },
  'GET /api/ethics/cases': { allow: ['ethics.handle'], note: '受理单位在本人辖区内的案件；查阅记入审计日志' },
  'GET /api/ethics/cases/:id': { allow: ['ethics.handle'], obj: 'ethicsCase', note: '查阅记入审计日志' },
  'GET /api/ethics/cases/:id/investigators': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/investigate': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/findings': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/files': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'GET /api/ethics/cases/:id/files/:fileId': { allow: ['ethics.handle'], obj: 'ethicsCaseFile', note: '下载记入审计日志' },
  'POST /api/ethics/cases/:id/decide': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/notify': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/redecide': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/close': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'POST /api/ethics/cases/:id/inform-school': { allow: ['ethics.handle'], obj: 'ethicsCase' },
  'GET /api/ethics/school-cases': { allow: ['ethics.notices'], note: '教育局告知本校的案件：仅教师姓名与立案日期' },
  'GET /api/my/ethics/cases': { allow: TEACHER, note: '本人的案件，告知后可见' },
  'GET /api/my/ethics/cases/:id': { allow: TEACHER, obj: 'myEthicsCase', note: '本人的案件，告知后可见；他人的 404' },
  'POST /api/my/ethics/cases/:id/files': { allow: TEACHER, obj: 'myEthicsCase', note: '申诉期限内上传申诉材料' },
  'POST /api/my/ethics/cases/:id/appeal': { allow: TEACHER, obj: 'myEthicsCase', fresh: true, note: '申诉期限内' },
  // ---------------------------------------------------------------- 师德举报受理 (issue 12 item 1, intake)
  // Reports are the ethics office's only: every other role gets 404 on a report (hidden), the lists 403.
  'GET /api/public/ethics/orgs': { allow: 'public', note: '举报页选地区：未撤销的教育局，只有名称；限频' },
  'GET /api/public/ethics/schools': { allow: 'public', note: '所选教育局直属范围内的学校，只有名称；限频' },
  'GET /api/public/ethics/categories': { allow: 'public', note: '所选地区在用政策中的举报类别与办理时限；限频' },
  'POST /api/public/ethics/reports': { allow: 'public', note: '实名或匿名举报，附件为图片或 PDF；按地址限频，超限记入审计日志' },
  'POST /api/public/ethics/track': { allow: 'public', note: '凭查询码和查询密码查看办理情况；码或密码错误的回答相同；限频' },
  'GET /api/ethics/reports': { allow: ['ethics.handle'], note: '本单位及下级受理的、升级到本单位的举报' },
  'GET /api/ethics/bureaus': { allow: ['ethics.handle'], note: '本单位及下级教育局' },
  'POST /api/ethics/reports': { allow: ['ethics.handle'], note: '登记举报电话、来信、来访，受理单位须在本单位范围内' },
  'GET /api/ethics/reports/:id': { allow: ['ethics.handle'], obj: 'ethicsReport', reach: 'org', hidden: true, note: '每次查看记入审计日志' },
  'POST /api/ethics/reports/:id/reporter': {
    allow: ['ethics.handle'],
    obj: 'ethicsReport',
    reach: 'org',
    hidden: true,
    note: '举报人身份只对受理单位及升级到的单位的师德专干显示；上级单位未升级的 404；记入审计日志',
  },
  'POST /api/ethics/reports/:id/reject': { allow: ['ethics.handle'], obj: 'ethicsReport', reach: 'org', hidden: true, note: '不予受理，理由举报人可见' },
  'POST /api/ethics/reports/:id/transfer': { allow: ['ethics.handle'], obj: 'ethicsReport', reach: 'org', hidden: true, note: '转给本单位或下级教育局' },
  'POST /api/ethics/reports/:id/notes': { allow: ['ethics.handle'], obj: 'ethicsReport', reach: 'org', hidden: true },
  'GET /api/ethics/reports/:id/files/:fileId': { allow: ['ethics.handle'], obj: 'ethicsReportFile', reach: 'org', hidden: true, note: '记入审计日志' },
  // ---------------------------------------------------------------- 诚信档案, 行业禁入, 准入查询 (issue 12 items 3–5, integrity)
  'GET /api/teachers/:id/integrity': {
    allow: ['ethics.integrity', 'teachers.write'],
    obj: 'teacher',
    note: '教育局（师德专干）看全部并记入审计日志；学校只看本单位（及下级）记录的考核、承诺、荣誉，不见处分',
  },
  'GET /api/my/integrity': { allow: TEACHER, note: '教师本人的诚信档案' },
  'POST /api/teachers/:id/integrity/appraisals': { allow: ['teachers.write'], obj: 'teacher', note: '检查一票否决；同一年度再记须填更正原因（取代，不修改）' },
  'POST /api/teachers/:id/integrity/pledges': { allow: ['teachers.write'], obj: 'teacher' },
  'POST /api/teachers/:id/integrity/honours': { allow: ['teachers.write'], obj: 'teacher', note: '检查一票否决' },
  'GET /api/moves/:id/integrity': {
    allow: ['ethics.integrity'],
    obj: 'move',
    note: '审批中的调动或入职：调出、调入地教育局看执行中的处分（种类、期限、决定单位，不含事由），记入审计日志',
  },
  'GET /api/integrity/bans': { allow: ['ethics.handle'], note: '本单位（及下级）登记的禁入记录，身份证号已隐去部分' },
  'POST /api/integrity/bans': { allow: ['ethics.handle'], note: '登记外地作出的行业禁入决定' },
  'POST /api/integrity/bans/:id/lift': { allow: ['ethics.handle'], obj: 'ban', reach: 'org', note: '本单位（及下级）登记的；解除一次，须填原因' },
  'POST /api/integrity/entry-check': { allow: ['ethics.entryCheck'], note: '按身份证号查询；每次查询记入审计日志（身份证号已隐去部分），按账号限频' },
  // ---------------------------------------------------------------- 师徒结对, 磨课, 可独立任教, 重点培养对象 (issue 13 item 3, mentoring)
  'GET /api/mentoring/pairs': { allow: ['mentoring.manage', ...TEACHER], note: '学校、教育局：本单位及下级学校的结对；教师：本人作为师傅或徒弟的' },
  'POST /api/mentoring/pairs': {
    allow: ['mentoring.manage'],
    note: '徒弟、师傅须在本单位范围内；一名徒弟每学科一个当前结对；师傅带教人数上限（政策 mentoring）',
  },
  'GET /api/mentoring/pairs/:id': { allow: ['mentoring.manage', ...TEACHER], obj: 'mentorPair', note: '徒弟所在学校及上级；教师本人作为师傅或徒弟' },
  'POST /api/mentoring/pairs/:id/end': { allow: ['mentoring.manage'], obj: 'mentorPair', note: '结束一次，须填原因；不删除' },
  'POST /api/mentoring/pairs/:id/change': { allow: ['mentoring.manage'], obj: 'mentorPair', note: '原结对结束，新结对注明接替' },
  'POST /api/mentoring/pairs/:id/records': { allow: ['mentoring.manage', ...TEACHER], obj: 'mentorPair', note: '师傅、徒弟本人或学校写听课、指导、反思记录' },
  'GET /api/teachers/:id/polish-rounds': { allow: ['mentoring.manage', 'mentoring.polish', ...TEACHER], obj: 'teacher' },
  'POST /api/teachers/:id/polish-rounds': { allow: ['mentoring.polish'], obj: 'teacher', note: '评估单位为记录人所在单位（教研室账号记录的即教研室评估）' },
  'POST /api/polish-rounds/:id/correct': {
    allow: ['mentoring.polish'],
    obj: 'polishRound',
    roleReach: { devCenter: 'org' },
    sees: 'scope',
    note: '评估单位或其上级更正（新记录取代原记录）；教研室只更正本单位评估的',
  },
  'GET /api/teachers/:id/teaching-gate': { allow: ['mentoring.manage', 'mentoring.polish', ...TEACHER], obj: 'teacher' },
  'POST /api/teachers/:id/teaching-gate': { allow: ['mentoring.manage'], obj: 'teacher', note: '登记新任学科待磨课' },
  'POST /api/teachers/:id/teaching-gate/release': {
    allow: ['mentoring.manage'],
    obj: 'teacher',
    note: '须两轮磨课合格且含教研室评估（001 §三（四）），否则 409 说明缺什么；认定一次',
  },
  'POST /api/mentoring/key-candidates': { allow: ['mentoring.manage'], note: '教龄 3 年以下（政策 mentoring.keyCandidateMaxYears）' },
  'POST /api/mentoring/key-candidates/:id/withdraw': { allow: ['mentoring.manage'], obj: 'keyCandidate', note: '撤销一次，须填原因' },
  'GET /api/mentoring/board': { allow: ['mentoring.manage'], note: '本单位及下级学校' },
  'GET /api/my/mentoring': { allow: TEACHER, note: '教师本人的结对、磨课与认定状态' },
  // ---------------------------------------------------------------- 骨干教师 三级三类 (issue 13 item 2, key-teachers)
  'GET /api/key-teachers/rules': { allow: ['keyTeachers.manage', 'keyTeachers.nominate'], note: '本单位适用的骨干教师规则' },
  'GET /api/key-teachers/rounds': { allow: ['keyTeachers.manage', 'keyTeachers.nominate'], note: '本单位（及下级）开展的和上级开展的评选' },
  'POST /api/key-teachers/rounds': { allow: ['keyTeachers.manage'], note: '名额只能分给本单位管辖的单位' },
  'GET /api/key-teachers/rounds/:id': {
    allow: ['keyTeachers.manage', 'keyTeachers.nominate'],
    obj: 'keyRound',
    reach: 'up',
    note: '开展评选的单位看全部推荐；推荐单位看上级的评选，只见本单位（及下级）的名额和推荐',
  },
  'POST /api/key-teachers/rounds/:id/eligibility': {
    allow: ['keyTeachers.nominate'],
    obj: 'keyRound',
    reach: 'up',
    note: '只核查本单位（及下级）的教师；不写入',
  },
  'POST /api/key-teachers/rounds/:id/nominations': {
    allow: ['keyTeachers.nominate'],
    obj: 'keyRound',
    reach: 'up',
    note: '在本单位名额内；任一人不符合条件则全部不推荐',
  },
  'POST /api/key-teachers/rounds/:id/close': { allow: ['keyTeachers.manage'], obj: 'keyRound', reach: 'org' },
  'POST /api/key-teachers/rounds/:id/publicize': { allow: ['keyTeachers.manage'], obj: 'keyRound', reach: 'org' },
  'POST /api/key-teachers/rounds/:id/designate': {
    allow: ['keyTeachers.manage'],
    obj: 'keyRound',
    reach: 'org',
    note: '写入教师骨干认定（teacher_designations）',
  },
  'POST /api/key-teachers/rounds/:id/cancel': { allow: ['keyTeachers.manage'], obj: 'keyRound', reach: 'org' },
  'POST /api/key-teachers/nominations/:id/review': { allow: ['keyTeachers.manage'], obj: 'keyNomination', reach: 'org', note: '评选开展单位（及上级）' },
  'POST /api/key-teachers/nominations/:id/objections': { allow: ['keyTeachers.manage'], obj: 'keyNomination', reach: 'org' },
  'POST /api/key-teachers/designations/:id/assessments': {
    allow: ['keyTeachers.manage'],
    obj: 'keyDesignation',
    note: '同一年度再记须填更正原因（取代，不修改）',
  },
  'POST /api/key-teachers/designations/:id/renew': { allow: ['keyTeachers.manage'], obj: 'keyDesignation', note: '自任期结束次日起新任期' },
  'POST /api/key-teachers/designations/:id/exit': { allow: ['keyTeachers.manage'], obj: 'keyDesignation' },
  'GET /api/teachers/:id/key-teacher': { allow: ['keyTeachers.manage', 'teacher'], obj: 'teacher', note: '教师只看本人' },
  'GET /api/my/key-teacher': { allow: TEACHER, note: '教师本人的骨干认定与年度职责' },
  // ---------------------------------------------------------------- 工作室 (issue 13 item 1, studios)
  'GET /api/studios': { allow: 'login', note: '管理员：本辖区命名或设在本辖区的工作室；教师：自己参加的；其他角色：空列表' },
  'POST /api/studios': { allow: ['studios.manage'], note: '为本单位（本辖区）的教师申报；命名单位按级别取主持人学校之上的单位' },
  'GET /api/studios/board': { allow: ['studios.manage'] },
  'GET /api/studios/:id': {
    allow: ['studios.manage', 'teacher'],
    obj: 'studio',
    reach: 'org',
    note: '管理员：命名单位或所在学校在本辖区；教师：本人主持或参加（过）的工作室',
  },
  'POST /api/studios/:id/transition': {
    allow: ['studios.manage'],
    obj: 'studio',
    reach: 'org',
    note: '命名单位或其上级；状态不允许的操作 409（矩阵以已命名工作室的「受理评审」测试）',
  },
  'POST /api/studios/:id/members': { allow: ['studios.manage', 'teacher'], obj: 'studio', reach: 'org', note: '主持人或命名单位（及上级）' },
  'POST /api/studios/:id/members/:teacherId/leave': {
    allow: ['studios.manage', 'teacher'],
    obj: 'studioMember',
    reach: 'org',
    note: '主持人或命名单位（及上级）；主持人本人不能退出（409）',
  },
  'GET /api/studios/:id/candidates': {
    allow: ['studios.manage', 'teacher'],
    obj: 'studio',
    reach: 'org',
    note: '主持人或命名单位（及上级）；只返回命名单位辖区内教师的姓名和学校',
  },
  'GET /api/studios/:id/work': { allow: ['studios.manage', 'teacher'], obj: 'studio', reach: 'org' },
  'POST /api/studios/:id/plans': { allow: ['studios.manage', 'teacher'], obj: 'studio', reach: 'org' },
  'POST /api/studios/:id/activities': { allow: ['studios.manage', 'teacher'], obj: 'studio', reach: 'org' },
  'POST /api/studios/:id/activities/:activityId/checkin': {
    allow: ['studios.manage', 'teacher'],
    obj: 'studioActivity',
    reach: 'org',
    note: '矩阵中的活动已撤回：409',
  },
  'GET /api/studios/:id/activities/:activityId/checkin-code': { allow: ['studios.manage', 'teacher'], obj: 'studioActivity', reach: 'org' },
  'POST /api/studios/:id/activities/:activityId/withdraw': { allow: ['studios.manage', 'teacher'], obj: 'studioActivity', reach: 'org' },
  'POST /api/studios/:id/outputs': { allow: ['studios.manage', 'teacher'], obj: 'studio', reach: 'org' },
  'POST /api/studios/:id/outputs/:outputId/withdraw': { allow: ['studios.manage', 'teacher'], obj: 'studioOutput', reach: 'org' },
  'GET /api/studios/:id/years/:year': { allow: ['studios.manage', 'teacher'], obj: 'studio', reach: 'org', params: { year: '2026' } },
  'POST /api/studios/:id/assessments': {
    allow: ['studios.manage'],
    obj: 'studio',
    reach: 'org',
    note: '命名单位或其上级；矩阵以命名前的年度测试（400）',
  },
  // ---------------------------------------------------------------- 基本功竞赛 (issue 13 item 4, growth)
  'GET /api/competitions': { allow: ['competitions.manage', 'teachers.write'], note: '本单位（及下级）主办的，及面向本单位所在地区的' },
  'POST /api/competitions': { allow: ['competitions.manage'], note: '为本单位的范围（发展中心：所服务的县区）新建一届' },
  'GET /api/competitions/:id': {
    allow: ['competitions.manage', 'teachers.write'],
    obj: 'competition',
    reach: 'up',
    note: '主办单位看全部；学校只看本校参赛教师，公布后才见结果',
  },
  'POST /api/competitions/:id/rounds': { allow: ['competitions.manage'], obj: 'competition', sees: 'up', note: '主办单位（范围内）；上级主办的只能查看' },
  'POST /api/competitions/:id/judges': { allow: ['competitions.manage'], obj: 'competition', sees: 'up' },
  'POST /api/competitions/:id/entries': {
    allow: ['competitions.manage', 'teachers.write'],
    obj: 'competition',
    reach: 'up',
    note: '报名中才可；只能报本单位（及下级）且符合参赛条件的教师',
  },
  'POST /api/competitions/:id/re-entries': { allow: ['competitions.manage'], obj: 'competition', sees: 'up', note: '以赛促训：补录上届未获奖教师，可重复执行' },
  'POST /api/competitions/:id/scores': { allow: ['competitions.manage'], obj: 'competition', sees: 'up', note: '评审中才可' },
  'POST /api/competitions/:id/results': { allow: ['competitions.manage'], obj: 'competition', sees: 'up', note: '评审中才可；获奖检查一票否决' },
  'POST /api/competitions/:id/:action': {
    allow: ['competitions.manage'],
    obj: 'competition',
    sees: 'up',
    params: { action: 'publish' },
    note: '非法状态转换 409；公布时获奖记入诚信档案荣誉',
  },
  'GET /api/my/competitions': { allow: TEACHER, note: '教师本人的参赛记录' },
  // ---------------------------------------------------------------- 课题 (issue 13 item 5, growth)
  'GET /api/research-projects': { allow: ['research.review', 'teachers.write', 'teacher'], note: '教师：本人主持或参与的；学校：本单位的；审批单位：本地区的' },
  'POST /api/research-projects': { allow: ['teachers.write', 'teacher'], note: '教师本人申报（主持人是自己），或学校为本单位教师申报' },
  'GET /api/research-projects/:id': { allow: ['research.review', 'teachers.write', 'teacher'], obj: 'researchProject' },
  'POST /api/research-projects/:id/outputs': {
    allow: ['teachers.write', 'teacher'],
    obj: 'researchProject',
    note: '开题后、结题前；教师只能为自己主持的课题登记',
  },
  'POST /api/research-projects/:id/:step': {
    allow: ['research.review'],
    obj: 'researchProject',
    params: { step: 'start' },
    note: '审批单位（或服务它的发展中心）；非法步骤 409',
  },
  // ---------------------------------------------------------------- 学历提升 / 资格证计划, 科证不符 (issue 13 item 5, growth)
  'GET /api/upgrade-plans': { allow: ['teachers.write', 'teacher'], note: '教师：本人的；学校：本单位（及下级）的' },
  'POST /api/upgrade-plans': { allow: ['teachers.write', 'teacher'], note: '教师为自己登记，或学校为本单位教师登记' },
  'GET /api/upgrade-plans/:id': { allow: ['teachers.write', 'teacher'], obj: 'upgradePlan' },
  'POST /api/upgrade-plans/:id/progress': { allow: ['teachers.write', 'teacher'], obj: 'upgradePlan' },
  'POST /api/upgrade-plans/:id/completion': {
    allow: ['teachers.write', 'teacher'],
    obj: 'upgradePlan',
    note: '教师申请确认完成；学校登记即审核通过，经教师档案（任职资格）记录新学历或资格证',
  },
  'POST /api/upgrade-plans/:id/approve': { allow: ['teachers.write'], obj: 'upgradePlan', note: '学校审核教师的完成申请' },
  'GET /api/qualification-mismatch': { allow: ['teachers.write'], note: '本单位（及下级）科证不符的在职教师及其提升计划' },
  // ---------------------------------------------------------------- 区域目标来自平台记录 (issue 13 item 6, targets13)
  'POST /api/indicators/targets/clear-override': { allow: ['bureauAdmin'], note: '撤销手工覆盖，恢复平台记录统计的数值（须写原因，审计）' },
  // ---------------------------------------------------------------- 实施情况报告 (issue 14 item 7, reports)
  'GET /api/region-reports/preview': { allow: ['bureauAdmin'], note: '教育局管理员：本级及下级教育局的政策实施情况（仅汇总数字）' },
  'POST /api/region-reports/report.pdf': { allow: ['bureauAdmin'], note: '下载报告（PDF），记入审计日志' },
  'POST /api/region-reports/report.xlsx': { allow: ['bureauAdmin'], note: '下载报告正文与附表（.xlsx），记入审计日志' },
  // ---------------------------------------------------------------- 编制与结构 (issue 14 item 9, staffing)
  'GET /api/staffing/overview': { allow: ['staffing.read'], note: '本单位及下级学校的编制、在岗、空编、应配与结构' },
  'POST /api/staffing/quotas': { allow: ['bureauAdmin'], note: '编制数由教育局核定' },
  'POST /api/staffing/students': { allow: ['staffing.manage'], note: '学校填本校，教育局填辖区学校' },
  'GET /api/staffing/history': { allow: ['staffing.read'] },
  'GET /api/staffing/export': { allow: ['staffing.read'] },
  'POST /api/staffing/import': { allow: ['staffing.manage'] },
  'GET /api/staffing/rural-support': { allow: ['staffing.read'] },
  'POST /api/staffing/rural-support': { allow: ['staffing.manage'] },
  // ---------------------------------------------------------------- 计划报备与年度考核 (issue 14 item 5, plans)
  'GET /api/plans/mine': { allow: ['plans.file'], note: '本单位的年度计划（学校，或向上级报送的下级教育局）' },
  'POST /api/plans/files': { allow: ['plans.file'], note: '文件归本单位所有' },
  'GET /api/plans/files/:id': { allow: ['plans.file', 'plans.review'], obj: 'planFile', reach: 'org', note: '本单位的，或下级单位的计划文件（下载留痕）' },
  'POST /api/plans': { allow: ['plans.file'], note: '本年度已报送待审核或已通过时 409；没有上级教育局时 409' },
  'GET /api/plans/filings/:id': { allow: ['plans.file', 'plans.review'], obj: 'planFiling', reach: 'org', note: '本单位的，或下级单位的' },
  'POST /api/plans/filings/:id/decide': {
    allow: ['plans.review'],
    obj: 'planFiling',
    reach: 'org',
    note: '下级单位的最新版本；本单位自己的计划 409（由上级审核）；已审核 409',
  },
  'GET /api/plans/review': { allow: ['plans.review'], note: '向本局报送的下级单位（学校和下级教育局）' },
  'GET /api/plans/annual-review': { allow: ['plans.review'], note: '下级单位（本辖区内、非本单位）' },
  'POST /api/plans/annual-review': { allow: ['plans.review'], note: '下级单位（本辖区内、非本单位）；重新评分取代原评分' },
  // ---------------------------------------------------------------- 职称 (issue 14 item 3, titles)
  'GET /api/my/title-eligibility': { allow: TEACHER, note: '教师本人的职称申报条件' },
  'GET /api/my/hours-proof': { allow: TEACHER, note: '教师本人的学时证明；所在单位无周期学时规则时 400' },
  'GET /api/titles/eligibility': { allow: ['titles.review'], note: '本单位（及下级）教师；超过 300 人须选下级学校' },
  'GET /api/teachers/:id/title-eligibility': { allow: ['titles.review'], obj: 'teacher' },
  'GET /api/teachers/:id/hours-proof': { allow: ['titles.review'], obj: 'teacher', note: '记入审计日志' },
  'GET /api/titles/rounds': { allow: ['titles.review'], note: '本单位（及下级）开展的和上级开展的评审年度' },
  'POST /api/titles/rounds': { allow: ['titles.manage'] },
  'GET /api/titles/rounds/:id': { allow: ['titles.review'], obj: 'titleRound', reach: 'up', note: '推荐单位只见本单位（及下级）推荐的申报人' },
  'POST /api/titles/rounds/:id/applicants': {
    allow: ['titles.review'],
    obj: 'titleRound',
    reach: 'up',
    note: '只推荐本单位（及下级）的教师；矩阵以本次评审不含的申报职称测试（400）',
  },
  'GET /api/titles/rounds/:id/export': { allow: ['titles.manage'], obj: 'titleRound', reach: 'org', note: '开展评审的单位（及上级）；记入审计日志' },
  // ---------------------------------------------------------------- 年度考核, 家访, 学业述评 (issue 14 item 1, appraisals)
  'GET /api/appraisals/rules': { allow: ['appraisals.manage'], note: '本单位适用的优秀比例、家访、学业述评规则' },
  'GET /api/appraisals/rounds': { allow: ['appraisals.manage'], note: '本单位（及下级）开展的和上级开展的考核' },
  'POST /api/appraisals/rounds': { allow: ['appraisals.manage'], note: '学校为本校、教育局为下级学校开展；只有教育局可定优秀比例；同一年度重叠 409' },
  'GET /api/appraisals/rounds/:id': {
    allow: ['appraisals.manage'],
    obj: 'appraisalRound',
    reach: 'up',
    note: '开展单位看全部；下级学校看上级开展的考核中本校的教师',
  },
  'POST /api/appraisals/rounds/:id/publicize': { allow: ['appraisals.manage'], obj: 'appraisalRound', reach: 'org', note: '全部评定后才能公示' },
  'POST /api/appraisals/rounds/:id/confirm': { allow: ['appraisals.manage'], obj: 'appraisalRound', reach: 'org', note: '公示期满后写入 appraisal_results' },
  'POST /api/appraisals/rounds/:id/cancel': { allow: ['appraisals.manage'], obj: 'appraisalRound', reach: 'org' },
  'POST /api/appraisals/entries/:id/grade': {
    allow: ['appraisals.manage'],
    obj: 'appraisalEntry',
    reach: 'org',
    note: '教师所在学校（或其上级）；优秀超出名额、师德否决 409',
  },
  'POST /api/appraisals/entries/:id/objections': { allow: ['appraisals.manage'], obj: 'appraisalEntry', reach: 'org', note: '公示期间' },
  'POST /api/appraisals/results/:id/correct': { allow: ['appraisals.manage'], obj: 'appraisalResult', reach: 'org', note: '新记录取代，须填原因' },
  'GET /api/appraisals/records': { allow: ['appraisals.manage'], note: '本单位（及下级）按教师、班级、学期的家访与学业述评人数' },
  'GET /api/teachers/:id/appraisals': { allow: ['appraisals.manage', 'teacher'], obj: 'teacher', reach: 'org', note: '教师只看本人' },
  'GET /api/my/appraisal': { allow: TEACHER, note: '教师本人的考核、述职、结果与记录' },
  'POST /api/my/appraisal/self-report': { allow: TEACHER, note: '本人参加的考核，述职截止前' },
  'POST /api/my/home-visits': { allow: TEACHER, note: '只记班级与户数，不记学生姓名' },
  'POST /api/my/academic-reviews': { allow: TEACHER, note: '同班同学期再登记即更正（取代）' },
  // ---------------------------------------------------------------- 交流轮岗 (issue 14 item 2, rotations)
  'GET /api/rotations/plans': { allow: ['rotations.manage'] },
  'POST /api/rotations/plans': { allow: ['rotations.manage'], note: '教育局为本辖区的学校或区县制定；学校账号 403' },
  'GET /api/rotations/records': { allow: ['rotations.manage'], note: '派出或接收学校在本辖区的记录' },
  'POST /api/rotations/records': { allow: ['rotations.manage'], note: '交流、轮岗经教师任职记录变更学校；支教、送教下乡不变更' },
  'POST /api/rotations/records/:id/end': { allow: ['rotations.manage'], obj: 'rotationRecord', note: '已更正的记录 409' },
  'POST /api/rotations/records/:id/correct': { allow: ['rotations.manage'], obj: 'rotationRecord', note: '取代原记录并保留原因' },
  'GET /api/rotations/counts': { allow: ['rotations.manage'] },
  'GET /api/rotations/eligible': { allow: ['rotations.manage'] },
  'GET /api/teachers/:id/rotations': { allow: ['teachers.read', ...TEACHER], obj: 'teacher', roleReach: { institution: 'enrolled' } },
  'GET /api/rotations/counts.xlsx': { allow: ['rotations.manage'], note: '与统计相同的数字；记入审计日志' },
  'GET /api/rotations/records/template.xlsx': { allow: ['rotations.manage'] },
  'POST /api/rotations/records/import': { allow: ['rotations.manage'], note: '学校账号 403；逐行校验，全部无误才写入' },
  // ---------------------------------------------------------------- 表彰荣誉 (issue 14 item 4, honours)
  'GET /api/honours/types': { allow: ['honours.manage'] },
  'POST /api/honours/types': { allow: ['honours.manage'] },
  'GET /api/honours/nominations': { allow: ['honours.manage'] },
  'POST /api/honours/nominations': { allow: ['honours.manage'], note: '本单位或上级设立的项目；师德一票否决的教师整批拒绝' },
  'POST /api/honours/nominations/:id/decide': {
    allow: ['honours.manage'],
    obj: 'honourNomination',
    note: '设立项目的单位（及上级）授予或不予表彰；推荐单位可撤回；已处理的 409',
  },
  'POST /api/honours/awards/:id/revoke': { allow: ['honours.manage'], obj: 'honour', note: '撤销（保留记录与原因）；已撤销的 409' },
  'GET /api/honours/activities': { allow: ['honours.manage'] },
  'POST /api/honours/activities': { allow: ['honours.manage'] },
  'GET /api/honours/retirements': { allow: ['honours.manage'] },
  'POST /api/honours/retirements': { allow: ['honours.manage'], note: '退休日期与教龄取自教师档案；未退休 409' },
  'GET /api/teachers/:id/honours': { allow: ['teachers.read', ...TEACHER], obj: 'teacher', roleReach: { institution: 'enrolled' } },
  // ---------------------------------------------------------------- 培训经费、班主任津贴 (issue 14 items 6, 8, funds)
  'GET /api/funds': { allow: ['funds.manage'], note: '本单位（默认）或下级单位 orgId 某年的预算、基数、支出与比例规则；辖区外 404' },
  'GET /api/funds/board': { allow: ['funds.manage'], note: '本辖区学校、旗县区的经费看板与专款专用检查' },
  'POST /api/funds/budgets': { allow: ['funds.manage'] },
  'POST /api/funds/bases': { allow: ['funds.manage'] },
  'POST /api/funds/vouchers': { allow: ['funds.manage'], note: '凭证文件（PDF/PNG/JPEG），属于本单位或下级单位' },
  'GET /api/funds/voucher': { allow: ['funds.manage'], note: '按支出记录下载凭证；辖区外 404' },
  'POST /api/funds/entries': { allow: ['funds.manage'], note: '专款专用：项目须属于该单位（含下级）且已批准' },
  'POST /api/funds/reversals': { allow: ['funds.manage'] },
  'POST /api/funds/overrides': { allow: ['funds.manage'], note: '仅教育局（学校 400）；须写原因，审计' },
  'POST /api/funds/overrides/clear': { allow: ['funds.manage'], note: '仅教育局；须写原因，审计' },
  'GET /api/funds/export': { allow: ['funds.manage'], note: '财务格式支出明细账；写入审计日志' },
  'GET /api/allowances': { allow: ['funds.manage'], note: '学校某月的班主任津贴表（教育局须指定下级学校）' },
  'POST /api/allowances': { allow: ['funds.manage'] },
  'GET /api/allowances/template': { allow: ['funds.manage'] },
  'POST /api/allowances/import': { allow: ['funds.manage'] },
  'GET /api/allowances/check': { allow: ['funds.manage'], note: '本辖区各校低于标准或未发放的班主任' },
};
