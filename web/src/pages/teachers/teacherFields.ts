import dayjs from 'dayjs';
import type { OrgNode } from '../../api/types';
import { flattenOrgs } from '../../components/orgs';
import { EDUCATION, EMPLOYMENT, GENDERS, KEY_CATEGORIES, KEY_LEVELS, label, MANDARIN_LEVELS, STAGES, TEACHER_ROLES, TEACHER_STATUS, TITLES } from '../../vocab';
import { chinaToday } from '../../china-time';

/** Chinese names of teacher fields; the history uses column names, the API camelCase, so both are listed. */
export const FIELD_LABELS: Record<string, string> = {
  effective_from: '生效日期',
  reason: '更正原因',
  name: '姓名',
  nationalId: '身份证号',
  national_id_mask: '身份证号',
  phone: '手机号',
  phone_mask: '手机号',
  orgId: '学校',
  org_id: '学校',
  gender: '性别',
  birthDate: '出生日期',
  birth_date: '出生日期',
  employment: '编制',
  stage: '学段',
  subjects: '任教学科',
  hireDate: '参加工作日期',
  hire_date: '参加工作日期',
  education: '最高学历',
  secondDegree: '第二学历',
  second_degree: '第二学历',
  title: '职称',
  titleDate: '职称取得日期',
  title_date: '职称取得日期',
  qualificationType: '教师资格种类',
  qualification_type: '教师资格种类',
  qualificationStage: '资格学段',
  qualification_stage: '资格学段',
  qualificationSubject: '资格任教学科',
  qualification_subject: '资格任教学科',
  qualificationNo: '资格证书编号',
  qualification_no: '资格证书编号',
  qualificationExpiry: '定期注册有效期至',
  qualification_expiry: '定期注册有效期至',
  mandarinLevel: '普通话等级',
  mandarin_level: '普通话等级',
  certificates: '其他证书',
  roles: '岗位角色',
  keyLevel: '骨干级别',
  key_level: '骨干级别',
  keyCategory: '骨干类别',
  key_category: '骨干类别',
  keyTermEnd: '骨干任期至',
  key_term_end: '骨干任期至',
  partyMember: '中共党员',
  party_member: '中共党员',
  status: '状态',
  version: '版本',
};

const VOCAB_OF: Record<string, Readonly<Record<string, string>>> = {
  gender: GENDERS,
  employment: EMPLOYMENT,
  stage: STAGES,
  qualificationStage: STAGES,
  qualification_stage: STAGES,
  education: EDUCATION,
  title: TITLES,
  mandarinLevel: MANDARIN_LEVELS,
  mandarin_level: MANDARIN_LEVELS,
  keyLevel: KEY_LEVELS,
  key_level: KEY_LEVELS,
  keyCategory: KEY_CATEGORIES,
  key_category: KEY_CATEGORIES,
  status: TEACHER_STATUS,
};

export const HISTORY_SOURCES: Record<string, string> = { manual: '手工录入', import: '批量导入', create: '新建', api: '接口', system: '系统' };

/** A history value as a user reads it: vocab labels, org names, 是/否, role lists. */
export function displayValue(field: string, v: unknown, tree: OrgNode[]): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (field === 'org_id' || field === 'orgId') return flattenOrgs(tree).find((o) => o.id === v)?.name ?? `单位 #${String(v)}`;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (field === 'roles' && Array.isArray(v))
    return v.length
      ? v.map((r: { role?: string; since?: string | null }) => `${label(TEACHER_ROLES, r.role)}${r.since ? `（${r.since}起）` : ''}`).join('、')
      : '（无）';
  if (Array.isArray(v)) return v.length ? v.join('、') : '（无）';
  const dict = VOCAB_OF[field];
  if (dict && typeof v === 'string') return label(dict, v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Whole years since a 'YYYY-MM-DD' date (教龄 / 班主任年限). */
export function yearsSince(date: string | null | undefined): number | null {
  if (!date) return null;
  const d = dayjs(date.slice(0, 10));
  if (!d.isValid()) return null;
  return Math.max(0, chinaToday().diff(d, 'year'));
}
