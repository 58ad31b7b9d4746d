import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Progress, Row, Select, Space, Switch, Table, Tabs, Tag, TimePicker, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, PlusOutlined, QrcodeOutlined, TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import type { AttendanceList, AttendanceRow, CloseResult, EnrolmentDto, EnrolResult, Page, ProjectDetail, SessionDto } from '../../api/types';
import { useAuth } from '../../auth';
import TeacherPicker from '../../components/TeacherPicker';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { applyFormError, useApi, useIsMobile } from '../../hooks';
import { CATEGORIES, label, options, PROJECT_FORMS, PROJECT_LEVELS, STAGES } from '../../vocab';
import { PROJECT_STATUS } from './ProjectListPage';

const METHODS: Record<string, string> = { qr: '扫码签到', manual: '手工补录', import: '导入' };
const pct = (r: number) => Math.round((r <= 1 ? r * 100 : r) * 10) / 10;
const time = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');

interface NewSession {
  title: string;
  date: Dayjs;
  startTime: Dayjs;
  endTime: Dayjs;
  place: string;
  hours: number;
  category: string;
}

function SessionModal({ project, open, onClose, onSaved }: { project: ProjectDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<NewSession>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (v: NewSession) => {
    setBusy(true);
    try {
      await api.post(`/projects/${project.id}/sessions`, {
        title: v.title.trim(),
        date: v.date.format('YYYY-MM-DD'),
        startTime: v.startTime.format('HH:mm'),
        endTime: v.endTime.format('HH:mm'),
        place: v.place.trim(),
        hours: v.hours,
        category: v.category,
      });
      message.success('已添加场次');
      form.resetFields();
      onSaved();
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="添加场次" open={open} onCancel={onClose} onOk={() => form.submit()} okText="添加" confirmLoading={busy} destroyOnHidden forceRender>
      <Form<NewSession> form={form} layout="vertical" onFinish={submit} initialValues={{ hours: 3, category: project.categories[0] }} data-testid="session-form">
        <Form.Item name="title" label="场次名称" rules={[{ required: true, whitespace: true, message: '请输入场次名称' }, { min: 2, message: '至少 2 个字' }, { max: 100, message: '不超过 100 字' }]}>
          <Input placeholder="如：第一讲 新时代师德规范" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item name="startTime" label="开始" rules={[{ required: true, message: '请选择开始时间' }]}>
              <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item
              name="endTime"
              label="结束"
              dependencies={['startTime']}
              rules={[
                { required: true, message: '请选择结束时间' },
                ({ getFieldValue }) => ({
                  validator: async (_, v: Dayjs | undefined) => {
                    const s = getFieldValue('startTime') as Dayjs | undefined;
                    if (v && s && v.format('HH:mm') <= s.format('HH:mm')) throw new Error('结束时间应晚于开始时间');
                  },
                }),
              ]}
            >
              <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="place" label="地点" rules={[{ required: true, whitespace: true, message: '请填写培训地点' }, { max: 100, message: '不超过 100 字' }]}>
          <Input placeholder="如：市教师发展中心 301 报告厅" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="hours" label="学时" rules={[{ required: true, message: '请输入学时' }]}>
              <InputNumber min={0.5} max={12} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="category" label="培训类别" rules={[{ required: true, message: '请选择培训类别' }]}>
              <Select options={options(CATEGORIES)} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function AttendanceDrawer({ session, onClose, readOnly }: { session: SessionDto | null; onClose: (changed: boolean) => void; readOnly: boolean }) {
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const id = session?.id;
  const { data, loading, error, reload, setData } = useApi(() => (id ? api.get<AttendanceList>(`/sessions/${id}/attendance`) : Promise.resolve(undefined)), [id]);
  const [busy, setBusy] = useState<number | null>(null);
  const [changed, setChanged] = useState(false);
  const toggle = async (row: AttendanceRow, present: boolean) => {
    if (!id || !data) return;
    setBusy(row.teacherId);
    try {
      const updated = await api.put<Partial<AttendanceRow> | undefined>(`/sessions/${id}/attendance/${row.teacherId}`, { present });
      setData({ ...data, items: data.items.map((r) => (r.teacherId === row.teacherId ? { ...r, present, method: present ? 'manual' : null, at: present ? new Date().toISOString() : null, ...(updated ?? {}) } : r)) });
      setChanged(true);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const present = data?.items.filter((r) => r.present).length ?? 0;
  return (
    <Drawer
      title={session ? `考勤：${session.title}` : '考勤'}
      open={!!session}
      onClose={() => {
        onClose(changed);
        setChanged(false);
      }}
      size={mobile ? '100%' : 720}
      destroyOnHidden
    >
      {loading && !data ? (
        <PageLoading />
      ) : error ? (
        <LoadError error={error} onRetry={reload} />
      ) : data ? (
        <>
          <Space style={{ marginBottom: 12 }} wrap>
            <Typography.Text>
              {data.session.date} {data.session.startTime}–{data.session.endTime}
            </Typography.Text>
            <Tag color="blue">
              已到 {present} / {data.items.length} 人
            </Tag>
            <Button size="small" onClick={reload}>
              刷新
            </Button>
          </Space>
          <Table<AttendanceRow>
            size="small"
            rowKey="teacherId"
            dataSource={data.items}
            pagination={data.items.length > 50 ? { pageSize: 50 } : false}
            locale={{ emptyText: <EmptyState text="该项目暂无学员" /> }}
            columns={[
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '学校', dataIndex: 'orgName', ellipsis: true },
              { title: '方式', dataIndex: 'method', width: 90, render: (m: string | null) => (m ? (METHODS[m] ?? m) : '—') },
              { title: '时间', dataIndex: 'at', width: 160, render: time },
              {
                title: '出勤',
                key: 'present',
                width: 80,
                render: (_: unknown, r) => (
                  <Switch checked={r.present} loading={busy === r.teacherId} disabled={readOnly} checkedChildren="到" unCheckedChildren="缺" onChange={(v) => void toggle(r, v)} aria-label={`${r.name} 出勤`} />
                ),
              },
            ]}
            data-testid="attendance-table"
          />
        </>
      ) : null}
    </Drawer>
  );
}

function EnrolmentsTab({ project, canManage, onChanged }: { project: ProjectDetail; canManage: boolean; onChanged: () => void }) {
  const { message, modal } = App.useApp();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, loading, error, reload } = useApi(() => api.get<Page<EnrolmentDto>>(`/projects/${project.id}/enrolments`, { page, pageSize }), [project.id, page, pageSize]);
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const open = project.status === 'open';

  const add = async () => {
    if (!picked.length) return void message.warning('请先选择教师');
    setBusy(true);
    try {
      const r = await api.post<EnrolResult>(`/projects/${project.id}/enrolments`, { teacherIds: picked });
      setAdding(false);
      setPicked([]);
      reload();
      onChanged();
      const summary = `新增 ${r.added} 人${r.alreadyEnrolled ? `，${r.alreadyEnrolled} 人已在名单中` : ''}`;
      if (r.rejected.length) {
        modal.warning({
          title: summary,
          content: (
            <div>
              <p>以下 {r.rejected.length} 人未能添加：</p>
              <ul>{r.rejected.map((x) => <li key={x.teacherId}>教师 #{x.teacherId}：{x.message}</li>)}</ul>
            </div>
          ),
        });
      } else message.success(summary);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (t: EnrolmentDto) => {
    try {
      await api.del(`/projects/${project.id}/enrolments/${t.teacherId}`);
      message.success(`已移除 ${t.name}`);
      reload();
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: TableColumnsType<EnrolmentDto> = [
    { title: '姓名', dataIndex: 'name', width: 100, render: (v: string, t) => <Link to={`/teachers/${t.teacherId}`}>{v}</Link> },
    { title: '学校', dataIndex: 'orgName', ellipsis: true },
    { title: '身份证号', dataIndex: 'nationalIdMasked', width: 180, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: '学段', dataIndex: 'stage', width: 80, render: (v: string) => label(STAGES, v) },
    {
      title: '出勤',
      key: 'att',
      width: 160,
      render: (_: unknown, t) => (
        <Space size={6}>
          <Progress percent={t.totalSessions ? Math.round((t.attendedSessions / t.totalSessions) * 100) : 0} size="small" style={{ width: 70, margin: 0 }} showInfo={false} />
          {t.attendedSessions}/{t.totalSessions}
        </Space>
      ),
    },
    ...(canManage && open
      ? [
          {
            title: '操作',
            key: 'op',
            width: 80,
            render: (_: unknown, t: EnrolmentDto) => (
              <Popconfirm title={`从项目中移除 ${t.name}？`} okText="移除" cancelText="取消" onConfirm={() => remove(t)}>
                <Button size="small" type="link" danger>
                  移除
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {canManage && open && (
        <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          添加学员
        </Button>
      )}
      {error ? (
        <LoadError error={error} onRetry={reload} />
      ) : (
        <Table<EnrolmentDto>
          rowKey="teacherId"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          columns={columns}
          scroll={{ x: 760 }}
          locale={{ emptyText: <EmptyState text="暂无学员" /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showTotal: (t) => `共 ${t} 名学员`,
            onChange: (p, ps) => {
              setPage(ps !== pageSize ? 1 : p);
              setPageSize(ps);
            },
          }}
          data-testid="enrolment-table"
        />
      )}
      <Modal title="添加学员" open={adding} onCancel={() => setAdding(false)} onOk={() => void add()} okText="添加" confirmLoading={busy} destroyOnHidden>
        <Typography.Paragraph type="secondary">搜索并选择要参加本项目的教师，可多选。</Typography.Paragraph>
        <TeacherPicker value={picked} onChange={setPicked} />
      </Modal>
    </>
  );
}

/** 项目详情: sessions (check-in, QR, attendance), enrolments, and closing with hour recognition. */
export default function ProjectDetailPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const { data: p, loading, error, reload } = useApi(() => api.get<ProjectDetail>(`/projects/${id}`), [id]);
  const [addingSession, setAddingSession] = useState(false);
  const [attendance, setAttendance] = useState<SessionDto | null>(null);
  const [toggling, setToggling] = useState<number | null>(null);
  const [closing, setClosing] = useState(false);
  const [tab, setTab] = useState('sessions');

  if (loading && !p) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!p) return null;
  const canManage = can('projects.manage');
  const open = p.status === 'open';

  const setCheckin = async (s: SessionDto, on: boolean) => {
    setToggling(s.id);
    try {
      await api.post(`/sessions/${s.id}/checkin/${on ? 'open' : 'close'}`);
      message.success(on ? '已开启签到' : '已关闭签到');
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setToggling(null);
    }
  };

  const close = async () => {
    setClosing(true);
    try {
      const r = await api.post<CloseResult>(`/projects/${p.id}/close`);
      modal.success({ title: '已结项并认定学时', content: `共为 ${r.teachers} 名教师认定 ${r.hours} 学时（${r.entriesCreated} 条学时记录）。` });
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setClosing(false);
    }
  };

  const sessionColumns: TableColumnsType<SessionDto> = [
    { title: '场次', dataIndex: 'title', render: (v: string, s) => <span>{v}{s.checkinOpen && <Tag color="processing" style={{ marginInlineStart: 6 }}>签到中</Tag>}</span> },
    { title: '日期', dataIndex: 'date', width: 110 },
    { title: '时间', key: 'time', width: 110, render: (_: unknown, s) => `${s.startTime}–${s.endTime}` },
    { title: '地点', dataIndex: 'place', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '学时', dataIndex: 'hours', width: 60, align: 'right' },
    { title: '类别', dataIndex: 'category', width: 100, render: (c: string) => <Tag color="blue">{label(CATEGORIES, c)}</Tag> },
    {
      title: '出勤率',
      key: 'rate',
      width: 150,
      render: (_: unknown, s) => (
        <Space size={6}>
          <Progress percent={pct(s.attendanceRate)} size="small" style={{ width: 60, margin: 0 }} showInfo={false} status={pct(s.attendanceRate) >= 95 ? 'success' : 'normal'} />
          {s.attendedCount}/{s.enrolledCount}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'op',
      width: 250,
      fixed: mobile ? undefined : 'right',
      render: (_: unknown, s) => (
        <Space size={0} wrap>
          {canManage && open && (
            <Button size="small" type="link" loading={toggling === s.id} onClick={() => void setCheckin(s, !s.checkinOpen)} data-testid={`checkin-toggle-${s.id}`}>
              {s.checkinOpen ? '关闭签到' : '开启签到'}
            </Button>
          )}
          {s.checkinOpen && (
            <Button size="small" type="link" icon={<QrcodeOutlined />} href={`/sessions/${s.id}/qr`} target="_blank">
              签到码
            </Button>
          )}
          <Button size="small" type="link" icon={<TeamOutlined />} onClick={() => setAttendance(s)}>
            考勤
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav('/projects')} aria-label="返回" />
            <span data-testid="project-name">{p.name}</span>
            <Tag color={PROJECT_STATUS[p.status]?.color}>{PROJECT_STATUS[p.status]?.text ?? p.status}</Tag>
          </Space>
        }
        extra={
          canManage &&
          open && (
            <Popconfirm
              title="结项并认定学时"
              description="结项后将按考勤为出勤学员生成学时记录，项目不能再修改。确定结项吗？"
              okText="结项"
              cancelText="取消"
              onConfirm={() => close()}
            >
              <Button type="primary" icon={<CheckCircleOutlined />} loading={closing} data-testid="close-project">
                结项并认定学时
              </Button>
            </Popconfirm>
          )
        }
        styles={{ header: { flexWrap: 'wrap' } }}
      >
        <Descriptions
          size="small"
          column={mobile ? 1 : 3}
          items={[
            { key: 'code', label: '项目编号', children: p.code },
            { key: 'level', label: '项目级别', children: label(PROJECT_LEVELS, p.level) },
            { key: 'form', label: '培训形式', children: label(PROJECT_FORMS, p.form) },
            { key: 'cats', label: '培训类别', children: p.categories.map((c) => <Tag key={c} color="blue">{label(CATEGORIES, c)}</Tag>) },
            { key: 'hours', label: '计划学时', children: p.targetHours },
            { key: 'dates', label: '起止日期', children: `${p.startDate} 至 ${p.endDate}` },
            { key: 'org', label: '主办单位', children: p.orgName },
            { key: 'sessions', label: '场次', children: `${p.sessionCount ?? p.sessions.length} 场` },
            { key: 'enrolled', label: '学员', children: `${p.enrolledCount} 人` },
          ]}
        />
        {!open && <Alert type="info" showIcon style={{ marginTop: 12 }} title="项目已结项，学时已认定；考勤和学员名单只读。" />}
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'sessions',
              label: `场次（${p.sessions.length}）`,
              children: (
                <>
                  {canManage && open && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setAddingSession(true)} style={{ marginBottom: 12 }}>
                      添加场次
                    </Button>
                  )}
                  <Table<SessionDto>
                    rowKey="id"
                    size="small"
                    dataSource={[...p.sessions].sort((a, b) => (a.date + a.startTime).localeCompare(b.date + b.startTime))}
                    columns={sessionColumns}
                    pagination={false}
                    scroll={{ x: 1000 }}
                    locale={{ emptyText: <EmptyState text="暂无场次，请先添加场次" /> }}
                    data-testid="session-table"
                  />
                </>
              ),
            },
            { key: 'enrolments', label: `学员（${p.enrolledCount}）`, children: tab === 'enrolments' ? <EnrolmentsTab project={p} canManage={canManage} onChanged={reload} /> : null },
          ]}
        />
      </Card>
      <SessionModal project={p} open={addingSession} onClose={() => setAddingSession(false)} onSaved={() => { setAddingSession(false); reload(); }} />
      <AttendanceDrawer session={attendance} readOnly={!canManage || !open} onClose={(changed) => { setAttendance(null); if (changed) reload(); }} />
    </Space>
  );
}
