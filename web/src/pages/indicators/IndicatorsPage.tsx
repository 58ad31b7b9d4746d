import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Collapse, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
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
 * 目标与经费数据: the funding figures the policies' funding rules read, and the region targets (studio counts, key
 * teachers tracked) the platform computes from its records — shown as 平台记录, with any 手工覆盖 beside it (who,
 * when, why). Each metric shows the rules it feeds and their source text.
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
  const [clearing, setClearing] = useState<FigureDto | null>(null);
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
      {kind === 'targets' && <PlatformFigures metrics={metrics} />}
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
              : '暂无手工覆盖。区域目标按平台记录统计（见上表）；仅平台以外的数据需要手工填报。',
        }}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 项` }}
        columns={[
          { title: '单位', dataIndex: 'orgName', width: 180 },
          { title: '年度', dataIndex: 'year', width: 70 },
          { title: '指标', dataIndex: 'metricLabel', width: 180 },
          { title: kind === 'funding' ? '金额' : '数值', dataIndex: 'value', align: 'right', width: 150, render: (_, r) => formatValue(r.value, r.unit) },
          ...(kind === 'targets'
            ? [
                {
                  title: '说明',
                  width: 220,
                  render: (_: unknown, r: FigureDto) => (
                    <Space orientation="vertical" size={0}>
                      <Tag color={r.cleared ? 'default' : 'orange'}>{r.sourceLabel}</Tag>
                      {r.platformValue !== null && r.platformValue !== undefined && (
                        <Typography.Text type="secondary">平台记录：{formatValue(r.platformValue, r.unit)}</Typography.Text>
                      )}
                      {r.reason && <Typography.Text type="secondary">原因：{r.reason}</Typography.Text>}
                    </Space>
                  ),
                },
              ]
            : []),
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
                    {kind === 'targets' ? '覆盖' : '更新'}
                  </Button>
                )}
                {canRecord && kind === 'targets' && !r.cleared && (
                  <Button type="link" size="small" danger onClick={() => setClearing(r)} data-testid="clear-override">
                    撤销覆盖
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
      <ClearOverrideModal
        of={clearing}
        onClose={(done) => {
          setClearing(null);
          if (done) load();
        }}
      />
    </Space>
  );
}

/** 平台记录 vs 手工覆盖: per metric, region and year, the platform's figure, the override (who, when, why) and what counts. */
function PlatformFigures({ metrics }: { metrics: MetricsDto }) {
  const rows = metrics.targets.flatMap((m) => m.figures.map((f) => ({ ...f, key: `${m.metric}|${f.orgId}|${f.year}`, label: m.label, unit: m.unit })));
  if (!rows.length) return null;
  return (
    <Table
      size="small"
      rowKey="key"
      data-testid="platform-figures"
      title={() => '平台记录与手工覆盖（区域目标由工作室命名、骨干教师认定记录统计；手工填报仅用于平台以外的数据）'}
      dataSource={rows}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      columns={[
        { title: '区域', dataIndex: 'orgName', width: 160 },
        { title: '年度', dataIndex: 'year', width: 70 },
        { title: '指标', dataIndex: 'label', width: 180 },
        { title: '平台记录', dataIndex: 'platform', align: 'right', width: 100, render: (v: number, r) => formatValue(v, r.unit) },
        {
          title: '手工覆盖',
          render: (_, r) =>
            r.override ? (
              <Space orientation="vertical" size={0}>
                <span>
                  <Tag color="orange">{r.override.label}</Tag>
                  {formatValue(r.override.value, r.unit)}
                </span>
                <Typography.Text type="secondary">
                  {r.override.recordedBy ?? '—'} {dayjs(r.override.recordedAt).format('YYYY-MM-DD HH:mm')}，原因：{r.override.reason}
                </Typography.Text>
              </Space>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            ),
        },
        { title: '采用数值', dataIndex: 'value', align: 'right', width: 100, render: (v: number, r) => formatValue(v, r.unit) },
      ]}
    />
  );
}

/** 撤销覆盖: asks for the reason; the platform's figure counts again (audited). */
function ClearOverrideModal({ of, onClose }: { of: FigureDto | null; onClose: (done: boolean) => void }) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A new figure to clear starts with an empty reason.
  useEffect(() => {
    if (!of) return;
    setReason('');
    setError(null);
  }, [of]);
  const submit = async () => {
    if (!of) return;
    if (reason.trim().length < 4) return setError('请填写撤销原因（至少 4 个字）');
    setBusy(true);
    try {
      await api.post('/indicators/targets/clear-override', { orgId: of.orgId, year: of.year, metric: of.metric, reason: reason.trim() });
      message.success(`已撤销覆盖：${of.orgName} ${of.year} 年 ${of.metricLabel}恢复采用平台记录`);
      onClose(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!of} title="撤销手工覆盖" onCancel={() => onClose(false)} onOk={submit} okText="撤销覆盖" confirmLoading={busy} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {of && (
        <Typography.Paragraph>
          {of.orgName} {of.year} 年「{of.metricLabel}」将恢复采用平台记录
          {of.platformValue !== null && of.platformValue !== undefined ? `（${formatValue(of.platformValue, of.unit)}）` : ''}，手工数值保留在历史中。
        </Typography.Paragraph>
      )}
      <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="撤销原因，例如：已在平台完成认定" id="clear-reason" />
    </Modal>
  );
}
