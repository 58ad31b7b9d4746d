import { Alert, Button, Card, Descriptions, Space, Steps, Tag } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { AllowedAction, ProjectDetail } from '../../../api/types';
import { useIsMobile } from '../../../hooks';
import { CATEGORIES, label, PROJECT_FORMS, PROJECT_LEVELS } from '../../../vocab';
import FastTrackButton from '../FastTrackButton';
import { capacityText, isFrozen, PROJECT_STATES, STATUS_COLORS } from '../status';
import { BACKWARD, pct } from './shared';

/** Index in the approval Steps (proposer, chain…, filing) that is in progress. */
function chainStep(p: ProjectDetail): number {
  const cur = p.approvalChain.findIndex((c) => c.current);
  if (cur >= 0) return cur + 1;
  return p.filingNo ? p.approvalChain.length + 1 : p.approvalChain.filter((c) => c.done).length + 1;
}

/** The head of 项目详情: name and state, the lifecycle action buttons, the approval chain, the key facts and state notices. */
export default function ProjectSummaryCard({
  project: p,
  onAction,
  onChanged,
}: {
  project: ProjectDetail;
  onAction: (a: AllowedAction) => void;
  onChanged: () => void;
}) {
  const nav = useNavigate();
  const mobile = useIsMobile();
  const frozen = isFrozen(p.status);
  const pendingRecognition = p.status === 'recognitionPending';

  const actionButtons = [
    <FastTrackButton key="fast-track" projectId={p.id} status={p.status} onDone={onChanged} />,
    ...p.allowedActions.map((a) => (
      <Button
        key={a.action}
        type={BACKWARD.has(a.action) ? 'default' : 'primary'}
        danger={a.action === 'reject'}
        onClick={() => onAction(a)}
        data-testid={`action-${a.action}`}
      >
        {a.label}
      </Button>
    )),
  ];

  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav('/projects')} aria-label="返回" />
          <span data-testid="project-name" style={{ whiteSpace: 'normal' }}>
            {p.name}
          </span>
          <Tag color={STATUS_COLORS[p.status]} data-testid="project-status">
            {p.statusLabel || label(PROJECT_STATES, p.status)}
          </Tag>
        </Space>
      }
      extra={
        !mobile && (
          <Space wrap>
            {p.canEdit && (
              <Button icon={<EditOutlined />} onClick={() => nav(`/projects/${p.id}/edit`)}>
                修改申报
              </Button>
            )}
            {actionButtons}
          </Space>
        )
      }
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      {mobile && (p.canEdit || p.allowedActions.length > 0) && (
        <Space wrap style={{ marginBottom: 12 }}>
          {p.canEdit && (
            <Button icon={<EditOutlined />} onClick={() => nav(`/projects/${p.id}/edit`)}>
              修改申报
            </Button>
          )}
          {actionButtons}
        </Space>
      )}
      {p.status === 'submitted' && p.pendingOrgName && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`等待「${p.pendingOrgName}」审批`} />}
      {p.approvalChain.length > 0 && (
        <Steps
          size="small"
          style={{ marginBottom: 16 }}
          orientation={mobile ? 'vertical' : 'horizontal'}
          current={chainStep(p)}
          status={p.status === 'rejected' ? 'error' : undefined}
          items={[
            { title: `申报：${p.orgName}`, status: 'finish' as const },
            ...p.approvalChain.map((c) => ({
              title: c.orgName,
              content: c.done ? '已审批' : c.current ? '审批中' : '待审批',
              status: c.done ? ('finish' as const) : c.current ? ('process' as const) : ('wait' as const),
            })),
            { title: p.filingNo ? `备案 ${p.filingNo}` : '备案', status: p.filingNo ? ('finish' as const) : ('wait' as const) },
          ]}
          data-testid="approval-chain"
        />
      )}
      <Descriptions
        size="small"
        column={mobile ? 1 : 3}
        items={[
          { key: 'code', label: '项目编号', children: p.code },
          { key: 'filing', label: '备案号', children: p.filingNo ?? '—' },
          { key: 'level', label: '项目级别', children: label(PROJECT_LEVELS, p.level) },
          { key: 'form', label: '培训形式', children: label(PROJECT_FORMS, p.form) },
          {
            key: 'cats',
            label: '培训类别',
            children: p.categories.map((c) => (
              <Tag key={c} color="blue">
                {label(CATEGORIES, c)}
              </Tag>
            )),
          },
          { key: 'hours', label: '计划学时', children: `${p.targetHours} 学时` },
          { key: 'dates', label: '起止日期', children: `${p.startDate} 至 ${p.endDate}` },
          { key: 'org', label: '申报单位', children: p.orgName },
          {
            key: 'enrolled',
            label: '学员 / 计划',
            children: `${p.enrolledCount} / ${capacityText(p.capacity)}${p.pendingCount ? `（待审核 ${p.pendingCount}）` : ''}`,
          },
          { key: 'budget', label: '预算', children: `${(p.budget ?? 0).toLocaleString('zh-CN')} 元` },
          { key: 'aud', label: '培训对象', children: p.audienceText || '不限' },
          { key: 'thr', label: '出勤要求', children: `每场 ≥ ${pct(p.participationThreshold.threshold)}%` },
        ]}
      />
      {pendingRecognition && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={`学时认定已提交，等待「${p.pendingOrgName ?? '审批单位'}」确认；考勤和学员名单已冻结。`}
          data-testid="recognition-pending"
        />
      )}
      {frozen && p.status !== 'rejected' && <Alert type="info" showIcon style={{ marginTop: 12 }} title="项目已结项，学时已认定；场次、考勤和学员名单只读。" />}
      {p.status === 'rejected' && <Alert type="error" showIcon style={{ marginTop: 12 }} title="项目未获立项，意见见“流转记录”。" />}
      {p.viewOnly && (
        <Alert type="info" showIcon style={{ marginTop: 12 }} title="本校教师参加的项目：只读，学员与考勤仅显示本校教师。" data-testid="view-only" />
      )}
    </Card>
  );
}
