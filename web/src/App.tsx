import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { setUnauthorizedHandler } from './api/client';
import { queryClient } from './api/query';
import type { Role } from './api/types';
import { AuthProvider, useAuth } from './auth';
import AppLayout from './components/AppLayout';
import TodoCard from './pages/todo/TodoCard';
import { Forbidden, NotFoundPage, PageLoading } from './components/Status';

dayjs.locale('zh-cn');

// Every page is its own chunk; the login page and the layout are the only eager code.
const LoginPage = lazy(() => import('./pages/auth/LoginPage'));
const FirstPasswordPage = lazy(() => import('./pages/auth/FirstPasswordPage'));
const TotpVerifyPage = lazy(() => import('./pages/auth/TotpVerifyPage'));
const TotpEnrolPage = lazy(() => import('./pages/auth/TotpEnrolPage'));
const HomePage = lazy(() => import('./pages/home/HomePage'));
const OrgsPage = lazy(() => import('./pages/orgs/OrgsPage'));
const TeacherListPage = lazy(() => import('./pages/teachers/TeacherListPage'));
const TeacherDetailPage = lazy(() => import('./pages/teachers/TeacherDetailPage'));
const TeacherFormPage = lazy(() => import('./pages/teachers/TeacherFormPage'));
const TeacherImportPage = lazy(() => import('./pages/teachers/TeacherImportPage'));
const ProjectListPage = lazy(() => import('./pages/projects/ProjectListPage'));
const ProjectDetailPage = lazy(() => import('./pages/projects/ProjectDetailPage'));
const ProjectFormPage = lazy(() => import('./pages/projects/ProjectFormPage'));
const SessionQrPage = lazy(() => import('./pages/projects/SessionQrPage'));
const MobileCheckinPage = lazy(() => import('./pages/checkin/MobileCheckinPage'));
const MyHoursPage = lazy(() => import('./pages/my/MyHoursPage'));
const MyProjectsPage = lazy(() => import('./pages/my/MyProjectsPage'));
const HoursSummaryPage = lazy(() => import('./pages/hours/HoursSummaryPage'));
// 学时更正申请 (issue 9 item 14): corrections of this org's records asked for by the orgs below.
const CorrectionRequestsPage = lazy(() => import('./pages/hours/CorrectionRequestsPage'));
const ProjectEvaluationPage = lazy(() => import('./pages/evaluations/ProjectEvaluationPage'));
const SurveyAnswerPage = lazy(() => import('./pages/evaluations/SurveyAnswerPage'));
const MySurveysPage = lazy(() => import('./pages/evaluations/MySurveysPage'));
const InstitutionScorecardPage = lazy(() => import('./pages/evaluations/InstitutionScorecardPage'));
const ExpertListPage = lazy(() => import('./pages/experts/ExpertListPage'));
const MyReviewsPage = lazy(() => import('./pages/experts/MyReviewsPage'));
const NotificationsPage = lazy(() => import('./pages/notifications/NotificationsPage'));
const MyClaimsPage = lazy(() => import('./pages/claims/MyClaimsPage'));
const ClaimDetailPage = lazy(() => import('./pages/claims/ClaimDetailPage'));
const ClaimReviewPage = lazy(() => import('./pages/claims/ClaimReviewPage'));
const MyRecordPage = lazy(() => import('./pages/records/MyRecordPage'));
const RecordReviewPage = lazy(() => import('./pages/records/RecordReviewPage'));
const TeacherRecordPage = lazy(() => import('./pages/records/MyRecordPage').then((m) => ({ default: m.TeacherRecordPage })));
// 人员变动 (issue 10 item 5): 入职, 调动, 退休, 离职 requests and their approval.
const MovesPage = lazy(() => import('./pages/moves/MovesPage'));
// 案件办理 (issue 12 item 2)
const CaseListPage = lazy(() => import('./pages/ethics-cases/CaseListPage'));
const CasePage = lazy(() => import('./pages/ethics-cases/CasePage'));
const MyEthicsPage = lazy(() => import('./pages/ethics-cases/MyEthicsPage'));
const SchoolCasesPage = lazy(() => import('./pages/ethics-cases/SchoolCasesPage'));
const AnnouncementsPage = lazy(() => import('./pages/announcements/AnnouncementsPage'));
const EthicsBoardPage = lazy(() => import('./pages/ethics/EthicsBoardPage'));
const EthicsNoticesPage = lazy(() => import('./pages/ethics/EthicsNoticesPage'));
const HourImportPage = lazy(() => import('./pages/hour-imports/HourImportPage'));
const HourImportRunPage = lazy(() => import('./pages/hour-imports/HourImportRunPage'));
const MyCertificatesPage = lazy(() => import('./pages/certificates/MyCertificatesPage'));
const VerifyCertificatePage = lazy(() => import('./pages/certificates/VerifyCertificatePage'));
const VerifyLookupPage = lazy(() => import('./pages/certificates/VerifyLookupPage'));
const VerifyHoursPage = lazy(() => import('./pages/certificates/VerifyHoursPage'));
const ProjectBriefPage = lazy(() => import('./pages/projects/ProjectBriefPage'));
// Project workflow: approvals, quotas and nomination, self-enrolment, needs survey, share-back.
const ApprovalInboxPage = lazy(() => import('./pages/projects/ApprovalInboxPage'));
const NominationListPage = lazy(() => import('./pages/projects/NominationPage').then((m) => ({ default: m.NominationListPage })));
const NominationPage = lazy(() => import('./pages/projects/NominationPage'));
const EnrolmentRequestsPage = lazy(() => import('./pages/projects/EnrolmentRequestsPage'));
const EnrollablePage = lazy(() => import('./pages/projects/EnrollablePage'));
const MyNeedsSurveysPage = lazy(() => import('./pages/projects/NeedsSurveyAnswerPage').then((m) => ({ default: m.MyNeedsSurveysPage })));
const NeedsSurveyAnswerPage = lazy(() => import('./pages/projects/NeedsSurveyAnswerPage'));
const MyShareBacksPage = lazy(() => import('./pages/projects/ShareBackPages').then((m) => ({ default: m.MyShareBacksPage })));
const ShareBackReviewPage = lazy(() => import('./pages/projects/ShareBackPages').then((m) => ({ default: m.ShareBackReviewPage })));
// Policy engine: 合规看板, 待办清单, one teacher's status; 政策管理.
const ComplianceDashboardPage = lazy(() => import('./pages/compliance/ComplianceDashboardPage'));
const WorklistPage = lazy(() => import('./pages/compliance/WorklistPage'));
const TeacherCompliancePage = lazy(() => import('./pages/compliance/TeacherCompliancePage'));
const PolicyListPage = lazy(() => import('./pages/policies/PolicyListPage'));
const PolicyNewPage = lazy(() => import('./pages/policies/PolicyNewPage'));
const PolicyDetailPage = lazy(() => import('./pages/policies/PolicyDetailPage'));
// 目标与经费数据: figures the region-target and funding rules read.
const IndicatorsPage = lazy(() => import('./pages/indicators/IndicatorsPage'));
// 账号管理: 系统管理员 (安全管理员 reads).
const AccountsPage = lazy(() => import('./pages/accounts/AccountsPage'));
// 安全管理 (安全管理员) and 审计日志 (审计管理员).
const SecurityPage = lazy(() => import('./pages/security/SecurityPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
// 师德举报受理 (issue 12 item 1, intake)
const PublicReportPage = lazy(() => import('./pages/ethics/PublicReportPage'));
const TrackReportPage = lazy(() => import('./pages/ethics/TrackReportPage'));
const EthicsReportsPage = lazy(() => import('./pages/ethics/EthicsReportsPage'));
const EthicsReportDetailPage = lazy(() => import('./pages/ethics/EthicsReportDetailPage'));
const IntegrityPage = lazy(() => import('./pages/integrity/IntegrityPage'));
// 工作室 (issue 13 item 1)
const StudiosPage = lazy(() => import('./pages/studios/StudiosPage'));
const StudioPage = lazy(() => import('./pages/studios/StudioPage'));
const FundsPage = lazy(() => import('./pages/funds/FundsPage'));
// 基本功竞赛, 课题, 学历提升 (issue 13 items 4–5, growth)
const CompetitionsPage = lazy(() => import('./pages/growth/CompetitionsPage').then((m) => ({ default: m.CompetitionsPage })));
const ResearchPage = lazy(() => import('./pages/growth/ResearchPage').then((m) => ({ default: m.ResearchPage })));
const UpgradePage = lazy(() => import('./pages/growth/UpgradePage').then((m) => ({ default: m.UpgradePage })));
const RegionReportPage = lazy(() => import('./pages/region-reports/RegionReportPage'));
const MyPlanPage = lazy(() => import('./pages/plans/MyPlanPage'));
const PlanReviewPage = lazy(() => import('./pages/plans/PlanReviewPage'));
// 交流轮岗, 表彰荣誉 (issue 14 items 2, 4)
const RotationsPage = lazy(() => import('./pages/careers/RotationsPage'));
const HonoursPage = lazy(() => import('./pages/careers/HonoursPage'));
const MyCareerPage = lazy(() => import('./pages/careers/CareerRecord'));
const MyIntegrityPage = lazy(() => import('./pages/integrity/IntegrityPage').then((m) => ({ default: m.MyIntegrityPage })));
const MentoringPage = lazy(() => import('./pages/mentoring/MentoringPage'));
const MentorPairPage = lazy(() => import('./pages/mentoring/PairPage'));
const MyMentoringPage = lazy(() => import('./pages/mentoring/MyMentoringPage'));
const KeyTeachersPage = lazy(() => import('./pages/key-teachers/KeyTeachersPage'));
const MyKeyTeacherPage = lazy(() => import('./pages/key-teachers/MyKeyTeacherPage'));
const StaffingPage = lazy(() => import('./pages/staffing/StaffingPage'));
// 职称申报 (issue 14 item 3, titles)
const TitlesPage = lazy(() => import('./pages/titles/TitlesPage'));
const MyTitlePage = lazy(() => import('./pages/titles/MyTitlePage'));
const AppraisalsPage = lazy(() => import('./pages/appraisals/AppraisalsPage'));
const AppraisalRoundPage = lazy(() => import('./pages/appraisals/AppraisalRoundPage'));
const MyAppraisalPage = lazy(() => import('./pages/appraisals/MyAppraisalPage'));

const ADMINS: Role[] = ['bureauAdmin', 'schoolAdmin', 'devCenter'];
/** Who keeps the teacher registry: the business admins and the school's 信息管理员. */
const REGISTRY: Role[] = [...ADMINS, 'infoAdmin'];
const PROJECT_ROLES: Role[] = [...ADMINS, 'institution'];

/**
 * Not logged in → /login, remembering where the user wanted to go. A sign-in that still owes its TOTP code
 * asks for it; an initial or reset password must be changed; an admin account without an authenticator binds
 * one (the server refuses everything else until then).
 */
function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const loc = useLocation();
  if (loading) return <PageLoading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (me.secondFactor === 'verify') return <TotpVerifyPage />;
  if (me.mustChangePassword) return <FirstPasswordPage />;
  if (me.secondFactor === 'enrol') return <TotpEnrolPage />;
  return <>{children}</>;
}

function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { me } = useAuth();
  if (!me || !roles.includes(me.role)) return <Forbidden />;
  return <>{children}</>;
}

