import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Card, DatePicker, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { BarChartOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ComplianceWorklist } from '../../api/types';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { label, STAGES } from '../../vocab';
import { Cite } from './parts';

type Row = ComplianceWorklist['items'][number];

/** The short lines of one teacher: '还差 12 学时 班主任研修，截止 2025-12-31', the seed's words on hover. */
function Needs({ row }: { row: Row }) {
  return (
    <ul style={{ margin: 0, paddingInlineStart: 16 }} data-testid="worklist-needs">
      {row.items.map((i) => (
        <li key={`${i.policyId}-${i.ruleId}`} style={{ marginBottom: 2 }}>
          <Cite cite={i.cite} source={i.policyTitle}>
            <span style={{ cursor: 'help', color: i.overdue ? '#cf1322' : undefined }}>{i.explanation}</span>
          </Cite>
        </li>
      ))}
    </ul>
  );
}

/**
 * 待办清单: the teachers of a school short of any rule of the policies in force there, earliest
 * deadline first, each with what they still need. County and city admins pick a school.
 */
export default function WorklistPage() {
  const { me } = useAuth();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const { tree } = useOrgTree(me?.id);
  const atSchool = me?.role === 'schoolAdmin';
  const orgId = params.get('orgId') ? Number(params.get('orgId')) : undefined;
  const policyId = params.get('policyId') ? Number(params.get('policyId')) : undefined;
  const asOf = params.get('asOf') ?? undefined;
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  // Above a school the list would cover a whole county or city: ask for a school first.
  const ready = atSchool || orgId !== undefined;
  const query = { orgId, policyId, asOf, page, pageSize };
  const {
    data,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({
    queryKey: ['compliance', 'worklist', query],
    queryFn: () => api.get<ComplianceWorklist>('/compliance/worklist', query),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v === undefined || v === '' ? next.delete(k) : next.set(k, String(v));
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const columns: TableColumnsType<Row> = [
    {
      title: '教师',
      key: 'teacher',
      width: 150,
      fixed: 'left',
      render: (_, r) => (
        <div>
          <Link to={`/compliance/teachers/${r.teacher.id}`} data-testid="worklist-teacher">
            {r.teacher.name}
          </Link>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
            {label(STAGES, r.teacher.stage)} · {r.teacher.subjects.join('、') || '—'}
          </div>
        </div>
      ),
    },
    ...(data && data.org.kind !== 'school' ? [{ title: '学校', key: 'org', width: 160, render: (_: unknown, r: Row) => r.teacher.orgName }] : []),
    { title: '还需完成', key: 'needs', render: (_, r) => <Needs row={r} /> },
    {
      title: '最早截止',
      dataIndex: 'earliestDeadline',
      width: 130,
      render: (d: string | null, r) => (
        <Space orientation="vertical" size={2}>
          <span>{d ?? '—'}</span>
          {r.overdue && <Tag color="red">有已过期</Tag>}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="待办清单：未达标的教师"
      extra={
        <Space wrap>
          {!atSchool && (
            <OrgTreeSelect
              tree={tree}
              value={orgId}
              onChange={(v) => set({ orgId: v })}
              schoolsOnly
              placeholder="选择学校"
              style={{ width: mobile ? 180 : 240 }}
            />
          )}
          {policyId !== undefined && data && (
            <Tag
              closable
              onClose={() => set({ policyId: undefined })}
              style={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis' }}
              title="关闭后显示全部适用政策"
            >
              仅：{data.policies.find((p) => p.id === policyId)?.title ?? `政策 ${policyId}`}
            </Tag>
          )}
          {policyId === undefined && data && data.policies.length > 1 && (
            <Select
              allowClear
              placeholder="全部适用政策"
              value={policyId}
              onChange={(v?: number) => set({ policyId: v })}
              options={data.policies.map((p) => ({ value: p.id, label: p.title }))}
              style={{ width: mobile ? 200 : 280 }}
              popupMatchSelectWidth={false}
              aria-label="政策"
            />
          )}
          <DatePicker
            value={asOf ? dayjs(asOf) : undefined}
            placeholder="评估日期：今天"
            onChange={(d) => set({ asOf: d ? d.format('YYYY-MM-DD') : undefined })}
            aria-label="评估日期"
            style={{ width: 150 }}
          />
          <Link to={`/compliance${orgId ? `?orgId=${orgId}${policyId ? `&policyId=${policyId}` : ''}` : ''}`}>
            <BarChartOutlined /> 合规看板
          </Link>
        </Space>
      }
      styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
      data-testid="worklist"
    >
      {!ready ? (
        <EmptyState text="请选择一所学校，查看该校未达标的教师" />
      ) : error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          {data && (
            <Alert
              type={data.total ? 'warning' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              title={data.total ? `${data.org.name}：${data.total} 名教师有未完成的要求（按截止日期排序）` : `${data.org.name}：所有教师均已达标`}
              description={`依据 ${data.policies.map((p) => `${p.title}（第 ${p.version} 版）`).join('；') || '—'}，评估日期 ${data.asOf}。将鼠标移到某一项上可查看政策原文。`}
            />
          )}
          {mobile ? (
            <List
              loading={loading}
              dataSource={data?.items ?? []}
              locale={{ emptyText: <EmptyState text="没有未达标的教师" /> }}
              pagination={
                data && data.total > pageSize ? { current: page, pageSize, total: data.total, onChange: (p) => set({ page: p }), size: 'small' } : false
              }
              renderItem={(r) => (
                <List.Item key={r.teacher.id}>
                  <div style={{ width: '100%' }}>
                    <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                      <Link to={`/compliance/teachers/${r.teacher.id}`}>{r.teacher.name}</Link>
                      <Typography.Text type={r.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                        截止 {r.earliestDeadline ?? '—'}
                      </Typography.Text>
                    </Space>
                    <Needs row={r} />
                  </div>
                </List.Item>
              )}
            />
          ) : (
            <Table<Row>
              rowKey={(r) => r.teacher.id}
              size="small"
              loading={loading}
              dataSource={data?.items ?? []}
              columns={columns}
              scroll={{ x: 760 }}
              locale={{ emptyText: <EmptyState text="没有未达标的教师" /> }}
              pagination={{
                current: page,
                pageSize,
                total: data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [20, 50, 100],
                showTotal: (t) => `共 ${t} 名教师`,
                onChange: (p, s) => set({ page: p, pageSize: s }),
              }}
              data-testid="worklist-table"
            />
          )}
        </>
      )}
    </Card>
  );
}
