import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Collapse, Select, Space, Table, Tabs, Typography } from 'antd';
import { DownloadOutlined, HistoryOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, apiUrl, errorText } from '../../api/client';
import { useAuth } from '../../auth';
import PageCard from '../../components/PageCard';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { PageLoading } from '../../components/Status';
import { formatValue } from './format';
import HistoryDrawer from './HistoryDrawer';
import ImportModal from './ImportModal';
import RecordModal, { type RecordDefaults } from './RecordModal';
import { applicableRules, RuleRefs } from './RuleRefs';
import type { FigureDto, FigurePage, IndicatorKind, MetricsDto, RuledMetric, RuleRef } from './types';

const TABS: { key: IndicatorKind; label: string }[] = [
  { key: 'targets', label: '区域目标' },
  { key: 'funding', label: '经费数据' },
];

/**
 * 目标与经费数据: the figures the policies' region-target and funding rules read (studio counts, training
 * budgets, public-fund budgets, salary totals). Each metric shows the rules it feeds and their source text.
 */
export default function IndicatorsPage() {
  const { me } = useAuth();
  const [metrics, setMetrics] = useState<MetricsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<IndicatorKind>(me?.role === 'schoolAdmin' ? 'funding' : 'targets');
  const { tree } = useOrgTree(me?.id);

  useEffect(() => {
    api.get<MetricsDto>('/indicators/metrics').then(setMetrics, (e: unknown) => setError(errorText(e)));
  }, []);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!metrics) return <PageLoading />;
  return (
    <PageCard title="目标与经费数据" testId="indicators-page">
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as IndicatorKind)}
        items={TABS.map((t) => ({ key: t.key, label: t.label, children: <FigureTab kind={t.key} metrics={metrics} tree={tree} /> }))}
      />
    </PageCard>
  );
}

function FigureTab({ kind, metrics, tree }: { kind: IndicatorKind; metrics: MetricsDto; tree: import('../../api/types').OrgNode[] }) {
  const [year, setYear] = useState<number | undefined>(undefined);
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  const [metric, setMetric] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<FigurePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recording, setRecording] = useState<RecordDefaults | null>(null);
  const [importing, setImporting] = useState(false);
  const [history, setHistory] = useState<FigureDto | null>(null);
  const pageSize = 50;

  const list: RuledMetric[] = kind === 'funding' ? metrics.funding : metrics.targets;
  const allMetrics = kind === 'funding' ? metrics.funding : [...metrics.targets, ...metrics.otherTargets];
  const rulesOf = useMemo(() => new Map<string, RuleRef[]>(list.map((m) => [m.metric, m.rules])), [list]);
  const canRecord = metrics.canRecord[kind];
  const years = useMemo(() => Array.from({ length: metrics.years.max - metrics.years.min + 1 }, (_, i) => metrics.years.max - i), [metrics.years]);
  const query = { orgId, year, metric };

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    api.get<FigurePage>(`/indicators/${kind}`, { orgId, year, metric, page, pageSize }).then(
      (d) => (setData(d), setLoading(false)),
      (e: unknown) => (setError(errorText(e)), setLoading(false)),
    );
  }, [kind, orgId, year, metric, page]);
  useEffect(load, [load]);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Collapse
        size="small"
        defaultActiveKey={list.length ? ['why'] : []}
        items={[
          {
            key: 'why',
            label: kind === 'funding' ? '这些经费数据用于哪些政策规则' : '这些目标数据用于哪些政策规则',
            children: list.length ? (
              <Table
                size="small"
                rowKey="metric"
                pagination={false}
                dataSource={list}
                data-testid="metric-rules"
                columns={[
                  { title: '指标', dataIndex: 'label', width: 200 },
                  { title: '用于规则（悬停查看原文出处）', render: (_, m) => <RuleRefs rules={m.rules} /> },
                ]}
              />
            ) : (
              <Typography.Text type="secondary">当前适用的政策中没有需要填报的区域目标。</Typography.Text>
            ),
          },
        ]}
      />
      <Space wrap>
        <Select
          allowClear
          placeholder="年度"
          style={{ width: 110 }}
          value={year}
          onChange={(v) => (setYear(v), setPage(1))}
          options={years.map((y) => ({ value: y, label: `${y} 年` }))}
        />
        <OrgTreeSelect tree={tree} value={orgId} onChange={(v) => (setOrgId(v), setPage(1))} placeholder="单位" style={{ width: 220 }} />
        <Select
          allowClear
          placeholder="指标"
          style={{ width: 220 }}
          value={metric}
          onChange={(v) => (setMetric(v), setPage(1))}
          options={allMetrics.map((m) => ({ value: m.metric, label: m.label }))}
        />
        {canRecord && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording({ orgId, year, metric })} data-testid={`record-${kind}`}>
            记录数值
          </Button>
        )}
        {canRecord && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
            导入
          </Button>
        )}
        <Button icon={<DownloadOutlined />} href={apiUrl(`/indicators/${kind}/export`, query)} download>
          导出
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<FigureDto>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid={`figures-${kind}`}
        scroll={{ x: 900 }}
        locale={{
          emptyText:
            kind === 'funding'
              ? '暂无经费数据。相关规则在看板上显示“暂无数据”，请记录或导入。'
              : '暂无区域目标数据。相关规则在看板上显示“暂无数据”，请记录或导入。',
        }}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 项` }}
        columns={[
          { title: '单位', dataIndex: 'orgName', width: 180 },
          { title: '年度', dataIndex: 'year', width: 70 },
          { title: '指标', dataIndex: 'metricLabel', width: 180 },
          { title: kind === 'funding' ? '金额' : '数值', dataIndex: 'value', align: 'right', width: 150, render: (_, r) => formatValue(r.value, r.unit) },
          { title: '来源/依据', dataIndex: 'source', ellipsis: true },
          {
            title: '用于规则',
            width: 220,
            render: (_, r) => {
              const rules = applicableRules(rulesOf.get(r.metric) ?? [], tree, r.orgId);
              return rules.length ? <RuleRefs rules={rules} /> : <Typography.Text type="secondary">—</Typography.Text>;
            },
          },
          {
            title: '记录时间',
            dataIndex: 'recordedAt',
            width: 140,
            render: (v: string, r) => <span title={r.recordedBy ?? ''}>{dayjs(v).format('YYYY-MM-DD HH:mm')}</span>,
          },
          {
            title: '操作',
            width: 150,
            fixed: 'right',
            render: (_, r) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistory(r)}>
                  历史{r.versions && r.versions > 1 ? `（${r.versions}）` : ''}
                </Button>
                {canRecord && (
                  <Button type="link" size="small" onClick={() => setRecording({ orgId: r.orgId, year: r.year, metric: r.metric })}>
                    更新
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RecordModal
        kind={kind}
        open={recording !== null}
        defaults={recording ?? {}}
        metrics={metrics}
        tree={tree}
        onClose={(saved) => {
          setRecording(null);
          if (saved) load();
        }}
      />
      <ImportModal
        kind={kind}
        open={importing}
        onClose={(changed) => {
          setImporting(false);
          if (changed) load();
        }}
      />
      <HistoryDrawer kind={kind} of={history} onClose={() => setHistory(null)} />
    </Space>
  );
}
