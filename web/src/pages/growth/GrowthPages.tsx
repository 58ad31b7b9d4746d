import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';

// Issue 13 items 4–5 (growth): 基本功竞赛, 课题, 学历提升. One file per area would follow once the pages grow.

interface Action {
  action: string;
  label: string;
}

// ---------------------------------------------------------------- 基本功竞赛

interface CompetitionRow {
  id: number;
  name: string;
  kindLabel: string;
  year: number;
  statusLabel: string;
  organiserName: string;
  mine: boolean;
}

interface CompetitionDetail extends CompetitionRow {
  status: string;
  actions: Action[];
  rounds: { id: number; seq: number; name: string; heldOn: string }[];
  judges: { id: number; name: string }[];
  entries: { id: number; teacherId: number; teacherName: string; schoolName: string; sourceLabel: string; honourRecorded: boolean }[];
  results: { entryId: number; roundId: number; meanScore: number | null; rank: number | null; awardLabel: string | null; qualifies: boolean }[];
}

/** 基本功竞赛: the organiser creates editions, rounds, judges, moves the state; schools enter teachers. */
export function CompetitionsPage() {
  const { can } = useAuth();
  const list = useQuery({ queryKey: ['competitions'], queryFn: () => api.get<CompetitionRow[]>('/competitions') });
  const [picked, setPicked] = useState<number | null>(null);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {can('competitions.manage') ? <NewCompetition /> : null}
      <Card title="基本功竞赛" size="small">
        {list.error ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={false}
          locale={{ emptyText: '暂无竞赛' }}
          columns={[
            { title: '年度', dataIndex: 'year' },
            { title: '名称', dataIndex: 'name' },
            { title: '类别', dataIndex: 'kindLabel' },
            { title: '主办单位', dataIndex: 'organiserName' },
            { title: '状态', dataIndex: 'statusLabel', render: (s: string) => <Tag>{s}</Tag> },
            {
              title: '',
              key: 'open',
              render: (_, c) => (
                <Button size="small" type="link" onClick={() => setPicked(c.id)}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {picked ? <CompetitionView key={picked} id={picked} /> : null}
    </Space>
  );
}

function NewCompetition() {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { name: string; kind: string; year: number; homeroomOnly?: boolean }) => {
    await api.post('/competitions', {
      series: v.name,
      name: v.name,
      kind: v.kind,
      year: v.year,
      audience: v.kind === 'homeroomSkills' ? { homeroomOnly: true } : {},
    });
    message.success('已新建');
    form.resetFields();
    await invalidate(['competitions']);
  });
  return (
    <Card title="新建一届竞赛" size="small">
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ kind: 'homeroomSkills', year: new Date().getFullYear() }}>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写竞赛名称' }]}>
          <Input placeholder="如 班主任基本功大赛" />
        </Form.Item>
        <Form.Item name="kind" label="类别">
          <Select
            style={{ width: 160 }}
            options={[
              { value: 'homeroomSkills', label: '班主任基本功大赛' },
              { value: 'teachingSkills', label: '教学基本功大赛' },
              { value: 'youngTeacher', label: '青年教师大赛' },
              { value: 'other', label: '其他竞赛' },
            ]}
          />
        </Form.Item>
        <Form.Item name="year" label="年度">
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          新建
        </Button>
      </Form>
    </Card>
  );
}

