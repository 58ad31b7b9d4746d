import { useState } from 'react';
import { Button, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import type { MyProject } from '../../api/types';
import AttendanceTag from '../../components/AttendanceTag';
import ApologyButton from '../projects/ApologyButton';
import { STATUS_COLORS } from '../projects/status';
import { LoadError, PageLoading, EmptyState } from '../../components/Status';
import { useApi, useIsMobile } from '../../hooks';
import MyCertificateButton from '../certificates/CertificateButton';
import { CATEGORIES, label, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';

const FINISHED = ['closed', 'evaluated', 'rejected'];

/** 我的培训: projects the teacher is enrolled in, each with its sessions and the teacher's own attendance. */
export default function MyProjectsPage() {
  const mobile = useIsMobile();
  const { data, loading, error, reload } = useApi(() => api.get<MyProject[]>('/my/projects'), []);
  const [filter, setFilter] = useState<'current' | 'done' | 'all' | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  const list = data ?? [];
  if (!list.length)
    return (
      <Card>
        <EmptyState text="您还没有参加任何培训项目" />
      </Card>
    );
  const isDone = (p: MyProject) => FINISHED.includes(p.status);
  const current = list.filter((p) => !isDone(p));
  // Default to what is still going on; a teacher with years of finished projects would scroll forever.
  const f = filter ?? (current.length ? 'current' : 'all');
  const shown = f === 'current' ? current : f === 'done' ? list.filter(isDone) : list;
  const toggle = (id: number) => setExpanded((s) => new Set(s.has(id) ? [...s].filter((x) => x !== id) : [...s, id]));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-projects">
      <Segmented
        block={mobile}
        value={f}
        onChange={(v) => setFilter(v as 'current' | 'done' | 'all')}
        options={[
          { value: 'current', label: `进行中（${current.length}）` },
          { value: 'done', label: `已结束（${list.length - current.length}）` },
          { value: 'all', label: '全部' },
        ]}
      />
      {!shown.length && (
        <Card size="small">
          <EmptyState text="没有项目" />
        </Card>
      )}
      {shown.map((p) => (
        <Card
          key={p.id}
          size={mobile ? 'small' : undefined}
          title={
            <Typography.Text strong style={{ whiteSpace: 'normal' }}>
              {p.name}
            </Typography.Text>
          }
          extra={<Tag color={STATUS_COLORS[p.status]}>{p.statusLabel ?? p.status}</Tag>}
        >
          <Space wrap size={[4, 4]} style={{ marginBottom: 8 }}>
            <Tag>{label(PROJECT_LEVELS, p.level)}</Tag>
            <Tag>{label(PROJECT_FORMS, p.form)}</Tag>
            <Typography.Text type="secondary">{p.orgName}</Typography.Text>
            {['closed', 'evaluated'].includes(p.status) && <MyCertificateButton projectId={p.id} />}
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {p.startDate} 至 {p.endDate} · 计划 {p.targetHours} 学时 · 已出勤 {p.attendedSessions}/{p.sessions.length} 场，{p.attendedHours} 学时
          </Typography.Paragraph>
          {isDone(p) && !expanded.has(p.id) ? (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => toggle(p.id)}>
              查看场次（{p.sessions.length}）
            </Button>
          ) : (
            <List
              size="small"
              dataSource={p.sessions}
              locale={{ emptyText: '暂未安排场次' }}
              renderItem={(s) => (
                <List.Item
                  key={s.id}
                  extra={
                    <Space size={4} wrap>
                      <AttendanceTag s={s} />
                      <ApologyButton session={s} projectStatus={p.status} onChanged={reload} />
                    </Space>
                  }
                >
                  <List.Item.Meta
                    title={s.title}
                    description={`${s.date} ${s.startTime}–${s.endTime}${s.place ? ` · ${s.place}` : ''} · ${s.hours} 学时 · ${label(CATEGORIES, s.category)}`}
                  />
                </List.Item>
              )}
            />
          )}
        </Card>
      ))}
    </Space>
  );
}
