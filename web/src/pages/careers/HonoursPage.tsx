import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { afterChinaToday, chinaYear } from '../../china-time';
import { HONOUR_LEVEL_LABELS } from './CareerRecord';
import { TeacherPicker } from './TeacherPicker';

/**
 * 表彰荣誉 (issue 14 item 4): award types, nominations checked against the 师德 veto, awards that land in the
 * teacher's record (and revocation, kept with the reason), 尊师月 activities, 荣退 records.
 */

interface HonourType {
  id: number;
  name: string;
  level: string;
  description: string | null;
  orgName: string;
  canNominate: boolean;
  isOwn: boolean;
}
interface Nomination {
  id: number;
  year: number;
  status: string;
  deeds: string | null;
  decisionNote: string | null;
  honourId: number | null;
  teacherName: string;
  schoolName: string;
  typeName: string;
  level: string;
  typeOrgName: string;
  nominatedByOrgName: string;
  canDecide: boolean;
  revokedAt: string | null;
  revokedReason: string | null;
  awardedOn: string | null;
}
const STATUS: Record<string, [string, string]> = {
  nominated: ['已推荐', 'blue'],
  awarded: ['已授予', 'green'],
  rejected: ['不予表彰', 'default'],
  withdrawn: ['已撤回', 'default'],
};
const ACTIVITY_KINDS: Record<string, string> = { teacherMonth: '尊师月活动', ceremony: '表彰大会', visit: '走访慰问', other: '其他' };
const fmt = (d: Dayjs) => d.format('YYYY-MM-DD');
const LEVEL_OPTIONS = Object.entries(HONOUR_LEVEL_LABELS).map(([value, label]) => ({ value, label }));

export default function HonoursPage() {
  const [year, setYear] = useState(chinaYear());
  const years = Array.from({ length: 6 }, (_, i) => chinaYear() - i);
  return (
    <Card
      title="表彰荣誉"
      extra={<Select aria-label="年度" value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: `${y} 年` }))} style={{ width: 110 }} />}
    >
      <Tabs
        items={[
          { key: 'nominations', label: '推荐与授予', children: <NominationsTab year={year} /> },
          { key: 'types', label: '表彰项目', children: <TypesTab /> },
          { key: 'activities', label: '尊师月活动', children: <ActivitiesTab year={year} /> },
          { key: 'retirements', label: '荣退', children: <RetirementsTab /> },
        ]}
      />
    </Card>
  );
}

function useTypes() {
  return useQuery({ queryKey: ['honours', 'types'], queryFn: () => api.get<{ types: HonourType[] }>('/honours/types') });
}

function TypesTab() {
  const q = useTypes();
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <NewTypeButton />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        pagination={false}
        dataSource={q.data?.types ?? []}
        locale={{ emptyText: '暂无表彰项目' }}
        columns={[
          { title: '项目', dataIndex: 'name' },
          { title: '级别', key: 'level', render: (_, t) => HONOUR_LEVEL_LABELS[t.level] ?? t.level },
          { title: '设立单位', dataIndex: 'orgName' },
          { title: '说明', dataIndex: 'description' },
        ]}
      />
    </>
  );
}

function NewTypeButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ name: string; level: string; description?: string }>(form, async (v) => {
    await api.post('/honours/types', v);
    await invalidate(['honours']);
    message.success('已设立表彰项目');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>设立表彰项目</Button>
      <Modal open={open} title="设立表彰项目" onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} okText="设立" destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="name"
            label="项目名称"
            extra="例如：最美班主任、优秀教师、优秀班主任、教书育人楷模"
            rules={[{ required: true, message: '请填写项目名称' }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="level" label="级别" rules={[{ required: true, message: '请选择级别' }]}>
            <Select options={LEVEL_OPTIONS} />
          </Form.Item>
          <Form.Item name="description" label="说明">
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function NominationsTab({ year }: { year: number }) {
  const q = useQuery({
    queryKey: ['honours', 'nominations', { year }],
    queryFn: () => api.get<{ nominations: Nomination[] }>('/honours/nominations', { year }),
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <NominateButton year={year} />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        scroll={{ x: true }}
        dataSource={q.data?.nominations ?? []}
        locale={{ emptyText: '本年度暂无推荐' }}
        columns={[
          { title: '项目', key: 't', render: (_, n) => `${n.typeName}（${HONOUR_LEVEL_LABELS[n.level] ?? n.level}，${n.typeOrgName}）` },
          { title: '教师', key: 'n', render: (_, n) => `${n.teacherName}（${n.schoolName}）` },
          { title: '推荐单位', dataIndex: 'nominatedByOrgName' },
          { title: '事迹', dataIndex: 'deeds', ellipsis: true },
          {
            title: '状态',
            key: 's',
            render: (_, n) => (
              <Space wrap>
                <Tag color={STATUS[n.status]?.[1]}>{STATUS[n.status]?.[0] ?? n.status}</Tag>
                {n.awardedOn ? <span>{n.awardedOn}</span> : null}
                {n.revokedAt ? <Tag color="red">已撤销：{n.revokedReason}</Tag> : null}
                {n.decisionNote ? <Typography.Text type="secondary">{n.decisionNote}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: '操作', key: 'ops', render: (_, n) => <NominationActions n={n} /> },
        ]}
      />
    </>
  );
}

function NominateButton({ year }: { year: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const types = useTypes();
  const { busy, submit } = useFormSubmit<{ typeId: number; teacherIds: number[]; deeds?: string }>(form, async (v) => {
    await api.post('/honours/nominations', { ...v, year });
    await invalidate(['honours']);
    message.success('已推荐');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        推荐教师
      </Button>
      <Modal
        open={open}
        title={`推荐参加 ${year} 年度表彰`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="推荐"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Typography.Paragraph type="secondary">受师德处分、一票否决期间的教师不能推荐（系统按处分记录核查）。</Typography.Paragraph>
          <Form.Item name="typeId" label="表彰项目" rules={[{ required: true, message: '请选择表彰项目' }]}>
            <Select
              options={(types.data?.types ?? [])
                .filter((t) => t.canNominate)
                .map((t) => ({ value: t.id, label: `${t.name}（${HONOUR_LEVEL_LABELS[t.level]}，${t.orgName}）` }))}
            />
          </Form.Item>
          <Form.Item name="teacherIds" label="教师" rules={[{ required: true, message: '请选择被推荐的教师' }]}>
            <TeacherPicker multiple />
          </Form.Item>
          <Form.Item name="deeds" label="主要事迹">
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function NominationActions({ n }: { n: Nomination }) {
  const { message, modal } = App.useApp();
  const [award, setAward] = useState(false);
  const [form] = Form.useForm();
  const decide = async (body: unknown, done: string) => {
    await api.post(`/honours/nominations/${n.id}/decide`, body);
    await invalidate(['honours'], ['teachers']);
    message.success(done);
  };
  const { busy, submit } = useFormSubmit<{ awardedOn: Dayjs; note?: string }>(form, async (v) => {
    await decide({ decision: 'award', awardedOn: fmt(v.awardedOn), note: v.note }, '已授予，荣誉已记入教师档案');
    setAward(false);
  });
  const ask = (title: string, label: string, run: (text: string) => Promise<void>) => {
    let text = '';
    modal.confirm({
      title,
      content: <Input placeholder={label} onChange={(e) => (text = e.target.value)} />,
      onOk: async () => {
        try {
          await run(text);
        } catch (e) {
          message.error(e instanceof Error ? e.message : '操作失败');
          throw e;
        }
      },
    });
  };
  if (n.status === 'nominated')
    return (
      <Space>
        {n.canDecide ? (
          <>
            <Button size="small" type="primary" onClick={() => setAward(true)}>
              授予
            </Button>
            <Button size="small" onClick={() => ask('不予表彰', '原因（必填）', (t) => decide({ decision: 'reject', note: t }, '已处理'))}>
              不予表彰
            </Button>
          </>
        ) : (
          <Button size="small" onClick={() => ask('撤回推荐', '说明（可不填）', (t) => decide({ decision: 'withdraw', note: t }, '已撤回'))}>
            撤回
          </Button>
        )}
        <Modal
          open={award}
          title={`授予：${n.teacherName}`}
          onCancel={() => setAward(false)}
          onOk={() => form.submit()}
          confirmLoading={busy}
          okText="授予"
          destroyOnHidden
        >
          <Form form={form} layout="vertical" onFinish={submit}>
            <Form.Item name="awardedOn" label="授予日期" rules={[{ required: true, message: '请选择授予日期' }]}>
              <DatePicker disabledDate={afterChinaToday} />
            </Form.Item>
            <Form.Item name="note" label="说明">
              <Input maxLength={500} />
            </Form.Item>
          </Form>
        </Modal>
      </Space>
    );
  if (n.status === 'awarded' && n.honourId && !n.revokedAt && n.canDecide)
    return (
      <Button
        size="small"
        danger
        onClick={() =>
          ask('撤销荣誉（记录保留）', '撤销原因（必填）', async (t) => {
            await api.post(`/honours/awards/${n.honourId}/revoke`, { reason: t });
            await invalidate(['honours'], ['teachers']);
            message.success('已撤销');
          })
        }
      >
        撤销荣誉
      </Button>
    );
  return null;
}

function ActivitiesTab({ year }: { year: number }) {
  const q = useQuery({
    queryKey: ['honours', 'activities', { year }],
    queryFn: () =>
      api.get<{ activities: { id: number; heldOn: string; title: string; kind: string; participants: number | null; note: string | null; orgName: string }[] }>(
        '/honours/activities',
        { year },
      ),
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <Typography.Paragraph type="secondary">每年 9 月为尊师月（000 §二（一））：登记本单位开展的尊师重教活动。</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <ActivityButton />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        pagination={false}
        dataSource={q.data?.activities ?? []}
        locale={{ emptyText: '本年度暂无活动' }}
        columns={[
          { title: '日期', dataIndex: 'heldOn' },
          { title: '活动', dataIndex: 'title' },
          { title: '类型', key: 'k', render: (_, a) => ACTIVITY_KINDS[a.kind] ?? a.kind },
          { title: '参加人数', dataIndex: 'participants' },
          { title: '单位', dataIndex: 'orgName' },
        ]}
      />
    </>
  );
}

function ActivityButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ heldOn: Dayjs; title: string; kind: string; participants?: number; note?: string }>(form, async (v) => {
    await api.post('/honours/activities', { ...v, heldOn: fmt(v.heldOn) });
    await invalidate(['honours']);
    message.success('已登记');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>登记活动</Button>
      <Modal
        open={open}
        title="登记尊师重教活动"
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="登记"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'teacherMonth' }}>
          <Form.Item name="title" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label="类型">
            <Select options={Object.entries(ACTIVITY_KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker disabledDate={afterChinaToday} />
          </Form.Item>
          <Form.Item name="participants" label="参加人数">
            <InputNumber min={0} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function RetirementsTab() {
  const q = useQuery({
    queryKey: ['honours', 'retirements'],
    queryFn: () =>
      api.get<{
        records: { id: number; teacherName: string; retiredOn: string; ceremonyOn: string; serviceYears: number; orgName: string }[];
        candidates: { teacherId: number; name: string; orgName: string; retiredOn: string }[];
      }>('/honours/retirements'),
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>近两年退休、尚未登记荣退的教师</Typography.Title>
      <Table
        rowKey="teacherId"
        size="small"
        pagination={false}
        dataSource={q.data?.candidates ?? []}
        locale={{ emptyText: '暂无' }}
        columns={[
          { title: '教师', dataIndex: 'name' },
          { title: '学校', dataIndex: 'orgName' },
          { title: '退休日期', dataIndex: 'retiredOn' },
          { title: '', key: 'op', render: (_, c) => <RetireButton teacherId={c.teacherId} name={c.name} /> },
        ]}
      />
      <Typography.Title level={5}>荣退记录</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        dataSource={q.data?.records ?? []}
        locale={{ emptyText: '暂无荣退记录' }}
        columns={[
          { title: '教师', dataIndex: 'teacherName' },
          { title: '退休日期', dataIndex: 'retiredOn' },
          { title: '从教年限', key: 'y', render: (_, r) => `${r.serviceYears} 年` },
          { title: '荣退仪式', dataIndex: 'ceremonyOn' },
          { title: '登记单位', dataIndex: 'orgName' },
        ]}
      />
    </Space>
  );
}

function RetireButton({ teacherId, name }: { teacherId: number; name: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<{ ceremonyOn: Dayjs; note?: string }>(form, async (v) => {
    await api.post('/honours/retirements', { teacherId, ceremonyOn: fmt(v.ceremonyOn), note: v.note });
    await invalidate(['honours'], ['teachers']);
    message.success('已登记荣退');
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        登记荣退
      </Button>
      <Modal
        open={open}
        title={`登记荣退：${name}`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="登记"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Typography.Paragraph type="secondary">退休日期与从教年限取自教师档案。</Typography.Paragraph>
          <Form.Item name="ceremonyOn" label="荣退仪式日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
