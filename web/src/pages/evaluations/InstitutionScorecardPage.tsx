import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Col, Drawer, Form, Input, Modal, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { QUALIFICATION_STATUS } from '../../vocab';
import EvalChart from './EvalChart';
import type { InstitutionDetail, Scorecard, ScorecardItem } from './types';
import { dateTime } from '../../format';
import { chinaYear } from '../../china-time';

const STATUS_COLOR: Record<string, string> = { admitted: 'green', warning: 'gold', suspended: 'red' };
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const time = dateTime;

function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLOR[status]}>{QUALIFICATION_STATUS[status as keyof typeof QUALIFICATION_STATUS] ?? status}</Tag>;
}

function StatusModal({ item, onClose, onDone }: { item: ScorecardItem | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ status: string; reason: string }>();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { status: string; reason: string }) => {
    if (!item) return;
    await api.post(`/evaluations/institutions/${item.orgId}/status`, { status: v.status, reason: v.reason.trim() });
    message.success(`${item.name} 的资质已变更为「${QUALIFICATION_STATUS[v.status as keyof typeof QUALIFICATION_STATUS]}」`);
    void invalidate(['evaluations']);
    onDone();
  });
  return (
    <Modal
      title={item ? `变更资质：${item.name}` : '变更资质'}
      open={!!item}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确认变更"
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      {item && (
        <Typography.Paragraph>
          当前资质：
          <StatusTag status={item.status} />
          {item.status === 'suspended' ? '' : '暂停后该机构不能申报新的培训项目。'}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="status-form">
        <Form.Item name="status" label="变更为" rules={[{ required: true, message: '请选择资质状态' }]}>
          <Select
            placeholder="选择资质状态"
            options={(item?.allowedStatusActions ?? []).map((a) => ({
              value: a.to,
              label: `${a.label}（${QUALIFICATION_STATUS[a.to as keyof typeof QUALIFICATION_STATUS]}）`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="变更原因"
          rules={[
            { required: true, whitespace: true, message: '请填写变更原因' },
            { min: 5, message: '至少 5 个字' },
            { max: 500, message: '不超过 500 字' },
          ]}
        >
          <Input.TextArea rows={3} placeholder="如：督导检查发现虚报学时；连续两期学员满意度低于 3 分" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DetailDrawer({ orgId, onClose }: { orgId: number | null; onClose: () => void }) {
  const mobile = useIsMobile();
  const { data, isFetching, error } = useQuery({
    queryKey: ['evaluations', 'institutions', orgId],
    queryFn: () => api.get<InstitutionDetail>(`/evaluations/institutions/${orgId}`),
    enabled: orgId !== null,
  });
  const loading = isFetching;
  return (
    <Drawer title={data ? `${data.name} · 评估详情` : '评估详情'} open={orgId !== null} onClose={onClose} size={mobile ? '100%' : 820}>
      {loading && !data ? (
        <PageLoading />
      ) : error ? (
        <LoadError error={error} />
      ) : data ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <div>
            当前资质：
            <StatusTag status={data.status} /> {data.statusReason}
          </div>
          <Table
            size="small"
            rowKey="id"
            dataSource={data.projects}
            pagination={data.projects.length > 20 ? { pageSize: 20 } : false}
            scroll={{ x: 760 }}
            locale={{ emptyText: <EmptyState text="暂无已实施的项目" /> }}
            columns={[
              { title: '项目', dataIndex: 'name', width: 220, render: (v: string, r) => <Link to={`/projects/${r.id}/evaluation`}>{v}</Link> },
              { title: '年度', dataIndex: 'year', width: 60 },
              {
                title: '学员评价',
                dataIndex: 'participants',
                width: 80,
                align: 'right',
                render: (v: number | null, r) => v ?? (r.answers ? `${r.answers}份<5` : '—'),
              },
              { title: '专家', dataIndex: 'experts', width: 60, align: 'right', render: (v: number | null) => v ?? '—' },
              { title: '督导', dataIndex: 'inspection', width: 60, align: 'right', render: (v: number | null) => v ?? '—' },
              {
                title: '综合得分',
                dataIndex: 'score',
                width: 90,
                align: 'right',
                render: (v: number | null, r) =>
                  v === null ? (
                    '—'
                  ) : (
                    <b title={r.renormalised ? '缺少部分评价，已重新分配权重' : undefined}>
                      {v}
                      {r.renormalised ? '*' : ''}
                    </b>
                  ),
              },
              { title: '出勤率', dataIndex: 'attendanceRate', width: 80, align: 'right', render: pct },
            ]}
          />
          <Typography.Text type="secondary">* 缺少部分评价，按其余部分重新分配权重。</Typography.Text>
          <Card size="small" title="资质变更记录">
            {data.history.length ? (
              <Timeline
                items={data.history.map((h) => ({
                  key: h.id,
                  color: STATUS_COLOR[h.to],
                  content: (
                    <>
                      <StatusTag status={h.from} />→ <StatusTag status={h.to} />
                      <Typography.Text type="secondary">
                        {time(h.at)} · {h.by ?? '—'}
                      </Typography.Text>
                      <div>{h.reason}</div>
                    </>
                  ),
                }))}
              />
            ) : (
              <EmptyState text="资质从未变更（准入）" />
            )}
          </Card>
        </Space>
      ) : null}
    </Drawer>
  );
}

/** 培训机构评估: institutions ranked by project score, with trend, satisfaction, attendance, and qualification status. */
export default function InstitutionScorecardPage() {
  const { can } = useAuth();
  const mobile = useIsMobile();
  const thisYear = chinaYear();
  const [range, setRange] = useState<{ fromYear?: number; toYear?: number }>({});
  const {
    data,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({
    queryKey: ['evaluations', 'institutions', range],
    queryFn: () => api.get<Scorecard>('/evaluations/institutions', range),
    placeholderData: keepPreviousData,
  });
  const [changing, setChanging] = useState<ScorecardItem | null>(null);
  const [detail, setDetail] = useState<number | null>(null);
  const supervise = can('evaluations.supervise');
  const items = data?.items ?? [];
  const ranked = items.filter((i) => i.averageScore !== null);
  const top = ranked.slice(0, 6);
  const years = data?.years ?? [];
  const yearOptions = Array.from({ length: 8 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y}年` }));

  const columns: TableColumnsType<ScorecardItem> = [
    { title: '排名', dataIndex: 'rank', width: 60, align: 'center', render: (v: number | null) => v ?? '—' },
    { title: '培训机构', dataIndex: 'name', width: 200, render: (v: string, r) => <Typography.Link onClick={() => setDetail(r.orgId)}>{v}</Typography.Link> },
    {
      title: '资质',
      dataIndex: 'status',
      width: 80,
      render: (v: string, r) => (
        <span title={r.statusReason ?? undefined}>
          <StatusTag status={v} />
        </span>
      ),
    },
    { title: '实施项目', dataIndex: 'projects', width: 80, align: 'right' },
    { title: '已评项目', dataIndex: 'scoredProjects', width: 80, align: 'right' },
    { title: '平均得分', dataIndex: 'averageScore', width: 90, align: 'right', render: (v: number | null) => (v === null ? '—' : <b>{v}</b>) },
    { title: '学员满意度', dataIndex: 'satisfaction', width: 100, align: 'right', render: (v: number | null) => (v === null ? '—' : `${v} / 5`) },
    { title: '出勤率', dataIndex: 'attendanceRate', width: 80, align: 'right', render: pct },
    {
      title: '操作',
      key: 'ops',
      width: 150,
      fixed: 'right',
      render: (_, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDetail(r.orgId)}>
            详情
          </Button>
          {supervise && (
            <Button type="link" size="small" onClick={() => setChanging(r)} aria-label={`变更${r.name}的资质`}>
              变更资质
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="scorecard">
      <Card
        title="培训机构评估"
        extra={
          <Space wrap>
            <Select
              allowClear
              placeholder="起始年度"
              style={{ width: 110 }}
              options={yearOptions}
              value={range.fromYear}
              onChange={(v?: number) => setRange({ ...range, fromYear: v })}
              aria-label="起始年度"
            />
            <Select
              allowClear
              placeholder="截止年度"
              style={{ width: 110 }}
              options={yearOptions}
              value={range.toYear}
              onChange={(v?: number) => setRange({ ...range, toYear: v })}
              aria-label="截止年度"
            />
          </Space>
        }
        styles={{ header: { flexWrap: 'wrap' } }}
      >
        <Typography.Paragraph type="secondary">
          项目综合得分 = 学员匿名评价 40% + 专家评分 30% + 督导检查 30%（缺少某项时按其余部分重新分配权重）；机构平均得分为其已评项目的平均。
        </Typography.Paragraph>
        {error ? (
          <LoadError error={error} onRetry={() => void refetch()} />
        ) : loading && !data ? (
          <PageLoading />
        ) : ranked.length === 0 ? (
          <EmptyState text="暂无已评分的培训机构" />
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Typography.Text strong>平均得分排名</Typography.Text>
              <EvalChart
                testId="ranking-chart"
                height={Math.max(220, ranked.length * 36)}
                onPick={(i) => setDetail(ranked[i].orgId)}
                option={{
                  grid: { left: mobile ? 100 : 160, right: 40, top: 10, bottom: 30 },
                  tooltip: { trigger: 'axis' },
                  xAxis: { type: 'value', min: 0, max: 100 },
                  yAxis: { type: 'category', inverse: true, data: ranked.map((i) => i.name), axisLabel: { width: mobile ? 90 : 150, overflow: 'truncate' } },
                  series: [
                    {
                      type: 'bar',
                      barMaxWidth: 24,
                      label: { show: true, position: 'right' },
                      data: ranked.map((i) => ({
                        value: i.averageScore as number,
                        itemStyle: { color: i.status === 'suspended' ? '#ff4d4f' : i.status === 'warning' ? '#faad14' : '#1677ff' },
                      })),
                    },
                  ],
                }}
              />
            </Col>
            <Col xs={24} lg={12}>
              <Typography.Text strong>年度趋势（前 {top.length} 名）</Typography.Text>
              <EvalChart
                testId="trend-chart"
                height={320}
                option={{
                  grid: { left: 40, right: 20, top: 40, bottom: 30 },
                  tooltip: { trigger: 'axis' },
                  legend: { type: 'scroll', top: 0 },
                  xAxis: { type: 'category', data: years.map(String) },
                  yAxis: { type: 'value', min: 0, max: 100 },
                  series: top.map((i) => ({
                    type: 'line' as const,
                    name: i.name,
                    connectNulls: true,
                    data: years.map((y) => i.trend.find((t) => t.year === y)?.averageScore ?? null),
                  })),
                }}
              />
            </Col>
          </Row>
        )}
      </Card>
      {!error && (
        <Card title="机构列表">
          <Table<ScorecardItem>
            rowKey="orgId"
            size="small"
            loading={loading}
            dataSource={items}
            columns={columns}
            scroll={{ x: 920 }}
            pagination={items.length > 50 ? { pageSize: 50 } : false}
            locale={{ emptyText: <EmptyState text="辖区内暂无培训机构" /> }}
          />
        </Card>
      )}
      <StatusModal key={changing?.orgId ?? 0} item={changing} onClose={() => setChanging(null)} onDone={() => setChanging(null)} />
      <DetailDrawer orgId={detail} onClose={() => setDetail(null)} />
    </Space>
  );
}
