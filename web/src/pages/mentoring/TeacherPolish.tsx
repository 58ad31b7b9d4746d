import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { SUBJECT_OPTIONS } from '../../vocab';
import { gateColor, type GatesDto, type RoundDto } from './types';
import { chinaToday } from '../../china-time';

/** The default 磨课 evaluation form: a few scored items (the evaluator may rename them). */
const DEFAULT_ITEMS = ['教学设计', '课堂组织', '教学效果'].map((label) => ({ label, score: 8, max: 10 }));

/** One teacher's gates (待磨课 / 可独立任教) and 磨课 rounds, with the school's and the 教研室's actions. */
export function TeacherPolish({ teacherId }: { teacherId: number }) {
  const mobile = useIsMobile();
  const { can } = useAuth();
  const gates = useQuery({ queryKey: ['teachers', teacherId, 'teaching-gate'], queryFn: () => api.get<GatesDto>(`/teachers/${teacherId}/teaching-gate`) });
  const rounds = useQuery({
    queryKey: ['teachers', teacherId, 'polish-rounds'],
    queryFn: () => api.get<{ items: RoundDto[] }>(`/teachers/${teacherId}/polish-rounds`),
  });
  if (gates.error) return <LoadError error={gates.error} onRetry={() => void gates.refetch()} />;
  if (rounds.error) return <LoadError error={rounds.error} onRetry={() => void rounds.refetch()} />;
  const g = gates.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        loading={gates.isPending}
        title={g ? `${g.teacher.name}（${g.teacher.orgName}）的磨课认定` : '磨课认定'}
        extra={can('mentoring.manage') ? <OpenGateButton teacherId={teacherId} /> : null}
      >
        {g ? (
          <Typography.Paragraph type="secondary">
            新入职、新任学科教师须经过 {g.roundsRequired} 轮磨课合格，且通过教研室听课评估，方可独立任教（{g.cite}）。
          </Typography.Paragraph>
        ) : null}
        <Table
          rowKey="subject"
          size="small"
          pagination={false}
          dataSource={g?.gates ?? []}
          locale={{ emptyText: '档案中没有任教学科' }}
          columns={[
            { title: '学科', dataIndex: 'subject' },
            { title: '状态', key: 'state', render: (_, x) => <Tag color={gateColor(x.state)}>{x.stateLabel}</Tag> },
            { title: '原因', dataIndex: 'reasonLabel', render: (v) => v ?? '—' },
            { title: '合格/已磨', key: 'r', render: (_, x) => `${x.rounds.passed}/${x.rounds.held}（教研室 ${x.rounds.passedByResearchOffice}）` },
            {
              title: '说明',
              key: 'm',
              render: (_, x) =>
                x.state === 'released'
                  ? `${x.releasedOn} 由 ${x.releasedByName ?? '—'} 认定`
                  : x.missing.join('；') || (x.state === 'pending' ? '可认定' : '—'),
            },
            {
              title: '',
              key: 'a',
              render: (_, x) => (x.state === 'pending' && can('mentoring.manage') ? <ReleaseButton teacherId={teacherId} subject={x.subject} /> : null),
            },
          ]}
        />
      </Card>
      <Card size="small" title="磨课记录" extra={can('mentoring.polish') ? <RoundButton teacherId={teacherId} /> : null}>
        <Table
          rowKey="id"
          size="small"
          loading={rounds.isPending}
          dataSource={rounds.data?.items ?? []}
          scroll={mobile ? { x: 900 } : undefined}
          columns={[
            { title: '日期', dataIndex: 'heldOn' },
            { title: '学科', dataIndex: 'subject' },
            { title: '课题', dataIndex: 'lesson' },
            { title: '评估单位', key: 'e', render: (_, r) => (r.byResearchOffice ? <Tag color="blue">{r.evaluatorOrgName}</Tag> : r.evaluatorOrgName) },
            { title: '得分', key: 's', render: (_, r) => (r.total === null ? '—' : `${r.total}/${r.max}`) },
            {
              title: '结果',
              key: 'res',
              render: (_, r) => (
                <Space size={4} wrap>
                  <Tag color={r.result === 'passed' ? 'green' : 'red'}>{r.resultLabel}</Tag>
                  {r.superseded ? <Tag>已更正</Tag> : null}
                  {r.correctionReason ? <Typography.Text type="secondary">更正：{r.correctionReason}</Typography.Text> : null}
                </Space>
              ),
            },
            { title: '评价意见', dataIndex: 'comment', render: (v) => v ?? '—' },
            {
              title: '',
              key: 'a',
              render: (_, r) => (!r.superseded && can('mentoring.polish') ? <RoundButton teacherId={teacherId} correct={r} /> : null),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

interface RoundForm {
  subject: string;
  lesson: string;
  heldOn: Dayjs;
  purpose: string;
  observers?: string;
  items: { label: string; score: number; max: number }[];
  comment?: string;
  result: 'passed' | 'failed';
  correctionReason?: string;
}

/** The 磨课 form: record a round, or correct one (the correction supersedes it). */
function RoundButton({ teacherId, correct }: { teacherId: number; correct?: RoundDto }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<RoundForm>(form, async (v) => {
    const body = {
      ...v,
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      observers: (v.observers ?? '')
        .split(/[，,、\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    };
    if (correct) await api.post(`/polish-rounds/${correct.id}/correct`, body);
    else await api.post(`/teachers/${teacherId}/polish-rounds`, body);
    await invalidate(['teachers', teacherId], ['mentoring']);
    message.success(correct ? '已更正' : '已记录');
    setOpen(false);
    form.resetFields();
  });
  const initial = correct
    ? { ...correct, heldOn: dayjs(correct.heldOn), observers: correct.observers.join('、'), purpose: 'newTeacher' }
    : { heldOn: chinaToday(), purpose: 'newTeacher', items: DEFAULT_ITEMS, result: 'passed' };
  return (
    <>
      <Button size="small" type={correct ? 'link' : 'primary'} onClick={() => setOpen(true)}>
        {correct ? '更正' : '记录磨课'}
      </Button>
      <Modal
        open={open}
        title={correct ? '更正磨课记录' : '记录一轮磨课'}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="保存"
        confirmLoading={busy}
        destroyOnHidden
        width={640}
      >
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)}>
          <Form.Item name="subject" label="学科" rules={[{ required: true, message: '请选择学科' }]}>
            <Select options={SUBJECT_OPTIONS} showSearch />
          </Form.Item>
          <Form.Item name="lesson" label="课题" rules={[{ required: true, message: '请填写课题' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="purpose" label="用途">
            <Select
              options={[
                { value: 'newTeacher', label: '新教师磨课（可独立任教认定）' },
                { value: 'keyCandidate', label: '重点培养对象磨课' },
                { value: 'studio', label: '工作室活动' },
                { value: 'other', label: '其他' },
              ]}
            />
          </Form.Item>
          <Form.Item name="observers" label="听课人" extra="多人用顿号或逗号分隔">
            <Input maxLength={300} />
          </Form.Item>
          <Form.List name="items">
            {(fields) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {fields.map((f) => (
                  <Space key={f.key} wrap>
                    <Form.Item name={[f.name, 'label']} rules={[{ required: true, message: '请填写评价项目' }]} noStyle>
                      <Input style={{ width: 160 }} maxLength={30} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'score']} rules={[{ required: true, message: '请打分' }]} noStyle>
                      <InputNumber min={0} max={100} addonAfter="分" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'max']} noStyle>
                      <InputNumber min={1} max={100} addonBefore="满分" />
                    </Form.Item>
                  </Space>
                ))}
              </Space>
            )}
          </Form.List>
          <Form.Item name="comment" label="评价意见" style={{ marginTop: 12 }}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item name="result" label="评估结果" rules={[{ required: true, message: '请选择结果' }]}>
            <Radio.Group
              options={[
                { value: 'passed', label: '合格' },
                { value: 'failed', label: '不合格' },
              ]}
            />
          </Form.Item>
          {correct ? (
            <Form.Item name="correctionReason" label="更正原因" rules={[{ required: true, message: '请填写更正原因' }]}>
              <Input maxLength={200} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

function ReleaseButton({ teacherId, subject }: { teacherId: number; subject: string }) {
  const [open, setOpen] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ releasedOn: Dayjs; note?: string }>(form, async (v) => {
    setRefusal(null);
    try {
      await api.post(`/teachers/${teacherId}/teaching-gate/release`, { subject, releasedOn: v.releasedOn.format('YYYY-MM-DD'), note: v.note ?? null });
    } catch (e) {
      // A refusal (409) names what is still missing and the rule: keep it in the dialog, where it can be read.
      if (e instanceof ApiError && e.status === 409) {
        setRefusal(e.message);
        return;
      }
      throw e;
    }
    await invalidate(['teachers', teacherId], ['mentoring']);
    message.success('已认定为可独立任教');
    setOpen(false);
  });
  const close = () => {
    setOpen(false);
    setRefusal(null);
  };
  return (
    <>
      <Button size="small" type="link" onClick={() => setOpen(true)}>
        认定可独立任教
      </Button>
      <Modal open={open} title={`认定可独立任教（${subject}）`} onCancel={close} onOk={() => form.submit()} okText="认定" confirmLoading={busy} destroyOnHidden>
        {refusal ? <Alert type="error" showIcon data-testid="release-refusal" title={refusal} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical" initialValues={{ releasedOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="releasedOn" label="认定日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function OpenGateButton({ teacherId }: { teacherId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ subject: string; openedOn: Dayjs }>(form, async (v) => {
    await api.post(`/teachers/${teacherId}/teaching-gate`, { subject: v.subject, reason: 'newSubject', openedOn: v.openedOn.format('YYYY-MM-DD') });
    await invalidate(['teachers', teacherId], ['mentoring']);
    message.success('已登记为待磨课');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        登记新任学科
      </Button>
      <Modal
        open={open}
        title="登记新任学科（待磨课）"
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="登记"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ openedOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="subject" label="新任学科" rules={[{ required: true, message: '请选择学科' }]}>
            <Select options={SUBJECT_OPTIONS} showSearch />
          </Form.Item>
          <Form.Item name="openedOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