function CompetitionView({ id }: { id: number }) {
  const { message } = App.useApp();
  const { can } = useAuth();
  const q = useQuery({ queryKey: ['competitions', id], queryFn: () => api.get<CompetitionDetail>(`/competitions/${id}`) });
  const [teacherIds, setTeacherIds] = useState('');
  const [round, setRound] = useState<{ name: string; heldOn: Dayjs | null }>({ name: '', heldOn: null });
  const run = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      message.success(ok);
      await invalidate(['competitions'], ['my']);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const c = q.data;
  if (!c) return null;
  const entryName = new Map(c.entries.map((e) => [e.id, e.teacherName]));
  return (
    <Card title={`${c.year} 年 ${c.name}（${c.statusLabel}）`} size="small">
      <Space wrap style={{ marginBottom: 12 }}>
        {c.actions.map((a) => (
          <Button key={a.action} onClick={() => void run(() => api.post(`/competitions/${id}/${a.action}`), `已${a.label}`)}>
            {a.label}
          </Button>
        ))}
      </Space>
      <Typography.Title level={5}>轮次</Typography.Title>
      <Space wrap>
        {c.rounds.map((r) => (
          <Tag key={r.id}>
            {r.name} {r.heldOn}
          </Tag>
        ))}
        {c.mine && (c.status === 'draft' || c.status === 'open') ? (
          <>
            <Input
              placeholder="轮次名称（初赛/复赛/决赛）"
              value={round.name}
              onChange={(e) => setRound({ ...round, name: e.target.value })}
              style={{ width: 200 }}
            />
            <DatePicker value={round.heldOn} onChange={(d) => setRound({ ...round, heldOn: d })} />
            <Button
              onClick={() =>
                void run(
                  () => api.post(`/competitions/${id}/rounds`, { seq: c.rounds.length + 1, name: round.name, heldOn: round.heldOn?.format('YYYY-MM-DD') }),
                  '已增加轮次',
                )
              }
            >
              增加轮次
            </Button>
          </>
        ) : null}
      </Space>
      {c.status === 'open' && (can('teachers.write') || c.mine) ? (
        <Space style={{ marginTop: 12 }}>
          <Input placeholder="报名教师编号，逗号分隔" value={teacherIds} onChange={(e) => setTeacherIds(e.target.value)} style={{ width: 260 }} />
          <Button
            type="primary"
            onClick={() =>
              void run(
                () =>
                  api.post(`/competitions/${id}/entries`, {
                    teacherIds: teacherIds
                      .split(/[,，\s]+/)
                      .filter(Boolean)
                      .map(Number),
                  }),
                '已报名',
              )
            }
          >
            报名
          </Button>
        </Space>
      ) : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        参赛教师
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.entries}
        locale={{ emptyText: '暂无参赛教师' }}
        columns={[
          { title: '教师', dataIndex: 'teacherName' },
          { title: '学校', dataIndex: 'schoolName' },
          { title: '来源', dataIndex: 'sourceLabel' },
          { title: '荣誉', dataIndex: 'honourRecorded', render: (v: boolean) => (v ? <Tag color="gold">已记入诚信档案</Tag> : null) },
        ]}
      />
      {c.results.length ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            结果
          </Typography.Title>
          <Table
            rowKey={(r) => `${r.roundId}-${r.entryId}`}
            size="small"
            pagination={false}
            dataSource={c.results}
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

// ---------------------------------------------------------------- 课题

interface ResearchRow {
  id: number;
  title: string;
  leaderName: string;
  schoolName: string;
  levelLabel: string;
  categoryLabel: string;
  statusLabel: string;
}

interface ResearchDetail extends ResearchRow {
  plan: string;
  actions: Action[];
  members: { id: number; name: string; roleLabel: string }[];
  outputs: { id: number; kindLabel: string; title: string }[];
  steps: { stepLabel: string; heldOn: string; comment: string | null; statusAfterLabel: string; byOrgName: string | null }[];
}

/** 课题: the list, and a project's page with its steps, members and outputs. */
export function ResearchPage() {
  const list = useQuery({ queryKey: ['research-projects'], queryFn: () => api.get<ResearchRow[]>('/research-projects') });
  const [picked, setPicked] = useState<number | null>(null);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="课题" size="small">
        {list.error ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={false}
          locale={{ emptyText: '暂无课题' }}
          columns={[
            { title: '课题名称', dataIndex: 'title' },
            { title: '主持人', dataIndex: 'leaderName' },
            { title: '学校', dataIndex: 'schoolName' },
            { title: '级别', dataIndex: 'levelLabel' },
            { title: '类别', dataIndex: 'categoryLabel' },
            { title: '状态', dataIndex: 'statusLabel', render: (s: string) => <Tag>{s}</Tag> },
            {
              title: '',
              key: 'open',
              render: (_, r) => (
                <Button size="small" type="link" onClick={() => setPicked(r.id)}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {picked ? <ResearchView key={picked} id={picked} /> : null}
    </Space>
  );
}

function ResearchView({ id }: { id: number }) {
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['research-projects', id], queryFn: () => api.get<ResearchDetail>(`/research-projects/${id}`) });
  const [comment, setComment] = useState('');
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  if (!p) return null;
  const act = async (step: string, result?: string) => {
    try {
      await api.post(`/research-projects/${id}/${step}`, { comment: comment || null, result: result ?? null });
      message.success('已记录');
      setComment('');
      await invalidate(['research-projects']);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card title={`${p.title}（${p.statusLabel}）`} size="small">
      <Typography.Paragraph>
        {p.levelLabel} · {p.categoryLabel} · 主持人 {p.leaderName} · 成员 {p.members.map((m) => m.name).join('、')}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{p.plan}</Typography.Paragraph>
      {p.actions.length ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Input placeholder="意见（不予立项、需改进、终止须填写）" value={comment} onChange={(e) => setComment(e.target.value)} style={{ width: 280 }} />
          {p.actions.map((a) =>
            a.action === 'midterm' ? (
              <Space key={a.action}>
                <Button onClick={() => void act('midterm', 'pass')}>中期检查通过</Button>
                <Button onClick={() => void act('midterm', 'needsWork')}>中期检查需改进</Button>
              </Space>
            ) : (
              <Button key={a.action} onClick={() => void act(a.action)}>
                {a.label}
              </Button>
            ),
          )}
        </Space>
      ) : null}
      <Typography.Title level={5}>成果</Typography.Title>
      {p.outputs.length ? (
        p.outputs.map((o) => <Tag key={o.id}>{`${o.kindLabel}：${o.title}`}</Tag>)
      ) : (
        <Typography.Text type="secondary">暂无成果</Typography.Text>
      )}
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

// ---------------------------------------------------------------- 学历提升

interface PlanRow {
  id: number;
  teacherName: string;
  kindLabel: string;
  targetLabel: string;
  institution: string | null;
  expectedOn: string;
  statusLabel: string;
}

interface MismatchList {
  total: number;
  withPlan: number;
  teachers: {
    teacherId: number;
    name: string;
    schoolName: string;
    subjects: string[];
    qualificationSubject: string | null;
    planKindLabel: string | null;
    expectedOn: string | null;
  }[];
}

/** 学历提升: the teacher's plans (and a new one); the school's plans and its 科证不符 coverage list. */
export function UpgradePage() {
  const { me } = useAuth();
  const teacher = me?.role === 'teacher';
  const plans = useQuery({ queryKey: ['upgrade-plans'], queryFn: () => api.get<PlanRow[]>('/upgrade-plans') });
  const items = [
    {
      key: 'plans',
      label: teacher ? '我的提升计划' : '提升计划',
      children: (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {teacher ? <NewPlan /> : null}
          {plans.error ? <LoadError error={plans.error} onRetry={() => void plans.refetch()} /> : null}
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            loading={plans.isLoading}
            dataSource={plans.data ?? []}
            locale={{ emptyText: '暂无提升计划' }}
            columns={[
              ...(teacher ? [] : [{ title: '教师', dataIndex: 'teacherName' }]),
              { title: '类型', dataIndex: 'kindLabel' },
              { title: '目标', dataIndex: 'targetLabel' },
              { title: '院校/机构', dataIndex: 'institution' },
              { title: '预计完成', dataIndex: 'expectedOn' },
              { title: '状态', dataIndex: 'statusLabel' },
            ]}
          />
        </Space>
      ),
    },
    ...(teacher ? [] : [{ key: 'mismatch', label: '科证不符', children: <MismatchTab /> }]),
  ];
  return <Tabs items={items} />;
}

function NewPlan() {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const kind = Form.useWatch('kind', form) as string | undefined;
  const { busy, submit } = useFormSubmit(
    form,
    async (v: { kind: string; targetEducation?: string; targetSubject?: string; institution?: string; expectedOn: Dayjs }) => {
      await api.post('/upgrade-plans', { ...v, expectedOn: v.expectedOn.format('YYYY-MM-DD') });
      message.success('已登记');
      form.resetFields();
      await invalidate(['upgrade-plans']);
    },
  );
  return (
    <Card title="登记提升计划" size="small">
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ kind: 'degree' }}>
        <Form.Item name="kind" label="类型">
          <Select
            style={{ width: 180 }}
            options={[
              { value: 'degree', label: '学历提升' },
              { value: 'qualification', label: '取得相符的教师资格证' },
            ]}
          />
        </Form.Item>
        {kind === 'qualification' ? (
          <Form.Item name="targetSubject" label="资格证学科">
            <Input style={{ width: 120 }} />
          </Form.Item>
        ) : (
          <Form.Item name="targetEducation" label="目标学历">
            <Select
              style={{ width: 140 }}
              options={[
                { value: 'associate', label: '专科' },
                { value: 'bachelor', label: '本科' },
                { value: 'master', label: '研究生(硕士)' },
                { value: 'doctor', label: '研究生(博士)' },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item name="institution" label="院校/机构">
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="expectedOn" label="预计完成" rules={[{ required: true, message: '请选择预计完成日期' }]}>
          <DatePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          登记
        </Button>
      </Form>
    </Card>
  );
}

function MismatchTab() {
  const q = useQuery({ queryKey: ['qualification-mismatch'], queryFn: () => api.get<MismatchList>('/qualification-mismatch') });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {q.data ? <Typography.Text>{`科证不符 ${q.data.total} 人，已有提升计划 ${q.data.withPlan} 人`}</Typography.Text> : null}
      <Table
        rowKey="teacherId"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.teachers ?? []}
        columns={[
          { title: '教师', dataIndex: 'name' },
          { title: '学校', dataIndex: 'schoolName' },
          { title: '任教学科', dataIndex: 'subjects', render: (s: string[]) => s.join('、') },
          { title: '资格证学科', dataIndex: 'qualificationSubject', render: (s: string | null) => s ?? '无' },
          {
            title: '提升计划',
            dataIndex: 'planKindLabel',
            render: (s: string | null, r) => (s ? `${s}（预计 ${r.expectedOn}）` : <Tag color="red">无计划</Tag>),
          },
        ]}
      />
    </Space>
  );
}
