import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Divider, Form, Input, Result, Row, Select, Space, Switch } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client';
import type { TeacherDto, TeacherInput, Unmasked } from '../../api/types';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { LoadError, PageLoading } from '../../components/Status';
import { applyFormError, useIsMobile } from '../../hooks';
import {
  EDUCATION,
  EMPLOYMENT,
  GENDERS,
  KEY_CATEGORIES,
  KEY_LEVELS,
  label,
  MANDARIN_LEVELS,
  options,
  STAGES,
  SUBJECT_OPTIONS,
  TEACHER_ROLES,
  TEACHER_STATUS,
  TITLES,
} from '../../vocab';
import { NATIONAL_ID_MESSAGES, parseNationalId } from '../../../../server/src/platform/national-id';
import { chinaToday } from '../../china-time';

const DATE_FIELDS = ['hireDate', 'titleDate', 'qualificationExpiry', 'keyTermEnd'] as const;
type DateField = (typeof DATE_FIELDS)[number];

type FormValues = Omit<TeacherInput, DateField | 'roles' | 'version' | 'effectiveFrom' | 'reason'> &
  Record<DateField, Dayjs | null> & { roles: { role: string; since: Dayjs | null }[]; effectiveFrom?: Dayjs | null; reason?: string | null };

const toDay = (s: string | null | undefined) => (s ? dayjs(s) : null);
const toStr = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const blank = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

function toForm(t: TeacherDto, u: Unmasked): FormValues {
  return {
    name: t.name,
    nationalId: u.nationalId,
    phone: u.phone,
    orgId: t.orgId,
    employment: t.employment,
    stage: t.stage,
    subjects: t.subjects,
    education: t.education,
    secondDegree: t.secondDegree,
    title: t.title,
    qualificationType: t.qualificationType,
    qualificationStage: t.qualificationStage,
    qualificationSubject: t.qualificationSubject,
    qualificationNo: t.qualificationNo,
    mandarinLevel: t.mandarinLevel,
    certificates: t.certificates,
    keyLevel: t.keyLevel,
    keyCategory: t.keyCategory,
    partyMember: t.partyMember ?? false,
    status: t.status,
    hireDate: toDay(t.hireDate),
    titleDate: toDay(t.titleDate),
    qualificationExpiry: toDay(t.qualificationExpiry),
    keyTermEnd: toDay(t.keyTermEnd),
    roles: t.roles.map((r) => ({ role: r.role, since: toDay(r.since) })),
    effectiveFrom: chinaToday(),
    reason: null,
  };
}

function fromForm(v: FormValues): TeacherInput {
  return {
    name: v.name.trim(),
    nationalId: v.nationalId.trim().toUpperCase(),
    phone: blank(v.phone),
    orgId: v.orgId,
    employment: v.employment,
    stage: v.stage,
    subjects: v.subjects ?? [],
    hireDate: toStr(v.hireDate),
    education: v.education ?? null,
    secondDegree: blank(v.secondDegree),
    title: v.title ?? null,
    titleDate: toStr(v.titleDate),
    qualificationType: blank(v.qualificationType),
    qualificationStage: v.qualificationStage ?? null,
    qualificationSubject: blank(v.qualificationSubject),
    qualificationNo: blank(v.qualificationNo),
    qualificationExpiry: toStr(v.qualificationExpiry),
    mandarinLevel: v.mandarinLevel ?? null,
    certificates: (v.certificates ?? []).map((c) => c.trim()).filter(Boolean),
    roles: (v.roles ?? []).filter((r) => r?.role).map((r) => ({ role: r.role, since: toStr(r.since) })),
    keyLevel: v.keyLevel ?? null,
    keyCategory: v.keyCategory ?? null,
    keyTermEnd: toStr(v.keyTermEnd),
    partyMember: !!v.partyMember,
    status: v.status,
  };
}

const EMPTY: Partial<FormValues> = { employment: 'staff', status: 'active', subjects: [], certificates: [], roles: [], partyMember: false };

