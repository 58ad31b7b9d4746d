import type { ReactNode } from 'react';
import { Card, Space } from 'antd';
import { useIsMobile } from '../hooks';

/**
 * A page's main card. On phones the header bar already names the page, so the title is dropped and
 * the actions move into the body, where they can wrap without crushing the title.
 */
export default function PageCard({ title, actions, children, testId }: { title: ReactNode; actions?: ReactNode; children: ReactNode; testId?: string }) {
  const mobile = useIsMobile();
  if (mobile)
    return (
      <Card size="small" data-testid={testId}>
        {actions && (
          <Space wrap style={{ marginBottom: 12 }}>
            {actions}
          </Space>
        )}
        {children}
      </Card>
    );
  return (
    <Card title={title} extra={actions && <Space wrap>{actions}</Space>} data-testid={testId}>
      {children}
    </Card>
  );
}
