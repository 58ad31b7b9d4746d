import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import type { PolicyListItem } from '../../api/types';
import { useAuth } from '../../auth';
import { flattenOrgs, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { afterChinaToday, chinaTodayISO } from '../../china-time';
import { openingPolicyId } from '../compliance/logic';
import { defaultAsOf, downloadReport, type RegionReport } from './report-api';
import ReportTrendChart from './ReportTrendChart';

const STATUS_COLOR: Record<string, string> = {
  compliant: 'green',
  overdue: 'red',
  dueSoon: 'orange',
  inProgress: 'blue',
  noData: 'default',
  notApplicable: 'default',
};
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/**
 * 实施情况报告 (issue 14 item 7): a bureau picks a policy, an org of its subtree and the as-of date, edits the
 * 下一步措施, previews the report's sections and 附表 on screen, and downloads the PDF or the workbook.
 */
export default function RegionReportPage() {
  const { me } = useAuth();
  const { message } = App.useApp();
  const { tree } = useOrgTree(me?.id);
  const policies = useQuery({ queryKey: ['policies', 'list'], queryFn: () => api.get<{ items: PolicyListItem[] }>('/policies') });
  const list = useMemo(() => (policies.data?.items ?? []).filter((p) => p.relation !== 'unattached'), [policies.data]);
  const [policyId, setPolicyId] = useState<number | undefined>();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [asOf, setAsOf] = useState<string | undefined>();
  const [docNo, setDocNo] = useState('');
  const [nextSteps, setNextSteps] = useState<string | null>(null);

  const today = chinaTodayISO();
  const chosenPolicy = policyId ?? openingPolicyId(list, today);
  const period = list.find((p) => p.id === chosenPolicy)?.period;
  const date = asOf ?? defaultAsOf(period, today);
  const bureaus = flattenOrgs(tree).filter((o) => o.kind !== 'school' && o.kind !== 'institution');
  const query = { policyId: chosenPolicy, orgId, asOf: date };
  const preview = useQuery({
    queryKey: ['region-reports', 'preview', query],
    queryFn: () => api.get<RegionReport>('/region-reports/preview', query),
    enabled: !!chosenPolicy,
    placeholderData: keepPreviousData,
  });
  const r = preview.data;
  // The 下一步措施 box starts with the default drawn from the shortfalls; once edited it keeps the user's text.
  useEffect(() => {
    if (r && nextSteps === null) setNextSteps(r.nextStepsDefault);
  }, [r, nextSteps]);

  const download = useMutation({
    mutationFn: (format: 'pdf' | 'xlsx') =>
      downloadReport(format, { policyId: chosenPolicy!, orgId, asOf: date, nextSteps: nextSteps ?? undefined, docNo: docNo || undefined }),
    onSuccess: (name) => message.success(`已生成：${name}`),
    onError: (e) => message.error(errorText(e)),
  });

  if (policies.error) return <LoadError error={policies.error} onRetry={() => void policies.refetch()} />;
  if (policies.isPending) return <PageLoading />;
  if (!list.length)
    return (
      <Card title="实施情况报告">
        <EmptyState text="本单位暂无适用的政策，请先在“政策管理”中挂接政策。" />
      </Card>
    );

  const sections = r?.sections.map((s) => (s.key === 'nextSteps' ? { ...s, paragraphs: (nextSteps ?? '').split(/\n+/).filter((l) => l.trim()) } : s));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title="实施情况报告">
        <Form layout="vertical">
          <Space wrap align="start">
            <Form.Item label="政策" style={{ minWidth: 320 }}>
              <Select
                aria-label="政策"
                value={chosenPolicy}
                onChange={(v) => (setPolicyId(v), setAsOf(undefined), setNextSteps(null))}
                options={list.map((p) => ({ value: p.id, label: `${p.title}（第 ${p.version} 版）` }))}
              />
            </Form.Item>
            <Form.Item label="报告单位">
              <Select
                aria-label="报告单位"
                style={{ minWidth: 200 }}
                placeholder={me?.orgName ?? '本单位'}
                allowClear
                value={orgId}
                onChange={(v) => (setOrgId(v), setNextSteps(null))}
                options={bureaus.map((o) => ({ value: o.id, label: o.name }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
            <Form.Item label="统计截至" extra={period ? `实施期 ${period.from} 至 ${period.to ?? '长期'}` : undefined}>
              <DatePicker
                aria-label="统计截至"
                allowClear={false}
                value={dayjs(date)}
                disabledDate={afterChinaToday}
                onChange={(d) => (setAsOf(d ? d.format('YYYY-MM-DD') : undefined), setNextSteps(null))}
              />
            </Form.Item>
            <Form.Item label="文号（可选）">
              <Input aria-label="文号" placeholder={r?.docNo ?? '〔年份〕 号'} value={docNo} maxLength={40} onChange={(e) => setDocNo(e.target.value)} />
            </Form.Item>
          </Space>
          <Form.Item label="下一步措施（可编辑，生成时写入报告第四部分）">
            <Input.TextArea
              aria-label="下一步措施"
              autoSize={{ minRows: 3, maxRows: 10 }}
              maxLength={4000}
              showCount
              value={nextSteps ?? ''}
              onChange={(e) => setNextSteps(e.target.value)}
            />
          </Form.Item>
          <Space wrap>
            <Button
              type="primary"
              icon={<FilePdfOutlined />}
              loading={download.isPending && download.variables === 'pdf'}
              disabled={!r}
              onClick={() => download.mutate('pdf')}
            >
              下载 PDF
            </Button>
            <Button
              icon={<DownloadOutlined />}
              loading={download.isPending && download.variables === 'xlsx'}
              disabled={!r}
              onClick={() => download.mutate('xlsx')}
            >
              下载正文与附表（Excel）
            </Button>
            <Typography.Text type="secondary">仅含汇总数字，不含教师姓名；每次下载记入审计日志。</Typography.Text>
          </Space>
        </Form>
      </Card>
      {preview.error && <Alert type="error" showIcon message={errorText(preview.error)} />}
      {preview.isPending && chosenPolicy && <PageLoading />}
      {r && sections && (
        <Card data-testid="report-preview" loading={preview.isFetching && preview.isPlaceholderData}>
          <div style={{ textAlign: 'center' }}>
            <Typography.Title level={3} style={{ color: '#c00000', marginBottom: 4 }}>
              {r.issuer}
            </Typography.Title>
            <div>{docNo || r.docNo}</div>
            <div style={{ borderTop: '2px solid #c00000', margin: '8px 0 16px' }} />
            <Typography.Title level={4}>{r.title}</Typography.Title>
          </div>
          <p>{r.recipient}：</p>
          {sections.map((s) => (
            <section key={s.key}>
              <Typography.Title level={5}>{s.heading}</Typography.Title>
              {s.paragraphs.map((p) => (
                <p key={p} style={{ textIndent: '2em' }}>
                  {p}
                </p>
              ))}
              {s.key === 'indicators' && <ReportTrendChart report={r} />}
            </section>
          ))}
          <p style={{ textAlign: 'right' }}>
            {r.issuer}
            <br />
            {r.dateText}
          </p>
          <Typography.Title level={5}>附表1 各下级单位未完成情况</Typography.Title>
          <Table
            size="small"
            rowKey={(x) => `${x.orgId}:${x.ruleId}`}
            dataSource={r.shortfalls}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: '各下级单位暂无未完成事项' }}
            columns={[
              { title: '单位', dataIndex: 'orgName' },
              { title: '要求', dataIndex: 'ruleTitle' },
              { title: '评估对象', dataIndex: 'subjects' },
              { title: '已达标', dataIndex: 'compliant' },
              { title: '已逾期', dataIndex: 'overdue' },
              { title: '临期', dataIndex: 'dueSoon' },
              { title: '进行中', dataIndex: 'inProgress' },
              { title: '达标率', dataIndex: 'share', render: (v: number | null) => pct(v) },
              { title: '尚缺合计', render: (_, x) => (x.lacking === null ? '—' : `${x.lacking} ${x.unit}`) },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            附表4 各项要求完成情况
          </Typography.Title>
          <Table
            size="small"
            rowKey="id"
            dataSource={r.rules}
            pagination={false}
            scroll={{ x: true }}
            columns={[
              { title: '要求', dataIndex: 'title' },
              { title: '标准', dataIndex: 'requirement' },
              { title: '完成情况', dataIndex: 'figure' },
              { title: '状态', render: (_, x) => <Tag color={STATUS_COLOR[x.status]}>{x.statusLabel}</Tag> },
              { title: '依据', dataIndex: 'cite' },
            ]}
          />
          <Descriptions size="small" column={1} style={{ marginTop: 16 }} title="附表3 已采取的措施（平台记录）">
            <Descriptions.Item label="截止提醒">
              {r.actions.reminders.length ? r.actions.reminders.map((a) => `${a.ruleTitle} ${a.reminders} 条（${a.recipients} 人）`).join('；') : '无'}
            </Descriptions.Item>
            <Descriptions.Item label="培训项目">
              {r.actions.projects.length ? r.actions.projects.map((p) => `${p.label}类 ${p.projects} 个（${p.teachers} 人参训）`).join('；') : '无'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </Space>
  );
}
