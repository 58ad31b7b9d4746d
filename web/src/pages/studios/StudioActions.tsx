import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Image, Input, InputNumber, List, Modal, Select, Space, Switch, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';

import { useFormSubmit } from '../../hooks';
import { ACTIVITY_KIND_OPTIONS, GRADE_OPTIONS, OUTPUT_KIND_OPTIONS, type PlannedItem, type StudioDto, type StudioPageDto, type WorkDto } from './studio-types';
import { chinaToday, chinaYear } from '../../china-time';

export const fmt = (d: Dayjs) => d.format('YYYY-MM-DD');
export const kindLabel = (k: string) => ACTIVITY_KIND_OPTIONS.find((o) => o.value === k)?.label ?? k;
export function StepButton({ studio, action, label }: { studio: StudioDto; action: string; label: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ comment?: string; namedOn?: Dayjs; termUntil?: Dayjs }>(form, async (v) => {
    await api.post(`/studios/${studio.id}/transition`, {
      action,
      comment: v.comment || null,
      namedOn: v.namedOn ? fmt(v.namedOn) : null,
      termUntil: v.termUntil ? fmt(v.termUntil) : null,
    });
    await invalidate(['studios']);
    message.success(`已${label}`);
    setOpen(false);
  });
  return (
    <>
      <Button size="small" type={action === 'approve' ? 'primary' : 'default'} danger={action === 'reject'} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal open={open} title={label} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          {action === 'approve' ? (
            <>
              <Form.Item name="namedOn" label="命名日期" extra="不填为今天">
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="termUntil" label="命名期限至" extra="不填按政策规定的期限">
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </>
          ) : null}
          <Form.Item
            name="comment"
            label={action === 'reject' ? '未通过原因' : '意见'}
            rules={action === 'reject' ? [{ required: true, message: '请填写原因' }] : []}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function MemberButton({ studioId }: { studioId: number }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const found = useQuery({
    queryKey: ['studios', studioId, 'candidates', q],
    queryFn: () => api.get<{ teacherId: number; name: string; orgName: string }[]>(`/studios/${studioId}/candidates`, { q }),
    enabled: open,
  });
  const { busy, submit } = useFormSubmit<{ teacherId: number; role: string; joinedOn: Dayjs }>(form, async (v) => {
    await api.post(`/studios/${studioId}/members`, { teacherId: v.teacherId, role: v.role, joinedOn: fmt(v.joinedOn) });
    await invalidate(['studios', studioId]);
    message.success('已加入');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        添加成员
      </Button>
      <Modal open={open} title="添加成员" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ role: 'member', joinedOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="teacherId" label="教师" rules={[{ required: true, message: '请选择教师' }]}>
            <Select
              showSearch
              filterOption={false}
              onSearch={setQ}
              loading={found.isFetching}
              placeholder="输入姓名查找"
              notFoundContent="未找到教师"
              options={(found.data ?? []).map((t) => ({ value: t.teacherId, label: `${t.name} · ${t.orgName}` }))}
            />
          </Form.Item>
          <Form.Item name="role" label="角色">
            <Select
              options={[
                { value: 'member', label: '成员' },
                { value: 'expert', label: '专家/银龄教师' },
              ]}
            />
          </Form.Item>
          <Form.Item name="joinedOn" label="加入日期" rules={[{ required: true, message: '请选择加入日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function ActivityButton({ studioId }: { studioId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const mode = Form.useWatch('mode', form);
  const attendance = Form.useWatch('attendance', form);
  const { busy, submit } = useFormSubmit<{
    kind: string;
    title: string;
    mode: string;
    heldOn: Dayjs;
    place?: string;
    attendance?: boolean;
    startTime?: string;
    endTime?: string;
    hours?: number;
  }>(form, async (v) => {
    await api.post(`/studios/${studioId}/activities`, {
      kind: v.kind,
      title: v.title,
      mode: v.mode,
      heldOn: fmt(v.heldOn),
      place: v.place || null,
      attendance: !!v.attendance,
      startTime: v.startTime || null,
      endTime: v.endTime || null,
      hours: v.hours ?? null,
    });
    await invalidate(['studios', studioId]);
    message.success('已登记');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        登记活动
      </Button>
      <Modal open={open} title="登记活动" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ mode: 'offline', heldOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="kind" label="活动类型" rules={[{ required: true, message: '请选择活动类型' }]}>
            <Select options={ACTIVITY_KIND_OPTIONS} />
          </Form.Item>
          <Form.Item name="title" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="mode" label="形式">
            <Select
              options={[
                { value: 'offline', label: '线下' },
                { value: 'online', label: '线上' },
              ]}
            />
          </Form.Item>
          <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          {mode === 'offline' ? (
            <>
              <Form.Item name="place" label="地点" rules={[{ required: true, message: '线下活动请填写地点' }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="attendance" label="现场签到（成员学时经学时认定记入学时档案）" valuePropName="checked">
                <Switch />
              </Form.Item>
            </>
          ) : null}
          {mode === 'offline' && attendance ? (
            <>
              {/* Native time inputs: the phone's own time wheel, typed on a desktop. */}
              <div style={{ display: 'flex', gap: 8 }}>
                <Form.Item name="startTime" label="开始时间" rules={[{ required: true, message: '请填写开始时间' }]} style={{ flex: 1 }}>
                  <Input type="time" aria-label="开始时间" />
                </Form.Item>
                <Form.Item
                  name="endTime"
                  label="结束时间"
                  dependencies={['startTime']}
                  style={{ flex: 1 }}
                  rules={[
                    { required: true, message: '请填写结束时间' },
                    ({ getFieldValue }) => ({
                      validator: (_, v?: string) =>
                        !v || !getFieldValue('startTime') || v > getFieldValue('startTime')
                          ? Promise.resolve()
                          : Promise.reject(new Error('结束时间应晚于开始时间')),
                    }),
                  ]}
                >
                  <Input type="time" aria-label="结束时间" />
                </Form.Item>
              </div>
              <Form.Item name="hours" label="学时" rules={[{ required: true, message: '请填写学时' }]}>
                <InputNumber min={0.5} max={24} step={0.5} style={{ width: '100%' }} />
              </Form.Item>
            </>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

export function CheckinControl({ studioId, activity }: { studioId: number; activity: WorkDto['activities'][number] }) {
  const [show, setShow] = useState(false);
  const { message } = App.useApp();
  const code = useQuery({
    queryKey: ['studios', studioId, 'checkin-code', activity.id],
    queryFn: () => api.get<{ qrDataUrl: string; periodSeconds: number }>(`/studios/${studioId}/activities/${activity.id}/checkin-code`),
    enabled: show && activity.checkinOpen,
    refetchInterval: 20_000,
  });
  const toggle = async (open: boolean) => {
    await api.post(`/studios/${studioId}/activities/${activity.id}/checkin`, { open });
    await invalidate(['studios', studioId]);
    message.success(open ? '签到已开启' : '签到已关闭');
  };
  return (
    <Space wrap>
      <Switch checkedChildren="签到中" unCheckedChildren="签到关闭" checked={activity.checkinOpen} onChange={(v) => void toggle(v)} />
      {activity.checkinOpen ? (
        <Button size="small" onClick={() => setShow(true)}>
          签到码
        </Button>
      ) : null}
      <Modal open={show} title={`签到：${activity.title}`} footer={null} onCancel={() => setShow(false)} destroyOnHidden>
        {code.data ? <Image src={code.data.qrDataUrl} preview={false} width="100%" alt="签到二维码" /> : <Card loading />}
        <Typography.Text type="secondary">成员用手机扫码签到，二维码每 {code.data?.periodSeconds ?? 30} 秒更新。</Typography.Text>
      </Modal>
    </Space>
  );
}

export function OutputButton({ studio }: { studio: StudioPageDto }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const kind = Form.useWatch('kind', form);
  const members = studio.members.filter((m) => !m.leftOn).map((m) => ({ value: m.teacherId, label: m.name }));
  const { busy, submit } = useFormSubmit<{ kind: string; title: string; producedOn: Dayjs; teacherId?: number }>(form, async (v) => {
    await api.post(`/studios/${studio.id}/outputs`, { ...v, producedOn: fmt(v.producedOn), teacherId: v.teacherId ?? null });
    await invalidate(['studios', studio.id]);
    message.success('已登记');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        登记成果
      </Button>
      <Modal open={open} title="登记成果" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ producedOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="kind" label="成果类型" rules={[{ required: true, message: '请选择成果类型' }]}>
            <Select options={OUTPUT_KIND_OPTIONS} />
          </Form.Item>
          <Form.Item name="title" label="成果名称" rules={[{ required: true, message: '请填写成果名称' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="producedOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="teacherId"
            label={kind === 'dualQualified' ? '培养的双师型教师' : '作者（成员）'}
            rules={kind === 'dualQualified' ? [{ required: true, message: '请选择培养的双师型教师' }] : []}
          >
            <Select allowClear options={members} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function AssessButton({ studioId }: { studioId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ year: number; grade: string; comment?: string }>(form, async (v) => {
    const r = await api.post<{ outcomeLabel: string }>(`/studios/${studioId}/assessments`, { ...v, comment: v.comment || null });
    await invalidate(['studios']);
    message.success(`已考核：${r.outcomeLabel}`);
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        年度考核
      </Button>
      <Modal open={open} title="年度考核" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ year: chinaYear() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="year" label="考核年度" rules={[{ required: true, message: '请填写年度' }]}>
            <InputNumber min={2000} max={2100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="grade" label="等次" rules={[{ required: true, message: '请选择考核等次' }]} extra="不合格一次警示，连续两次撤销（按政策）">
            <Select options={GRADE_OPTIONS} />
          </Form.Item>
          <Form.Item name="comment" label="考核意见" extra="未完成年度职责却评为合格以上时必填">
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 撤回 an activity or an output: the reason is required and kept (the record stays, marked 已撤回). */
export function WithdrawButton({ path, what, studioId }: { path: string; what: string; studioId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ reason: string }>(form, async (v) => {
    await api.post(path, { reason: v.reason });
    await invalidate(['studios', studioId]);
    message.success(`已撤回${what}`);
    setOpen(false);
  });
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)}>
        撤回
      </Button>
      <Modal open={open} title={`撤回${what}`} okText="撤回" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item
            name="reason"
            label="撤回原因"
            rules={[{ required: true, whitespace: true, message: '请填写撤回原因' }]}
            extra="记录保留，标记为已撤回，不计入年度职责"
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 年度计划: the year's plan in force (a new version supersedes the old one, which stays listed) and its planned activities. */
export function PlanCard({ studioId, year, runs, plans }: { studioId: number; year: number; runs: boolean; plans: WorkDto['plans'] }) {
  const current = plans.find((p) => p.year === year && !p.superseded_at) ?? null;
  const older = plans.filter((p) => p !== current);
  return (
    <Card size="small" title={`${year} 年度计划`} extra={runs ? <PlanButton studioId={studioId} year={year} current={current} /> : null}>
      {current ? (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="plan-current">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{current.body}</Typography.Paragraph>
          {current.planned.length ? (
            <List
              size="small"
              header="计划活动"
              dataSource={[...current.planned].sort((a, b) => a.month - b.month)}
              renderItem={(p) => (
                <List.Item>
                  {p.month} 月 · <Tag>{kindLabel(p.kind)}</Tag>
                  {p.title}
                </List.Item>
              )}
            />
          ) : null}
        </Space>
      ) : (
        <Typography.Text type="secondary">{runs ? '尚未制定本年度计划，可点击“编辑计划”' : '尚未制定本年度计划'}</Typography.Text>
      )}
      {older.length ? (
        <List
          style={{ marginTop: 12 }}
          size="small"
          header="历史版本"
          dataSource={older}
          renderItem={(p) => (
            <List.Item>
              <Typography.Text type="secondary">
                {p.year} 年{p.superseded_at ? '（已被新版本替代）' : ''}：{p.body.length > 60 ? `${p.body.slice(0, 60)}…` : p.body}
              </Typography.Text>
            </List.Item>
          )}
        />
      ) : null}
    </Card>
  );
}

function PlanButton({ studioId, year, current }: { studioId: number; year: number; current: WorkDto['plans'][number] | null }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ body: string; planned?: PlannedItem[] }>(form, async (v) => {
    await api.post(`/studios/${studioId}/plans`, { year, body: v.body, planned: v.planned ?? [] });
    await invalidate(['studios', studioId]);
    message.success('年度计划已保存');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        编辑计划
      </Button>
      <Modal open={open} title={`${year} 年度计划`} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ body: current?.body ?? '', planned: current?.planned ?? [] }} onFinish={(v) => void submit(v)}>
          <Form.Item name="body" label="计划内容" rules={[{ required: true, whitespace: true, message: '请填写年度计划' }]} extra="保存后为新版本，旧版本保留">
            <Input.TextArea rows={4} maxLength={5000} />
          </Form.Item>
          <Form.List name="planned">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start">
                    <Form.Item name={[f.name, 'month']} rules={[{ required: true, message: '请选择月份' }]}>
                      <Select
                        placeholder="月份"
                        style={{ width: 80 }}
                        options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1} 月` }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'kind']} rules={[{ required: true, message: '请选择类型' }]}>
                      <Select placeholder="类型" style={{ width: 110 }} options={ACTIVITY_KIND_OPTIONS} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: '请填写活动名称' }]}>
                      <Input placeholder="活动名称" maxLength={100} />
                    </Form.Item>
                    <Button size="small" onClick={() => remove(f.name)}>
                      删除
                    </Button>
                  </Space>
                ))}
                <Button size="small" onClick={() => add()}>
                  添加计划活动
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
