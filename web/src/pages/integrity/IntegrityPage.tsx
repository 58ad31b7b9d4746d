import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { EntryCheckCard, IntegrityRecordView } from './IntegrityRecord';

interface TeacherHit {
  id: number;
  name: string;
  orgName: string;
  nationalIdMasked: string;
}

/**
 * 诚信档案与禁入 (师德专干, 教育局管理员): look up a teacher's 诚信档案 (each opening audited), 准入查询 of one
 * 身份证号, and — for the 师德专干 — the 行业禁入 register (register a decision taken elsewhere, lift with a reason).
 */
export default function IntegrityPage() {
  const { can } = useAuth();
  const items = [
    { key: 'record', label: '诚信档案查询', children: <LookupTab /> },
    ...(can('ethics.entryCheck') ? [{ key: 'check', label: '准入查询', children: <EntryCheckCard /> }] : []),
    ...(can('ethics.handle') ? [{ key: 'bans', label: '行业禁入名单', children: <BansTab /> }] : []),
  ];
  return <Tabs items={items} destroyOnHidden />;
}

function LookupTab() {
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<number | null>(null);
  const hits = useQuery({
    queryKey: ['teachers', { q, pageSize: 20 }],
    queryFn: () => api.get<{ items: TeacherHit[] }>('/teachers', { q, pageSize: 20 }),
    enabled: q.length > 0,
  });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Input.Search placeholder="按教师姓名查找" allowClear enterButton="查找" onSearch={(v) => setQ(v.trim())} style={{ maxWidth: 360 }} />
        {hits.error ? <LoadError error={hits.error} onRetry={() => void hits.refetch()} /> : null}
        {q && hits.data ? (
          <Table
            style={{ marginTop: 12 }}
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={hits.data.items}
            locale={{ emptyText: '未找到教师' }}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '学校', dataIndex: 'orgName' },
              { title: '身份证号', dataIndex: 'nationalIdMasked' },
              {
                title: '',
                key: 'open',
                render: (_, t) => (
                  <Button size="small" type="link" onClick={() => setPicked(t.id)}>
                    查看诚信档案
                  </Button>
                ),
              },
            ]}
          />
        ) : null}
      </Card>
      {picked ? <IntegrityRecordView key={picked} path={`/teachers/${picked}/integrity`} /> : null}
    </Space>
  );
}

interface BanDto {
  id: number;
  name: string;
  nationalIdMasked: string;
  source: string;
  decidedOn: string;
  validFrom: string;
  validUntil: string | null;
  fromSanction: boolean;
  registeredByOrgName: string;
  liftedOn: string | null;
  liftedReason: string | null;
  state: string;
  stateLabel: string;
}

function BansTab() {
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['integrity', 'bans', page],
    queryFn: () => api.get<{ items: BanDto[]; total: number }>('/integrity/bans', { page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card size="small" title="行业禁入名单" extra={<RegisterBanButton />}>
      <Table
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 人` }}
        scroll={mobile ? { x: 800 } : undefined}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '身份证号', dataIndex: 'nationalIdMasked' },
          { title: '决定', dataIndex: 'source' },
          { title: '期限', key: 'term', render: (_, b) => `${b.validFrom} 至 ${b.validUntil ?? '长期'}` },
          { title: '登记单位', dataIndex: 'registeredByOrgName' },
          {
            title: '状态',
            key: 'state',
            render: (_, b) => (
              <Tag color={b.state === 'inForce' ? 'red' : 'default'}>{b.liftedOn ? `已于 ${b.liftedOn} 解除：${b.liftedReason}` : b.stateLabel}</Tag>
            ),
          },
          { title: '', key: 'lift', render: (_, b) => (b.liftedOn ? null : <LiftButton ban={b} />) },
        ]}
      />
    </Card>
  );
}

function RegisterBanButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ nationalId: string; name: string; source: string; decidedOn: Dayjs; validFrom: Dayjs; validUntil?: Dayjs }>(
    form,
    async (v) => {
      await api.post('/integrity/bans', {
        ...v,
        decidedOn: v.decidedOn.format('YYYY-MM-DD'),
        validFrom: v.validFrom.format('YYYY-MM-DD'),
        validUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : null,
      });
      await invalidate(['integrity']);
      message.success('已登记');
      setOpen(false);
      form.resetFields();
    },
  );
  return (
    <>
      <Button type="primary" size="small" onClick={() => setOpen(true)}>
        登记禁入决定
      </Button>
      <Modal
        open={open}
        title="登记行业禁入决定"
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="登记"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="nationalId" label="身份证号" rules={[{ required: true, message: '请填写身份证号' }]}>
            <Input maxLength={18} autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="source" label="决定（作出机关、文号）" rules={[{ required: true, message: '请填写决定' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="decidedOn" label="决定日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="validFrom" label="禁入起始日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="validUntil" label="禁入截止日期" extra="不填表示长期">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function LiftButton({ ban }: { ban: BanDto }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ reason: string }>(form, async (v) => {
    await api.post(`/integrity/bans/${ban.id}/lift`, v);
    await invalidate(['integrity']);
    message.success('已解除');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)}>
        解除
      </Button>
      <Modal
        open={open}
        title={`解除禁入：${ban.name}`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="解除"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="reason" label="解除原因" rules={[{ required: true, message: '请填写解除原因' }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder="如：法院判决撤销、登记错误" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 我的诚信档案 (教师, phone-friendly). */
/** 我的诚信档案; a decision told to the teacher (告知, 申诉) is on 处理决定与申诉 (/my/ethics). */
export function MyIntegrityPage() {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        对本人的师德处理决定及申诉，请到 <Link to="/my/ethics">处理决定与申诉</Link> 查看。
      </Typography.Text>
      <IntegrityRecordView path="/my/integrity" />
    </Space>
  );
}
