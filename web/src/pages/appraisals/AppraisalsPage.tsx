import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { chinaToday, chinaYear } from '../../china-time';
import { TERM_LABEL } from './types';

interface RoundRow {
  id: number;
  orgName: string;
  year: number;
  title: string;
  excellentShare: number;
  selfReportUntil: string;
  gradeUntil: string;
  status: string;
  statusLabel: string;
  publicityFrom: string | null;
  publicityUntil: string | null;
  teachers: number;
  graded: number;
  excellent: number;
}
interface Rules {
  source: string;
  rules: { excellentShare: number; homeVisitsPerYear: number; academicReviewEachTerm: boolean; assumptions?: string[] };
}

const STATUS_COLOR: Record<string, string> = { open: 'blue', publicizing: 'orange', confirmed: 'green', cancelled: 'default' };

/** 年度考核 (issue 14 item 1) for school and bureau admins: the rounds, opening one, and the 家访/学业述评 table. */
export default function AppraisalsPage() {
  const [tab, setTab] = useState('rounds');
  return (
    <Card title="年度考核">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'rounds', label: '考核轮次', children: <Rounds /> },
          { key: 'records', label: '家访与学业述评', children: tab === 'records' ? <RecordsTable /> : null },
        ]}
      />
    </Card>
  );
}

function Rounds() {
  const nav = useNavigate();
  const { data, error, isPending, refetch } = useQuery({ queryKey: ['appraisals', 'rounds'], queryFn: () => api.get<RoundRow[]>('/appraisals/rounds') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <OpenRound />
      <Table
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data ?? []}
        scroll={{ x: true }}
        onRow={(r) => ({ onClick: () => nav(`/appraisals/${r.id}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: '暂无年度考核' }}
        columns={[
          { title: '年度', dataIndex: 'year' },
          {
            title: '名称',
            dataIndex: 'title',
            render: (t: string, r) => (
              <a
                href={`/appraisals/${r.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  nav(`/appraisals/${r.id}`);
                }}
              >
                {t}
              </a>
            ),
          },
          { title: '开展单位', dataIndex: 'orgName' },
          { title: '状态', key: 'st', render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{r.statusLabel}</Tag> },
          { title: '已评定/人数', key: 'n', render: (_, r) => `${r.graded}/${r.teachers}` },
          { title: '优秀', dataIndex: 'excellent' },
          { title: '优秀比例', key: 'share', render: (_, r) => `${Math.round(r.excellentShare * 1000) / 10}%` },
          { title: '公示', key: 'pub', render: (_, r) => (r.publicityFrom ? `${r.publicityFrom} 至 ${r.publicityUntil}` : '—') },
        ]}
      />
    </Space>
  );
}

function OpenRound() {
  const { me } = useAuth();
  const bureau = me?.role === 'bureauAdmin';
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const nav = useNavigate();
  const year = chinaYear();
  const rules = useQuery({ queryKey: ['appraisals', 'rules'], queryFn: () => api.get<Rules>('/appraisals/rules'), enabled: open });
  const { busy, submit } = useFormSubmit(
    form,
    async (v: { year: number; title: string; selfReportUntil: Dayjs; gradeUntil: Dayjs; sharePct?: number | null }) => {
      const r = await api.post<{ id: number; teachers: number }>('/appraisals/rounds', {
        year: v.year,
        title: v.title,
        selfReportUntil: v.selfReportUntil.format('YYYY-MM-DD'),
        gradeUntil: v.gradeUntil.format('YYYY-MM-DD'),
        excellentShare: bureau && v.sharePct != null ? v.sharePct / 100 : null,
      });
      message.success(`已开展年度考核，${r.teachers} 名教师参加`);
      setOpen(false);
      await invalidate(['appraisals']);
      nav(`/appraisals/${r.id}`);
    },
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        开展年度考核
      </Button>
      <Modal title="开展年度考核" open={open} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="开展" confirmLoading={busy} destroyOnHidden>
        {rules.data ? (
          <Typography.Paragraph type="secondary">
            本地区规则（{rules.data.source}）：优秀比例 {Math.round(rules.data.rules.excellentShare * 1000) / 10}%（人数向下取整），每年家访至少{' '}
            {rules.data.rules.homeVisitsPerYear} 次{rules.data.rules.academicReviewEachTerm ? '，每学期学业述评' : ''}。
          </Typography.Paragraph>
        ) : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ year, title: `${year} 年度教师考核`, selfReportUntil: chinaToday().add(14, 'day'), gradeUntil: chinaToday().add(28, 'day') }}
        >
          <Form.Item name="year" label="考核年度" rules={[{ required: true, message: '请填写年度' }]}>
            <InputNumber min={2000} max={year} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="title" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="selfReportUntil" label="个人述职截止" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="gradeUntil" label="学校评定截止" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          {bureau ? (
            <Form.Item name="sharePct" label="优秀比例（%，不填按本地区规则）">
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

interface RecordRow {
  teacherId: number;
  teacherName: string;
  schoolName: string;
  className: string;
  visits: number;
  families: number;
  springReviewed: number | null;
  springStudents: number | null;
  autumnReviewed: number | null;
  autumnStudents: number | null;
}

function RecordsTable() {
  const [year, setYear] = useState(chinaYear());
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['appraisals', 'records', year],
    queryFn: () => api.get<{ rows: RecordRow[]; totals: { visits: number; families: number; teachers: number } }>('/appraisals/records', { year }),
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const term = (r: number | null, s: number | null) =>
    s === null ? <Tag color="orange">未填</Tag> : <Tag color={r === s ? 'green' : 'orange'}>{`${r}/${s}`}</Tag>;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        年度
        <InputNumber min={2000} max={chinaYear()} value={year} onChange={(v) => v && setYear(v)} />
        {data ? (
          <Typography.Text type="secondary">{`${data.totals.teachers} 名教师，家访 ${data.totals.visits} 次 / ${data.totals.families} 户`}</Typography.Text>
        ) : null}
      </Space>
      <Table
        rowKey={(r) => `${r.teacherId}-${r.className}`}
        size="small"
        loading={isPending}
        dataSource={data?.rows ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: '本年度暂无家访或学业述评记录' }}
        columns={[
          { title: '学校', dataIndex: 'schoolName' },
          { title: '教师', dataIndex: 'teacherName' },
          { title: '班级', dataIndex: 'className' },
          { title: '家访次数', dataIndex: 'visits' },
          { title: '家访户数', dataIndex: 'families' },
          { title: `${TERM_LABEL.spring}述评`, key: 's', render: (_, r) => term(r.springReviewed, r.springStudents) },
          { title: `${TERM_LABEL.autumn}述评`, key: 'a', render: (_, r) => term(r.autumnReviewed, r.autumnStudents) },
        ]}
      />
    </Space>
  );
}
