import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import PageCard from '../../components/PageCard';
import type { TableColumnsType } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, apiUrl, type Query } from '../../api/client';
import type { Page, TeacherDto } from '../../api/types';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError } from '../../components/Status';
import { useApi, useIsMobile } from '../../hooks';
import ExactSearchButton from './ExactSearch';
import { label, options, GENDERS, STAGES, SUBJECT_OPTIONS, TEACHER_ROLES, TEACHER_STATUS, TITLES } from '../../vocab';

const FILTERS = ['q', 'orgId', 'stage', 'subject', 'role', 'title', 'status'] as const;
type FilterKey = (typeof FILTERS)[number];

const STATUS_COLORS: Record<string, string> = { active: 'green', retired: 'default', transferred: 'orange', banned: 'red' };

/** 教师管理: filterable, server-paged teacher list; filters live in the URL so links and reloads keep them. */
export default function TeacherListPage() {
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const { tree } = useOrgTree(me?.id);
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<FilterKey, string>;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20));
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);

  const query: Query = { ...filters, page, pageSize };
  const key = JSON.stringify(query);
  const { data, loading, error, reload } = useApi(() => api.get<Page<TeacherDto>>('/teachers', query), [key]);

  /** Change filters; any filter change goes back to page 1. */
  const setFilter = (patch: Partial<Record<FilterKey | 'page' | 'pageSize', string | number | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '' || v === null) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };
  const exportQuery: Query = { ...filters };
  // Two filters per row on phones.
  const w = (px: number) => (mobile ? 'calc(50% - 4px)' : px);
  const hasFilters = FILTERS.some((k) => filters[k]);

  const columns: TableColumnsType<TeacherDto> = [
    // Widths sum to the table's scroll width (1044, inside a 1366 px screen), leaving the school ~10 characters.
    { title: '姓名', dataIndex: 'name', width: mobile ? 80 : 88, render: (v: string, t) => <Link to={`/teachers/${t.id}`}>{v}</Link> },
    { title: '性别', dataIndex: 'gender', width: 48, render: (v: string) => label(GENDERS, v) },
    {
      title: '身份证号',
      dataIndex: 'nationalIdMasked',
      width: 166,
      render: (v: string) => <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text>,
    },
    { title: '手机号', dataIndex: 'phoneMasked', width: 116, render: (v: string | null) => v ?? '—' },
    {
      title: '学校',
      dataIndex: 'orgName',
      width: mobile ? undefined : 176,
      // A long name ends in … with the whole name on hover (it was cut to 4 characters).
      ellipsis: { showTitle: false },
      render: (v: string) => (
        <Tooltip placement="topLeft" title={v}>
          {v}
        </Tooltip>
      ),
    },
    { title: '学段', dataIndex: 'stage', width: mobile ? 56 : 60, render: (v: string) => label(STAGES, v) },
    { title: '任教学科', dataIndex: 'subjects', width: 100, render: (v: string[]) => v.join('、') || '—' },
    { title: '职称', dataIndex: 'title', width: 88, render: (v: string | null) => label(TITLES, v) },
    {
      title: '岗位角色',
      dataIndex: 'roles',
      width: 130,
      render: (v: TeacherDto['roles']) =>
        v.length
          ? v.map((r) => (
              <Tag key={r.role} style={{ marginBottom: 2 }}>
                {label(TEACHER_ROLES, r.role)}
              </Tag>
            ))
          : '—',
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: mobile ? 64 : 72,
      fixed: mobile ? undefined : 'right',
      render: (v: string) => <Tag color={STATUS_COLORS[v]}>{label(TEACHER_STATUS, v)}</Tag>,
    },
  ];

  return (
    <PageCard
      title="教师管理"
      actions={
        <>
          {can('teachers.unmask') && <ExactSearchButton />}
          {can('teachers.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/teachers/new')}>
              新增教师
            </Button>
          )}
          {can('teachers.import') && (
            <Button icon={<CloudUploadOutlined />} onClick={() => nav('/teachers/import')}>
              导入
            </Button>
          )}
          {can('teachers.export') && (
            <Button icon={<DownloadOutlined />} href={apiUrl('/teachers/export', exportQuery)} download data-testid="export-link">
              导出Excel
            </Button>
          )}
        </>
      }
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 16 }} data-testid="teacher-filters">
        <Input.Search
          placeholder="按姓名查找"
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => {
            // A 身份证号 or phone never goes into the page URL (it would end up in logs and browser history).
            if (/\d{6,}/.test(v)) {
              setQ('');
              message.warning(can('teachers.unmask') ? '按身份证号或手机号查找请用「精确查找」' : '请按姓名查找');
              return;
            }
            setFilter({ q: v.trim() });
          }}
          style={{ width: mobile ? '100%' : 240 }}
          aria-label="搜索"
        />
        <OrgTreeSelect
          tree={tree}
          value={filters.orgId ? Number(filters.orgId) : undefined}
          onChange={(v) => setFilter({ orgId: v })}
          placeholder="学校/单位"
          style={{ width: w(200) }}
        />
        <Select
          allowClear
          placeholder="学段"
          style={{ width: w(110) }}
          value={filters.stage || undefined}
          onChange={(v?: string) => setFilter({ stage: v })}
          options={options(STAGES)}
        />
        <Select
          allowClear
          showSearch
          placeholder="学科"
          style={{ width: w(120) }}
          value={filters.subject || undefined}
          onChange={(v?: string) => setFilter({ subject: v })}
          options={SUBJECT_OPTIONS}
        />
        <Select
          allowClear
          placeholder="岗位角色"
          style={{ width: w(150) }}
          value={filters.role || undefined}
          onChange={(v?: string) => setFilter({ role: v })}
          options={options(TEACHER_ROLES)}
        />
        <Select
          allowClear
          placeholder="职称"
          style={{ width: w(120) }}
          value={filters.title || undefined}
          onChange={(v?: string) => setFilter({ title: v })}
          options={options(TITLES)}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: w(100) }}
          value={filters.status || undefined}
          onChange={(v?: string) => setFilter({ status: v })}
          options={options(TEACHER_STATUS)}
        />
        {hasFilters && (
          <Button icon={<ReloadOutlined />} onClick={() => setParams(new URLSearchParams())}>
            清空筛选
          </Button>
        )}
      </div>
      {error ? (
        <LoadError error={error} onRetry={reload} />
      ) : (
        <Table<TeacherDto>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          columns={mobile ? columns.filter((c) => ['name', 'orgName', 'stage', 'status'].includes(String((c as { dataIndex?: string }).dataIndex))) : columns}
          // Fits a 1366 px screen, so 岗位角色 is not hidden under the fixed 状态 column.
          scroll={mobile ? undefined : { x: 1044 }}
          locale={{ emptyText: <EmptyState text={hasFilters ? '没有符合条件的教师' : '暂无教师，请新增或批量导入'} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (t) => `共 ${t} 名教师`,
            onChange: (p, ps) => setFilter(ps !== pageSize ? { page: undefined, pageSize: ps } : { page: p }),
          }}
          data-testid="teacher-table"
        />
      )}
    </PageCard>
  );
}
