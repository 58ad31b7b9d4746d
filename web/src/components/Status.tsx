import type { ReactNode } from 'react';
import { Button, Empty, Result, Spin } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError, errorText } from '../api/client';

export function PageLoading({ tip = '加载中…' }: { tip?: string }) {
  return (
    <div style={{ padding: 80, textAlign: 'center' }} data-testid="page-loading">
      <Spin size="large" description={tip} />
    </div>
  );
}

/** A failed page load: 404/403 get their own wording, everything else the server's message and a retry. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiError && error.status === 404)
    return <Result status="404" title="未找到" subTitle={error.message} extra={<Link to="/">返回首页</Link>} />;
  if (error instanceof ApiError && error.status === 403)
    return <Result status="403" title="无权访问" subTitle={error.message} extra={<Link to="/">返回首页</Link>} />;
  return <Result status="error" title="加载失败" subTitle={errorText(error)} extra={onRetry && <Button onClick={onRetry}>重试</Button>} />;
}

export function EmptyState({ text = '暂无数据', children }: { text?: string; children?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text}>
      {children}
    </Empty>
  );
}

export function Forbidden() {
  return <Result status="403" title="无权访问" subTitle="您的角色无权访问此页面" extra={<Link to="/">返回首页</Link>} />;
}

export function NotFoundPage() {
  return <Result status="404" title="页面不存在" subTitle="您访问的页面不存在" extra={<Link to="/">返回首页</Link>} />;
}
