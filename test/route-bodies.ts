import { buildTeacher, PASSWORD } from './factories.js';
import { proposal } from './projects.js';
import { multipartFile } from './uploads.js';
import { addDays, todayInChina } from '../server/src/platform/china-time.js';
import type { Role } from '../server/src/platform/access.js';
import { HOMES, SCHOOL_OF, type MatrixWorld, type OrgKey } from './route-world.js';

/**
 * Minimal valid bodies for the routes that take one, so that an allowed call gets past validation and the
 * matrix sees the handler's answer (an unclassified 400 would hide a missing permission check). Routes not
 * listed send no body. Where the natural body would change the world for later calls, the body names an
 * action the object's state refuses (409), which still proves the caller got in.
 */

export interface Payload {
  payload?: unknown;
  headers?: Record<string, string>;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const upload = (): Payload => {
  const m = multipartFile('证明.pdf', PDF);
  return { payload: m.payload, headers: m.headers };
};

let seq = 0;
const today = () => todayInChina();
const inDays = (n: number) => addDays(todayInChina(), n);

/** The school a role works with (a bureau's own teacher sits at the bureau itself). */
const schoolOf = (role: Role): OrgKey => {
  const home = HOMES[role].own;
  return SCHOOL_OF[home] ?? home;
};

/** The query string for routes that need one to get past validation (required filters). */
export function queryFor(route: string, w: MatrixWorld, role: Role | null): string {
  const home = HOMES[role ?? 'bureauAdmin'].own;
  switch (route) {
    case 'GET /api/compliance/summary':
    case 'GET /api/compliance/summary.xlsx':
    case 'GET /api/compliance/trend':
    case 'GET /api/compliance/runs':
    case 'GET /api/region-reports/preview':
      return `?policyId=${w.objects.policy.countyA?.id}`;
    case 'GET /api/indicators/:kind/history':
      return `?orgId=${w.orgs[home].id}&metric=keyTeachersTracked&year=2025`;
    // organiser shortcuts (issue 11 item 3)
    case 'GET /api/projects/:id/quotas/split':
      return '?method=teachers&total=10';
    // 师德举报受理 (intake): the public form's lists name a bureau.
    case 'GET /api/public/ethics/schools':
    case 'GET /api/public/ethics/categories':
      return `?orgId=${w.orgs.countyA.id}`;
    // 计划报备 (plans): the annual review of 一小 (under the county).
    case 'GET /api/plans/annual-review':
      return `?orgId=${w.orgs.schoolA1.id}&year=2025`;
    default:
      return '';
  }
}

export function bodyFor(route: string, w: MatrixWorld, role: Role | null): Payload {
  const r = role ?? 'bureauAdmin';
  const home = HOMES[r].own;
  const teacherHere = w.ids.teacherAt[schoolOf(r)] ?? (w.ids.teacherAt.schoolA1 as number);
  const claim = { title: '线上研修', category: 'it', hours: 2, occurredOn: '2025-03-01', description: '' };
  const expert = { name: '新专家', affiliation: '师范大学', fields: ['语文'], level: 'county' };
  switch (route) {
    case 'POST /api/auth/login':
      return { payload: { username: w.usernames[r], password: PASSWORD } };
    case 'POST /api/auth/password':
      return { payload: { currentPassword: 'Not-The-Password-1', newPassword: 'Another@2026pass' } };
    case 'POST /api/auth/role':
      return { payload: { roleId: w.roleIds[r] } };
    case 'POST /api/teachers/import/:batchId/commit':
    case 'POST /api/indicators/:kind/import/:batchId/commit':
      return { payload: { mode: 'all' } };
    case 'POST /api/teachers':
      return { payload: buildTeacher(w.orgs[home].id) };
    case 'PUT /api/teachers/:id':
      return { payload: { ...buildTeacher(w.orgs[schoolOf(r)].id), version: 1 } };
    case 'POST /api/projects':
      return { payload: proposal({ level: home.startsWith('school') ? 'school' : home === 'city' ? 'city' : 'county', form: 'inPerson' }) };
    case 'PUT /api/projects/:id':
      return { payload: proposal() };
    case 'POST /api/projects/:id/actions/:action':
    case 'POST /api/projects/:id/enrolments/:teacherId/:decision':
    case 'POST /api/projects/:id/self-enrol/withdraw':
      return { payload: {} };
    case 'POST /api/projects/:id/sessions':
      return {
        payload: { title: '第二场', date: inDays(10), startTime: '14:00', endTime: '16:00', place: '报告厅', hours: 2, category: 'ethics' },
      };
    case 'POST /api/projects/:id/enrolments':
    case 'POST /api/projects/:id/nominations':
      return { payload: { teacherIds: [teacherHere] } };
    case 'POST /api/projects/:id/enrolments/:teacherId/replace':
      return { payload: { newTeacherId: teacherHere, reason: '人员调整' } };
    case 'PUT /api/projects/:id/quotas':
    case 'PUT /api/projects/:id/quotas/sub':
      return { payload: { items: [] } };
    case 'PUT /api/projects/:id/needs-survey':
      return { payload: { title: '训前需求调研', questions: [{ type: 'text', title: '您的需求', required: false }] } };
    case 'POST /api/needs-surveys/:id/answers':
      return { payload: { answers: [null] } };
    case 'POST /api/checkin':
      return { payload: { token: 'not-a-token' } };
    case 'PUT /api/sessions/:id/attendance/:teacherId':
      return { payload: { present: true } };
    case 'PUT /api/sessions/:id/apology':
      return { payload: { reason: '外出开会' } };
    case 'POST /api/share-backs/:id/evidence':
    case 'POST /api/claims/:id/files':
    case 'POST /api/inspections/:id/files':
      return upload();
    case 'POST /api/share-backs/:id/submit':
      return { payload: { kind: 'lecture', title: '返岗分享', heldOn: today(), place: '本校会议室', summary: '面向全校教师分享培训收获与体会' } };
    case 'POST /api/share-backs/:id/review':
      return { payload: { action: 'confirm' } };
    case 'POST /api/ledger/:entryId/reverse':
      return { payload: { reason: '重复录入' } };
    case 'POST /api/policies/validate':
    case 'POST /api/policies':
    case 'POST /api/policies/:id/versions':
      return { payload: { text: 'policy: 不完整的政策' } };
    case 'POST /api/policies/:id/attachments':
      return { payload: { orgId: w.orgs[home].id } };
    case 'POST /api/notifications/read':
      return { payload: { ids: null } };
    case 'POST /api/projects/:id/survey':
    case 'PUT /api/projects/:id/survey':
      return { payload: {} };
    case 'POST /api/projects/:id/survey/status':
      return { payload: { action: 'reopen' } };
    case 'POST /api/surveys/:id/answers':
      return { payload: { ratings: { q1: 5 } } };
    case 'POST /api/projects/:id/inspections':
      return { payload: { inspectedOn: '2025-05-02', inspectors: '督导组', findings: '组织有序，按计划实施', score: 88 } };
    case 'POST /api/evaluations/institutions/:id/status':
      return { payload: { status: 'admitted', reason: '复查合格，维持准入' } };
    case 'POST /api/experts':
      return { payload: expert };
    case 'PUT /api/experts/:id':
      return { payload: { ...expert, version: 1 } };
    case 'POST /api/projects/:id/experts':
      return { payload: { expertIds: [w.ids.expertAt[home] ?? (w.ids.expertAt.countyA as number)] } };
    case 'PUT /api/projects/:id/experts/:expertId/score':
    case 'PUT /api/my/reviews/:projectId/score':
      return { payload: { criteria: { design: 80, faculty: 80, delivery: 80, effect: 80 }, comment: '' } };
    case 'POST /api/experts/:id/account':
      return { payload: { mode: 'create', username: `mx.expert.new${++seq}` } };
    case 'POST /api/claims':
    case 'PUT /api/claims/:id':
      return { payload: claim };
    case 'POST /api/claims/batch':
      return { payload: { ids: [w.objects.claim[schoolOf(r)]?.id ?? 1], action: 'countyApprove' } };
    case 'POST /api/claims/:id/transitions':
      // Not legal on a submitted claim: the reviewer and the teacher get 409, nobody changes the claim.
      return { payload: { action: 'countyApprove' } };
    case 'POST /api/auth/totp/verify':
    case 'POST /api/auth/totp/enable':
      return { payload: { code: '000000' } };
    case 'POST /api/accounts/issue':
      return { payload: { teacherIds: [teacherHere] } };
    case 'POST /api/accounts/:id/deactivate':
    case 'POST /api/security/accounts/:id/totp-reset':
      return { payload: { reason: '权限矩阵测试' } };
    case 'POST /api/accounts/:id/activate':
    case 'POST /api/accounts/:id/password-reset':
      return { payload: {} };
    case 'POST /api/accounts/:id/roles/:roleId/end':
      // The account's only role: without deactivateAccount the end is refused (409), the account stays.
      return { payload: { reason: '权限矩阵测试' } };
    case 'POST /api/accounts/:id/roles':
      return { payload: { role: 'infoAdmin', orgId: w.orgs[schoolOf(r)].id } };
    case 'POST /api/accounts/admins':
      return { payload: { username: `mx.admin${++seq}`, displayName: '新管理员', role: 'infoAdmin', orgId: w.orgs[schoolOf(r)].id } };
    case 'PUT /api/security/settings':
      return {
        payload: {
          lockoutThreshold: 5,
          lockoutMinutes: 30,
          sessionIdleMinutes: 30,
          sessionAbsoluteHours: 12,
          passwordHistory: 5,
          totpRequired: false,
          reason: '权限矩阵测试',
        },
      };
    case 'POST /api/indicators/:kind':
      return { payload: { orgId: w.orgs[home].id, year: 2025, metric: 'keyTeachersTracked', value: 3, source: '教育局文件', reason: '平台外遴选的骨干教师' } };
    // ---------------------------------------------------------------- 组织机构管理
    case 'POST /api/orgs':
      return { payload: { parentId: w.orgs[home].id, kind: 'school', name: `矩阵新建学校${++seq}`, code: `MX-NEW-${seq}`, schoolType: 'primary' } };
    case 'PUT /api/orgs/:id':
      return { payload: { name: `矩阵改名学校${++seq}`, code: `MX-REN-${seq}`, schoolType: 'junior', version: 1 } };
    case 'POST /api/orgs/:id/move':
      // The school already sits under the caller's org: refused (400), nothing moves.
      return { payload: { parentId: w.orgs[home].id, reason: '权限矩阵测试' } };
    case 'POST /api/orgs/:id/merge':
      return { payload: { targetId: w.orgs.schoolA2.id, reason: '权限矩阵测试' } };
    case 'POST /api/orgs/:id/close':
      return { payload: { reason: '权限矩阵测试' } };
    case 'POST /api/orgs/:id/members':
      return { payload: { orgId: w.orgs.schoolA2.id } };
    case 'POST /api/orgs/:id/members/:memberId/end':
      return { payload: {} };
    case 'POST /api/orgs/import/:batchId/commit':
      return { payload: { mode: 'all' } };
    // ---------------------------------------------------------------- pii (issue 9 items 1, 8)
    case 'POST /api/teachers/search':
      return { payload: { phone: '13800000000' } };
    // ------------------------------------------------ 学时更正申请 (domainsec)
    case 'POST /api/ledger/corrections/:id/decision':
      return { payload: { decision: 'refuse', comment: '权限矩阵测试' } };
    // ------------------------------------------------ 教师档案 (selfservice)
    case 'POST /api/records/changes':
      return { payload: { kind: 'add', section: 'work', fields: { startDate: '2010-09-01', employer: '矩阵测试学校' } } };
    case 'PUT /api/records/changes/:id':
      // The change is 待审核: the teacher gets 409 (withdraw first), nothing changes.
      return { payload: { fields: { name: '改名证书', obtainedOn: '2022-05-01' }, note: '' } };
    case 'POST /api/records/changes/:id/transitions':
      // Not legal on a change already 报送: the teacher and the 信息管理员 get 409, nobody changes it.
      return { payload: { action: 'submit' } };
    case 'POST /api/records/changes/:id/files':
      return upload();
    case 'POST /api/records/entries/:id/purge':
      return { payload: { reason: '权限矩阵测试' } };
    // ------------------------------------------------ facts over time (temporal)
    case 'POST /api/teachers/:id/facts':
      return { payload: { kind: 'role', role: 'mentor', since: '2025-09-01' } };
    case 'POST /api/teachers/:id/facts/end':
      return { payload: { kind: 'role', factId: 2_000_000_000, until: '2025-12-31' } };
    case 'POST /api/teachers/:id/facts/correct':
      return { payload: { kind: 'role', factId: 2_000_000_000, from: '2025-09-01' } };
    case 'POST /api/teachers/:id/facts/delete':
      return { payload: { kind: 'role', factId: 2_000_000_000, reason: '权限矩阵测试' } };
    // ------------------------------------------------ 人员变动 (moves)
    case 'POST /api/moves':
      // A retirement far ahead: the first call files it, later ones meet the open request (409).
      return { payload: { teacherId: teacherHere, kind: 'retire', effectiveDate: '2099-09-01', reason: '权限矩阵测试' } };
    case 'POST /api/moves/:id/approve':
    case 'POST /api/moves/:id/withdraw':
      return { payload: {} };
    case 'POST /api/moves/:id/return':
      return { payload: { reason: '权限矩阵测试' } };
    // ------------------------------------------------ check-in after a slow login (checkin)
    case 'POST /api/checkin/scan':
      return { payload: { token: 'not-a-token', key: 'matrix-browser-key-0000001' } };
    case 'POST /api/checkin/ticket':
      return { payload: { ticket: 'not-a-ticket', key: 'matrix-browser-key-0000001' } };
    // ------------------------------------------------ 证书查询 (extras)
    case 'POST /api/public/certificates/lookup':
      return { payload: { certNo: 'ZS2025000001', name: '不存在' } };
    // ------------------------------------------------ organiser shortcuts (organiser)
    case 'POST /api/projects/:id/fast-track':
      // The world's projects are open: nothing left for the caller's org to do at once (409).
      return { payload: {} };
    case 'POST /api/projects/:id/quotas/sheet':
      return upload();
    case 'PUT /api/sessions/:id/attendance':
      // A teacher not enrolled: the allowed caller gets past the scope checks to a 400, nothing changes.
      return { payload: { teacherIds: [2_000_000_000], mark: 'present' } };
    // ------------------------------------------------ 通知公告 (todo)
    case 'POST /api/announcements':
      return { payload: { title: '权限矩阵测试通知', body: '第一行\n第二行', audience: 'all' } };
    // ------------------------------------------------ 师德: 通报, 警示教育 (notices)
    case 'POST /api/ethics/notices':
      return { payload: { title: '权限矩阵测试通报', body: '通报正文', targetOrgId: w.orgs[home].id } };
    case 'POST /api/ethics/notices/:id/withdraw':
      return { payload: { reason: '矩阵测试撤回' } };
    case 'POST /api/ethics/meetings':
      return { payload: { orgId: w.orgs[home].id, heldOn: today(), place: '报告厅', topic: '警示教育' } };
    // ------------------------------------------------ 案件办理 (ethics-cases)
    case 'POST /api/ethics/reports/:id/case':
      return { payload: { teacherId: w.ids.teacherAt.schoolA1 } };
    case 'POST /api/ethics/cases':
      return { payload: { origin: 'inspection', teacherId: w.ids.teacherAt.schoolA1, category: 'paidTutoring', description: '权限矩阵测试' } };
    case 'POST /api/ethics/cases/:id/investigate':
      return { payload: { investigatorId: w.userIds.ethicsOfficer } };
    case 'POST /api/ethics/cases/:id/findings':
      return { payload: { findings: '权限矩阵测试' } };
    case 'POST /api/ethics/cases/:id/files':
    case 'POST /api/my/ethics/cases/:id/files':
      return upload();
    case 'POST /api/ethics/cases/:id/decide':
      return { payload: { outcome: 'warning', decidedOn: today(), reason: '权限矩阵测试', termMonths: 6 } };
    case 'POST /api/ethics/cases/:id/redecide':
      return { payload: { result: 'uphold', decidedOn: today(), reason: '权限矩阵测试' } };
    case 'POST /api/ethics/cases/:id/close':
      return { payload: { answer: '权限矩阵测试' } };
    case 'POST /api/ethics/cases/:id/inform-school':
    case 'POST /api/ethics/cases/:id/notify':
      return { payload: {} };
    case 'POST /api/my/ethics/cases/:id/appeal':
      return { payload: { text: '权限矩阵测试' } };
    // ------------------------------------------------ 师德举报受理 (intake)
    case 'POST /api/public/ethics/reports':
      return {
        payload: { handlingOrgId: w.orgs.countyA.id, category: 'care', content: '权限矩阵测试：课堂上辱骂学生。', anonymous: true },
      };
    case 'POST /api/public/ethics/track':
      return { payload: w.objects.ethicsTracking.countyA };
    case 'POST /api/ethics/reports':
      return { payload: { handlingOrgId: w.orgs.countyA.id, channel: 'phone', category: 'care', content: '权限矩阵测试：来电反映体罚学生。' } };
    case 'POST /api/ethics/reports/:id/reject':
      return { payload: { reason: '权限矩阵测试：不属于师德问题。' } };
    case 'POST /api/ethics/reports/:id/transfer':
      // The report's own bureau: 400 (same bureau), nothing changes.
      return { payload: { orgId: w.orgs.countyA.id, comment: '权限矩阵测试' } };
    case 'POST /api/ethics/reports/:id/notes':
      return { payload: { comment: '权限矩阵测试：补充说明' } };
    // ------------------------------------------------ 诚信档案, 行业禁入, 准入查询 (integrity)
    case 'POST /api/teachers/:id/integrity/appraisals':
      return { payload: { year: Number(today().slice(0, 4)) - 1, result: 'pass' } };
    case 'POST /api/teachers/:id/integrity/pledges':
      return { payload: { kind: 'pledge', signedOn: today() } };
    case 'POST /api/teachers/:id/integrity/honours':
      return { payload: { title: '优秀教师', level: 'county', awardedOn: today(), awardingOrg: '某县教育局' } };
    case 'POST /api/integrity/bans':
      return {
        payload: {
          nationalId: buildTeacher(1).nationalId,
          name: '禁入人员',
          source: '某市教育局行业禁入决定',
          decidedOn: '2025-01-01',
          validFrom: '2025-01-01',
        },
      };
    case 'POST /api/integrity/bans/:id/lift':
      return { payload: { reason: '权限矩阵测试' } };
    case 'POST /api/integrity/entry-check':
      return { payload: { nationalId: buildTeacher(1).nationalId } };
    // ------------------------------------------------ 师徒结对 and 磨课 (mentoring): valid bodies the state or the date refuses
    case 'POST /api/mentoring/pairs':
      // Mentor = mentee: 400 once let in, nothing written.
      return { payload: { mentorTeacherId: 1, menteeTeacherId: 1, subject: '语文', termFrom: today() } };
    case 'POST /api/mentoring/pairs/:id/end':
      return { payload: { endedOn: '2000-01-01', reason: '权限矩阵测试' } };
    case 'POST /api/mentoring/pairs/:id/change':
      return { payload: { mentorTeacherId: 1, from: '2000-01-01', reason: '权限矩阵测试' } };
    case 'POST /api/mentoring/pairs/:id/records':
      return { payload: { kind: 'guidance', heldOn: '2000-01-01', content: '权限矩阵测试' } };
    case 'POST /api/teachers/:id/polish-rounds':
    case 'POST /api/polish-rounds/:id/correct':
      // Held in the future: 400 once let in.
      return {
        payload: {
          subject: '语文',
          lesson: '矩阵测试课',
          heldOn: inDays(5),
          items: [{ label: '教学设计', score: 8, max: 10 }],
          result: 'passed',
          correctionReason: '权限矩阵测试',
        },
      };
    case 'POST /api/teachers/:id/teaching-gate':
      return { payload: { subject: '美术', reason: 'newSubject', openedOn: today() } };
    case 'POST /api/teachers/:id/teaching-gate/release':
      return { payload: { subject: '语文', releasedOn: inDays(5) } };
    case 'POST /api/mentoring/key-candidates':
      return { payload: { teacherId: 1, subject: '语文', term: '2026-2027-1' } };
    case 'POST /api/mentoring/key-candidates/:id/withdraw':
      return { payload: { reason: '权限矩阵测试' } };
    // ------------------------------------------------ 骨干教师 (key-teachers): bodies that pass validation
    case 'POST /api/key-teachers/rounds':
      // An unknown category: 400 after the permission check, nothing created.
      return {
        payload: {
          title: '权限矩阵评选',
          tier: 'county',
          categories: ['nope'],
          asOf: '2025-12-31',
          nominateUntil: '2026-01-31',
          quotas: [{ orgId: w.orgs[home].id, quota: 1 }],
        },
      };
    case 'POST /api/key-teachers/rounds/:id/eligibility':
    case 'POST /api/key-teachers/rounds/:id/nominations':
      return { payload: { category: 'keyTeacher', teacherIds: [teacherHere] } };
    case 'POST /api/key-teachers/rounds/:id/publicize':
      return { payload: { from: '2026-02-01', until: '2026-02-07' } };
    case 'POST /api/key-teachers/rounds/:id/designate':
      return { payload: { termFrom: '2026-03-01' } };
    case 'POST /api/key-teachers/nominations/:id/review':
      return { payload: { passed: false } };
    case 'POST /api/key-teachers/nominations/:id/objections':
      return { payload: { receivedOn: '2026-02-02', content: '权限矩阵测试异议', upheld: false } };
    case 'POST /api/key-teachers/designations/:id/assessments':
      return { payload: { year: 2021, result: 'qualified' } };
    case 'POST /api/key-teachers/designations/:id/renew':
      return { payload: {} };
    case 'POST /api/key-teachers/designations/:id/exit':
      return { payload: { on: '2021-06-01', note: '权限矩阵测试' } };
    // ------------------------------------------------ 交流轮岗 (rotations): the world's records are superseded (409).
    case 'POST /api/rotations/plans':
      return { payload: { orgId: w.orgs[home].id, year: 2001, plannedCount: 1 } };
    case 'POST /api/rotations/records':
      // To the teacher's own school: 400 after the scope checks, nothing changes.
      return { payload: { teacherId: w.ids.teacherAt[schoolOf(r)], toOrgId: w.orgs[schoolOf(r)].id, kind: 'supportTeaching', startDate: '2025-03-01' } };
    case 'POST /api/rotations/records/:id/end':
      return { payload: { endDate: '2025-06-30' } };
    case 'POST /api/rotations/records/:id/correct':
      return { payload: { note: '权限矩阵测试', reason: '权限矩阵测试' } };
    // ------------------------------------------------ 表彰荣誉 (honours)
    case 'POST /api/honours/types':
      return { payload: { name: `权限矩阵测试项目${++seq}`, level: 'school' } };
    case 'POST /api/honours/nominations':
      // The home org's own type; a second call is a duplicate (409).
      return {
        payload: { typeId: (w.objects.honourType?.[home] ?? w.objects.honourType?.countyA)?.id, year: 2024, teacherIds: [w.ids.teacherAt[schoolOf(r)]] },
      };
    case 'POST /api/honours/nominations/:id/decide':
      return { payload: { decision: 'withdraw' } };
    case 'POST /api/honours/awards/:id/revoke':
      return { payload: { reason: '权限矩阵测试' } };
    case 'POST /api/honours/activities':
      return { payload: { heldOn: '2025-09-10', title: '权限矩阵测试活动', kind: 'teacherMonth' } };
    case 'POST /api/honours/retirements':
      // The world's teachers are in service: 409, nothing written.
      return { payload: { teacherId: w.ids.teacherAt[schoolOf(r)], ceremonyOn: '2025-09-10' } };
    // ------------------------------------------------ 工作室 (studios)
    case 'POST /api/studios':
      return {
        payload: { name: '权限矩阵测试工作室', kind: 'masterTeacher', level: 'county', hostTeacherId: w.ids.teacherAt[schoolOf(r)], planText: '建设方案' },
      };
    case 'POST /api/studios/:id/transition':
      // The world's studios are named: 受理评审 is refused (409), nothing changes.
      return { payload: { action: 'startReview' } };
    case 'POST /api/studios/:id/members':
      // No such teacher: 400 after the scope checks, nothing changes.
      return { payload: { teacherId: 2_000_000_000, joinedOn: today() } };
    case 'POST /api/studios/:id/members/:teacherId/leave':
      return { payload: { leftOn: today() } };
    case 'POST /api/studios/:id/plans':
      return { payload: { year: Number(today().slice(0, 4)), body: '权限矩阵测试计划' } };
    case 'POST /api/studios/:id/activities':
      return { payload: { kind: 'lecture', title: '权限矩阵测试讲座', mode: 'online', heldOn: today() } };
    case 'POST /api/studios/:id/activities/:activityId/checkin':
      return { payload: { open: false } };
    case 'POST /api/studios/:id/activities/:activityId/withdraw':
    case 'POST /api/studios/:id/outputs/:outputId/withdraw':
      return { payload: { reason: '权限矩阵测试' } };
    case 'POST /api/studios/:id/outputs':
      return { payload: { kind: 'lesson', title: '权限矩阵测试课例', producedOn: today() } };
    case 'POST /api/studios/:id/assessments':
      return { payload: { year: 2001, grade: 'pass' } };
    // ------------------------------------------------ 基本功竞赛 (growth): the world's editions are drafts, so entries,
    // scores, results and state changes answer 409 and change nothing.
    case 'POST /api/competitions':
      return { payload: { series: `矩阵测试系列${++seq}`, name: '教学基本功大赛', kind: 'teachingSkills', year: 2026 } };
    case 'POST /api/competitions/:id/rounds':
      return { payload: { seq: 1, name: '初赛', heldOn: today() } };
    case 'POST /api/competitions/:id/judges':
      return { payload: { expertName: '矩阵专家' } };
    case 'POST /api/competitions/:id/entries':
      return { payload: { teacherIds: [teacherHere] } };
    case 'POST /api/competitions/:id/scores':
      return { payload: { roundId: 1, judgeId: 1, scores: [{ entryId: 1, score: 90 }] } };
    case 'POST /api/competitions/:id/results':
      return { payload: { roundId: 1, results: [{ entryId: 1, qualifies: false }] } };
    // ------------------------------------------------ 课题 (growth): the world's projects are applied, so outputs and the
    // step named (开题) answer 409 and change nothing.
    case 'POST /api/research-projects':
      return { payload: { title: '权限矩阵测试课题', leaderTeacherId: teacherHere, level: 'county', category: 'general', plan: '研究方案' } };
    case 'POST /api/research-projects/:id/outputs':
      return { payload: { kind: 'paper', title: '矩阵测试论文' } };
    case 'POST /api/research-projects/:id/:step':
      return { payload: {} };
    // ------------------------------------------------ 学历提升 (growth): completion dated tomorrow is refused (400), so
    // the world's plans stay active; approval answers 409 (nothing asked).
    case 'POST /api/upgrade-plans':
      return { payload: { teacherId: teacherHere, kind: 'degree', targetEducation: 'bachelor', expectedOn: inDays(365) } };
    case 'POST /api/upgrade-plans/:id/progress':
      return { payload: { note: '权限矩阵测试进展' } };
    case 'POST /api/upgrade-plans/:id/completion':
      return { payload: { achievedOn: inDays(1) } };
    // ---------------------------------------------------------------- 区域目标手工覆盖 (issue 13 item 6, targets13)
    case 'POST /api/indicators/targets/clear-override':
      // No override of this year: 409 once the caller is in.
      return { payload: { orgId: w.orgs[home].id, year: 2001, metric: 'keyTeachersTracked', reason: '权限矩阵测试' } };
    case 'POST /api/region-reports/report.pdf':
    case 'POST /api/region-reports/report.xlsx':
      return { payload: { policyId: w.objects.policy.countyA?.id } };
    // ---------------------------------------------------------------- 编制与结构 (issue 14 item 9, staffing)
    case 'POST /api/staffing/quotas':
      return { payload: { orgId: w.orgs[schoolOf(r)].id, quota: 30, effectiveFrom: today(), source: '权限矩阵测试核编文件' } };
    case 'POST /api/staffing/students':
      return { payload: { orgId: w.orgs[schoolOf(r)].id, year: 2025, stage: 'primary', students: 500, source: '权限矩阵测试' } };
    case 'POST /api/staffing/rural-support':
      return { payload: { teacherId: teacherHere, kind: 'allowance', startDate: today() } };
    // ---------------------------------------------------------------- 计划报备 (issue 14 item 5, plans): the world's filings
    // are pending, so a filing of the same year answers 409; the annual review scores 一小 (under the county).
    case 'POST /api/plans/files':
      return upload();
    case 'POST /api/plans':
      return { payload: { year: Number(today().slice(0, 4)), planFileId: w.objects.planFile?.[home]?.id ?? 1 } };
    case 'POST /api/plans/filings/:id/decide':
      return { payload: { decision: 'returned', reason: '权限矩阵测试：请补充预算' } };
    case 'POST /api/plans/annual-review':
      return { payload: { orgId: w.orgs.schoolA1.id, year: 2025, components: [{ code: 'judgement', bureauScore: 80 }] } };
    // ---------------------------------------------------------------- 职称 (issue 14 item 3, titles): nothing written
    case 'POST /api/titles/rounds':
      // A deadline in the past: 400 after the permission check.
      return { payload: { name: '权限矩阵职称评审', year: 2026, baseDate: '2026-09-01', deadline: '2001-01-01', targets: ['senior'] } };
    case 'POST /api/titles/rounds/:id/applicants':
      // A target the round does not include: 400 once the caller reaches the round.
      return { payload: { target: 'first', teacherIds: [teacherHere] } };
    // ---------------------------------------------------------------- 年度考核 (issue 14 item 1, appraisals)
    case 'POST /api/appraisals/rounds':
      // The world has a 2001 round at every school and a 2002 round at every bureau: an overlapping year, 409.
      return { payload: { year: 2001, title: '权限矩阵考核', selfReportUntil: inDays(10), gradeUntil: inDays(20) } };
    case 'POST /api/appraisals/rounds/:id/publicize':
      return { payload: { from: today(), until: inDays(5) } };
    case 'POST /api/appraisals/entries/:id/grade':
      return { payload: { grade: 'qualified' } };
    case 'POST /api/appraisals/entries/:id/objections':
      // The round is open, not publicizing: 409.
      return { payload: { receivedOn: today(), content: '权限矩阵测试异议', upheld: false, decision: '不成立' } };
    case 'POST /api/appraisals/results/:id/correct':
      return { payload: { grade: 'basicallyQualified', reason: '权限矩阵测试更正' } };
    case 'POST /api/my/appraisal/self-report':
      return { payload: { roundId: w.objects.appraisalRound?.schoolA1?.id ?? 1, text: '权限矩阵测试述职' } };
    case 'POST /api/my/home-visits':
      return { payload: { visitedOn: today(), className: '一年级1班', families: 2 } };
    case 'POST /api/my/academic-reviews':
      return { payload: { year: 2001, term: 'spring', className: '一年级1班', students: 30, reviewed: 30, completedOn: '2001-06-30' } };
    default:
      return {};
  }
}
