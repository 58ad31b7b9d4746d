import { Link } from 'react-router-dom';
import { Alert, Badge, Button, Card, List, Typography } from 'antd';
import { CheckCircleOutlined, RightOutlined } from '@ant-design/icons';
import { errorText } from '../../api/client';
import { useIsMobile } from '../../hooks';
import { useTodo, type TodoItem } from './todo';
import { chinaDateOf, chinaToday } from '../../china-time';

/** "最早一件已等 3 天" — or, for quotas, the deadline (the earliest start date). */
function since(i: TodoItem): string {
  if (!i.oldestAt) return '';
  if (i.kind === 'nominations' || i.kind === 'keyTeacherNominations') return `最早截止 ${chinaDateOf(i.oldestAt).format('YYYY-MM-DD')}`;
  const days = chinaToday().diff(chinaDateOf(i.oldestAt), 'day');
  return days <= 0 ? '最早一件：今天' : `最早一件已等 ${days} 天`;
}

/**
 * 待办中心: what waits for me, in the role I act in — each kind with its real count (from the work, not from
 * messages), the longest-waiting first, one click to the page where it is done.
 */
export default function TodoCard({ onlyWithWork = false }: { onlyWithWork?: boolean }) {
  const mobile = useIsMobile();
  const todo = useTodo();
  const items = (todo.data?.items ?? []).filter((i) => i.count > 0);
  // On a page that is not the home page (a role's start page), the card shows only when something waits.
  if (onlyWithWork && items.length === 0) return null;
  return (
    <Card
      title={<span>待办中心 {todo.data && todo.data.total > 0 && <Badge count={todo.data.total} overflowCount={999} style={{ marginLeft: 4 }} />}</span>}
      size={mobile ? 'small' : undefined}
      loading={todo.isPending}
      data-testid="todo-centre"
      style={onlyWithWork ? { marginBottom: 16 } : undefined}
    >
      {todo.error ? (
        <Alert type="warning" showIcon title={`待办事项暂不可用：${errorText(todo.error)}`} />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary" data-testid="todo-empty">
          <CheckCircleOutlined style={{ color: '#52c41a', marginRight: 6 }} />
          暂无待办事项
        </Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(i) => (
            <List.Item
              key={i.kind}
              data-testid={`todo-${i.kind}`}
              extra={
                <Link to={i.link}>
                  <Button type="link" size="small">
                    去处理 <RightOutlined />
                  </Button>
                </Link>
              }
            >
              <List.Item.Meta
                title={
                  <Link to={i.link} style={{ color: 'inherit' }}>
                    {i.label} <Badge count={i.count} overflowCount={999} color="#fa541c" data-testid="todo-count" />
                  </Link>
                }
                description={since(i)}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
