import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, List, Pagination, Segmented, Space, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { NOTIFICATION_KIND_COLORS, NOTIFICATION_KIND_LABELS, refreshBadges } from './badges';

interface NotificationItem {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  read: boolean;
}
interface Inbox {
  items: NotificationItem[];
  total: number;
  unread: number;
}

const PAGE_SIZE = 20;

/** 消息中心: the caller's inbox, all or unread only; open a message to go where it points and mark it read. */
export default function NotificationsPage() {
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const nav = useNavigate();
  const [filter, setFilter] = useState<'all' | 'unread'>('unread');
  const [page, setPage] = useState(1);
  const query = { unread: filter === 'unread' ? 1 : 0, page, pageSize: PAGE_SIZE };
  const {
    data,
    isFetching: loading,
    error,
    refetch,
  } = useQuery({ queryKey: ['notifications', 'list', query], queryFn: () => api.get<Inbox>('/notifications', query), placeholderData: keepPreviousData });

  const mark = useMutation({
    mutationFn: (ids: number[] | null) => api.post<{ marked: number }>('/notifications/read', { ids }),
    onSuccess: (r, ids) => {
      if (ids === null) message.success(r.marked ? `已将 ${r.marked} 条消息标为已读` : '没有未读消息');
      refreshBadges();
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: () => {
      void invalidate(['notifications']);
    },
  });
  const markRead = (ids: number[] | null) => mark.mutate(ids);

  const open = async (n: NotificationItem) => {
    // A failed mark is shown (onError); the message's page opens all the same.
    if (!n.read) await mark.mutateAsync([n.id]).catch(() => undefined);
    if (n.link) nav(n.link);
  };

  return (
    <Card
      // On a phone the header already says 消息中心, and the title would squeeze the filters to "消…".
      title={mobile ? undefined : '消息中心'}
      extra={
        <Space wrap>
          <Segmented
            value={filter}
            onChange={(v) => {
              setFilter(v as 'all' | 'unread');
              setPage(1);
            }}
            options={[
              { value: 'unread', label: `未读${data && filter === 'unread' ? `（${data.total}）` : ''}` },
              { value: 'all', label: '全部' },
            ]}
          />
          <Button icon={<CheckOutlined />} onClick={() => markRead(null)} disabled={!data?.unread}>
            全部标为已读
          </Button>
        </Space>
      }
    >
      {error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : loading && !data ? (
        <PageLoading />
      ) : !data?.items.length ? (
        <EmptyState text={filter === 'unread' ? '没有未读消息' : '暂无消息'} />
      ) : (
        <>
          <List
            // On a phone the actions go under the message: beside it they squeezed the text to a 4–5-character column.
            itemLayout={mobile ? 'vertical' : 'horizontal'}
            dataSource={data.items}
            loading={loading}
            data-testid="notification-list"
            renderItem={(n) => (
              <List.Item
                key={n.id}
                style={{ background: n.read ? undefined : '#f0f7ff', paddingInline: 12, borderRadius: 6 }}
                actions={[
                  n.link ? (
                    <Button key="open" type="link" size="small" onClick={() => void open(n)}>
                      查看
                    </Button>
                  ) : null,
                  !n.read ? (
                    <Button key="read" type="link" size="small" onClick={() => markRead([n.id])}>
                      标为已读
                    </Button>
                  ) : null,
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={6}>
                      <Tag color={NOTIFICATION_KIND_COLORS[n.kind] ?? 'default'}>{NOTIFICATION_KIND_LABELS[n.kind] ?? n.kind}</Tag>
                      <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
                      {!n.read && <Tag color="red">未读</Tag>}
                    </Space>
                  }
                  description={
                    <Space orientation="vertical" size={2}>
                      {n.body && <span>{n.body}</span>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}
                      </Typography.Text>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
          {data.total > PAGE_SIZE && (
            <Pagination
              style={{ marginTop: 16, textAlign: 'right' }}
              current={page}
              pageSize={PAGE_SIZE}
              total={data.total}
              onChange={setPage}
              showSizeChanger={false}
            />
          )}
        </>
      )}
    </Card>
  );
}
