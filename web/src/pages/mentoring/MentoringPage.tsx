import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { SUBJECT_OPTIONS } from '../../vocab';
import { TeacherPicker } from './TeacherPicker';
import { TeacherPolish } from './TeacherPolish';
import type { BoardDto, PairDto } from './types';
import { chinaToday } from '../../china-time';

/**
 * 师徒结对与磨课 (学校、教育局; 教研室 records rounds): the board, the pairs, and one teacher's 磨课 rounds and
 * 可独立任教 gate (001 §三（四）).
 */
export default function MentoringPage() {
  const { can } = useAuth();
  const manage = can('mentoring.manage');
  const items = [
    ...(manage ? [{ key: 'board', label: '看板', children: <BoardTab /> }] : []),
    ...(manage ? [{ key: 'pairs', label: '师徒结对', children: <PairsTab /> }] : []),
    { key: 'polish', label: '磨课与认定', children: <PolishTab /> },
  ];
  return <Tabs items={items} destroyOnHidden />;
}

function BoardTab() {
  const mobile = useIsMobile();
  const { data, error, isPending, refetch } = useQuery({ queryKey: ['mentoring', 'board'], queryFn: () => api.get<BoardDto>('/mentoring/board') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const f = data?.figures;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        {[
          ['新教师', f?.newTeachers],
          ['未结对', f?.withoutMentor],
          ['待磨课', f?.gated],
          ['磨课未完成', f?.due],
          ['可待认定', f?.ready],
          ['重点培养对象缺位', f?.keyUncovered],
        ].map(([t, v]) => (
          <Col key={String(t)} xs={12} sm={8} md={4}>
            <Card size="small" loading={isPending}>
              <Statistic title={t} value={(v as number | undefined) ?? 0} />
            </Card>
          </Col>
        ))}
      </Row>
      {data ? (
        <Typography.Text type="secondary">
          {data.termLabel}；新教师：入职 {data.rules.newTeacherMonths} 个月内或任职“新入职教师”；可独立任教须 {data.rules.roundsRequired}{' '}
          轮磨课合格且含教研室评估；每名师傅最多带教 {data.rules.mentorLoadCap} 人（{data.rules.cite}）
        </Typography.Text>
      ) : null}
      <Card size="small" title="未结对的新教师">
        <Table
          rowKey="teacherId"
          size="small"
          loading={isPending}
          dataSource={data?.withoutMentor ?? []}
          pagination={{ pageSize: 10 }}
          scroll={mobile ? { x: 600 } : undefined}
          locale={{ emptyText: '新教师均已结对' }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '学校', dataIndex: 'orgName' },
            { title: '学科', key: 's', render: (_, t) => t.subjects.join('、') || '—' },
            { title: '入职日期', dataIndex: 'hireDate', render: (v) => v ?? '—' },
          ]}
        />
      </Card>
      <Card size="small" title="待磨课">
        <Table
          rowKey={(g) => `${g.teacherId}-${g.subject}`}
          size="small"
          loading={isPending}
          dataSource={data?.gated ?? []}
          pagination={{ pageSize: 10 }}
          scroll={mobile ? { x: 800 } : undefined}
          locale={{ emptyText: '暂无待磨课教师' }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '学校', dataIndex: 'orgName' },
            { title: '学科', dataIndex: 'subject' },
            { title: '原因', dataIndex: 'reasonLabel' },
            { title: '合格/已磨', key: 'r', render: (_, g) => `${g.passed}/${g.held}（教研室 ${g.passedByResearchOffice}）` },
            { title: '状态', key: 'm', render: (_, g) => (g.ready ? <Tag color="green">可认定</Tag> : <Tag color="orange">{g.missing.join('；')}</Tag>) },
          ]}
        />
      </Card>
      <Card size="small" title={`重点培养对象（${data?.termLabel ?? ''}）`} extra={<FlagCandidateButton term={data?.term} />}>
        <Table
          rowKey={(k) => `${k.orgId}-${k.subject}`}
          size="small"
          loading={isPending}
          dataSource={data?.keyCoverage ?? []}
          pagination={{ pageSize: 10 }}
          locale={{ emptyText: '没有教龄 3 年以下的教师' }}
          columns={[
            { title: '学校', dataIndex: 'orgName' },
            { title: '学科', dataIndex: 'subject' },
            { title: '年轻教师', dataIndex: 'youngTeachers' },
            { title: '已确定', key: 'c', render: (_, k) => (k.covered ? <Tag color="green">{k.flagged} 名</Tag> : <Tag color="red">未确定</Tag>) },
          ]}
        />
      </Card>
    </Space>
  );
}

