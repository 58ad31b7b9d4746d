import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { api, errorText } from '../../api/client';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useApi, useIsMobile } from '../../hooks';
import { label, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';
import type { EnrollableProject } from './workflow-types';

const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'green', rejected: 'red', withdrawn: 'default', replaced: 'default' };

/** 可报名项目 (自主选学): open projects of the teacher's region; applying sends a request to the school. Phone first. */
export default function EnrollablePage() {
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { data, loading, error, reload } = useApi(() => api.get<{ items: EnrollableProject[] }>('/my/enrollable'), []);
  const [busy, setBusy] = useState<number | null>(null);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  const items = data?.items ?? [];
  if (!items.length)
    return (
      <Card>
        <EmptyState text="目前没有可自主报名的培训项目" />
      </Card>
    );

  const act = async (p: EnrollableProject, what: 'apply' | 'withdraw') => {
    setBusy(p.id);
    try {
      if (what === 'apply') await api.post(`/projects/${p.id}/self-enrol`);
      else await api.post(`/projects/${p.id}/self-enrol/withdraw`, {});
      message.success(what === 'apply' ? '已提交报名，等待学校审核' : '已撤销报名');
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="enrollable">
      {items.map((p) => (
        <Card
          key={p.id}
          size={mobile ? 'small' : undefined}
          title={
            <Typography.Text strong style={{ whiteSpace: 'normal' }}>
              {p.name}
            </Typography.Text>
          }
          extra={p.myStatus ? <Tag color={STATUS_COLOR[p.myStatus]}>{p.myStatusLabel}</Tag> : null}
          data-testid={`enrollable-${p.id}`}
        >
          <Space wrap size={[4, 4]} style={{ marginBottom: 8 }}>
            <Tag>{label(PROJECT_LEVELS, p.level)}</Tag>
            <Tag>{label(PROJECT_FORMS, p.form)}</Tag>
            <Typography.Text type="secondary">{p.orgName}</Typography.Text>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {p.startDate} 至 {p.endDate} · {p.targetHours} 学时 · 面向：{p.audienceText}
            {p.seatsLeft !== null && ` · 剩余名额 ${p.seatsLeft}`}
            {p.enrolDeadline && ` · 报名截止 ${p.enrolDeadline}${p.enrolClosed ? '（已截止）' : ''}`}
          </Typography.Paragraph>
          {p.eligibility && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={p.eligibility} />}
          <Space wrap>
            <Link to={`/my/enrol/${p.id}`} data-testid={`detail-${p.id}`}>
              <Button block={mobile}>查看详情</Button>
            </Link>
            {p.canApply && (
              <Button
                type="primary"
                block={mobile}
                disabled={!!p.eligibility || p.seatsLeft === 0}
                loading={busy === p.id}
                onClick={() => void act(p, 'apply')}
                data-testid={`apply-${p.id}`}
              >
                {p.myStatus ? '重新报名' : '报名'}
              </Button>
            )}
            {p.canWithdraw && (
              <Popconfirm title="确定撤销报名？" okText="撤销" cancelText="取消" onConfirm={() => act(p, 'withdraw')}>
                <Button loading={busy === p.id}>撤销报名</Button>
              </Popconfirm>
            )}
            {p.assigned && (
              // Assigned by the school or bureau: not the teacher's to cancel; they ask for leave per session.
              <Space wrap data-testid={`assigned-${p.id}`}>
                <Link to="/my/projects">
                  <Button>请假</Button>
                </Link>
                <Typography.Text type="secondary">由学校或教育局选派，不能自行取消报名；不能参加时请为场次请假</Typography.Text>
              </Space>
            )}
          </Space>
        </Card>
      ))}
    </Space>
  );
}
