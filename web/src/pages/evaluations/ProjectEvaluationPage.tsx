import { Link, useParams } from 'react-router-dom';
import { Alert, Card, Col, Row, Space, Statistic, Table, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import ProjectExpertsPanel from '../experts/ProjectExpertsPanel';
import InspectionsPanel from './InspectionsPanel';
import SurveyPanel from './SurveyPanel';
import type { ProjectEvaluation, ScorePartDto } from './types';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** A project's evaluation; the page header and the score summary share the one request. */
const useEvaluation = (projectId: number) =>
  useQuery({ queryKey: ['projects', projectId, 'evaluation'], queryFn: () => api.get<ProjectEvaluation>(`/projects/${projectId}/evaluation`) });

/** 综合得分: the three parts, their weights (renormalised when a part is missing) and the project score. */
function ScoreSummary({ projectId }: { projectId: number }) {
  const mobile = useIsMobile();
  const { data, isPending, error, refetch } = useEvaluation(projectId);
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const c = data.combined;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="score-summary">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title="项目综合得分" value={c.score ?? '—'} suffix={c.score === null ? undefined : '分'} styles={{ content: { color: '#1677ff' } }} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title="学员评价" value={data.participants.score ?? '—'} suffix={`（${data.participants.answers} 份答卷）`} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title="专家评分" value={data.experts.average ?? '—'} suffix={`（${data.experts.scored} 位专家）`} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title="督导检查" value={data.inspection.average ?? '—'} suffix={`（${data.inspection.count} 次）`} />
        </Col>
      </Row>
      <Alert type={c.renormalised ? 'warning' : 'info'} showIcon title={c.note} />
      {data.participants.score === null && data.participants.answers < data.participants.threshold && (
        <Typography.Text type="secondary">
          学员匿名评价需至少 {data.participants.threshold} 份答卷才计入综合得分（当前 {data.participants.answers} 份）。
        </Typography.Text>
      )}
      <Table<ScorePartDto>
        size="small"
        rowKey="part"
        pagination={false}
        dataSource={c.parts}
        columns={[
          { title: '评价方式', dataIndex: 'label' },
          { title: '得分', dataIndex: 'value', align: 'right', render: (v: number | null) => v ?? '缺少' },
          { title: '规定权重', dataIndex: 'weight', align: 'right', render: pct },
          { title: '实际权重', dataIndex: 'effectiveWeight', align: 'right', render: pct },
        ]}
      />
      {data.attendanceRate !== null && (
        <Typography.Text type="secondary">
          出勤率：{pct(data.attendanceRate)}
          {mobile ? '' : '（出勤人次 ÷ 报名人数 × 场次数）'}
        </Typography.Text>
      )}
    </Space>
  );
}

/**
 * The project's evaluation as tabs (综合得分 / 学员匿名评价 / 专家评分 / 督导检查). Exported so the project
 * page can mount it as a tab of its own; /projects/:id/evaluation shows it as a page.
 */
export function ProjectEvaluationPanel({ projectId }: { projectId: number }) {
  return (
    <Tabs
      destroyOnHidden
      items={[
        { key: 'score', label: '综合得分', children: <ScoreSummary projectId={projectId} /> },
        { key: 'survey', label: '学员匿名评价', children: <SurveyPanel projectId={projectId} /> },
        { key: 'experts', label: '专家评分', children: <ProjectExpertsPanel projectId={projectId} /> },
        { key: 'inspections', label: '督导检查', children: <InspectionsPanel projectId={projectId} /> },
      ]}
    />
  );
}

export default function ProjectEvaluationPage() {
  const id = Number(useParams().id);
  const { data, error, refetch } = useEvaluation(id);
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card
      title={
        <Space>
          <Link to={`/projects/${id}`} aria-label="返回项目">
            <ArrowLeftOutlined />
          </Link>
          <span>绩效评估{data ? `：${data.project.name}` : ''}</span>
        </Space>
      }
      extra={
        data && (
          <Typography.Text type="secondary">
            {data.project.code} · {data.project.orgName}
          </Typography.Text>
        )
      }
      data-testid="project-evaluation"
    >
      <ProjectEvaluationPanel projectId={id} />
    </Card>
  );
}
