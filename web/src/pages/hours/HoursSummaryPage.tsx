import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App, Breadcrumb, Button, Card, Dropdown, Select, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { downloadCertificate } from '../certificates/certificates';
import type { HoursSummary, HoursSummaryRow } from '../../api/types';
import { useAuth } from '../../auth';
import { SummaryChart, usedCategories } from '../../components/HoursChart';
import { findOrgPath, OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label } from '../../vocab';
import { chinaYear } from '../../china-time';

const fmt = (n: number) => Math.round(n * 10) / 10;

/** 学时统计: hours per child org (or per teacher, for a school) in a year; click to drill down. */
export default function HoursSummaryPage() {
  const { me } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const { tree } = useOrgTree(me?.id);
  const thisYear = chinaYear();
  const year = Number(params.get('year')) || thisYear;
  const orgId = params.get('orgId') ? Number(params.get('orgId')) : undefined;
  const {
    data,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({
    queryKey: ['hours', 'summary', { orgId, year }],
    queryFn: () => api.get<HoursSummary>('/hours/summary', { orgId, year }),
    placeholderData: keepPreviousData,
  });

  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v === undefined ? next.delete(k) : next.set(k, String(v));
    setParams(next);
  };
  // No year asked for and nothing recognised yet this year: show last year instead of an empty page.
  const explicitYear = params.has('year');
  useEffect(() => {
    if (!explicitYear && year === thisYear && data && !loading && data.year === thisYear && !data.rows.some((r) => r.totalHours)) {
      const next = new URLSearchParams(params);
      next.set('year', String(thisYear - 1));
      setParams(next, { replace: true });
    }
  }, [explicitYear, year, thisYear, data, loading, params, setParams]);
  // 学时统计表 in the layout bureaus send upward (by school or by subject), for the org and year shown.
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const exportTable = async (by: 'school' | 'subject') => {
    setExporting(true);
    try {
      const q = new URLSearchParams({ year: String(year), by, ...(orgId ? { orgId: String(orgId) } : {}) });
      await downloadCertificate(`/hours/summary/table.xlsx?${q}`, `学时统计表_${year}年.xlsx`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  const open = (r: HoursSummaryRow) => (r.kind === 'teacher' ? nav(`/teachers/${r.id}`) : set({ orgId: r.id }));

  const rows = data?.rows ?? [];
  const perTeacher = rows.some((r) => r.kind === 'teacher');
  const cats = usedCategories(rows.map((r) => r.byCategory));
  const trail = data ? findOrgPath(tree, data.org.id) : [];
  const totals = rows.reduce((s, r) => ({ teachers: s.teachers + r.teachers, hours: s.hours + r.totalHours }), { teachers: 0, hours: 0 });

  const columns: TableColumnsType<HoursSummaryRow> = [
    {
      title: perTeacher ? '教师' : '单位',
      dataIndex: 'name',
      fixed: 'left',
      width: 180,
      render: (v: string, r) =>
        r.kind === 'teacher' ? <Link to={`/teachers/${r.id}`}>{v}</Link> : <Typography.Link onClick={() => open(r)}>{v}</Typography.Link>,
    },
    ...(perTeacher
      ? []
      : [
          {
            title: '教师数',
            dataIndex: 'teachers',
            width: 90,
            align: 'right' as const,
            sorter: (a: HoursSummaryRow, b: HoursSummaryRow) => a.teachers - b.teachers,
          },
        ]),
    { title: '总学时', dataIndex: 'totalHours', width: 100, align: 'right', render: fmt, sorter: (a, b) => a.totalHours - b.totalHours },
    ...(perTeacher
      ? []
      : [
          {
            title: '人均学时',
            dataIndex: 'avgHours',
            width: 100,
            align: 'right' as const,
            render: fmt,
            sorter: (a: HoursSummaryRow, b: HoursSummaryRow) => a.avgHours - b.avgHours,
            defaultSortOrder: undefined,
          },
        ]),
    ...cats.map((c) => ({
      title: label(CATEGORIES, c),
      key: c,
      width: 100,
      align: 'right' as const,
      render: (_: unknown, r: HoursSummaryRow) => fmt(r.byCategory[c] ?? 0),
    })),
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        // On a phone the header names the page; a title here was cut to "学时…" by the filters.
        title={mobile ? undefined : '学时统计'}
        extra={
          <Space wrap>
            <OrgTreeSelect tree={tree} value={orgId} onChange={(v) => set({ orgId: v })} placeholder="全部（本级）" style={{ width: mobile ? 160 : 220 }} />
            <Select
              value={year}
              onChange={(v: number) => set({ year: v })}
              style={{ width: 100 }}
              options={Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y}年` }))}
              aria-label="年度"
            />
            <Dropdown
              menu={{
                items: [
                  { key: 'school', label: '按学校统计' },
                  { key: 'subject', label: '按学科统计' },
                ],
                onClick: ({ key }) => void exportTable(key as 'school' | 'subject'),
              }}
            >
              <Button icon={<DownloadOutlined />} loading={exporting} data-testid="stats-export">
                导出学时统计表
              </Button>
            </Dropdown>
          </Space>
        }
        styles={{ header: { flexWrap: 'wrap' } }}
      >
        {trail.length > 1 && (
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={trail.map((o, i) => ({
              key: o.id,
              title: i === trail.length - 1 ? o.name : <Typography.Link onClick={() => set({ orgId: o.id })}>{o.name}</Typography.Link>,
            }))}
          />
        )}
        {error ? (
          <LoadError error={error} onRetry={() => void refetch()} />
        ) : (
          <>
            <Typography.Paragraph type="secondary">
              {data ? `${data.org.name} · ${data.year}年` : ''}
              {rows.length > 0 &&
                `：${perTeacher ? '' : `${totals.teachers} 名教师，`}合计 ${fmt(totals.hours)} 学时${totals.teachers ? `，人均 ${fmt(totals.hours / totals.teachers)} 学时` : ''}`}
              {rows.length > 0 && '。点击柱形或名称查看下一级。'}
            </Typography.Paragraph>
            {!loading && <SummaryChart rows={rows} onPick={open} height={mobile ? 260 : 360} />}
          </>
        )}
      </Card>
      {!error && (
        <Card title={perTeacher ? '教师学时明细' : '下级单位学时'}>
          <Table<HoursSummaryRow>
            rowKey={(r) => `${r.kind}-${r.id}`}
            size="small"
            loading={loading}
            dataSource={rows}
            columns={columns}
            scroll={{ x: 400 + cats.length * 100 }}
            pagination={rows.length > 50 ? { pageSize: 50, showTotal: (t) => `共 ${t} 条` } : false}
            locale={{ emptyText: <EmptyState text="该年度暂无学时数据" /> }}
            onRow={(r) => ({ onDoubleClick: () => open(r) })}
            data-testid="summary-table"
          />
        </Card>
      )}
    </Space>
  );
}
