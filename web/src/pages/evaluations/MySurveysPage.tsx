import { Link } from 'react-router-dom';
import { Button, Card, List, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import type { MySurvey } from './types';

/** 我的评价: the anonymous surveys of the projects the teacher attended. */
export default function MySurveysPage() {
  const { data, isPending, error, refetch } = useQuery({ queryKey: ['my', 'surveys'], queryFn: () => api.get<MySurvey[]>('/my/surveys') });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card title="我的评价" data-testid="my-surveys">
      <Typography.Paragraph type="secondary">参加过培训的项目可以匿名评价一次，答卷与您的身份没有任何关联。</Typography.Paragraph>
      <List
        dataSource={data ?? []}
        locale={{ emptyText: <EmptyState text="暂无需要评价的培训项目" /> }}
        renderItem={(s) => (
          <List.Item
            key={s.surveyId}
            actions={[
              s.canAnswer ? (
                <Link key="go" to={`/m/surveys/${s.surveyId}`}>
                  <Button type="primary" size="small">
                    去评价
                  </Button>
                </Link>
              ) : (
                <Tag key="st" color={s.answered ? 'green' : 'default'}>
                  {s.answered ? '已评价' : '已结束'}
                </Tag>
              ),
            ]}
          >
            <List.Item.Meta title={s.projectName} description={`${s.title} · ${s.orgName}`} />
          </List.Item>
        )}
      />
    </Card>
  );
}
