import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import PageCard from '../../components/PageCard';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { SHARE_BACK_KINDS } from '../../../../server/src/modules/projects/lifecycle';
import type { ShareBack } from './workflow-types';
import { afterChinaToday } from '../../china-time';

const COLORS: Record<string, string> = { assigned: 'orange', submitted: 'processing', confirmed: 'green', returned: 'red' };
const evidenceUrl = (id: number) => `/api/share-backs/${id}/evidence`;
/** A share-back was given evidence, submitted or reviewed: the teacher's tasks and the school's list. */
const shareBacksChanged = () => invalidate(['my', 'share-backs'], ['share-backs']);

interface SubmitForm {
  kind: string;
  title: string;
  heldOn: Dayjs;
  place: string;
  summary: string;
}

/** 返岗分享 for the teacher: after an outbound training, give a 讲座/座谈/公开课 at school, upload evidence, submit. */
export function MyShareBacksPage() {
  const mobile = useIsMobile();
  const { data, isPending, error, refetch } = useQuery({ queryKey: ['my', 'share-backs'], queryFn: () => api.get<{ items: ShareBack[] }>('/my/share-backs') });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const items = data.items;
  if (!items.length)
    return (
      <Card>
        <EmptyState text="暂无返岗分享任务（参加跟岗、影子等外出培训后会出现在这里）" />
      </Card>
    );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-share-backs">
      {items.map((t) => (
        <ShareBackCard key={t.id} task={t} mobile={mobile} onChanged={() => void shareBacksChanged()} />
      ))}
    </Space>
  );
}

function ShareBackCard({ task, mobile, onChanged }: { task: ShareBack; mobile: boolean; onChanged: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<SubmitForm>();
  const [uploading, setUploading] = useState(false);
  const open = task.status === 'assigned' || task.status === 'returned';

  const upload = async (file: File) => {
    setUploading(true);
    try {
      const fd = new FormData();
      fd.append('file', file);
      await api.post(`/share-backs/${task.id}/evidence`, fd);
      message.success('证明材料已上传');
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setUploading(false);
    }
  };
  const { busy, submit } = useFormSubmit(form, async (v: SubmitForm) => {
    await api.post(`/share-backs/${task.id}/submit`, {
      kind: v.kind,
      title: v.title.trim(),
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      place: v.place.trim(),
      summary: v.summary.trim(),
    });
    message.success('已提交，等待学校确认');
    onChanged();
  });

  return (
    <Card
      size={mobile ? 'small' : undefined}
      title={
        <Typography.Text strong style={{ whiteSpace: 'normal' }}>
          {task.projectName}
        </Typography.Text>
      }
      extra={<Tag color={COLORS[task.status]}>{task.statusLabel}</Tag>}
      data-testid={`share-back-${task.id}`}
    >
      {task.status === 'returned' && task.reviewComment && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`学校退回：${task.reviewComment}`} />
      )}
      {!open && (
        <Typography.Paragraph>
          {task.kindLabel}「{task.title}」· {task.heldOn} · {task.place}
          <br />
          <Typography.Text type="secondary">{task.summary}</Typography.Text>
        </Typography.Paragraph>
      )}
      <Space wrap style={{ marginBottom: open ? 12 : 0 }}>
        {task.evidence ? (
          <a href={evidenceUrl(task.id)} target="_blank" rel="noreferrer">
            <PaperClipOutlined /> {task.evidence.name ?? '证明材料'}
          </a>
        ) : (
          <Typography.Text type="secondary">尚未上传证明材料</Typography.Text>
        )}
        {open && (
          <Upload accept=".pdf,.png,.jpg,.jpeg" showUploadList={false} beforeUpload={(f) => (void upload(f), false)}>
            <Button icon={<UploadOutlined />} loading={uploading}>
              {task.evidence ? '重新上传' : '上传照片或 PDF'}
            </Button>
          </Upload>
        )}
      </Space>
      {open && (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            kind: task.kind ?? 'lecture',
            title: task.title ?? '',
            heldOn: task.heldOn ? dayjs(task.heldOn) : undefined,
            place: task.place ?? '',
            summary: task.summary ?? '',
          }}
        >
          <Space wrap align="start">
            <Form.Item name="kind" label="分享形式" rules={[{ required: true, message: '请选择形式' }]}>
              <Select style={{ width: 120 }} options={Object.entries(SHARE_BACK_KINDS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker disabledDate={afterChinaToday} placeholder="分享日期" />
            </Form.Item>
          </Space>
          <Form.Item name="title" label="主题" rules={[{ required: true, whitespace: true, message: '请填写主题' }]}>
            <Input maxLength={100} placeholder="如：跟岗学习汇报讲座" />
          </Form.Item>
          <Form.Item name="place" label="地点" rules={[{ required: true, whitespace: true, message: '请填写地点' }]}>
            <Input maxLength={100} placeholder="如：学校会议室" />
          </Form.Item>
          <Form.Item name="summary" label="内容与参加人员" rules={[{ required: true, whitespace: true, min: 10, message: '请简要说明（至少 10 个字）' }]}>
            <Input.TextArea rows={3} maxLength={2000} placeholder="分享了哪些内容，约多少人参加" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block={mobile}>
            提交分享记录
          </Button>
        </Form>
      )}
    </Card>
  );
}

