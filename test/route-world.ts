import type { TestApp } from './harness.js';
import { buildTeacher, PASSWORD } from './factories.js';
import { multipartFile } from './uploads.js';
import { todayInChina } from '../server/src/platform/china-time.js';
import { createSession, hashPassword, loadSessionUser } from '../server/src/platform/auth.js';
import { audit } from '../server/src/platform/audit.js';
import { issueAccounts } from '../server/src/modules/accounts/issue.service.js';
import { ROLES, type CurrentUser, type Role } from '../server/src/platform/access.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { insertUser } from '../server/src/modules/users/users.repository.js';
import { createTeacher } from '../server/src/modules/teachers/teachers.service.js';
import { setSettingsAsSystem } from '../server/src/modules/security/security.service.js';
import { syncSeedPolicies } from '../server/src/modules/policies/policies.service.js';
import { saveUpload } from '../server/src/platform/files.js';
import { submitPublicReport } from '../server/src/modules/ethics-reports/ethics-intake.service.js';

/**
 * The fixture world of the permission matrix (and the fuzz test): one org tree with an object of each kind
 * at each position, and one signed-in account per role.
 *
 *   city 测试市: schoolC (市直学校)
 *   ├── countyA 甲区: schoolA1, schoolA2, schoolA3 (区直学校), instA (institution), devA (development centre)
 *   └── countyB 乙县: schoolB1, schoolB3 (县直学校), instB, devB
 *
 * Teachers belong to schools only: a record of a bureau's own position (its teacher, their claims) sits in its
 * directly run school (schoolC, schoolA3, schoolB3), one of an institution or centre in the school it serves.
 *
 * Every role has a home org; its "own" objects sit there (or, for a kind that never sits at such an org, in
 * the school the role serves), its "sibling" objects at the sibling of the home, its "parent" objects at the
 * home's parent. Objects are written with plain SQL or the services, so building the world does not go
 * through the routes under test.
 */

export const ORG_KEYS = ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1', 'instA', 'instB', 'devA', 'devB'] as const;
const SCHOOL_KEYS = ['schoolA1', 'schoolA2', 'schoolB1', 'schoolA3', 'schoolB3', 'schoolC'] as const;
export type OrgKey = (typeof ORG_KEYS)[number] | (typeof SCHOOL_KEYS)[number];
export type Position = 'own' | 'sibling' | 'parent';
export const POSITIONS: readonly Position[] = ['own', 'sibling', 'parent'];

/** Where each role sits, and its sibling and parent org. */
export const HOMES: Record<Role, Record<Position, OrgKey>> = {
  bureauAdmin: { own: 'countyA', sibling: 'countyB', parent: 'city' },
  sysAdmin: { own: 'countyA', sibling: 'countyB', parent: 'city' },
  securityAdmin: { own: 'countyA', sibling: 'countyB', parent: 'city' },
  auditor: { own: 'countyA', sibling: 'countyB', parent: 'city' },
  ethicsOfficer: { own: 'countyA', sibling: 'countyB', parent: 'city' },
  expert: { own: 'countyA', sibling: 'countyB', parent: 'city' },
  schoolAdmin: { own: 'schoolA1', sibling: 'schoolA2', parent: 'countyA' },
  infoAdmin: { own: 'schoolA1', sibling: 'schoolA2', parent: 'countyA' },
  teacher: { own: 'schoolA1', sibling: 'schoolA2', parent: 'countyA' },
  institution: { own: 'instA', sibling: 'instB', parent: 'countyA' },
  devCenter: { own: 'devA', sibling: 'devB', parent: 'countyA' },
};

/** For kinds that live in schools (teachers and their records): the school an institution or centre org stands for. */
export const SCHOOL_OF: Partial<Record<OrgKey, OrgKey>> = {
  city: 'schoolC',
  countyA: 'schoolA3',
  countyB: 'schoolB3',
  instA: 'schoolA1',
  instB: 'schoolB1',
  devA: 'schoolA1',
  devB: 'schoolB1',
};

/** Path parameters of one object, by parameter name. */
export type Params = Record<string, string | number>;

export interface Org {
  id: number;
  path: string;
}

