import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, List, Modal, Select, Space, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import TeacherPicker from '../../components/TeacherPicker';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { STUDIO_KIND_OPTIONS, STUDIO_LEVEL_OPTIONS, statusColor, type StudioDto } from './studio-types';

interface BoardDto {
  year: number;
  groups: { kind: string; kindLabel: string; level: string; levelLabel: string; counts: Record<string, number>; active: number; dutiesMet: number }[];
  studios: { id: number; dutiesMet: boolean | null }[];
  statusLabels: Record<string, string>;
}

/**
 * 工作室 (issue 13 item 1). Managers (学校、教育局): the board of the subtree's studios by kind and level (status counts,
 * how many meet this year's duties) and the list, with 申报. Teachers: the studios they belong to.
 */
export default function StudiosPage() {
  const { can } = useAuth();
  const manager = can('studios.manage');
  const mobile = useIsMobile();
  const list = useQuery({ queryKey: ['studios', 'list'], queryFn: () => api.get<StudioDto[]>('/studios') });
  const board = useQuery({ queryKey: ['studios', 'board'], queryFn: () => api.get<BoardDto>('/studios/board'), enabled: manager });
  if (list.error) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  const met = new Map((board.data?.studios ?? []).map((s) => [s.id, s.dutiesMet]));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {manager && board.data ? (
        <Card size="small" title={`工作室看板（${board.data.year} 年）`}>
          <Table
            rowKey={(g) => `${g.kind}:${g.level}`}
            size="small"
            pagination={false}
            scroll={mobile ? { x: 640 } : undefined}
            dataSource={board.data.groups}
            locale={{ emptyText: '本辖区暂无工作室' }}
            columns={[
              { title: '类型', dataIndex: 'kindLabel' },
              { title: '级别', dataIndex: 'levelLabel' },
              {
                title: '状态',
                key: 'counts',
                render: (_, g) =>
                  Object.entries(g.counts).map(([s, n]) => (
                    <Tag key={s} color={statusColor(s)}>
                      {board.data.statusLabels[s] ?? s} {n}
                    </Tag>
                  )),
              },
              { title: '年度职责已完成', key: 'met', render: (_, g) => (g.active ? `${g.dutiesMet} / ${g.active}` : '—') },
            ]}
          />
        </Card>
      ) : null}
      <Card size="small" title={manager ? '工作室' : '我参加的工作室'} extra={manager ? <ApplyButton /> : null}>
        {mobile && !manager ? (
          // A teacher on a phone: one line per studio, the name opens it (no sideways table).
          <List
            loading={list.isPending}
            dataSource={list.data ?? []}
            locale={{ emptyText: '您尚未参加工作室' }}
            renderItem={(s) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <Link to={`/studios/${s.id}`}>{s.name}</Link>
                      <Tag color={statusColor(s.status)}>{s.statusLabel}</Tag>
                    </Space>
                  }
                  description={`${s.levelLabel}${s.kindLabel} · 主持人 ${s.hostName} · ${s.namingOrgName}命名`}
                />
              </List.Item>
            )}
          />
        ) : (
          <Table
            rowKey="id"
            size="small"
            loading={list.isPending}
            scroll={mobile ? { x: 720 } : undefined}
            dataSource={list.data ?? []}
            locale={{ emptyText: manager ? '暂无工作室，可点击“申报工作室”' : '您尚未参加工作室' }}
            columns={[
              { title: '名称', key: 'name', render: (_, s) => <Link to={`/studios/${s.id}`}>{s.name}</Link> },
              { title: '类型', dataIndex: 'kindLabel' },
              { title: '级别', dataIndex: 'levelLabel' },
              { title: '主持人', dataIndex: 'hostName' },
              { title: '命名单位', dataIndex: 'namingOrgName' },
              { title: '状态', key: 'status', render: (_, s) => <Tag color={statusColor(s.status)}>{s.statusLabel}</Tag> },
              ...(manager
                ? [
                    {
                      title: '本年职责',
                      key: 'met',
                      render: (_: unknown, s: StudioDto) => {
                        const m = met.get(s.id);
                        return m === undefined || m === null ? '—' : m ? <Tag color="green">已完成</Tag> : <Tag color="orange">未完成</Tag>;
                      },
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

function ApplyButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ name: string; kind: string; level: string; host: number[]; subject?: string; planText: string }>(form, async (v) => {
    await api.post('/studios', { name: v.name, kind: v.kind, level: v.level, hostTeacherId: v.host?.[0], subject: v.subject || null, planText: v.planText });
    await invalidate(['studios']);
    message.success('已申报，等待命名单位评审');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" size="small" onClick={() => setOpen(true)}>
        申报工作室
      </Button>
      <Modal open={open} title="申报工作室" onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="申报" confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="name" label="工作室名称" rules={[{ required: true, message: '请填写工作室名称' }]}>
            <Input maxLength={60} placeholder="如：王丽名师工作室" />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择工作室类型' }]}>
            <Select options={STUDIO_KIND_OPTIONS} />
          </Form.Item>
          <Form.Item
            name="level"
            label="级别"
            rules={[{ required: true, message: '请选择工作室级别' }]}
            extra="命名单位：校级为主持人所在学校，其他为该级教育局"
          >
            <Select options={STUDIO_LEVEL_OPTIONS} />
          </Form.Item>
          <Form.Item
            name="host"
            label="主持人"
            rules={[{ required: true, type: 'array', len: 1, message: '请选择一位主持人' }]}
            getValueFromEvent={(v: number[]) => v.slice(-1)}
          >
            <TeacherPicker />
          </Form.Item>
          <Form.Item name="subject" label="学科">
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="planText" label="建设方案" rules={[{ required: true, message: '请填写建设方案' }]}>
            <Input.TextArea rows={4} maxLength={5000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
