import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, List, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloudUploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { PolicyListItem } from '../../api/types';
import { useAuth } from '../../auth';
import { EmptyState, LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { RELATION_LABELS } from './format';
import { dateTime } from '../../format';

const KIND_LABELS: Record<string, string> = {
  hours: '学时',
  credential: '资质证书',
  staffing: '师资配备',
  target: '目标任务',
  participation: '参训率',
  funding: '培训经费',
  planContent: '培训方案内容',
};

const periodText = (p: PolicyListItem['period']) => `${p.from} 至 ${p.to ?? '长期'}`;

/** 政策管理: the policies that apply here (attached here or above), those of sub-orgs, and unattached ones. */
export default function PolicyListPage() {
  const { me } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const {
    data,
    isPending: loading,
    error,
    refetch,
  } = useQuery({ queryKey: ['policies', 'list'], queryFn: () => api.get<{ items: PolicyListItem[] }>('/policies') });
  const items = data?.items ?? [];
  const canUpload = me?.role === 'bureauAdmin';

  const columns: TableColumnsType<PolicyListItem> = [
    {
      title: '政策',
      key: 'title',
      render: (_, p) => (
        <div>
          <Link to={`/policies/${p.id}`} data-testid="policy-link">
            {p.title}
          </Link>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
            {p.issuer ?? '—'} · 原文《{p.sourceTitle ?? p.title}》
          </div>
        </div>
      ),
    },
    {
      title: '挂接单位',
      key: 'org',
      width: 200,
      render: (_, p) => (
        <Space size={4} wrap>
          <Tag color={RELATION_LABELS[p.relation].color}>{RELATION_LABELS[p.relation].text}</Tag>
          {p.attachments.map((a) => a.orgName).join('、') || '—'}
        </Space>
      ),
    },
    { title: '版本', dataIndex: 'version', width: 80, render: (v: number, p) => <span title={`发布于 ${dateTime(p.publishedAt)}`}>第 {v} 版</span> },
    { title: '实施期', key: 'period', width: 210, render: (_, p) => periodText(p.period) },
    {
      title: '规则',
      key: 'rules',
      width: 240,
      render: (_, p) => (
        <span>
          {p.ruleCount} 条{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            （{p.ruleKinds.map((k) => KIND_LABELS[k] ?? k).join('、')}）
          </Typography.Text>
        </span>
      ),
    },
    {
      title: '',
      key: 'go',
      width: 90,
      render: (_, p) => (p.inForce || p.relation === 'below' ? <Link to={`/compliance?policyId=${p.id}`}>合规看板</Link> : null),
    },
  ];

  return (
    <Card
      title="政策管理"
      extra={
        canUpload && (
          <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => nav('/policies/new')} data-testid="new-policy">
            上传政策
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        每个地区的强师计划、实施方案都是一份版本化的政策文件，挂接到组织后适用于其下所有单位。合规看板按政策评估，每次评估记录所用版本。
      </Typography.Paragraph>
      {error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : mobile ? (
        <List
          loading={loading}
          dataSource={items}
          locale={{ emptyText: <EmptyState text="暂无政策" /> }}
          renderItem={(p) => (
            <List.Item key={p.id}>
              <List.Item.Meta
                title={<Link to={`/policies/${p.id}`}>{p.title}</Link>}
                description={`${RELATION_LABELS[p.relation].text} · 第 ${p.version} 版 · ${periodText(p.period)} · ${p.ruleCount} 条规则`}
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<PolicyListItem>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={items}
          columns={columns}
          pagination={false}
          locale={{ emptyText: <EmptyState text="暂无政策" /> }}
          data-testid="policies-table"
        />
      )}
    </Card>
  );
}
