import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, ApiError, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { chinaYear } from '../../china-time';
import { ROTATION_KIND_LABELS } from './CareerRecord';
import { TeacherPicker } from './TeacherPicker';

/**
 * 交流轮岗 (issue 14 item 2): counts per county and school against the annual share, the records (登记、结束、更正),
 * the plans per unit and year, and the teachers eligible to rotate.
 */

interface Unit {
  orgId: number;
  orgName: string;
  kind: 'county' | 'school';
  eligible: number;
  needed: number;
  planned: number | null;
  recorded: number;
  short: number;
}
interface Counts {
  year: number;
  eligibleOn: string;
  units: Unit[];
  rules: {
    countyId: number;
    source: string;
    eligibleYears: number;
    annualShare: number;
    cite: { section: string; text: string; file?: string }[];
    assumptions: string[];
  }[];
}
interface RecordRow {
  id: number;
  teacherId: number;
  teacherName: string;
  fromOrgName: string;
  toOrgName: string;
  kind: string;
  startDate: string;
  endDate: string | null;
  rural: boolean;
  assignmentId: number | null;
  note: string | null;
}
interface Org {
  id: number;
  name: string;
  kind: string;
  level: string;
}
const fmt = (d: Dayjs) => d.format('YYYY-MM-DD');
const KIND_OPTIONS = Object.entries(ROTATION_KIND_LABELS).map(([value, label]) => ({ value, label }));

export default function RotationsPage() {
  const [year, setYear] = useState(chinaYear());
  const years = Array.from({ length: 8 }, (_, i) => chinaYear() + 1 - i);
  return (
    <Card
      title="交流轮岗"
      extra={<Select aria-label="年度" value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: `${y} 年` }))} style={{ width: 110 }} />}
    >
      <Tabs
        items={[
          { key: 'counts', label: '完成情况', children: <CountsTab year={year} /> },
          { key: 'records', label: '交流记录', children: <RecordsTab year={year} /> },
          { key: 'plans', label: '年度计划', children: <PlansTab year={year} /> },
          { key: 'eligible', label: '符合交流条件', children: <EligibleTab /> },
        ]}
      />
    </Card>
  );
}

function CountsTab({ year }: { year: number }) {
  const q = useQuery({ queryKey: ['rotations', 'counts', { year }], queryFn: () => api.get<Counts>('/rotations/counts', { year }) });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const rule = q.data?.rules[0];
  return (
    <>
      {rule ? (
        <Typography.Paragraph type="secondary">
          规则：同一学校连续任教满 {rule.eligibleYears} 年符合交流条件，每年交流不低于符合条件人数的 {Math.round(rule.annualShare * 1000) / 10}%（{rule.source}
          ；按 {q.data?.eligibleOn} 在岗情况统计）。
          {rule.cite.map((c) => `依据 ${c.file ?? ''} ${c.section}：${c.text}`).join('；')}
          {rule.assumptions.length ? `。说明：${rule.assumptions.join('；')}` : ''}
        </Typography.Paragraph>
      ) : null}
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<DownloadOutlined />} href={apiUrl('/rotations/counts.xlsx', { year })}>
          导出 Excel
        </Button>
      </Space>
      <Table
        rowKey="orgId"
        size="small"
        loading={q.isPending}
        pagination={false}
        scroll={{ x: true }}
        dataSource={q.data?.units ?? []}
        locale={{ emptyText: '本辖区没有需统计的区县或学校' }}
        columns={[
          { title: '单位', key: 'name', render: (_, u) => (u.kind === 'county' ? <strong>{u.orgName}（合计）</strong> : u.orgName) },
          { title: '符合条件', dataIndex: 'eligible' },
          { title: '应交流', dataIndex: 'needed' },
          { title: '计划', key: 'planned', render: (_, u) => u.planned ?? '—' },
          { title: '已交流', dataIndex: 'recorded' },
          { title: '缺口', key: 'short', render: (_, u) => (u.short > 0 ? <Tag color="red">差 {u.short} 人</Tag> : <Tag color="green">已达标</Tag>) },
        ]}
      />
    </>
  );
}

