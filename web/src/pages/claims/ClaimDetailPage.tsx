import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Input, List, Modal, Popconfirm, Space, Tag, Timeline, Typography, Upload } from 'antd';
import { DeleteOutlined, EditOutlined, FileImageOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label } from '../../vocab';
import ClaimFormModal, { uploadEvidence } from './ClaimFormModal';
import { claimsChanged } from './query';
import { CLAIM_STATUS_COLORS, MAX_CLAIM_FILES, type ClaimAction, type ClaimDetail } from './types';

const NEEDS_COMMENT: ClaimAction[] = ['return', 'reject'];
const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');
const kb = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

/** One claim: details, evidence (download; add/remove while editable), history, and the allowed actions as buttons. */
export default function ClaimDetailPage() {
  const { id } = useParams();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { data: c, isPending, error, refetch } = useQuery({ queryKey: ['claims', Number(id)], queryFn: () => api.get<ClaimDetail>(`/claims/${id}`) });
  const [editing, setEditing] = useState(false);
  const [commentFor, setCommentFor] = useState<{ action: ClaimAction; label: string } | null>(null);
  const [comment, setComment] = useState('');
  const onError = (e: unknown) => message.error(errorText(e));
  const transition = useMutation({
    mutationFn: (v: { action: ClaimAction; comment?: string }) => api.post(`/claims/${id}/transitions`, { action: v.action, comment: v.comment || undefined }),
    onSuccess: () => {
      message.success('操作成功');
      setCommentFor(null);
      setComment('');
    },
    onError,
    onSettled: claimsChanged,
  });
  const removeFile = useMutation({
    mutationFn: (fileId: number) => api.del(`/claims/${id}/files/${fileId}`),
    onError,
    onSettled: claimsChanged,
  });
  const del = useMutation({
    mutationFn: () => api.del(`/claims/${id}`),
    onSuccess: () => {
      message.success('草稿已删除');
      nav('/my/claims');
    },
    onError,
    onSettled: claimsChanged,
  });

  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const busy = transition.isPending;
  const act = (action: ClaimAction, text?: string) => transition.mutate({ action, comment: text });

  const heading = (
    <Space wrap>
      <span style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>学时申报：{c.title}</span>
      <Tag color={CLAIM_STATUS_COLORS[c.status]} data-testid="claim-status">
        {c.statusLabel}
      </Tag>
    </Space>
  );
  const actions = (
    <Space wrap>
      {c.editable && (
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
          修改
        </Button>
      )}
      {c.editable && c.status === 'draft' && (
        <Popconfirm title="删除这条草稿？" okText="删除" cancelText="取消" onConfirm={() => del.mutate()}>
          <Button danger icon={<DeleteOutlined />}>
            删除
          </Button>
        </Popconfirm>
      )}
      {c.allowedActions.map((a) =>
        NEEDS_COMMENT.includes(a.action) ? (
          <Button key={a.action} danger={a.action === 'reject'} onClick={() => setCommentFor({ action: a.action, label: a.label })}>
            {a.label}
          </Button>
        ) : (
          <Button key={a.action} type="primary" loading={busy} onClick={() => act(a.action)}>
            {a.label}
          </Button>
        ),
      )}
    </Space>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {/* On a phone the title wraps in the body with the actions under it: in the card head it was cut to a few characters. */}
      <Card title={mobile ? undefined : heading} extra={mobile ? undefined : actions}>
        {mobile && (
          <Space orientation="vertical" size={8} style={{ width: '100%', marginBottom: 12 }}>
            <Typography.Text strong>{heading}</Typography.Text>
            {actions}
          </Space>
        )}
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label="教师">{c.teacherName}</Descriptions.Item>
          <Descriptions.Item label="学校">{c.orgName}</Descriptions.Item>
          <Descriptions.Item label="培训类别">{label(CATEGORIES, c.category)}</Descriptions.Item>
          <Descriptions.Item label="学时">{c.hours}</Descriptions.Item>
          <Descriptions.Item label="培训日期">{c.occurredOn}</Descriptions.Item>
          <Descriptions.Item label="提交时间">{fmt(c.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label="说明" span={3}>
            {c.description || '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card
        title={`证明材料（${c.files.length}）`}
        extra={
          c.editable && c.files.length < MAX_CLAIM_FILES ? (
            <Upload
              accept=".pdf,.png,.jpg,.jpeg"
              showUploadList={false}
              customRequest={({ file, onSuccess, onError }) => {
                uploadEvidence(c.id, file as File).then(
                  () => {
                    onSuccess?.(null);
                    void claimsChanged();
                  },
                  (e: unknown) => {
                    message.error(errorText(e));
                    onError?.(e as Error);
                  },
                );
              }}
            >
              <Button icon={<UploadOutlined />}>上传材料</Button>
            </Upload>
          ) : null
        }
      >
        <List
          dataSource={c.files}
          locale={{ emptyText: '尚未上传证明材料' }}
          renderItem={(f) => (
            <List.Item
              actions={[
                <a key="dl" href={apiUrl(`/claims/${c.id}/files/${f.id}`)} target="_blank" rel="noreferrer">
                  下载
                </a>,
                c.editable ? (
                  <Popconfirm key="rm" title="删除这个材料？" okText="删除" cancelText="取消" onConfirm={() => removeFile.mutate(f.id)}>
                    <Typography.Link>删除</Typography.Link>
                  </Popconfirm>
                ) : null,
              ].filter(Boolean)}
            >
              <Space>
                {f.kind === 'pdf' ? <FilePdfOutlined style={{ color: '#d4380d' }} /> : <FileImageOutlined style={{ color: '#1677ff' }} />}
                <span>{f.name}</span>
                <Typography.Text type="secondary">{kb(f.size)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>

      <Card title="审核记录">
        <Timeline
          items={c.history.map((h) => ({
            color: h.to === 'rejected' ? 'red' : h.to === 'returned' ? 'orange' : h.to === 'countyApproved' ? 'green' : 'blue',
            content: (
              <div>
                <Space wrap>
                  <strong>{h.actionLabel}</strong>
                  <span>→ {h.toLabel}</span>
                  <Typography.Text type="secondary">
                    {h.userName ?? ''} · {fmt(h.at)}
                  </Typography.Text>
                </Space>
                {h.comment && <div>意见：{h.comment}</div>}
              </div>
            ),
          }))}
        />
      </Card>

      <ClaimFormModal open={editing} claim={c} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <Modal
        open={commentFor !== null}
        title={commentFor?.label}
        okText="确定"
        cancelText="取消"
        confirmLoading={busy}
        okButtonProps={{ disabled: comment.trim().length < 2 }}
        onOk={() => commentFor && act(commentFor.action, comment.trim())}
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
    </Space>
  );
}
