import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, type Query } from '../../api/client';
import type { Page, ProjectDto } from '../../api/types';
import { useAuth } from '../../auth';
import { EmptyState, LoadError } from '../../components/Status';
import { applyFormError, useApi, useIsMobile } from '../../hooks';
import { CATEGORIES, label, options, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';

interface NewProject {
  name: string;
  level: string;
  form: string;
  categories: string[];
  targetHours: number;
  startDate: Dayjs;
  endDate: Dayjs;
}

export const PROJECT_STATUS: Record<string, { text: string; color: string }> = { open: { text: '进行中', color: 'green' }, closed: { text: '已结项', color: 'default' } };

function NewProjectModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: ProjectDto) => void }) {
  const [form] = Form.useForm<NewProject>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const mobile = useIsMobile();
  const submit = async (v: NewProject) => {
    setBusy(true);
    try {
      const p = await api.post<ProjectDto>('/projects', {
        name: v.name.trim(),
        level: v.level,
        form: v.form,
        categories: v.categories,
        targetHours: v.targetHours,
        startDate: v.startDate.format('YYYY-MM-DD'),
        endDate: v.endDate.format('YYYY-MM-DD'),
      });
      message.success(`已创建项目 ${p.name}`);
      form.resetFields();
      onCreated(p);
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="新建培训项目" open={open} onCancel={onClose} onOk={() => form.submit()} okText="创建" confirmLoading={busy} width={mobile ? '100%' : 640} destroyOnHidden forceRender>
      <Form<NewProject> form={form} layout="vertical" onFinish={submit} initialValues={{ categories: [], targetHours: 24 }} data-testid="project-form">
        <Form.Item name="name" label="项目名称" rules={[{ required: true, whitespace: true, message: '请输入项目名称' }, { max: 100, message: '不超过 100 字' }]}>
          <Input placeholder="如：2025年新入职教师岗前培训" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="level" label="项目级别" rules={[{ required: true, message: '请选择项目级别' }]}>
              <Select placeholder="选择级别" options={options(PROJECT_LEVELS)} />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="form" label="培训形式" rules={[{ required: true, message: '请选择培训形式' }]}>
              <Select placeholder="选择形式" options={options(PROJECT_FORMS)} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="categories" label="培训类别" rules={[{ required: true, type: 'array', min: 1, message: '至少选择一个培训类别' }]}>
          <Select mode="multiple" placeholder="可多选" options={options(CATEGORIES)} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={mobile ? 24 : 8}>
            <Form.Item name="targetHours" label="计划学时" rules={[{ required: true, message: '请输入计划学时' }]}>
              <InputNumber min={0.5} max={1000} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={mobile ? 12 : 8}>
            <Form.Item name="startDate" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={mobile ? 12 : 8}>
            <Form.Item
              name="endDate"
              label="结束日期"
              dependencies={['startDate']}
              rules={[
                { required: true, message: '请选择结束日期' },
                ({ getFieldValue }) => ({
                  validator: async (_, v: Dayjs | undefined) => {
                    const s = getFieldValue('startDate') as Dayjs | undefined;
                    if (v && s && v.isBefore(s, 'day')) throw new Error('结束日期不能早于开始日期');
                  },
                }),
              ]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** 培训项目: server-paged list with search, status and year filters (kept in the URL). */
export default function ProjectListPage() {
  const { can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const f = { q: params.get('q') ?? '', status: params.get('status') ?? '', year: params.get('year') ?? '' };
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20));
  const [q, setQ] = useState(f.q);
  useEffect(() => setQ(f.q), [f.q]);
  const query: Query = { ...f, page, pageSize };
  const { data, loading, error, reload } = useApi(() => api.get<Page<ProjectDto>>('/projects', query), [JSON.stringify(query)]);

  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v === undefined || v === '' ? next.delete(k) : next.set(k, String(v));
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };
  const thisYear = dayjs().year();

  const columns: TableColumnsType<ProjectDto> = [
    { title: '项目名称', dataIndex: 'name', render: (v: string, p) => <Link to={`/projects/${p.id}`}>{v}</Link> },
    { title: '编号', dataIndex: 'code', width: 130 },
    { title: '级别', dataIndex: 'level', width: 100, render: (v: string) => label(PROJECT_LEVELS, v) },
    { title: '形式', dataIndex: 'form', width: 120, render: (v: string) => label(PROJECT_FORMS, v) },
    { title: '类别', dataIndex: 'categories', width: 180, render: (v: string[]) => v.map((c) => <Tag key={c} color="blue">{label(CATEGORIES, c)}</Tag>) },
    { title: '计划学时', dataIndex: 'targetHours', width: 90, align: 'right' },
    { title: '起止日期', key: 'dates', width: 200, render: (_: unknown, p) => `${p.startDate} 至 ${p.endDate}` },
    { title: '场次', dataIndex: 'sessionCount', width: 70, align: 'right' },
    { title: '学员', dataIndex: 'enrolledCount', width: 70, align: 'right' },
    { title: '主办单位', dataIndex: 'orgName', width: 160, ellipsis: true },
    { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <Tag color={PROJECT_STATUS[v]?.color}>{PROJECT_STATUS[v]?.text ?? v}</Tag> },
  ];

  return (
    <Card
      title="培训项目"
      extra={
        can('projects.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建项目
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search placeholder="项目名称 / 编号" allowClear value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => set({ q: v.trim() })} style={{ width: mobile ? '100%' : 240 }} />
        <Select allowClear placeholder="状态" style={{ width: 110 }} value={f.status || undefined} onChange={(v?: string) => set({ status: v })} options={[{ value: 'open', label: '进行中' }, { value: 'closed', label: '已结项' }]} />
        <Select
          allowClear
          placeholder="年度"
          style={{ width: 110 }}
          value={f.year || undefined}
          onChange={(v?: string) => set({ year: v })}
          options={Array.from({ length: 6 }, (_, i) => String(thisYear + 1 - i)).map((y) => ({ value: y, label: `${y}年` }))}
        />
      </Space>
      {error ? (
        <LoadError error={error} onRetry={reload} />
      ) : (
        <Table<ProjectDto>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          columns={mobile ? columns.filter((c) => ['name', 'status', 'enrolledCount'].includes(String((c as { dataIndex?: string }).dataIndex))) : columns}
          scroll={{ x: mobile ? undefined : 1300 }}
          locale={{ emptyText: <EmptyState text={f.q || f.status || f.year ? '没有符合条件的项目' : '暂无培训项目'} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `共 ${t} 个项目`,
            onChange: (p, ps) => set(ps !== pageSize ? { page: undefined, pageSize: ps } : { page: p }),
          }}
          data-testid="project-table"
        />
      )}
      <NewProjectModal open={creating} onClose={() => setCreating(false)} onCreated={(p) => { setCreating(false); nav(`/projects/${p.id}`); }} />
    </Card>
  );
}
