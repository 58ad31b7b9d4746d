import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, List, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';

import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { ActivityButton, AssessButton, CheckinControl, fmt, MemberButton, OutputButton, PlanCard, StepButton, WithdrawButton } from './StudioActions';
import { statusColor, type StudioPageDto, type WorkDto, type YearDto } from './studio-types';
import { chinaToday, chinaYear } from '../../china-time';

/** 工作室 page (phone-friendly): members, activities with their check-in, outputs, the year against its duties, history. */
export default function StudioPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const mobile = useIsMobile();
  const s = useQuery({ queryKey: ['studios', id], queryFn: () => api.get<StudioPageDto>(`/studios/${id}`) });
  const work = useQuery({ queryKey: ['studios', id, 'work'], queryFn: () => api.get<WorkDto>(`/studios/${id}/work`) });
  const year = chinaYear();
  const summary = useQuery({ queryKey: ['studios', id, 'year', year], queryFn: () => api.get<YearDto>(`/studios/${id}/years/${year}`) });
  if (s.error) return <LoadError error={s.error} onRetry={() => void s.refetch()} />;
  if (!s.data) return <Card loading />;
  const st = s.data;
  const active = st.status === 'named' || st.status === 'warned';
  const runs = st.runs && active;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space wrap>
            {st.name}
            <Tag color={statusColor(st.status)}>{st.statusLabel}</Tag>
          </Space>
        }
        extra={
          <Space wrap>
            {st.actions.map((a) => (
              <StepButton key={a.action} studio={st} action={a.action} label={a.label} />
            ))}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="类型">{st.kindLabel}</Descriptions.Item>
          <Descriptions.Item label="级别">{st.levelLabel}</Descriptions.Item>
          <Descriptions.Item label="主持人">{st.hostName}</Descriptions.Item>
          <Descriptions.Item label="所在学校">{st.baseOrgName}</Descriptions.Item>
          <Descriptions.Item label="命名单位">{st.namingOrgName}</Descriptions.Item>
          <Descriptions.Item label="命名期限">{st.termFrom ? `${st.termFrom} 至 ${st.termUntil}` : '—'}</Descriptions.Item>
          {st.reviewComment ? <Descriptions.Item label="评审意见">{st.reviewComment}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'activities',
            label: '活动',
            children: (
              <Card size="small" extra={runs ? <ActivityButton studioId={id} /> : null}>
                <List
                  loading={work.isPending}
                  dataSource={work.data?.activities ?? []}
                  locale={{ emptyText: '暂无活动' }}
                  itemLayout={mobile ? 'vertical' : 'horizontal'}
                  renderItem={(a) => (
                    <List.Item
                      data-testid={`activity-${a.id}`}
                      actions={
                        runs && !a.withdrawn
                          ? [
                              ...(a.sessionId ? [<CheckinControl key="c" studioId={id} activity={a} />] : []),
                              ...(a.attended === 0
                                ? [<WithdrawButton key="w" path={`/studios/${id}/activities/${a.id}/withdraw`} what="活动" studioId={id} />]
                                : []),
                            ]
                          : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <Space wrap>
                            <Tag>{a.kindLabel}</Tag>
                            {a.title}
                            {a.withdrawn ? <Tag>已撤回</Tag> : null}
                          </Space>
                        }
                        description={`${a.heldOn} · ${a.mode === 'online' ? '线上' : `线下 · ${a.place ?? ''}`}${a.ledByName ? ` · 主讲 ${a.ledByName}` : ''}${a.sessionId ? ` · 已签到 ${a.attended} 人` : ''}`}
                      />
                    </List.Item>
                  )}
                />
                {work.data?.yearProjects.length ? (
                  <Space orientation="vertical" size={4} style={{ marginTop: 8 }} data-testid="year-projects">
                    {work.data.yearProjects.map((y) => (
                      <Typography.Text key={y.year} type="secondary">
                        {y.year} 年度研修项目（签到活动的学时由命名单位认定）：
                        {can('projects.manage') ? <Link to={`/projects/${y.projectId}`}>{y.statusLabel}</Link> : y.statusLabel}
                      </Typography.Text>
                    ))}
                  </Space>
                ) : null}
              </Card>
            ),
          },
          {
            key: 'plan',
            label: '年度计划',
            children: <PlanCard studioId={id} year={year} runs={!!runs} plans={work.data?.plans ?? []} />,
          },
          {
            key: 'members',
            label: '成员',
            children: (
              <Card size="small" extra={runs ? <MemberButton studioId={id} /> : null}>
                <List
                  dataSource={st.members}
                  renderItem={(m) => (
                    <List.Item
                      actions={
                        runs && !m.leftOn && m.role !== 'host'
                          ? [
                              <Popconfirm
                                key="l"
                                title={`${m.name}今天退出工作室？`}
                                onConfirm={async () => {
                                  await api.post(`/studios/${id}/members/${m.teacherId}/leave`, { leftOn: fmt(chinaToday()) });
                                  await invalidate(['studios', id]);
                                }}
                              >
                                <Button size="small">退出</Button>
                              </Popconfirm>,
                            ]
                          : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <Space>
                            {m.name}
                            <Tag>{m.roleLabel}</Tag>
                          </Space>
                        }
                        description={`${m.orgName} · ${m.joinedOn} 加入${m.leftOn ? ` · ${m.leftOn} 退出` : ''}`}
                      />
                    </List.Item>
                  )}
                />
              </Card>
            ),
          },
          {
            key: 'outputs',
            label: '成果',
            children: (
              <Card size="small" extra={runs ? <OutputButton studio={st} /> : null}>
                <List
                  dataSource={work.data?.outputs ?? []}
                  locale={{ emptyText: '暂无成果' }}
                  renderItem={(o) => (
                    <List.Item
                      actions={
                        runs && !o.withdrawn ? [<WithdrawButton key="w" path={`/studios/${id}/outputs/${o.id}/withdraw`} what="成果" studioId={id} />] : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <Space wrap>
                            <Tag>{o.kindLabel}</Tag>
                            {o.title}
                            {o.withdrawn ? <Tag>已撤回</Tag> : null}
                          </Space>
                        }
                        description={`${o.producedOn}${o.teacherName ? ` · ${o.teacherName}` : ''}`}
                      />
                    </List.Item>
                  )}
                />
              </Card>
            ),
          },
          {
            key: 'year',
            label: '年度考核',
            children: (
              <Card
                size="small"
                title={`${year} 年度职责`}
                extra={st.actions.length || (can('studios.manage') && active) ? <AssessButton studioId={id} /> : null}
              >
                {summary.data ? (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    {summary.data.items.map((i) => (
                      <div key={i.key}>
                        <Tag color={i.met ? 'green' : 'orange'}>{i.met ? '已完成' : '未完成'}</Tag>
                        {i.label}：{i.actual} / {i.required}
                      </div>
                    ))}
                    <Typography.Text type="secondary">依据：{summary.data.source}</Typography.Text>
                  </Space>
                ) : null}
                <List
                  style={{ marginTop: 12 }}
                  header="历年考核"
                  dataSource={work.data?.assessments ?? []}
                  locale={{ emptyText: '暂无考核' }}
                  renderItem={(a) => (
                    <List.Item>
                      {a.year} 年：{a.gradeLabel}（{a.outcomeLabel}）{a.comment ? ` · ${a.comment}` : ''}
                    </List.Item>
                  )}
                />
              </Card>
            ),
          },
          {
            key: 'history',
            label: '历程',
            children: (
              <List
                size="small"
                dataSource={st.history}
                renderItem={(h) => (
                  <List.Item>
                    {h.onDate} {h.label} → {h.toLabel}
                    {h.comment ? `：${h.comment}` : ''}
                    {h.userName ? `（${h.userName}）` : ''}
                  </List.Item>
                )}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}
