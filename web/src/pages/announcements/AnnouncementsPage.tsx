import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { App, Button, Card, Form, Input, List, Modal, Pagination, Radio, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, NotificationOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { AUDIENCE_LABELS, type AnnouncementDetail, type AnnouncementInbox, type Audience, type Receipts, type SentPage } from './types';

const PAGE_SIZE = 20;
const PUBLISHERS = ['bureauAdmin', 'schoolAdmin'];
const when = (d: string) => dayjs(d).format('YYYY-MM-DD HH:mm');

/** One announcement; opening it (GET) records the recipient's read receipt, so the to-do count follows. */
function AnnouncementModal({ id, onClose }: { id: number; onClose: () => void }) {
  const a = useQuery({
    queryKey: ['announcements', id],
    queryFn: async () => {
      const r = await api.get<AnnouncementDetail>(`/announcements/${id}`);
      void invalidate(['announcements', 'list']);
      return r;
    },
  });
  return (
    <Modal open title={a.data?.title ?? '通知公告'} onCancel={onClose} footer={<Button onClick={onClose}>关闭</Button>} width={680} destroyOnHidden>
      {a.error ? (
        <LoadError error={a.error} onRetry={() => void a.refetch()} />
      ) : !a.data ? (
        <PageLoading />
      ) : (
        <div data-testid="announcement-detail">
          <Typography.Paragraph type="secondary">
            {a.data.orgName} · {a.data.publishedByName} · {when(a.data.publishedAt)} · {a.data.audienceLabel}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.data.body || '（无正文）'}</Typography.Paragraph>
        </div>
      )}
    </Modal>
  );
}

