import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  List,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, OrderedListOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import { queryClient } from '../../api/query';
import type { ComplianceOrgChild, ComplianceRuleSummary, ComplianceSummary, ComplianceTeacherChild, ComplianceTrend, PolicyListItem } from '../../api/types';
import { useAuth } from '../../auth';
import { findOrgPath, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { label, options, STAGES, SUBJECT_OPTIONS, TEACHER_ROLES } from '../../vocab';
import { openingPolicyId, trendDates } from './logic';
import { citeLabel } from '../../../../server/src/modules/policies/policy.cite';
import {
  Cite,
  countsText,
  isOpen,
  noDataReason,
  OutcomeBar,
  pct,
  requirementText,
  shareColor,
  STATUS_COLORS,
  STATUS_HEX,
  STATUS_LABELS,
  StatusTag,
  SUBJECT_LABELS,
  SUBJECT_UNITS,
} from './parts';

const Charts = lazy(() => import('./ComplianceCharts').then((m) => ({ default: m.ShareBarChart })));
const Trend = lazy(() => import('./ComplianceCharts').then((m) => ({ default: m.TrendChart })));

/** A rule that judges nothing at this level (a region target seen from a county, …). */
const inapplicable = (r: ComplianceRuleSummary) => r.totals.subjects === 0 && (!r.result || r.result.status === 'notApplicable');

/** The rule a chart shows when none is chosen: the first with a share, teacher rules first. */
function defaultRule(rules: ComplianceRuleSummary[]): string | undefined {
  return (rules.find((r) => r.subject === 'teacher' && r.totals.share !== null) ?? rules.find((r) => r.totals.share !== null) ?? rules[0])?.id;
}

const STATE_TEXT = { notStarted: '尚未开始实施', active: '实施中', ended: '实施期已结束' } as const;

/**
 * One rule's figures: the 达标率 over the subjects whose deadline has been reached, with the 进行中 / 临期
 * ones shown apart (a stacked bar of the four outcomes); before any deadline, 未到截止日期 and the bar.
 */
function ShareCell({ rule }: { rule: ComplianceRuleSummary }) {
  const t = rule.totals;
  const pending = t.inProgress + t.dueSoon;
  if (t.share !== null)
    return (
      <div style={{ minWidth: 140 }} data-testid="rule-share">
        <Progress percent={Math.round(t.share * 1000) / 10} size="small" strokeColor={shareColor(t.share)} format={(p) => `${p}%`} />
        {pending > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="rule-pending">
            另有 {pending}
            {SUBJECT_UNITS[rule.subject]}未到截止日期
          </Typography.Text>
        )}
      </div>
    );
  if (pending > 0 || (t.compliant > 0 && t.due === 0))
    return (
      <div style={{ minWidth: 140 }} data-testid="rule-share">
        <Tooltip title="达标率只计截止日期已到的对象；本规则尚无到期对象，进行中和临期的对象不计为未达标">
          <Tag color={STATUS_COLORS.inProgress} style={{ cursor: 'help' }} data-testid="rule-not-due">
            未到截止日期
          </Tag>
        </Tooltip>
        <OutcomeBar totals={t} />
      </div>
    );
  if (t.noData > 0 || rule.result?.status === 'noData')
    return (
      <Tooltip title={noDataReason(rule, rule.result)}>
        <Tag style={{ cursor: 'help' }} data-testid="rule-nodata">
          暂无数据
        </Tag>
      </Tooltip>
    );
  return <Typography.Text type="secondary">不适用</Typography.Text>;
}

function CountsCell({ rule }: { rule: ComplianceRuleSummary }) {
  const t = rule.totals;
  const u = SUBJECT_UNITS[rule.subject];
  if (!t.subjects) return <Typography.Text type="secondary">—</Typography.Text>;
  const shown = (['compliant', 'overdue', 'dueSoon', 'inProgress', 'noData'] as const).filter((k) => t[k] > 0);
  return (
    <Space size={4} wrap style={{ fontSize: 13 }} data-testid="rule-counts">
      {shown.map((k) => (
        <span key={k} style={{ color: k === 'noData' ? '#8c8c8c' : STATUS_HEX[k] }} data-status={k}>
          {STATUS_LABELS[k]} {t[k]}
          {u}
          {k === 'inProgress' && t.behindPace ? `（落后进度 ${t.behindPace}）` : ''}
        </span>
      ))}
    </Space>
  );
}

