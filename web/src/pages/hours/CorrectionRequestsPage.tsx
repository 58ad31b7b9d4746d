import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { queryClient } from '../../api/query';
import PageCard from '../../components/PageCard';
import { LoadError } from '../../components/Status';
import { dateTime } from '../../format';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label } from '../../vocab';
import type { CorrectionRequestDto } from '../../../../server/src/modules/ledger/corrections.service';

type Status = 'pending' | 'approved' | 'refused' | 'all';
const STATUS_COLOR: Record<CorrectionRequestDto['status'], string> = { pending: 'processing', approved: 'green', refused: 'red' };

/**
 * 学时更正申请: corrections a lower org asked for of hours this org (or one below it) recognised, to approve
 * (the reversal is written and the teacher told) or refuse with a reason; and the requests this org sent.
 */
export default function CorrectionRequestsPage() {
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const [status, setStatus] = useState<Status>('pending');
  const [refusing, setRefusing] = useState<CorrectionRequestDto | null>(null);
  const [form] = Form.useForm<{ comment: string }>();
  const list = useQuery({
    queryKey: ['ledger-corrections', status],
    queryFn: () => api.get<{ items: CorrectionRequestDto[] }>('/ledger/corrections', status === 'all' ? {} : { status }),
  });
  const decide = useMutation({
    mutationFn: (v: { id: number; decision: 'approve' | 'refuse'; comment?: string }) =>
      api.post<CorrectionRequestDto>(`/ledger/corrections/${v.id}/decision`, { decision: v.decision, comment: v.comment }),
    onSuccess: (r) => {
      message.success(r.status === 'approved' ? '已同意，学时已冲销并通知教师' : '已不同意，已通知申请单位');
      setRefusing(null);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['ledger-corrections'] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const approve = (r: CorrectionRequestDto) =>
    modal.confirm({
      title: '同意冲销该学时？',
      content: `将为${r.teacherName}追加一条 −${r.hours} 学时的冲销记录，并通知教师本人。`,
      okText: '同意',
      okButtonProps: { danger: true },
      onOk: () => decide.mutateAsync({ id: r.id, decision: 'approve' }),
    });

  return (
    <PageCard
      title="学时更正申请"
      testId="correction-requests"
      actions={
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          options={[
            { value: 'pending', label: '待审核' },
            { value: 'approved', label: '已同意' },
            { value: 'refused', label: '未同意' },
            { value: 'all', label: '全部' },
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary">
        下级单位更正本单位认定的学时时，须经本单位同意：同意后系统追加冲销记录并通知教师本人；不同意须填写原因。
      </Typography.Paragraph>
      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<CorrectionRequestDto>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={mobile ? { x: 900 } : undefined}
          locale={{ emptyText: '没有更正申请' }}
          columns={[
            {
              title: '教师',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/teachers/${r.teacherId}`}>{r.teacherName}</Link>
                  <Typography.Text type="secondary">{r.teacherOrgName}</Typography.Text>
                </Space>
              ),
            },
            {
              title: '学时记录',
              render: (_, r) => (
                <span>
                  {r.description} · {label(CATEGORIES, r.category)} · {r.hours} 学时（{r.occurredOn}）
                </span>
              ),
            },
            {
              title: '申请',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <span>
                    {r.requestedOrgName} {r.requestedByName}
                    {r.outgoing && <Tag style={{ marginLeft: 4 }}>本单位提出</Tag>}
                  </span>
                  <Typography.Text type="secondary">
                    {dateTime(r.requestedAt)} · 原因：{r.reason}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: '认定单位', dataIndex: 'ownerOrgName' },
            {
              title: '状态',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={STATUS_COLOR[r.status]}>{r.statusLabel}</Tag>
                  {r.decidedAt && (
                    <Typography.Text type="secondary">
                      {r.decidedByName} {dateTime(r.decidedAt)}
                      {r.decisionComment ? `：${r.decisionComment}` : ''}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: '操作',
              render: (_, r) =>
                r.canDecide ? (
                  <Space>
                    <Button size="small" type="primary" onClick={() => approve(r)} data-testid={`correction-approve-${r.id}`}>
                      同意
                    </Button>
                    <Button size="small" onClick={() => setRefusing(r)} data-testid={`correction-refuse-${r.id}`}>
                      不同意
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
      <Modal
        title="不同意更正申请"
        open={!!refusing}
        onCancel={() => setRefusing(null)}
        onOk={() => form.submit()}
        okText="不同意"
        okButtonProps={{ loading: decide.isPending }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => refusing && decide.mutate({ id: refusing.id, decision: 'refuse', comment: v.comment })}>
          <Form.Item name="comment" label="不同意的原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
            <Input.TextArea rows={3} maxLength={200} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </PageCard>
  );
}
