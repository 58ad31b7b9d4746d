import type { ReactNode } from 'react';
import {
  AccountBookOutlined,
  ExperimentOutlined,
  ReadOutlined,
  IdcardOutlined,
  LockOutlined,
  FileSearchOutlined,
  AuditOutlined,
  BellOutlined,
  CloudUploadOutlined,
  FileAddOutlined,
  FileProtectOutlined,
  FundProjectionScreenOutlined,
  SafetyCertificateOutlined,
  UnorderedListOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  BookOutlined,
  ClockCircleOutlined,
  FormOutlined,
  HomeOutlined,
  ProjectOutlined,
  SolutionOutlined,
  TeamOutlined,
  TrophyOutlined,
  SwapOutlined,
  NotificationOutlined,
  DashboardOutlined,
  AlertOutlined,
  SafetyOutlined,
  FileTextOutlined,
} from '@ant-design/icons';
import type { Role } from '../api/types';

export interface MenuEntry {
  key: string;
  label: string;
  icon: ReactNode;
}

const HOME: MenuEntry = { key: '/', label: '首页', icon: <HomeOutlined /> };
const ORGS: MenuEntry = { key: '/orgs', label: '组织机构', icon: <ApartmentOutlined /> };
const TEACHERS: MenuEntry = { key: '/teachers', label: '教师管理', icon: <TeamOutlined /> };
const PROJECTS: MenuEntry = { key: '/projects', label: '培训项目', icon: <ProjectOutlined /> };
const HOURS_SUMMARY: MenuEntry = { key: '/hours/summary', label: '学时统计', icon: <BarChartOutlined /> };
const MY_PROJECTS: MenuEntry = { key: '/my/projects', label: '我的培训', icon: <BookOutlined /> };
const MY_HOURS: MenuEntry = { key: '/my/hours', label: '我的学时', icon: <ClockCircleOutlined /> };
const MY_SURVEYS: MenuEntry = { key: '/my/surveys', label: '我的评价', icon: <FormOutlined /> };
const EXPERTS: MenuEntry = { key: '/experts', label: '专家库', icon: <SolutionOutlined /> };
// 评审专家: their assigned projects and own scores.
const MY_REVIEWS: MenuEntry = { key: '/my/reviews', label: '我的评审', icon: <AuditOutlined /> };
const SCORECARD: MenuEntry = { key: '/evaluations/institutions', label: '机构评估', icon: <TrophyOutlined /> };
const NOTIFICATIONS: MenuEntry = { key: '/notifications', label: '消息中心', icon: <BellOutlined /> };
const MY_CLAIMS: MenuEntry = { key: '/my/claims', label: '学时申报', icon: <FileAddOutlined /> };
const MY_CERTIFICATES: MenuEntry = { key: '/my/certificates', label: '我的证书', icon: <SafetyCertificateOutlined /> };
const CLAIM_REVIEW: MenuEntry = { key: '/claims/review', label: '申报审核', icon: <AuditOutlined /> };
const HOUR_IMPORTS: MenuEntry = { key: '/hour-imports', label: '平台学时导入', icon: <CloudUploadOutlined /> };
// 学时更正申请: bureaus approve or refuse corrections of the hours they recognised (issue 9 item 14).
const CORRECTIONS: MenuEntry = { key: '/hours/corrections', label: '学时更正申请', icon: <AuditOutlined /> };
// Project workflow (立项审批, 学员选派, 报名审核, 返岗分享; 可报名项目, 需求调研 for teachers).
const APPROVALS: MenuEntry = { key: '/approvals', label: '待我审批', icon: <AuditOutlined /> };
const NOMINATIONS: MenuEntry = { key: '/nominations', label: '学员选派', icon: <TeamOutlined /> };
const ENROLMENT_REQUESTS: MenuEntry = { key: '/enrolment-requests', label: '报名审核', icon: <AuditOutlined /> };
const SHARE_BACK_REVIEW: MenuEntry = { key: '/share-backs', label: '返岗分享', icon: <SolutionOutlined /> };
const MY_ENROL: MenuEntry = { key: '/my/enrol', label: '可报名项目', icon: <ProjectOutlined /> };
const MY_NEEDS_SURVEYS: MenuEntry = { key: '/my/needs-surveys', label: '需求调研', icon: <FormOutlined /> };
const MY_SHARE_BACKS: MenuEntry = { key: '/my/share-backs', label: '返岗分享', icon: <SolutionOutlined /> };
// Policy engine: the compliance dashboard for all admins, the worklist for schools, policies for bureaus and centres.
// 实施情况报告 (issue 14 item 7): the yearly report a bureau sends upward.
const REGION_REPORT: MenuEntry = { key: '/region-reports', label: '实施情况报告', icon: <FileTextOutlined /> };
const COMPLIANCE: MenuEntry = { key: '/compliance', label: '合规看板', icon: <FundProjectionScreenOutlined /> };
const WORKLIST: MenuEntry = { key: '/compliance/worklist', label: '待办清单', icon: <UnorderedListOutlined /> };
const POLICIES: MenuEntry = { key: '/policies', label: '政策管理', icon: <FileProtectOutlined /> };
const INDICATORS: MenuEntry = { key: '/indicators', label: '目标与经费数据', icon: <AccountBookOutlined /> };
// 编制与结构 (issue 14 item 9)
const STAFFING: MenuEntry = { key: '/staffing', label: '编制与结构', icon: <TeamOutlined /> };

