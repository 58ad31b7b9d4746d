import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import type { Returned } from '../../api/wire';
import type { enrollableDetail } from '../../../../server/src/modules/projects/enrol-requests.service';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label, PROJECT_FORMS, PROJECT_LEVELS } from '../../vocab';
import { projectsChanged } from './query';

type ProjectBrief = Returned<typeof enrollableDetail>;

const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'green', rejected: 'red', withdrawn: 'default', replaced: 'default' };

/**
 * 项目详情 a teacher reads before enrolling (from 报名): aims, content, sessions with time and place, hours and the
 * categories it credits, organiser, seats left and the deadline — then 报名 from here. Phone first: one column,
 * lists instead of wide tables.
 */
export default function ProjectBriefPage() {
  const id = Number(useParams().id);
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { data: p, isPending, error, refetch } = useQuery({ queryKey: ['my', 'enrollable', id], queryFn: () => api.get<ProjectBrief>(`/my/enrollable/${id}`) });
  const act = useMutation({
    mutationFn: (what: 'apply' | 'withdraw') =>
      what === 'apply' ? api.post(`/projects/${id}/self-enrol`) : api.post(`/projects/${id}/self-enrol/withdraw`, {}),
    onSuccess: (_, what) => {
      message.success(what === 'apply' ? '已提交报名，等待学校审核' : '已撤销报名');
      void projectsChanged();
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;

  const seats = p.capacity === null ? '不限' : `${p.seatsLeft} / ${p.capacity}`;
  const deadline = p.enrolDeadline ? `${p.enrolDeadline}${p.enrolClosed ? '（已截止）' : ''}` : '项目开始实施前';
  return (
    <Space orientation="vertical" size={mobile ? 12 : 16} style={{ width: '100%' }} data-testid="project-brief">
      <Card
        size={mobile ? 'small' : undefined}
        title={
          <Typography.Text strong style={{ whiteSpace: 'normal' }}>
            {p.name}
          </Typography.Text>
        }
        extra={p.myStatus ? <Tag color={STATUS_COLOR[p.myStatus]}>{p.myStatusLabel}</Tag> : null}
      >
        <Space wrap size={[4, 4]} style={{ marginBottom: 12 }}>
          <Tag>{label(PROJECT_LEVELS, p.level)}</Tag>
          <Tag>{label(PROJECT_FORMS, p.form)}</Tag>
          {p.categories.map((c) => (
            <Tag key={c} color="blue">
              {label(CATEGORIES, c)}
            </Tag>
          ))}
        </Space>
        <Descriptions column={1} size="small" bordered={!mobile}>
          <Descriptions.Item label="组织单位">{p.orgName}</Descriptions.Item>
          <Descriptions.Item label="培训时间">
            {p.startDate} 至 {p.endDate}
          </Descriptions.Item>
          <Descriptions.Item label="培训地点">{p.places.length ? p.places.join('；') : '待定（场次排定后公布）'}</Descriptions.Item>
          <Descriptions.Item label="认定学时">
            {p.targetHours} 学时（{p.categories.map((c) => label(CATEGORIES, c)).join('、')}）
          </Descriptions.Item>
          <Descriptions.Item label="面向对象">{p.audienceText}</Descriptions.Item>
          <Descriptions.Item label="剩余名额">{seats}</Descriptions.Item>
          <Descriptions.Item label="报名截止">{deadline}</Descriptions.Item>
        </Descriptions>
        {p.eligibility && <Alert type="warning" showIcon style={{ marginTop: 12 }} title={p.eligibility} />}
        <Space wrap style={{ marginTop: 12, width: '100%' }}>
          {p.canApply && (
            <Button
              type="primary"
              block={mobile}
              disabled={!!p.eligibility || p.seatsLeft === 0}
              loading={act.isPending}
              onClick={() => act.mutate('apply')}
              data-testid="brief-apply"
            >
              {p.myStatus ? '重新报名' : '报名'}
            </Button>
          )}
          {p.canWithdraw && (
            <Popconfirm title="确定撤销报名？" okText="撤销" cancelText="取消" onConfirm={() => act.mutate('withdraw')}>
              <Button loading={act.isPending}>撤销报名</Button>
            </Popconfirm>
          )}
          {p.assigned && <Typography.Text type="secondary">由学校或教育局选派；不能参加时请在「我的培训」中为场次请假</Typography.Text>}
          {!p.canApply && !p.myStatus && p.enrolClosed && <Typography.Text type="secondary">报名已截止</Typography.Text>}
          <Link to="/my/enrol">返回可报名项目</Link>
        </Space>
      </Card>
      <Card size={mobile ? 'small' : undefined} title="培训目标">
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{p.aims || '组织单位未填写培训目标，请参考培训内容。'}</Typography.Paragraph>
      </Card>
      <Card size={mobile ? 'small' : undefined} title="培训内容">
        <List
          size="small"
          dataSource={p.plan}
          renderItem={(m, i) => (
            <List.Item extra={<span>{m.hours} 学时</span>}>
              <List.Item.Meta title={`${i + 1}. ${m.title}`} description={label(CATEGORIES, m.category)} />
            </List.Item>
          )}
        />
      </Card>
      <Card size={mobile ? 'small' : undefined} title={`日程安排（${p.sessions.length} 场）`}>
        <List
          size="small"
          locale={{ emptyText: '场次尚未排定' }}
          dataSource={p.sessions}
          data-testid="brief-sessions"
          renderItem={(s) => (
            <List.Item>
              <List.Item.Meta
                title={<span style={{ whiteSpace: 'normal' }}>{s.title}</span>}
                description={
                  <>
                    <div>
                      {s.date} {s.startTime}–{s.endTime} · {s.hours} 学时 · {label(CATEGORIES, s.category)}
                    </div>
                    <div>{s.place}</div>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
