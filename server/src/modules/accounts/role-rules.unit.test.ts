import { describe, expect, it } from 'vitest';
import { BUREAU_ONLY_ROLES, ROLES, SEPARATED_ROLES } from '../../platform/access.js';
import { type AccountFacts, endProblem, GRANTABLE_ROLES, grantProblem, manageProblem, type Manager, ROLE_ORG_KINDS } from './role-rules.js';

// The county 甲区 (/1/2/) manages; its school 一小 (/1/2/5/), the sibling county 乙县 (/1/3/), the city (/1/).
const county: Manager = { userId: 100, orgPath: '/1/2/' };
const org = (id: number, path: string, kind: string, name: string) => ({ id, path, kind, name });
const CITY = org(1, '/1/', 'bureau', '测试市教育局');
const COUNTY = org(2, '/1/2/', 'bureau', '甲区教育局');
const SIBLING = org(3, '/1/3/', 'bureau', '乙县教育局');
const SCHOOL = org(5, '/1/2/5/', 'school', '甲区第一小学');
const CENTRE = org(6, '/1/2/6/', 'devCenter', '甲区教师发展中心');
const INST = org(7, '/1/2/7/', 'institution', '甲区培训中心');
const person = (roles: AccountFacts['roles'] = [], teacher: AccountFacts['teacher'] = null): AccountFacts => ({ userId: 200, teacher, roles });
const held = (role: AccountFacts['roles'][number]['role'], o: ReturnType<typeof org>) => ({ role, orgId: o.id, orgPath: o.path, orgName: o.name });

describe('role ↔ org kind table', () => {
  it('keeps bureau-only roles at bureaus and lists every role', () => {
    expect(Object.keys(ROLE_ORG_KINDS).sort()).toEqual([...ROLES].sort());
    for (const r of BUREAU_ONLY_ROLES) expect(ROLE_ORG_KINDS[r]).toEqual(['bureau']);
    expect(GRANTABLE_ROLES).not.toContain('teacher');
    expect(GRANTABLE_ROLES).not.toContain('expert');
  });
});

describe('grantProblem', () => {
  it('allows a fitting role at an org of the subtree', () => {
    expect(grantProblem(county, person(), 'infoAdmin', SCHOOL)).toBeNull();
    expect(grantProblem(county, person(), 'schoolAdmin', SCHOOL)).toBeNull();
    expect(grantProblem(county, person(), 'bureauAdmin', COUNTY)).toBeNull();
    expect(grantProblem(county, person(), 'securityAdmin', COUNTY)).toBeNull();
    expect(grantProblem(county, person(), 'devCenter', CENTRE)).toBeNull();
    expect(grantProblem(county, person(), 'institution', INST)).toBeNull();
    expect(grantProblem(county, person(), 'sysAdmin', SCHOOL)).toBeNull();
  });

  it.each([
    ['outside the subtree (sibling)', 'infoAdmin', SIBLING, 'FORBIDDEN', '只能在本单位及下级单位授予角色'],
    ['outside the subtree (parent)', 'bureauAdmin', CITY, 'FORBIDDEN', '只能在本单位及下级单位授予角色'],
    ['bureau-only role at a school', 'securityAdmin', SCHOOL, 'VALIDATION', '「安全管理员」只能设在教育局，「甲区第一小学」是学校'],
    ['auditor at a school', 'auditor', SCHOOL, 'VALIDATION', '「审计管理员」只能设在教育局'],
    ['school role at a bureau', 'infoAdmin', COUNTY, 'VALIDATION', '「信息管理员」只能设在学校，「甲区教育局」是教育局'],
    ['institution role at a school', 'institution', SCHOOL, 'VALIDATION', '「培训机构」只能设在培训机构'],
    ['devCenter role at a bureau', 'devCenter', COUNTY, 'VALIDATION', '「教师发展中心」只能设在教师发展中心或教研室'],
    ['sysAdmin of the own org', 'sysAdmin', COUNTY, 'FORBIDDEN', '本单位的系统管理员须由上级单位的系统管理员任命'],
    ['expert', 'expert', COUNTY, 'VALIDATION', '评审专家账号请在「专家库」中开通'],
  ] as const)('refuses %s', (_why, role, o, code, text) => {
    const p = grantProblem(county, person(), role, o);
    expect(p?.code).toBe(code);
    expect(p?.message).toContain(text);
  });

  it('refuses a role to oneself', () => {
    expect(grantProblem(county, { ...person(), userId: county.userId }, 'infoAdmin', SCHOOL)?.message).toBe(
      '系统管理员不能给自己授予角色，请由其他系统管理员办理',
    );
  });

  it('三权分立: no person holds two of 系统管理员, 安全管理员, 审计管理员', () => {
    expect(SEPARATED_ROLES).toEqual(['sysAdmin', 'securityAdmin', 'auditor']);
    const sec = person([held('securityAdmin', COUNTY)]);
    const p = grantProblem(county, sec, 'sysAdmin', SCHOOL);
    expect(p?.code).toBe('CONFLICT');
    expect(p?.message).toContain('三权分立：该人员已担任「安全管理员」，不能同时担任「系统管理员」');
    expect(grantProblem(county, person([held('sysAdmin', SCHOOL)]), 'auditor', COUNTY)?.message).toContain('三权分立');
    // The same separated role at a second org is not a second power; an unrelated role is fine.
    expect(grantProblem(county, person([held('sysAdmin', SCHOOL)]), 'sysAdmin', org(8, '/1/2/8/', 'school', '二小'))).toBeNull();
    expect(grantProblem(county, sec, 'bureauAdmin', COUNTY)).toBeNull();
  });

  it('refuses a role the person already holds at that org', () => {
    expect(grantProblem(county, person([held('infoAdmin', SCHOOL)]), 'infoAdmin', SCHOOL)?.message).toBe('该账号已在「甲区第一小学」担任「信息管理员」');
  });

  it('teacher role only with a teacher record in post', () => {
    expect(grantProblem(county, person(), 'teacher', null)?.message).toBe('只有登记了教师档案的人员才能担任「教师」角色');
    expect(grantProblem(county, person([], { status: 'retired', orgPath: SCHOOL.path }), 'teacher', null)?.code).toBe('CONFLICT');
    expect(grantProblem(county, person([], { status: 'active', orgPath: SCHOOL.path }), 'teacher', null)).toBeNull();
    expect(grantProblem(county, person([held('teacher', SCHOOL)], { status: 'active', orgPath: SCHOOL.path }), 'teacher', null)?.message).toBe(
      '该账号已有「教师」角色',
    );
  });
});