/** 返岗分享确认 for the school: the submitted share-backs of its teachers, with evidence; confirm or return. */
export function ShareBackReviewPage() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<string | undefined>('submitted');
  const {
    data,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({
    queryKey: ['share-backs', { status }],
    queryFn: () => api.get<{ items: ShareBack[] }>('/share-backs', { status }),
    placeholderData: keepPreviousData,
  });
  const [returning, setReturning] = useState<ShareBack | null>(null);
  const [form] = Form.useForm<{ comment: string }>();

  const decide = useMutation({
    mutationFn: (v: { t: ShareBack; action: 'confirm' | 'return'; comment?: string }) =>
      api.post(`/share-backs/${v.t.id}/review`, { action: v.action, comment: v.comment }),
    onSuccess: (_, v) => {
      message.success(v.action === 'confirm' ? `已确认 ${v.t.teacherName} 的返岗分享` : '已退回');
      setReturning(null);
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: shareBacksChanged,
  });
  const busy = decide.isPending;
  const review = (t: ShareBack, action: 'confirm' | 'return', comment?: string) => decide.mutate({ t, action, comment });
  const columns: TableColumnsType<ShareBack> = [
    { title: '教师', dataIndex: 'teacherName', width: 90 },
    { title: '培训项目', dataIndex: 'projectName', responsive: ['md'] },
    { title: '分享', key: 's', render: (_: unknown, t) => (t.title ? `${t.kindLabel}「${t.title}」${t.heldOn ?? ''}` : '—') },
    {
      title: '材料',
      key: 'e',
      width: 120,
      render: (_: unknown, t) =>
        t.evidence ? (
          <a href={evidenceUrl(t.id)} target="_blank" rel="noreferrer">
            <PaperClipOutlined /> 查看
          </a>
        ) : (
          '—'
        ),
    },
    { title: '状态', dataIndex: 'statusLabel', width: 80, render: (v: string, t) => <Tag color={COLORS[t.status]}>{v}</Tag> },
    {
      title: '操作',
      key: 'op',
      width: 140,
      render: (_: unknown, t) =>
        t.status === 'submitted' ? (
          <Space size={4}>
            <Button size="small" type="primary" loading={busy} onClick={() => review(t, 'confirm')} data-testid={`confirm-share-${t.id}`}>
              确认
            </Button>
            <Button size="small" onClick={() => setReturning(t)}>
              退回
            </Button>
          </Space>
        ) : null,
    },
  ];
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <PageCard
      title="返岗分享确认"
      actions={
        <Select
          value={status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? undefined : v)}
          style={{ width: 120 }}
          options={[
            { value: 'submitted', label: '待确认' },
            { value: 'returned', label: '已退回' },
            { value: 'assigned', label: '待完成' },
            { value: 'confirmed', label: '已确认' },
            { value: 'all', label: '全部' },
          ]}
        />
      }
      testId="share-back-review"
    >
      <Table<ShareBack>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={columns}
        expandable={{
          expandedRowRender: (t) => (
            <Typography.Paragraph style={{ margin: 0 }}>
              {t.place} · {t.summary}
            </Typography.Paragraph>
          ),
          rowExpandable: (t) => !!t.summary,
        }}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyState text="没有符合条件的返岗分享" /> }}
      />
      <Modal
        title={returning ? `退回：${returning.teacherName}的返岗分享` : ''}
        open={!!returning}
        onCancel={() => setReturning(null)}
        onOk={() => form.submit()}
        okText="退回"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => returning && review(returning, 'return', v.comment.trim())}>
          <Form.Item name="comment" label="退回原因（教师将看到）" rules={[{ required: true, whitespace: true, message: '请填写退回原因' }]}>
            <Input.TextArea rows={3} maxLength={500} placeholder="如：请补充签到表照片" />
          </Form.Item>
        </Form>
      </Modal>
    </PageCard>
  );
}