/** What the numbers mean at this level: the single verdict, what is past its deadline, or why there is no data. */
function NoteCell({ rule }: { rule: ComplianceRuleSummary }) {
  const t = rule.totals;
  const u = SUBJECT_UNITS[rule.subject];
  if (rule.result)
    return (
      <span data-testid="rule-explanation">
        <StatusTag status={rule.result.status} behind={rule.result.pace?.behind} /> {rule.result.explanation}
      </span>
    );
  if (t.subjects && t.noData === t.subjects) return <Typography.Text type="secondary">暂无数据：{noDataReason(rule)}</Typography.Text>;
  const parts: string[] = [];
  if (t.due) parts.push(`截止日期已到 ${t.due}${u}，其中达标 ${t.compliantDue}${u}`);
  if (t.dueSoon) parts.push(`临期 ${t.dueSoon}${u}（截止日期临近）`);
  if (t.inProgress) parts.push(`进行中 ${t.inProgress}${u}${t.behindPace ? `，其中 ${t.behindPace}${u}落后于进度` : ''}`);
  if (t.noData) parts.push(`${t.noData}${u}暂无数据（${noDataReason(rule)}）`);
  if (!t.subjects) parts.push('本级没有适用对象');
  return <Typography.Text type="secondary">{parts.join('；')}</Typography.Text>;
}

