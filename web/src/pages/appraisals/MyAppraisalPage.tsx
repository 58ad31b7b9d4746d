import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { afterChinaToday, chinaToday, chinaYear } from '../../china-time';
import { InputsView } from './InputsView';
import { ResultsTable } from './ResultsTable';
import { GRADE_COLOR, TERM_LABEL, type AcademicReview, type HomeVisit, type Inputs, type Result } from './types';

interface MyRound {
  entryId: number;
  roundId: number;
  title: string;
  year: number;
  status: string;
  statusLabel: string;
  selfReportUntil: string;
  publicityFrom: string | null;
  publicityUntil: string | null;
  selfReport: string | null;
  selfReportedAt: string | null;
  grade: string | null;
  gradeLabel: string | null;
  canReport: boolean;
  inputs: Inputs | null;
}
interface Mine {
  year: number;
  rounds: MyRound[];
  results: Result[];
  homeVisits: HomeVisit[];
  academicReviews: AcademicReview[];
}

/** 我的年度考核 (phone-friendly): the year's round (inputs, 个人述职, the grade once 公示 starts), results, 家访 and 学业述评 entry. */
export default function MyAppraisalPage() {
  const { data, error, isPending, refetch } = useQuery({ queryKey: ['my', 'appraisal'], queryFn: () => api.get<Mine>('/my/appraisal') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <Card loading />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        我的年度考核
      </Typography.Title>
      {data.rounds.length === 0 ? <Empty description="暂无年度考核" /> : null}
      {data.rounds.map((r) => (
        <RoundCard key={r.entryId} r={r} />
      ))}
      <Card size="small" title="登记家访" data-testid="home-visit-card">
        <HomeVisitForm />
      </Card>
      <Card size="small" title="登记学业述评" data-testid="academic-review-card">
        <AcademicReviewForm />
      </Card>
      <Card size="small" title={`${data.year} 年家访与学业述评记录`}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={data.homeVisits}
          locale={{ emptyText: '本年度暂无家访记录' }}
          columns={[
            { title: '家访日期', dataIndex: 'visitedOn' },
            { title: '班级', dataIndex: 'className' },
            { title: '户数', dataIndex: 'families' },
            { title: '方式', key: 'mode', render: (_, v) => (v.mode === 'online' ? '线上' : '入户') },
          ]}
        />
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          style={{ marginTop: 12 }}
          dataSource={data.academicReviews}
          locale={{ emptyText: '本年度暂无学业述评记录' }}
          columns={[
            { title: '学期', key: 'term', render: (_, a) => TERM_LABEL[a.term] ?? a.term },
            { title: '班级', dataIndex: 'className' },
            { title: '已述评/学生数', key: 'n', render: (_, a) => `${a.reviewed}/${a.students}` },
            { title: '完成日期', dataIndex: 'completedOn' },
          ]}
        />
      </Card>
      <Card size="small" title="历年考核结果">
        <ResultsTable results={data.results} />
      </Card>
    </Space>
  );
}

function RoundCard({ r }: { r: MyRound }) {
  const [form] = Form.useForm<{ text: string }>();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { text: string }) => {
    await api.post('/my/appraisal/self-report', { roundId: r.roundId, text: v.text });
    message.success('个人述职已提交');
    await invalidate(['my', 'appraisal']);
  });
  return (
    <Card size="small" title={`${r.title}（${r.statusLabel}）`} data-testid="my-appraisal-round">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {r.grade ? (
          <div>
            考核等次：<Tag color={GRADE_COLOR[r.grade]}>{r.gradeLabel}</Tag>
            {r.status === 'publicizing' ? (
              <Typography.Text type="secondary">
                公示期 {r.publicityFrom} 至 {r.publicityUntil}，有异议请向学校提出
              </Typography.Text>
            ) : null}
          </div>
        ) : null}
        {r.inputs ? (
          <>
            <Typography.Text strong>平台汇总的考核依据（截至 {r.inputs.asOf}）</Typography.Text>
            <InputsView inputs={r.inputs} />
          </>
        ) : null}
        {r.canReport ? (
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ text: r.selfReport ?? '' }}>
            <Form.Item name="text" label={`个人述职（${r.selfReportUntil} 前提交，可修改）`} rules={[{ required: true, message: '请填写个人述职' }]}>
              <Input.TextArea rows={5} maxLength={3000} showCount />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              提交述职
            </Button>
          </Form>
        ) : r.selfReport ? (
          <Typography.Paragraph>个人述职：{r.selfReport}</Typography.Paragraph>
        ) : null}
        {r.selfReportedAt ? <Typography.Text type="secondary">已提交述职</Typography.Text> : null}
      </Space>
    </Card>
  );
}

