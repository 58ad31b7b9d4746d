import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import type { ApprovalItem } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import PageCard from '../../components/PageCard';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { label, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';
import { projectMachine } from '../../../../server/src/modules/projects/lifecycle';
import { projectsChanged } from './query';
import { capacityText, needsComment, STATUS_COLORS } from './status';

type Action = keyof typeof projectMachine.transitions;

const RecognitionPanel = lazy(() => import('./RecognitionPanel'));

/** What the caller can do with a project waiting for them, from where it stands in the workflow. */
function actionsFor(p: ApprovalItem): Action[] {
  if (p.status === 'submitted') return [p.step !== null && p.step < p.steps ? 'approveStep' : 'approve', 'return', 'reject'];
  if (p.status === 'approved') return ['file'];
  if (p.status === 'planReview') return ['approvePlan', 'returnPlan'];
  if (p.status === 'recognitionPending') return ['confirmRecognition', 'returnRecognition'];
  return [];
}

const DANGER = new Set<Action>(['reject']);
const PLAIN = new Set<Action>(['return', 'returnPlan', 'returnRecognition']);
/** Button text in the list; the dialog title keeps the machine's full label. */
const SHORT: Partial<Record<Action, string>> = { returnRecognition: '退回' };

/** 待我审批: proposals, filings, plan reviews and hour recognitions waiting for the caller's bureau, decided from the list. */
export default function ApprovalInboxPage() {
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const {
    data,
    isPending: loading,
    error,
    refetch,
  } = useQuery({ queryKey: ['approvals', 'projects'], queryFn: () => api.get<{ items: ApprovalItem[] }>('/approvals/projects') });
  const [acting, setActing] = useState<{ p: ApprovalItem; action: Action } | null>(null);
  const [form] = Form.useForm<{ comment?: string }>();

  const decide = useMutation({
    mutationFn: (v: { p: ApprovalItem; action: Action; comment?: string }) =>
      api.post(`/projects/${v.p.id}/actions/${v.action}`, { comment: v.comment?.trim() || undefined }),
    onSuccess: (_, v) => {
      message.success(`已${projectMachine.transitions[v.action].label}：${v.p.name}`);
      setActing(null);
      form.resetFields();
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: projectsChanged,
  });
  const busy = decide.isPending;
  const submit = ({ comment }: { comment?: string }) => acting && decide.mutate({ ...acting, comment });

  const columns: TableColumnsType<ApprovalItem> = [
    { title: '项目', dataIndex: 'name', render: (v: string, p) => <Link to={`/projects/${p.id}`}>{v}</Link> },
    { title: '申报单位', dataIndex: 'orgName', width: 160, responsive: ['md'] },
    {
      title: '级别 / 形式',
      key: 'lf',
      width: 150,
      responsive: ['lg'],
      render: (_: unknown, p) => `${label(PROJECT_LEVELS, p.level)} · ${label(PROJECT_FORMS, p.form)}`,
    },
    { title: '学时 / 人数', key: 'hc', width: 110, responsive: ['lg'], render: (_: unknown, p) => `${p.targetHours} 学时 / ${capacityText(p.capacity)}` },
    {
      title: '待办',
      key: 'waiting',
      width: 150,
      render: (_: unknown, p) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLORS[p.status]}>{p.waitingFor}</Tag>
          {p.step !== null && p.steps > 1 && (
            <Typography.Text type="secondary">
              第 {p.step}/{p.steps} 级
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'op',
      width: mobile ? 120 : 300,
      render: (_: unknown, p) => (
        <Space wrap size={4}>
          {actionsFor(p).map((a) => (
            <Button
              key={a}
              size="small"
              type={DANGER.has(a) || PLAIN.has(a) ? 'default' : 'primary'}
              danger={DANGER.has(a)}
              onClick={() => setActing({ p, action: a })}
              data-testid={`inbox-${a}-${p.id}`}
            >
              {SHORT[a] ?? projectMachine.transitions[a].label}
            </Button>
          ))}
        </Space>
      ),
    },
  ];

  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const required = !!acting && needsComment(acting.action);
  return (
    <PageCard title="待我审批" testId="approval-inbox">
      <DataTable<ApprovalItem> rowKey="id" loading={loading} items={data?.items} columns={columns} pagination={false} empty="没有等待您处理的项目" />
      <Modal
        title={acting ? `${projectMachine.transitions[acting.action].label}：${acting.p.name}` : ''}
        open={!!acting}
        onCancel={() => setActing(null)}
        onOk={() => form.submit()}
        okText={acting ? projectMachine.transitions[acting.action].label : '确定'}
        okButtonProps={{ danger: !!acting && DANGER.has(acting.action) }}
        confirmLoading={busy}
        width={acting?.p.status === 'recognitionPending' ? 760 : undefined}
        destroyOnHidden
      >
        {acting?.p.status === 'recognitionPending' && (
          <div style={{ marginBottom: 12 }}>
            <Suspense fallback={<PageLoading />}>
              <RecognitionPanel projectId={acting.p.id} compact />
            </Suspense>
          </div>
        )}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="comment"
            label={required ? '意见（必填，申报单位将看到）' : '意见（选填）'}
            rules={required ? [{ required: true, whitespace: true, message: '请填写意见' }] : []}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder="审批意见" />
          </Form.Item>
        </Form>
      </Modal>
    </PageCard>
  );
}