describe('manageProblem', () => {
  it('allows an account whose roles are all in the subtree', () => {
    expect(manageProblem(county, person([held('teacher', SCHOOL), held('infoAdmin', SCHOOL)]))).toBeNull();
    expect(manageProblem(county, person())).toBeNull();
  });
  it('refuses one’s own account, an account acting outside the subtree, and a 系统管理员 of the own org', () => {
    expect(manageProblem(county, { ...person(), userId: county.userId })?.message).toContain('不能在账号管理中变更本人账号');
    expect(manageProblem(county, person([held('teacher', SCHOOL), held('bureauAdmin', CITY)]))?.message).toBe(
      '该账号还在「测试市教育局」担任「教育局管理员」，超出您的管理范围，请联系上级单位的系统管理员',
    );
    expect(manageProblem(county, person([held('sysAdmin', COUNTY)]))?.message).toBe('该账号是本单位的系统管理员，只能由上级单位的系统管理员管理');
    expect(manageProblem(county, person([held('sysAdmin', SCHOOL)]))).toBeNull();
  });
});

describe('endProblem', () => {
  const h = (role: AccountFacts['roles'][number]['role'], o: ReturnType<typeof org>, userId = 200) => ({ ...held(role, o), userId });
  it('allows ending a role of the subtree', () => {
    expect(endProblem(county, h('infoAdmin', SCHOOL))).toBeNull();
    expect(endProblem(county, h('sysAdmin', SCHOOL))).toBeNull();
  });
  it('refuses own roles, the teacher and expert roles, roles outside and the own org’s 系统管理员', () => {
    expect(endProblem(county, h('infoAdmin', SCHOOL, county.userId))?.message).toBe('不能结束本人的角色，请由其他系统管理员办理');
    expect(endProblem(county, h('teacher', SCHOOL))?.message).toContain('随教师档案的在职状态变化');
    expect(endProblem(county, h('expert', COUNTY))?.message).toContain('专家库');
    expect(endProblem(county, h('bureauAdmin', CITY))?.message).toBe('只能结束本单位及下级单位的角色');
    expect(endProblem(county, h('sysAdmin', COUNTY))?.message).toBe('本单位的系统管理员只能由上级单位的系统管理员免去');
  });
});