/** 新增 / 编辑教师. Field errors from the server land on their fields; a 409 keeps everything typed. */
export default function TeacherFormPage() {
  const params = useParams();
  const editId = params.id ? Number(params.id) : null;
  const { me, can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { tree } = useOrgTree(me?.id);
  const [form] = Form.useForm<FormValues>();
  const [version, setVersion] = useState<number | null>(null);
  const [loading, setLoading] = useState(editId !== null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [merging, setMerging] = useState(false);
  // What was loaded, to tell the user's own edits apart when merging onto a newer version.
  const original = useRef<TeacherInput | null>(null);
  const nationalId = Form.useWatch('nationalId', form);
  const effectiveFrom = Form.useWatch('effectiveFrom', form);
  // A date before today corrects the past: the server asks why.
  const backdated = !!effectiveFrom && effectiveFrom.isBefore(chinaToday(), 'day');
  const parsed = nationalId ? parseNationalId(nationalId) : null;

  useEffect(() => {
    if (editId === null || !can('teachers.unmask')) return;
    let live = true;
    (async () => {
      try {
        // The full 身份证号 is needed to save, so editing reads it (and that read is audited).
        const [t, u] = await Promise.all([api.get<TeacherDto>(`/teachers/${editId}`), api.post<Unmasked>(`/teachers/${editId}/unmask`)]);
        if (!live) return;
        const values = toForm(t, u);
        form.setFieldsValue(values);
        original.current = fromForm(values);
        setVersion(t.version);
      } catch (e) {
        if (live) setLoadError(e);
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [editId, form]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!can('teachers.write') || (editId !== null && !can('teachers.unmask')))
    return <Result status="403" title="无权编辑" subTitle="您没有编辑教师信息的权限" />;
  if (editId !== null && (!Number.isInteger(editId) || editId <= 0)) return <LoadError error={new Error('教师编号无效')} />;
  if (loading) return <PageLoading />;
  if (loadError) return <LoadError error={loadError} />;

  const submit = async (values: FormValues) => {
    setSaving(true);
    setConflict(null);
    try {
      const body = fromForm(values);
      const dated = { effectiveFrom: toStr(values.effectiveFrom) ?? undefined, reason: backdated ? blank(values.reason) : null };
      const t =
        editId === null ? await api.post<TeacherDto>('/teachers', body) : await api.put<TeacherDto>(`/teachers/${editId}`, { ...body, ...dated, version });
      message.success(editId === null ? `已新增教师 ${t.name}` : '已保存');
      nav(`/teachers/${t.id}`, { replace: editId !== null });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && /身份证号/.test(e.message)) {
        // A duplicate 身份证号 belongs on that field.
        form.setFields([{ name: 'nationalId', errors: [e.message] }]);
        form.scrollToField('nationalId', { block: 'center' });
        message.error(e.message);
      } else if (e instanceof ApiError && e.status === 409) {
        // Someone else saved first: keep what was typed, tell the user how to proceed.
        setConflict(e.message || '该教师信息已被他人修改，请刷新后再保存');
        message.error(e.message || '该教师信息已被他人修改，请刷新后再保存');
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else applyFormError(form, e, (t) => message.error(t));
    } finally {
      setSaving(false);
    }
  };

  /** After a 409: load the latest version and re-apply only the fields this user changed. */
  const mergeLatest = async () => {
    if (editId === null) return;
    setMerging(true);
    try {
      const [t, u] = await Promise.all([api.get<TeacherDto>(`/teachers/${editId}`), api.post<Unmasked>(`/teachers/${editId}/unmask`)]);
      const latest = toForm(t, u);
      const mine = form.getFieldsValue(true) as FormValues;
      const minePlain = fromForm(mine);
      const orig = original.current;
      const merged: Record<string, unknown> = { ...latest };
      for (const k of Object.keys(minePlain) as (keyof TeacherInput)[]) {
        if (!orig || JSON.stringify(minePlain[k] ?? null) !== JSON.stringify(orig[k] ?? null)) merged[k] = mine[k as keyof FormValues];
      }
      // The 生效日期 and reason are this edit's own, not part of the record.
      merged.effectiveFrom = mine.effectiveFrom;
      merged.reason = mine.reason;
      form.setFieldsValue(merged as FormValues);
      original.current = fromForm(latest);
      setVersion(t.version);
      setConflict(null);
      message.info('已载入最新信息，并保留了您修改过的字段，请核对后再保存');
    } catch (e) {
      message.error(e instanceof Error ? e.message : '加载最新信息失败');
    } finally {
      setMerging(false);
    }
  };

  const span = mobile ? 24 : 8;
  const c = (node: React.ReactNode, s = span) => <Col span={s}>{node}</Col>;
  const dateProps = { style: { width: '100%' }, placeholder: '选择日期' };

  return (
    <Card title={editId === null ? '新增教师' : '编辑教师'}>
      {conflict && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={conflict}
          description="您填写的内容仍保留在下方。可以载入最新信息（保留您改过的字段）后核对再保存，或在新窗口查看最新信息。"
          action={
            <Space orientation="vertical" size={4}>
              <Button size="small" type="primary" loading={merging} onClick={() => void mergeLatest()} data-testid="merge-latest">
                载入最新并保留我的修改
              </Button>
              <Button size="small" href={`/teachers/${editId}`} target="_blank">
                查看最新
              </Button>
            </Space>
          }
          data-testid="conflict-alert"
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={EMPTY}
        onFinish={submit}
        scrollToFirstError={{ block: 'center' }}
        data-testid="teacher-form"
      >
        <Divider titlePlacement="start">基本信息</Divider>
        <Row gutter={16}>
          {c(
            <Form.Item
              name="name"
              label="姓名"
              rules={[
                { required: true, whitespace: true, message: '请输入姓名' },
                { min: 2, message: '姓名至少 2 个字' },
                { max: 30, message: '姓名过长' },
              ]}
            >
              <Input placeholder="姓名" />
            </Form.Item>,
          )}
          {c(
            <Form.Item
              name="nationalId"
              label="身份证号"
              validateFirst
              normalize={(x: string) => x.replace(/\s/g, '').toUpperCase()}
              rules={[
                { required: true, message: '请输入身份证号' },
                {
                  validator: async (_, val: string) => {
                    if (!val) return;
                    const r = parseNationalId(val);
                    if (!r.ok) throw new Error(NATIONAL_ID_MESSAGES[r.problem]);
                  },
                },
              ]}
              extra={parsed?.ok ? `${label(GENDERS, parsed.info.gender)} · 出生日期 ${parsed.info.birthDate}（由身份证号自动识别）` : undefined}
            >
              <Input placeholder="18 位身份证号" maxLength={18} style={{ fontFamily: 'monospace' }} autoComplete="off" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="phone" label="手机号" rules={[{ pattern: /^1[3-9]\d{9}$/, message: '手机号应为 11 位，以 1 开头' }]}>
              <Input placeholder="11 位手机号" maxLength={11} autoComplete="off" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="partyMember" label="中共党员" valuePropName="checked">
              <Switch checkedChildren="是" unCheckedChildren="否" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="status" label="状态" rules={[{ required: true, message: '请选择状态' }]}>
              <Select options={options(TEACHER_STATUS)} />
            </Form.Item>,
          )}
        </Row>
        <Divider titlePlacement="start">任教</Divider>
        <Row gutter={16}>
          {c(
            <Form.Item name="orgId" label="学校" rules={[{ required: true, message: '请选择学校' }]}>
              <OrgTreeSelect tree={tree} schoolsOnly placeholder="选择学校" allowClear={false} style={{ width: '100%' }} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="employment" label="编制" rules={[{ required: true, message: '请选择编制' }]}>
              <Select options={options(EMPLOYMENT)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="stage" label="学段" rules={[{ required: true, message: '请选择学段' }]}>
              <Select placeholder="选择学段" options={options(STAGES)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="subjects" label="任教学科" rules={[{ type: 'array', max: 5, message: '最多 5 个学科' }]}>
              <Select mode="multiple" placeholder="可多选" options={SUBJECT_OPTIONS} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="hireDate" label="参加工作日期">
              <DatePicker {...dateProps} />
            </Form.Item>,
          )}
        </Row>
        <Divider titlePlacement="start">学历与职称</Divider>
        <Row gutter={16}>
          {c(
            <Form.Item name="education" label="最高学历">
              <Select allowClear placeholder="选择学历" options={options(EDUCATION)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="secondDegree" label="第二学历" rules={[{ max: 50, message: '不超过 50 字' }]}>
              <Input placeholder="如：本科（汉语言文学）" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="title" label="职称">
              <Select allowClear placeholder="选择职称" options={options(TITLES)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="titleDate" label="职称取得日期">
              <DatePicker {...dateProps} />
            </Form.Item>,
          )}
        </Row>
        <Divider titlePlacement="start">教师资格</Divider>
        <Row gutter={16}>
          {c(
            <Form.Item name="qualificationType" label="资格种类" rules={[{ max: 30, message: '不超过 30 字' }]}>
              <Input placeholder="如：小学教师资格" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="qualificationStage" label="资格学段">
              <Select allowClear placeholder="请选择" options={options(STAGES)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="qualificationSubject" label="资格任教学科" rules={[{ max: 30, message: '不超过 30 字' }]}>
              <Input placeholder="请输入" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="qualificationNo" label="证书编号" rules={[{ max: 40, message: '不超过 40 字' }]}>
              <Input placeholder="请输入" />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="qualificationExpiry" label="定期注册有效期至">
              <DatePicker {...dateProps} />
            </Form.Item>,
          )}
        </Row>
        <Divider titlePlacement="start">普通话与证书</Divider>
        <Row gutter={16}>
          {c(
            <Form.Item name="mandarinLevel" label="普通话等级">
              <Select allowClear placeholder="请选择" options={options(MANDARIN_LEVELS)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="certificates" label="其他证书" extra="输入后按回车添加，如：国家二级心理咨询师">
              <Select mode="tags" placeholder="输入证书名称" open={false} suffixIcon={null} />
            </Form.Item>,
            mobile ? 24 : 16,
          )}
        </Row>
        <Divider titlePlacement="start">岗位角色</Divider>
        <Form.List name="roles">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={16} key={f.key} align="top">
                  {c(
                    <Form.Item name={[f.name, 'role']} label="角色" rules={[{ required: true, message: '请选择角色' }]}>
                      <Select placeholder="选择角色" options={options(TEACHER_ROLES)} />
                    </Form.Item>,
                    mobile ? 24 : 8,
                  )}
                  {c(
                    <Form.Item name={[f.name, 'since']} label="起始日期">
                      <DatePicker {...dateProps} />
                    </Form.Item>,
                    mobile ? 18 : 8,
                  )}
                  <Col span={mobile ? 6 : 8}>
                    <Form.Item label=" ">
                      <Button danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除角色">
                        {mobile ? '' : '删除'}
                      </Button>
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: undefined, since: null })} style={{ marginBottom: 16 }}>
                添加岗位角色
              </Button>
            </>
          )}
        </Form.List>
        <Divider titlePlacement="start">骨干</Divider>
        <Row gutter={16}>
          {c(
            <Form.Item name="keyLevel" label="骨干级别">
              <Select allowClear placeholder="请选择" options={options(KEY_LEVELS)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="keyCategory" label="骨干类别">
              <Select allowClear placeholder="请选择" options={options(KEY_CATEGORIES)} />
            </Form.Item>,
          )}
          {c(
            <Form.Item name="keyTermEnd" label="任期至">
              <DatePicker {...dateProps} />
            </Form.Item>,
          )}
        </Row>
        {editId !== null && (
          <>
            <Divider titlePlacement="start">生效日期</Divider>
            <Row gutter={16}>
              {c(
                <Form.Item
                  name="effectiveFrom"
                  label="生效日期"
                  rules={[{ required: true, message: '请选择生效日期' }]}
                  extra="学校、状态、岗位角色、学历职称、教师资格、普通话与证书、骨干的变化从这一天起生效；早于今天为更正以往记录（须填写原因），晚于今天为预约变更（最多一年）"
                >
                  <DatePicker
                    {...dateProps}
                    allowClear={false}
                    disabledDate={(d) => d.isAfter(chinaToday().add(366, 'day'), 'day')}
                    data-testid="effective-from"
                  />
                </Form.Item>,
              )}
              {backdated &&
                c(
                  <Form.Item
                    name="reason"
                    label="更正原因"
                    rules={[
                      { required: true, whitespace: true, message: '请填写更正原因' },
                      { max: 200, message: '不超过 200 字' },
                    ]}
                  >
                    <Input placeholder="如：补录 2025 年 9 月的调动" data-testid="effective-reason" />
                  </Form.Item>,
                  mobile ? 24 : 16,
                )}
            </Row>
          </>
        )}
        <Divider />
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存
          </Button>
          <Button onClick={() => nav(-1)}>取消</Button>
        </Space>
      </Form>
    </Card>
  );
}
