import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Image,
  Input,
  List,
  Modal,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { recordsChanged } from './query';
import { CHANGE_STATUS_COLORS, type ChangeDetail, type ChangeDto, type Completeness } from './types';

interface ChangePage {
  items: ChangeDto[];
  total: number;
}

const at = (s: string | null) => (s ? s.replace('T', ' ').slice(0, 16) : '—');

/** One change under review: field by field before → after, the evidence to look at, the steps so far, 审核通过 / 退回. */
function ChangeReview({ id, onDone }: { id: number; onDone: () => void }) {
  const { message } = App.useApp();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const { data, error, isLoading, refetch } = useQuery({
    queryKey: ['records', 'changes', id],
    queryFn: () => api.get<ChangeDetail>(`/records/changes/${id}`),
  });
  const act = useMutation({
    mutationFn: (v: { action: 'approve' | 'return'; comment?: string }) => api.post(`/records/changes/${id}/transitions`, v),
    onSuccess: (_r, v) => {
      message.success(v.action === 'approve' ? '已审核通过，变更已生效' : '已退回，教师会收到退回原因');
      setReturning(false);
      setReason('');
      onDone();
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: recordsChanged,
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !data) return <PageLoading />;
  const can = (a: string) => data.allowedActions.some((x) => x.action === a);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="教师">
          <Link to={`/records/teachers/${data.teacherId}`}>{data.teacherName}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="学校">{data.orgName}</Descriptions.Item>
        <Descriptions.Item label="栏目">{data.sectionLabel}</Descriptions.Item>
        <Descriptions.Item label="变更">
          {data.kindLabel} <Tag color={CHANGE_STATUS_COLORS[data.status]}>{data.statusLabel}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="报送时间">{at(data.submittedAt)}</Descriptions.Item>
        <Descriptions.Item label="说明">{data.note || '—'}</Descriptions.Item>
      </Descriptions>
      {data.returnReason && data.status !== 'approved' && <Alert type="warning" showIcon title={`上次退回原因：${data.returnReason}`} />}
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={data.compare}
        data-testid="change-compare"
        onRow={(r) => ({ style: r.changed ? { background: '#fffbe6' } : undefined })}
        columns={[
          { title: '项目', dataIndex: 'label', width: 140 },
          { title: '原值', dataIndex: 'before', render: (v: string | null) => v ?? <Typography.Text type="secondary">（新增）</Typography.Text> },
          {
            title: '新值',
            dataIndex: 'after',
            render: (v: string | null, r) => (v === null ? <Typography.Text type="danger">（删除）</Typography.Text> : r.changed ? <strong>{v}</strong> : v),
          },
        ]}
      />
      <Card size="small" title={`证明材料（${data.files.length}）`}>
        {data.files.length ? (
          <Space wrap size={12}>
            {data.files.map((f) =>
              f.kind === 'pdf' ? (
                <a key={f.id} href={apiUrl(`/records/changes/${id}/files/${f.id}`)} target="_blank" rel="noreferrer">
                  <FilePdfOutlined /> {f.name}
                </a>
              ) : (
                <Image key={f.id} width={160} src={apiUrl(`/records/changes/${id}/files/${f.id}`)} alt={f.name} />
              ),
            )}
          </Space>
        ) : (
          <Typography.Text type="secondary">未上传证明材料</Typography.Text>
        )}
      </Card>
      <Timeline
        items={data.history.map((h) => ({
          children: (
            <span>
              {at(h.at)} {h.userName ?? ''} {h.actionLabel}
              {h.comment ? `：${h.comment}` : ''}
            </span>
          ),
        }))}
      />
      {(can('approve') || can('return')) && (
        <Space>
          <Button type="primary" loading={act.isPending} onClick={() => act.mutate({ action: 'approve' })}>
            审核通过
          </Button>
          <Button danger onClick={() => setReturning(true)}>
            退回
          </Button>
        </Space>
      )}
      <Modal
        open={returning}
        title="退回变更"
        okText="退回"
        cancelText="取消"
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        confirmLoading={act.isPending}
        onOk={() => act.mutate({ action: 'return', comment: reason.trim() })}
        onCancel={() => setReturning(false)}
      >
        <Input.TextArea
          rows={4}
          maxLength={500}
          showCount
          placeholder="退回原因（至少 2 个字），教师会看到"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Space>
  );
}

/**
 * 档案审核: the school's 信息管理员 reviews the changes teachers 报送 (oldest first) and sees how complete the school's
 * records are. Readers above (school admin, county) see the same without the buttons.
 */
export default function RecordReviewPage() {
  const mobile = useIsMobile();
  const [filter, setFilter] = useState<'pending' | 'all'>('pending');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const query = { pending: filter === 'pending' ? 1 : 0, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['records', 'changes', 'list', query],
    queryFn: () => api.get<ChangePage>('/records/changes', query),
    placeholderData: keepPreviousData,
  });
  const comp = useQuery({ queryKey: ['records', 'completeness'], queryFn: () => api.get<Completeness>('/records/completeness') });
  if (list.error) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  const c = comp.data;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title="档案完整性">
        {c ? (
          <Row gutter={[16, 8]}>
            <Col xs={12} md={3}>
              <Statistic title="在职教师" value={c.teachers} />
            </Col>
            <Col xs={12} md={3}>
              <Statistic title="档案完整" value={c.complete} />
            </Col>
            <Col xs={12} md={3}>
              <Statistic title="待审核变更" value={c.pendingChanges} />
            </Col>
            {c.missingBySection.map((m) => (
              <Col xs={12} md={3} key={m.section}>
                <Statistic title={`缺${m.label}`} value={m.count} />
              </Col>
            ))}
            <Col xs={12} md={3}>
              <Statistic title="缺证明材料" value={c.missingEvidence} />
            </Col>
          </Row>
        ) : (
          <PageLoading />
        )}
        {c && c.incomplete.length > 0 && (
          <details style={{ marginTop: 12 }}>
            <summary>档案不完整的教师（{c.teachers - c.complete}）</summary>
            <List
              size="small"
              dataSource={c.incomplete}
              renderItem={(t) => (
                <List.Item>
                  <Link to={`/records/teachers/${t.teacherId}`}>{t.teacherName}</Link>（{t.orgName}）：{t.missing.join('；')}
                </List.Item>
              )}
            />
          </details>
        )}
      </Card>
      <Card
        size="small"
        title="档案审核"
        extra={
          <Segmented
            value={filter}
            onChange={(v) => {
              setFilter(v as 'pending' | 'all');
              setPage(1);
            }}
            options={[
              { value: 'pending', label: '待审核' },
              { value: 'all', label: '全部' },
            ]}
          />
        }
      >
        <Table<ChangeDto>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={mobile ? { x: 760 } : undefined}
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
          locale={{ emptyText: filter === 'pending' ? '没有待审核的档案变更' : '暂无档案变更' }}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '报送时间', dataIndex: 'submittedAt', width: 150, render: (v: string | null) => at(v) },
            { title: '教师', dataIndex: 'teacherName', width: 100 },
            { title: '学校', dataIndex: 'orgName', width: 160, ellipsis: true },
            { title: '栏目', dataIndex: 'sectionLabel', width: 110 },
            { title: '变更', dataIndex: 'kindLabel', width: 70 },
            {
              title: '条目',
              dataIndex: 'title',
              render: (t: string, r) => (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>
                  {t}
                </Button>
              ),
            },
            { title: '材料', dataIndex: 'fileCount', width: 60 },
            { title: '状态', dataIndex: 'status', width: 90, render: (_: string, r) => <Tag color={CHANGE_STATUS_COLORS[r.status]}>{r.statusLabel}</Tag> },
          ]}
        />
      </Card>
      <Drawer open={open !== null} onClose={() => setOpen(null)} size={mobile ? '100%' : 720} title="档案变更审核" destroyOnHidden>
        {open !== null && <ChangeReview id={open} onDone={() => setOpen(null)} />}
      </Drawer>
    </Space>
  );
}
