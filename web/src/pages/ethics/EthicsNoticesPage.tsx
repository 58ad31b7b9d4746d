import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Pagination,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { CheckOutlined, NotificationOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { useFormSubmit } from '../../hooks';
import PageCard from '../../components/PageCard';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import {
  NAME_MASK_OPTIONS,
  SANCTION_OPTIONS,
  type EthicsSession,
  type Meeting,
  type MeetingDetail,
  type Notice,
  type NoticeDetail,
  type NoticeSchools,
} from './types';
import { chinaToday } from '../../china-time';

const PAGE_SIZE = 20;
const when = (d: string | null) => (d ? dayjs(d).format('YYYY-MM-DD HH:mm') : '');

/** One notice: its text (the teacher named as the officer chose), the school's confirmation, the officer's per-school status. */
function NoticeView({ id }: { id: number }) {
  const { message, modal } = App.useApp();
  const n = useQuery({ queryKey: ['ethics', 'notices', id], queryFn: () => api.get<NoticeDetail>(`/ethics/notices/${id}`) });
  const schools = useQuery({
    queryKey: ['ethics', 'notices', id, 'schools'],
    queryFn: () => api.get<NoticeSchools>(`/ethics/notices/${id}/schools`),
    enabled: !!n.data?.canManage,
  });
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  if (n.error) return <LoadError error={n.error} onRetry={() => void n.refetch()} />;
  if (!n.data) return <PageLoading />;
  const d = n.data;
  const confirm = async () => {
    await api.post(`/ethics/notices/${id}/confirm`);
    message.success('已确认阅读');
    await invalidate(['ethics', 'notices']);
  };
  const remind = async () => {
    const r = await api.post<{ schools: number; users: number }>(`/ethics/notices/${id}/remind`);
    message.success(r.schools ? `已提醒 ${r.schools} 所学校` : '所有学校均已确认');
    await invalidate(['ethics', 'notices', id]);
  };
  const withdraw = async () => {
    await api.post(`/ethics/notices/${id}/withdraw`, { reason });
    message.success('通报已撤回');
    setWithdrawing(false);
    await invalidate(['ethics', 'notices']);
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="ethics-notice-detail">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {d.title} {d.withdrawn && <Tag color="default">已撤回</Tag>}
      </Typography.Title>
      <Typography.Text type="secondary">
        {d.publisherOrgName} · 发布日期 {d.publishedOn} · 发往 {d.targetOrgName}
      </Typography.Text>
      {d.withdrawn && (
        <Typography.Text type="danger">
          撤回原因：{d.withdrawnReason}（{when(d.withdrawnAt)}）
        </Typography.Text>
      )}
      {(d.subjectLabel || d.sanctionLabel) && (
        <Descriptions size="small" column={2} bordered>
          {d.subjectLabel && <Descriptions.Item label="当事教师">{d.subjectLabel}</Descriptions.Item>}
          {d.sanctionLabel && <Descriptions.Item label="处理">{d.sanctionLabel}</Descriptions.Item>}
        </Descriptions>
      )}
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.body}</Typography.Paragraph>
      {d.mySchool &&
        (d.myConfirmedAt ? (
          <Tag color="green" icon={<CheckOutlined />} data-testid="notice-confirmed">
            本校已确认：{d.myConfirmedByName} {when(d.myConfirmedAt)}
          </Tag>
        ) : d.canConfirm ? (
          <Button type="primary" icon={<CheckOutlined />} onClick={() => void confirm().catch((e) => message.error(String(e.message ?? e)))}>
            确认已阅
          </Button>
        ) : null)}
      {d.canManage && schools.data && (
        <Card
          size="small"
          title="各校确认情况"
          data-testid="notice-schools"
          extra={
            !d.withdrawn && (
              <Space>
                <Button
                  size="small"
                  disabled={schools.data.confirmed === schools.data.schools}
                  onClick={() => void remind().catch((e) => message.error(String(e.message ?? e)))}
                >
                  提醒未确认学校
                </Button>
                <Button size="small" danger onClick={() => setWithdrawing(true)}>
                  撤回
                </Button>
              </Space>
            )
          }
        >
          <Space size={32} style={{ marginBottom: 8 }}>
            <Statistic title="接收学校" value={schools.data.schools} />
            <Statistic title="已确认" value={schools.data.confirmed} />
            <Statistic title="未确认" value={schools.data.schools - schools.data.confirmed} />
          </Space>
          <Table
            size="small"
            rowKey="schoolOrgId"
            pagination={false}
            scroll={{ x: 'max-content', y: 360 }}
            dataSource={schools.data.items}
            columns={[
              { title: '学校', dataIndex: 'schoolName' },
              { title: '状态', dataIndex: 'confirmed', render: (c: boolean) => (c ? <Tag color="green">已确认</Tag> : <Tag color="red">未确认</Tag>) },
              { title: '确认人', dataIndex: 'confirmedByName' },
              { title: '确认时间', dataIndex: 'confirmedAt', render: when },
              { title: '最近提醒', dataIndex: 'remindedAt', render: when },
            ]}
          />
        </Card>
      )}
      <Modal
        open={withdrawing}
        title="撤回通报"
        okText="撤回"
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onCancel={() => setWithdrawing(false)}
        onOk={() =>
          modal.confirm({
            title: '确定撤回？',
            content: '撤回后记录保留，学校不再需要确认。',
            onOk: () => withdraw().catch((e) => message.error(String(e.message ?? e))),
          })
        }
      >
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="撤回原因（必填）" />
      </Modal>
    </Space>
  );
}