// Accounts and security (系统管理员, 安全管理员, 审计管理员: 三权分立).
const ACCOUNTS: MenuEntry = { key: '/accounts', label: '账号管理', icon: <IdcardOutlined /> };
const SECURITY: MenuEntry = { key: '/security', label: '安全管理', icon: <LockOutlined /> };
const AUDIT: MenuEntry = { key: '/audit', label: '审计日志', icon: <FileSearchOutlined /> };
// 人员变动 (issue 10 item 5): 入职, 调动, 退休, 离职 requests; schools file, bureaus approve.
const MOVES: MenuEntry = { key: '/moves', label: '人员变动', icon: <SwapOutlined /> };

// 教师档案 (issue 10 item 4): the teacher's own record; the school's 信息管理员 reviews the changes.
const MY_RECORD: MenuEntry = { key: '/my/record', label: '我的档案', icon: <IdcardOutlined /> };
const RECORD_REVIEW: MenuEntry = { key: '/records/review', label: '档案审核', icon: <AuditOutlined /> };

// 通知公告 (issue 11 item 9): bureaus and schools publish to their subtree; everyone reads what reaches them.
// 诚信档案 (issue 12 items 3–4): look-up, 准入查询 and the 行业禁入 register; the teacher's own record.
const INTEGRITY: MenuEntry = { key: '/integrity', label: '诚信档案', icon: <SafetyCertificateOutlined /> };
const MY_INTEGRITY: MenuEntry = { key: '/my/integrity', label: '我的诚信档案', icon: <SafetyCertificateOutlined /> };
// 师徒结对与磨课 (issue 13 item 3, mentoring)
const MENTORING: MenuEntry = { key: '/mentoring', label: '师徒结对与磨课', icon: <TeamOutlined /> };
const MY_MENTORING: MenuEntry = { key: '/my/mentoring', label: '我的师徒与磨课', icon: <TeamOutlined /> };
// 骨干教师 三级三类 (issue 13 item 2)
const KEY_TEACHERS: MenuEntry = { key: '/key-teachers', label: '骨干教师评选', icon: <TrophyOutlined /> };
const MY_KEY_TEACHER: MenuEntry = { key: '/my/key-teacher', label: '我的骨干认定', icon: <TrophyOutlined /> };
// 工作室 (issue 13 item 1): the board and list for managers, the teacher's own studios.
const STUDIOS: MenuEntry = { key: '/studios', label: '工作室', icon: <ApartmentOutlined /> };
const MY_STUDIOS: MenuEntry = { key: '/studios', label: '我的工作室', icon: <ApartmentOutlined /> };

