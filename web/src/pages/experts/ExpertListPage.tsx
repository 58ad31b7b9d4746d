import { useState } from 'react';
import { App, Button, Card, Checkbox, Col, Form, Input, Modal, Popconfirm, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Page } from '../../api/types';
import { useAuth } from '../../auth';
import { DataTable } from '../../components/DataTable';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { CATEGORIES, EXPERT_LEVELS, EXPERT_STATUS, label, options, SUBJECTS } from '../../vocab';
import type { ExpertDto } from '../evaluations/types';
import type { AccountResult } from './types';

interface ExpertForm {
  name: string;
  affiliation: string;
  title?: string;
  fields: string[];
  level: string;
  phone?: string;
  clearPhone?: boolean;
  status: string;
}

const FIELD_OPTIONS = [...Object.values(CATEGORIES), ...SUBJECTS].filter((v, i, a) => a.indexOf(v) === i).map((v) => ({ value: v, label: v }));

function ExpertModal({ expert, open, onClose, onSaved }: { expert: ExpertDto | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<ExpertForm>();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const { busy, submit } = useFormSubmit(form, async (v: ExpertForm) => {
    const body = { name: v.name.trim(), affiliation: v.affiliation.trim(), title: v.title?.trim() || null, fields: v.fields, level: v.level, status: v.status };
    if (expert) await api.put(`/experts/${expert.id}`, { ...body, phone: v.phone?.trim() || null, clearPhone: !!v.clearPhone, version: expert.version });
    else await api.post('/experts', { ...body, phone: v.phone?.trim() || null });
    message.success(expert ? '已保存' : `已添加专家 ${body.name}`);
    void invalidate(['experts']);
    onSaved();
  });
  return (
    <Modal
      title={expert ? `编辑专家：${expert.name}` : '添加专家'}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={busy}
      width={mobile ? '100%' : 640}
      destroyOnHidden
      forceRender
    >
      <Form<ExpertForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={expert ? { ...expert, title: expert.title ?? undefined, phone: undefined } : { fields: [], status: 'active' }}
        data-testid="expert-form"
      >
        <Row gutter={12}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item
              name="name"
              label="姓名"
              rules={[
                { required: true, whitespace: true, message: '请输入姓名' },
                { min: 2, message: '至少 2 个字' },
                { max: 30, message: '不超过 30 字' },
              ]}
            >
              <Input placeholder="专家姓名" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="level" label="专家级别" rules={[{ required: true, message: '请选择级别' }]}>
              <Select placeholder="国家级 / 省级 / 市级 / 县级" options={options(EXPERT_LEVELS)} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="affiliation"
          label="工作单位"
          rules={[
            { required: true, whitespace: true, message: '请填写工作单位' },
            { max: 100, message: '不超过 100 字' },
          ]}
        >
          <Input placeholder="如：内蒙古师范大学教育学院" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="title" label="职称/职务" rules={[{ max: 50, message: '不超过 50 字' }]}>
              <Input placeholder="如：教授、正高级教师（选填）" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="status" label="状态" rules={[{ required: true }]}>
              <Select options={options(EXPERT_STATUS)} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="fields" label="擅长领域" rules={[{ required: true, type: 'array', min: 1, message: '请至少填写一个擅长领域' }]}>
          <Select mode="tags" placeholder="选择或输入学科、培训类别" options={FIELD_OPTIONS} aria-label="擅长领域" />
        </Form.Item>
        <Form.Item
          name="phone"
          label="手机号"
          rules={[{ pattern: /^1[3-9]\d{9}$/, message: '手机号应为 11 位，以 1 开头' }]}
          extra={expert?.phoneMasked ? `当前：${expert.phoneMasked}（留空则不修改）` : '加密保存，只显示掩码'}
        >
          <Input placeholder={expert?.phoneMasked ? '不修改请留空' : '11 位手机号（选填）'} inputMode="numeric" maxLength={11} />
        </Form.Item>
        {expert?.phoneMasked && (
          <Form.Item name="clearPhone" valuePropName="checked">
            <Checkbox>删除手机号</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

interface AccountForm {
  mode: 'create' | 'link';
  username: string;
}

/** 开通账号: a new 评审专家 login (the initial password is shown once) or an existing one linked. */
function AccountModal({ expert, onClose, onDone }: { expert: ExpertDto; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<AccountForm>();
  const { modal } = App.useApp();
  const mode = Form.useWatch('mode', form) ?? 'create';
  const { busy, submit } = useFormSubmit(form, async (v: AccountForm) => {
    const r = await api.post<AccountResult>(`/experts/${expert.id}/account`, { mode: v.mode, username: v.username.trim() });
    void invalidate(['experts'], ['accounts']);
    onDone();
    modal.success({
      title: r.initialPassword ? `已为 ${expert.name} 开通账号` : `已关联账号 ${r.username}`,
      content: r.initialPassword ? (
        <div data-testid="account-created">
          <p>
            用户名：
            <Typography.Text copyable strong>
              {r.username}
            </Typography.Text>
          </p>
          <p>
            初始密码：
            <Typography.Text copyable strong code>
              {r.initialPassword}
            </Typography.Text>
          </p>
          <Typography.Text type="warning">初始密码只显示这一次，请立即转交专家本人。</Typography.Text>
        </div>
      ) : (
        '专家可用该账号登录，在“我的评审”中查看并评分。'
      ),
      okText: '知道了',
    });
  });
  return (
    <Modal title={`开通账号：${expert.name}`} open onCancel={onClose} onOk={() => form.submit()} okText="确定" confirmLoading={busy} destroyOnHidden>
      <Typography.Paragraph type="secondary">开通后专家可登录系统，只能查看指派给自己的项目并提交本人评分。</Typography.Paragraph>
      <Form<AccountForm> form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'create', username: '' }} data-testid="account-form">
        <Form.Item name="mode">
          <Radio.Group
            options={[
              { value: 'create', label: '新建账号' },
              { value: 'link', label: '关联已有评审专家账号' },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, whitespace: true, message: '请填写用户名' },
            ...(mode === 'create' ? [{ pattern: /^[A-Za-z0-9._-]{3,40}$/, message: '3–40 位字母、数字、点、下划线或连字符' }] : []),
          ]}
          extra={mode === 'create' ? '系统生成初始密码，只显示一次' : '该账号须为评审专家角色'}
        >
          <Input placeholder={mode === 'create' ? '如：gao.expert' : '已有账号的用户名'} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 专家库: the region's expert pool — search, add, edit, deactivate, reveal a phone (audited). */
export default function ExpertListPage() {
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const manage = can('experts.manage');
  const [filters, setFilters] = useState<{ q?: string; level?: string; status?: string; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const { data, isFetching, error, refetch } = useQuery({
    queryKey: ['experts', 'list', filters],
    queryFn: () => api.get<Page<ExpertDto>>('/experts', filters),
    placeholderData: keepPreviousData,
  });
  const [editing, setEditing] = useState<ExpertDto | 'new' | null>(null);
  const [opening, setOpening] = useState<ExpertDto | null>(null);
  const onError = (err: unknown) => message.error(errorText(err));
  const unlinkAccount = useMutation({
    mutationFn: (e: ExpertDto) => api.del(`/experts/${e.id}/account`),
    onSuccess: (_, e) => message.success(`已解除 ${e.name} 与账号 ${e.account} 的关联`),
    onError,
    onSettled: () => invalidate(['experts'], ['accounts']),
  });
  // Reading the full number is audited on the server; it changes nothing shown, so nothing is invalidated.
  const unmask = useMutation({
    mutationFn: (e: ExpertDto) => api.post<{ phone: string | null }>(`/experts/${e.id}/unmask`),
    onSuccess: (r, e) => modal.info({ title: `${e.name} 的手机号`, content: r.phone ?? '未登记', okText: '关闭' }),
    onError,
  });
  const removeExpert = useMutation({
    mutationFn: (e: ExpertDto) => api.del(`/experts/${e.id}`),
    onSuccess: (_, e) => message.success(`已删除 ${e.name}`),
    onError,
    onSettled: () => invalidate(['experts']),
  });

  const columns: TableColumnsType<ExpertDto> = [
    // Sized to fit a 1366 px screen with no column off to the side (11 columns at 1450 px hid one): 级别, 状态 and
    // 所属专家库 sit under the name, 职称/职务 under the work unit.
    {
      title: '姓名',
      dataIndex: 'name',
      width: 150,
      fixed: 'left',
      render: (v: string, r) => (
        <div style={{ minWidth: 0 }}>
          <div>
            {v}{' '}
            <Tag color={r.status === 'active' ? 'green' : 'default'} style={{ marginInlineStart: 4 }}>
              {label(EXPERT_STATUS, r.status)}
            </Tag>
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: `${label(EXPERT_LEVELS, r.level)} · ${r.orgName}` }}>
            {label(EXPERT_LEVELS, r.level)} · {r.orgName}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '工作单位 / 职称',
      dataIndex: 'affiliation',
      width: 190,
      render: (v: string, r) => (
        <div style={{ minWidth: 0 }}>
          <Typography.Text ellipsis={{ tooltip: v }}>{v}</Typography.Text>
          {r.title && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.title }}>
                {r.title}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: '擅长领域', dataIndex: 'fields', width: 190, render: (v: string[]) => v.map((f) => <Tag key={f}>{f}</Tag>) },
    {
      title: '手机号',
      dataIndex: 'phoneMasked',
      width: 140,
      render: (v: string | null, r) =>
        v ? (
          <Space size={4}>
            {v}
            {manage && <Button type="link" size="small" icon={<EyeOutlined />} aria-label={`查看${r.name}的手机号`} onClick={() => unmask.mutate(r)} />}
          </Space>
        ) : (
          '—'
        ),
    },
    { title: '评审项目', dataIndex: 'projectCount', width: 80, align: 'right' },
    {
      title: '登录账号',
      dataIndex: 'account',
      width: 140,
      render: (v: string | null, r) =>
        v ? (
          <Space size={0}>
            <Tag color="blue">{v}</Tag>
            {manage && r.editable && (
              <Popconfirm title={`解除 ${r.name} 与账号 ${v} 的关联？`} onConfirm={() => unlinkAccount.mutate(r)} okText="解除" cancelText="取消">
                <Button type="link" size="small" danger>
                  解除
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : manage && r.editable ? (
          <Button type="link" size="small" onClick={() => setOpening(r)}>
            开通账号
          </Button>
        ) : (
          '—'
        ),
    },
    {
      title: '操作',
      key: 'ops',
      width: 130,
      fixed: 'right',
      render: (_, r) =>
        manage && r.editable ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(r)}>
              编辑
            </Button>
            {r.projectCount === 0 && (
              <Popconfirm title={`删除专家 ${r.name}？`} onConfirm={() => removeExpert.mutate(r)} okText="删除" cancelText="取消">
                <Button type="link" size="small" danger>
                  删除
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : (
          <Typography.Text type="secondary">{r.editable ? '' : '上级专家库'}</Typography.Text>
        ),
    },
  ];

  return (
    <Card
      title="专家库"
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            添加专家
          </Button>
        )
      }
      styles={{ header: { flexWrap: 'wrap' } }}
      data-testid="expert-list"
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder="姓名或单位"
          allowClear
          onSearch={(q) => setFilters({ ...filters, q: q || undefined, page: 1 })}
          style={{ width: 200 }}
          aria-label="搜索专家"
        />
        <Select
          allowClear
          placeholder="级别"
          style={{ width: 110 }}
          options={options(EXPERT_LEVELS)}
          onChange={(v?: string) => setFilters({ ...filters, level: v, page: 1 })}
          aria-label="级别"
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 100 }}
          options={options(EXPERT_STATUS)}
          onChange={(v?: string) => setFilters({ ...filters, status: v, page: 1 })}
          aria-label="状态"
        />
      </Space>
      <DataTable<ExpertDto>
        error={error}
        onRetry={() => void refetch()}
        rowKey="id"
        loading={isFetching}
        items={data?.items}
        columns={columns}
        scroll={{ x: 1020 }}
        empty="专家库暂无专家"
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: data?.total ?? 0,
          showTotal: (t) => `共 ${t} 位专家`,
          onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
        }}
      />
      {opening && <AccountModal expert={opening} onClose={() => setOpening(null)} onDone={() => setOpening(null)} />}
      {editing && (
        <ExpertModal expert={editing === 'new' ? null : editing} open={!!editing} onClose={() => setEditing(null)} onSaved={() => setEditing(null)} />
      )}
    </Card>
  );
}
