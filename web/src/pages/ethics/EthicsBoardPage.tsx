import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '../../api/client';
import Chart from '../../components/Chart';
import PageCard from '../../components/PageCard';
import { LoadError, PageLoading } from '../../components/Status';
import type { Board } from './types';
import { chinaToday } from '../../china-time';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** The 师德专干's start page (issue 12 item 7): the figures of the subtree; the period applies to the flow figures. */
export default function EthicsBoardPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([chinaToday().startOf('year'), chinaToday()]);
  const period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const q = useQuery({
    queryKey: ['ethics', 'board', period],
    queryFn: () => api.get<Board>('/ethics/board', period),
    placeholderData: keepPreviousData,
  });
  const b = q.data;
  return (
    <PageCard
      title="师德工作看板"
      testId="ethics-board"
      actions={
        <Space wrap>
          <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} aria-label="统计期" />
          <a href={apiUrl('/ethics/board.xlsx', period)} download>
            <Button icon={<DownloadOutlined />}>导出 Excel</Button>
          </a>
        </Space>
      }
    >
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : !b ? (
        <PageLoading />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title="统计期内收到举报"
                  value={b.period.reports}
                  suffix={<Typography.Text type="secondary">件（匿名 {b.period.anonymous}）</Typography.Text>}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small" data-testid="board-open">
                <Statistic title="未办结举报" value={b.openByAge.total} suffix="件" />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small" data-testid="board-overdue">
                <Statistic
                  title="逾期（受理 / 办结）"
                  value={`${b.overdue.respond} / ${b.overdue.conclude}`}
                  valueStyle={b.overdue.respond + b.overdue.conclude ? { color: '#cf1322' } : undefined}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small" data-testid="board-rate">
                <Statistic
                  title="件件有回音"
                  value={pct(b.answerRate.rate)}
                  suffix={
                    <Typography.Text type="secondary">
                      （{b.answerRate.onTime}/{b.answerRate.settled}）
                    </Typography.Text>
                  }
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card size="small" title="未办结举报（按收到天数）">
                <Chart
                  height={220}
                  option={{
                    tooltip: {},
                    grid: { left: 40, right: 16, top: 16, bottom: 30 },
                    xAxis: { type: 'category', data: ['7 天内', '8–30 天', '31–90 天', '90 天以上'] },
                    yAxis: { type: 'value', minInterval: 1 },
                    series: [{ type: 'bar', data: [b.openByAge.d7, b.openByAge.d30, b.openByAge.d90, b.openByAge.older], itemStyle: { color: '#1677ff' } }],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title="案件（按阶段，当前）">
                <Chart
                  height={220}
                  option={{
                    tooltip: {},
                    grid: { left: 40, right: 16, top: 16, bottom: 30 },
                    xAxis: { type: 'category', data: b.casesByStage.map((s) => s.label) },
                    yAxis: { type: 'value', minInterval: 1 },
                    series: [{ type: 'bar', data: b.casesByStage.map((s) => s.n), itemStyle: { color: '#722ed1' } }],
                  }}
                />
              </Card>
            </Col>
          </Row>
          <Card size="small" title="件件有回音（按受理单位）" data-testid="board-answer-rate">
            <Alert type="info" showIcon message={b.answerRate.definition} style={{ marginBottom: 12 }} />
            <Table
              size="small"
              rowKey="orgId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={b.answerRate.byOrg}
              columns={[
                { title: '单位', dataIndex: 'orgName' },
                { title: '收到', dataIndex: 'received', width: 70 },
                { title: '按期回音', dataIndex: 'onTime', width: 90 },
                { title: '已有结论', dataIndex: 'settled', width: 90 },
                { title: '尚在期限内', dataIndex: 'pending', width: 100 },
                {
                  title: '回音率',
                  dataIndex: 'rate',
                  width: 200,
                  render: (r: number | null) =>
                    r === null ? '—' : <Progress percent={Math.round(r * 1000) / 10} size="small" status={r < 1 ? 'exception' : 'success'} />,
                },
              ]}
            />
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={8}>
              <Card size="small" title="在期处理（当前）">
                <Statistic value={b.sanctionsInForce.total} suffix="项" />
                <Space wrap style={{ marginTop: 8 }}>
                  {b.sanctionsInForce.byKind.map((k) => (
                    <Tag key={k.kind}>
                      {k.label} {k.n}
                    </Tag>
                  ))}
                </Space>
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card size="small" title="统计期内立案（按类别）">
                {b.casesByCategory.length ? (
                  <Space wrap>
                    {b.casesByCategory.map((c) => (
                      <Tag key={c.category}>
                        {c.label} {c.n}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">无</Typography.Text>
                )}
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card size="small" title="查询与宣传教育（统计期）">
                <Space orientation="vertical">
                  <span>诚信档案查阅：{b.lookups.integrity} 次</span>
                  <span>准入查询：{b.lookups.entryChecks} 次</span>
                  <span>典型问题通报：{b.period.notices} 期</span>
                  <span>警示教育会议：{b.period.meetings} 场</span>
                </Space>
              </Card>
            </Col>
          </Row>
          {b.overdue.items.length > 0 && (
            <Card size="small" title={`逾期举报（上报上级 ${b.overdue.escalated} 件）`}>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={b.overdue.items}
                columns={[
                  { title: '查询码', dataIndex: 'trackingCode' },
                  { title: '受理单位', dataIndex: 'orgName' },
                  { title: '类别', dataIndex: 'categoryLabel' },
                  { title: '收到', dataIndex: 'receivedOn' },
                  {
                    title: '受理期限',
                    dataIndex: 'respondBy',
                    render: (d: string, r) => (r.responded ? d : <Typography.Text type="danger">{d}</Typography.Text>),
                  },
                  { title: '办结期限', dataIndex: 'concludeBy' },
                  { title: '', dataIndex: 'escalated', render: (e: boolean) => (e ? <Tag color="orange">已上报</Tag> : null) },
                ]}
              />
            </Card>
          )}
        </Space>
      )}
    </PageCard>
  );
}
