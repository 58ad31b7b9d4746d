import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Breadcrumb, Button, Card, DatePicker, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
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
import ComplianceChartsRow from './ComplianceChartsRow';
import { openingPolicyId, trendDates } from './logic';
import OrgsDrillDown from './OrgsDrillDown';
import { inapplicable } from './RuleCells';
import RulesCard from './RulesCard';
import SummaryStats from './SummaryStats';
import TeachersDrillDown from './TeachersDrillDown';
import { chinaTodayISO } from '../../china-time';

/** The rule a chart shows when none is chosen: the first with a share, teacher rules first. */
function defaultRule(rules: ComplianceRuleSummary[]): string | undefined {
  return (rules.find((r) => r.subject === 'teacher' && r.totals.share !== null) ?? rules.find((r) => r.totals.share !== null) ?? rules[0])?.id;
}

const STATE_TEXT = { notStarted: '尚未开始实施', active: '实施中', ended: '实施期已结束' } as const;

/**
 * 合规看板: per rule of a policy, the share compliant at an org, its children, a trend; drill down to teachers.
 * This page holds the query state (URL parameters) and the header; the sections are components of this folder.
 */
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
  const policyId = Number(params.get('policyId')) || openingPolicyId(list, params.get('asOf') ?? chinaTodayISO());
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
            <SummaryStats data={data} />
          </>
        )}
      </Card>

      {data && (
        <>
          <RulesCard
            rules={shownRules}
            ruleId={ruleId}
            policyTitle={data.policy.title}
            atSchool={atSchool}
            controls={ruleControls}
            onRule={(id) => set({ rule: id })}
          />
          <ComplianceChartsRow
            rules={rules}
            ruleId={ruleId}
            atSchool={atSchool}
            orgChildren={orgChildren}
            trend={trend.data}
            trendError={trend.error}
            onRule={(id) => set({ rule: id })}
            onOrg={(id) => set({ orgId: id })}
          />
          {atSchool ? (
            <TeachersDrillDown
              teachers={teacherChildren}
              rules={rules}
              ruleId={ruleId}
              policyTitle={data.policy.title}
              onlyShort={onlyShort}
              onOnlyShort={setOnlyShort}
            />
          ) : (
            <OrgsDrillDown orgs={orgChildren} rules={rules} ruleId={ruleId} onRule={(id) => set({ rule: id })} onOrg={(id) => set({ orgId: id })} />
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