function FlagCandidateButton({ term }: { term?: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ teacherId: number; subject: string }>(form, async (v) => {
    await api.post('/mentoring/key-candidates', { ...v, term });
    await invalidate(['mentoring']);
    message.success('已确定为重点培养对象');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button size="small" type="primary" disabled={!term} onClick={() => setOpen(true)}>
        确定重点培养对象
      </Button>
      <Modal
        open={open}
        title="确定重点培养对象"
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="确定"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="teacherId" label="教师（教龄 3 年以下）" rules={[{ required: true, message: '请选择教师' }]}>
            <TeacherPicker />
          </Form.Item>
          <Form.Item name="subject" label="学科" rules={[{ required: true, message: '请选择学科' }]}>
            <Select options={SUBJECT_OPTIONS} showSearch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function PairsTab() {
  const mobile = useIsMobile();
  const [current, setCurrent] = useState(true);
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['mentoring', 'pairs', { current }],
    queryFn: () => api.get<{ items: PairDto[] }>('/mentoring/pairs', { current: String(current) }),
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card
      size="small"
      title="师徒结对"
      extra={
        <Space>
          <Select
            size="small"
            value={current}
            onChange={setCurrent}
            options={[
              { value: true, label: '结对中' },
              { value: false, label: '全部（含已结束）' },
            ]}
          />
          <NewPairButton />
        </Space>
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data?.items ?? []}
        scroll={mobile ? { x: 800 } : undefined}
        columns={[
          { title: '徒弟', key: 'mentee', render: (_, p) => <Link to={`/mentoring/pairs/${p.id}`}>{p.mentee.name}</Link> },
          { title: '师傅', key: 'mentor', render: (_, p) => `${p.mentor.name}（${p.mentor.orgName}）` },
          { title: '学校', dataIndex: 'schoolName' },
          { title: '学科', dataIndex: 'subject' },
          { title: '期限', key: 'term', render: (_, p) => `${p.termFrom} 至 ${p.endedOn ?? p.termUntil ?? '—'}` },
          { title: '状态', key: 'state', render: (_, p) => <Tag color={p.current ? 'green' : 'default'}>{p.stateLabel}</Tag> },
        ]}
      />
    </Card>
  );
}

function NewPairButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{
    mentorTeacherId: number;
    menteeTeacherId: number;
    subject: string;
    termFrom: Dayjs;
    termUntil?: Dayjs;
    goals?: string;
  }>(form, async (v) => {
    await api.post('/mentoring/pairs', { ...v, termFrom: v.termFrom.format('YYYY-MM-DD'), termUntil: v.termUntil ? v.termUntil.format('YYYY-MM-DD') : null });
    await invalidate(['mentoring']);
    message.success('已结对');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" size="small" onClick={() => setOpen(true)}>
        新建结对
      </Button>
      <Modal open={open} title="新建师徒结对" onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="结对" confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ termFrom: chinaToday() }} onFinish={(v) => void submit(v)}>
          <Form.Item name="menteeTeacherId" label="徒弟" rules={[{ required: true, message: '请选择徒弟' }]}>
            <TeacherPicker />
          </Form.Item>
          <Form.Item name="mentorTeacherId" label="师傅" rules={[{ required: true, message: '请选择师傅' }]}>
            <TeacherPicker />
          </Form.Item>
          <Form.Item name="subject" label="学科" rules={[{ required: true, message: '请选择学科' }]}>
            <Select options={SUBJECT_OPTIONS} showSearch />
          </Form.Item>
          <Form.Item name="termFrom" label="开始日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="termUntil" label="计划结束日期">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="goals" label="结对目标">
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function PolishTab() {
  const [teacherId, setTeacherId] = useState<number | undefined>();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <label htmlFor="polish-teacher">教师：</label>
          <div style={{ minWidth: 280 }}>
            <TeacherPicker id="polish-teacher" value={teacherId} onChange={setTeacherId} />
          </div>
        </Space>
      </Card>
      {teacherId ? <TeacherPolish key={teacherId} teacherId={teacherId} /> : null}
    </Space>
  );
}