export interface MatrixWorld {
  t: TestApp;
  orgs: Record<OrgKey, Org>;
  /** The signed-in caller of each role (a fresh session each). */
  cookies: Record<Role, string>;
  userIds: Record<Role, number>;
  /** Extra sessions for routes that end or change the caller's session (logout, password, role switch). */
  throwaway(role: Role): Promise<string>;
  /** objects[kind][org] = the object's path parameters. */
  objects: Record<string, Partial<Record<OrgKey, Params>>>;
  /** where[kind][org] = the org the object really belongs to (a school for a record standing in for an institution). */
  where: Record<string, Partial<Record<OrgKey, OrgKey>>>;
  usernames: Record<Role, string>;
  /** The caller's user_roles id (POST /auth/role switches to it). */
  roleIds: Record<Role, number>;
  /** Make one more object of a kind at an org for a caller (for routes that use their object up). */
  make(kind: string, org: OrgKey, role: Role): Promise<Params | undefined>;
  /** Ids the route bodies refer to. */
  ids: { teacherAt: Partial<Record<OrgKey, number>>; expertAt: Partial<Record<OrgKey, number>>; notificationOf: Partial<Record<Role, number>> };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let seq = 0;

export async function buildMatrixWorld(t: TestApp): Promise<MatrixWorld> {
  const db = t.db;
  // The matrix is about permissions, not about the second factor (its own tests cover that gate).
  await setSettingsAsSystem(t.ctx, { totpRequired: false }, '测试：权限矩阵不要求动态口令');
  const hash = await hashPassword(PASSWORD);
  const org = async (key: string, name: string, level: string, kind: string, parentId: number | null, stage?: string) =>
    insertOrg(db, { code: `MX-${key}`, name, level, kind, stage, parentId });
  const city = await org('city', '测试市教育局', 'city', 'bureau', null);
  const countyA = await org('countyA', '甲区教育局', 'county', 'bureau', city.id);
  const countyB = await org('countyB', '乙县教育局', 'county', 'bureau', city.id);
  const orgs: Record<OrgKey, Org> = {
    city,
    countyA,
    countyB,
    schoolA1: await org('schoolA1', '甲区第一小学', 'school', 'school', countyA.id, 'primary'),
    schoolA2: await org('schoolA2', '甲区第二小学', 'school', 'school', countyA.id, 'primary'),
    schoolB1: await org('schoolB1', '乙县第一小学', 'school', 'school', countyB.id, 'primary'),
    schoolA3: await org('schoolA3', '甲区实验中学', 'school', 'school', countyA.id, 'junior'),
    schoolB3: await org('schoolB3', '乙县实验中学', 'school', 'school', countyB.id, 'junior'),
    schoolC: await org('schoolC', '测试市第一中学', 'school', 'school', city.id, 'senior'),
    instA: await org('instA', '甲区教师培训中心', 'county', 'institution', countyA.id),
    instB: await org('instB', '乙县教师培训中心', 'county', 'institution', countyB.id),
    devA: await org('devA', '甲区教师发展中心', 'county', 'devCenter', countyA.id),
    devB: await org('devB', '乙县教师发展中心', 'county', 'devCenter', countyB.id),
  };

  const sessionFor = async (userId: number) => `qs_session=${(await createSession(db, userId)).token}`;
  const user = async (role: Role, at: OrgKey, teacherId: number | null = null) =>
    insertUser(db, { username: `mx.${role}.${at}.${++seq}`, passwordHash: hash, displayName: `${role}@${at}`, role, orgId: orgs[at].id, teacherId });

  // The city admin writes the teachers (the service checks scope; the city sees every org).
  const cityAdminId = await user('bureauAdmin', 'city');
  const cityAdmin: CurrentUser = {
    id: cityAdminId,
    username: 'mx.city',
    displayName: '市局管理员',
    role: 'bureauAdmin',
    roleId: (await db.query<{ id: number }>('SELECT id FROM user_roles WHERE user_id = $1', [cityAdminId])).rows[0].id,
    orgId: city.id,
    orgPath: city.path,
    orgName: '测试市教育局',
    orgLevel: 'city',
    teacherId: null,
    scopePath: city.path,
    mustChangePassword: false,
  };

  // Teachers: one per school.
  const teacherAt: Partial<Record<OrgKey, number>> = {};
  for (const k of SCHOOL_KEYS) teacherAt[k] = await createTeacher(t.ctx, cityAdmin, buildTeacher(orgs[k].id, { name: `教师${k}` }));

  // Managers of each org (the callers for the home orgs; helpers elsewhere) and teacher accounts.
  const managerAt: Partial<Record<OrgKey, number>> = { city: cityAdminId };
  const cookies = {} as Record<Role, string>;
  const userIds = {} as Record<Role, number>;
  for (const role of ROLES) {
    if (role === 'teacher') userIds.teacher = await user('teacher', 'schoolA1', teacherAt.schoolA1);
    else userIds[role] = await user(role, HOMES[role].own);
    cookies[role] = await sessionFor(userIds[role]);
  }
  managerAt.countyA = userIds.bureauAdmin;
  managerAt.schoolA1 = userIds.schoolAdmin;
  managerAt.instA = userIds.institution;
  managerAt.devA = userIds.devCenter;
  managerAt.countyB = await user('bureauAdmin', 'countyB');
  managerAt.schoolA2 = await user('schoolAdmin', 'schoolA2');
  managerAt.schoolB1 = await user('schoolAdmin', 'schoolB1');
  managerAt.instB = await user('institution', 'instB');
  managerAt.devB = await user('devCenter', 'devB');
  const teacherUser: Partial<Record<OrgKey, number>> = { schoolA1: userIds.teacher };
  for (const k of SCHOOL_KEYS) if (k !== 'schoolA1') teacherUser[k] = await user('teacher', k, teacherAt[k]);
  const teacherCookie: Partial<Record<OrgKey, string>> = {};
  for (const [k, id] of Object.entries(teacherUser)) teacherCookie[k as OrgKey] = k === 'schoolA1' ? cookies.teacher : await sessionFor(id as number);

  const objects: MatrixWorld['objects'] = {};
  const where: MatrixWorld['where'] = {};
  const put = (kind: string, at: OrgKey, p: Params, really: OrgKey = at) => {
    objects[kind] ??= {};
    where[kind] ??= {};
    objects[kind][at] = p;
    where[kind][at] = really;
  };
  const one = async <T>(sql: string, params: unknown[]) => (await db.query<T>(sql, params)).rows[0];

  // Teachers, and the school a non-school org stands for.
  for (const [k, id] of Object.entries(teacherAt)) put('teacher', k as OrgKey, { id: id as number });
  for (const [k, s] of Object.entries(SCHOOL_OF)) put('teacher', k as OrgKey, { id: teacherAt[s as OrgKey] as number }, s as OrgKey);

  // Projects: one open project owned by every org, with one session a week ahead, the org's teacher enrolled.
  const projectAt: Partial<Record<OrgKey, number>> = {};
  const sessionAt: Partial<Record<OrgKey, number>> = {};
  const enrolledAt: Partial<Record<OrgKey, number>> = {};
  const today = todayInChina();
  /** An open project (or a closed one) owned by the org, with one session a week ahead and the org's teacher enrolled. */
  const makeProject = async (k: OrgKey, status = 'open') => {
    const level = k === 'city' ? 'city' : k.startsWith('school') ? 'school' : 'county';
    const p = await one<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, capacity, budget, plan, created_by)
       VALUES ($1, $2, $3, $4, 'inPerson', '{ethics}', 6, $5::date - 30, $5::date + 60, $7, 100, 1000,
               '[{"title":"师德专题","hours":6,"category":"ethics"}]', $6) RETURNING id`,
      [orgs[k].id, `MX-P-${k}-${++seq}`, `${k}的培训项目`, level, today, managerAt[k], status],
    );
    const teacher = teacherAt[k] ?? (teacherAt[SCHOOL_OF[k] as OrgKey] as number);
    await db.query('INSERT INTO enrolments (project_id, teacher_id, enrolled_by) VALUES ($1, $2, $3)', [p.id, teacher, managerAt[k]]);
    return { id: p.id, teacher };
  };
  for (const k of ORG_KEYS) {
    const p = await makeProject(k);
    projectAt[k] = p.id;
    const s = await one<{ id: number }>(
      `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
       VALUES ($1, '第一场', $2::date + 7, '09:00', '12:00', '报告厅', 3, 'ethics') RETURNING id`,
      [p.id, today],
    );
    sessionAt[k] = s.id;
    const teacher = p.teacher;
    enrolledAt[k] = teacher;
    put('project', k, { id: p.id });
    put('session', k, { id: s.id });
    put('enrolment', k, { id: p.id, teacherId: teacher as number });
    put('sessionTeacher', k, { id: s.id, teacherId: teacher as number });
    put('myProject', k, { projectId: p.id });
    // A finished project of the same teacher (certificates).
    const closed = await makeProject(k, 'closed');
    put('closedProject', k, { projectId: closed.id });
    put('teacherClosedProject', k, { id: teacher as number, projectId: closed.id }, SCHOOL_OF[k] ?? k);
  }

  // The teacher caller has sent an apology for its own session (DELETE /sessions/:id/apology withdraws it).
  await db.query(`INSERT INTO session_apologies (session_id, teacher_id, reason) VALUES ($1, $2, '外出开会')`, [sessionAt.schoolA1, teacherAt.schoolA1]);

  // 名额: a project of the parent org that gave this org (and only it) a quota.
  for (const [k, parent] of [
    ['countyA', 'city'],
    ['countyB', 'city'],
    ['schoolA1', 'countyA'],
    ['schoolA2', 'countyA'],
    ['schoolB1', 'countyB'],
  ] as const) {
    const p = await makeProject(parent);
    await db.query('INSERT INTO project_quotas (project_id, org_id, quota) VALUES ($1, $2, 5)', [p.id, orgs[k].id]);
    put('quotaProject', k, { id: p.id });
  }

  // Hour claims (submitted, with one evidence file) by the teachers with accounts.
  for (const [k, cookie] of Object.entries(teacherCookie)) {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/claims',
      headers: { cookie: cookie as string },
      payload: { title: '线上研修', category: 'it', hours: 2, occurredOn: '2025-03-01', description: '' },
    });
    if (c.statusCode !== 201) throw new Error(`world: claim ${k}: ${c.statusCode} ${c.body}`);
    const id = c.json().id as number;
    const m = multipartFile('证明.pdf', PDF);
    const f = await t.app.inject({ method: 'POST', url: `/api/claims/${id}/files`, payload: m.payload, headers: { ...m.headers, cookie: cookie as string } });
    if (f.statusCode !== 201) throw new Error(`world: claim file ${k}: ${f.statusCode} ${f.body}`);
    const s = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${id}/transitions`,
      headers: { cookie: cookie as string },
      payload: { action: 'submit' },
    });
    if (s.statusCode !== 200) throw new Error(`world: claim submit ${k}: ${s.statusCode} ${s.body}`);
    put('claim', k as OrgKey, { id });
    put('claimFile', k as OrgKey, { id, fileId: f.json().id as number });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) {
    put('claim', k as OrgKey, objects.claim[s as OrgKey] as Params, s as OrgKey);
    put('claimFile', k as OrgKey, objects.claimFile[s as OrgKey] as Params, s as OrgKey);
  }

  // Ledger entries (one imported record per teacher).
  for (const [k, id] of Object.entries(teacherAt)) {
    const e = await one<{ id: number }>(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key)
       VALUES ($1, 3, 'ethics', '2025-04-01', 'import', '平台学时', $2) RETURNING id`,
      [id, `mx:${k}`],
    );
    put('ledgerEntry', k as OrgKey, { entryId: e.id });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) put('ledgerEntry', k as OrgKey, objects.ledgerEntry[s as OrgKey] as Params, s as OrgKey);

  // Expert pools: bureaus and development centres; each expert is assigned to its org's project.
  const expertAt: Partial<Record<OrgKey, number>> = {};
  const makeExpert = async (k: OrgKey) =>
    (
      await one<{ id: number }>(
        `INSERT INTO experts (org_id, name, affiliation, fields, level, phone_mask) VALUES ($1, $2, '师范大学', '{语文}', $3, '139****0000') RETURNING id`,
        [orgs[k].id, `专家${k}${++seq}`, k === 'city' ? 'city' : 'county'],
      )
    ).id;
  for (const k of ['city', 'countyA', 'countyB', 'devA', 'devB'] as const) {
    const id = await makeExpert(k);
    expertAt[k] = id;
    await db.query('INSERT INTO project_experts (project_id, expert_id) VALUES ($1, $2)', [projectAt[k], id]);
    put('expert', k, { id });
    put('projectExpert', k, { id: projectAt[k] as number, expertId: id });
  }
  // The 评审专家 caller is the countyA pool's expert, assigned to countyA's project.
  await db.query('UPDATE experts SET user_id = $1 WHERE id = $2', [userIds.expert, expertAt.countyA]);

  // Policies: the seeds, one attached at the city and one at each county.
  await syncSeedPolicies(db);
  const seeds = (await db.query<{ id: number }>('SELECT id FROM policies ORDER BY id')).rows.map((r) => r.id);
  const policyOrgs: OrgKey[] = ['city', 'countyA', 'countyB'];
  for (const [i, k] of policyOrgs.entries()) {
    await db.query('INSERT INTO policy_attachments (policy_id, org_id) VALUES ($1, $2)', [seeds[i], orgs[k].id]);
    put('policy', k, { id: seeds[i] });
  }

  // Surveys, needs surveys, inspections and share-backs of each project.
  for (const k of ORG_KEYS) {
    const projectId = projectAt[k] as number;
    const s = await one<{ id: number }>(
      `INSERT INTO surveys (project_id, title, questions, comment_label) VALUES ($1, '学员评价', '[{"key":"q1","label":"总体满意度"}]', '意见和建议') RETURNING id`,
      [projectId],
    );
    put('survey', k, { id: s.id });
    const n = await one<{ id: number }>(
      `INSERT INTO needs_surveys (project_id, title, questions, status, published_at)
       VALUES ($1, '训前需求调研', '[{"type":"text","title":"您的需求","options":[],"required":false}]', 'published', now()) RETURNING id`,
      [projectId],
    );
    put('needsSurvey', k, { id: n.id });
    const i = await one<{ id: number }>(
      `INSERT INTO inspections (project_id, inspected_on, inspectors, findings, score) VALUES ($1, '2025-05-01', '督导组', '组织有序，按计划实施', 90) RETURNING id`,
      [projectId],
    );
    put('inspection', k, { id: i.id });
    const sb = await one<{ id: number }>('INSERT INTO share_backs (project_id, teacher_id) VALUES ($1, $2) RETURNING id', [projectId, enrolledAt[k]]);
    put('shareBack', k, { id: sb.id }, SCHOOL_OF[k] ?? k);
    const ev = multipartFile('分享记录.pdf', PDF);
    const evUp = await t.app.inject({
      method: 'POST',
      url: `/api/share-backs/${sb.id}/evidence`,
      payload: ev.payload,
      headers: { ...ev.headers, cookie: teacherCookie[SCHOOL_OF[k] ?? k] as string },
    });
    if (evUp.statusCode !== 201) throw new Error(`world: share-back evidence ${k}: ${evUp.statusCode} ${evUp.body}`);
    // An attachment of the inspection, uploaded by the supervising bureau (the project's own or the one above).
    const bureau: OrgKey = k === 'city' || k === 'countyA' || k === 'countyB' ? k : k.endsWith('B') || k.endsWith('B1') ? 'countyB' : 'countyA';
    const m = multipartFile('督导记录.pdf', PDF);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/${i.id}/files`,
      payload: m.payload,
      headers: { ...m.headers, cookie: await sessionFor(managerAt[bureau] as number) },
    });
    if (up.statusCode !== 201) throw new Error(`world: inspection file ${k}: ${up.statusCode} ${up.body}`);
    put('inspectionFile', k, { id: i.id, fileId: up.json().id as number });
  }

  // Imports: an hour-import run, a teacher import batch and an indicator batch by each org's manager.
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    const r = await one<{ id: number }>(
      `INSERT INTO hour_import_runs (user_id, org_id, platform, file_name, file_sha256, mapping, added, skipped, rejected, hours_added, report)
       VALUES ($1, $2, 'smartEdu', 'x.csv', 'x', '{}', 0, 0, 0, 0, '{"runId":null,"dryRun":false,"platform":"smartEdu","fileName":"x.csv","total":0,"added":0,"skipped":0,"rejected":0,"hoursAdded":0,"teachers":0,"rejectedRows":[],"skippedRows":[],"truncated":false}') RETURNING id`,
      [managerAt[k], orgs[k].id],
    );
    put('hourImport', k, { id: r.id });
  }
  // Batches are the uploader's own work: a batch at the caller's home is the caller's upload.
  const batch = async (kind: string, k: OrgKey, userId = managerAt[k]) =>
    (
      await one<{ id: number }>(
        `INSERT INTO import_batches (kind, user_id, org_id, file_name, file_sha256, rows, summary) VALUES ($1, $2, $3, 'x.xlsx', 'x', '[]', '{}') RETURNING id`,
        [kind, userId, orgs[k].id],
      )
    ).id;
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    put('teacherBatch', k, { batchId: await batch('teachers', k) });
    put('indicatorBatch', k, { kind: 'targets', batchId: await batch('indicators.targets', k) });
  }

  // Institutions under evaluation: the institution org in each region.
  put('institution', 'countyA', { id: orgs.instA.id }, 'instA');
  put('institution', 'countyB', { id: orgs.instB.id }, 'instB');
  put('institution', 'instA', { id: orgs.instA.id });
  put('institution', 'instB', { id: orgs.instB.id });
  put('institution', 'devA', { id: orgs.instA.id }, 'instA');
  put('institution', 'devB', { id: orgs.instB.id }, 'instB');

  // Accounts (账号管理, 安全管理): one teacher account per school that nobody acts with, so stopping it or
  // resetting its password changes no caller; bureaus, institutions and centres stand for a school.
  for (const k of SCHOOL_KEYS) {
    const teacherId = await createTeacher(t.ctx, cityAdmin, buildTeacher(orgs[k].id, { name: `账号教师${k}` }));
    const id = await user('teacher', k, teacherId);
    const roleId = (await one<{ id: number }>('SELECT id FROM user_roles WHERE user_id = $1', [id])).id;
    put('account', k, { id });
    put('accountRole', k, { id, roleId });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) {
    put('account', k as OrgKey, objects.account[s as OrgKey] as Params, s as OrgKey);
    put('accountRole', k as OrgKey, objects.accountRole[s as OrgKey] as Params, s as OrgKey);
  }
  // An audit line written at each org (the auditor reads its own subtree's lines).
  for (const k of ORG_KEYS) {
    await audit(db, { id: managerAt[k] ?? cityAdminId, orgId: orgs[k].id }, 'matrix.test', 'org', orgs[k].id);
    put('auditEntry', k, { id: (await one<{ id: number }>('SELECT max(id) AS id FROM audit_log WHERE org_id = $1', [orgs[k].id])).id });
  }
  // A 账号单 of the county's 系统管理员 (only its issuer downloads it).
  const sys = await loadSessionUser(db, (await createSession(db, userIds.sysAdmin)).token);
  if (!sys) throw new Error('world: no sysAdmin session');
  const slipTeacher = await createTeacher(t.ctx, cityAdmin, buildTeacher(orgs.schoolA3.id, { name: '开通账号教师' }));
  const issued = await issueAccounts(t.ctx, sys, { teacherIds: [slipTeacher] });
  put('slip', 'countyA', { id: issued.slipId as number });

  // A notification for each caller (POST /notifications/read names it).
  const notificationOf: Partial<Record<Role, number>> = {};
  for (const role of ROLES) {
    const n = await one<{ id: number }>(`INSERT INTO notifications (user_id, kind, title, body) VALUES ($1, 'system', '通知', '内容') RETURNING id`, [
      userIds[role],
    ]).catch(() => undefined);
    if (n) notificationOf[role] = n.id;
  }

  // ---------------------------------------------------------------- 组织机构管理 (orgs)
  // 'org': the org itself (its detail). 'subOrg': a school directly below the org — what a manager there may
  // change (strictly below its own org); 'groupMember': a 教育集团 below the org with one member school;
  // 'orgBatch': an org import batch of the org's manager.
  for (const k of [...ORG_KEYS, ...SCHOOL_KEYS]) put('org', k, { id: orgs[k].id });
  const makeSubOrg = async (k: OrgKey) =>
    (await insertOrg(db, { code: `MX-SUB-${k}-${++seq}`, name: `${k}下属学校${seq}`, level: 'school', kind: 'school', stage: 'primary', parentId: orgs[k].id }))
      .id;
  const makeGroupMember = async (k: OrgKey) => {
    const g = await insertOrg(db, { code: `MX-GRP-${k}-${++seq}`, name: `${k}教育集团${seq}`, level: 'county', kind: 'eduGroup', parentId: orgs[k].id });
    const school = await makeSubOrg(k);
    const m = await one<{ id: number }>(`INSERT INTO org_group_members (group_id, org_id, valid_from) VALUES ($1, $2, '2025-09-01') RETURNING id`, [
      g.id,
      school,
    ]);
    return { id: g.id, memberId: m.id };
  };
  for (const k of ['city', 'countyA', 'countyB'] as const) {
    put('subOrg', k, { id: await makeSubOrg(k) });
    put('groupMember', k, await makeGroupMember(k));
    put('orgBatch', k, { batchId: await batch('orgs', k) });
  }
  // ------------------------------------------------ 学时更正申请 (domainsec): a request addressed to each bureau, about
  // an entry of a teacher of its school, sent by someone else (the city admin stands in for the county below).
  const makeCorrection = async (k: OrgKey): Promise<Params | undefined> => {
    const school = SCHOOL_OF[k] ?? k;
    const teacher = teacherAt[school];
    if (!teacher || !['city', 'countyA', 'countyB'].includes(k)) return undefined;
    const e = await one<{ id: number }>(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key)
       VALUES ($1, 2, 'ethics', '2025-04-02', 'import', '待更正学时', $2) RETURNING id`,
      [teacher, `mx:corr:${k}:${++seq}`],
    );
    const r = await one<{ id: number }>(
      `INSERT INTO ledger_correction_requests (entry_id, teacher_id, owner_org_id, requested_by, requested_org_id, reason)
       VALUES ($1, $2, $3, $4, $5, '权限矩阵测试') RETURNING id`,
      [e.id, teacher, orgs[k].id, cityAdminId, orgs[school].id],
    );
    return { id: r.id };
  };
  for (const k of ['city', 'countyA', 'countyB'] as const) put('correctionRequest', k, (await makeCorrection(k)) as Params);
  // ------------------------------------------------ 人员变动 (moves): a retirement request, dated today, of a new teacher of
  // the org's school, filed by the caller (when it is the caller's own org) or the org's manager, to be approved
  // by the bureau directly above that school.
  const makeMove = async (k: OrgKey, filer?: number): Promise<Params> => {
    const school = orgs[SCHOOL_OF[k] ?? k];
    const teacher = await createTeacher(t.ctx, cityAdmin, buildTeacher(school.id, { name: `变动教师${++seq}` }));
    const m = await one<{ id: number }>(
      `INSERT INTO teacher_moves (teacher_id, kind, from_org_id, approver_org_ids, effective_date, reason, filed_by, filed_org_id)
       VALUES ($1, 'retire', $2, ARRAY[(SELECT parent_id FROM orgs WHERE id = $2)], $3, '权限矩阵测试', $4, $2) RETURNING id`,
      [teacher, school.id, today, filer ?? managerAt[k] ?? cityAdminId],
    );
    await db.query(`INSERT INTO teacher_move_steps (move_id, action, org_id, by_user) VALUES ($1, 'file', $2, $3)`, [m.id, school.id, filer ?? cityAdminId]);
    return { id: m.id };
  };
  for (const k of ORG_KEYS) put('move', k, await makeMove(k), SCHOOL_OF[k] ?? k);

  // ------------------------------------------------ 教师档案 (selfservice): each school's teacher has a change 报送 (with one
  // evidence file: 'recordChange', 'recordChangeFile') and an approved entry with evidence ('recordEntryFile', written
  // with plain SQL as an approval would write it).
  for (const [k, cookie] of Object.entries(teacherCookie)) {
    const make = async (fields: Record<string, string>) => {
      const c = await t.app.inject({
        method: 'POST',
        url: '/api/records/changes',
        headers: { cookie: cookie as string },
        payload: { kind: 'add', section: 'certificate', fields },
      });
      if (c.statusCode !== 201) throw new Error(`world: record change ${k}: ${c.statusCode} ${c.body}`);
      const id = c.json().id as number;
      const m = multipartFile('证书.pdf', PDF);
      const f = await t.app.inject({
        method: 'POST',
        url: `/api/records/changes/${id}/files`,
        payload: m.payload,
        headers: { ...m.headers, cookie: cookie as string },
      });
      if (f.statusCode !== 201) throw new Error(`world: record file ${k}: ${f.statusCode} ${f.body}`);
      const s = await t.app.inject({
        method: 'POST',
        url: `/api/records/changes/${id}/transitions`,
        headers: { cookie: cookie as string },
        payload: { action: 'submit' },
      });
      if (s.statusCode !== 200) throw new Error(`world: record submit ${k}: ${s.statusCode} ${s.body}`);
      return { id, fileId: f.json().id as number };
    };
    const pending = await make({ name: '心理健康教育C证', obtainedOn: '2022-05-01' });
    put('recordChange', k as OrgKey, { id: pending.id });
    put('recordChangeFile', k as OrgKey, pending);
    const approved = await make({ name: '计算机等级证书', obtainedOn: '2019-05-01' });
    const c = await one<{ entry_id: number; teacher_id: number; fields: unknown }>('SELECT entry_id, teacher_id, fields FROM record_changes WHERE id = $1', [
      approved.id,
    ]);
    const v = await one<{ id: number }>(
      `INSERT INTO record_entry_versions (entry_id, seq, fields, file_ids, change_id, approved_by) VALUES ($1, 1, $2, $3::bigint[], $4, $5) RETURNING id`,
      [c.entry_id, JSON.stringify(c.fields), [approved.fileId], approved.id, cityAdminId],
    );
    await db.query(`UPDATE record_changes SET status = 'approved', decided_at = now(), decided_by = $2, version_id = $3 WHERE id = $1`, [
      approved.id,
      cityAdminId,
      v.id,
    ]);
    put('recordEntryFile', k as OrgKey, { id: c.teacher_id, fileId: approved.fileId });
  }
  // 'recordEntry': an approved entry of the school's teacher (登记错误 deletes it: a new one for every call).
  const makeRecordEntry = async (k: OrgKey): Promise<Params | undefined> => {
    const teacher = teacherAt[SCHOOL_OF[k] ?? k];
    if (!teacher) return undefined;
    const fields = JSON.stringify({ name: '矩阵测试证书', obtainedOn: '2020-01-01', issuer: null, number: null });
    const e = await one<{ id: number }>(`INSERT INTO record_entries (teacher_id, section) VALUES ($1, 'certificate') RETURNING id`, [teacher]);
    const c = await one<{ id: number }>(
      `INSERT INTO record_changes (teacher_id, entry_id, section, kind, fields, status) VALUES ($1, $2, 'certificate', 'add', $3, 'approved') RETURNING id`,
      [teacher, e.id, fields],
    );
    await db.query('INSERT INTO record_entry_versions (entry_id, seq, fields, change_id, approved_by) VALUES ($1, 1, $2, $3, $4)', [
      e.id,
      fields,
      c.id,
      cityAdminId,
    ]);
    return { id: e.id };
  };
  for (const k of SCHOOL_KEYS) put('recordEntry', k, (await makeRecordEntry(k)) as Params);
  for (const [k, s] of Object.entries(SCHOOL_OF)) {
    for (const kind of ['recordChange', 'recordChangeFile', 'recordEntryFile', 'recordEntry'])
      put(kind, k as OrgKey, objects[kind][s as OrgKey] as Params, s as OrgKey);
  }

  // 通知公告 (todo): one announcement to everyone of each bureau's and school's subtree, published by its manager.
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    const a = await one<{ id: number }>(`INSERT INTO announcements (org_id, audience, title, body, published_by) VALUES ($1, 'all', $2, '', $3) RETURNING id`, [
      orgs[k].id,
      `矩阵测试公告${k}`,
      managerAt[k],
    ]);
    put('announcement', k, { id: a.id });
  }

  // 师德通报 and 警示教育 (notices): a notice to each bureau's subtree and to three schools (published by their
  // county), a meeting of each bureau.
  const noticeCounty: Partial<Record<OrgKey, OrgKey>> = {
    city: 'city',
    countyA: 'countyA',
    countyB: 'countyB',
    schoolA1: 'countyA',
    schoolA2: 'countyA',
    schoolB1: 'countyB',
  };
  const makeNotice = async (k: OrgKey) => {
    const n = await one<{ id: number }>(
      `INSERT INTO ethics_notices (publisher_org_id, target_org_id, title, body, published_on, published_by)
       VALUES ($1, $2, $3, '矩阵测试', CURRENT_DATE, $4) RETURNING id`,
      [orgs[noticeCounty[k] as OrgKey].id, orgs[k].id, `矩阵测试通报${k}`, cityAdminId],
    );
    await db.query(
      `INSERT INTO ethics_notice_schools (notice_id, school_org_id) SELECT $1, o.id FROM orgs o WHERE o.kind = 'school' AND o.path LIKE $2 || '%'`,
      [n.id, orgs[k].path],
    );
    return { id: n.id };
  };
  for (const k of Object.keys(noticeCounty) as OrgKey[]) put('ethicsNotice', k, await makeNotice(k));
  for (const k of ['city', 'countyA', 'countyB'] as const) {
    const m = await one<{ id: number }>(
      `INSERT INTO ethics_meetings (org_id, held_on, place, topic, recorded_by) VALUES ($1, CURRENT_DATE, '报告厅', '矩阵测试警示教育', $2) RETURNING id`,
      [orgs[k].id, cityAdminId],
    );
    put('ethicsMeeting', k, { id: m.id });
  }

  // ------------------------------------------------ 案件办理 (issue 12 item 2, ethics-cases): at each bureau a report
  // received ('caseReport', used up by 受理), a case it handles of the teacher of its school with one evidence file
  // ('ethicsCase', 'ethicsCaseFile'); at each school a case about its teacher told to the teacher ('myEthicsCase',
  // used up by 申诉), handled by the county above.
  const makeCaseReport = async (k: OrgKey): Promise<Params> => {
    const r = await one<{ id: number }>(
      `INSERT INTO ethics_reports (tracking_code, secret_hash, secret_expires_at, channel, handling_org_id, category, content_enc, anonymous, respond_by, conclude_by)
       VALUES ($1, 'x', now() + interval '90 days', 'web', $2, 'paidTutoring', $3, true, $4::date + 5, $4::date + 30) RETURNING id`,
      [`MX-R-${k}-${++seq}`, orgs[k].id, t.ctx.pii.encrypt('权限矩阵测试'), today],
    );
    return { id: r.id };
  };
  const makeCase = async (handling: OrgKey, teacher: number, notified: boolean): Promise<number> =>
    (
      await one<{ id: number }>(
        `INSERT INTO ethics_cases (teacher_id, handling_org_id, category, origin, opened_by, stage, outcome, notified_at, appeal_by)
         VALUES ($1, $2, 'paidTutoring', 'inspection', $3, $4, $5, $6, $7::date) RETURNING id`,
        [
          teacher,
          orgs[handling].id,
          cityAdminId,
          notified ? 'notified' : 'accepted',
          notified ? 'warning' : null,
          notified ? new Date() : null,
          notified ? today : null,
        ],
      )
    ).id;
  for (const k of ['city', 'countyA', 'countyB'] as const) {
    put('caseReport', k, await makeCaseReport(k));
    const id = await makeCase(k, teacherAt[SCHOOL_OF[k] as OrgKey] as number, false);
    const f = await saveUpload(t.ctx, PDF, {
      allowed: ['pdf'],
      owner: { userId: cityAdminId, orgId: orgs[k].id },
      purpose: 'ethicsEvidence',
      originalName: '笔录.pdf',
    });
    await db.query(
      `INSERT INTO ethics_case_events (case_id, action, from_stage, to_stage, by_user, data) VALUES ($1, 'evidence', 'accepted', 'accepted', $2, $3)`,
      [id, cityAdminId, JSON.stringify({ fileIds: [f.fileId] })],
    );
    put('ethicsCase', k, { id });
    put('ethicsCaseFile', k, { id, fileId: f.fileId });
  }
  const countyOf = (k: OrgKey): OrgKey => (k === 'schoolB1' ? 'countyB' : 'countyA');
  const makeMyCase = async (k: OrgKey): Promise<Params> => ({ id: await makeCase(countyOf(k), teacherAt[k] as number, true) });
  for (const k of ['schoolA1', 'schoolA2', 'schoolB1'] as const) put('myEthicsCase', k, await makeMyCase(k));
  // 师德举报 (intake): one named report handled by each bureau, with a PDF attachment.
  for (const k of ['city', 'countyA', 'countyB'] as const) {
    const r = await submitPublicReport(
      t.ctx,
      {
        handlingOrgId: orgs[k].id,
        schoolOrgId: null,
        subjectName: '某老师',
        category: 'care',
        content: '矩阵测试：课堂上多次辱骂学生。',
        occurredOn: null,
        anonymous: false,
        reporter: { name: '张三', phone: '13800001111', relation: '家长' },
      },
      [{ fileName: '照片.pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') }],
    );
    const f = await one<{ file_id: number }>('SELECT file_id::int AS file_id FROM ethics_report_files WHERE report_id = $1', [r.id]);
    put('ethicsReport', k, { id: r.id });
    put('ethicsReportFile', k, { id: r.id, fileId: f.file_id });
    // What its reporter keeps (the public tracking route's body).
    put('ethicsTracking', k, { code: r.trackingCode, secret: r.secret });
  }

  const uploader = (k: OrgKey, role: Role) => (HOMES[role].own === k ? userIds[role] : managerAt[k]);
  // ------------------------------------------------ 行业禁入 (integrity): a ban registered by hand by every org.
  for (const [i, k] of ORG_KEYS.entries()) {
    const nid = buildTeacher(orgs[k].id).nationalId;
    const b = await one<{ id: number }>(
      `INSERT INTO ethics_bans (national_id_idx, national_id_enc, name_enc, source, decided_on, valid_from, registered_by_org_id)
       VALUES ($1, $2, $3, $4, '2025-01-01', '2025-01-01', $5) RETURNING id`,
      [t.ctx.pii.blindIndex(`${nid}-mx${i}`), t.ctx.pii.encrypt(nid), t.ctx.pii.encrypt('禁入人员'), '权限矩阵测试决定', orgs[k].id],
    );
    put('ban', k, { id: b.id });
  }

  // ------------------------------------------------ 师徒结对 and 磨课 (issue 13 item 3, mentoring): at each school a pair (its
  // teacher the mentee, a new colleague the mentor) and a 重点培养对象; at every org a 磨课 round evaluated by that org
  // (of the teacher of the school it stands for), so an org corrects its own round.
  for (const k of SCHOOL_KEYS) {
    const mentor = await createTeacher(t.ctx, cityAdmin, buildTeacher(orgs[k].id, { name: `师傅${k}` }));
    const p = await one<{ id: number }>(
      `INSERT INTO mentor_pairs (mentor_teacher_id, mentee_teacher_id, school_org_id, subject, term_from) VALUES ($1, $2, $3, '语文', $4::date - 30) RETURNING id`,
      [mentor, teacherAt[k], orgs[k].id, today],
    );
    put('mentorPair', k, { id: p.id });
    const kc = await one<{ id: number }>(
      `INSERT INTO key_candidates (teacher_id, school_org_id, subject, term, flagged_on) VALUES ($1, $2, '语文', '2026-2027-1', $3) RETURNING id`,
      [teacherAt[k], orgs[k].id, today],
    );
    put('keyCandidate', k, { id: kc.id });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) {
    put('mentorPair', k as OrgKey, objects.mentorPair[s as OrgKey] as Params, s as OrgKey);
    put('keyCandidate', k as OrgKey, objects.keyCandidate[s as OrgKey] as Params, s as OrgKey);
  }
  for (const k of [...ORG_KEYS, ...SCHOOL_KEYS.filter((x) => !(ORG_KEYS as readonly string[]).includes(x))] as OrgKey[]) {
    const school = SCHOOL_OF[k] ?? k;
    const r = await one<{ id: number }>(
      `INSERT INTO polish_rounds (teacher_id, school_org_id, subject, lesson, held_on, purpose, evaluator_org_id, result)
       VALUES ($1, $2, '语文', '矩阵测试课', $3, 'newTeacher', $4, 'passed') RETURNING id`,
      [teacherAt[school], orgs[school].id, today, orgs[k].id],
    );
    put('polishRound', k, { id: r.id });
  }
  // ------------------------------------------------ 骨干教师 (key-teachers): a round opened by every org (nominating,
  // its own org given a quota), a nomination of the org's teacher in it, and a past designation of each school's teacher.
  for (const k of ORG_KEYS) {
    const r = await one<{ id: number }>(
      `INSERT INTO key_teacher_rounds (org_id, title, tier, categories, as_of, nominate_until) VALUES ($1, $2, 'county', '{keyTeacher}', '2025-12-31', '2099-12-31') RETURNING id`,
      [orgs[k].id, `${k}的骨干教师评选`],
    );
    await db.query('INSERT INTO key_teacher_round_quotas (round_id, org_id, quota) VALUES ($1, $2, 1)', [r.id, orgs[k].id]);
    put('keyRound', k, { id: r.id });
    const teacher = teacherAt[k] ?? (teacherAt[SCHOOL_OF[k] as OrgKey] as number);
    const n = await one<{ id: number }>(
      `INSERT INTO key_teacher_nominations (round_id, teacher_id, category, quota_org_id) VALUES ($1, $2, 'keyTeacher', $3) RETURNING id`,
      [r.id, teacher, orgs[k].id],
    );
    put('keyNomination', k, { id: n.id });
  }
  const designationAt: Partial<Record<OrgKey, number>> = {};
  for (const k of SCHOOL_KEYS) {
    const d = await one<{ id: number }>(
      `INSERT INTO teacher_designations (teacher_id, level, category, valid_from, valid_until) VALUES ($1, 'county', 'keyTeacher', '2020-01-01', '2022-12-31') RETURNING id`,
      [teacherAt[k]],
    );
    designationAt[k] = d.id;
    put('keyDesignation', k, { id: d.id });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) put('keyDesignation', k as OrgKey, { id: designationAt[s as OrgKey] as number }, s as OrgKey);
  // ------------------------------------------------ 工作室 (issue 13 item 1, studios): a named studio at each bureau
  // (hosted by the teacher of its directly run school) and at three schools (hosted by their teacher), with the host
  // as member, one withdrawn activity and one withdrawn output (so the routes that change them answer 409).
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    const school = (SCHOOL_OF[k] ?? k) as OrgKey;
    const host = teacherAt[school] as number;
    const level = k === 'city' ? 'city' : k.startsWith('school') ? 'school' : 'county';
    const st = await one<{ id: number }>(
      `INSERT INTO studios (name, kind, level, naming_org_id, base_org_id, host_teacher_id, status, named_on, term_from, term_until)
       VALUES ($1, 'masterTeacher', $2, $3, $4, $5, 'named', '2025-01-01', '2025-01-01', '2027-12-31') RETURNING id`,
      [`矩阵测试工作室${k}`, level, orgs[k].id, orgs[school].id, host],
    );
    await db.query(`INSERT INTO studio_members (studio_id, teacher_id, role, joined_on) VALUES ($1, $2, 'host', '2025-01-01')`, [st.id, host]);
    const a = await one<{ id: number }>(
      `INSERT INTO studio_activities (studio_id, kind, title, mode, held_on, withdrawn_at, withdrawn_reason)
       VALUES ($1, 'lecture', '矩阵测试讲座', 'online', '2025-03-01', now(), '矩阵测试') RETURNING id`,
      [st.id],
    );
    const o = await one<{ id: number }>(
      `INSERT INTO studio_outputs (studio_id, kind, title, produced_on, withdrawn_at, withdrawn_reason)
       VALUES ($1, 'lesson', '矩阵测试课例', '2025-03-01', now(), '矩阵测试') RETURNING id`,
      [st.id],
    );
    put('studio', k, { id: st.id });
    put('studioMember', k, { id: st.id, teacherId: host });
    put('studioActivity', k, { id: st.id, activityId: a.id });
    put('studioOutput', k, { id: st.id, outputId: o.id });
  }

  // ------------------------------------------------ 交流轮岗 (issue 14 item 2): a superseded record in each county (from its
  // directly run school to another of its schools), so ending or correcting it answers 409 and changes nothing.
  for (const [k, from, to] of [
    ['countyA', 'schoolA3', 'schoolA1'],
    ['countyB', 'schoolB3', 'schoolB1'],
  ] as const) {
    const r = await one<{ id: number }>(
      `INSERT INTO rotation_records (teacher_id, from_org_id, to_org_id, kind, start_date, superseded_at, supersede_reason)
       VALUES ($1, $2, $3, 'supportTeaching', '2025-03-01', now(), '矩阵测试') RETURNING id`,
      [teacherAt[from], orgs[from].id, orgs[to].id],
    );
    put('rotationRecord', k, { id: r.id });
  }
  // ------------------------------------------------ 表彰荣誉 (issue 14 item 4): an award type of every bureau and school with a
  // rejected nomination (deciding answers 409), and a revoked honour of each school's teacher (revoking again: 409).
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    const school = (SCHOOL_OF[k] ?? k) as OrgKey;
    const ty = await one<{ id: number }>(`INSERT INTO honour_types (org_id, name, level) VALUES ($1, '矩阵测试优秀教师', 'county') RETURNING id`, [orgs[k].id]);
    const n = await one<{ id: number }>(
      `INSERT INTO honour_nominations (type_id, year, teacher_id, nominated_by_org_id, status) VALUES ($1, 2025, $2, $3, 'rejected') RETURNING id`,
      [ty.id, teacherAt[school], orgs[k].id],
    );
    put('honourNomination', k, { id: n.id });
    put('honourType', k, { id: ty.id });
  }
  for (const k of SCHOOL_KEYS) {
    const h = await one<{ id: number }>(
      `INSERT INTO teacher_honours (teacher_id, title, level, awarded_on, awarding_org, recorded_by_org_id, voided_at, voided_reason)
       VALUES ($1, '矩阵测试荣誉', 'school', '2025-09-10', '矩阵测试学校', $2, now(), '矩阵测试') RETURNING id`,
      [teacherAt[k], orgs[k].id],
    );
    put('honour', k, { id: h.id });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF))
    if (objects.honour?.[s as OrgKey]) put('honour', k as OrgKey, objects.honour[s as OrgKey] as Params, s as OrgKey);

  // ------------------------------------------------ 基本功竞赛 (growth): a draft edition organised by every bureau and school
  // for its own subtree (a 发展中心's editions are held for the county it serves: the county's edition stands for them).
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    const c = await one<{ id: number }>(
      `INSERT INTO competitions (series, name, kind, organiser_org_id, region_org_id, year, created_by)
       VALUES ('矩阵测试大赛', $1, 'teachingSkills', $2, $2, 2026, $3) RETURNING id`,
      [`${k}教学基本功大赛`, orgs[k].id, managerAt[k] ?? null],
    );
    put('competition', k, { id: c.id });
  }

  // ------------------------------------------------ 课题 (growth): an applied county-level project led by each school's
  // teacher (the city's school: city level); a bureau, institution or centre stands for the school it serves.
  const researchAt: Partial<Record<OrgKey, number>> = {};
  for (const k of SCHOOL_KEYS) {
    const approving = k === 'schoolC' ? orgs.city.id : orgs[k].path.startsWith(orgs.countyA.path) ? orgs.countyA.id : orgs.countyB.id;
    const p = await one<{ id: number }>(
      `INSERT INTO research_projects (title, leader_teacher_id, school_org_id, level, approving_org_id, category, plan)
       VALUES ($1, $2, $3, $4, $5, 'general', '矩阵测试研究方案') RETURNING id`,
      [`${k}的课题`, teacherAt[k], orgs[k].id, k === 'schoolC' ? 'city' : 'county', approving],
    );
    await db.query(`INSERT INTO research_members (project_id, teacher_id, role, joined_on) VALUES ($1, $2, 'leader', CURRENT_DATE)`, [p.id, teacherAt[k]]);
    researchAt[k] = p.id;
    put('researchProject', k, { id: p.id });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) put('researchProject', k as OrgKey, { id: researchAt[s as OrgKey] as number }, s as OrgKey);

  // ------------------------------------------------ 学历提升 (growth): an active degree plan of each school's teacher.
  const planAt: Partial<Record<OrgKey, number>> = {};
  for (const k of SCHOOL_KEYS) {
    const p = await one<{ id: number }>(
      `INSERT INTO upgrade_plans (teacher_id, kind, target_education, expected_on) VALUES ($1, 'degree', 'bachelor', CURRENT_DATE + 365) RETURNING id`,
      [teacherAt[k]],
    );
    planAt[k] = p.id;
    put('upgradePlan', k, { id: p.id });
  }
  for (const [k, s] of Object.entries(SCHOOL_OF)) put('upgradePlan', k as OrgKey, { id: planAt[s as OrgKey] as number }, s as OrgKey);
  // ------------------------------------------------ 计划报备 (issue 14 item 5, plans): a plan document and a pending
  // filing of this year at every bureau and school.
  for (const k of ['city', 'countyA', 'countyB', 'schoolA1', 'schoolA2', 'schoolB1'] as const) {
    const f = await saveUpload(t.ctx, PDF, {
      allowed: ['pdf'],
      owner: { userId: cityAdminId, orgId: orgs[k].id },
      purpose: 'planDocument',
      originalName: '年度计划.pdf',
    });
    put('planFile', k, { id: f.fileId });
    const p = await one<{ id: number }>(
      `INSERT INTO plan_filings (org_id, year, version, plan_file_id, submitted_by) VALUES ($1, extract(year FROM now() AT TIME ZONE INTERVAL '+08:00')::int, 1, $2, $3) RETURNING id`,
      [orgs[k].id, f.fileId, managerAt[k] ?? cityAdminId],
    );
    put('planFiling', k, { id: p.id });
  }
  // ------------------------------------------------ 职称 (issue 14 item 3, titles): a review round opened by every org.
  for (const k of ORG_KEYS) {
    const r = await one<{ id: number }>(
      `INSERT INTO title_rounds (org_id, year, name, base_date, deadline, targets) VALUES ($1, 2026, $2, '2026-09-01', '2099-12-31', '{senior}') RETURNING id`,
      [orgs[k].id, `${k}的职称评审`],
    );
    put('titleRound', k, { id: r.id });
  }

  const makers: Record<string, (k: OrgKey, role: Role) => Promise<Params | undefined>> = {
    correctionRequest: async (k) => makeCorrection(k),
    move: async (k, role) => makeMove(k, HOMES[role].own === k ? userIds[role] : undefined),
    expert: async (k) => (expertAt[k] ? { id: await makeExpert(k) } : undefined),
    project: async (k) => ({ id: (await makeProject(k)).id }),
    teacherBatch: async (k, role) => (managerAt[k] ? { batchId: await batch('teachers', k, uploader(k, role)) } : undefined),
    indicatorBatch: async (k, role) => (managerAt[k] ? { kind: 'targets', batchId: await batch('indicators.targets', k, uploader(k, role)) } : undefined),
    // orgs
    subOrg: async (k) => (objects.subOrg?.[k] ? { id: await makeSubOrg(k) } : undefined),
    groupMember: async (k) => (objects.groupMember?.[k] ? makeGroupMember(k) : undefined),
    orgBatch: async (k, role) => (objects.orgBatch?.[k] ? { batchId: await batch('orgs', k, uploader(k, role)) } : undefined),
    // 教师档案 (selfservice)
    recordEntry: async (k) => makeRecordEntry(k),
    // 师德通报 (notices): withdrawal uses a notice up
    ethicsNotice: async (k) => (noticeCounty[k] ? makeNotice(k) : undefined),
    // 案件办理 (ethics-cases)
    caseReport: async (k) => makeCaseReport(k),
    myEthicsCase: async (k) => makeMyCase(k),
  };

  // ------------------------------------------------ 年度考核 (issue 14 item 1, appraisals): an open 2001 round at every school
  // (its teacher as the one entry, ungraded), an open 2002 round at every bureau (no entries), a 2001 result of each
  // school's teacher. Institutions and centres stand for the school they serve.
  const roundAt: Partial<Record<OrgKey, number>> = {};
  for (const k of [...SCHOOL_KEYS, 'city', 'countyA', 'countyB'] as OrgKey[]) {
    const school = (SCHOOL_KEYS as readonly string[]).includes(k);
    const r = await one<{ id: number }>(
      `INSERT INTO appraisal_rounds (org_id, year, title, excellent_share, self_report_until, grade_until) VALUES ($1, $2, $3, 0.2, '2099-12-31', '2099-12-31') RETURNING id`,
      [orgs[k].id, school ? 2001 : 2002, `${k}年度考核`],
    );
    roundAt[k] = r.id;
    if (school) {
      const e = await one<{ id: number }>('INSERT INTO appraisal_entries (round_id, teacher_id, school_org_id) VALUES ($1, $2, $3) RETURNING id', [
        r.id,
        teacherAt[k],
        orgs[k].id,
      ]);
      put('appraisalEntry', k, { id: e.id });
      const res = await one<{ id: number }>(
        `INSERT INTO appraisal_results (teacher_id, org_id, year, grade, source) VALUES ($1, $2, 2000, 'qualified', 'import') RETURNING id`,
        [teacherAt[k], orgs[k].id],
      );
      put('appraisalResult', k, { id: res.id });
    }
  }
  for (const k of ORG_KEYS)
    put('appraisalRound', k, { id: (roundAt[k] ?? roundAt[SCHOOL_OF[k] as OrgKey]) as number }, roundAt[k] ? k : (SCHOOL_OF[k] as OrgKey));
  for (const [k, s] of Object.entries(SCHOOL_OF)) {
    put('appraisalEntry', k as OrgKey, objects.appraisalEntry[s as OrgKey] as Params, s as OrgKey);
    put('appraisalResult', k as OrgKey, objects.appraisalResult[s as OrgKey] as Params, s as OrgKey);
  }

  const usernames = {} as Record<Role, string>;
  const roleIds = {} as Record<Role, number>;
  for (const role of ROLES) {
    const r = await one<{ username: string; role_id: number }>(
      'SELECT u.username, a.role_id FROM users u JOIN active_user_roles a ON a.user_id = u.id WHERE u.id = $1',
      [userIds[role]],
    );
    usernames[role] = r.username;
    roleIds[role] = r.role_id;
  }

  return {
    t,
    orgs,
    cookies,
    userIds,
    where,
    usernames,
    roleIds,
    throwaway: async (role) => sessionFor(userIds[role]),
    objects,
    async make(kind, k, role) {
      const m = makers[kind];
      return m ? m(k, role) : objects[kind]?.[k];
    },
    ids: { teacherAt, expertAt, notificationOf },
  };
}
