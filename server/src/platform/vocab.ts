/**
 * The controlled vocabularies of the domain: code value (English, GLOSSARY.md) → Chinese label.
 * Shared by the server (validation, Excel import/export) and the web UI (selects, tags).
 */
export const STAGES = {
  kindergarten: '幼儿园',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  vocational: '中职',
  special: '特殊教育',
} as const;

export const SUBJECTS = [
  '语文',
  '数学',
  '英语',
  '物理',
  '化学',
  '生物',
  '历史',
  '地理',
  '道德与法治',
  '思想政治',
  '音乐',
  '体育',
  '美术',
  '信息技术',
  '科学',
  '劳动',
  '心理健康',
  '综合实践',
  '学前教育',
  '专业课',
] as const;

export const TITLES = { none: '未定级', third: '三级教师', second: '二级教师', first: '一级教师', senior: '高级教师', fullSenior: '正高级教师' } as const;

export const EDUCATION = { secondary: '中专/高中', associate: '专科', bachelor: '本科', master: '研究生(硕士)', doctor: '研究生(博士)' } as const;

export const EMPLOYMENT = { staff: '在编', contract: '非在编' } as const;

export const GENDERS = { male: '男', female: '女' } as const;

export const MANDARIN_LEVELS = { '1A': '一级甲等', '1B': '一级乙等', '2A': '二级甲等', '2B': '二级乙等', '3A': '三级甲等', '3B': '三级乙等' } as const;

export const TEACHER_ROLES = {
  homeroom: '班主任',
  psychFullTime: '专职心理健康教师',
  psychPartTime: '兼职心理健康教师',
  ideology: '思政课教师',
  vocationalSubject: '专业课教师',
  dualQualified: '双师型教师',
  newTeacher: '新入职教师',
  mentor: '指导教师(师傅)',
} as const;

export const KEY_LEVELS = { school: '校级', county: '县级', city: '市级', province: '省级', national: '国家级' } as const;
export const KEY_CATEGORIES = { keyTeacher: '骨干教师', subjectLeader: '学科带头人', masterTeacher: '名师' } as const;

export const TEACHER_STATUS = { active: '在职', retired: '退休', transferred: '调出', resigned: '离职', deceased: '死亡', banned: '禁入' } as const;

/** Training categories (SPEC §2.3): tags on sessions, modules and ledger entries. */
export const CATEGORIES = {
  ethics: '师德师风',
  homeroom: '班主任',
  it: '信息技术',
  schoolBased: '校本研修',
  psych: '心理健康',
  ideology: '思政',
  subject: '学科教学',
  induction: '岗前培训',
  general: '综合素养',
} as const;

export const PROJECT_LEVELS = { national: '国培', province: '省培(区培)', city: '市级', county: '县级', school: '校本' } as const;

export const PROJECT_FORMS = {
  inPerson: '集中培训',
  online: '网络研修',
  blended: '线上线下混合',
  outreach: '送教下乡',
  shadowing: '跟岗学习',
  shadowTeacher: '影子教师',
  onlineClassroom: '名校网络课堂',
  induction: '岗前培训',
  schoolBased: '校本研修',
} as const;

export const ORG_LEVELS = { national: '国家', province: '省(自治区)', city: '市', county: '旗县区', school: '学校' } as const;
export const ORG_KINDS = {
  bureau: '教育局',
  school: '学校',
  devCenter: '教师发展中心',
  researchOffice: '教研室',
  institution: '培训机构',
  district: '学区',
  eduGroup: '教育集团',
} as const;

export const LEDGER_SOURCES = { project: '培训项目', claim: '个人申报', import: '平台导入', correction: '更正', schoolBased: '校本研修' } as const;

export type Stage = keyof typeof STAGES;
export type Category = keyof typeof CATEGORIES;
export type TeacherRole = keyof typeof TEACHER_ROLES;

export const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** Reverse lookup for imports: accepts the code or the Chinese label. */
export function codeFromLabel<T extends Record<string, string>>(o: T, input: string): (keyof T & string) | undefined {
  const v = input.trim();
  if (v in o) return v as keyof T & string;
  return (Object.keys(o) as (keyof T & string)[]).find((k) => o[k] === v);
}

/** 专家库 (expert pool): levels, status and the criteria an expert scores a project on (0–100 each). */
export const EXPERT_LEVELS = { national: '国家级', province: '省级', city: '市级', county: '县级' } as const;
export const EXPERT_STATUS = { active: '在库', inactive: '停用' } as const;
export const EXPERT_CRITERIA = { design: '方案设计', faculty: '师资水平', delivery: '实施过程', effect: '培训效果' } as const;

/** 资质准入: a training institution's qualification status, set by bureau admins with a reason. */
export const QUALIFICATION_STATUS = { admitted: '准入', warning: '警告', suspended: '暂停' } as const;

/** The anonymous participant survey (匿名评估). */
export const SURVEY_STATUS = { open: '收集中', closed: '已结束' } as const;

/** Other platforms whose hour records are imported into the ledger (平台导入); the code is part of the dedupe key. */
export const HOUR_PLATFORMS = {
  smartEdu: '国家中小学智慧教育平台',
  provincial: '省级教师培训管理平台',
  other: '其他平台',
} as const;

// ---------------------------------------------------------------- orgs (组织机构管理)
/** 学校类型 (orgs.stage of a school). */
export const SCHOOL_TYPES = {
  kindergarten: '幼儿园',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  complete: '完全中学',
  nineYear: '九年一贯制',
  twelveYear: '十二年一贯制',
  vocational: '中职',
  special: '特教',
} as const;
/** 办学性质. */
export const OWNERSHIPS = { public: '公办', private: '民办' } as const;
/** 城乡类型. */
export const LOCALES = { urban: '城区', town: '镇区', rural: '乡村' } as const;
