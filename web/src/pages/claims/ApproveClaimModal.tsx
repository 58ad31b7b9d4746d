import { useEffect, useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { CATEGORIES, label } from '../../vocab';
import type { ClaimAction, ClaimDetail } from './types';

export interface ApproveValues {
  action: ClaimAction;
  comment?: string;
  hours?: number;
  duplicateReason?: string;
}

/** "将写入学时：张三 8 学时（类别…，年度…）" — what the final approval writes to the ledger. */
export const ledgerSummary = (teacherName: string, hours: number, category: string, occurredOn: string) =>
  `将写入学时：${teacherName} ${hours} 学时（${label(CATEGORIES, category)}，${occurredOn.slice(0, 4)} 年度，${occurredOn}）`;

/**
 * Approve one claim: the hours approved (at most the hours claimed or already approved; fewer needs a
 * reason the teacher sees), a reason when it looks like a duplicate, and at the final (county) step the
 * summary of what will be written to the ledger, confirmed by the OK button.
 */
export default function ApproveClaimModal({
  claim,
  action,
  actionLabel,
  busy,
  onOk,
  onCancel,
}: {
  claim: ClaimDetail;
  action: ClaimAction | null;
  actionLabel: string;
  busy: boolean;
  onOk: (v: ApproveValues) => void;
  onCancel: () => void;
}) {
  const max = claim.approvedHours ?? claim.hours;
  const [hours, setHours] = useState<number | null>(max);
  const [comment, setComment] = useState('');
  const [duplicateReason, setDuplicateReason] = useState('');
  useEffect(() => {
    if (action) {
      setHours(claim.approvedHours ?? claim.hours);
      setComment('');
      setDuplicateReason('');
    }
  }, [action, claim.approvedHours, claim.hours]);
  const final = action === 'countyApprove';
  const lowered = hours !== null && hours < max;
  const needsDuplicateReason = claim.duplicates.length > 0;
  const invalid =
    hours === null || hours <= 0 || hours > max || (lowered && comment.trim().length < 2) || (needsDuplicateReason && duplicateReason.trim().length < 2);

  return (
    <Modal
      open={action !== null}
      title={actionLabel}
      okText={final ? '确认写入' : '确认通过'}
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ disabled: invalid }}
      onOk={() =>
        action &&
        hours !== null &&
        onOk({
          action,
          hours: lowered ? hours : undefined,
          comment: comment.trim() || undefined,
          duplicateReason: needsDuplicateReason ? duplicateReason.trim() : undefined,
        })
      }
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item
          label="认定学时"
          extra={`申报 ${claim.hours} 学时${claim.approvedHours !== null ? `，已核定 ${claim.approvedHours} 学时` : ''}；认定学时不能超过 ${max}`}
          validateStatus={hours !== null && hours > max ? 'error' : undefined}
        >
          <InputNumber aria-label="认定学时" min={0.1} max={max} step={0.5} precision={1} value={hours} onChange={(v) => setHours(v)} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={lowered ? '核减理由（必填，教师会看到）' : '意见（可选）'} required={lowered}>
          <Input.TextArea
            aria-label="审核意见"
            rows={3}
            maxLength={500}
            showCount
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder={lowered ? '例如：证书显示线下集中研修 8 学时' : ''}
          />
        </Form.Item>
        {needsDuplicateReason && (
          <Form.Item label="仍然通过的理由（可能重复，必填）" required>
            <Input.TextArea
              aria-label="仍然通过的理由"
              rows={2}
              maxLength={500}
              value={duplicateReason}
              onChange={(e) => setDuplicateReason(e.target.value)}
              placeholder="例如：平台记录为线上部分，本申报为线下集中研修"
            />
          </Form.Item>
        )}
      </Form>
      {final && hours !== null && hours > 0 && hours <= max && (
        <Alert type="info" showIcon data-testid="ledger-summary" title={ledgerSummary(claim.teacherName, hours, claim.category, claim.occurredOn)} />
      )}
      {!final && <Typography.Text type="secondary">通过后转区县审核，区县审核通过时写入学时档案。</Typography.Text>}
    </Modal>
  );
}
