import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Returned } from '../../api/wire';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { OneTeacherPicker } from '../../components/TeacherPicker';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { SUBJECT_OPTIONS } from '../../vocab';
import type { getPlan, listPlans, mismatchList } from '../../../../server/src/modules/research/upgrade.service';
import { day, useRun } from './shared';

type PlanRow = Returned<typeof listPlans>[number];
type Plan = Returned<typeof getPlan>;
type MismatchList = Returned<typeof mismatchList>;

const EDUCATION_TARGETS = [
  { value: 'associate', label: '专科' },
  { value: 'bachelor', label: '本科' },
  { value: 'master', label: '研究生(硕士)' },
  { value: 'doctor', label: '研究生(博士)' },
];

/**
 * 学历提升 (issue 13 item 5): the teacher's plans on a phone (a new plan, progress, asking to confirm completion);
 * the school's plans with the completion requests to approve (its to-do 学校待审核的学历提升完成申请), and its
 * 科证不符 coverage list.
 */
export function UpgradePage() {
  const { me } = useAuth();
  const teacher = me?.role === 'teacher';
  const plans = useQuery({ queryKey: ['upgrade-plans'], queryFn: () => api.get<PlanRow[]>('/upgrade-plans') });
  const [picked, setPicked] = useState<number | null>(null);
  const items = [
    {
      key: 'plans',
      label: teacher ? '我的提升计划' : '提升计划',
      children: (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <NewPlan onCreated={setPicked} />
          {plans.error ? <LoadError error={plans.error} onRetry={() => void plans.refetch()} /> : null}
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            loading={plans.isLoading}
            dataSource={plans.data ?? []}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: '暂无提升计划' }}
            onRow={(r) => ({ onClick: () => setPicked(r.id), style: { cursor: 'pointer' } })}
            columns={[
              ...(teacher ? [] : [{ title: '教师', dataIndex: 'teacherName' }]),
              { title: '目标', dataIndex: 'targetLabel' },
              { title: '预计完成', dataIndex: 'expectedOn' },
              {
                title: '状态',
                dataIndex: 'statusLabel',
                render: (s: string, r: PlanRow) => (
                  <Space size={4}>
                    <Tag color={r.status === 'completed' ? 'green' : undefined}>{s}</Tag>
                    {r.completionRequested ? <Tag color="orange">{teacher ? '待学校审核' : '待审核完成'}</Tag> : null}
                  </Space>
                ),
              },
              {
                title: '',
                key: 'open',
                render: (_: unknown, r: PlanRow) => (
                  <Button size="small" type="link" onClick={() => setPicked(r.id)}>
                    查看
                  </Button>
                ),
              },
            ]}
          />
          {picked ? <PlanView key={picked} id={picked} /> : null}
        </Space>
      ),
    },
    ...(teacher ? [] : [{ key: 'mismatch', label: '科证不符', children: <MismatchTab /> }]),
  ];
  return <Tabs items={items} />;
}

interface PlanValues {
  teacherId?: number;
  kind: string;
  targetEducation?: string;
  targetSubject?: string;
  institution?: string;
  expectedOn: Dayjs;
}

