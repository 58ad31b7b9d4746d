import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { KeyTeacherView } from './MyKeyTeacherPage';
import { ObjectionButton, ReviewButton } from './NominationActions';

/**
 * 骨干教师评选 (issue 13 item 2): the bureau opens rounds with quotas, reviews, publishes 公示, records objections and
 * designates; a school (or sub-bureau) checks its candidates' eligibility (every reason shown before submitting) and
 * nominates within its quota.
 */

interface Rules {
  source: string;
  rules: { tiers: string[]; categories: { code: string; label: string }[]; termYears: number; duties: { code: string; label: string }[] };
}
interface RoundRow {
  id: number;
  orgName: string;
  title: string;
  tierLabel: string;
  categories: string[];
  asOf: string;
  nominateUntil: string;
  status: string;
  statusLabel: string;
  publicityFrom: string | null;
  publicityUntil: string | null;
  termFrom: string | null;
  termUntil: string | null;
}
interface Reason {
  code: string;
  message: string;
  cite: string | null;
}
export interface Nomination {
  id: number;
  teacherId: number;
  teacherName: string;
  schoolName: string;
  category: string;
  eligibility: Reason[];
  status: string;
  score: number | null;
  reviewComment: string | null;
  objections: { id: number; receivedOn: string; content: string; upheld: boolean }[];
}
interface RoundDetail extends RoundRow {
  manager: boolean;
  quotas: { orgId: number; orgName: string; quota: number; used: number }[];
  nominations: Nomination[];
}

const TIERS: Record<string, string> = { school: '校级', county: '县级', city: '市级', province: '省级' };
const NOMINATION_STATUS: Record<string, string> = {
  nominated: '已推荐',
  passed: '评审通过',
  failed: '未通过',
  withdrawn: '已撤回',
  objected: '公示异议成立',
  designated: '已认定',
};
const fmt = (d: Dayjs) => d.format('YYYY-MM-DD');

