import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Divider, Form, Input, InputNumber, Result, Row, Select, Space, Switch, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client';
import type { PlanModule, ProjectDetail, ProjectDto, ProjectInput } from '../../api/types';
import { useAuth } from '../../auth';
import { LoadError, PageLoading } from '../../components/Status';
import { applyFormError, useIsMobile } from '../../hooks';
import { CATEGORIES, options, PROJECT_FORMS, PROJECT_LEVELS, STAGES, SUBJECT_OPTIONS, TEACHER_ROLES, TITLES } from '../../vocab';

type FormValues = Omit<ProjectInput, 'startDate' | 'endDate' | 'enrolDeadline'> & { startDate: Dayjs; endDate: Dayjs; enrolDeadline?: Dayjs | null };

const ETHICS_MODULE: PlanModule = { title: '思想政治和师德师风', hours: 4, category: 'ethics' };
const EMPTY: Partial<FormValues> = {
  audience: { stages: [], subjects: [], roles: [], titles: [] },
  plan: [ETHICS_MODULE, { title: '', hours: 8, category: 'subject' }],
  capacity: 50,
  budget: 0,
  selfEnrol: false,
};

function toForm(p: ProjectDto): FormValues {
  return {
    name: p.name,
    level: p.level,
    form: p.form,
    audience: p.audience,
    // Null only on rows made before these columns were required; the form then asks for them.
    capacity: p.capacity as number,
    budget: p.budget as number,
    plan: p.plan,
    startDate: dayjs(p.startDate),
    endDate: dayjs(p.endDate),
    selfEnrol: p.selfEnrol,
    outbound: p.outbound,
    aims: p.aims ?? '',
    enrolDeadline: p.enrolDeadline ? dayjs(p.enrolDeadline) : null,
  };
}

function fromForm(v: FormValues): ProjectInput {
  return {
    name: v.name.trim(),
    level: v.level,
    form: v.form,
    audience: { stages: v.audience?.stages ?? [], subjects: v.audience?.subjects ?? [], roles: v.audience?.roles ?? [], titles: v.audience?.titles ?? [] },
    capacity: v.capacity,
    budget: v.budget ?? 0,
    plan: (v.plan ?? []).map((m) => ({ title: m.title.trim(), hours: m.hours, category: m.category })),
    startDate: v.startDate.format('YYYY-MM-DD'),
    endDate: v.endDate.format('YYYY-MM-DD'),
    selfEnrol: !!v.selfEnrol,
    outbound: v.outbound,
    aims: v.aims?.trim() ?? '',
    enrolDeadline: v.enrolDeadline ? v.enrolDeadline.format('YYYY-MM-DD') : null,
  };
}

