import type { Permission } from './access.js';

/** The Chinese name of each permission, for docs/permissions.md and any screen that lists permissions. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  'teachers.read': '查看教师信息',
  'teachers.write': '编辑教师信息',
  'teachers.unmask': '查看完整身份证号和手机号',
  'teachers.import': '导入教师信息',
  'teachers.export': '导出教师名单',
  'projects.manage': '管理培训项目',
  'hours.readOthers': '查看他人学时与合规情况',
  'hours.correct': '冲销学时记录',
  'orgs.read': '查看组织机构',
  'evaluations.read': '查看绩效评估',
  'experts.manage': '管理专家库',
  'evaluations.supervise': '督导检查与机构资质',
  'hours.review': '审核学时申报',
  'hours.import': '导入平台学时',
  'experts.review': '专家评审（本人被指派的项目）',
  'accounts.read': '查看账号',
  'accounts.manage': '管理账号',
  'orgs.manage': '管理组织机构',
  'security.manage': '安全设置与账号解锁',
  'audit.read': '查看和导出审计日志',
  'records.read': '查看教师档案与变更',
  'records.review': '审核教师档案变更',
  'ethics.handle': '受理师德举报、办理案件、登记处理与禁入',
  'ethics.entryCheck': '准入查询（行业禁入）',
  'ethics.integrity': '查看教师诚信档案',
  'ethics.notices': '查阅师德通报并确认',
  // 师徒结对与磨课 (issue 13 item 3)
  'mentoring.manage': '师徒结对、磨课认定与重点培养对象',
  'mentoring.polish': '记录磨课评估',
  // 骨干教师 (issue 13 item 2)
  'keyTeachers.manage': '骨干教师评选、认定与任期管理',
  'keyTeachers.nominate': '推荐骨干教师人选',
  // 工作室 (issue 13 item 1)
  'studios.manage': '申报、命名、管理与考核工作室',
  // 教师发展 (growth)
  'competitions.manage': '主办基本功竞赛（轮次、评委、评分、公布结果）',
  'research.review': '课题立项审批与开题、中期、结题检查',
  // 编制与结构 (issue 14 item 9)
  'staffing.read': '查看编制与结构',
  'staffing.manage': '填报在校生数与乡村教师支持（编制数由教育局填报）',
  // 计划报备与年度考核 (issue 14 item 5)
  'plans.file': '报送本单位年度计划与培训年度计划',
  'plans.review': '审核下级单位年度计划、年度考核评分',
  // 职称 (issue 14 item 3)
  'titles.review': '查看教师职称申报条件、出具学时证明、推荐申报人',
  'titles.manage': '开展职称评审年度、导出申报名单',
  // 年度考核 (issue 14 item 1)
  'appraisals.manage': '开展年度考核、评定等次、公示与确认结果',
  // 交流轮岗与表彰荣誉 (issue 14)
  'rotations.manage': '交流轮岗计划、登记与统计',
  'honours.manage': '表彰推荐、授予与撤销，尊师月活动与荣退',
  // 经费 (issue 14 items 6, 8)
  'funds.manage': '培训经费预算、支出（专款专用）、冲销与导出；班主任津贴登记与检查',
};
