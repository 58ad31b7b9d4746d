import { useState } from 'react';
import { Alert, App, Button, Form, InputNumber, Progress, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, TableOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import type { QuotaRow, QuotaView } from './workflow-types';
import { capacityText } from './status';
import QuotaBulkEditor from './QuotaBulkEditor';

interface EditRow {
  orgId?: number;
  quota?: number;
}

/**
 * 名额分配. The organiser ('top') allocates quotas to orgs of the project's region; a quota holder such as a
 * county ('sub') splits its own quota among the orgs below it. Each row shows how much is used (nominations
 * plus quotas passed on), so nobody cuts a quota below what is already taken.
 */
export default function QuotasPanel({
  projectId,
  mode,
  editable,
  onChanged,
}: {
  projectId: number;
  mode: 'top' | 'sub';
  editable: boolean;
  onChanged?: () => void;
}) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['projects', projectId, 'quotas'],
    queryFn: () => api.get<QuotaView>(`/projects/${projectId}/quotas`),
  });
  const { tree } = useOrgTree(me?.id);
  const [editing, setEditing] = useState(false);
  // 批量分配 / 按公式分配: a table of all units below (issue 11 item 3).
  const [bulk, setBulk] = useState(false);
  const [form] = Form.useForm<{ items: EditRow[] }>();
  const { busy, submit: save } = useFormSubmit(form, async (v: { items: EditRow[] }) => {
    const items = (v.items ?? []).filter((x) => x.orgId).map((x) => ({ orgId: x.orgId as number, quota: x.quota ?? 0 }));
    await api.put(`/projects/${projectId}/quotas${mode === 'sub' ? '/sub' : ''}`, { items });
    message.success('名额已保存');
    setEditing(false);
    // Quotas bound nominations and enrolment: the project's panels and lists ask again.
    void invalidate(['projects', projectId], ['projects', 'list']);
    onChanged?.();
  });

  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const mine = data.mine;
  // The rows this allocator controls: the organiser's top-level rows, or what the holder passed on.
  const own = data.items.filter((r) => (mode === 'top' ? r.parentOrgId === null : r.parentOrgId === me?.orgId));
  const shown = mode === 'top' ? data.items : data.items.filter((r) => r.parentOrgId === me?.orgId);
  const budget = mode === 'top' ? data.project.capacity : (mine?.quota ?? 0) - (mine?.nominated ?? 0);

  const start = () => {
    form.setFieldsValue({ items: own.map((r) => ({ orgId: r.orgId, quota: r.quota })) });
    setEditing(true);
  };

  const columns: TableColumnsType<QuotaRow> = [
    { title: '单位', dataIndex: 'orgName', render: (v: string, r) => (r.parentOrgId && mode === 'top' ? <span style={{ paddingLeft: 16 }}>└ {v}</span> : v) },
    { title: '名额', dataIndex: 'quota', width: 80 },
    { title: '已选派 / 下分', key: 'used', width: 140, render: (_: unknown, r) => `${r.nominated} / ${r.used - r.nominated}` },
    {
      title: '使用情况',
      key: 'bar',
      width: 180,
      render: (_: unknown, r) => (
        <Progress
          percent={r.quota ? Math.round((r.used / r.quota) * 100) : 0}
          size="small"
          status={r.used >= r.quota ? 'success' : 'active'}
          format={() => `${r.used}/${r.quota}`}
        />
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid={`quotas-${mode}`}>
      {mode === 'top' ? (
        <Typography.Text type="secondary">
          项目容量{capacityText(data.project.capacity)}，已分配 {data.allocated} 人。名额分配给区县或学校，区县可再分给所属学校，学校在“学员选派”中按名额选派。
        </Typography.Text>
      ) : (
        mine && (
          <Alert
            type="info"
            showIcon
            title={`本单位名额 ${mine.quota} 人：已直接选派 ${mine.nominated} 人，已分给下级 ${mine.used - mine.nominated} 人，剩余 ${Math.max(0, mine.quota - mine.used)} 人`}
          />
        )
      )}
      {bulk && (
        <QuotaBulkEditor
          projectId={projectId}
          mode={mode}
          own={own}
          budget={budget ?? null}
          onDone={(saved) => {
            setBulk(false);
            if (saved) onChanged?.();
          }}
        />
      )}
      {!editing && !bulk && (
        <>
          {editable && (
            <Space wrap>
              <Button type="primary" icon={<TableOutlined />} onClick={() => setBulk(true)} data-testid="bulk-quotas">
                批量分配 / 按公式分配
              </Button>
              <Button icon={<EditOutlined />} onClick={start} data-testid="edit-quotas">
                {mode === 'top' ? '逐个分配名额' : '逐个向下级分配'}
              </Button>
            </Space>
          )}
          <Table<QuotaRow>
            rowKey="orgId"
            size="small"
            dataSource={shown}
            columns={columns}
            pagination={false}
            locale={{ emptyText: <EmptyState text="尚未分配名额" /> }}
          />
        </>
      )}
      {editing && (
        <Form form={form} onFinish={save} layout="vertical" data-testid="quota-form">
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" wrap>
                    <Form.Item name={[f.name, 'orgId']} rules={[{ required: true, message: '请选择单位' }]} style={{ marginBottom: 8 }}>
                      <OrgTreeSelect tree={tree} placeholder="选择区县或学校" style={{ width: 280 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quota']} rules={[{ required: true, message: '请填写名额' }]} style={{ marginBottom: 8 }}>
                      <InputNumber min={0} max={100000} precision={0} placeholder="名额" suffix="人" style={{ width: 140 }} aria-label={`第${i + 1}行名额`} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除" />
                  </Space>
                ))}
                <Form.Item style={{ marginBottom: 8 }}>
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quota: 1 })}>
                    添加单位
                  </Button>
                </Form.Item>
              </>
            )}
          </Form.List>
          <Form.Item noStyle shouldUpdate>
            {() => {
              const total = (form.getFieldValue('items') as EditRow[] | undefined)?.reduce((n, x) => n + (x?.quota ?? 0), 0) ?? 0;
              return (
                <Typography.Paragraph type={budget !== null && budget !== undefined && total > budget ? 'danger' : 'secondary'}>
                  合计 {total} 人{mode === 'top' ? `（项目容量${capacityText(budget)}）` : `（可分配 ${budget} 人）`}
                </Typography.Paragraph>
              );
            }}
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              保存名额
            </Button>
            <Button onClick={() => setEditing(false)}>取消</Button>
          </Space>
        </Form>
      )}
      {error ? <Typography.Text type="danger">{errorText(error)}</Typography.Text> : null}
    </Space>
  );
}