function Inbox({ onOpen }: { onOpen: (id: number) => void }) {
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['announcements', 'list', 'inbox', page],
    queryFn: () => api.get<AnnouncementInbox>('/announcements', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <PageLoading />;
  if (!q.data.items.length) return <EmptyState text="暂无通知公告" />;
  return (
    <>
      <List
        dataSource={q.data.items}
        data-testid="announcement-list"
        renderItem={(a) => (
          <List.Item
            key={a.id}
            style={{ background: a.read ? undefined : '#f0f7ff', paddingInline: 12, borderRadius: 6, cursor: 'pointer' }}
            onClick={() => onOpen(a.id)}
            actions={[
              <Button key="open" type="link" size="small">
                查看
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={
                <Space wrap size={6}>
                  {a.read ? <Tag>已读</Tag> : <Tag color="red">未读</Tag>}
                  <Typography.Text strong={!a.read}>{a.title}</Typography.Text>
                </Space>
              }
              description={`${a.orgName} · ${when(a.publishedAt)}`}
            />
          </List.Item>
        )}
      />
      {q.data.total > PAGE_SIZE && (
        <Pagination style={{ marginTop: 12, textAlign: 'right' }} current={page} pageSize={PAGE_SIZE} total={q.data.total} onChange={setPage} />
      )}
    </>
  );
}

function ReceiptsModal({ id, onClose }: { id: number; onClose: () => void }) {
  const r = useQuery({ queryKey: ['announcements', id, 'receipts'], queryFn: () => api.get<Receipts>(`/announcements/${id}/receipts`) });
  return (
    <Modal open title={r.data ? `阅读情况：${r.data.title}` : '阅读情况'} onCancel={onClose} footer={<Button onClick={onClose}>关闭</Button>} width={720}>
      {r.error ? (
        <LoadError error={r.error} onRetry={() => void r.refetch()} />
      ) : !r.data ? (
        <PageLoading />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="announcement-receipts">
          <Space size={32} wrap>
            <Statistic title="接收人数" value={r.data.recipients} />
            <Statistic title="已读" value={r.data.read} />
            <Statistic title="未读" value={r.data.unread} />
            <a href={apiUrl(`/announcements/${id}/unread.xlsx`)} download>
              <Button icon={<DownloadOutlined />} disabled={!r.data.unread}>
                导出未读名单
              </Button>
            </a>
          </Space>
          <Table
            size="small"
            rowKey="orgId"
            pagination={false}
            scroll={{ x: 'max-content', y: 360 }}
            dataSource={r.data.orgs}
            columns={[
              { title: '单位', dataIndex: 'orgName' },
              { title: '接收人数', dataIndex: 'recipients', width: 90 },
              { title: '已读', dataIndex: 'read', width: 70 },
              { title: '未读', dataIndex: 'unread', width: 70, render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0) },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}

interface PublishValues {
  title: string;
  audience: Audience;
  body?: string;
}

function PublishModal({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PublishValues>();
  const { busy, submit } = useFormSubmit<PublishValues>(form, async (v) => {
    await api.post('/announcements', { title: v.title, audience: v.audience, body: v.body ?? '' });
    message.success('通知公告已发布');
    await invalidate(['announcements']);
    onClose();
  });
  return (
    <Modal open title="发布通知公告" onCancel={onClose} onOk={() => form.submit()} okText="发布" confirmLoading={busy} width={680} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ audience: 'all' }}>
        <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="audience" label="发布范围（本单位及下级）" rules={[{ required: true, message: '请选择发布范围' }]}>
          <Radio.Group options={(Object.keys(AUDIENCE_LABELS) as Audience[]).map((k) => ({ value: k, label: AUDIENCE_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="body" label="正文（纯文本，可换行）">
          <Input.TextArea rows={8} maxLength={5000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Sent({ onOpen }: { onOpen: (id: number) => void }) {
  const [page, setPage] = useState(1);
  const [receipts, setReceipts] = useState<number | null>(null);
  const [publishing, setPublishing] = useState(false);
  const q = useQuery({
    queryKey: ['announcements', 'list', 'sent', page],
    queryFn: () => api.get<SentPage>('/announcements/sent', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<NotificationOutlined />} onClick={() => setPublishing(true)}>
        发布通知公告
      </Button>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          loading={q.isFetching}
          scroll={{ x: 'max-content' }}
          dataSource={q.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: q.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            {
              title: '标题',
              dataIndex: 'title',
              render: (t: string, a) => (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(a.id)}>
                  {t}
                </Button>
              ),
            },
            { title: '发布单位', dataIndex: 'orgName' },
            { title: '范围', dataIndex: 'audienceLabel' },
            { title: '发布时间', dataIndex: 'publishedAt', render: when },
            {
              title: '',
              key: 'receipts',
              render: (_: unknown, a) => (
                <Button type="link" size="small" onClick={() => setReceipts(a.id)}>
                  阅读情况
                </Button>
              ),
            },
          ]}
        />
      )}
      {receipts !== null && <ReceiptsModal id={receipts} onClose={() => setReceipts(null)} />}
      {publishing && <PublishModal onClose={() => setPublishing(false)} />}
    </Space>
  );
}

/**
 * 通知公告: what reaches me (unread first in colour; opening one records that I read it) and, for a bureau or
 * school, what it published, with read and unread counts per org and the unread list as .xlsx. ?id= opens one.
 */
export default function AnnouncementsPage() {
  const { me } = useAuth();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('id')) || null;
  const setOpen = (id: number | null) => {
    const next = new URLSearchParams(params);
    if (id === null) next.delete('id');
    else next.set('id', String(id));
    setParams(next, { replace: true });
  };
  const publisher = !!me && PUBLISHERS.includes(me.role);
  return (
    <Card title={mobile ? undefined : '通知公告'}>
      {publisher ? (
        <Tabs
          items={[
            { key: 'inbox', label: '收到的', children: <Inbox onOpen={setOpen} /> },
            { key: 'sent', label: '发布与阅读情况', children: <Sent onOpen={setOpen} /> },
          ]}
        />
      ) : (
        <Inbox onOpen={setOpen} />
      )}
      {openId !== null && <AnnouncementModal id={openId} onClose={() => setOpen(null)} />}
    </Card>
  );
}
