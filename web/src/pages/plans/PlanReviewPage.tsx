import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, InputNumber, Modal, Segmented, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { chinaYear } from '../../china-time';
import { STATUS_COLOR, itemText, type Filing } from './plan-types';
import { VersionsTable } from './MyPlanPage';

/**
 * 计划审核 (issue 14 item 5): the bureau's list of the units that file with it — status, 未报送, 逾期报送 — the review of
 * the latest version (退回 with a reason, or 通过), and each unit's 年度考核 with the platform's figures shown beside the
 * bureau's scores.
 */

interface UnitRow {
  orgId: number;
  orgName: string;
  orgKind: string;
  status: 'missing' | 'submitted' | 'returned' | 'accepted';
  statusLabel: string;
  latestId: number | null;
  version: number | null;
  reason: string | null;
  firstOn: string | null;
  latestOn: string | null;
  late: boolean;
  overdue: boolean;
  reviewTotal: number | null;
}
interface ReviewList {
  year: number;
  deadline: string;
  rulesSource: string;
  counts: Record<'units' | 'missing' | 'submitted' | 'returned' | 'accepted' | 'late', number>;
  units: UnitRow[];
}
interface Component {
  code: string;
  label: string;
  source: string;
  sourceLabel: string;
  weight: number;
  score: number | null;
  detail: string;
}
interface StoredComponent extends Component {
  bureauScore: number | null;
  comment: string | null;
  final: number | null;
}
interface AnnualReview {
  unit: { id: number; name: string };
  year: number;
  asOf: string;
  rulesSource: string;
  plan: { id: number; version: number; decision: string | null } | null;
  components: Component[];
  history: {
    id: number;
    total: number;
    comment: string | null;
    reviewedBy: string;
    reviewedAt: string;
    supersededAt: string | null;
    components: StoredComponent[];
  }[];
}

function FilingModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const q = useQuery({ queryKey: ['plans', 'filings', id], queryFn: () => api.get<Filing>(`/plans/filings/${id}`) });
  const decide = useMutation({
    mutationFn: (decision: 'returned' | 'accepted') => api.post(`/plans/filings/${id}/decide`, { decision, reason: reason.trim() || null }),
    onSuccess: (_, d) => {
      message.success(d === 'accepted' ? '已通过' : '已退回，学校将看到退回原因');
      void invalidate(['plans']);
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const f = q.data;
  return (
    <Modal open title={f ? `${f.orgName} ${f.year} 年度计划（第 ${f.version} 版）` : '年度计划'} onCancel={onClose} footer={null} width={760}>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : !f ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="plan-filing">
          <Descriptions size="small" bordered column={1}>
            <Descriptions.Item label="报送">
              {f.submittedOn} · {f.submittedBy}
            </Descriptions.Item>
            <Descriptions.Item label="文件">
              <Space wrap>
                <a href={apiUrl(`/plans/files/${f.planFileId}`)}>{f.planFileName}</a>
                {f.trainingFileId && <a href={apiUrl(`/plans/files/${f.trainingFileId}`)}>{f.trainingFileName}</a>}
              </Space>
            </Descriptions.Item>
            {f.note && <Descriptions.Item label="说明">{f.note}</Descriptions.Item>}
            <Descriptions.Item label="条目">
              {f.items.length ? (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {f.items.map((i) => (
                    <li key={i.position}>{itemText(i)}</li>
                  ))}
                </ul>
              ) : (
                '无'
              )}
            </Descriptions.Item>
            {f.decision && (
              <Descriptions.Item label="审核">
                {f.decision === 'accepted' ? '已通过' : `已退回：${f.reason}`}（{f.decidedBy}）
              </Descriptions.Item>
            )}
          </Descriptions>
          {!f.decision && (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Input.TextArea
                rows={3}
                maxLength={500}
                placeholder="退回原因（退回时必填，学校可见）"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="plan-reason"
              />
              <Space>
                <Button type="primary" loading={decide.isPending} onClick={() => decide.mutate('accepted')}>
                  通过
                </Button>
                <Button danger loading={decide.isPending} onClick={() => (reason.trim() ? decide.mutate('returned') : message.error('退回时请填写退回原因'))}>
                  退回
                </Button>
              </Space>
            </Space>
          )}
        </Space>
      )}
    </Modal>
  );
}