// 培训经费、班主任津贴 (issue 14 items 6, 8)
const FUNDS: MenuEntry = { key: '/funds', label: '培训经费', icon: <AccountBookOutlined /> };

const ANNOUNCEMENTS: MenuEntry = { key: '/announcements', label: '通知公告', icon: <NotificationOutlined /> };

// 师德 (issue 12 items 6, 7): the 师德专干's board; 通报 (and 警示教育) for the officer, the bureaus and schools that receive them.
const ETHICS_BOARD: MenuEntry = { key: '/ethics/board', label: '师德看板', icon: <DashboardOutlined /> };
const ETHICS_NOTICES: MenuEntry = { key: '/ethics/notices', label: '师德通报', icon: <AlertOutlined /> };
// 案件办理 (issue 12 item 2): the 师德专干's cases; the school sees the cases it was told of.
const ETHICS_CASES: MenuEntry = { key: '/ethics/cases', label: '案件办理', icon: <SafetyOutlined /> };
const ETHICS_REPORTS: MenuEntry = { key: '/ethics/reports', label: '举报受理', icon: <SafetyCertificateOutlined /> };
const SCHOOL_CASES: MenuEntry = { key: '/ethics/school-cases', label: '师德案件告知', icon: <SafetyOutlined /> };

const ADMIN_MENU = [HOME, ORGS, TEACHERS, PROJECTS, HOURS_SUMMARY, COMPLIANCE];

const MENUS_BEFORE_ANNOUNCEMENTS: Record<Role, MenuEntry[]> = {
  bureauAdmin: [
    ...ADMIN_MENU,
    POLICIES,
    INDICATORS,
    APPROVALS,
    NOMINATIONS,
    ENROLMENT_REQUESTS,
    CLAIM_REVIEW,
    HOUR_IMPORTS,
    CORRECTIONS,
    MOVES,
    EXPERTS,
    SCORECARD,
    ETHICS_NOTICES,
    INTEGRITY,
    MENTORING,
    KEY_TEACHERS,
    STUDIOS,
    REGION_REPORT,
    STAFFING,
    FUNDS,
    NOTIFICATIONS,
  ],
  devCenter: [...ADMIN_MENU, POLICIES, INDICATORS, NOMINATIONS, EXPERTS, SCORECARD, MENTORING, NOTIFICATIONS],
  schoolAdmin: [
    ...ADMIN_MENU,
    WORKLIST,
    INDICATORS,
    NOMINATIONS,
    ENROLMENT_REQUESTS,
    SHARE_BACK_REVIEW,
    CLAIM_REVIEW,
    HOUR_IMPORTS,
    MOVES,
    ETHICS_NOTICES,
    SCHOOL_CASES,
    MENTORING,
    KEY_TEACHERS,
    STUDIOS,
    STAFFING,
    FUNDS,
    NOTIFICATIONS,
  ],
  institution: [HOME, PROJECTS, NOTIFICATIONS],
  expert: [MY_REVIEWS],
  sysAdmin: [ACCOUNTS, ORGS, NOTIFICATIONS],
  infoAdmin: [TEACHERS, RECORD_REVIEW, ORGS, MOVES, NOTIFICATIONS],
  securityAdmin: [SECURITY, ACCOUNTS, NOTIFICATIONS],
  auditor: [AUDIT],
  ethicsOfficer: [HOME, ETHICS_BOARD, ETHICS_REPORTS, ETHICS_CASES, INTEGRITY, ETHICS_NOTICES, NOTIFICATIONS],
  teacher: [
    HOME,
    MY_RECORD,
    MY_PROJECTS,
    MY_ENROL,
    MY_NEEDS_SURVEYS,
    MY_SHARE_BACKS,
    MY_HOURS,
    MY_CLAIMS,
    MY_CERTIFICATES,
    MY_SURVEYS,
    MY_INTEGRITY,
    MY_MENTORING,
    MY_KEY_TEACHER,
    MY_STUDIOS,
    NOTIFICATIONS,
  ],
};