interface PublishValues {
  title: string;
  body: string;
  targetOrgId: number;
  caseId?: number;
  nameMask?: string;
  sanctionKind?: string;
}

function PublishModal({ onClose }: { onClose: (id?: number) => void }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const { tree } = useOrgTree(me?.id);
  const [form] = Form.useForm<PublishValues>();
  const caseId = Form.useWatch('caseId', form);
  const { busy, submit } = useFormSubmit<PublishValues>(form, async (v) => {
    const r = await api.post<{ id: number; schools: number }>('/ethics/notices', { ...v, caseId: v.caseId || null, nameMask: v.caseId ? v.nameMask : null });
    message.success(`通报已发布，发往 ${r.schools} 所学校`);
    await invalidate(['ethics']);
    onClose(r.id);
  });
  return (
    <Modal open title="发布典型问题通报" onCancel={() => onClose()} onOk={() => form.submit()} okText="发布" confirmLoading={busy} width={720} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ nameMask: 'surname' }}>
        <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="targetOrgId" label="发往（所选单位下的全部学校）" rules={[{ required: true, message: '请选择单位' }]}>
          <OrgTreeSelect tree={tree} placeholder="选择区县或学校" style={{ width: '100%' }} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="caseId" label="关联案件编号（可选）">
            <Input type="number" style={{ width: 160 }} />
          </Form.Item>
          {caseId ? (
            <Form.Item name="nameMask" label="当事教师姓名显示" rules={[{ required: true, message: '请选择' }]}>
              <Select options={NAME_MASK_OPTIONS} style={{ width: 200 }} />
            </Form.Item>
          ) : null}
          <Form.Item name="sanctionKind" label="处理种类（可选）">
            <Select options={SANCTION_OPTIONS} allowClear style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item name="body" label="通报正文" rules={[{ required: true, message: '请填写通报正文' }]}>
          <Input.TextArea rows={8} maxLength={10000} showCount />
        </Form.Item>
        <Typography.Text type="secondary">通报发布后不可修改；如有错误，可撤回（须填原因）后重新发布。</Typography.Text>
      </Form>
    </Modal>
  );
}

