import { Badge, Button, Tooltip } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { badgeFor, useBadges } from './badges';

/** The header bell: unread count (polled every 60 s), opens the inbox. */
export default function NotificationBell() {
  const badges = useBadges();
  const nav = useNavigate();
  return (
    <Tooltip title={badges.total ? `${badges.total} 条未读消息` : '消息中心'}>
      <Badge count={badges.total} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button
          type="text"
          aria-label="消息中心"
          data-testid="notification-bell"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          onClick={() => nav('/notifications')}
        />
      </Badge>
    </Tooltip>
  );
}

/** A menu label with the unread count of the kinds that entry is about. */
export function MenuLabel({ menuKey, label }: { menuKey: string; label: string }) {
  const n = badgeFor(menuKey, useBadges());
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', justifyContent: 'space-between', width: '100%', gap: 8 }}>
      <span>{label}</span>
      {n > 0 && <Badge count={n} size="small" overflowCount={99} />}
    </span>
  );
}
