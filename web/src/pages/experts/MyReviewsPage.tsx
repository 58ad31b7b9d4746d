import { Alert, App, Button, Card, Descriptions, Form, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { invalidate, queryClient } from '../../api/query';
import PageCard from '../../components/PageCard';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { CATEGORIES, label, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';
import ScoreFields from './ScoreFields';
import type { ReviewDto } from './types';

interface ScoreForm {
  criteria: Record<string, number>;
  comment?: string;
}

const REVIEWS = ['my', 'reviews'];
const period = (r: ReviewDto) => (r.startDate ? `${r.startDate} 至 ${r.endDate ?? '—'}` : '—');

/** One assigned project: its summary (as the pool's project page shows it) and the expert's own score form. */
function ReviewCard({ review, onSaved }: { review: ReviewDto; onSaved: (r: ReviewDto) => void }) {
  const [form] = Form.useForm<ScoreForm>();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const { busy, submit } = useFormSubmit(form, async (v: ScoreForm) => {
    const r = await api.put<ReviewDto>(`/my/reviews/${review.projectId}/score`, { criteria: v.criteria, comment: v.comment?.trim() ?? '' });
    message.success(`已提交对「${review.name}」的评分：${r.score?.total ?? ''} 分`);
    onSaved(r);
  });
  const s = review.score;
  return (
    <Card
      size="small"
      data-testid={`review-${review.projectId}`}
      title={
        <Space wrap size={6}>
          <span>{review.name}</span>
          <Tag color={review.open ? 'processing' : 'default'}>{review.statusLabel}</Tag>
        </Space>
      }
      extra={s ? <Tag color={s.byExpert ? 'green' : 'orange'}>{s.byExpert ? `已评分 ${s.total}` : `管理员代录 ${s.total}`}</Tag> : <Tag>未评分</Tag>}
    >
      <Descriptions size="small" column={mobile ? 1 : 3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="项目编号">{review.code}</Descriptions.Item>
        <Descriptions.Item label="承办单位">{review.orgName}</Descriptions.Item>
        <Descriptions.Item label="培训时间">{period(review)}</Descriptions.Item>
        <Descriptions.Item label="级别 / 形式">
          {label(PROJECT_LEVELS, review.level)} · {label(PROJECT_FORMS, review.form)}
        </Descriptions.Item>
        <Descriptions.Item label="计划学时">{review.targetHours}</Descriptions.Item>
        <Descriptions.Item label="培训类别">{review.categories.map((c) => label(CATEGORIES, c)).join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label="场次">{review.sessionCount}</Descriptions.Item>
        <Descriptions.Item label="参训人数">{review.enrolled}</Descriptions.Item>
        <Descriptions.Item label="出勤率">{review.attendanceRate === null ? '—' : `${(review.attendanceRate * 100).toFixed(1)}%`}</Descriptions.Item>
      </Descriptions>
      {review.plan.length > 0 && (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          style={{ marginBottom: 12 }}
          dataSource={review.plan}
          columns={[
            { title: '培训方案模块', dataIndex: 'title' },
            { title: '类别', dataIndex: 'category', width: 120, render: (v: string) => label(CATEGORIES, v) },
            { title: '学时', dataIndex: 'hours', width: 70, align: 'right' },
          ]}
        />
      )}
      {review.closedReason && <Alert type="info" showIcon title={review.closedReason} style={{ marginBottom: 12 }} />}
      {s && !s.byExpert && <Alert type="warning" showIcon title="当前评分由管理员按评分表代录；您提交后将以本人评分为准。" style={{ marginBottom: 12 }} />}
      <Form<ScoreForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={!review.open}
        initialValues={{ criteria: s?.criteria ?? {}, comment: s?.comment ?? '' }}
        data-testid={`review-form-${review.projectId}`}
      >
        <ScoreFields commentPlaceholder="对方案设计、师资、实施与效果的意见（选填）" />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={busy}>
            {s?.byExpert ? '修改评分' : '提交评分'}
          </Button>
          <Typography.Text type="secondary">各项 0–100 分，总分为各项平均；评估结束前可修改。</Typography.Text>
        </Space>
      </Form>
    </Card>
  );
}

/** 我的评审: the projects the signed-in expert is assigned to, each with its summary and the score form. */
export default function MyReviewsPage() {
  const { data, isPending, error, refetch } = useQuery({ queryKey: REVIEWS, queryFn: () => api.get<{ items: ReviewDto[] }>('/my/reviews') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending) return <PageLoading />;
  const items = data.items;
  // The answer is the saved review: show it at once; the project's evaluation and the scorecards count the score.
  const saved = (r: ReviewDto) => {
    queryClient.setQueryData<{ items: ReviewDto[] }>(REVIEWS, (d) => d && { items: d.items.map((x) => (x.projectId === r.projectId ? r : x)) });
    void invalidate(['projects', r.projectId], ['evaluations']);
  };
  return (
    <PageCard title="我的评审" testId="my-reviews">
      {items.length === 0 ? (
        <EmptyState text="暂无指派给您的评审项目" />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {items.map((r) => (
            <ReviewCard key={`${r.projectId}-${r.score?.recordedAt ?? ''}`} review={r} onSaved={saved} />
          ))}
        </Space>
      )}
    </PageCard>
  );
}
