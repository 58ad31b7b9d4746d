import { lazy, Suspense, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App, Badge, Card, Space, Tabs } from 'antd';
import { api } from '../../api/client';
import type { AllowedAction, ProjectDetail } from '../../api/types';
import { useAuth } from '../../auth';
import { LoadError, PageLoading } from '../../components/Status';
import { useApi } from '../../hooks';
import ActionModal from './detail/ActionModal';
import EnrolmentsTab from './detail/EnrolmentsTab';
import HistoryTab from './detail/HistoryTab';
import PlanTab from './detail/PlanTab';
import ProjectSummaryCard from './detail/ProjectSummaryCard';
import RecognitionTab from './detail/RecognitionTab';
import SessionsTab from './detail/SessionsTab';
import type { TransitionResult } from './detail/shared';
import { isFrozen } from './status';

// The evaluation work (three-way evaluation) lives in its own module; load it only when its tab opens.
const QuotasPanel = lazy(() => import('./QuotasPanel'));
const NeedsSurveyPanel = lazy(() => import('./NeedsSurveyPanel'));
const EnrolmentLogPanel = lazy(() => import('./EnrolmentLogPanel'));
const ProjectEvaluationPanel = lazy(() => import('../evaluations/ProjectEvaluationPage').then((m) => ({ default: m.ProjectEvaluationPanel })));

/** The tabs a school sees of a project its teachers attend. */
const VIEW_ONLY_TABS = new Set(['sessions', 'enrolments', 'plan']);
/** States from 报名中 on: the 学时认定 and 绩效评估 tabs have something to show. */
const OPENED_STATES = ['open', 'running', 'recognitionPending', 'closed', 'evaluated'];

/**
 * 项目详情: lifecycle actions, approval chain, sessions (check-in/out, QR, attendance), enrolments, plan, history.
 * This page is the shell (loading, tabs, the action dialog); each section lives in ./detail/.
 */
export default function ProjectDetailPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const nav = useNavigate();
  const { message, modal } = App.useApp();
  const { data: p, loading, error, reload } = useApi(() => api.get<ProjectDetail>(`/projects/${id}`), [id]);
  const [acting, setActing] = useState<AllowedAction | null>(null);
  const [chosenTab, setTab] = useState<string | null>(null);

  if (loading && !p) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!p) return null;
  // viewOnly: a school reading a project its teachers attend (its own teachers only, nothing to change).
  const canManage = can('projects.manage') && !p.viewOnly;
  const frozen = isFrozen(p.status);
  const pendingRecognition = p.status === 'recognitionPending';
  // A recognition waiting for confirmation opens on its preview.
  const tab = chosenTab ?? (pendingRecognition ? 'recognition' : 'sessions');

  const done = (r: TransitionResult) => {
    const a = acting;
    setActing(null);
    if (r.recognition)
      modal.success({
        title: '已确认学时认定，项目已结项',
        content: `共为 ${r.recognition.teachers} 名教师认定 ${r.recognition.hours} 学时（${r.recognition.entriesCreated} 条学时记录）。`,
      });
    else if (r.preview)
      modal.success({
        title: '已提交学时认定',
        content: `${r.preview.teachers} 名教师、共 ${r.preview.hours} 学时，等待「${r.project.pendingOrgName ?? '审批单位'}」确认。`,
      });
    else message.success(`${a?.label ?? '操作'}成功，项目状态：${r.project.statusLabel}`);
    if (r.project.status === 'deleted') return nav('/projects');
    reload();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ProjectSummaryCard project={p} onAction={setActing} onChanged={reload} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'sessions',
              label: `场次（${p.sessions.length}）`,
              children: <SessionsTab project={p} canManage={canManage} onChanged={reload} />,
            },
            {
              key: 'enrolments',
              label: `学员（${p.enrolledCount}）`,
              children: tab === 'enrolments' ? <EnrolmentsTab project={p} canManage={canManage} onChanged={reload} /> : null,
            },
            { key: 'plan', label: '培训方案', children: <PlanTab p={p} /> },
            ...(OPENED_STATES.includes(p.status)
              ? [
                  {
                    key: 'recognition',
                    label: pendingRecognition ? (
                      <Badge dot offset={[6, 0]}>
                        学时认定
                      </Badge>
                    ) : (
                      '学时认定'
                    ),
                    children: tab === 'recognition' ? <RecognitionTab project={p} onAction={setActing} /> : null,
                  },
                ]
              : []),
            { key: 'history', label: '流转记录', children: tab === 'history' ? <HistoryTab id={p.id} /> : null },
            {
              key: 'quotas',
              label: '名额分配',
              children:
                tab === 'quotas' ? (
                  <Suspense fallback={<PageLoading />}>
                    <QuotasPanel projectId={p.id} mode="top" editable={canManage && !frozen} onChanged={reload} />
                  </Suspense>
                ) : null,
            },
            {
              key: 'needs',
              label: '需求调研',
              children:
                tab === 'needs' ? (
                  <Suspense fallback={<PageLoading />}>
                    <NeedsSurveyPanel projectId={p.id} canManage={canManage} />
                  </Suspense>
                ) : null,
            },
            {
              key: 'enrolLog',
              label: '报名记录',
              children:
                tab === 'enrolLog' ? (
                  <Suspense fallback={<PageLoading />}>
                    <EnrolmentLogPanel projectId={p.id} />
                  </Suspense>
                ) : null,
            },
            ...(OPENED_STATES.includes(p.status)
              ? [
                  {
                    key: 'evaluation',
                    label: '绩效评估',
                    children:
                      tab === 'evaluation' ? (
                        <Suspense fallback={<PageLoading />}>
                          <ProjectEvaluationPanel projectId={p.id} />
                        </Suspense>
                      ) : null,
                  },
                ]
              : []),
          ].filter((t) => !p.viewOnly || VIEW_ONLY_TABS.has(t.key))}
        />
      </Card>
      <ActionModal project={p} action={acting} onClose={() => setActing(null)} onDone={done} />
    </Space>
  );
}
