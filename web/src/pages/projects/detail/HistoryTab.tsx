import { Timeline, Typography } from 'antd';
import { api } from '../../../api/client';
import type { ProjectHistoryEntry } from '../../../api/types';
import { EmptyState, LoadError, PageLoading } from '../../../components/Status';
import { dateTime as time } from '../../../format';
import { useApi } from '../../../hooks';
import { BACKWARD } from './shared';

/** 流转记录 tab: every lifecycle step with who, when and the comment. */
export default function HistoryTab({ id }: { id: number }) {
  const { data, loading, error, reload } = useApi(() => api.get<ProjectHistoryEntry[]>(`/projects/${id}/history`), [id]);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data?.length) return <EmptyState text="暂无流转记录" />;
  return (
    <Timeline
      data-testid="project-history"
      items={data.map((h) => ({
        key: h.id,
        color: BACKWARD.has(h.action) ? 'red' : 'blue',
        content: (
          <div>
            <Typography.Text strong>{h.actionLabel}</Typography.Text>{' '}
            {h.fromLabel && h.fromLabel !== h.toLabel && (
              <Typography.Text type="secondary">
                （{h.fromLabel} → {h.toLabel}）
              </Typography.Text>
            )}
            <div style={{ fontSize: 13, color: 'rgba(0,0,0,.55)' }}>
              {time(h.at)} · {h.orgName ?? ''} {h.userName ?? ''}
            </div>
            {h.comment && <div style={{ marginTop: 4 }}>意见：{h.comment}</div>}
          </div>
        ),
      }))}
    />
  );
}