function UnauthorizedBridge() {
  const { clear } = useAuth();
  useEffect(() => {
    // A 401 anywhere means the session ended: drop the user, and RequireAuth sends them to /login.
    setUnauthorizedHandler(clear);
    return () => setUnauthorizedHandler(null);
  }, [clear]);
  return null;
}

const only = (roles: Role[], el: ReactNode) => <RequireRole roles={roles}>{el}</RequireRole>;

/** Roles without a home dashboard start on their main page. */
const START_PAGE: Partial<Record<Role, string>> = {
  expert: '/my/reviews',
  sysAdmin: '/accounts',
  securityAdmin: '/security',
  auditor: '/audit',
  infoAdmin: '/teachers',
  // 师德专干: the ethics board (issue 12 item 7).
  ethicsOfficer: '/ethics/board',
};

/** Roles that start on a work page see their to-do centre above it there (only when something waits). */
function StartPageTodo() {
  const { me } = useAuth();
  const { pathname } = useLocation();
  return me && START_PAGE[me.role] === pathname ? <TodoCard onlyWithWork /> : null;
}

function Home() {
  const { me } = useAuth();
  const start = me && START_PAGE[me.role];
  return start ? <Navigate to={start} replace /> : <HomePage />;
}

export default function App() {
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <UnauthorizedBridge />
            <BrowserRouter>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  <Route path="/login" element={<LoginPage />} />
                  <Route path="/m/checkin" element={<MobileCheckinPage />} />
                  <Route path="/verify/:code" element={<VerifyCertificatePage />} />
                  <Route path="/verify" element={<VerifyLookupPage />} />
                  <Route path="/verify/hours/:code" element={<VerifyHoursPage />} />
                  {/* 师德举报 (issue 12 item 1): public, no login */}
                  <Route path="/report" element={<PublicReportPage />} />
                  <Route path="/report/track" element={<TrackReportPage />} />
                  <Route path="/m/surveys/:id" element={<RequireAuth>{only(['teacher'], <SurveyAnswerPage />)}</RequireAuth>} />
                  <Route path="/m/needs-surveys/:id" element={<RequireAuth>{only(['teacher'], <NeedsSurveyAnswerPage />)}</RequireAuth>} />
                  <Route path="/sessions/:id/qr" element={<RequireAuth>{only(PROJECT_ROLES, <SessionQrPage />)}</RequireAuth>} />
                  <Route
                    element={
                      <RequireAuth>
                        <AppLayout banner={<StartPageTodo />} />
                      </RequireAuth>
                    }
                  >
                    <Route index element={<Home />} />
                    <Route path="orgs" element={only([...REGISTRY, 'sysAdmin'], <OrgsPage />)} />
                    <Route path="teachers" element={only(REGISTRY, <TeacherListPage />)} />
                    <Route path="teachers/new" element={only(REGISTRY, <TeacherFormPage />)} />
                    <Route path="teachers/import" element={only(REGISTRY, <TeacherImportPage />)} />
                    <Route path="teachers/:id" element={only([...REGISTRY, 'sysAdmin'], <TeacherDetailPage />)} />
                    <Route path="teachers/:id/edit" element={only(REGISTRY, <TeacherFormPage />)} />
                    <Route path="projects" element={only(PROJECT_ROLES, <ProjectListPage />)} />
                    <Route path="projects/new" element={only(PROJECT_ROLES, <ProjectFormPage />)} />
                    <Route path="projects/:id" element={only(PROJECT_ROLES, <ProjectDetailPage />)} />
                    <Route path="projects/:id/edit" element={only(PROJECT_ROLES, <ProjectFormPage />)} />
                    <Route path="projects/:id/evaluation" element={only(PROJECT_ROLES, <ProjectEvaluationPage />)} />
                    <Route path="experts" element={only(['bureauAdmin', 'devCenter'], <ExpertListPage />)} />
                    <Route path="evaluations/institutions" element={only(['bureauAdmin', 'devCenter'], <InstitutionScorecardPage />)} />
                    <Route path="my/reviews" element={only(['expert'], <MyReviewsPage />)} />
                    <Route path="my/surveys" element={only(['teacher'], <MySurveysPage />)} />
                    <Route path="hours/summary" element={only(ADMINS, <HoursSummaryPage />)} />
                    <Route path="hours/corrections" element={only(['bureauAdmin'], <CorrectionRequestsPage />)} />
                    <Route path="my/hours" element={only(['teacher'], <MyHoursPage />)} />
                    <Route path="my/projects" element={only(['teacher'], <MyProjectsPage />)} />
                    <Route path="notifications" element={<NotificationsPage />} />
                    <Route path="my/claims" element={only(['teacher'], <MyClaimsPage />)} />
                    <Route path="claims/review" element={only(['schoolAdmin', 'bureauAdmin'], <ClaimReviewPage />)} />
                    <Route path="claims/:id" element={only(['teacher', 'schoolAdmin', 'bureauAdmin'], <ClaimDetailPage />)} />
                    <Route path="hour-imports" element={only(['schoolAdmin', 'bureauAdmin'], <HourImportPage />)} />
                    <Route path="hour-imports/:id" element={only(['schoolAdmin', 'bureauAdmin'], <HourImportRunPage />)} />
                    <Route path="my/certificates" element={only(['teacher'], <MyCertificatesPage />)} />
                    <Route path="approvals" element={only(['bureauAdmin'], <ApprovalInboxPage />)} />
                    <Route path="nominations" element={only(['bureauAdmin', 'schoolAdmin', 'devCenter'], <NominationListPage />)} />
                    <Route path="nominations/:id" element={only(['bureauAdmin', 'schoolAdmin', 'devCenter'], <NominationPage />)} />
                    <Route path="enrolment-requests" element={only(['schoolAdmin', 'bureauAdmin'], <EnrolmentRequestsPage />)} />
                    <Route path="share-backs" element={only(['schoolAdmin', 'bureauAdmin'], <ShareBackReviewPage />)} />
                    <Route path="my/enrol" element={only(['teacher'], <EnrollablePage />)} />
                    <Route path="my/enrol/:id" element={only(['teacher'], <ProjectBriefPage />)} />
                    <Route path="my/needs-surveys" element={only(['teacher'], <MyNeedsSurveysPage />)} />
                    <Route path="my/share-backs" element={only(['teacher'], <MyShareBacksPage />)} />
                    <Route path="compliance" element={only(ADMINS, <ComplianceDashboardPage />)} />
                    <Route path="compliance/worklist" element={only(ADMINS, <WorklistPage />)} />
                    <Route path="compliance/teachers/:id" element={only(ADMINS, <TeacherCompliancePage />)} />
                    <Route path="policies" element={only(['bureauAdmin', 'devCenter'], <PolicyListPage />)} />
                    <Route path="policies/new" element={only(['bureauAdmin'], <PolicyNewPage />)} />
                    <Route path="policies/:id" element={only(['bureauAdmin', 'devCenter'], <PolicyDetailPage />)} />
                    <Route path="indicators" element={only(ADMINS, <IndicatorsPage />)} />
                    <Route path="accounts" element={only(['sysAdmin', 'securityAdmin'], <AccountsPage />)} />
                    <Route path="security" element={only(['securityAdmin'], <SecurityPage />)} />
                    <Route path="audit" element={only(['auditor'], <AuditPage />)} />
                    {/* 师德举报受理 (issue 12 item 1, intake) */}
                    <Route path="ethics/reports" element={only(['ethicsOfficer'], <EthicsReportsPage />)} />
                    <Route path="ethics/reports/:id" element={only(['ethicsOfficer'], <EthicsReportDetailPage />)} />
                    <Route path="my/record" element={only(['teacher'], <MyRecordPage />)} />
                    <Route path="records/review" element={only(['infoAdmin', 'schoolAdmin', 'bureauAdmin'], <RecordReviewPage />)} />
                    <Route path="records/teachers/:id" element={only(['infoAdmin', 'schoolAdmin', 'bureauAdmin'], <TeacherRecordPage />)} />
                    <Route path="moves" element={only(['bureauAdmin', 'schoolAdmin', 'infoAdmin'], <MovesPage />)} />
                    <Route path="announcements" element={<AnnouncementsPage />} />
                    {/* 师德: board, 通报 and 警示教育 (issue 12 items 6, 7) */}
                    <Route path="ethics/board" element={only(['ethicsOfficer'], <EthicsBoardPage />)} />
                    <Route path="ethics/notices" element={only(['ethicsOfficer', 'bureauAdmin', 'schoolAdmin'], <EthicsNoticesPage />)} />
                    <Route path="ethics/notices/:id" element={only(['ethicsOfficer', 'bureauAdmin', 'schoolAdmin'], <EthicsNoticesPage />)} />
                    {/* 案件办理 (issue 12 item 2) */}
                    <Route path="ethics/cases" element={only(['ethicsOfficer'], <CaseListPage />)} />
                    <Route path="ethics/cases/:id" element={only(['ethicsOfficer'], <CasePage />)} />
                    <Route path="ethics/school-cases" element={only(['schoolAdmin'], <SchoolCasesPage />)} />
                    <Route path="my/ethics" element={only(['teacher'], <MyEthicsPage />)} />
                    {/* 诚信档案, 准入查询, 行业禁入 (issue 12, integrity) */}
                    <Route path="integrity" element={only(['ethicsOfficer', 'bureauAdmin'], <IntegrityPage />)} />
                    <Route path="my/integrity" element={only(['teacher'], <MyIntegrityPage />)} />
                    {/* 师徒结对与磨课 (issue 13 item 3, mentoring) */}
                    <Route path="mentoring" element={only(['bureauAdmin', 'schoolAdmin', 'devCenter'], <MentoringPage />)} />
                    <Route path="mentoring/pairs/:id" element={only(['bureauAdmin', 'schoolAdmin', 'teacher'], <MentorPairPage />)} />
                    <Route path="mentoring/board" element={only(['bureauAdmin', 'schoolAdmin'], <MentoringPage />)} />
                    <Route path="my/mentoring" element={only(['teacher'], <MyMentoringPage />)} />
                    {/* 骨干教师 三级三类 (issue 13 item 2, key-teachers) */}
                    <Route path="key-teachers" element={only(['bureauAdmin', 'schoolAdmin'], <KeyTeachersPage />)} />
                    <Route path="my/key-teacher" element={only(['teacher'], <MyKeyTeacherPage />)} />
                    <Route path="staffing" element={only(['bureauAdmin', 'schoolAdmin'], <StaffingPage />)} />
                    {/* 工作室 (issue 13 item 1) */}
                    <Route path="studios" element={only(['bureauAdmin', 'schoolAdmin', 'teacher'], <StudiosPage />)} />
                    <Route path="studios/:id" element={only(['bureauAdmin', 'schoolAdmin', 'teacher'], <StudioPage />)} />
                    {/* 基本功竞赛, 课题, 学历提升 (issue 13 items 4–5, growth) */}
                    <Route path="competitions" element={only(['bureauAdmin', 'devCenter', 'schoolAdmin', 'infoAdmin'], <CompetitionsPage />)} />
                    <Route path="research" element={only(['bureauAdmin', 'devCenter', 'schoolAdmin', 'infoAdmin', 'teacher'], <ResearchPage />)} />
                    <Route path="upgrade" element={only(['bureauAdmin', 'schoolAdmin', 'infoAdmin', 'teacher'], <UpgradePage />)} />
                    {/* 实施情况报告 (issue 14 item 7, reports) */}
                    <Route path="region-reports" element={only(['bureauAdmin'], <RegionReportPage />)} />
                    {/* 计划报备与年度考核 (issue 14 item 5, plans) */}
                    <Route path="plans/mine" element={only(['bureauAdmin', 'schoolAdmin'], <MyPlanPage />)} />
                    <Route path="plans/review" element={only(['bureauAdmin'], <PlanReviewPage />)} />
                    {/* 职称申报 (issue 14 item 3, titles) */}
                    <Route path="titles" element={only(['bureauAdmin', 'schoolAdmin'], <TitlesPage />)} />
                    <Route path="my/title" element={only(['teacher'], <MyTitlePage />)} />
                    {/* 年度考核, 家访, 学业述评 (issue 14 item 1) */}
                    <Route path="appraisals" element={only(['bureauAdmin', 'schoolAdmin'], <AppraisalsPage />)} />
                    <Route path="appraisals/:id" element={only(['bureauAdmin', 'schoolAdmin'], <AppraisalRoundPage />)} />
                    <Route path="my/appraisal" element={only(['teacher'], <MyAppraisalPage />)} />
                    {/* 交流轮岗, 表彰荣誉 (issue 14 items 2, 4) */}
                    <Route path="rotations" element={only(['bureauAdmin'], <RotationsPage />)} />
                    <Route path="honours" element={only(['bureauAdmin', 'schoolAdmin'], <HonoursPage />)} />
                    <Route path="my/career" element={only(['teacher'], <MyCareerPage />)} />
                    {/* 培训经费、班主任津贴 (issue 14 items 6, 8, funds) */}
                    <Route path="funds" element={only(['bureauAdmin', 'schoolAdmin'], <FundsPage />)} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Routes>
              </Suspense>
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
