import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, BarChartOutlined, LinkOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import type { ParsedRule, PolicyDetail, PolicyRule, PolicyVersionDto, PublishResult } from '../../api/types';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { Cite, SUBJECT_LABELS } from '../compliance/parts';
import { deadlineText, figureText, reminderText, subjectText, windowText } from './format';
import { bumpVersion } from './editorText';
import PolicyEditor from './PolicyEditor';
import PolicyFormEditor from './PolicyFormEditor';
import PublishConfirm from './PublishConfirm';
import { citeLabel } from '../../../../server/src/modules/policies/policy.cite';
import { dateTime } from '../../format';

const when = dateTime;

interface RuleRow extends PolicyRule {
  parsed: ParsedRule;
  /** “截止前 30 天、7 天提醒”; null for rules that judge no teacher. */
  reminder: string | null;
}

function RulesTable({ detail }: { detail: PolicyDetail }) {
  const rows: RuleRow[] = detail.rules.map((r) => {
    const parsed = detail.parsed.rules.find((p) => p.id === r.id) ?? ({ id: r.id, kind: r.kind, title: r.title, cite: r.cite } as ParsedRule);
    return { ...r, parsed, reminder: reminderText(detail.parsed, parsed, r.subject) };
  });
  const columns: TableColumnsType<RuleRow> = [
    {
      title: '规则',
      key: 'title',
      width: 260,
      render: (_, r) => (
        <div>
          <Tag color="blue" style={{ marginBottom: 4 }}>
            {r.kindLabel}
          </Tag>
          <div>
            <Typography.Text strong>{r.title}</Typography.Text>
          </div>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>判定对象：{SUBJECT_LABELS[r.subject]}</div>
        </div>
      ),
    },
    { title: '适用对象', key: 'who', width: 170, render: (_, r) => subjectText(r.parsed) },
    {
      title: '要求',
      key: 'figure',
      width: 160,
      render: (_, r) => (
        <span>
          {figureText(r.parsed)}
          {r.openFigure && <div style={{ fontSize: 12, color: '#d46b08' }}>原文未给数字：{r.openFigure}</div>}
        </span>
      ),
    },
    {
      title: '统计期 / 截止',
      key: 'window',
      width: 190,
      render: (_, r) => (
        <div>
          <div>{windowText(r.parsed.window, detail.period, r.parsed)}</div>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>截止：{deadlineText(r.parsed, detail.period)}</div>
          {r.reminder && (
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }} data-testid="rule-reminder">
              {r.reminder}
            </div>
          )}
        </div>
      ),
    },
    {
      title: '出处',
      key: 'cite',
      render: (_, r) => (
        <Cite cite={r.cite} source={detail.source.title ?? detail.title}>
          <div style={{ cursor: 'help' }} data-testid="rule-cite">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {citeLabel(r.cite.title ? r.cite : { title: detail.source.title ?? detail.title, section: r.cite.section })}
            </Typography.Text>
            <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 13 }}>
              “{r.cite.text}”
            </Typography.Paragraph>
          </div>
        </Cite>
      ),
    },
  ];
  return (
    <Table<RuleRow>
      rowKey="id"
      size="small"
      dataSource={rows}
      columns={columns}
      pagination={false}
      scroll={{ x: 1040 }}
      expandable={{
        rowExpandable: (r) => r.assumptions.length > 0 || !!r.note,
        expandedRowRender: (r) => (
          <div style={{ padding: '0 8px' }}>
            {r.assumptions.length > 0 && (
              <>
                <Typography.Text type="secondary">计算口径（原文未说明、本政策文件的解释）：</Typography.Text>
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {r.assumptions.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              </>
            )}
            {r.note && <Typography.Paragraph style={{ margin: '4px 0 0' }}>说明：{r.note}</Typography.Paragraph>}
          </div>
        ),
      }}
      data-testid="policy-rules"
    />
  );
}