function RuleDetail({ rule }: { rule: ComplianceRuleSummary }) {
  return (
    <div style={{ padding: '4px 8px' }}>
      <Typography.Paragraph style={{ marginBottom: 6 }}>
        <Typography.Text type="secondary">原文（{citeLabel(rule.cite)}）：</Typography.Text>“{rule.cite.text}”
      </Typography.Paragraph>
      {rule.openFigure && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 6 }}>
          原文未给出具体数字：{rule.openFigure}
        </Typography.Paragraph>
      )}
      {rule.assumptions.length > 0 && (
        <div style={{ marginBottom: 6 }}>
          <Typography.Text type="secondary">计算口径：</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {rule.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      )}
      {rule.failing.length > 0 && (
        <div>
          <Typography.Text type="secondary">
            未完成的{SUBJECT_LABELS[rule.subject]}（{rule.failing.length >= 50 ? '最紧迫的 50 个' : `${rule.failing.length} 个`}）：
          </Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="rule-failing">
            {rule.failing.map((f) => (
              <li key={`${f.subjectType}-${f.subjectId}`}>
                <StatusTag status={f.status} behind={f.pace?.behind} />
                <b>{f.name}</b>：{f.explanation}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** 合规看板: per rule of a policy, the share compliant at an org, its children, a trend; drill down to teachers. */
export default function ComplianceDashboardPage() {
  const { me } = useAuth();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const { tree } = useOrgTree(me?.id);
  const [showAll, setShowAll] = useState(false);
  const [onlyShort, setOnlyShort] = useState(true);

  const policies = useQuery({ queryKey: ['policies', 'list'], queryFn: () => api.get<{ items: PolicyListItem[] }>('/policies') });
  const list = policies.data?.items ?? [];
  // Without a choice: the policy in force on the evaluation date (today by default), not one that has ended.
  const policyId = Number(params.get('policyId')) || openingPolicyId(list, params.get('asOf') ?? dayjs().format('YYYY-MM-DD'));
  const orgId = params.get('orgId') ? Number(params.get('orgId')) : undefined;
  const query = {
    policyId,
    orgId,
    asOf: params.get('asOf') ?? undefined,
    stage: params.get('stage') ?? undefined,
    subject: params.get('subject') ?? undefined,
    role: params.get('role') ?? undefined,
  };
  const summaryKey = ['compliance', 'summary', query];
  const summary = useQuery({
    queryKey: summaryKey,
    queryFn: () => api.get<ComplianceSummary>('/compliance/summary', query),
    enabled: !!policyId,
    placeholderData: keepPreviousData,
    // Stored figures answered while data changed since: a recomputation runs on the server; ask again
    // (about when it should be done, then less often) until the current figures are in.
    refetchInterval: (q) => {
      const s = q.state.data;
      if (!s?.stale) return false;
      return Math.min(Math.max(2000, s.durationMs) * 2 ** Math.max(0, q.state.dataUpdateCount - 1), 10_000);
    },
  });
  const data = summary.data;
  // The trend asks for several evaluations: start it once the summary (which warms the cache) is in.
  const dates = trendDates(list.find((p) => p.id === policyId)?.period, query.asOf);
  const trendQuery = { ...query, asOf: undefined, dates };
  const trend = useQuery({
    queryKey: ['compliance', 'trend', trendQuery, data?.org.id, data?.policy.versionId],
    queryFn: () => api.get<ComplianceTrend>('/compliance/trend', trendQuery),
    enabled: !!data && !summary.isPlaceholderData,
  });

  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v === undefined || v === '' ? next.delete(k) : next.set(k, String(v));
    setParams(next);
    // Drilling from the table at the bottom: start the new org's page at its top.
    if ('orgId' in patch || 'policyId' in patch) window.scrollTo({ top: 0 });
  };

  const rules = useMemo(() => data?.rules ?? [], [data]);
  const ruleId = params.get('rule') && rules.some((r) => r.id === params.get('rule')) ? params.get('rule')! : defaultRule(rules);
  const rule = rules.find((r) => r.id === ruleId);
  const hidden = rules.filter(inapplicable);
  const shownRules = showAll ? rules : rules.filter((r) => !inapplicable(r));
  const atSchool = data?.org.kind === 'school';
  const orgChildren = (data?.children.filter((c) => c.type === 'org') ?? []) as ComplianceOrgChild[];
  const teacherChildren = (data?.children.filter((c) => c.type === 'teacher') ?? []) as ComplianceTeacherChild[];
  const trail = data ? findOrgPath(tree, data.org.id) : [];
  const exportHref = policyId ? apiUrl('/compliance/summary.xlsx', { ...query, orgId: data?.org.id ?? orgId }) : undefined;

  const recompute = useMutation({
    mutationFn: () => api.get<ComplianceSummary>('/compliance/summary', { ...query, refresh: 1 }),
    onSuccess: (s) => {
      queryClient.setQueryData(summaryKey, s);
      void queryClient.invalidateQueries({ queryKey: ['compliance', 'trend'] });
      message.success('已按最新数据重新计算');
    },
    onError: (e) => message.error(errorText(e)),
  });

  if (policies.error) return <LoadError error={policies.error} onRetry={() => void policies.refetch()} />;
  if (policies.isPending) return <PageLoading />;
  if (!list.length)
    return (
      <Card title="合规看板">
        <EmptyState text="本单位暂无适用的政策。请由教育局管理员在“政策管理”中上传或挂接政策。" />
      </Card>
    );

  const policyOptions = [
    { label: '本单位适用的政策', options: list.filter((p) => p.inForce).map((p) => ({ value: p.id, label: `${p.title}（第 ${p.version} 版）` })) },
    {
      label: '下级单位的政策',
      options: list
        .filter((p) => p.relation === 'below')
        .map((p) => ({ value: p.id, label: `${p.title}（${p.attachments.map((a) => a.orgName).join('、')}）` })),
    },
    { label: '未挂接的政策', options: list.filter((p) => p.relation === 'unattached').map((p) => ({ value: p.id, label: p.title })) },
  ].filter((g) => g.options.length);

  const ruleColumns: TableColumnsType<ComplianceRuleSummary> = [
    {
      title: '规则',
      key: 'title',
      width: 320,
      render: (_, r) => (
        <div>
          <Typography.Text strong>{r.title}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            <Space size={6} wrap>
              <Tag color="blue">{r.kindLabel}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                对象：{SUBJECT_LABELS[r.subject]}
              </Typography.Text>
              <Cite cite={r.cite} source={data?.policy.title} />
            </Space>
          </div>
        </div>
      ),
    },
    { title: '要求', key: 'req', width: 110, render: (_, r) => requirementText(r) },
    { title: '达标率', key: 'share', width: 170, render: (_, r) => <ShareCell rule={r} /> },
    { title: '已达标 / 未达标 / 临期 / 进行中', key: 'counts', width: 200, render: (_, r) => <CountsCell rule={r} /> },
    { title: '说明', key: 'note', render: (_, r) => <NoteCell rule={r} /> },
  ];

  const orgColumns: TableColumnsType<ComplianceOrgChild> = [
    {
      title: '单位',
      dataIndex: 'name',
      width: 200,
      fixed: 'left',
      render: (v: string, c) => (
        <Typography.Link onClick={() => set({ orgId: c.id })} data-testid="child-org">
          {v}
        </Typography.Link>
      ),
    },
    {
      title: rule ? `达标率（${rule.title}）` : '达标率',
      key: 'share',
      width: 220,
      sorter: (a, b) => (a.totals[ruleId ?? '']?.share ?? -1) - (b.totals[ruleId ?? '']?.share ?? -1),
      render: (_, c) => {
        const t = ruleId ? c.totals[ruleId] : undefined;
        const res = ruleId ? c.results[ruleId] : undefined;
        if (t && t.share !== null)
          return <Progress percent={Math.round(t.share * 1000) / 10} size="small" strokeColor={shareColor(t.share)} format={(p) => `${p}%`} />;
        if (res) return <StatusTag status={res.status} behind={res.pace?.behind} />;
        if (t && t.inProgress + t.dueSoon + t.compliant > 0) return <OutcomeBar totals={t} />;
        if (t?.noData) return <Tag>暂无数据</Tag>;
        return <Typography.Text type="secondary">不适用</Typography.Text>;
      },
    },
    {
      title: '各结果人数',
      key: 'counts',
      width: 220,
      render: (_, c) => {
        const t = ruleId ? c.totals[ruleId] : undefined;
        if (!t?.subjects) return '—';
        return countsText(t, rule ? SUBJECT_UNITS[rule.subject] : '');
      },
    },
    {
      title: '达标率最低的规则',
      key: 'lowest',
      render: (_, c) => {
        const worst = rules
          .map((r) => ({ r, s: c.totals[r.id]?.share ?? null }))
          .filter((x) => x.s !== null)
          .sort((a, b) => (a.s as number) - (b.s as number))[0];
        return worst ? (
          <Typography.Link onClick={() => set({ rule: worst.r.id })}>
            {worst.r.title}：{pct(worst.s)}
          </Typography.Link>
        ) : (
          '—'
        );
      },
    },
  ];

  const shortOf = (c: ComplianceTeacherChild) => rules.filter((r) => c.results[r.id] && isOpen(c.results[r.id].status));
  const teachersShown = onlyShort ? teacherChildren.filter((c) => shortOf(c).length > 0) : teacherChildren;
  const teacherColumns: TableColumnsType<ComplianceTeacherChild> = [
    {
      title: '教师',
      dataIndex: 'name',
      width: 100,
      fixed: 'left',
      render: (v: string, c) => (
        <Link to={`/compliance/teachers/${c.id}`} data-testid="child-teacher">
          {v}
        </Link>
      ),
    },
    {
      title: '身份证号',
      dataIndex: 'nationalIdMask',
      width: 170,
      responsive: ['lg'],
      render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span>,
    },
    { title: '学段 / 学科', key: 'ss', width: 130, render: (_, c) => `${label(STAGES, c.stage)} · ${c.subjects.join('、') || '—'}` },
    {
      title: rule ? `所选规则：${rule.title}` : '所选规则',
      key: 'rule',
      width: 130,
      render: (_, c) => {
        const r = ruleId ? c.results[ruleId] : undefined;
        if (!r) return '—';
        return (
          <Tooltip title={r.explanation}>
            <Tag color={STATUS_COLORS[r.status]} style={{ cursor: 'help' }} data-testid="teacher-rule-status" data-status={r.status}>
              {STATUS_LABELS[r.status]}
            </Tag>
          </Tooltip>
        );
      },
    },
    {
      title: '未完成的要求',
      key: 'short',
      render: (_, c) => {
        const s = shortOf(c);
        if (!s.length) return <Tag color="green">各项均达标</Tag>;
        return (
          <ul style={{ margin: 0, paddingInlineStart: 16 }} data-testid="teacher-shortfalls">
            {s.map((r) => (
              <li key={r.id}>
                <StatusTag status={c.results[r.id].status} behind={c.results[r.id].pace?.behind} />
                <Cite cite={r.cite} source={data?.policy.title}>
                  <span style={{ cursor: 'help' }}>{c.results[r.id].explanation}</span>
                </Cite>
              </li>
            ))}
          </ul>
        );
      },
    },
  ];

  const ruleControls = data && (
    <Space wrap>
      {hidden.length > 0 && (
        <span style={{ fontSize: 13 }}>
          <Switch size="small" checked={showAll} onChange={setShowAll} /> 显示不适用于本级的 {hidden.length} 条规则
        </span>
      )}
      {data.stale && (
        <Tag color="processing" data-testid="summary-stale">
          数据有变动，正在重新计算（当前显示 {new Date(data.computedAt).toLocaleTimeString('zh-CN', { hour12: false })} 的结果）
        </Tag>
      )}
      <Tooltip title={`计算于 ${new Date(data.computedAt).toLocaleString('zh-CN', { hour12: false })}${data.cached ? '（已保存的结果，数据无变动）' : ''}`}>
        <Button size="small" icon={<ReloadOutlined />} loading={recompute.isPending} onClick={() => policyId && recompute.mutate()}>
          重新计算
        </Button>
      </Tooltip>
    </Space>
  );

  const compliantAll = data?.teachers;
  const rulesShort = rules.filter((r) => r.totals.overdue > 0 || r.result?.status === 'overdue').length;
  const rulesPending = rules.filter((r) => r.totals.inProgress + r.totals.dueSoon > 0).length;
  const rulesNoData = rules.filter((r) => r.totals.subjects > 0 && r.totals.noData === r.totals.subjects).length;

  const barsForChildren = orgChildren.map((c) => {
    const t = ruleId ? c.totals[ruleId] : undefined;
    return {
      name: c.name,
      share: t?.share ?? null,
      detail: t ? countsText(t) : '不适用',
    };
  });
  const ruleBars = rules.filter((r) => r.totals.share !== null);
  const barsForRules = ruleBars.map((r) => ({ name: r.title, share: r.totals.share, detail: countsText(r.totals) }));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="compliance-dashboard">
      <Card
        title="合规看板"
        extra={
          <Space wrap>
            <Select
              value={policyId}
              onChange={(v: number) => set({ policyId: v, rule: undefined })}
              options={policyOptions}
              style={{ width: mobile ? 240 : 360 }}
              aria-label="政策"
              data-testid="policy-select"
              popupMatchSelectWidth={false}
            />
            <DatePicker
              value={query.asOf ? dayjs(query.asOf) : undefined}
              placeholder="评估日期：今天"
              onChange={(d) => set({ asOf: d ? d.format('YYYY-MM-DD') : undefined })}
              aria-label="评估日期"
              style={{ width: 150 }}
            />
            <Button icon={<DownloadOutlined />} href={exportHref} disabled={!exportHref} data-testid="export">
              导出Excel
            </Button>
          </Space>
        }
        styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
      >
        {trail.length > 1 && (
          <Breadcrumb
            style={{ marginBottom: 12 }}
            data-testid="org-trail"
            items={trail.map((o, i) => ({
              key: o.id,
              title: i === trail.length - 1 ? o.name : <Typography.Link onClick={() => set({ orgId: o.id })}>{o.name}</Typography.Link>,
            }))}
          />
        )}
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder="学段"
            value={query.stage}
            onChange={(v?: string) => set({ stage: v })}
            options={options(STAGES)}
            style={{ width: 110 }}
            aria-label="学段"
          />
          <Select
            allowClear
            showSearch
            placeholder="学科"
            value={query.subject}
            onChange={(v?: string) => set({ subject: v })}
            options={SUBJECT_OPTIONS}
            style={{ width: 120 }}
            aria-label="学科"
          />
          <Select
            allowClear
            placeholder="岗位角色"
            value={query.role}
            onChange={(v?: string) => set({ role: v })}
            options={options(TEACHER_ROLES)}
            style={{ width: 150 }}
            aria-label="岗位角色"
          />
          {(query.stage || query.subject || query.role) && (
            <Button type="link" onClick={() => set({ stage: undefined, subject: undefined, role: undefined })}>
              清除筛选
            </Button>
          )}
          {atSchool && data && (
            <Link to={`/compliance/worklist?orgId=${data.org.id}${policyId ? `&policyId=${policyId}` : ''}${query.asOf ? `&asOf=${query.asOf}` : ''}`}>
              <Button icon={<OrderedListOutlined />}>本校待办清单</Button>
            </Link>
          )}
        </Space>
        {summary.error ? (
          <LoadError error={summary.error} onRetry={() => void summary.refetch()} />
        ) : !data ? (
          <PageLoading tip="正在计算合规情况…" />
        ) : (
          <>
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              <Typography.Text strong>{data.policy.title}</Typography.Text>
              <Typography.Text type="secondary">
                {' '}
                · 第 {data.policy.version} 版 · {data.org.name} · {STATE_TEXT[data.policyState]}
                {data.evaluatedOn !== data.asOf ? `，按 ${data.evaluatedOn} 评估` : `，评估日 ${data.asOf}`}
                {(query.stage || query.subject || query.role) &&
                  ` · 筛选：${[query.stage && label(STAGES, query.stage), query.subject, query.role && label(TEACHER_ROLES, query.role)].filter(Boolean).join('、')}`}
              </Typography.Text>
            </Typography.Paragraph>
            {data.policyState !== 'active' && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                title={
                  data.policyState === 'ended'
                    ? `该政策的实施期已结束，结果按实施期末（${data.evaluatedOn}）计算。`
                    : `该政策尚未开始实施，结果按开始日（${data.evaluatedOn}）计算。`
                }
              />
            )}
            <Row gutter={[16, 16]}>
              <Col xs={12} md={8} xl={4}>
                <Statistic title="参与评估的教师" value={compliantAll?.evaluated ?? 0} suffix="人" />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic title="各项均已完成的教师" value={pct(compliantAll?.share)} />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic
                  title="有逾期未达标要求的教师"
                  value={compliantAll?.overdue ?? 0}
                  suffix="人"
                  styles={{ content: { color: compliantAll?.overdue ? STATUS_HEX.overdue : undefined } }}
                  data-testid="teachers-overdue"
                />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic title="有未达标对象的规则" value={rulesShort} suffix={`/ ${rules.length} 条`} />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic
                  title="有进行中或临期对象的规则"
                  value={rulesPending}
                  suffix="条"
                  styles={{ content: { color: STATUS_HEX.inProgress } }}
                  data-testid="rules-pending"
                />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic title="暂无数据的规则" value={rulesNoData} suffix="条" />
              </Col>
            </Row>
          </>
        )}
      </Card>

      {data && (
        <>
          <Card title="各规则达标情况" size={mobile ? 'small' : undefined} extra={!mobile && ruleControls}>
            {mobile && <div style={{ marginBottom: 8 }}>{ruleControls}</div>}
            {mobile ? (
              <List
                dataSource={shownRules}
                data-testid="rules-table"
                renderItem={(r) => (
                  <List.Item
                    key={r.id}
                    onClick={() => set({ rule: r.id })}
                    style={{ display: 'block', cursor: 'pointer', background: r.id === ruleId ? '#e6f4ff' : undefined, padding: '10px 8px' }}
                  >
                    <Typography.Text strong>{r.title}</Typography.Text>
                    <div style={{ margin: '4px 0' }}>
                      <Space size={6} wrap>
                        <Tag color="blue">{r.kindLabel}</Tag>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          要求 {requirementText(r)}
                        </Typography.Text>
                        <Cite cite={r.cite} source={data.policy.title} />
                      </Space>
                    </div>
                    <ShareCell rule={r} />
                    <CountsCell rule={r} />
                    <div style={{ fontSize: 12 }}>
                      <NoteCell rule={r} />
                    </div>
                  </List.Item>
                )}
              />
            ) : (
              <Table<ComplianceRuleSummary>
                rowKey="id"
                size="small"
                dataSource={shownRules}
                columns={ruleColumns}
                pagination={false}
                scroll={{ x: 900 }}
                expandable={{ expandedRowRender: (r) => <RuleDetail rule={r} /> }}
                onRow={(r) => ({ onClick: () => set({ rule: r.id }), style: { cursor: 'pointer', background: r.id === ruleId ? '#e6f4ff' : undefined } })}
                data-testid="rules-table"
              />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              点击一条规则，下方图表和{atSchool ? '教师' : '下级单位'}列表即按该规则显示；点击“出处”查看政策原文。
            </Typography.Text>
          </Card>

          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Card
                size={mobile ? 'small' : undefined}
                title={atSchool ? '各规则达标率（本校）' : `下级单位达标率${rule ? `：${rule.title}` : ''}`}
                extra={
                  !atSchool && (
                    <Select
                      size="small"
                      value={ruleId}
                      onChange={(v: string) => set({ rule: v })}
                      options={rules.filter((r) => !inapplicable(r)).map((r) => ({ value: r.id, label: r.title }))}
                      style={{ width: mobile ? 160 : 240 }}
                      popupMatchSelectWidth={false}
                      aria-label="规则"
                    />
                  )
                }
              >
                <Suspense fallback={<PageLoading />}>
                  {atSchool ? (
                    <Charts
                      bars={barsForRules}
                      horizontal
                      height={Math.max(200, barsForRules.length * 30 + 40)}
                      onPick={(i) => set({ rule: ruleBars[i].id })}
                      testId="rules-chart"
                    />
                  ) : orgChildren.length ? (
                    <Charts
                      bars={barsForChildren}
                      height={mobile ? 260 : 320}
                      onPick={(i) => orgChildren[i] && set({ orgId: orgChildren[i].id })}
                      testId="children-chart"
                    />
                  ) : (
                    <EmptyState text="没有下级单位" />
                  )}
                </Suspense>
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card
                size={mobile ? 'small' : undefined}
                title="达标率趋势"
                extra={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    实施期各年末{trend.data?.points.length && trend.data.points[trend.data.points.length - 1].asOf.slice(5) !== '12-31' ? '及评估日' : ''}
                  </Typography.Text>
                }
              >
                {trend.error ? (
                  <Alert type="warning" showIcon title="趋势暂不可用" description={errorText(trend.error)} />
                ) : !trend.data ? (
                  <PageLoading tip="正在计算趋势…" />
                ) : (
                  <Suspense fallback={<PageLoading />}>
                    <Trend trend={trend.data} ruleId={ruleId} ruleTitle={rule?.title} />
                  </Suspense>
                )}
              </Card>
            </Col>
          </Row>

          {atSchool ? (
            <Card
              size={mobile ? 'small' : undefined}
              title={`本校教师（${teacherChildren.length} 人）`}
              extra={
                <Segmented
                  value={onlyShort ? 'short' : 'all'}
                  onChange={(v) => setOnlyShort(v === 'short')}
                  options={[
                    { value: 'short', label: '只看未完成' },
                    { value: 'all', label: '全部教师' },
                  ]}
                />
              }
            >
              {mobile ? (
                <List
                  dataSource={teachersShown}
                  data-testid="teachers-table"
                  pagination={teachersShown.length > 20 ? { pageSize: 20, size: 'small' } : false}
                  locale={{ emptyText: <EmptyState text={onlyShort ? '没有未完成要求的教师' : '暂无教师'} /> }}
                  renderItem={(c) => (
                    <List.Item key={c.id} style={{ display: 'block' }}>
                      <Space>
                        <Link to={`/compliance/teachers/${c.id}`} data-testid="child-teacher">
                          {c.name}
                        </Link>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {label(STAGES, c.stage)} · {c.subjects.join('、') || '—'}
                        </Typography.Text>
                      </Space>
                      {shortOf(c).length ? (
                        <ul style={{ margin: '4px 0 0', paddingInlineStart: 16, fontSize: 13 }} data-testid="teacher-shortfalls">
                          {shortOf(c).map((r) => (
                            <li key={r.id}>
                              <StatusTag status={c.results[r.id].status} behind={c.results[r.id].pace?.behind} />
                              {c.results[r.id].explanation}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <div>
                          <Tag color="green">各项均达标</Tag>
                        </div>
                      )}
                    </List.Item>
                  )}
                />
              ) : (
                <Table<ComplianceTeacherChild>
                  rowKey="id"
                  size="small"
                  dataSource={teachersShown}
                  columns={teacherColumns}
                  scroll={{ x: 800 }}
                  pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (t) => `共 ${t} 人` }}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={onlyShort ? '没有未完成要求的教师' : '暂无教师'} /> }}
                  data-testid="teachers-table"
                />
              )}
            </Card>
          ) : (
            <Card size={mobile ? 'small' : undefined} title="下级单位">
              {mobile ? (
                <List
                  dataSource={orgChildren}
                  data-testid="children-table"
                  locale={{ emptyText: <EmptyState text="没有下级单位" /> }}
                  renderItem={(c) => {
                    const t = ruleId ? c.totals[ruleId] : undefined;
                    return (
                      <List.Item key={c.id} style={{ display: 'block' }}>
                        <Typography.Link onClick={() => set({ orgId: c.id })} data-testid="child-org">
                          {c.name}
                        </Typography.Link>
                        {t && t.share !== null ? (
                          <Progress percent={Math.round(t.share * 1000) / 10} size="small" strokeColor={shareColor(t.share)} format={(p) => `${p}%`} />
                        ) : t && t.inProgress + t.dueSoon + t.compliant > 0 ? (
                          <div>
                            <Tag color={STATUS_COLORS.inProgress}>未到截止日期</Tag>
                            <OutcomeBar totals={t} />
                          </div>
                        ) : (
                          <div>
                            <Typography.Text type="secondary">{t?.noData ? '暂无数据' : '不适用'}</Typography.Text>
                          </div>
                        )}
                        {t && t.subjects > 0 && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {countsText(t)}
                          </Typography.Text>
                        )}
                      </List.Item>
                    );
                  }}
                />
              ) : (
                <Table<ComplianceOrgChild>
                  rowKey="id"
                  size="small"
                  dataSource={orgChildren}
                  columns={orgColumns}
                  scroll={{ x: 760 }}
                  pagination={orgChildren.length > 30 ? { pageSize: 30 } : false}
                  locale={{ emptyText: <EmptyState text="没有下级单位" /> }}
                  onRow={(c) => ({ onDoubleClick: () => set({ orgId: c.id }) })}
                  data-testid="children-table"
                />
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                点击单位名称或柱形，查看该单位{orgChildren.some((c) => c.kind === 'school') ? '（学校可看到每位教师）' : ''}。
              </Typography.Text>
            </Card>
          )}
        </>
      )}
      {summary.isPlaceholderData && (
        <div style={{ position: 'fixed', right: 24, bottom: 24 }}>
          <Tag color="processing">更新中…</Tag>
        </div>
      )}
    </Space>
  );
}