function AnnualReviewModal({ orgId, year, onClose }: { orgId: number; year: number; onClose: () => void }) {
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['plans', 'annual-review', { orgId, year }], queryFn: () => api.get<AnnualReview>('/plans/annual-review', { orgId, year }) });
  const [scores, setScores] = useState<Record<string, { bureauScore: number | null; comment: string }>>({});
  const [comment, setComment] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<{ total: number }>('/plans/annual-review', {
        orgId,
        year,
        components: Object.entries(scores).map(([code, s]) => ({ code, bureauScore: s.bureauScore, comment: s.comment.trim() || null })),
        comment: comment.trim() || null,
      }),
    onSuccess: (r) => {
      message.success(`已保存，总分 ${r.total}`);
      void invalidate(['plans']);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const r = q.data;
  const set = (code: string, patch: Partial<{ bureauScore: number | null; comment: string }>) =>
    setScores((s) => ({ ...s, [code]: { ...(s[code] ?? { bureauScore: null, comment: '' }), ...patch } }));
  return (
    <Modal open title={r ? `${r.unit.name} ${year} 年度考核（计划完成情况）` : '年度考核'} onCancel={onClose} footer={null} width={980}>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : !r ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="annual-review">
          <Typography.Text type="secondary">
            平台数据截至 {r.asOf}；规则：{r.rulesSource}；{r.plan ? `依据第 ${r.plan.version} 版计划` : '该单位未报送本年度计划'}
            。教育局评分填写后以其为准，不填则取平台得分；不适用的项不计权重。
          </Typography.Text>
          <Table<Component>
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={r.components}
            columns={[
              { title: '考核项', dataIndex: 'label' },
              { title: '来源', dataIndex: 'sourceLabel' },
              { title: '权重', dataIndex: 'weight' },
              {
                title: '平台数据',
                render: (_, c) => (
                  <Space orientation="vertical" size={0}>
                    <span>{c.score === null ? '—' : `${c.score} 分`}</span>
                    <Typography.Text type="secondary">{c.detail}</Typography.Text>
                  </Space>
                ),
              },
              {
                title: '教育局评分',
                render: (_, c) => (
                  <InputNumber
                    min={0}
                    max={100}
                    value={scores[c.code]?.bureauScore ?? null}
                    onChange={(v) => set(c.code, { bureauScore: v === null ? null : Number(v) })}
                    data-testid={`score-${c.code}`}
                  />
                ),
              },
              {
                title: '意见',
                render: (_, c) => <Input maxLength={300} value={scores[c.code]?.comment ?? ''} onChange={(e) => set(c.code, { comment: e.target.value })} />,
              },
            ]}
          />
          <Input.TextArea rows={2} maxLength={500} placeholder="总体评价" value={comment} onChange={(e) => setComment(e.target.value)} />
          <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>
            保存评分
          </Button>
          {r.history.length > 0 && (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={r.history}
              columns={[
                { title: '总分', dataIndex: 'total' },
                { title: '评分人', dataIndex: 'reviewedBy' },
                { title: '时间', dataIndex: 'reviewedAt', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
                { title: '状态', render: (_, h) => (h.supersededAt ? <Tag>已被重新评分取代</Tag> : <Tag color="green">有效</Tag>) },
                { title: '总体评价', dataIndex: 'comment' },
              ]}
            />
          )}
        </Space>
      )}
    </Modal>
  );
}

