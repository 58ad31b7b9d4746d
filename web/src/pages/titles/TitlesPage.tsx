import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Select, Space, Tabs, Tag, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import { LoadError } from '../../components/Status';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { downloadCertificate } from '../certificates/certificates';
import { EligibilityCard } from './EligibilityCard';
import { TitleRounds } from './TitleRounds';
import { TARGET_OPTIONS, type TitleEligibility } from './types';

interface ListResponse {
  org: { id: number; name: string };
  asOf: string;
  counts: { total: number; eligible: number };
  items: (TitleEligibility & { nationalIdMask: string })[];
}

/** 职称申报条件 of the school's teachers (可申报 / 还差, per target title) and the review rounds. */
export default function TitlesPage() {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        职称申报
      </Typography.Title>
      <Tabs
        items={[
          { key: 'eligibility', label: '申报条件', children: <EligibilityList /> },
          { key: 'rounds', label: '评审年度', children: <TitleRounds /> },
        ]}
      />
    </Space>
  );
}

function EligibilityList() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<string | undefined>();
  const [target, setTarget] = useState<string | undefined>();
  const [open, setOpen] = useState<TitleEligibility | null>(null);
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['titles', 'eligibility', status ?? '', target ?? ''],
    queryFn: () => api.get<ListResponse>('/titles/eligibility', { status, target }),
  });
  const proof = async (e: TitleEligibility) => {
    try {
      await downloadCertificate(`/teachers/${e.teacherId}/hours-proof`, `继续教育学时证明_${e.name}.pdf`);
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card size="small">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="全部（可申报/还差）"
          style={{ width: 180 }}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'eligible', label: '可申报' },
            { value: 'short', label: '还差' },
          ]}
          aria-label="申报状态"
        />
        <Select
          allowClear
          placeholder="全部申报职称"
          style={{ width: 180 }}
          value={target}
          onChange={setTarget}
          options={TARGET_OPTIONS}
          aria-label="申报职称"
        />
        {data ? (
          <Typography.Text type="secondary">
            {data.org.name}，基准日 {data.asOf}：{data.counts.total} 人，其中可申报 {data.counts.eligible} 人
          </Typography.Text>
        ) : null}
      </Space>
      {error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : (
        <ResponsiveTable
          rowKey="teacherId"
          loading={isPending}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '学校', dataIndex: 'orgName' },
            { title: '现职称', key: 'title', render: (_, e) => `${e.titleLabel}${e.titleDate ? `（${e.titleDate}）` : ''}` },
            { title: '申报职称', key: 'target', render: (_, e) => e.targetLabel ?? '—' },
            {
              title: '结果',
              key: 'eligible',
              render: (_, e) => (e.eligible ? <Tag color="green">可申报</Tag> : <Tag color="orange">还差 {e.reasons.length} 项</Tag>),
            },
            { title: '还差', key: 'reasons', render: (_, e) => e.reasons.map((r) => r.message).join('；') },
            {
              title: '操作',
              key: 'op',
              render: (_, e) => (
                <Space>
                  <Button size="small" onClick={() => setOpen(e)}>
                    详情
                  </Button>
                  <Button size="small" icon={<FilePdfOutlined />} onClick={() => void proof(e)}>
                    学时证明
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Drawer open={!!open} onClose={() => setOpen(null)} title={open ? `${open.name}的职称申报条件` : ''} width={560}>
        {open ? <EligibilityCard e={open} /> : null}
      </Drawer>
    </Card>
  );
}
