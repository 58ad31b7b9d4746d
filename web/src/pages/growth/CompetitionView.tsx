import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, DatePicker, Empty, Input, InputNumber, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import type { Returned } from '../../api/wire';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import TeacherPicker from '../../components/TeacherPicker';
import type { getCompetition } from '../../../../server/src/modules/competitions/competitions.service';
import { day, useRun } from './shared';

type Competition = Returned<typeof getCompetition>;
type Entry = Competition['entries'][number];

const AWARDS = [
  { value: '', label: '无' },
  { value: 'first', label: '一等奖' },
  { value: 'second', label: '二等奖' },
  { value: 'third', label: '三等奖' },
];

/**
 * One edition: the organiser's rounds, judges, state buttons, the judges' score sheets and each round's results;
 * schools (and the organiser) enter teachers with the teacher picker while it is open. Entries re-entered from last
 * year's edition carry the tag 上届未达线自动报名.
 */
export default function CompetitionView({ id }: { id: number }) {
  const { can } = useAuth();
  const q = useQuery({ queryKey: ['competitions', id], queryFn: () => api.get<Competition>(`/competitions/${id}`) });
  const run = useRun(['competitions'], ['my']);
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const c = q.data;
  if (!c) return null;
  const entryName = new Map(c.entries.map((e) => [e.id, e.teacherName]));
  return (
    <Card title={`${c.year} 年 ${c.name}（${c.statusLabel}）`} size="small" data-testid="competition">
      <Typography.Paragraph type="secondary">
        {c.kindLabel} · 主办 {c.organiserName} · 面向 {c.regionName}
        {c.audience.homeroomOnly ? ' · 限班主任' : ''}
        {c.audience.maxTeachingYears ? ` · 教龄 ${c.audience.maxTeachingYears} 年以内` : ''}
        {c.publishedOn ? ` · ${c.publishedOn} 公布` : ''}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        {c.actions.map((a) =>
          a.action === 'publish' ? (
            <Popconfirm
              key={a.action}
              title="公布结果后，获奖教师的奖项记入其诚信档案（荣誉），不能撤回。"
              okText="确认公布"
              cancelText="取消"
              onConfirm={() => run(() => api.post(`/competitions/${id}/publish`), '已公布结果')}
            >
              <Button type="primary">{a.label}</Button>
            </Popconfirm>
          ) : (
            <Button key={a.action} type="primary" onClick={() => void run(() => api.post(`/competitions/${id}/${a.action}`), `已${a.label}`)}>
              {a.label}
            </Button>
          ),
        )}
        {c.mine && c.status === 'open' ? (
          <Button onClick={() => void run(() => api.post(`/competitions/${id}/re-entries`), '已补录上届未达线教师')}>补录上届未达线教师</Button>
        ) : null}
      </Space>
      <Rounds c={c} />
      {c.mine ? <Judges c={c} /> : null}
      {c.status === 'open' && (can('teachers.write') || c.mine) ? <EnterTeachers id={id} /> : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        参赛教师（{c.entries.length} 人）
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.entries}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暂无参赛教师' }}
        columns={[
          { title: '教师', dataIndex: 'teacherName' },
          { title: '学校', dataIndex: 'schoolName' },
          {
            title: '来源',
            dataIndex: 'sourceLabel',
            render: (s: string, e) => (e.source === 'reentry' ? <Tag color="orange">{s}</Tag> : s),
          },
          { title: '荣誉', dataIndex: 'honourRecorded', render: (v: boolean) => (v ? <Tag color="gold">已记入诚信档案</Tag> : null) },
        ]}
      />
      {c.mine && c.status === 'judging' ? (
        <>
          <ScoreSheet c={c} />
          <ResultSheet c={c} />
        </>
      ) : null}
      {c.results.length ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            结果
          </Typography.Title>
          <Table
            data-testid="competition-results"
            rowKey={(r) => `${r.roundId}-${r.entryId}`}
            size="small"
            pagination={false}
            dataSource={c.results}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: '轮次', dataIndex: 'roundId', render: (r: number) => c.rounds.find((x) => x.id === r)?.name },
              { title: '教师', dataIndex: 'entryId', render: (e: number) => entryName.get(e) },
              { title: '平均分', dataIndex: 'meanScore' },
              { title: '名次', dataIndex: 'rank' },
              { title: '奖项', dataIndex: 'awardLabel' },
              { title: '晋级', dataIndex: 'qualifies', render: (v: boolean) => (v ? '是' : '否') },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

function Rounds({ c }: { c: Competition }) {
  const run = useRun(['competitions']);
  const [name, setName] = useState('');
  const [heldOn, setHeldOn] = useState<Dayjs | null>(null);
  const add = async () => {
    const seq = (c.rounds.at(-1)?.seq ?? 0) + 1;
    if (await run(() => api.post(`/competitions/${c.id}/rounds`, { seq, name, heldOn: day(heldOn) }), '已增加轮次')) {
      setName('');
      setHeldOn(null);
    }
  };
  return (
    <>
      <Typography.Title level={5}>轮次</Typography.Title>
      <Space wrap>
        {c.rounds.length ? (
          c.rounds.map((r) => (
            <Tag key={r.id}>
              {r.name} {r.heldOn}
            </Tag>
          ))
        ) : (
          <Typography.Text type="secondary">尚未设置轮次</Typography.Text>
        )}
        {c.mine && (c.status === 'draft' || c.status === 'open') ? (
          <>
            <Input placeholder="轮次名称（初赛/复赛/决赛）" value={name} onChange={(e) => setName(e.target.value)} style={{ width: 200 }} />
            <DatePicker placeholder="比赛日期" value={heldOn} onChange={setHeldOn} />
            <Button onClick={() => void add()}>增加轮次</Button>
          </>
        ) : null}
      </Space>
    </>
  );
}

/** 评委: experts by name (an account-holding judge is added through the API with its user id). */
function Judges({ c }: { c: Competition }) {
  const run = useRun(['competitions']);
  const [name, setName] = useState('');
  const add = async () => {
    if (await run(() => api.post(`/competitions/${c.id}/judges`, { expertName: name }), '已增加评委')) setName('');
  };
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        评委
      </Typography.Title>
      <Space wrap>
        {c.judges.length ? c.judges.map((j) => <Tag key={j.id}>{j.name}</Tag>) : <Typography.Text type="secondary">尚未设置评委</Typography.Text>}
        {c.status !== 'published' ? (
          <>
            <Input placeholder="评委（专家）姓名" value={name} onChange={(e) => setName(e.target.value)} style={{ width: 160 }} />
            <Button onClick={() => void add()}>增加评委</Button>
          </>
        ) : null}
      </Space>
    </>
  );
}

function EnterTeachers({ id }: { id: number }) {
  const run = useRun(['competitions']);
  const [teacherIds, setTeacherIds] = useState<number[]>([]);
  const enter = async () => {
    if (await run(() => api.post(`/competitions/${id}/entries`, { teacherIds }), '已报名')) setTeacherIds([]);
  };
  return (
    <Space.Compact style={{ marginTop: 12, width: '100%', maxWidth: 640 }}>
      <TeacherPicker value={teacherIds} onChange={setTeacherIds} />
      <Button type="primary" disabled={!teacherIds.length} onClick={() => void enter()}>
        报名
      </Button>
    </Space.Compact>
  );
}

/** Entries of a round: every entry in the first round, those who went on (晋级) in a later one. */
function entriesOf(c: Competition, roundId: number | null): Entry[] {
  const i = c.rounds.findIndex((r) => r.id === roundId);
  if (i <= 0) return c.entries;
  const prev = c.rounds[i - 1].id;
  const on = new Set(c.results.filter((r) => r.roundId === prev && r.qualifies).map((r) => r.entryId));
  return c.entries.filter((e) => on.has(e.id));
}

/** One judge's score sheet for one round (0–100); saving again supersedes that judge's earlier scores. */
function ScoreSheet({ c }: { c: Competition }) {
  const run = useRun(['competitions']);
  const [roundId, setRoundId] = useState<number | null>(c.rounds[0]?.id ?? null);
  const [judgeId, setJudgeId] = useState<number | null>(c.judges[0]?.id ?? null);
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const key = (entryId: number) => `${roundId}-${judgeId}-${entryId}`;
  const saved = (entryId: number) => c.scores.find((s) => s.roundId === roundId && s.judgeId === judgeId && s.entryId === entryId)?.score ?? null;
  const value = (entryId: number) => (key(entryId) in edits ? edits[key(entryId)] : saved(entryId));
  const entries = entriesOf(c, roundId);
  const save = async () => {
    const scores = entries.flatMap((e) => {
      const v = value(e.id);
      return v === null || v === undefined ? [] : [{ entryId: e.id, score: v }];
    });
    await run(() => api.post(`/competitions/${c.id}/scores`, { roundId, judgeId, scores }), '已保存评分');
  };
  return (
    <Card size="small" title="录入评分" style={{ marginTop: 16 }} data-testid="score-sheet">
      {!c.judges.length ? (
        <Empty description="请先增加评委" />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Radio.Group value={roundId} onChange={(e) => setRoundId(e.target.value)} options={c.rounds.map((r) => ({ value: r.id, label: r.name }))} />
          <Radio.Group
            value={judgeId}
            onChange={(e) => setJudgeId(e.target.value)}
            optionType="button"
            options={c.judges.map((j) => ({ value: j.id, label: `评委 ${j.name}` }))}
          />
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={entries}
            locale={{ emptyText: '本轮没有参赛教师' }}
            columns={[
              { title: '教师', dataIndex: 'teacherName' },
              { title: '学校', dataIndex: 'schoolName' },
              {
                title: '分数（0–100）',
                key: 'score',
                render: (_, e) => (
                  <InputNumber
                    aria-label={`${e.teacherName} 分数`}
                    min={0}
                    max={100}
                    value={value(e.id)}
                    onChange={(v) => setEdits({ ...edits, [key(e.id)]: v })}
                  />
                ),
              },
            ]}
          />
          <Button type="primary" onClick={() => void save()}>
            保存评分
          </Button>
        </Space>
      )}
    </Card>
  );
}

/** A round's results: mean over the judges (rank computed by the server), the award, and 晋级 (not in the last round). */
function ResultSheet({ c }: { c: Competition }) {
  const run = useRun(['competitions']);
  const [roundId, setRoundId] = useState<number | null>(c.rounds[0]?.id ?? null);
  const [edits, setEdits] = useState<Record<string, { award: string; qualifies: boolean }>>({});
  const last = c.rounds.at(-1)?.id === roundId;
  const entries = entriesOf(c, roundId);
  const row = (entryId: number) => {
    const k = `${roundId}-${entryId}`;
    if (edits[k]) return edits[k];
    const r = c.results.find((x) => x.roundId === roundId && x.entryId === entryId);
    return { award: r?.award ?? '', qualifies: r?.qualifies ?? false };
  };
  const set = (entryId: number, v: Partial<{ award: string; qualifies: boolean }>) =>
    setEdits({ ...edits, [`${roundId}-${entryId}`]: { ...row(entryId), ...v } });
  const mean = (entryId: number) => {
    const xs = c.scores.filter((s) => s.roundId === roundId && s.entryId === entryId).map((s) => s.score);
    return xs.length ? Math.round((xs.reduce((a, x) => a + x, 0) / xs.length) * 100) / 100 : null;
  };
  const save = () =>
    run(
      () =>
        api.post(`/competitions/${c.id}/results`, {
          roundId,
          results: entries.map((e) => ({ entryId: e.id, award: row(e.id).award || null, qualifies: !last && row(e.id).qualifies })),
        }),
      '已保存结果',
    );
  return (
    <Card size="small" title="录入结果" style={{ marginTop: 16 }} data-testid="result-sheet">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group value={roundId} onChange={(e) => setRoundId(e.target.value)} options={c.rounds.map((r) => ({ value: r.id, label: r.name }))} />
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={[...entries].sort((a, b) => (mean(b.id) ?? -1) - (mean(a.id) ?? -1))}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '本轮没有参赛教师' }}
          columns={[
            { title: '教师', dataIndex: 'teacherName' },
            { title: '平均分', key: 'mean', render: (_, e) => mean(e.id) ?? '未评分' },
            {
              title: '奖项',
              key: 'award',
              render: (_, e) => (
                <Radio.Group
                  aria-label={`${e.teacherName} 奖项`}
                  size="small"
                  optionType="button"
                  value={row(e.id).award}
                  onChange={(x) => set(e.id, { award: x.target.value })}
                  options={AWARDS}
                />
              ),
            },
            {
              title: '晋级下一轮',
              key: 'qualifies',
              render: (_, e) => (
                <Checkbox disabled={last} checked={!last && row(e.id).qualifies} onChange={(x) => set(e.id, { qualifies: x.target.checked })}>
                  晋级
                </Checkbox>
              ),
            },
          ]}
        />
        <Button type="primary" disabled={!entries.length} onClick={() => void save()}>
          保存结果
        </Button>
      </Space>
    </Card>
  );
}
