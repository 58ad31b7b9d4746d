import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Card, DatePicker, List, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
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
import { Cite, STATUS_COLORS, STATUS_HEX, StatusTag } from './parts';
import { URGENCY_LABELS, type Urgency } from '../../../../server/src/modules/policies/policy.status';

type Row = ComplianceWorklist['items'][number];
type Show = 'attention' | 'onPace' | 'all';

/** Urgency tag colours follow the outcomes: 未达标 red, 临期 orange, 进行中 blue. */
const URGENCY_COLORS: Record<Urgency, string> = {
  overdue: STATUS_COLORS.overdue,
  dueSoon: STATUS_COLORS.dueSoon,
  behind: STATUS_COLORS.inProgress,
  onPace: STATUS_COLORS.inProgress,
};

/** The short lines of one teacher: each unmet requirement with its outcome, the seed's words on hover. */
function Needs({ row }: { row: Row }) {
  return (
    <ul style={{ margin: 0, paddingInlineStart: 16 }} data-testid="worklist-needs">
      {row.items.map((i) => (
        <li key={`${i.policyId}-${i.ruleId}`} style={{ marginBottom: 2 }} data-status={i.status}>
          <StatusTag status={i.status} behind={i.pace?.behind} />
          <Cite cite={i.cite} source={i.policyTitle}>
            <span style={{ cursor: 'help', color: i.status === 'overdue' ? STATUS_HEX.overdue : undefined }}>{i.explanation}</span>
          </Cite>
        </li>
      ))}
    </ul>
  );
}

/**
 * 待办清单: the teachers of a school needing attention under the policies in force there — 未达标 first,
 * then 临期, then 进行中 behind a linear pace — each with what they still need. Teachers in progress on
 * pace are not failures: they have their own filter. County and city admins pick a school.
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
  const show = (['attention', 'onPace', 'all'].includes(params.get('show') ?? '') ? params.get('show') : 'attention') as Show;
  // Above a school the list would cover a whole county or city: ask for a school first.
  const ready = atSchool || orgId !== undefined;
  const query = { orgId, policyId, asOf, show, page, pageSize };
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
      title: '紧迫程度',
      dataIndex: 'earliestDeadline',
      width: 150,
      render: (d: string | null, r) => (
        <Space orientation="vertical" size={2}>
          <Tag color={URGENCY_COLORS[r.urgency]} data-testid="worklist-urgency">
            {URGENCY_LABELS[r.urgency]}
          </Tag>
          <span>截止 {d ?? '—'}</span>
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="待办清单：需关注的教师"
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
        <EmptyState text="请选择一所学校，查看该校需关注的教师" />
      ) : error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          {data && (
            <>
              <Alert
                type={data.counts.overdue ? 'error' : data.counts.dueSoon || data.counts.behind ? 'warning' : 'success'}
                showIcon
                style={{ marginBottom: 12 }}
                title={summaryTitle(data)}
                description={`依据 ${data.policies.map((p) => `${p.title}（第 ${p.version} 版）`).join('；') || '—'}，评估日期 ${data.asOf}。未达标指截止日期已过仍未完成；临期指截止日期临近；进行中的教师尚在期限内。将鼠标移到某一项上可查看政策原文。`}
                data-testid="worklist-summary"
              />
              <Segmented<Show>
                value={show}
                onChange={(v) => set({ show: v === 'attention' ? undefined : v })}
                options={[
                  { value: 'attention', label: `需关注 ${data.counts.overdue + data.counts.dueSoon + data.counts.behind}` },
                  { value: 'onPace', label: `进行中·进度正常 ${data.counts.onPace}` },
                  { value: 'all', label: '全部未完成' },
                ]}
                style={{ marginBottom: 12 }}
                data-testid="worklist-filter"
              />
            </>
          )}
          {mobile ? (
            <List
              loading={loading}
              dataSource={data?.items ?? []}
              locale={{ emptyText: <EmptyState text={EMPTY[show]} /> }}
              pagination={
                data && data.total > pageSize ? { current: page, pageSize, total: data.total, onChange: (p) => set({ page: p }), size: 'small' } : false
              }
              renderItem={(r) => (
                <List.Item key={r.teacher.id}>
                  <div style={{ width: '100%' }}>
                    <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                      <Link to={`/compliance/teachers/${r.teacher.id}`}>{r.teacher.name}</Link>
                      <Space size={4}>
                        <Tag color={URGENCY_COLORS[r.urgency]}>{URGENCY_LABELS[r.urgency]}</Tag>
                        <Typography.Text type={r.urgency === 'overdue' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                          截止 {r.earliestDeadline ?? '—'}
                        </Typography.Text>
                      </Space>
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
              locale={{ emptyText: <EmptyState text={EMPTY[show]} /> }}
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

const EMPTY: Record<Show, string> = { attention: '没有需关注的教师', onPace: '没有进度正常的进行中教师', all: '没有未完成要求的教师' };

/** '甲区第一小学：未达标 2 人，临期 1 人，落后进度 3 人；另有 12 人进行中、进度正常'. */
function summaryTitle(d: ComplianceWorklist): string {
  const c = d.counts;
  const parts = [c.overdue && `未达标 ${c.overdue} 人`, c.dueSoon && `临期 ${c.dueSoon} 人`, c.behind && `落后进度 ${c.behind} 人`].filter(Boolean);
  const onPace = c.onPace ? `${parts.length ? '；另有' : ''} ${c.onPace} 人进行中、进度正常` : '';
  if (!parts.length && !c.onPace) return `${d.org.name}：所有教师均已达标`;
  return `${d.org.name}：${parts.join('，')}${onPace}`.replace('： ', '：');
}