function RecordsTab({ year }: { year: number }) {
  const [failure, setFailure] = useState<ImportFailure | null>(null);
  const q = useQuery({ queryKey: ['rotations', 'records', { year }], queryFn: () => api.get<{ records: RecordRow[] }>('/rotations/records', { year }) });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <NewRecordButton />
        <ImportRecords onFailure={setFailure} />
      </Space>
      {failure ? <ImportErrors failure={failure} onClose={() => setFailure(null)} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        scroll={{ x: true }}
        dataSource={q.data?.records ?? []}
        locale={{ emptyText: '本年度暂无交流轮岗记录' }}
        columns={[
          { title: '教师', dataIndex: 'teacherName' },
          { title: '类型', key: 'kind', render: (_, r) => ROTATION_KIND_LABELS[r.kind] ?? r.kind },
          { title: '派出学校', dataIndex: 'fromOrgName' },
          { title: '交流学校', dataIndex: 'toOrgName' },
          { title: '开始', dataIndex: 'startDate' },
          { title: '结束', key: 'end', render: (_, r) => r.endDate ?? <Tag color="blue">进行中</Tag> },
          { title: '乡村', key: 'rural', render: (_, r) => (r.rural ? <Tag color="gold">乡村</Tag> : '') },
          {
            title: '操作',
            key: 'ops',
            render: (_, r) => (
              <Space>
                {!r.endDate ? <EndButton row={r} /> : null}
                <CorrectButton row={r} />
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

function useSchools(enabled: boolean) {
  return useQuery({ queryKey: ['orgs'], queryFn: () => api.get<Org[]>('/orgs'), enabled });
}

function NewRecordButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const orgs = useSchools(open);
  const { busy, submit } = useFormSubmit<{
    teacherId: number;
    toOrgId: number;
    kind: string;
    startDate: Dayjs;
    endDate?: Dayjs;
    rural?: string;
    note?: string;
  }>(form, async (v) => {
    await api.post('/rotations/records', {
      ...v,
      startDate: fmt(v.startDate),
      endDate: v.endDate ? fmt(v.endDate) : null,
      rural: v.rural === 'yes' ? true : v.rural === 'no' ? false : undefined,
    });
    await invalidate(['rotations'], ['teachers']);
    message.success('已登记交流轮岗');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        登记交流轮岗
      </Button>
      <Modal open={open} title="登记交流轮岗" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} okText="登记" destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'exchange', rural: 'auto' }}>
          <Form.Item name="teacherId" label="教师" rules={[{ required: true, message: '请选择教师' }]}>
            <TeacherPicker />
          </Form.Item>
          <Form.Item
            name="kind"
            label="类型"
            extra="交流、轮岗同时变更教师的任职学校；支教、送教下乡不变更"
            rules={[{ required: true, message: '请选择类型' }]}
          >
            <Select options={KIND_OPTIONS} />
          </Form.Item>
          <Form.Item name="toOrgId" label="交流学校" rules={[{ required: true, message: '请选择交流学校' }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={(orgs.data ?? []).filter((o) => o.kind === 'school').map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name="startDate" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="endDate" label="结束日期（可不填）">
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.Item name="rural" label="乡村学校">
            <Select
              options={[
                { value: 'auto', label: '按交流学校的城乡属性' },
                { value: 'yes', label: '是' },
                { value: 'no', label: '否' },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function EndButton({ row }: { row: RecordRow }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ endDate: Dayjs; returnToOrigin?: boolean }>(form, async (v) => {
    await api.post(`/rotations/records/${row.id}/end`, { endDate: fmt(v.endDate), returnToOrigin: !!v.returnToOrigin });
    await invalidate(['rotations'], ['teachers']);
    message.success('已结束');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        结束
      </Button>
      <Modal
        open={open}
        title={`结束交流：${row.teacherName}`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="结束"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="endDate" label="最后一天" rules={[{ required: true, message: '请选择结束日期' }]}>
            <DatePicker />
          </Form.Item>
          {row.assignmentId ? (
            <Form.Item name="returnToOrigin" valuePropName="checked">
              <Checkbox>次日返回派出学校（{row.fromOrgName}）</Checkbox>
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

function CorrectButton({ row }: { row: RecordRow }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ endDate?: Dayjs; rural: boolean; note?: string; reason: string }>(form, async (v) => {
    await api.post(`/rotations/records/${row.id}/correct`, {
      endDate: v.endDate ? fmt(v.endDate) : null,
      rural: v.rural,
      note: v.note ?? '',
      reason: v.reason,
    });
    await invalidate(['rotations'], ['teachers']);
    message.success('已更正（原记录保留）');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" type="link" onClick={() => setOpen(true)}>
        更正
      </Button>
      <Modal
        open={open}
        title={`更正交流记录：${row.teacherName}`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="更正"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ rural: row.rural, note: row.note ?? '' }}>
          <Form.Item name="endDate" label="结束日期（不填为未结束）">
            <DatePicker />
          </Form.Item>
          <Form.Item name="rural" valuePropName="checked">
            <Checkbox>乡村学校</Checkbox>
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="reason" label="更正原因" rules={[{ required: true, message: '请填写更正原因' }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function PlansTab({ year }: { year: number }) {
  const q = useQuery({
    queryKey: ['rotations', 'plans', { year }],
    queryFn: () =>
      api.get<{ plans: { id: number; orgName: string; plannedCount: number; note: string | null; createdAt: string }[] }>('/rotations/plans', { year }),
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <PlanButton year={year} />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        pagination={false}
        dataSource={q.data?.plans ?? []}
        locale={{ emptyText: '本年度暂无计划' }}
        columns={[
          { title: '单位', dataIndex: 'orgName' },
          { title: '计划交流人数', dataIndex: 'plannedCount' },
          { title: '说明', dataIndex: 'note' },
        ]}
      />
    </>
  );
}

function PlanButton({ year }: { year: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const orgs = useSchools(open);
  const { busy, submit } = useFormSubmit<{ orgId: number; plannedCount: number; note?: string }>(form, async (v) => {
    await api.post('/rotations/plans', { ...v, year });
    await invalidate(['rotations']);
    message.success('计划已保存');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        制定计划
      </Button>
      <Modal
        open={open}
        title={`${year} 年交流轮岗计划`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="保存"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="orgId"
            label="学校或区县"
            extra="同一单位同一年度再次保存即调整计划（原计划保留）"
            rules={[{ required: true, message: '请选择单位' }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={(orgs.data ?? [])
                .filter((o) => o.kind === 'school' || (o.kind === 'bureau' && o.level === 'county'))
                .map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
          <Form.Item name="plannedCount" label="计划交流人数" rules={[{ required: true, message: '请填写计划人数' }]}>
            <InputNumber min={0} precision={0} />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function EligibleTab() {
  const q = useQuery({
    queryKey: ['rotations', 'eligible'],
    queryFn: () =>
      api.get<{
        asOf: string;
        eligibleYears: number;
        teachers: { teacherId: number; name: string; orgName: string; since: string; years: number; hasRotation: boolean }[];
      }>('/rotations/eligible'),
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      {q.data ? (
        <Typography.Paragraph type="secondary">
          截至 {q.data.asOf}，在同一学校连续任教满 {q.data.eligibleYears} 年的教师共 {q.data.teachers.length} 人。
        </Typography.Paragraph>
      ) : null}
      <Table
        rowKey="teacherId"
        size="small"
        loading={q.isPending}
        scroll={{ x: true }}
        dataSource={q.data?.teachers ?? []}
        locale={{ emptyText: '暂无符合交流条件的教师' }}
        columns={[
          { title: '教师', dataIndex: 'name' },
          { title: '学校', dataIndex: 'orgName' },
          { title: '在校起始', dataIndex: 'since' },
          { title: '在校年限', key: 'y', render: (_, t) => `${t.years} 年` },
          { title: '交流经历', key: 'h', render: (_, t) => (t.hasRotation ? <Tag color="green">有</Tag> : <Tag>无</Tag>) },
        ]}
      />
    </>
  );
}

type ImportFailure = { text: string; fields: { field: string; message: string }[] };

/** 导入 Excel: the template link and the upload; a refused file's every row/column error goes to `onFailure` (nothing is written then). */
function ImportRecords({ onFailure }: { onFailure: (f: ImportFailure | null) => void }) {
  const { message } = App.useApp();
  const upload: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    onFailure(null);
    try {
      const fd = new FormData();
      fd.append('file', file as File, (file as File).name);
      const r = await api.post<{ created: number }>('/rotations/records/import', fd);
      message.success(`导入完成：新增 ${r.created} 条交流轮岗记录`);
      await invalidate(['rotations']);
      onSuccess?.(r);
    } catch (e) {
      onFailure({ text: errorText(e), fields: e instanceof ApiError ? e.fields : [] });
      onError?.(e as Error);
    }
  };
  return (
    <>
      <Upload accept=".xlsx" showUploadList={false} customRequest={upload}>
        <Button icon={<UploadOutlined />}>导入 Excel</Button>
      </Upload>
      <Button type="link" icon={<DownloadOutlined />} href={apiUrl('/rotations/records/template.xlsx')}>
        下载导入模板
      </Button>
    </>
  );
}

function ImportErrors({ failure, onClose }: { failure: ImportFailure; onClose: () => void }) {
  return (
    <Alert
      type="error"
      showIcon
      closable
      onClose={onClose}
      style={{ marginBottom: 12 }}
      title={failure.text}
      description={
        failure.fields.length ? (
          <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="rotation-import-errors">
            {failure.fields.map((f) => (
              <li key={`${f.field}${f.message}`}>
                {f.field}：{f.message}
              </li>
            ))}
          </ul>
        ) : null
      }
    />
  );
}
