import { useQuery } from '@tanstack/react-query';
import { Card, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { LoadError, PageLoading } from '../../components/Status';
import { gateColor, type GateDto, type PairDto, type RoundDto } from './types';

interface MyMentoring {
  pairs: PairDto[];
  gates: GateDto[];
  roundsRequired: number;
  cite: string;
  rounds: RoundDto[];
}

/** 我的师徒结对与磨课 (教师, phone-friendly): my mentor or mentees, my 磨课 rounds and my 可独立任教 status. */
export default function MyMentoringPage() {
  const { me: user } = useAuth();
  const { data, error, isPending, refetch } = useQuery({ queryKey: ['my', 'mentoring'], queryFn: () => api.get<MyMentoring>('/my/mentoring') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <PageLoading />;
  const me = user?.teacherId;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title="师徒结对">
        <List
          dataSource={data.pairs}
          locale={{ emptyText: '暂无结对' }}
          renderItem={(p) => (
            <List.Item extra={<Tag color={p.current ? 'green' : 'default'}>{p.stateLabel}</Tag>}>
              <List.Item.Meta
                title={
                  <Link to={`/mentoring/pairs/${p.id}`}>
                    {p.mentee.id === me ? `我的师傅：${p.mentor.name}` : `我的徒弟：${p.mentee.name}`}（{p.subject}）
                  </Link>
                }
                description={`${p.termFrom} 至 ${p.endedOn ?? p.termUntil ?? '—'}`}
              />
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="磨课认定">
        <Typography.Paragraph type="secondary">
          新入职、新任学科教师须经过 {data.roundsRequired} 轮磨课合格，且通过教研室听课评估，方可独立任教（{data.cite}）。
        </Typography.Paragraph>
        <List
          dataSource={data.gates}
          locale={{ emptyText: '—' }}
          renderItem={(g) => (
            <List.Item extra={<Tag color={gateColor(g.state)}>{g.stateLabel}</Tag>}>
              <List.Item.Meta
                title={g.subject}
                description={g.state === 'released' ? `${g.releasedOn} 认定` : g.missing.join('；') || `已合格 ${g.rounds.passed} 轮`}
              />
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="我的磨课">
        <List
          dataSource={data.rounds.filter((r) => !r.superseded)}
          locale={{ emptyText: '暂无磨课记录' }}
          renderItem={(r) => (
            <List.Item extra={<Tag color={r.result === 'passed' ? 'green' : 'red'}>{r.resultLabel}</Tag>}>
              <List.Item.Meta
                title={`${r.heldOn} ${r.subject}《${r.lesson.replace(/^《|》$/g, '')}》`}
                description={
                  <>
                    {r.evaluatorOrgName}
                    {r.total === null ? '' : ` · ${r.total}/${r.max} 分`}
                    {r.comment ? ` · ${r.comment}` : ''}
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
