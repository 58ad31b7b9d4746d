import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { api, errorText } from '../../api/client';
import PageCard from '../../components/PageCard';
import { EmptyState, LoadError } from '../../components/Status';
import { useApi } from '../../hooks';
import { label, STAGES } from '../../vocab';
import type { EnrolmentRequest } from './workflow-types';
import { dateTime } from '../../format';

const time = dateTime;

/** 报名审核: teachers' self-enrolments (自主选学) waiting for their school's decision. */
export default function EnrolmentRequestsPage() {
  const { message } = App.useApp();
  const { data, loading, error, reload } = useApi(() => api.get<{ items: EnrolmentRequest[] }>('/enrolment-requests'), []);
  const [rejecting, setRejecting] = useState<EnrolmentRequest | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ comment: string }>();

  const decide = async (r: EnrolmentRequest, decision: 'approve' | 'reject', comment?: string) => {
    setBusy(`${r.projectId}:${r.teacherId}`);
    try {
      await api.post(`/projects/${r.projectId}/enrolments/${r.teacherId}/${decision}`, { comment });
      message.success(decision === 'approve' ? `已通过 ${r.teacherName} 的报名` : `已驳回 ${r.teacherName} 的报名`);
      setRejecting(null);
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<EnrolmentRequest> = [
    { title: '教师', dataIndex: 'teacherName', width: 100 },
    { title: '学校', dataIndex: 'orgName', width: 160, responsive: ['md'] },
    { title: '学段', dataIndex: 'stage', width: 70, responsive: ['lg'], render: (v: string) => label(STAGES, v) },
    { title: '报名项目', dataIndex: 'projectName' },
    { title: '报名时间', dataIndex: 'enrolledAt', width: 170, responsive: ['md'], render: time },
    {
      title: '操作',
      key: 'op',
      width: 150,
      render: (_: unknown, r) => (
        <Space size={4}>
          <Button
            size="small"
            type="primary"
            loading={busy === `${r.projectId}:${r.teacherId}`}
            onClick={() => void decide(r, 'approve')}
            data-testid={`approve-${r.projectId}-${r.teacherId}`}
          >
            通过
          </Button>
          <Button size="small" danger onClick={() => setRejecting(r)}>
            不通过
          </Button>
        </Space>
      ),
    },
  ];
  if (error) return <LoadError error={error} onRetry={reload} />;
  return (
    <PageCard title="报名审核（自主选学）" testId="enrolment-requests">
      <Table<EnrolmentRequest>
        rowKey={(r) => `${r.projectId}:${r.teacherId}`}
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={columns}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyState text="没有待审核的报名" /> }}
      />
      <Modal
        title={rejecting ? `不通过：${rejecting.teacherName} 报名「${rejecting.projectName}」` : ''}
        open={!!rejecting}
        onCancel={() => setRejecting(null)}
        onOk={() => form.submit()}
        okText="不通过"
        okButtonProps={{ danger: true }}
        confirmLoading={!!busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => rejecting && void decide(rejecting, 'reject', v.comment.trim())}>
          <Form.Item name="comment" label="原因（教师将看到）" rules={[{ required: true, whitespace: true, message: '请填写不通过的原因' }]}>
            <Input.TextArea rows={3} maxLength={500} placeholder="如：本学期教学任务重，下学期再报" />
          </Form.Item>
        </Form>
      </Modal>
    </PageCard>
  );
}
