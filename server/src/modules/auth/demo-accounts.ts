/** The demo accounts the seed creates and the login page lists in demo mode. */
export const DEMO_PASSWORD = 'Demo@2025';

export const DEMO_ACCOUNTS = [
  { username: 'city.admin', password: DEMO_PASSWORD, label: '市教育局管理员（兼系统管理员）' },
  { username: 'county.admin', password: DEMO_PASSWORD, label: '区县教育局管理员（兼系统管理员）' },
  { username: 'school.admin', password: DEMO_PASSWORD, label: '学校管理员（兼系统管理员、信息管理员、教师）' },
  { username: 'teacher', password: DEMO_PASSWORD, label: '教师' },
  { username: 'institution', password: DEMO_PASSWORD, label: '培训机构' },
  { username: 'expert', password: DEMO_PASSWORD, label: '评审专家' },
  { username: 'security.admin', password: DEMO_PASSWORD, label: '安全管理员' },
  { username: 'auditor', password: DEMO_PASSWORD, label: '审计管理员' },
  { username: 'ethics.officer', password: DEMO_PASSWORD, label: '师德专干（区县）' },
  { username: 'research.office', password: DEMO_PASSWORD, label: '教研员（区县教研室）' },
] as const;