/** Every role reads 通知公告 (placed before 消息中心, else last) but the 评审专家, who works outside the org tree. */
// 基本功竞赛, 课题, 学历提升 (issue 13 items 4–5, growth): placed before 消息中心 like 通知公告.
const COMPETITIONS: MenuEntry = { key: '/competitions', label: '基本功竞赛', icon: <TrophyOutlined /> };
const RESEARCH: MenuEntry = { key: '/research', label: '课题', icon: <ExperimentOutlined /> };
const UPGRADE: MenuEntry = { key: '/upgrade', label: '学历提升', icon: <ReadOutlined /> };
// Issue 14 (careers and the plan cycle), with the growth entries before 消息中心: 计划报备 (item 5), 职称申报 (item 3),
// 交流轮岗 and 表彰荣誉 (items 2, 4), 年度考核 (item 1); the teacher's own pages.
const PLANS_MINE: MenuEntry = { key: '/plans/mine', label: '年度计划', icon: <ReadOutlined /> };
const PLANS_REVIEW: MenuEntry = { key: '/plans/review', label: '计划审核', icon: <ReadOutlined /> };
const TITLES_MENU: MenuEntry = { key: '/titles', label: '职称申报', icon: <TrophyOutlined /> };
const MY_TITLE: MenuEntry = { key: '/my/title', label: '我的职称申报条件', icon: <TrophyOutlined /> };
const ROTATIONS: MenuEntry = { key: '/rotations', label: '交流轮岗', icon: <ApartmentOutlined /> };
const HONOURS: MenuEntry = { key: '/honours', label: '表彰荣誉', icon: <TrophyOutlined /> };
const MY_CAREER: MenuEntry = { key: '/my/career', label: '我的交流与荣誉', icon: <TrophyOutlined /> };
const APPRAISALS: MenuEntry = { key: '/appraisals', label: '年度考核', icon: <AuditOutlined /> };
const MY_APPRAISAL: MenuEntry = { key: '/my/appraisal', label: '我的年度考核', icon: <AuditOutlined /> };
const GROWTH_MENUS: Partial<Record<Role, MenuEntry[]>> = {
  bureauAdmin: [COMPETITIONS, RESEARCH, UPGRADE, APPRAISALS, TITLES_MENU, ROTATIONS, HONOURS, PLANS_REVIEW, PLANS_MINE],
  devCenter: [COMPETITIONS, RESEARCH],
  schoolAdmin: [COMPETITIONS, RESEARCH, UPGRADE, APPRAISALS, TITLES_MENU, HONOURS, PLANS_MINE],
  infoAdmin: [COMPETITIONS, RESEARCH, UPGRADE],
  teacher: [RESEARCH, UPGRADE, MY_APPRAISAL, MY_TITLE, MY_CAREER],
};

export const MENUS: Record<Role, MenuEntry[]> = Object.fromEntries(
  Object.entries(MENUS_BEFORE_ANNOUNCEMENTS).map(([role, base]) => {
    if (role === 'expert') return [role, base];
    const growthAt = base.indexOf(NOTIFICATIONS);
    const growth = GROWTH_MENUS[role as Role] ?? [];
    const entries = growthAt < 0 ? [...base, ...growth] : [...base.slice(0, growthAt), ...growth, ...base.slice(growthAt)];
    const at = entries.indexOf(NOTIFICATIONS);
    return [role, at < 0 ? [...entries, ANNOUNCEMENTS] : [...entries.slice(0, at), ANNOUNCEMENTS, ...entries.slice(at)]];
  }),
) as Record<Role, MenuEntry[]>;

/** The menu key a path belongs to: the longest key that prefixes it. */
export function selectedKey(role: Role, pathname: string): string {
  const keys = MENUS[role].map((m) => m.key).filter((k) => (k === '/' ? pathname === '/' : pathname === k || pathname.startsWith(`${k}/`)));
  return keys.sort((a, b) => b.length - a.length)[0] ?? '';
}