export default function KeyTeachersPage() {
  const { can } = useAuth();
  const [open, setOpen] = useState<number | null>(null);
  const rules = useQuery({ queryKey: ['key-teachers', 'rules'], queryFn: () => api.get<Rules>('/key-teachers/rules') });
  const rounds = useQuery({ queryKey: ['key-teachers', 'rounds'], queryFn: () => api.get<RoundRow[]>('/key-teachers/rounds') });
  if (rounds.error) return <LoadError error={rounds.error} onRetry={() => void rounds.refetch()} />;
  const catLabel = (c: string) => rules.data?.rules.categories.find((x) => x.code === c)?.label ?? c;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title="骨干教师评选（三级三类）" extra={can('keyTeachers.manage') && rules.data ? <CreateRoundButton rules={rules.data} /> : null}>
        {rules.data ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
            适用规则：{rules.data.source}；任期 {rules.data.rules.termYears} 年。
          </Typography.Paragraph>
        ) : null}
        <Table
          rowKey="id"
          size="small"
          loading={rounds.isPending}
          dataSource={rounds.data ?? []}
          locale={{ emptyText: '暂无评选' }}
          columns={[
            { title: '评选', dataIndex: 'title' },
            { title: '开展单位', dataIndex: 'orgName' },
            { title: '层级', dataIndex: 'tierLabel' },
            { title: '类别', key: 'cat', render: (_, r) => r.categories.map(catLabel).join('、') },
            { title: '基准日', dataIndex: 'asOf' },
            { title: '推荐截止', dataIndex: 'nominateUntil' },
            { title: '状态', key: 'status', render: (_, r) => <Tag>{r.statusLabel}</Tag> },
            {
              title: '',
              key: 'open',
              render: (_, r) => (
                <Button size="small" type="link" onClick={() => setOpen(r.id)}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {open ? <RoundView key={open} id={open} catLabel={catLabel} /> : null}
      {can('keyTeachers.manage') ? <TermLookup /> : null}
    </Space>
  );
}

/** 任期管理: find a teacher, see their designations and record 年度考核 / 续任 / 退出. */
function TermLookup() {
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<number | null>(null);
  const hits = useQuery({
    queryKey: ['teachers', { q, pageSize: 20 }],
    queryFn: () => api.get<{ items: { id: number; name: string; orgName: string }[] }>('/teachers', { q, pageSize: 20 }),
    enabled: q.length > 0,
  });
  return (
    <Card size="small" title="任期管理（年度考核、续任、退出）">
      <Input.Search placeholder="按教师姓名查找" allowClear enterButton="查找" onSearch={(v) => setQ(v.trim())} style={{ maxWidth: 360 }} />
      {q && hits.data ? (
        <Space wrap style={{ margin: '12px 0' }}>
          {hits.data.items.map((t) => (
            <Button key={t.id} size="small" type={picked === t.id ? 'primary' : 'default'} onClick={() => setPicked(t.id)}>
              {t.name}（{t.orgName}）
            </Button>
          ))}
        </Space>
      ) : null}
      {picked ? <KeyTeacherView key={picked} path={`/teachers/${picked}/key-teacher`} manage /> : null}
    </Card>
  );
}

function CreateRoundButton({ rules }: { rules: Rules }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { me } = useAuth();
  const orgs = useQuery({
    queryKey: ['orgs'],
    queryFn: () => api.get<{ id: number; name: string; kind: string }[]>('/orgs'),
    enabled: open,
  });
  const quotaOrgs = (orgs.data ?? []).filter((o) => o.id !== me?.orgId && (o.kind === 'school' || o.kind === 'bureau'));
  const { busy, submit } = useFormSubmit<{
    title: string;
    tier: string;
    categories: string[];
    asOf: Dayjs;
    nominateUntil: Dayjs;
    quotas: { orgId: number; quota: number }[];
  }>(form, async (v) => {
    await api.post('/key-teachers/rounds', { ...v, asOf: fmt(v.asOf), nominateUntil: fmt(v.nominateUntil), quotas: v.quotas ?? [] });
    await invalidate(['key-teachers']);
    message.success('评选已开展');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button type="primary" size="small" onClick={() => setOpen(true)}>
        开展评选
      </Button>
      <Modal
        open={open}
        title="开展骨干教师评选"
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText="开展"
        width={640}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="title" label="评选名称" rules={[{ required: true, message: '请填写评选名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="tier" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
            <Select options={rules.rules.tiers.map((t) => ({ value: t, label: TIERS[t] ?? t }))} />
          </Form.Item>
          <Form.Item name="categories" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select mode="multiple" options={rules.rules.categories.map((c) => ({ value: c.code, label: c.label }))} />
          </Form.Item>
          <Space>
            <Form.Item name="asOf" label="评选基准日（核查推荐条件的日期）" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="nominateUntil" label="推荐截止日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.List name="quotas">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'orgId']} rules={[{ required: true, message: '请选择单位' }]}>
                      <Select
                        style={{ width: 260 }}
                        placeholder="单位"
                        showSearch
                        optionFilterProp="label"
                        options={quotaOrgs.map((o) => ({ value: o.id, label: o.name }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quota']} rules={[{ required: true, message: '请填写名额' }]}>
                      <InputNumber min={0} placeholder="名额" />
                    </Form.Item>
                    <Button type="link" onClick={() => remove(f.name)}>
                      删除
                    </Button>
                  </Space>
                ))}
                <Button onClick={() => add()}>添加单位名额</Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}

function RoundView({ id, catLabel }: { id: number; catLabel: (c: string) => string }) {
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const q = useQuery({ queryKey: ['key-teachers', 'rounds', id], queryFn: () => api.get<RoundDetail>(`/key-teachers/rounds/${id}`) });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  if (!r) return <Card loading />;
  const act = async (path: string, body: unknown, done: string) => {
    try {
      await api.post(path, body);
      await invalidate(['key-teachers']);
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const dateAction = (title: string, path: string, range: boolean, done: string) => {
    let from: Dayjs | null = null;
    let until: Dayjs | null = null;
    modal.confirm({
      title,
      content: range ? (
        <DatePicker.RangePicker placeholder={['公示开始日期', '公示结束日期']} onChange={(v) => ([from, until] = [v?.[0] ?? null, v?.[1] ?? null])} />
      ) : (
        <DatePicker onChange={(v) => (from = v)} placeholder="任期开始日期" />
      ),
      onOk: () => {
        if (!from || (range && !until)) {
          message.error('请选择日期');
          return Promise.reject();
        }
        return act(path, range ? { from: fmt(from), until: fmt(until as Dayjs) } : { termFrom: fmt(from) }, done);
      },
    });
  };
  return (
    <Card
      size="small"
      title={r.title}
      extra={
        r.manager ? (
          <Space wrap>
            {r.status === 'nominating' ? <Button onClick={() => act(`/key-teachers/rounds/${id}/close`, {}, '已结束推荐，进入评审')}>结束推荐</Button> : null}
            {r.status === 'reviewing' ? (
              <Button onClick={() => dateAction('公示期', `/key-teachers/rounds/${id}/publicize`, true, '已公示')}>公示</Button>
            ) : null}
            {r.status === 'publicizing' ? (
              <Button type="primary" onClick={() => dateAction('认定：任期开始日期（公示结束之后）', `/key-teachers/rounds/${id}/designate`, false, '已认定')}>
                认定
              </Button>
            ) : null}
            {['nominating', 'reviewing', 'publicizing'].includes(r.status) ? (
              <Button danger onClick={() => act(`/key-teachers/rounds/${id}/cancel`, {}, '评选已撤销')}>
                撤销评选
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label="状态">{r.statusLabel}</Descriptions.Item>
        <Descriptions.Item label="层级">{r.tierLabel}</Descriptions.Item>
        <Descriptions.Item label="基准日">{r.asOf}</Descriptions.Item>
        <Descriptions.Item label="公示期">{r.publicityFrom ? `${r.publicityFrom} 至 ${r.publicityUntil}` : '—'}</Descriptions.Item>
        <Descriptions.Item label="任期">{r.termFrom ? `${r.termFrom} 至 ${r.termUntil}` : '—'}</Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="orgId"
        size="small"
        pagination={false}
        style={{ marginBottom: 12 }}
        dataSource={r.quotas}
        columns={[
          { title: '单位', dataIndex: 'orgName' },
          { title: '名额', dataIndex: 'quota' },
          { title: '已推荐', dataIndex: 'used' },
        ]}
      />
      {can('keyTeachers.nominate') && r.status === 'nominating' ? <NominateForm round={r} catLabel={catLabel} /> : null}
      <Table
        rowKey="id"
        size="small"
        dataSource={r.nominations}
        locale={{ emptyText: '暂无推荐人选' }}
        columns={[
          { title: '教师', dataIndex: 'teacherName' },
          { title: '学校', dataIndex: 'schoolName' },
          { title: '类别', key: 'cat', render: (_, n) => catLabel(n.category) },
          { title: '状态', key: 'status', render: (_, n) => <Tag>{NOMINATION_STATUS[n.status] ?? n.status}</Tag> },
          { title: '评分', dataIndex: 'score' },
          { title: '评审意见', dataIndex: 'reviewComment' },
          {
            title: '公示异议',
            key: 'obj',
            render: (_, n) => n.objections.map((o) => <div key={o.id}>{`${o.receivedOn} ${o.content}（${o.upheld ? '成立' : '不成立'}）`}</div>),
          },
          {
            title: '',
            key: 'act',
            render: (_, n) =>
              r.manager ? (
                <Space>
                  {r.status === 'reviewing' ? <ReviewButton nomination={n} /> : null}
                  {r.status === 'publicizing' && n.status === 'passed' ? <ObjectionButton nomination={n} /> : null}
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

function ReasonsList({ reasons }: { reasons: Reason[] }) {
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }}>
      {reasons.map((x) => (
        <li key={x.code + x.message}>
          {x.message}
          {x.cite ? <Typography.Text type="secondary">（依据：{x.cite}）</Typography.Text> : null}
        </li>
      ))}
    </ul>
  );
}

function NominateForm({ round, catLabel }: { round: RoundDetail; catLabel: (c: string) => string }) {
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [teacherIds, setTeacherIds] = useState<number[]>([]);
  const [category, setCategory] = useState<string | undefined>(round.categories[0]);
  const [checked, setChecked] = useState<{ teacherId: number; teacherName: string; eligible: boolean; reasons: Reason[] }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const hits = useQuery({
    queryKey: ['teachers', { q: search, pageSize: 20 }],
    queryFn: () => api.get<{ items: { id: number; name: string; orgName: string }[] }>('/teachers', { q: search, pageSize: 20 }),
    enabled: search.length > 0,
  });
  const run = async (submit: boolean) => {
    setBusy(true);
    try {
      const body = { category, teacherIds };
      if (submit) {
        await api.post(`/key-teachers/rounds/${round.id}/nominations`, body);
        await invalidate(['key-teachers']);
        message.success('已推荐');
        setTeacherIds([]);
        setChecked(null);
      } else setChecked((await api.post<{ teachers: NonNullable<typeof checked> }>(`/key-teachers/rounds/${round.id}/eligibility`, body)).teachers);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const allOk = checked?.every((c) => c.eligible) ?? false;
  return (
    <Card size="small" type="inner" title="推荐人选" style={{ marginBottom: 12 }}>
      <Space wrap>
        <Select style={{ width: 160 }} value={category} onChange={setCategory} options={round.categories.map((c) => ({ value: c, label: catLabel(c) }))} />
        <Select
          mode="multiple"
          showSearch
          filterOption={false}
          style={{ minWidth: 320 }}
          placeholder="按姓名查找教师"
          value={teacherIds}
          onSearch={(v) => setSearch(v.trim())}
          onChange={(v) => {
            setTeacherIds(v);
            setChecked(null);
          }}
          options={(hits.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name}（${t.orgName}）` }))}
        />
        <Button disabled={!teacherIds.length || !category} loading={busy} onClick={() => run(false)}>
          核查推荐条件
        </Button>
        <Button type="primary" disabled={!allOk} loading={busy} onClick={() => run(true)}>
          提交推荐
        </Button>
      </Space>
      {checked ? (
        <div style={{ marginTop: 12 }}>
          {checked.map((c) =>
            c.eligible ? (
              <Alert key={c.teacherId} type="success" showIcon title={`${c.teacherName}：符合推荐条件`} style={{ marginBottom: 8 }} />
            ) : (
              <Alert
                key={c.teacherId}
                type="error"
                showIcon
                title={`${c.teacherName}：不符合推荐条件`}
                description={<ReasonsList reasons={c.reasons} />}
                style={{ marginBottom: 8 }}
              />
            ),
          )}
        </div>
      ) : null}
    </Card>
  );
}
