import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { TeacherPicker } from './TeacherPicker';
import type { PairDetailDto } from './types';
import { chinaToday } from '../../china-time';

const KIND_OPTIONS = [
  { value: 'observation', label: '听课' },
  { value: 'guidance', label: '指导' },
  { value: 'reflection', label: '反思' },
];

/** 师徒结对 page: both teachers and the school see it; records (听课 / 指导 / 反思) are dated entries (phone-friendly). */
export default function PairPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['mentoring', 'pairs', id],
    queryFn: () => api.get<PairDetailDto>(`/mentoring/pairs/${id}`),
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <PageLoading />;
  const manage = can('mentoring.manage') && data.current && !data.endedOn;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={`师徒结对：${data.mentor.name} — ${data.mentee.name}（${data.subject}）`}
        extra={
          manage ? (
            <Space>
              <ChangeMentorButton pairId={id} />
              <EndPairButton pairId={id} />
            </Space>
          ) : null
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="师傅">
            {data.mentor.name}（{data.mentor.orgName}）
          </Descriptions.Item>
          <Descriptions.Item label="徒弟">
            {data.mentee.name}（{data.schoolName}）
          </Descriptions.Item>
          <Descriptions.Item label="学科">{data.subject}</Descriptions.Item>
          <Descriptions.Item label="期限">
            {data.termFrom} 至 {data.endedOn ?? data.termUntil ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label="状态">
            <Tag color={data.current ? 'green' : 'default'}>{data.stateLabel}</Tag>
            {data.endReason ? <Typography.Text type="secondary">{data.endReason}</Typography.Text> : null}
          </Descriptions.Item>
          <Descriptions.Item label="结对目标">{data.goals ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title="师徒记录" extra={data.current ? <AddRecordButton pairId={id} /> : null}>
        <List
          dataSource={data.records}
          locale={{ emptyText: '暂无记录' }}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space wrap>
                    <span>{r.heldOn}</span>
                    <Tag>{r.kindLabel}</Tag>
                    <Typography.Text type="secondary">{r.authorLabel}</Typography.Text>
                  </Space>
                }
                description={<span style={{ whiteSpace: 'pre-wrap' }}>{r.content}</span>}
              />
            </List.Item>
          )}
        />
      </Card>
      {data.history.length > 1 ? (
        <Card size="small" title="结对历史">
          <List
            dataSource={data.history}
            renderItem={(h) => (
              <List.Item>
                {h.termFrom} 至 {h.endedOn ?? '今'}：师傅 {h.mentor.name}
                {h.endReason ? `（${h.endReason}）` : ''}
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </Space>
  );
}

function AddRecordButton({ pairId }: { pairId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ kind: string; heldOn: Dayjs; content: string }>(form, async (v) => {
    await api.post(`/mentoring/pairs/${pairId}/records`, { ...v, heldOn: v.heldOn.format('YYYY-MM-DD') });
    await invalidate(['mentoring'], ['my']);
    message.success('已记录');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" size="small" onClick={() => setOpen(true)}>
        写记录
      </Button>
      <Modal open={open} title="师徒记录" onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="保存" confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ kind: 'observation', heldOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={KIND_OPTIONS} />
          </Form.Item>
          <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="content" label="内容" rules={[{ required: true, message: '请填写内容' }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function EndPairButton({ pairId }: { pairId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ endedOn: Dayjs; reason: string }>(form, async (v) => {
    await api.post(`/mentoring/pairs/${pairId}/end`, { ...v, endedOn: v.endedOn.format('YYYY-MM-DD') });
    await invalidate(['mentoring']);
    message.success('结对已结束');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)}>
        结束结对
      </Button>
      <Modal open={open} title="结束结对" onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="结束" confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ endedOn: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="endedOn" label="结束日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label="结束原因" rules={[{ required: true, message: '请填写原因' }]}>
            <Input maxLength={200} placeholder="如：带教期满、徒弟调出" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ChangeMentorButton({ pairId }: { pairId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ mentorTeacherId: number; from: Dayjs; reason: string }>(form, async (v) => {
    await api.post(`/mentoring/pairs/${pairId}/change`, { ...v, from: v.from.format('YYYY-MM-DD') });
    await invalidate(['mentoring']);
    message.success('已更换师傅');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        更换师傅
      </Button>
      <Modal open={open} title="更换师傅" onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="更换" confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ from: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="mentorTeacherId" label="新师傅" rules={[{ required: true, message: '请选择教师' }]}>
            <TeacherPicker />
          </Form.Item>
          <Form.Item name="from" label="自何日起" extra="原结对于前一日结束，记录保留" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label="更换原因" rules={[{ required: true, message: '请填写原因' }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
