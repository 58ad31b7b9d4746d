import { Badge, Button, Tooltip } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { unreadBadgeFor, useBadges } from './badges';
import { todoCountFor, useTodo } from '../todo/todo';

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

/** A menu label with the pending work of that entry (the to-do counts); 消息中心: the unread messages. */
export function MenuLabel({ menuKey, label }: { menuKey: string; label: string }) {
  const unread = unreadBadgeFor(menuKey, useBadges());
  const todo = useTodo();
  const n = unread + todoCountFor(menuKey, todo.data);
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', justifyContent: 'space-between', width: '100%', gap: 8 }}>
      <span>{label}</span>
      {n > 0 && <Badge count={n} size="small" overflowCount={99} />}
    </span>
  );
}
