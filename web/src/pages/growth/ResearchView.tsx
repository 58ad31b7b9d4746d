import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Tag, Timeline, Typography } from 'antd';
import { api } from '../../api/client';
import type { Returned } from '../../api/wire';
import { LoadError } from '../../components/Status';
import type { getProject } from '../../../../server/src/modules/research/research.service';
import { useRun } from './shared';

type Project = Returned<typeof getProject>;

const OUTPUT_KINDS = [
  { value: 'paper', label: '论文' },
  { value: 'lesson', label: '课例' },
  { value: 'report', label: '研究报告' },
  { value: 'other', label: '其他成果' },
];

/** A project: members, plan, the reviewer's steps (立项 … 结题), the leader's outputs, and the history of steps. */
export default function ResearchView({ id }: { id: number }) {
  const q = useQuery({ queryKey: ['research-projects', id], queryFn: () => api.get<Project>(`/research-projects/${id}`) });
  const run = useRun(['research-projects']);
  const [comment, setComment] = useState('');
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  if (!p) return null;
  const act = async (step: string, label: string, result?: 'pass' | 'needsWork') => {
    if (await run(() => api.post(`/research-projects/${id}/${step}`, { comment: comment || null, result: result ?? null }), `已${label}`)) setComment('');
  };
  return (
    <Card title={`${p.title}（${p.statusLabel}）`} size="small" data-testid="research-project">
      <Typography.Paragraph>
        {p.levelLabel} · {p.category === 'aiTeaching' ? <Tag color="purple">{p.categoryLabel}</Tag> : p.categoryLabel} · 审批 {p.approvingName}
      </Typography.Paragraph>
      <Typography.Paragraph>
        {p.members.map((m) => (
          <Tag key={m.id}>{`${m.roleLabel} ${m.name}`}</Tag>
        ))}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
        {p.plan}
      </Typography.Paragraph>
      {p.actions.length ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Input placeholder="意见（不予立项、需改进、终止须填写）" value={comment} onChange={(e) => setComment(e.target.value)} style={{ width: 280 }} />
          {p.actions.map((a) =>
            a.action === 'midterm' ? (
              <Space key={a.action}>
                <Button onClick={() => void act('midterm', '记录中期检查', 'pass')}>中期检查通过</Button>
                <Button onClick={() => void act('midterm', '记录中期检查', 'needsWork')}>中期检查需改进</Button>
              </Space>
            ) : (
              <Button key={a.action} danger={a.action === 'reject' || a.action === 'terminate'} onClick={() => void act(a.action, a.label)}>
                {a.label}
              </Button>
            ),
          )}
        </Space>
      ) : null}
      <Typography.Title level={5}>研究成果</Typography.Title>
      <Space wrap>
        {p.outputs.length ? (
          p.outputs.map((o) => <Tag key={o.id}>{`${o.kindLabel}：${o.title}`}</Tag>)
        ) : (
          <Typography.Text type="secondary">暂无成果（结题前须登记至少一项）</Typography.Text>
        )}
      </Space>
      {p.mayAddOutput ? <OutputForm id={id} /> : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        过程记录
      </Typography.Title>
      <Timeline
        items={p.steps.map((s) => ({
          children: `${s.heldOn} ${s.stepLabel} → ${s.statusAfterLabel}${s.byOrgName ? `（${s.byOrgName}）` : ''}${s.comment ? `：${s.comment}` : ''}`,
        }))}
      />
    </Card>
  );
}

function OutputForm({ id }: { id: number }) {
  const run = useRun(['research-projects']);
  const [kind, setKind] = useState('paper');
  const [title, setTitle] = useState('');
  const add = async () => {
    if (await run(() => api.post(`/research-projects/${id}/outputs`, { kind, title }), '已登记成果')) setTitle('');
  };
  return (
    <Space wrap style={{ marginTop: 8 }}>
      <Select value={kind} onChange={setKind} options={OUTPUT_KINDS} style={{ width: 120 }} />
      <Input placeholder="成果名称" value={title} onChange={(e) => setTitle(e.target.value)} style={{ width: 260 }} />
      <Button onClick={() => void add()}>登记成果</Button>
    </Space>
  );
}
