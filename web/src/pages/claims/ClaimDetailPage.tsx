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
import ApproveClaimModal, { type ApproveValues } from './ApproveClaimModal';
import ClaimDuplicates, { duplicateRejectComment } from './ClaimDuplicates';
import ClaimFormModal, { uploadEvidence } from './ClaimFormModal';
import EvidencePreview from './EvidencePreview';
import { claimsChanged } from './query';
import { CLAIM_STATUS_COLORS, MAX_CLAIM_FILES, type ClaimAction, type ClaimDetail } from './types';

const NEEDS_COMMENT: ClaimAction[] = ['return', 'reject'];
const APPROVALS: ClaimAction[] = ['schoolApprove', 'countyApprove'];
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
  const [approving, setApproving] = useState<{ action: ClaimAction; label: string } | null>(null);
  const onError = (e: unknown) => message.error(errorText(e));
  const transition = useMutation({
    mutationFn: (v: ApproveValues) => api.post(`/claims/${id}/transitions`, { ...v, comment: v.comment || undefined }),
    onSuccess: () => {
      message.success('操作成功');
      setCommentFor(null);
      setApproving(null);
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
  const underReview = c.status === 'submitted' || c.status === 'schoolApproved';
  const canReject = c.allowedActions.some((a) => a.action === 'reject');

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
        a.action === 'withdraw' ? (
          <Popconfirm key={a.action} title="撤回这条申报？撤回后不再审核，可重新申报。" okText="撤回" cancelText="取消" onConfirm={() => act('withdraw')}>
            <Button loading={busy}>{a.label}</Button>
          </Popconfirm>
        ) : APPROVALS.includes(a.action) ? (
          <Button key={a.action} type="primary" onClick={() => setApproving({ action: a.action, label: a.label })}>
            {a.label}
          </Button>
        ) : NEEDS_COMMENT.includes(a.action) ? (
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
          <Descriptions.Item label="学时">
            {c.approvedHours !== null ? (
              <span data-testid="claim-approved-hours">
                认定 {c.approvedHours}（申报 {c.hours}）
              </span>
            ) : (
              c.hours
            )}
          </Descriptions.Item>
          <Descriptions.Item label="培训日期">{c.occurredOn}</Descriptions.Item>
          <Descriptions.Item label="提交时间">{fmt(c.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label="说明" span={3}>
            {c.description || '—'}
          </Descriptions.Item>
          {c.hoursReason && (
            <Descriptions.Item label="核减理由" span={3}>
              <span data-testid="claim-hours-reason">{c.hoursReason}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      <ClaimDuplicates
        matches={c.duplicates}
        pending={underReview}
        onRejectAsDuplicate={
          canReject
            ? () => {
                setComment(duplicateRejectComment(c.duplicates));
                setCommentFor({ action: 'reject', label: '按重复驳回' });
              }
            : undefined
        }
      />

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
        <EvidencePreview claimId={c.id} files={c.files} />
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
                {h.hours !== null && h.hours < c.hours && (
                  <div>
                    认定学时：{h.hours}（申报 {c.hours}）
                  </div>
                )}
                {h.comment && <div>意见：{h.comment}</div>}
                {h.duplicateReason && (
                  <div>
                    可能重复（{h.duplicateCount} 条），仍然通过的理由：{h.duplicateReason}
                  </div>
                )}
              </div>
            ),
          }))}
        />
      </Card>

      <ApproveClaimModal
        claim={c}
        action={approving?.action ?? null}
        actionLabel={approving?.label ?? ''}
        busy={busy}
        onOk={(v) => transition.mutate(v)}
        onCancel={() => setApproving(null)}
      />
      <ClaimFormModal open={editing} claim={c} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <Modal
        open={commentFor !== null}
        title={commentFor?.label}
        okText="确定"
        cancelText="取消"
        confirmLoading={busy}
        okButtonProps={{ disabled: comment.trim().length < 2 }}
        onOk={() => commentFor && act(commentFor.action, comment.trim())}
        onCancel={() => {
          setCommentFor(null);
          setComment('');
        }}
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