/** 立项申报 / 修改申报: the proposal with its plan; the first module must be 思想政治和师德师风 (checked by the server). */
export default function ProjectFormPage() {
  const params = useParams();
  const editId = params.id ? Number(params.id) : null;
  const { can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [loading, setLoading] = useState(editId !== null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [readOnly, setReadOnly] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const plan = Form.useWatch('plan', form) as PlanModule[] | undefined;
  const total = Math.round((plan ?? []).reduce((n, m) => n + (Number(m?.hours) || 0), 0) * 10) / 10;
  const firstNotEthics = !!plan?.length && plan[0]?.category !== 'ethics';

  useEffect(() => {
    if (editId === null) return;
    let live = true;
    api.get<ProjectDetail>(`/projects/${editId}`).then(
      (p) => {
        if (!live) return;
        if (!p.canEdit) setReadOnly(`项目当前状态为「${p.statusLabel}」，或您不是申报单位，不能修改`);
        form.setFieldsValue(toForm(p));
        setLoading(false);
      },
      (e: unknown) => live && (setLoadError(e), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [editId, form]);

  if (!can('projects.manage')) return <Result status="403" title="无权申报项目" />;
  if (loading) return <PageLoading />;
  if (loadError) return <LoadError error={loadError} />;
  if (readOnly)
    return <Result status="warning" title="不能修改" subTitle={readOnly} extra={<Button onClick={() => nav(`/projects/${editId}`)}>返回项目</Button>} />;

  const submit = async (v: FormValues) => {
    setSaving(true);
    try {
      const body = fromForm(v);
      const p = editId === null ? await api.post<ProjectDto>('/projects', body) : await api.put<ProjectDto>(`/projects/${editId}`, body);
      message.success(editId === null ? '已创建项目草稿，提交立项申报后进入审批' : '已保存');
      nav(`/projects/${p.id}`, { replace: editId !== null });
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
    } finally {
      setSaving(false);
    }
  };

  const half = mobile ? 24 : 12;
  const third = mobile ? 24 : 8;

  return (
    <Card title={editId === null ? '立项申报' : '修改项目申报'}>
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={EMPTY}
        onFinish={submit}
        scrollToFirstError={{ block: 'center' }}
        data-testid="project-form"
      >
        <Divider titlePlacement="start">基本信息</Divider>
        <Row gutter={16}>
          <Col span={mobile ? 24 : 24}>
            <Form.Item
              name="name"
              label="项目名称"
              rules={[
                { required: true, whitespace: true, message: '请输入项目名称' },
                { min: 2, message: '至少 2 个字' },
                { max: 100, message: '不超过 100 字' },
              ]}
            >
              <Input placeholder="如：2026年新入职教师岗前培训" />
            </Form.Item>
          </Col>
          <Col span={third}>
            <Form.Item name="level" label="项目级别" rules={[{ required: true, message: '请选择项目级别' }]}>
              <Select placeholder="选择级别" options={options(PROJECT_LEVELS)} />
            </Form.Item>
          </Col>
          <Col span={third}>
            <Form.Item name="form" label="培训形式" rules={[{ required: true, message: '请选择培训形式' }]}>
              <Select placeholder="选择形式" options={options(PROJECT_FORMS)} />
            </Form.Item>
          </Col>
          <Col span={mobile ? 12 : 4}>
            <Form.Item name="startDate" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={mobile ? 12 : 4}>
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
          <Col span={third}>
            <Form.Item name="capacity" label="计划人数" rules={[{ required: true, message: '请输入计划人数' }]}>
              <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} suffix="人" />
            </Form.Item>
          </Col>
          <Col span={third}>
            <Form.Item name="budget" label="预算" rules={[{ required: true, message: '请输入预算' }]}>
              <InputNumber min={0} max={1e10} precision={2} style={{ width: '100%' }} suffix="元" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 12 : 4}>
            <Form.Item name="selfEnrol" label="允许自主报名" valuePropName="checked" tooltip="开启后教师可在“可报名项目”中自主选学，由学校审核">
              <Switch checkedChildren="是" unCheckedChildren="否" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 12 : 4}>
            <Form.Item name="outbound" label="外出培训（需返岗分享）" valuePropName="checked" tooltip="跟岗学习、影子教师默认为外出培训">
              <Switch checkedChildren="是" unCheckedChildren="否" />
            </Form.Item>
          </Col>
        </Row>
        {/* Shown to teachers on the project page before they enrol (issue 11 item 9). */}
        <Row gutter={16}>
          <Col span={mobile ? 24 : 16}>
            <Form.Item name="aims" label="培训目标" tooltip="教师报名前在项目详情中可见">
              <Input.TextArea rows={2} maxLength={1000} showCount placeholder="例如：掌握数字化教学工具，能设计一节混合式课堂" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 8}>
            <Form.Item name="enrolDeadline" label="报名截止日期" tooltip="不填：项目开始实施前均可报名">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">培训对象</Divider>
        <Typography.Paragraph type="secondary">不选表示不限。</Typography.Paragraph>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name={['audience', 'stages']} label="学段">
              <Select mode="multiple" allowClear placeholder="不限" options={options(STAGES)} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name={['audience', 'subjects']} label="学科">
              <Select mode="multiple" allowClear placeholder="不限" options={SUBJECT_OPTIONS} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name={['audience', 'roles']} label="岗位角色">
              <Select mode="multiple" allowClear placeholder="不限" options={options(TEACHER_ROLES)} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name={['audience', 'titles']} label="职称">
              <Select mode="multiple" allowClear placeholder="不限" options={options(TITLES)} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">培训方案</Divider>
        <Alert
          type={firstNotEthics ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            firstNotEthics
              ? '建议把“思想政治和师德师风”作为第一个模块：多数地区政策要求如此，提交申报时系统会按本地区政策检查。'
              : '培训方案以“思想政治和师德师风”模块开篇（提交申报时按本地区政策检查）。'
          }
          description={`模块学时合计 ${total} 学时，即项目计划学时。`}
          data-testid="plan-hint"
        />
        <Form.List
          name="plan"
          rules={[
            {
              validator: async (_, v: PlanModule[] | undefined) => {
                if (!v?.length) throw new Error('培训方案至少需要一个模块');
              },
            },
          ]}
        >
          {(fields, { add, remove, move }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <Row gutter={12} key={f.key} align="top" data-testid={`plan-module-${i}`}>
                  <Col span={mobile ? 24 : 10}>
                    <Form.Item
                      name={[f.name, 'title']}
                      label={mobile || i === 0 ? `模块 ${i + 1} 名称` : undefined}
                      rules={[
                        { required: true, whitespace: true, message: '请输入模块名称' },
                        { min: 2, message: '至少 2 个字' },
                      ]}
                    >
                      <Input placeholder="模块名称" />
                    </Form.Item>
                  </Col>
                  <Col span={mobile ? 12 : 5}>
                    <Form.Item name={[f.name, 'category']} label={mobile || i === 0 ? '类别' : undefined} rules={[{ required: true, message: '请选择类别' }]}>
                      <Select options={options(CATEGORIES)} placeholder="类别" />
                    </Form.Item>
                  </Col>
                  <Col span={mobile ? 12 : 4}>
                    <Form.Item name={[f.name, 'hours']} label={mobile || i === 0 ? '学时' : undefined} rules={[{ required: true, message: '请输入学时' }]}>
                      <InputNumber min={0.5} max={500} step={0.5} precision={1} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={mobile ? 24 : 5}>
                    <Form.Item label={!mobile && i === 0 ? ' ' : undefined}>
                      <Space size={4}>
                        <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label="上移" />
                        <Button icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label="下移" />
                        <Button danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除模块" />
                      </Space>
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', hours: 4, category: 'subject' })} style={{ marginBottom: 16 }}>
                添加模块
              </Button>
            </>
          )}
        </Form.List>
        <Divider />
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            {editId === null ? '保存草稿' : '保存'}
          </Button>
          <Button onClick={() => nav(-1)}>取消</Button>
        </Space>
      </Form>
    </Card>
  );
}
