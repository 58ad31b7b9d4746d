import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import PageCard from '../../components/PageCard';
import { Button, Input, Select, Space, Tag, Tooltip } from 'antd';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../api/client';
import type { Page, ProjectDto } from '../../api/types';
import { useAuth } from '../../auth';
import { EmptyState, LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { PROJECT_STATES, STATUS_COLORS } from './status';
import { CATEGORIES, label, options, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';
import { chinaYear } from '../../china-time';

/** 培训项目: server-paged list with search, status and year filters (kept in the URL). */
export default function ProjectListPage() {
  const { can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const f = { q: params.get('q') ?? '', status: params.get('status') ?? '', year: params.get('year') ?? '' };
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20));
  const [q, setQ] = useState(f.q);
  useEffect(() => setQ(f.q), [f.q]);
  const query: Query = { ...f, page, pageSize };
  const {
    data,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({ queryKey: ['projects', 'list', query], queryFn: () => api.get<Page<ProjectDto>>('/projects', query), placeholderData: keepPreviousData });

  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v === undefined || v === '' ? next.delete(k) : next.set(k, String(v));
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };
  const thisYear = chinaYear();

  const columns: TableColumnsType<ProjectDto> = [
    // Sized to fit a 1366 px screen without sideways scrolling: the code sits under the name, dates on two lines.
    {
      title: '项目名称',
      dataIndex: 'name',
      width: mobile ? undefined : 212,
      render: (v: string, p) => (
        <span>
          <Link to={`/projects/${p.id}`}>{v}</Link>
          {!mobile && <div style={{ fontSize: 12, color: '#8c8c8c' }}>{p.code}</div>}
        </span>
      ),
    },
    {
      title: '级别 / 形式',
      dataIndex: 'level',
      width: 120,
      render: (v: string, p) => (
        <span>
          {label(PROJECT_LEVELS, v)}
          <br />
          {label(PROJECT_FORMS, p.form)}
        </span>
      ),
    },
    {
      title: '类别',
      dataIndex: 'categories',
      width: 130,
      render: (v: string[]) =>
        v.map((c) => (
          <Tag key={c} color="blue" style={{ marginBottom: 2 }}>
            {label(CATEGORIES, c)}
          </Tag>
        )),
    },
    { title: '计划学时', dataIndex: 'targetHours', width: 90, align: 'right' },
    {
      title: '起止日期',
      key: 'dates',
      width: 130,
      render: (_: unknown, p) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {p.startDate}
          <br />至 {p.endDate}
        </span>
      ),
    },
    { title: '场次', dataIndex: 'sessionCount', width: 64, align: 'right' },
    { title: '学员', dataIndex: 'enrolledCount', width: 80, align: 'right', render: (n: number) => <span style={{ whiteSpace: 'nowrap' }}>{n} 人</span> },
    { title: '主办单位', dataIndex: 'orgName', width: 140, ellipsis: true },
    {
      title: '状态',
      dataIndex: 'status',
      width: 96,
      fixed: mobile ? undefined : 'right',
      render: (v: string, p) => (
        <Tooltip title={p.status === 'submitted' && p.pendingOrgName ? `等待「${p.pendingOrgName}」审批` : undefined}>
          <Tag color={STATUS_COLORS[v]}>{p.statusLabel || label(PROJECT_STATES, v)}</Tag>
        </Tooltip>
      ),
    },
  ];

  return (
    <PageCard
      title="培训项目"
      actions={
        can('projects.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/projects/new')}>
            立项申报
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="项目名称 / 编号"
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => set({ q: v.trim() })}
          style={{ width: mobile ? '100%' : 240 }}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 130 }}
          value={f.status || undefined}
          onChange={(v?: string) => set({ status: v })}
          options={options(PROJECT_STATES)}
        />
        <Select
          allowClear
          placeholder="年度"
          style={{ width: 110 }}
          value={f.year || undefined}
          onChange={(v?: string) => set({ year: v })}
          options={Array.from({ length: 6 }, (_, i) => String(thisYear + 1 - i)).map((y) => ({ value: y, label: `${y}年` }))}
        />
      </Space>
      {error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : (
        // A card per project on phones: in a 390 px table the names were squeezed to a few characters a line.
        <ResponsiveTable<ProjectDto>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          columns={mobile ? columns.filter((c) => ['name', 'status', 'enrolledCount'].includes(String((c as { dataIndex?: string }).dataIndex))) : columns}
          scroll={{ x: mobile ? undefined : 1060 }}
          locale={{ emptyText: <EmptyState text={f.q || f.status || f.year ? '没有符合条件的项目' : '暂无培训项目'} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `共 ${t} 个项目`,
            onChange: (p, ps) => set(ps !== pageSize ? { page: undefined, pageSize: ps } : { page: p }),
          }}
          data-testid="project-table"
        />
      )}
    </PageCard>
  );
}