export default function PlanReviewPage() {
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || chinaYear();
  const [filter, setFilter] = useState<'all' | 'missing' | 'late' | 'submitted'>('all');
  const [filing, setFiling] = useState<number | null>(null);
  const [review, setReview] = useState<number | null>(null);
  const [history, setHistory] = useState<number | null>(null);
  const q = useQuery({ queryKey: ['plans', 'review', { year }], queryFn: () => api.get<ReviewList>('/plans/review', { year }) });
  const unitFilings = useQuery({
    queryKey: ['plans', 'filings-of', history],
    enabled: history !== null,
    queryFn: async () => {
      const latest = q.data?.units.find((u) => u.orgId === history)?.latestId;
      if (!latest) return [];
      const out: Filing[] = [];
      let id: number | null = latest;
      while (id) {
        const f: Filing & { previousId: number | null } = await api.get(`/plans/filings/${id}`);
        out.push(f);
        id = f.previousId;
      }
      return out;
    },
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  const rows = (d?.units ?? []).filter((u) =>
    filter === 'missing' ? u.status === 'missing' : filter === 'late' ? u.late : filter === 'submitted' ? u.status === 'submitted' : true,
  );
  return (
    <Card
      title="计划审核"
      data-testid="plan-review"
      extra={
        <Select
          value={year}
          style={{ width: 120 }}
          onChange={(y) => setParams({ year: String(y) })}
          options={[chinaYear() - 2, chinaYear() - 1, chinaYear(), chinaYear() + 1].map((y) => ({ value: y, label: `${y} 年度` }))}
        />
      }
    >
      {!d ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon
            message={`截止日期 ${d.deadline}（${d.rulesSource}）：共 ${d.counts.units} 个单位，待审核 ${d.counts.submitted}，已退回 ${d.counts.returned}，已通过 ${d.counts.accepted}，未报送 ${d.counts.missing}，逾期报送 ${d.counts.late}`}
          />
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as typeof filter)}
            options={[
              { value: 'all', label: '全部' },
              { value: 'submitted', label: `待审核 ${d.counts.submitted}` },
              { value: 'missing', label: `未报送 ${d.counts.missing}` },
              { value: 'late', label: `逾期报送 ${d.counts.late}` },
            ]}
          />
          <Table<UnitRow>
            rowKey="orgId"
            size="small"
            dataSource={rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              { title: '单位', dataIndex: 'orgName' },
              {
                title: '状态',
                render: (_, u) => (
                  <Space size={4} wrap>
                    <Tag color={STATUS_COLOR[u.status]}>{u.statusLabel}</Tag>
                    {u.late && <Tag color="red">逾期报送</Tag>}
                    {u.overdue && <Tag color="red">逾期未报</Tag>}
                  </Space>
                ),
              },
              { title: '版本', dataIndex: 'version', render: (v: number | null) => (v ? `第 ${v} 版` : '—') },
              { title: '首次报送', dataIndex: 'firstOn', render: (v: string | null) => v ?? '—' },
              { title: '最近报送', dataIndex: 'latestOn', render: (v: string | null) => v ?? '—' },
              { title: '退回原因', dataIndex: 'reason', render: (v: string | null) => v ?? '' },
              { title: '年度考核', dataIndex: 'reviewTotal', render: (v: number | null) => (v === null ? '未评' : `${v} 分`) },
              {
                title: '操作',
                render: (_, u) => (
                  <Space wrap>
                    {u.latestId && (
                      <Button size="small" type={u.status === 'submitted' ? 'primary' : 'default'} onClick={() => setFiling(u.latestId)}>
                        {u.status === 'submitted' ? '审核' : '查看'}
                      </Button>
                    )}
                    {u.latestId && (
                      <Button size="small" onClick={() => setHistory(u.orgId)}>
                        版本
                      </Button>
                    )}
                    <Button size="small" onClick={() => setReview(u.orgId)}>
                      年度考核
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
      {filing !== null && <FilingModal id={filing} onClose={() => setFiling(null)} />}
      {review !== null && <AnnualReviewModal orgId={review} year={year} onClose={() => setReview(null)} />}
      {history !== null && (
        <Modal open title="各版本" footer={null} width={900} onCancel={() => setHistory(null)}>
          {unitFilings.data ? <VersionsTable versions={unitFilings.data} /> : <Spin />}
        </Modal>
      )}
    </Card>
  );
}
