import type { AppContext } from '../server/src/platform/context.js';
import { hashPassword } from '../server/src/platform/auth.js';
import type { CurrentUser } from '../server/src/platform/access.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { insertUser } from '../server/src/modules/users/users.repository.js';
import { createTeacher } from '../server/src/modules/teachers/teachers.service.js';
import type { TeacherInput } from '../server/src/modules/teachers/teachers.schema.js';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { setSettingsAsSystem } from '../server/src/modules/security/security.service.js';

export const PASSWORD = DEMO_PASSWORD;

let seq = 0;
/** A valid teacher input; every call gets a new 身份证号. */
export function buildTeacher(orgId: number, overrides: Partial<TeacherInput> = {}): TeacherInput {
  seq++;
  const gender = seq % 2 ? 'male' : 'female';
  return {
    name: `测试教师${seq}`,
    nationalId: makeNationalId('150102', `19${80 + (seq % 15)}-0${1 + (seq % 9)}-1${seq % 10}`, seq, gender),
    phone: `139${String(10000000 + seq).slice(-8)}`,
    orgId,
    employment: 'staff',
    stage: 'primary',
    subjects: ['语文'],
    certificates: [],
    roles: [],
    partyMember: false,
    status: 'active',
    ...overrides,
  };
}

export interface World {
  city: number;
  county1: number;
  county2: number;
  school1: number;
  school2: number;
  school3: number;
  institution: number;
  teacherId: number;
  /** Logged-in users as CurrentUser objects, for calling services directly. */
  cityAdmin: CurrentUser;
}

/**
 * A small org tree: 测试市 → 甲区 (school1 primary, school2 junior) and 乙县 (school3 senior), plus an
 * institution under the city; the five demo usernames with the demo password; one teacher in school1.
 */
export async function seedWorld(ctx: AppContext): Promise<World> {
  const q = ctx.db;
  const city = await insertOrg(q, { code: 'T-CITY', name: '测试市教育局', level: 'city', kind: 'bureau', parentId: null });
  const c1 = await insertOrg(q, { code: 'T-C1', name: '甲区教育局', level: 'county', kind: 'bureau', parentId: city.id });
  const c2 = await insertOrg(q, { code: 'T-C2', name: '乙县教育局', level: 'county', kind: 'bureau', parentId: city.id });
  const s1 = await insertOrg(q, { code: 'T-S1', name: '甲区第一小学', level: 'school', kind: 'school', stage: 'primary', parentId: c1.id });
  const s2 = await insertOrg(q, { code: 'T-S2', name: '甲区第二中学', level: 'school', kind: 'school', stage: 'junior', parentId: c1.id });
  const s3 = await insertOrg(q, { code: 'T-S3', name: '乙县第一中学', level: 'school', kind: 'school', stage: 'senior', parentId: c2.id });
  const inst = await insertOrg(q, { code: 'T-INST', name: '测试市教师培训学院', level: 'city', kind: 'institution', parentId: city.id });
  const hash = await hashPassword(PASSWORD);
  const cityAdminId = await insertUser(q, { username: 'city.admin', passwordHash: hash, displayName: '市局管理员', role: 'bureauAdmin', orgId: city.id });
  const cityAdmin: CurrentUser = {
    id: cityAdminId,
    username: 'city.admin',
    displayName: '市局管理员',
    role: 'bureauAdmin',
    orgId: city.id,
    orgPath: city.path,
    orgName: '测试市教育局',
    orgLevel: 'city',
    teacherId: null,
    scopePath: city.path,
    mustChangePassword: false,
    roleId: (await q.query<{ id: number }>('SELECT id FROM user_roles WHERE user_id = $1', [cityAdminId])).rows[0].id,
  };
  const teacherId = await createTeacher(ctx, cityAdmin, buildTeacher(s1.id, { name: '张老师', roles: [{ role: 'homeroom', since: '2020-09-01' }] }));
  await insertUser(q, { username: 'county.admin', passwordHash: hash, displayName: '甲区管理员', role: 'bureauAdmin', orgId: c1.id });
  await insertUser(q, { username: 'school.admin', passwordHash: hash, displayName: '一小管理员', role: 'schoolAdmin', orgId: s1.id });
  await insertUser(q, { username: 'teacher', passwordHash: hash, displayName: '张老师', role: 'teacher', orgId: s1.id, teacherId });
  await insertUser(q, { username: 'institution', passwordHash: hash, displayName: '培训学院', role: 'institution', orgId: inst.id });
  // Like the demo, the test world does not require admins to bind a TOTP authenticator; the security tests turn it on.
  await setSettingsAsSystem(ctx, { totpRequired: false }, '测试数据：不要求管理员使用动态口令');
  return { city: city.id, county1: c1.id, county2: c2.id, school1: s1.id, school2: s2.id, school3: s3.id, institution: inst.id, teacherId, cityAdmin };
}
