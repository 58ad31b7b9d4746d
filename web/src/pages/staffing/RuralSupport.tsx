import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { OneTeacherPicker } from '../../components/TeacherPicker';

const KINDS: Record<string, string> = { allowance: '乡村教师生活补助', housing: '周转宿舍/住房保障', training: '培训支持' };

interface Row {
  id: number;
  teacherId: number;
  teacherName: string;
  kind: string;
  startDate: string;
  endDate: string | null;
  amount: number | null;
  note: string | null;
  ruralServiceYears: number;
}

/** 乡村教师 support records of rural schools (002 §三（五）1, 003 #13) with each teacher's rural service years. */
export default function RuralSupport({ asOf, canEdit }: { asOf: string; canEdit: boolean }) {
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const q = useQuery({ queryKey: ['staffing', 'rural-support', { asOf }], queryFn: () => api.get<Row[]>('/staffing/rural-support', { asOf }) });
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post('/staffing/rural-support', {
        teacherId: v.teacherId,
        kind: v.kind,
        startDate: v.startDate.format('YYYY-MM-DD'),
        endDate: v.endDate ? v.endDate.format('YYYY-MM-DD') : undefined,
        amount: v.amount ?? undefined,
        note: v.note || undefined,
      });
      message.success('已登记');
      await invalidate(['staffing']);
      setAdding(false);
      form.resetFields();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="rural-support">
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        乡村教师支持
        {canEdit && (
          <Button size="small" icon={<PlusOutlined />} style={{ marginLeft: 12 }} onClick={() => setAdding(true)}>
            登记
          </Button>
        )}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        依据：《基础教育强师计划实施方案（省级）》§三（五）1：依法依规落实乡村教师待遇政策……加强乡村教师周转宿舍建设。乡村任教年限 =
        在乡村学校任职的时段与乡村交流轮岗/支教记录合计（重叠的日子只算一次），供职称申报核查使用。
      </Typography.Paragraph>
      {q.error && <Alert type="error" showIcon title={errorText(q.error)} />}
      <Table<Row>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: '教师', dataIndex: 'teacherName' },
          { title: '类型', dataIndex: 'kind', render: (v: string) => <Tag>{KINDS[v] ?? v}</Tag> },
          { title: '起止', render: (_, r) => `${r.startDate} 至 ${r.endDate ?? '今'}` },
          { title: '金额（元）', dataIndex: 'amount', render: (v: number | null) => v ?? '—' },
          { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '' },
          { title: '乡村任教年限', dataIndex: 'ruralServiceYears', render: (v: number) => `${v} 年` },
        ]}
      />
      <Modal open={adding} title="登记乡村教师支持" onCancel={() => setAdding(false)} onOk={submit} okText="保存" confirmLoading={busy} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="teacherId" label="教师（乡村学校）" rules={[{ required: true, message: '请选择教师' }]}>
            <OneTeacherPicker status="active" />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={Object.entries(KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="startDate" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="endDate" label="结束日期（可空）">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="amount" label="金额（元，可空）">
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
