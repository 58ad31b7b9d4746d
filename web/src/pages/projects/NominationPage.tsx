import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SwapOutlined, UserAddOutlined, WarningOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { DataTable } from '../../components/DataTable';
import PageCard from '../../components/PageCard';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { label, options, PROJECT_FORMS, PROJECT_LEVELS, STAGES, SUBJECT_OPTIONS, TITLES } from '../../vocab';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import QuotasPanel from './QuotasPanel';
import EnrolmentLogPanel from './EnrolmentLogPanel';
import { isFrozen, STATUS_COLORS } from './status';
import type { Candidate, CandidatesView, NominationProject } from './workflow-types';
import { chinaYear } from '../../china-time';

/** 学员选派: the projects the caller's org holds a quota for. */
export function NominationListPage() {
  const {
    data,
    isPending: loading,
    error,
    refetch,
  } = useQuery({ queryKey: ['nominations', 'projects'], queryFn: () => api.get<{ items: NominationProject[] }>('/nominations/projects') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const columns: TableColumnsType<NominationProject> = [
    { title: '项目', dataIndex: 'name', render: (v: string, p) => <Link to={`/nominations/${p.id}`}>{v}</Link> },
    { title: '主办单位', dataIndex: 'orgName', width: 170, responsive: ['md'] },
    {
      title: '级别 / 形式',
      key: 'lf',
      width: 150,
      responsive: ['lg'],
      render: (_: unknown, p) => `${label(PROJECT_LEVELS, p.level)} · ${label(PROJECT_FORMS, p.form)}`,
    },
    { title: '日期', key: 'd', width: 190, responsive: ['md'], render: (_: unknown, p) => `${p.startDate} 至 ${p.endDate}` },
    { title: '状态', dataIndex: 'statusLabel', width: 90, render: (v: string, p) => <Tag color={STATUS_COLORS[p.status]}>{v}</Tag> },
    { title: '名额', key: 'q', width: 110, render: (_: unknown, p) => `${p.used} / ${p.quota}` },
    {
      title: '操作',
      key: 'op',
      width: 90,
      render: (_: unknown, p) => (
        <Link to={`/nominations/${p.id}`} data-testid={`nominate-${p.id}`}>
          选派学员
        </Link>
      ),
    },
  ];
  return (
    <PageCard title="学员选派" testId="nomination-list">
      <DataTable<NominationProject> rowKey="id" loading={loading} items={data?.items} columns={columns} pagination={false} empty="本单位暂无分配到名额的项目" />
    </PageCard>
  );
}

/** Nominating or replacing changes the candidates, quotas, enrolments and the lists of both. */
const nominationsChanged = () => invalidate(['projects'], ['nominations']);

/**
 * Nominate teachers for one project within the org's quota. Each candidate shows eligibility (the failed
 * condition, from the server), the training load this year and a warning when sent again and again while
 * colleagues get nothing.
 */

export default function NominationPage() {
  const id = Number(useParams().id);
  const { me } = useAuth();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const thisYear = chinaYear();
  const [year, setYear] = useState(thisYear);
  const [q, setQ] = useState('');
  // Filters (issue 11 item 3): school, stage, subject, 仍需此类培训 (from the compliance engine).
  const [filters, setFilters] = useState<{ orgId?: number; stage?: string; subject?: string; needsTraining?: boolean }>({});
  const { tree } = useOrgTree(me?.id);
  const {
    data,
    isPending,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({
    queryKey: ['projects', id, 'nomination', 'candidates', { year, q, ...filters }],
    queryFn: () =>
      api.get<CandidatesView>(`/projects/${id}/nomination/candidates`, {
        year,
        q,
        orgId: filters.orgId,
        stage: filters.stage,
        subject: filters.subject,
        needsTraining: filters.needsTraining ? 1 : undefined,
      }),
    placeholderData: keepPreviousData,
  });
  const [picked, setPicked] = useState<number[]>([]);
  const [replacing, setReplacing] = useState<Candidate | null>(null);
  const [tab, setTab] = useState('candidates');
  const send = useMutation({
    mutationFn: (teacherIds: number[]) => api.post<{ nominated: number; quota: number; used: number }>(`/projects/${id}/nominations`, { teacherIds }),
    onSuccess: (r) => {
      message.success(`已选派 ${r.nominated} 人，名额已用 ${r.used}/${r.quota}`);
      setPicked([]);
    },
    onError: (e) => modal.error({ title: '选派未成功', content: errorText(e) }),
    onSettled: nominationsChanged,
  });
  const busy = send.isPending;

  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const quota = data.quota;
  const left = quota ? Math.max(0, quota.quota - quota.used) : 0;
  const running = ['open', 'running'].includes(data.project.status);

  const nominate = async () => {
    if (!picked.length) return void message.warning('请先勾选要选派的教师');
    const heavy = data.items.filter((c) => picked.includes(c.teacherId) && c.warning);
    const go = () => send.mutateAsync(picked).catch(() => undefined);
    if (heavy.length)
      modal.confirm({
        title: '以下教师本年度参训较多',
        content: (
          <ul style={{ paddingLeft: 18 }}>
            {heavy.map((c) => (
              <li key={c.teacherId}>
                {c.name}：{c.warning}
              </li>
            ))}
          </ul>
        ),
        okText: '仍然选派',
        cancelText: '返回调整',
        onOk: go,
      });
    else await go();
  };

  const columns: TableColumnsType<Candidate> = [
    { title: '姓名', dataIndex: 'name', width: 90, fixed: mobile ? undefined : 'left' },
    { title: '学校', dataIndex: 'orgName', width: 150, responsive: ['md'] },
    { title: '学段', dataIndex: 'stage', width: 70, responsive: ['lg'], render: (v: string) => label(STAGES, v) },
    { title: '学科', dataIndex: 'subjects', width: 110, responsive: ['lg'], render: (v: string[]) => v.join('、') },
    { title: '职称', dataIndex: 'title', width: 90, responsive: ['xl'], render: (v: string | null) => label(TITLES, v) },
    {
      title: `${year}年参训`,
      key: 'load',
      width: 150,
      sorter: (a, b) => a.load.projects - b.load.projects,
      render: (_: unknown, c) => (
        <Space size={4} wrap>
          <span>
            {c.load.projects} 个项目 · {c.load.days} 天
          </span>
          {c.warning && (
            <Tooltip title={c.warning}>
              <Tag color="orange" icon={<WarningOutlined />} data-testid={`load-warning-${c.teacherId}`}>
                本年度已参训 {c.load.projects} 次
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: '报名条件 / 状态',
      key: 'state',
      render: (_: unknown, c) =>
        c.enrolmentStatus && c.enrolmentStatus !== 'approved' && c.enrolmentStatus !== 'pending' && !c.unavailable ? (
          <Space size={4} wrap>
            <Tag>{c.enrolmentStatusLabel}</Tag>
            <Tag>可选派</Tag>
          </Space>
        ) : c.enrolmentStatus === 'approved' || c.enrolmentStatus === 'pending' ? (
          <Tag color={c.enrolmentStatus === 'approved' ? 'green' : 'processing'}>{c.enrolmentStatusLabel}</Tag>
        ) : c.unavailable ? (
          <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`unavailable-${c.teacherId}`}>
            {c.unavailable}
          </Typography.Text>
        ) : (
          <Tag>可选派</Tag>
        ),
    },
    {
      title: '操作',
      key: 'op',
      width: 80,
      render: (_: unknown, c) =>
        c.enrolmentStatus === 'approved' && running ? (
          <Button size="small" icon={<SwapOutlined />} onClick={() => setReplacing(c)}>
            替换
          </Button>
        ) : null,
    },
  ];
  // The server says why a teacher cannot be chosen (already enrolled, pending, not eligible): shown, never offered.
  const selectable = (c: Candidate) => !c.unavailable && (c.enrolmentStatus === null || ['withdrawn', 'rejected', 'replaced'].includes(c.enrolmentStatus));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size={mobile ? 'small' : undefined}
        title={
          <Typography.Text strong style={{ whiteSpace: 'normal' }}>
            {data.project.name}
          </Typography.Text>
        }
        extra={<Tag color={STATUS_COLORS[data.project.status]}>{data.project.statusLabel}</Tag>}
      >
        <Descriptions
          size="small"
          column={mobile ? 1 : 3}
          items={[
            { key: 'org', label: '主办单位', children: data.project.orgName },
            { key: 'dates', label: '日期', children: `${data.project.startDate} 至 ${data.project.endDate}` },
            { key: 'aud', label: '培训对象', children: data.project.audienceText },
            { key: 'quota', label: '本单位名额', children: quota ? `${quota.quota} 人（已用 ${quota.used}，剩余 ${left}）` : '—' },
            { key: 'hours', label: '计划学时', children: data.project.targetHours },
          ]}
        />
        {!running && (
          <Alert type="info" showIcon style={{ marginTop: 8 }} title="项目方案审核通过、开放报名后才能选派学员；现在可以先查看名额和教师参训情况。" />
        )}
      </Card>
      <PageCard title="选派学员" testId="nomination-page">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'candidates',
              label: '可选教师',
              children: (
                <>
                  <Space wrap style={{ marginBottom: 12 }}>
                    <Input.Search placeholder="按姓名查找" allowClear onSearch={(v) => setQ(v.trim())} style={{ width: 200 }} />
                    {tree.length > 0 && (
                      <OrgTreeSelect
                        tree={tree}
                        schoolsOnly
                        placeholder="全部学校"
                        value={filters.orgId ?? null}
                        onChange={(v) => setFilters({ ...filters, orgId: v })}
                        style={{ width: 200 }}
                      />
                    )}
                    <Select
                      allowClear
                      placeholder="全部学段"
                      value={filters.stage}
                      onChange={(v) => setFilters({ ...filters, stage: v })}
                      options={options(STAGES)}
                      style={{ width: 120 }}
                      aria-label="学段"
                    />
                    <Select
                      allowClear
                      showSearch
                      placeholder="全部学科"
                      value={filters.subject}
                      onChange={(v) => setFilters({ ...filters, subject: v })}
                      options={SUBJECT_OPTIONS}
                      style={{ width: 120 }}
                      aria-label="任教学科"
                    />
                    <Tooltip title="按本单位适用的强师计划，本项目的培训类别所计入的学时要求尚未达到的教师">
                      <Checkbox
                        checked={!!filters.needsTraining}
                        onChange={(e) => setFilters({ ...filters, needsTraining: e.target.checked })}
                        data-testid="filter-needs-training"
                      >
                        仅看仍需此类培训的教师
                      </Checkbox>
                    </Tooltip>
                    <Select
                      value={year}
                      onChange={setYear}
                      options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: `${y} 年参训情况` }))}
                      style={{ width: 150 }}
                    />
                    <Button
                      type="primary"
                      icon={<UserAddOutlined />}
                      disabled={!running || !picked.length}
                      loading={busy}
                      onClick={() => void nominate()}
                      data-testid="nominate-selected"
                    >
                      选派所选教师{picked.length ? `（${picked.length}）` : ''}
                    </Button>
                    <Typography.Text type={picked.length > left ? 'danger' : 'secondary'}>剩余名额 {left} 人</Typography.Text>
                  </Space>
                  <Table<Candidate>
                    rowKey="teacherId"
                    size="small"
                    loading={loading}
                    dataSource={data.items}
                    columns={columns}
                    rowSelection={{
                      selectedRowKeys: picked,
                      onChange: (keys) => setPicked(keys as number[]),
                      getCheckboxProps: (c) => ({ disabled: !running || !selectable(c) }),
                    }}
                    pagination={{ defaultPageSize: 50, showSizeChanger: true, showTotal: (n) => `共 ${n} 人` }}
                    scroll={{ x: 800 }}
                    locale={{ emptyText: <EmptyState text={Object.values(filters).some(Boolean) || q ? '没有符合筛选条件的在职教师' : '没有在职教师'} /> }}
                    data-testid="candidate-table"
                  />
                </>
              ),
            },
            ...(me?.role === 'bureauAdmin'
              ? [
                  {
                    key: 'split',
                    label: '向下级分配',
                    children:
                      tab === 'split' ? (
                        <QuotasPanel projectId={id} mode="sub" editable={!isFrozen(data.project.status)} onChanged={() => void nominationsChanged()} />
                      ) : null,
                  },
                ]
              : []),
            { key: 'log', label: '选派记录', children: tab === 'log' ? <EnrolmentLogPanel projectId={id} /> : null },
          ]}
        />
      </PageCard>
      <ReplaceModal
        projectId={id}
        from={replacing}
        candidates={data.items.filter((c) => selectable(c))}
        onClose={(changed) => {
          setReplacing(null);
          if (changed) void nominationsChanged();
        }}
      />
    </Space>
  );
}

function ReplaceModal({
  projectId,
  from,
  candidates,
  onClose,
}: {
  projectId: number;
  from: Candidate | null;
  candidates: Candidate[];
  onClose: (changed: boolean) => void;
}) {
  const [form] = Form.useForm<{ newTeacherId: number; reason: string }>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { newTeacherId: number; reason: string }) => {
    if (!from) return;
    setBusy(true);
    try {
      await api.post(`/projects/${projectId}/enrolments/${from.teacherId}/replace`, { newTeacherId: v.newTeacherId, reason: v.reason.trim() });
      message.success('已替换学员，记录已保存');
      onClose(true);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={from ? `替换学员：${from.name}` : ''}
      open={!!from}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText="确认替换"
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="newTeacherId" label="替换为" rules={[{ required: true, message: '请选择替换的教师' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择教师"
            options={candidates.map((c) => ({ value: c.teacherId, label: `${c.name} · ${c.orgName}${c.warning ? '（参训较多）' : ''}` }))}
          />
        </Form.Item>
        <Form.Item name="reason" label="替换原因" rules={[{ required: true, whitespace: true, min: 2, message: '请填写替换原因（至少 2 个字）' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：原学员生病住院" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