function HomeVisitForm() {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { visitedOn: Dayjs; className: string; families: number; mode: string; note?: string }) => {
    await api.post('/my/home-visits', {
      visitedOn: v.visitedOn.format('YYYY-MM-DD'),
      className: v.className,
      families: v.families,
      mode: v.mode,
      note: v.note || null,
    });
    message.success('家访已登记');
    form.resetFields(['className', 'families', 'note']);
    await invalidate(['my', 'appraisal']);
  });
  return (
    <Form form={form} layout="vertical" onFinish={submit} initialValues={{ visitedOn: chinaToday(), mode: 'visit', families: 1 }}>
      <Form.Item name="visitedOn" label="家访日期" rules={[{ required: true, message: '请选择家访日期' }]}>
        <DatePicker disabledDate={afterChinaToday} style={{ width: '100%' }} inputReadOnly />
      </Form.Item>
      <Form.Item name="className" label="班级" rules={[{ required: true, message: '请填写班级' }]}>
        <Input placeholder="例如 三年级2班" maxLength={40} />
      </Form.Item>
      <Form.Item name="families" label="家访户数" rules={[{ required: true, message: '请填写户数' }]}>
        <InputNumber min={1} max={200} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="mode" label="方式">
        <Radio.Group
          options={[
            { value: 'visit', label: '入户' },
            { value: 'online', label: '线上' },
          ]}
        />
      </Form.Item>
      <Form.Item name="note" label="备注（不填学生姓名）">
        <Input maxLength={300} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block>
        登记家访
      </Button>
    </Form>
  );
}

function AcademicReviewForm() {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(
    form,
    async (v: { year: number; term: string; className: string; students: number; reviewed: number; completedOn: Dayjs }) => {
      const r = await api.post<{ replaced: boolean }>('/my/academic-reviews', { ...v, completedOn: v.completedOn.format('YYYY-MM-DD'), note: null });
      message.success(r.replaced ? '已更正该班本学期的学业述评' : '学业述评已登记');
      form.resetFields(['className', 'students', 'reviewed']);
      await invalidate(['my', 'appraisal']);
    },
  );
  const month = chinaToday().month() + 1;
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ year: chinaYear(), term: month >= 2 && month <= 8 ? 'spring' : 'autumn', completedOn: chinaToday() }}
    >
      <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
        <InputNumber min={2000} max={chinaYear()} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="term" label="学期">
        <Radio.Group
          options={[
            { value: 'spring', label: '春季学期' },
            { value: 'autumn', label: '秋季学期' },
          ]}
        />
      </Form.Item>
      <Form.Item name="className" label="班级" rules={[{ required: true, message: '请填写班级' }]}>
        <Input placeholder="例如 三年级2班" maxLength={40} />
      </Form.Item>
      <Form.Item name="students" label="班级学生数" rules={[{ required: true, message: '请填写学生数' }]}>
        <InputNumber min={1} max={500} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="reviewed" label="已完成述评人数" rules={[{ required: true, message: '请填写已述评人数' }]}>
        <InputNumber min={0} max={500} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="completedOn" label="完成日期" rules={[{ required: true, message: '请选择完成日期' }]}>
        <DatePicker disabledDate={afterChinaToday} style={{ width: '100%' }} inputReadOnly />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block>
        登记学业述评
      </Button>
    </Form>
  );
}
