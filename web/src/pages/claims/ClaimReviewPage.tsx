import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Input, List, Modal, Segmented, Space, Tag } from 'antd';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { LoadError } from '../../components/Status';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label } from '../../vocab';
import { refreshBadges } from '../notifications/badges';
import { claimsChanged } from './query';
import { CLAIM_STATUS_COLORS, type BatchResult, type ClaimListItem } from './types';
import { confirmBatchApprove } from './confirmBatchApprove';
import { useAuth } from '../../auth';

interface ClaimPage {
  items: ClaimListItem[];
  total: number;
}
type BatchAction = 'schoolApprove' | 'countyApprove' | 'return' | 'reject';

/**
 * 学时申报审核: school admins review their school's submitted claims, bureau admins the county step.
 * Select several rows and approve (or return / reject with one comment) in one go; the result lists
 * the claims that could not take the action and why.
 */
export default function ClaimReviewPage() {
  const { me } = useAuth();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<'pending' | 'all'>('pending');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [commentFor, setCommentFor] = useState<BatchAction | null>(null);
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<BatchResult | null>(null);
  const query = { pending: filter === 'pending' ? 1 : 0, q: q || undefined, page, pageSize: 50 };
  const { data, isFetching, error, refetch } = useQuery({
    queryKey: ['claims', 'list', query],
    queryFn: () => api.get<ClaimPage>('/claims', query),
    placeholderData: keepPreviousData,
  });
  const approve: BatchAction = me?.role === 'schoolAdmin' ? 'schoolApprove' : 'countyApprove';

  const batch = useMutation({
    mutationFn: (v: { action: BatchAction; comment?: string }) =>
      api.post<BatchResult>('/claims/batch', { ids: selected, action: v.action, comment: v.comment || undefined }),
    onSuccess: (r) => {
      setResult(r);
      if (r.succeeded.length) message.success(`已处理 ${r.succeeded.length} 条`);
      setSelected([]);
      setCommentFor(null);
      setComment('');
      refreshBadges();
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: claimsChanged,
  });
  const busy = batch.isPending;
  const run = (action: BatchAction, text?: string) => batch.mutate({ action, comment: text });

  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card
      // On a phone the header already names the page; the title would squeeze the search.
      title={mobile ? undefined : '学时申报审核'}
      extra={
        <Space wrap>
          <Input.Search
            placeholder="教师姓名或培训名称"
            allowClear
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
            style={{ width: 220 }}
          />
          <Segmented
            value={filter}
            onChange={(v) => {
              setFilter(v as 'pending' | 'all');
              setSelected([]);
              setPage(1);
            }}
            options={[
              { value: 'pending', label: '待我审核' },
              { value: 'all', label: '全部' },
            ]}
          />
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          disabled={!selected.length}
          loading={busy}
          onClick={() =>
            approve === 'countyApprove'
              ? confirmBatchApprove(
                  modal,
                  (data?.items ?? []).filter((c) => selected.includes(c.id)),
                  () => run(approve),
                )
              : run(approve)
          }
        >
          批量通过{selected.length ? `（${selected.length}）` : ''}
        </Button>
        <Button disabled={!selected.length} onClick={() => setCommentFor('return')}>
          批量退回
        </Button>
        <Button danger disabled={!selected.length} onClick={() => setCommentFor('reject')}>
          批量驳回
        </Button>
      </Space>
      {result && result.failed.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setResult(null)}
          style={{ marginBottom: 12 }}
          title={`${result.failed.length} 条未处理`}
          description={
            <List
              size="small"
              dataSource={result.failed}
              renderItem={(f) => (
                <List.Item>
                  申报 #{f.id}：{f.message}
                </List.Item>
              )}
            />
          }
        />
      )}
      {/* A card per claim on phones (headers squeezed to one character per line in 390 px otherwise). */}
      <ResponsiveTable<ClaimListItem>
        rowKey="id"
        loading={isFetching}
        dataSource={data?.items}
        scroll={{ x: 960 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
        pagination={{ current: page, pageSize: 50, total: data?.total, onChange: setPage, showSizeChanger: false }}
        locale={{ emptyText: filter === 'pending' ? '没有待审核的申报' : '暂无申报' }}
        columns={[
          { title: '教师', dataIndex: 'teacherName', width: 100 },
          { title: '学校', dataIndex: 'orgName', width: 160, ellipsis: true },
          {
            title: '培训名称',
            dataIndex: 'title',
            minWidth: 240,
            render: (t: string, c) => (
              <Space size={4} wrap>
                <Link to={`/claims/${c.id}`}>{t}</Link>
                {c.duplicateCount > 0 && (
                  <Tag color="warning" data-testid="duplicate-tag">
                    可能重复
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: '类别', dataIndex: 'category', width: 100, render: (v: string) => label(CATEGORIES, v) },
          { title: '学时', dataIndex: 'hours', width: 70 },
          { title: '日期', dataIndex: 'occurredOn', width: 110 },
          { title: '材料', dataIndex: 'fileCount', width: 60 },
          { title: '状态', dataIndex: 'status', width: 110, render: (_: string, c) => <Tag color={CLAIM_STATUS_COLORS[c.status]}>{c.statusLabel}</Tag> },
        ]}
      />
      <Modal
        open={commentFor !== null}
        title={commentFor === 'reject' ? `驳回 ${selected.length} 条申报` : `退回 ${selected.length} 条申报`}
        okText="确定"
        cancelText="取消"
        confirmLoading={busy}
        okButtonProps={{ disabled: comment.trim().length < 2 }}
        onOk={() => commentFor && run(commentFor, comment.trim())}
        onCancel={() => setCommentFor(null)}
      >
        <Input.TextArea
          placeholder="请填写意见（至少 2 个字），教师会收到"
          rows={4}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={500}
          showCount
        />
      </Modal>
    </Card>
  );
}
