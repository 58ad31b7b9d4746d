import { useState } from 'react';
import { App, Button, Form, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import type { Page } from '../../api/types';
import { useAuth } from '../../auth';
import { EmptyState, LoadError } from '../../components/Status';
import { useApi, useFormSubmit } from '../../hooks';
import { EXPERT_LEVELS, label } from '../../vocab';
import type { ExpertDto, ProjectExpert } from '../evaluations/types';
import ScoreFields, { CRITERIA } from './ScoreFields';

function AssignModal({ projectId, open, onClose, onDone }: { projectId: number; open: boolean; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [ids, setIds] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const list = useApi(() => (open ? api.get<Page<ExpertDto>>('/experts', { q, status: 'active', pageSize: 50 }) : Promise.resolve(undefined)), [open, q]);
  const submit = async () => {
    if (!ids.length) return void message.warning('请选择专家');
    setBusy(true);
    try {
      const r = await api.post<{ added: number; alreadyAssigned: number; rejected: { expertId: number; message: string }[] }>(
        `/projects/${projectId}/experts`,
        { expertIds: ids },
      );
      message.success(`已指派 ${r.added} 位专家${r.alreadyAssigned ? `，${r.alreadyAssigned} 位此前已指派` : ''}`);
      for (const x of r.rejected) message.warning(x.message);
      setIds([]);
      onDone();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="指派评审专家" open={open} onCancel={onClose} onOk={() => void submit()} okText="指派" confirmLoading={busy} destroyOnHidden>
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        placeholder="搜索专家姓名或单位"
        aria-label="选择专家"
        showSearch={{ filterOption: false, onSearch: setQ }}
        value={ids}
        onChange={setIds}
        loading={list.loading}
        options={(list.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name}（${label(EXPERT_LEVELS, e.level)} · ${e.affiliation}）` }))}
        notFoundContent={list.loading ? '加载中…' : '没有匹配的在库专家'}
      />
    </Modal>
  );
}

interface ScoreForm {
  criteria: Record<string, number>;
  comment: string;
}

function ScoreModal({ projectId, expert, onClose, onDone }: { projectId: number; expert: ProjectExpert | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<ScoreForm>();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: ScoreForm) => {
    if (!expert) return;
    await api.put(`/projects/${projectId}/experts/${expert.expertId}/score`, { criteria: v.criteria, comment: v.comment?.trim() ?? '' });
    message.success(`已录入 ${expert.name} 的评分`);
    onDone();
  });
  return (
    <Modal
      title={expert ? `录入评分：${expert.name}` : '录入评分'}
      open={!!expert}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存评分"
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      <Typography.Paragraph type="secondary">
        由管理员按专家评分表代为录入（标记为“代录”，记录录入人）；已开通账号的专家也可在“我的评审”中自行提交。各项 0–100 分，总分为各项平均。
      </Typography.Paragraph>
      <Form<ScoreForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ criteria: expert?.score?.criteria ?? {}, comment: expert?.score?.comment ?? '' }}
        data-testid="score-form"
      >
        <ScoreFields commentPlaceholder="专家评语（选填）" />
      </Form>
    </Modal>
  );
}

/** 专家评分 on the project page: assigned experts, their scores, assignment and score entry. */
export default function ProjectExpertsPanel({ projectId }: { projectId: number }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data, loading, error, reload } = useApi(
    () => api.get<{ items: ProjectExpert[]; average: number | null; manageable: boolean }>(`/projects/${projectId}/experts`),
    [projectId],
  );
  // A development centre manages experts only on the projects it runs (the server says where).
  const manage = can('experts.manage') && data?.manageable === true;
  const [assigning, setAssigning] = useState(false);
  const [scoring, setScoring] = useState<ProjectExpert | null>(null);
  if (error) return <LoadError error={error} onRetry={reload} />;
  const unassign = async (e: ProjectExpert) => {
    try {
      await api.del(`/projects/${projectId}/experts/${e.expertId}`);
      message.success(`已取消指派 ${e.name}`);
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const columns: TableColumnsType<ProjectExpert> = [
    { title: '专家', dataIndex: 'name', width: 100, fixed: 'left' },
    { title: '级别', dataIndex: 'level', width: 80, render: (v: string) => label(EXPERT_LEVELS, v) },
    { title: '单位', dataIndex: 'affiliation', width: 180, ellipsis: true },
    ...CRITERIA.map(([k, l]) => ({
      title: l,
      key: k,
      width: 80,
      align: 'right' as const,
      render: (_: unknown, r: ProjectExpert) => r.score?.criteria[k] ?? '—',
    })),
    { title: '总分', key: 'total', width: 70, align: 'right', render: (_, r) => (r.score ? <b>{r.score.total}</b> : <Tag>未评分</Tag>) },
    {
      title: '录入',
      key: 'recorded',
      width: 150,
      render: (_, r) =>
        r.score ? (
          r.score.byExpert ? (
            <Tag color="green">专家本人提交</Tag>
          ) : (
            <Space size={4}>
              <Tag color="orange">代录</Tag>
              <Typography.Text type="secondary">{r.score.recordedBy}</Typography.Text>
            </Space>
          )
        ) : (
          '—'
        ),
    },
    { title: '评语', key: 'comment', width: 200, ellipsis: true, render: (_, r) => r.score?.comment || '—' },
    ...(manage
      ? [
          {
            title: '操作',
            key: 'ops',
            width: 160,
            fixed: 'right' as const,
            render: (_: unknown, r: ProjectExpert) => (
              <Space>
                <Button size="small" type="link" onClick={() => setScoring(r)}>
                  {r.score ? '修改评分' : '录入评分'}
                </Button>
                {!r.score && (
                  <Popconfirm title={`取消指派 ${r.name}？`} onConfirm={() => void unassign(r)} okText="取消指派" cancelText="返回">
                    <Button size="small" type="link" danger>
                      取消指派
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="experts-panel">
      <Space wrap>
        {manage && (
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAssigning(true)}>
            指派专家
          </Button>
        )}
        <Typography.Text type="secondary">专家平均分：{data?.average ?? '—'}</Typography.Text>
      </Space>
      <Table<ProjectExpert>
        rowKey="expertId"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 1150 }}
        locale={{ emptyText: <EmptyState text="尚未指派评审专家" /> }}
      />
      <AssignModal
        projectId={projectId}
        open={assigning}
        onClose={() => setAssigning(false)}
        onDone={() => {
          setAssigning(false);
          reload();
        }}
      />
      <ScoreModal
        key={scoring?.expertId ?? 0}
        projectId={projectId}
        expert={scoring}
        onClose={() => setScoring(null)}
        onDone={() => {
          setScoring(null);
          reload();
        }}
      />
    </Space>
  );
}
