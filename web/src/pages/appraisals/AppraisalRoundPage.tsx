import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { afterChinaToday, chinaToday } from '../../china-time';
import { InputsView } from './InputsView';
import { GRADE_COLOR, GRADE_OPTIONS, type Inputs } from './types';

interface Entry {
  id: number;
  teacherId: number;
  teacherName: string;
  schoolName: string;
  selfReport: string | null;
  grade: string | null;
  gradeLabel: string | null;
  gradeComment: string | null;
  inputs: Inputs | null;
  objections: { id: number; receivedOn: string; content: string; upheld: boolean; decision: string; newGrade: string | null }[];
}
interface Detail {
  id: number;
  title: string;
  year: number;
  orgName: string;
  status: string;
  statusLabel: string;
  excellentShare: number;
  selfReportUntil: string;
  gradeUntil: string;
  publicityFrom: string | null;
  publicityUntil: string | null;
  manager: boolean;
  rulesSource: string;
  quotas: { schoolOrgId: number; schoolName: string; teachers: number; allowed: number; excellent: number }[];
  entries: Entry[];
}

/** One round: quota usage per school, each teacher's self-report, inputs and grade; 公示, objections, 确认结果. */
export default function AppraisalRoundPage() {
  const id = Number(useParams().id);
  const key = ['appraisals', 'rounds', id];
  const { data, error, isPending, refetch } = useQuery({ queryKey: key, queryFn: () => api.get<Detail>(`/appraisals/rounds/${id}`) });
  const { message } = App.useApp();
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <Card loading />;
  const gradeOf = async (e: Entry, grade: string) => {
    try {
      await api.post(`/appraisals/entries/${e.id}/grade`, { grade, comment: null });
      message.success(`${e.teacherName}：已评为${GRADE_OPTIONS.find((g) => g.value === grade)?.label}`);
    } catch (err) {
      message.error(errorText(err));
    }
    await invalidate(['appraisals']);
  };
  const confirm = async () => {
    try {
      const r = await api.post<{ results: number }>(`/appraisals/rounds/${id}/confirm`);
      message.success(`已确认 ${r.results} 名教师的考核结果`);
    } catch (err) {
      message.error(errorText(err));
    }
    await invalidate(['appraisals']);
  };
  const pct = `${Math.round(data.excellentShare * 1000) / 10}%`;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={`${data.title}`}
        extra={
          <Space>
            {data.manager && data.status === 'open' ? <PublicizeButton id={id} /> : null}
            {data.manager && data.status === 'publicizing' ? (
              <Popconfirm title="公示期满，确认考核结果并写入教师档案？" onConfirm={() => void confirm()}>
                <Button type="primary">确认结果</Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, md: 3 }}
          items={[
            { key: 'st', label: '状态', children: <Tag data-testid="round-status">{data.statusLabel}</Tag> },
            { key: 'org', label: '开展单位', children: data.orgName },
            { key: 'y', label: '年度', children: data.year },
            { key: 'sr', label: '述职截止', children: data.selfReportUntil },
            { key: 'g', label: '评定截止', children: data.gradeUntil },
            { key: 'p', label: '公示', children: data.publicityFrom ? `${data.publicityFrom} 至 ${data.publicityUntil}` : '—' },
            { key: 'share', label: '优秀比例', children: `${pct}（每校人数 × 比例，向下取整）` },
            { key: 'src', label: '规则依据', children: data.rulesSource },
          ]}
        />
        <Table
          rowKey="schoolOrgId"
          size="small"
          pagination={false}
          style={{ marginTop: 12 }}
          dataSource={data.quotas}
          columns={[
            { title: '学校', dataIndex: 'schoolName' },
            { title: '参加考核', dataIndex: 'teachers' },
            { title: '优秀名额', dataIndex: 'allowed' },
            {
              title: '已评优秀',
              key: 'used',
              render: (_, q) => <Tag color={q.excellent >= q.allowed ? 'orange' : 'green'} data-testid="quota-used">{`${q.excellent}/${q.allowed}`}</Tag>,
            },
          ]}
        />
      </Card>
      <Card size="small" title="教师考核">
        <Table
          rowKey="id"
          size="small"
          dataSource={data.entries}
          scroll={{ x: true }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: '教师', dataIndex: 'teacherName', fixed: 'left' },
            { title: '学校', dataIndex: 'schoolName' },
            {
              title: '个人述职',
              key: 'sr',
              render: (_, e) =>
                e.selfReport ? (
                  <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ maxWidth: 260, margin: 0 }}>
                    {e.selfReport}
                  </Typography.Paragraph>
                ) : (
                  <Tag>未提交</Tag>
                ),
            },
            { title: '考核依据（平台汇总）', key: 'in', render: (_, e) => (e.inputs ? <InputsView inputs={e.inputs} /> : '—') },
            {
              title: '等次',
              key: 'grade',
              render: (_, e) =>
                data.status === 'open' ? (
                  <Select
                    aria-label={`${e.teacherName}的等次`}
                    data-testid={`grade-${e.teacherName}`}
                    style={{ width: 110 }}
                    placeholder="评定"
                    value={e.grade ?? undefined}
                    options={GRADE_OPTIONS}
                    onChange={(g) => void gradeOf(e, g)}
                  />
                ) : e.grade ? (
                  <Tag color={GRADE_COLOR[e.grade]}>{e.gradeLabel}</Tag>
                ) : (
                  '—'
                ),
            },
            {
              title: '公示异议',
              key: 'obj',
              render: (_, e) => (
                <Space orientation="vertical" size={2}>
                  {e.objections.map((o) => (
                    <Typography.Text key={o.id} style={{ fontSize: 12 }}>
                      {o.receivedOn}：{o.content}（{o.upheld ? '成立' : '不成立'}，{o.decision}）
                    </Typography.Text>
                  ))}
                  {data.status === 'publicizing' ? <ObjectionButton entry={e} /> : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

function PublicizeButton({ id }: { id: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { range: [Dayjs, Dayjs] }) => {
    await api.post(`/appraisals/rounds/${id}/publicize`, { from: v.range[0].format('YYYY-MM-DD'), until: v.range[1].format('YYYY-MM-DD') });
    message.success('已开始公示');
    setOpen(false);
    await invalidate(['appraisals']);
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        公示
      </Button>
      <Modal
        title="公示考核结果"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="开始公示"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ range: [chinaToday(), chinaToday().add(5, 'day')] }}>
          <Form.Item name="range" label="公示期" rules={[{ required: true, message: '请选择公示期' }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ObjectionButton({ entry }: { entry: Entry }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const upheld = Form.useWatch('upheld', form);
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { receivedOn: Dayjs; content: string; upheld: boolean; decision: string; newGrade?: string }) => {
    await api.post(`/appraisals/entries/${entry.id}/objections`, {
      ...v,
      receivedOn: v.receivedOn.format('YYYY-MM-DD'),
      newGrade: v.upheld ? (v.newGrade ?? null) : null,
    });
    message.success('异议已登记');
    setOpen(false);
    await invalidate(['appraisals']);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        登记异议
      </Button>
      <Modal
        title={`登记异议：${entry.teacherName}`}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message="异议成立时须改定等次；改定仍受优秀名额与师德否决的限制。" />
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ receivedOn: chinaToday(), upheld: false }}>
          <Form.Item name="receivedOn" label="收到日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker disabledDate={afterChinaToday} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="content" label="异议内容" rules={[{ required: true, message: '请填写异议内容' }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item name="upheld" label="核实结果">
            <Radio.Group
              options={[
                { value: false, label: '不成立' },
                { value: true, label: '成立' },
              ]}
            />
          </Form.Item>
          {upheld ? (
            <Form.Item name="newGrade" label="改定等次" rules={[{ required: true, message: '请选择改定的等次' }]}>
              <Select options={GRADE_OPTIONS} />
            </Form.Item>
          ) : null}
          <Form.Item name="decision" label="处理意见" rules={[{ required: true, message: '请填写处理意见' }]}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
