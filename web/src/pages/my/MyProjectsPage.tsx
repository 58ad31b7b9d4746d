import { Card, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import type { MyProject, Page } from '../../api/types';
import { LoadError, PageLoading, EmptyState } from '../../components/Status';
import { useApi, useIsMobile } from '../../hooks';
import { CATEGORIES, label, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';

type MySession = MyProject['sessions'][number];

function AttendanceTag({ s }: { s: MySession }) {
  const today = dayjs().format('YYYY-MM-DD');
  if (s.present) return <Tag color="success">已签到</Tag>;
  if (s.date > today) return <Tag>未开始</Tag>;
  if (s.date === today) return <Tag color="processing">今日</Tag>;
  return <Tag color="error">未签到</Tag>;
}

/** 我的培训: projects the teacher is enrolled in, each with its sessions and the teacher's own attendance. */
export default function MyProjectsPage() {
  const mobile = useIsMobile();
  const { data, loading, error, reload } = useApi(() => api.get<MyProject[] | Page<MyProject>>('/my/projects'), []);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  const list = Array.isArray(data) ? data : (data?.items ?? []);
  if (!list.length) return <Card><EmptyState text="您还没有参加任何培训项目" /></Card>;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-projects">
      {list.map((p) => {
        const attended = p.sessions.filter((s) => s.present).length;
        return (
          <Card
            key={p.id}
            size={mobile ? 'small' : undefined}
            title={<Typography.Text strong style={{ whiteSpace: 'normal' }}>{p.name}</Typography.Text>}
            extra={p.status === 'closed' ? <Tag>已结项</Tag> : <Tag color="green">进行中</Tag>}
          >
            <Space wrap size={[4, 4]} style={{ marginBottom: 8 }}>
              {p.level && <Tag>{label(PROJECT_LEVELS, p.level)}</Tag>}
              {p.form && <Tag>{label(PROJECT_FORMS, p.form)}</Tag>}
              {(p.categories ?? []).map((c) => <Tag color="blue" key={c}>{label(CATEGORIES, c)}</Tag>)}
            </Space>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {p.startDate && `${p.startDate} 至 ${p.endDate}`}
              {p.targetHours ? ` · 计划 ${p.targetHours} 学时` : ''} · 已出勤 {attended}/{p.sessions.length} 场
            </Typography.Paragraph>
            <List
              size="small"
              dataSource={[...p.sessions].sort((a, b) => (a.date + (a.startTime ?? '')).localeCompare(b.date + (b.startTime ?? '')))}
              locale={{ emptyText: '暂未安排场次' }}
              renderItem={(s) => (
                <List.Item key={s.id} extra={<AttendanceTag s={s} />}>
                  <List.Item.Meta
                    title={s.title}
                    description={`${s.date}${s.startTime ? ` ${s.startTime}–${s.endTime ?? ''}` : ''}${s.place ? ` · ${s.place}` : ''}${s.hours ? ` · ${s.hours} 学时` : ''}`}
                  />
                </List.Item>
              )}
            />
          </Card>
        );
      })}
    </Space>
  );
}
