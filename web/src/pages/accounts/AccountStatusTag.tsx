import { Space, Tag, Tooltip, Typography } from 'antd';
import { ACCOUNT_STATUS, type AccountStatus } from './api';

const COLORS: Record<AccountStatus, string> = { none: 'default', mustChange: 'gold', active: 'green', noRole: 'orange', deactivated: 'red' };

/** An account's state as a tag; the reason (why it is stopped, what is pending) under it or in a tooltip. */
export default function AccountStatusTag({ status, reason, inline = false }: { status: AccountStatus; reason?: string | null; inline?: boolean }) {
  const tag = (
    <Tag color={COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid={`account-status-${status}`}>
      {ACCOUNT_STATUS[status]}
    </Tag>
  );
  if (!reason) return tag;
  if (inline)
    return (
      <Space orientation="vertical" size={0}>
        {tag}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {reason}
        </Typography.Text>
      </Space>
    );
  return <Tooltip title={reason}>{tag}</Tooltip>;
}