/** 登记提升计划: the teacher for itself, the school for one of its teachers. */
function NewPlan({ onCreated }: { onCreated: (id: number) => void }) {
  const { me } = useAuth();
  const teacher = me?.role === 'teacher';
  const mobile = useIsMobile();
  const [form] = Form.useForm<PlanValues>();
  const { message } = App.useApp();
  const kind = Form.useWatch('kind', form);
  const { busy, submit } = useFormSubmit(form, async (v: PlanValues) => {
    const r = await api.post<{ id: number }>('/upgrade-plans', {
      teacherId: teacher ? null : (v.teacherId ?? null),
      kind: v.kind,
      targetEducation: v.kind === 'degree' ? v.targetEducation : null,
      targetSubject: v.kind === 'qualification' ? v.targetSubject : null,
      institution: v.institution || null,
      expectedOn: day(v.expectedOn),
    });
    message.success('已登记提升计划');
    form.resetFields();
    await invalidate(['upgrade-plans'], ['qualification-mismatch']);
    onCreated(r.id);
  });
  return (
    <Card title="登记提升计划" size="small">
      <Form form={form} layout={mobile ? 'vertical' : 'inline'} onFinish={submit} initialValues={{ kind: 'degree' }}>
        {teacher ? null : (
          <Form.Item name="teacherId" label="教师" rules={[{ required: true, message: '请选择教师' }]}>
            <OneTeacherPicker status="active" testId="upgrade-teacher" />
          </Form.Item>
        )}
        <Form.Item name="kind" label="类型">
          <Select
            style={{ minWidth: 180 }}
            options={[
              { value: 'degree', label: '学历提升' },
              { value: 'qualification', label: '取得相符的教师资格证' },
            ]}
          />
        </Form.Item>
        {kind === 'qualification' ? (
          <Form.Item name="targetSubject" label="资格证学科" rules={[{ required: true, message: '请选择资格证学科' }]}>
            <Select showSearch options={SUBJECT_OPTIONS} style={{ minWidth: 120 }} />
          </Form.Item>
        ) : (
          <Form.Item name="targetEducation" label="目标学历" rules={[{ required: true, message: '请选择目标学历' }]}>
            <Select options={EDUCATION_TARGETS} style={{ minWidth: 140 }} />
          </Form.Item>
        )}
        <Form.Item name="institution" label="院校/机构">
          <Input maxLength={100} style={{ minWidth: 180 }} />
        </Form.Item>
        <Form.Item name="expectedOn" label="预计完成" rules={[{ required: true, message: '请选择预计完成日期' }]}>
          <DatePicker placeholder="预计完成日期" style={{ width: mobile ? '100%' : undefined }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block={mobile}>
          登记
        </Button>
      </Form>
    </Card>
  );
}

/** A plan: its progress, a new progress note, the completion request (teacher) or record (school), the school's approval. */
function PlanView({ id }: { id: number }) {
  const { me, can } = useAuth();
  const teacher = me?.role === 'teacher';
  const q = useQuery({ queryKey: ['upgrade-plans', id], queryFn: () => api.get<Plan>(`/upgrade-plans/${id}`) });
  const run = useRun(['upgrade-plans'], ['qualification-mismatch'], ['teachers']);
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  if (!p) return null;
  const pending = p.pendingCompletion;
  return (
    <Card size="small" title={`${p.teacherName}：${p.targetLabel}`} data-testid="upgrade-plan">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'kind', label: '类型', children: p.kindLabel },
          { key: 'inst', label: '院校/机构', children: p.institution ?? '—' },
          { key: 'exp', label: '预计完成', children: p.expectedOn },
          { key: 'status', label: '状态', children: p.completedOn ? `${p.statusLabel}（${p.completedOn} 取得）` : p.statusLabel },
        ]}
      />
      {pending ? (
        <Alert
          style={{ margin: '12px 0' }}
          type="warning"
          showIcon
          title={`${teacher ? '已申请确认完成，等待学校审核' : '教师申请确认完成'}：${pending.achievedOn} 取得`}
          action={
            p.mayApprove ? (
              <Button type="primary" onClick={() => void run(() => api.post(`/upgrade-plans/${id}/approve`), '已审核通过，已记入教师档案')}>
                审核通过
              </Button>
            ) : null
          }
        />
      ) : null}
      {p.status === 'active' ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <ProgressForm id={id} />
          {teacher && pending ? null : <CompletionForm id={id} qualification={p.kind === 'qualification'} school={!teacher && can('teachers.write')} />}
        </Space>
      ) : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        进展记录
      </Typography.Title>
      <Timeline
        items={p.progress.map((s) => ({
          color: s.kind === 'completed' ? 'green' : s.kind === 'completionRequested' ? 'orange' : 'blue',
          children: `${s.at.slice(0, 10)} ${s.kindLabel}${s.byName ? `（${s.byName}）` : ''}${s.note ? `：${s.note}` : ''}${s.achieved?.achievedOn ? `，${s.achieved.achievedOn} 取得` : ''}`,
        }))}
      />
    </Card>
  );
}

function ProgressForm({ id }: { id: number }) {
  const run = useRun(['upgrade-plans']);
  const [note, setNote] = useState('');
  const add = async () => {
    if (await run(() => api.post(`/upgrade-plans/${id}/progress`, { note }), '已记录进展')) setNote('');
  };
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input placeholder="进展说明，如 已完成第一学年课程" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      <Button onClick={() => void add()}>记录进展</Button>
    </Space.Compact>
  );
}

interface CompletionValues {
  achievedOn: Dayjs;
  qualificationNo?: string;
  note?: string;
}

/** The teacher asks the school to confirm completion; the school recording it is its approval. */
function CompletionForm({ id, qualification, school }: { id: number; qualification: boolean; school: boolean }) {
  const [form] = Form.useForm<CompletionValues>();
  const run = useRun(['upgrade-plans'], ['qualification-mismatch'], ['teachers']);
  const { busy, submit } = useFormSubmit(form, async (v: CompletionValues) => {
    const ok = await run(
      () =>
        api.post(`/upgrade-plans/${id}/completion`, {
          achievedOn: day(v.achievedOn),
          qualificationNo: v.qualificationNo || null,
          note: v.note || null,
        }),
      school ? '已登记完成，已记入教师档案' : '已申请确认完成，等待学校审核',
    );
    if (ok) form.resetFields();
  });
  return (
    <Card size="small" title={school ? '登记完成（即审核通过）' : '申请确认完成'}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="achievedOn" label={qualification ? '取得资格证日期' : '取得学历日期'} rules={[{ required: true, message: '请选择取得日期' }]}>
          <DatePicker placeholder="取得日期" style={{ width: '100%' }} />
        </Form.Item>
        {qualification ? (
          <Form.Item name="qualificationNo" label="资格证编号">
            <Input maxLength={40} />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label="说明">
          <Input maxLength={500} placeholder="如 已取得毕业证书" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {school ? '登记完成' : '申请确认完成'}
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
        scroll={{ x: 'max-content' }}
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