function VersionsTable({ versions, current, onPick }: { versions: PolicyVersionDto[]; current: number; onPick: (v: number) => void }) {
  return (
    <Table<PolicyVersionDto>
      rowKey="versionId"
      size="small"
      dataSource={versions}
      pagination={false}
      columns={[
        {
          title: '版本',
          dataIndex: 'version',
          width: 120,
          render: (v: number) =>
            v === current ? <Tag color="blue">第 {v} 版（当前查看）</Tag> : <Typography.Link onClick={() => onPick(v)}>第 {v} 版</Typography.Link>,
        },
        { title: '发布时间', dataIndex: 'publishedAt', width: 180, render: when },
        { title: '发布人', dataIndex: 'publishedBy', width: 120, render: (v: string | null) => v ?? '系统（种子文件）' },
        { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
        {
          title: '内容指纹',
          dataIndex: 'sha256',
          width: 130,
          responsive: ['lg'],
          render: (v: string) => (
            <Typography.Text code title={v}>
              {v.slice(0, 10)}
            </Typography.Text>
          ),
        },
      ]}
      data-testid="policy-versions"
    />
  );
}

/** 政策详情: rules in a readable table with citations, the YAML text, versions, and (for its bureau) edit → publish. */
export default function PolicyDetailPage() {
  const id = Number(useParams().id);
  const nav = useNavigate();
  const { me } = useAuth();
  const { tree } = useOrgTree(me?.id);
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const version = params.get('version') ? Number(params.get('version')) : undefined;
  const tab = params.get('tab') ?? 'rules';
  const valid = Number.isInteger(id) && id > 0;
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['policies', id, { version }],
    queryFn: () => api.get<PolicyDetail>(`/policies/${id}`, { version }),
    enabled: valid,
  });
  const [attachOpen, setAttachOpen] = useState(false);
  const [attachOrg, setAttachOrg] = useState<number>();
  const [editKey, setEditKey] = useState(0);
  /** A validated text waiting for the publish confirmation (diff against the published version). */
  const [pending, setPending] = useState<{ text: string; note?: string } | null>(null);
  // A new version or attachment changes the policy lists and what compliance is evaluated against.
  const policiesChanged = () => invalidate(['policies'], ['compliance']);
  const attachment = useMutation({
    mutationFn: (orgId: number) => api.post<{ attached: boolean }>(`/policies/${id}/attachments`, { orgId }),
    onSuccess: (r) => {
      message.success(r.attached ? '已挂接' : '该组织已挂接此政策');
      setAttachOpen(false);
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: policiesChanged,
  });

  const setTab = (t: string, v?: number) => {
    const next = new URLSearchParams(params);
    next.set('tab', t);
    if (v === undefined) next.delete('version');
    else next.set('version', String(v));
    setParams(next);
  };

  if (!valid) return <LoadError error={new Error('政策编号无效')} />;
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;

  const latest = data.version === data.latestVersion;
  const publish = async (text: string, note: string | undefined) => {
    const r = await api.post<PublishResult>(`/policies/${id}/versions`, { text, note });
    message.success(`已发布第 ${r.version} 版；此前的评估结果仍按旧版本保留`);
    setPending(null);
    setEditKey((k) => k + 1);
    const next = new URLSearchParams();
    next.set('tab', 'versions');
    setParams(next);
    void policiesChanged();
  };
  const attach = () => attachOrg && attachment.mutate(attachOrg);

  const items = [
    { key: 'rules', label: `规则（${data.rules.length}）`, children: <RulesTable detail={data} /> },
    {
      key: 'text',
      label: '政策原文（YAML）',
      children: (
        <pre
          style={{
            background: '#fafafa',
            border: '1px solid #f0f0f0',
            borderRadius: 6,
            padding: 12,
            maxHeight: 640,
            overflow: 'auto',
            fontSize: 13,
            lineHeight: '20px',
            margin: 0,
          }}
          data-testid="policy-yaml"
        >
          {data.text}
        </pre>
      ),
    },
    {
      key: 'versions',
      label: `版本历史（${data.versions.length}）`,
      children: <VersionsTable versions={data.versions} current={data.version} onPick={(v) => setTab('rules', v)} />,
    },
    ...(data.canPublish
      ? [
          {
            key: 'form',
            label: '表单编辑',
            children: latest ? (
              <PolicyFormEditor
                key={`${data.versionId}-${editKey}`}
                baseText={bumpVersion(data.text, data.latestVersion + 1)}
                rules={data.rules}
                onSubmit={(text) => setPending({ text })}
              />
            ) : (
              <Alert type="warning" showIcon title={`您正在查看旧版本（第 ${data.version} 版）。请先切换到最新的第 ${data.latestVersion} 版再编辑。`} />
            ),
          },
          {
            key: 'edit',
            label: '编辑并发布新版本（YAML）',
            children: latest ? (
              <>
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={`编辑后发布为第 ${data.latestVersion + 1} 版（文本中的 version 已改为 ${data.latestVersion + 1}）。政策编号 ${data.key} 不可修改；旧版本及其评估结果会保留。`}
                />
                <PolicyEditor
                  key={`${data.versionId}-${editKey}`}
                  initialText={bumpVersion(data.text, data.latestVersion + 1)}
                  submitLabel="发布新版本"
                  onSubmit={async (text, note) => setPending({ text, note })}
                />
              </>
            ) : (
              <Alert
                type="warning"
                showIcon
                title={`您正在查看旧版本（第 ${data.version} 版）。请先切换到最新的第 ${data.latestVersion} 版再编辑。`}
                action={
                  <Button size="small" onClick={() => setTab('edit')}>
                    切换到最新版
                  </Button>
                }
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav('/policies')} aria-label="返回" />
          <span data-testid="policy-title">{data.title}</span>
          <Tag color={latest ? 'blue' : 'orange'}>
            第 {data.version} 版{latest ? '' : '（旧版本）'}
          </Tag>
        </Space>
      }
      extra={
        <Space wrap>
          <Link to={`/compliance?policyId=${id}`}>
            <Button icon={<BarChartOutlined />} size={mobile ? 'small' : undefined}>
              合规看板
            </Button>
          </Link>
          {me?.role === 'bureauAdmin' && (
            <Button icon={<LinkOutlined />} size={mobile ? 'small' : undefined} onClick={() => setAttachOpen(true)}>
              挂接到组织
            </Button>
          )}
        </Space>
      }
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      {!latest && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`这是第 ${data.version} 版，最新为第 ${data.latestVersion} 版。`}
          action={
            <Button size="small" onClick={() => setTab('rules')}>
              查看最新版
            </Button>
          }
        />
      )}
      <Descriptions
        size="small"
        column={mobile ? 1 : { xs: 1, md: 2, xl: 2 }}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'issuer', label: '发布单位', children: data.issuer ?? '—' },
          { key: 'period', label: '实施期', children: `${data.period.from} 至 ${data.period.to ?? '长期（原文未规定截止日期）'}` },
          { key: 'key', label: '政策编号', children: <Typography.Text code>{data.key}</Typography.Text> },
          { key: 'source', label: '原文', children: `《${data.source.title ?? data.title}》` },
          { key: 'applies', label: '适用地区', children: data.appliesTo.name ?? '—' },
          {
            key: 'att',
            label: '挂接单位',
            children: data.attachments.length ? data.attachments.map((a) => <Tag key={a.orgId}>{a.orgName}</Tag>) : <Tag color="orange">未挂接</Tag>,
          },
        ]}
      />
      {data.notes.length > 0 && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title="说明"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {data.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          }
        />
      )}
      <Tabs activeKey={tab} onChange={(t) => setTab(t, t === 'edit' || t === 'form' ? undefined : version)} items={items} destroyOnHidden />
      {pending && latest && (
        <PublishConfirm
          published={data.text}
          text={pending.text}
          version={data.latestVersion + 1}
          initialNote={pending.note}
          onCancel={() => setPending(null)}
          onPublish={(note) => publish(pending.text, note)}
        />
      )}
      <Modal
        title="挂接到组织"
        open={attachOpen}
        onCancel={() => setAttachOpen(false)}
        onOk={() => attach()}
        okText="挂接"
        okButtonProps={{ loading: attachment.isPending, disabled: !attachOrg }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">政策挂接后适用于该组织及其下属所有单位。</Typography.Paragraph>
        <OrgTreeSelect tree={tree} value={attachOrg} onChange={setAttachOrg} placeholder="选择组织" style={{ width: '100%' }} />
      </Modal>
    </Card>
  );
}
