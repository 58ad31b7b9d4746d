import type { ReactNode } from 'react';
import { Card } from 'antd';
import { useIsMobile } from '../../hooks';

/** A single card centred on the page (sign-in steps), full width on a phone. */
export default function AuthCardLayout({ title, children, testId }: { title: ReactNode; children: ReactNode; testId: string }) {
  const mobile = useIsMobile();
  return (
    <div
      style={{
        minHeight: '100vh',
        background: '#f5f7fa',
        display: 'flex',
        justifyContent: 'center',
        alignItems: mobile ? 'flex-start' : 'center',
        padding: mobile ? '24px 12px' : 24,
      }}
    >
      <Card title={title} style={{ width: '100%', maxWidth: 460 }} data-testid={testId}>
        {children}
      </Card>
    </div>
  );
}