function NoticeList({ onOpen, manager }: { onOpen: (id: number) => void; manager: boolean }) {
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['ethics', 'notices', 'list', page],
    queryFn: () => api.get<{ items: Notice[]; total: number }>('/ethics/notices', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <PageLoading />;
  if (!q.data.items.length) return <EmptyState text="暂无师德通报" />;
  return (
    <>
      <List
        dataSource={q.data.items}
        data-testid="ethics-notice-list"
        renderItem={(n) => (
          <List.Item
            key={n.id}
            style={{ cursor: 'pointer' }}
            onClick={() => onOpen(n.id)}
            actions={[
              <Button key="open" type="link" size="small">
                查看
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={
                <Space wrap size={6}>
                  {n.withdrawn ? <Tag>已撤回</Tag> : n.mySchool ? n.myConfirmedAt ? <Tag color="green">已确认</Tag> : <Tag color="red">待确认</Tag> : null}
                  <Typography.Text strong>{n.title}</Typography.Text>
                </Space>
              }
              description={`${n.publisherOrgName} · ${n.publishedOn} · 发往 ${n.targetOrgName}${manager && n.schools !== null ? ` · 已确认 ${n.confirmed}/${n.schools}` : ''}`}
            />
          </List.Item>
        )}
      />
      {q.data.total > PAGE_SIZE && (
        <Pagination style={{ marginTop: 12, textAlign: 'right' }} current={page} pageSize={PAGE_SIZE} total={q.data.total} onChange={setPage} />
      )}
    </>
  );
}

interface MeetingValues {
  orgId: number;
  heldOn: Dayjs;
  place: string;
  topic: string;
  sessionId?: number;
  noticeIds?: number[];
}

function MeetingModal({ onClose }: { onClose: () => void }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const { tree } = useOrgTree(me?.id);
  const [form] = Form.useForm<MeetingValues>();
  const sessions = useQuery({ queryKey: ['ethics', 'meeting-sessions'], queryFn: () => api.get<{ items: EthicsSession[] }>('/ethics/meeting-sessions') });
  const notices = useQuery({
    queryKey: ['ethics', 'notices', 'list', 1],
    queryFn: () => api.get<{ items: Notice[]; total: number }>('/ethics/notices', { page: 1, pageSize: 20 }),
  });
  const { busy, submit } = useFormSubmit<MeetingValues>(form, async (v) => {
    await api.post('/ethics/meetings', { ...v, heldOn: v.heldOn.format('YYYY-MM-DD'), sessionId: v.sessionId ?? null, noticeIds: v.noticeIds ?? [] });
    message.success('警示教育会议已登记');
    await invalidate(['ethics']);
    onClose();
  });
  return (
    <Modal open title="登记警示教育会议" onCancel={onClose} onOk={() => form.submit()} okText="登记" confirmLoading={busy} width={680} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ heldOn: chinaToday() }}>
        <Form.Item name="topic" label="主题" rules={[{ required: true, message: '请填写主题' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="place" label="地点" rules={[{ required: true, message: '请填写地点' }]}>
            <Input maxLength={100} style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Form.Item name="orgId" label="组织单位" rules={[{ required: true, message: '请选择单位' }]}>
          <OrgTreeSelect tree={tree} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="sessionId" label="签到场次（出勤取自该场次的扫码或手工签到）" extra="在培训项目中为会议建一个师德类场次，教师扫码签到，学时照常认定。">
          <Select
            allowClear
            loading={sessions.isPending}
            options={(sessions.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.date} ${s.project_name} · ${s.title}（已签到 ${s.attended} 人）` }))}
          />
        </Form.Item>
        <Form.Item name="noticeIds" label="学习的通报">
          <Select mode="multiple" allowClear options={(notices.data?.items ?? []).filter((n) => !n.withdrawn).map((n) => ({ value: n.id, label: n.title }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MeetingView({ id, onClose }: { id: number; onClose: () => void }) {
  const m = useQuery({ queryKey: ['ethics', 'meetings', id], queryFn: () => api.get<MeetingDetail>(`/ethics/meetings/${id}`) });
  return (
    <Modal open title={m.data?.topic ?? '警示教育会议'} onCancel={onClose} footer={<Button onClick={onClose}>关闭</Button>} width={680}>
      {m.error ? (
        <LoadError error={m.error} />
      ) : !m.data ? (
        <PageLoading />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {m.data.heldOn} · {m.data.place} · {m.data.orgName}
          </Typography.Text>
          <span>签到场次：{m.data.sessionTitle ? `${m.data.projectName} · ${m.data.sessionTitle}` : '未关联'}</span>
          <span>学习通报：{m.data.notices.map((n) => n.title).join('；') || '无'}</span>
          <Table
            size="small"
            rowKey="orgId"
            pagination={false}
            dataSource={m.data.bySchool}
            columns={[
              { title: '学校', dataIndex: 'orgName' },
              { title: '出勤人数', dataIndex: 'attended', width: 100 },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                <Table.Summary.Cell index={1}>{m.data.attended}</Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </Space>
      )}
    </Modal>
  );
}

function Meetings() {
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const q = useQuery({ queryKey: ['ethics', 'meetings'], queryFn: () => api.get<{ items: Meeting[] }>('/ethics/meetings') });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => setAdding(true)}>
        登记会议
      </Button>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <PageLoading />
      ) : (
        <Table
          size="small"
          rowKey="id"
          dataSource={q.data.items}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '日期', dataIndex: 'heldOn', width: 110 },
            { title: '主题', dataIndex: 'topic' },
            { title: '单位', dataIndex: 'orgName' },
            { title: '地点', dataIndex: 'place' },
            { title: '出勤', dataIndex: 'attended', width: 70, render: (n: number, r) => (r.sessionId ? n : '—') },
          ]}
        />
      )}
      {adding && <MeetingModal onClose={() => setAdding(false)} />}
      {open !== null && <MeetingView id={open} onClose={() => setOpen(null)} />}
    </Space>
  );
}

/** 师德通报 (and, for the 师德专干, 警示教育 meetings): /ethics/notices and /ethics/notices/:id. */
export default function EthicsNoticesPage() {
  const { me } = useAuth();
  const { id } = useParams();
  const navigate = useNavigate();
  const [publishing, setPublishing] = useState(false);
  const officer = me?.role === 'ethicsOfficer';
  if (id)
    return (
      <PageCard title="师德通报" actions={<Button onClick={() => navigate('/ethics/notices')}>返回列表</Button>}>
        <NoticeView id={Number(id)} />
      </PageCard>
    );
  const list = <NoticeList manager={officer} onOpen={(n) => navigate(`/ethics/notices/${n}`)} />;
  return (
    <PageCard
      title={officer ? '通报与警示教育' : '师德通报'}
      testId="ethics-notices"
      actions={
        officer && (
          <Button type="primary" icon={<NotificationOutlined />} onClick={() => setPublishing(true)}>
            发布通报
          </Button>
        )
      }
    >
      {officer ? (
        <Tabs
          items={[
            { key: 'notices', label: '典型问题通报', children: list },
            { key: 'meetings', label: '警示教育会议', children: <Meetings /> },
          ]}
        />
      ) : (
        list
      )}
      {publishing && (
        <PublishModal
          onClose={(n) => {
            setPublishing(false);
            if (n) navigate(`/ethics/notices/${n}`);
          }}
        />
      )}
    </PageCard>
  );
}
