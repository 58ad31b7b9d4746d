import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Steps,
  Switch,
  Table,
  Tabs,
  Tag,
  TimePicker,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined, QrcodeOutlined, TeamOutlined, UserAddOutlined, WarningOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, apiUrl, errorText } from '../../api/client';
import type {
  AllowedAction,
  AttendanceList,
  AttendanceRow,
  EnrolmentDto,
  EnrolResult,
  Page,
  ProjectDetail,
  ProjectHistoryEntry,
  SessionDto,
  TransitionResult as BaseTransitionResult,
} from '../../api/types';
import type { RecognitionTotals } from './workflow-types';
import { useAuth } from '../../auth';
import TeacherPicker from '../../components/TeacherPicker';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useApi, useFormSubmit, useIsMobile } from '../../hooks';
import { CATEGORIES, label, options, PROJECT_FORMS, PROJECT_LEVELS, STAGES } from '../../vocab';
import { capacityText, ENROLMENT_STATES, isFrozen, isRunning, needsComment, PROJECT_STATES, STATUS_COLORS } from './status';
import { dateTime } from '../../format';
import { ConfirmWarningsField } from './CloseWarnings';
import AttendanceBatchBar from './AttendanceBatchBar';
import FastTrackButton from './FastTrackButton';

// The evaluation work (three-way evaluation) lives in its own module; load it only when its tab opens.
const QuotasPanel = lazy(() => import('./QuotasPanel'));
const NeedsSurveyPanel = lazy(() => import('./NeedsSurveyPanel'));
const EnrolmentLogPanel = lazy(() => import('./EnrolmentLogPanel'));
const RecognitionPanel = lazy(() => import('./RecognitionPanel'));
const ProjectEvaluationPanel = lazy(() => import('../evaluations/ProjectEvaluationPage').then((m) => ({ default: m.ProjectEvaluationPanel })));

const METHODS: Record<string, string> = { qr: '扫码签到', manual: '手工补录', import: '导入' };
const SOURCES: Record<string, string> = { organiser: '组织者报名', nomination: '学员选派', self: '自主报名' };
const pct = (r: number) => Math.round((r <= 1 ? r * 100 : r) * 10) / 10;
const time = dateTime;
/** Actions that send the project back or stop it: shown as plain/danger buttons, not primary. */
const BACKWARD = new Set(['withdraw', 'return', 'reject', 'returnPlan', 'returnRecognition', 'discard']);
/** The 学时认定 steps: their dialogs show the preview (teacher, sessions attended, hours). */
/** The tabs a school sees of a project its teachers attend. */
const VIEW_ONLY_TABS = new Set(['sessions', 'enrolments', 'plan']);
const RECOGNITION = new Set(['submitRecognition', 'confirmRecognition', 'returnRecognition']);
/** States in which the 学时认定 tab has something to show. */
const RECOGNITION_TAB_STATES = ['open', 'running', 'recognitionPending', 'closed', 'evaluated'];

type TransitionResult = BaseTransitionResult & { preview?: RecognitionTotals };

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
  const { busy, submit } = useFormSubmit(form, async (v: NewSession) => {
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
  });
  return (
    <Modal title="添加场次" open={open} onCancel={onClose} onOk={() => form.submit()} okText="添加" confirmLoading={busy} destroyOnHidden forceRender>
      <Form<NewSession>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ hours: 3, category: project.categories[0] }}
        data-testid="session-form"
      >
        <Form.Item
          name="title"
          label="场次名称"
          rules={[
            { required: true, whitespace: true, message: '请输入场次名称' },
            { min: 2, message: '至少 2 个字' },
            { max: 100, message: '不超过 100 字' },
          ]}
        >
          <Input placeholder="如：第一讲 新时代师德规范" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) =>
                  (project.startDate !== null && d.format('YYYY-MM-DD') < project.startDate) ||
                  (project.endDate !== null && d.format('YYYY-MM-DD') > project.endDate)
                }
              />
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
        <Form.Item
          name="place"
          label="地点"
          rules={[
            { required: true, whitespace: true, message: '请填写培训地点' },
            { max: 100, message: '不超过 100 字' },
          ]}
        >
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
  const { data, loading, error, reload, setData } = useApi(
    () => (id ? api.get<AttendanceList>(`/sessions/${id}/attendance`) : Promise.resolve(undefined)),
    [id],
  );
  const [busy, setBusy] = useState<number | null>(null);
  const [changed, setChanged] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const toggle = async (row: AttendanceRow, present: boolean) => {
    if (!id || !data) return;
    setBusy(row.teacherId);
    try {
      const updated = await api.put<AttendanceRow>(`/sessions/${id}/attendance/${row.teacherId}`, { present });
      setData({ ...data, items: data.items.map((r) => (r.teacherId === row.teacherId ? { ...r, ...updated } : r)) });
      setChanged(true);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const present = data?.items.filter((r) => r.present).length ?? 0;
  const excused = data?.items.filter((r) => !r.present && r.apology).length ?? 0;
  return (
    <Drawer
      title={session ? `考勤：${session.title}` : '考勤'}
      open={!!session}
      onClose={() => {
        onClose(changed);
        setChanged(false);
      }}
      size={mobile ? '100%' : 760}
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
            {excused > 0 && <Tag color="orange">请假 {excused} 人</Tag>}
            <Button size="small" onClick={reload}>
              刷新
            </Button>
          </Space>
          {id && (
            <AttendanceBatchBar
              sessionId={id}
              rows={data.items}
              selected={selected}
              readOnly={readOnly}
              onMarked={(items) => {
                setData({ ...data, items });
                setSelected([]);
                setChanged(true);
              }}
            />
          )}
          <Table<AttendanceRow>
            size="small"
            rowKey="teacherId"
            rowSelection={readOnly ? undefined : { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
            dataSource={data.items}
            pagination={data.items.length > 50 ? { pageSize: 50 } : false}
            scroll={{ x: 640 }}
            locale={{ emptyText: <EmptyState text="该项目暂无学员" /> }}
            columns={[
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '学校', dataIndex: 'orgName', ellipsis: true },
              {
                title: '签到',
                key: 'in',
                width: 150,
                render: (_: unknown, r) =>
                  r.present ? (
                    <span>
                      {r.method ? (METHODS[r.method] ?? r.method) : '已到'}
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {time(r.at)}
                      </Typography.Text>
                    </span>
                  ) : r.apology ? (
                    <Tooltip title={r.apology}>
                      <Tag color="orange">请假</Tag>
                    </Tooltip>
                  ) : (
                    '—'
                  ),
              },
              { title: '签退', dataIndex: 'checkedOutAt', width: 150, render: (v: string | null) => (v ? time(v) : '—') },
              {
                title: '出勤',
                key: 'present',
                width: 80,
                render: (_: unknown, r) => (
                  <Switch
                    checked={r.present}
                    loading={busy === r.teacherId}
                    disabled={readOnly}
                    checkedChildren="到"
                    unCheckedChildren="缺"
                    onChange={(v) => void toggle(r, v)}
                    aria-label={`${r.name} 出勤`}
                  />
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
  const { me } = useAuth();
  const [status, setStatus] = useState('approved');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, loading, error, reload } = useApi(
    () => api.get<Page<EnrolmentDto>>(`/projects/${project.id}/enrolments`, { status, page, pageSize }),
    [project.id, status, page, pageSize],
  );
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const running = isRunning(project.status);

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
              <ul>
                {r.rejected.map((x) => (
                  <li key={x.teacherId}>{x.message}</li>
                ))}
              </ul>
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
      message.success(`已撤销 ${t.name} 的报名`);
      reload();
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const decide = async (t: EnrolmentDto, decision: 'approve' | 'reject', comment?: string) => {
    try {
      await api.post(`/projects/${project.id}/enrolments/${t.teacherId}/${decision}`, { comment });
      message.success(decision === 'approve' ? `已通过 ${t.name} 的报名` : `已驳回 ${t.name} 的报名`);
      reload();
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const askReject = (t: EnrolmentDto) => {
    let reason = '';
    modal.confirm({
      title: `驳回 ${t.name} 的自主报名`,
      content: <Input.TextArea rows={3} placeholder="请填写不通过的原因（必填）" onChange={(e) => (reason = e.target.value)} />,
      okText: '驳回',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        if (!reason.trim()) {
          message.error('请填写不通过的原因');
          throw new Error('reason required');
        }
        await decide(t, 'reject', reason.trim());
      },
    });
  };

  const columns: TableColumnsType<EnrolmentDto> = [
    { title: '姓名', dataIndex: 'name', width: 100, render: (v: string, t) => <Link to={`/teachers/${t.teacherId}`}>{v}</Link> },
    { title: '学校', dataIndex: 'orgName', ellipsis: true },
    { title: '身份证号', dataIndex: 'nationalIdMasked', width: 180, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: '学段', dataIndex: 'stage', width: 70, render: (v: string) => label(STAGES, v) },
    {
      title: '来源',
      dataIndex: 'source',
      width: 100,
      render: (v: string | null, t) => (v ? (SOURCES[v] ?? v) : '—') + (t.quotaOrgName ? `（${t.quotaOrgName}）` : ''),
    },
    ...(status === 'approved'
      ? [
          {
            title: '出勤',
            key: 'att',
            width: 150,
            render: (_: unknown, t: EnrolmentDto) => (
              <Space size={6}>
                <Progress
                  percent={t.totalSessions ? Math.round((t.attendedSessions / t.totalSessions) * 100) : 0}
                  size="small"
                  style={{ width: 60, margin: 0 }}
                  showInfo={false}
                />
                {t.attendedSessions}/{t.totalSessions}
              </Space>
            ),
          },
        ]
      : [{ title: '原因', dataIndex: 'reason', width: 160, ellipsis: true, render: (v: string | null) => v ?? '—' }]),
    ...(canManage && running && (status === 'approved' || status === 'pending')
      ? [
          {
            title: '操作',
            key: 'op',
            width: 130,
            render: (_: unknown, t: EnrolmentDto) =>
              status === 'pending' ? (
                <Space size={0}>
                  <Button size="small" type="link" onClick={() => void decide(t, 'approve')}>
                    通过
                  </Button>
                  <Button size="small" type="link" danger onClick={() => askReject(t)}>
                    驳回
                  </Button>
                </Space>
              ) : (
                <Popconfirm
                  title={`撤销 ${t.name} 的报名？`}
                  description="已有签到记录的学员不能撤销。"
                  okText="撤销"
                  cancelText="取消"
                  onConfirm={() => remove(t)}
                >
                  <Button size="small" type="link" danger>
                    撤销报名
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {canManage && running && (
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
            添加学员
          </Button>
        )}
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(String(v));
            setPage(1);
          }}
          options={Object.entries(ENROLMENT_STATES).map(([value, l]) => ({
            value,
            label:
              value === 'pending' && project.pendingCount ? (
                <Badge count={project.pendingCount} size="small" offset={[8, -2]}>
                  {l}
                </Badge>
              ) : (
                l
              ),
          }))}
        />
      </Space>
      {!running && canManage && !isFrozen(project.status) && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title="项目方案审核通过（报名中）后才能添加学员。" />
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
          scroll={{ x: 820 }}
          locale={{ emptyText: <EmptyState text={status === 'approved' ? '暂无学员' : `暂无${ENROLMENT_STATES[status] ?? ''}的报名`} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showTotal: (t) => `共 ${t} 人`,
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
        {me?.role === 'institution' && (
          // Institutions read only the teachers enrolled in their own projects (个人信息最小必要).
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title="培训机构只能搜索到已参加本机构项目的教师；新学员请由学校或教育局通过名额选派，或由教师自主报名。"
          />
        )}
        <TeacherPicker value={picked} onChange={setPicked} />
      </Modal>
    </>
  );
}

function PlanTab({ p }: { p: ProjectDetail }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={p.plan.map((m, i) => ({ ...m, i: i + 1 }))}
        columns={[
          { title: '序号', dataIndex: 'i', width: 60 },
          { title: '模块', dataIndex: 'title' },
          {
            title: '类别',
            dataIndex: 'category',
            width: 120,
            render: (c: string) => <Tag color={c === 'ethics' ? 'red' : 'blue'}>{label(CATEGORIES, c)}</Tag>,
          },
          { title: '学时', dataIndex: 'hours', width: 80, align: 'right' },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={3}>
              合计
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {p.targetHours}
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
        data-testid="plan-table"
      />
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'aud', label: '培训对象', children: p.audienceText || '不限' },
          { key: 'self', label: '自主报名', children: p.selfEnrol ? '允许（由学校审核）' : '不允许' },
          { key: 'out', label: '外出培训', children: p.outbound ? '是（结项后学员须返岗分享）' : '否' },
        ]}
      />
    </Space>
  );
}

function HistoryTab({ id }: { id: number }) {
  const { data, loading, error, reload } = useApi(() => api.get<ProjectHistoryEntry[]>(`/projects/${id}/history`), [id]);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data?.length) return <EmptyState text="暂无流转记录" />;
  return (
    <Timeline
      data-testid="project-history"
      items={data.map((h) => ({
        key: h.id,
        color: BACKWARD.has(h.action) ? 'red' : 'blue',
        content: (
          <div>
            <Typography.Text strong>{h.actionLabel}</Typography.Text>{' '}
            {h.fromLabel && h.fromLabel !== h.toLabel && (
              <Typography.Text type="secondary">
                （{h.fromLabel} → {h.toLabel}）
              </Typography.Text>
            )}
            <div style={{ fontSize: 13, color: 'rgba(0,0,0,.55)' }}>
              {time(h.at)} · {h.orgName ?? ''} {h.userName ?? ''}
            </div>
            {h.comment && <div style={{ marginTop: 4 }}>意见：{h.comment}</div>}
          </div>
        ),
      }))}
    />
  );
}

/** Index in the approval Steps (proposer, chain…, filing) that is in progress. */
function chainStep(p: ProjectDetail): number {
  const cur = p.approvalChain.findIndex((c) => c.current);
  if (cur >= 0) return cur + 1;
  return p.filingNo ? p.approvalChain.length + 1 : p.approvalChain.filter((c) => c.done).length + 1;
}

/** Confirm a lifecycle action; return/reject need a comment (the proposer must know why). */
function ActionModal({
  project,
  action,
  onClose,
  onDone,
}: {
  project: ProjectDetail;
  action: AllowedAction | null;
  onClose: () => void;
  onDone: (r: TransitionResult) => void;
}) {
  const [form] = Form.useForm<{ comment?: string; confirmWarnings?: boolean }>();
  const required = !!action && needsComment(action.action);
  const { busy, submit } = useFormSubmit(form, async ({ comment, confirmWarnings }: { comment?: string; confirmWarnings?: boolean }) => {
    if (!action) return;
    const r = await api.post<TransitionResult>(`/projects/${project.id}/actions/${action.action}`, {
      comment: comment?.trim() || undefined,
      ...(action.action === 'submitRecognition' && confirmWarnings ? { confirmWarnings: true } : {}),
    });
    onDone(r);
  });
  const hint: Record<string, string> = {
    submit: '提交后按审批链逐级审批，审批期间不能修改。',
    approve: '审批通过后，项目进入“已审定待备案”。',
    approveStep: '本级审批通过后，报上一级教育局审批。',
    file: '备案后生成备案号；申报单位随后提交培训方案审核。',
    approvePlan: '方案审核通过后项目开放报名，可添加学员、安排场次和签到。',
    start: '开始实施。',
    submitRecognition: '提交后考勤和学员名单冻结，由审批单位确认后按下列出勤记录生成学时记录并结项。',
    confirmRecognition: '确认后按下列出勤记录为学员生成学时记录（学时认定），项目结项，不能再修改。',
    returnRecognition: '退回后项目回到“实施中”，组织单位可修改考勤后重新提交。',
    discard: '删除后草稿不再出现在项目列表中；流转记录和审计日志保留。只能删除本单位的草稿。',
  };
  return (
    <Modal
      title={action ? `${action.label}：${project.name}` : ''}
      open={!!action}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action?.label ?? '确定'}
      okButtonProps={{ danger: !!action && BACKWARD.has(action.action), loading: busy }}
      width={action && RECOGNITION.has(action.action) ? 760 : undefined}
      destroyOnHidden
    >
      {action && hint[action.action] && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={hint[action.action]} />}
      {action && RECOGNITION.has(action.action) && (
        <div style={{ marginBottom: 12 }}>
          <Suspense fallback={<PageLoading />}>
            <RecognitionPanel projectId={project.id} compact />
          </Suspense>
        </div>
      )}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="comment"
          label={required ? '意见（必填）' : '意见（选填）'}
          rules={[
            { required, whitespace: true, message: '请填写意见' },
            { max: 500, message: '不超过 500 字' },
          ]}
        >
          <Input.TextArea rows={3} placeholder={required ? '请说明原因，申报单位将看到此意见' : ''} />
        </Form.Item>
        {action?.action === 'submitRecognition' && <ConfirmWarningsField projectId={project.id} />}
      </Form>
    </Modal>
  );
}

/** 项目详情: lifecycle actions, approval chain, sessions (check-in/out, QR, attendance), enrolments, plan, history. */
export default function ProjectDetailPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const { data: p, loading, error, reload } = useApi(() => api.get<ProjectDetail>(`/projects/${id}`), [id]);
  const [addingSession, setAddingSession] = useState(false);
  const [attendance, setAttendance] = useState<SessionDto | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);
  const [acting, setActing] = useState<AllowedAction | null>(null);
  const [chosenTab, setTab] = useState<string | null>(null);

  if (loading && !p) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!p) return null;
  // viewOnly: a school reading a project its teachers attend (its own teachers only, nothing to change).
  const canManage = can('projects.manage') && !p.viewOnly;
  const running = isRunning(p.status);
  const frozen = isFrozen(p.status);
  const pendingRecognition = p.status === 'recognitionPending';
  // A recognition waiting for confirmation opens on its preview.
  const tab = chosenTab ?? (pendingRecognition ? 'recognition' : 'sessions');
  const recognitionActions = p.allowedActions.filter((a) => RECOGNITION.has(a.action));

  const toggle = async (s: SessionDto, kind: 'checkin' | 'checkout', on: boolean) => {
    setToggling(`${s.id}-${kind}`);
    try {
      await api.post(`/sessions/${s.id}/${kind}/${on ? 'open' : 'close'}`);
      message.success(`${on ? '已开启' : '已关闭'}${kind === 'checkin' ? '签到' : '签退'}`);
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setToggling(null);
    }
  };

  const done = (r: TransitionResult) => {
    const a = acting;
    setActing(null);
    if (r.recognition)
      modal.success({
        title: '已确认学时认定，项目已结项',
        content: `共为 ${r.recognition.teachers} 名教师认定 ${r.recognition.hours} 学时（${r.recognition.entriesCreated} 条学时记录）。`,
      });
    else if (r.preview)
      modal.success({
        title: '已提交学时认定',
        content: `${r.preview.teachers} 名教师、共 ${r.preview.hours} 学时，等待「${r.project.pendingOrgName ?? '审批单位'}」确认。`,
      });
    else message.success(`${a?.label ?? '操作'}成功，项目状态：${r.project.statusLabel}`);
    if (r.project.status === 'deleted') return nav('/projects');
    reload();
  };

  const sessionColumns: TableColumnsType<SessionDto> = [
    {
      title: '场次',
      dataIndex: 'title',
      render: (v: string, s) => (
        <span>
          {v}
          {s.checkinOpen && (
            <Tag color="processing" style={{ marginInlineStart: 6 }}>
              签到中
            </Tag>
          )}
          {s.checkoutOpen && (
            <Tag color="purple" style={{ marginInlineStart: 6 }}>
              签退中
            </Tag>
          )}
        </span>
      ),
    },
    { title: '日期', dataIndex: 'date', width: 110 },
    { title: '时间', key: 'time', width: 110, render: (_: unknown, s) => `${s.startTime}–${s.endTime}` },
    { title: '地点', dataIndex: 'place', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '学时', dataIndex: 'hours', width: 60, align: 'right' },
    { title: '类别', dataIndex: 'category', width: 100, render: (c: string) => <Tag color="blue">{label(CATEGORIES, c)}</Tag> },
    {
      title: '出勤率',
      key: 'rate',
      width: 170,
      render: (_: unknown, s) => (
        <Space size={6}>
          <Progress
            percent={pct(s.attendanceRate)}
            size="small"
            style={{ width: 56, margin: 0 }}
            showInfo={false}
            status={s.belowThreshold ? 'exception' : s.held && s.enrolledCount ? 'success' : 'normal'}
          />
          {s.attendedCount}/{s.enrolledCount}
          {s.belowThreshold && (
            <Tooltip title={`出勤率 ${pct(s.attendanceRate)}%，低于要求的 ${pct(s.threshold)}%${s.excusedCount ? `（请假 ${s.excusedCount} 人）` : ''}`}>
              <WarningOutlined style={{ color: '#cf1322' }} data-testid={`below-threshold-${s.id}`} />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'op',
      width: 240,
      fixed: mobile ? undefined : 'right',
      render: (_: unknown, s) => (
        <Space size={0} wrap>
          {canManage && running && (
            <Button
              size="small"
              type="link"
              loading={toggling === `${s.id}-checkin`}
              onClick={() => void toggle(s, 'checkin', !s.checkinOpen)}
              data-testid={`checkin-toggle-${s.id}`}
            >
              {s.checkinOpen ? '关闭签到' : '开启签到'}
            </Button>
          )}
          {s.checkinOpen && (
            <Button size="small" type="link" icon={<QrcodeOutlined />} href={`/sessions/${s.id}/qr`} target="_blank">
              签到码
            </Button>
          )}
          {canManage && running && (
            <Button size="small" type="link" loading={toggling === `${s.id}-checkout`} onClick={() => void toggle(s, 'checkout', !s.checkoutOpen)}>
              {s.checkoutOpen ? '关闭签退' : '开启签退'}
            </Button>
          )}
          {s.checkoutOpen && (
            <Button size="small" type="link" icon={<QrcodeOutlined />} href={`/sessions/${s.id}/qr?d=checkout`} target="_blank">
              签退码
            </Button>
          )}
          <Button size="small" type="link" icon={<TeamOutlined />} onClick={() => setAttendance(s)}>
            考勤
          </Button>
        </Space>
      ),
    },
  ];

  const actionButtons = [
    <FastTrackButton key="fast-track" projectId={p.id} status={p.status} onDone={reload} />,
    ...p.allowedActions.map((a) => (
      <Button
        key={a.action}
        type={BACKWARD.has(a.action) ? 'default' : 'primary'}
        danger={a.action === 'reject'}
        onClick={() => setActing(a)}
        data-testid={`action-${a.action}`}
      >
        {a.label}
      </Button>
    )),
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav('/projects')} aria-label="返回" />
            <span data-testid="project-name" style={{ whiteSpace: 'normal' }}>
              {p.name}
            </span>
            <Tag color={STATUS_COLORS[p.status]} data-testid="project-status">
              {p.statusLabel || label(PROJECT_STATES, p.status)}
            </Tag>
          </Space>
        }
        extra={
          !mobile && (
            <Space wrap>
              {p.canEdit && (
                <Button icon={<EditOutlined />} onClick={() => nav(`/projects/${p.id}/edit`)}>
                  修改申报
                </Button>
              )}
              {actionButtons}
            </Space>
          )
        }
        styles={{ header: { flexWrap: 'wrap' } }}
      >
        {mobile && (p.canEdit || p.allowedActions.length > 0) && (
          <Space wrap style={{ marginBottom: 12 }}>
            {p.canEdit && (
              <Button icon={<EditOutlined />} onClick={() => nav(`/projects/${p.id}/edit`)}>
                修改申报
              </Button>
            )}
            {actionButtons}
          </Space>
        )}
        {p.status === 'submitted' && p.pendingOrgName && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`等待「${p.pendingOrgName}」审批`} />}
        {p.approvalChain.length > 0 && (
          <Steps
            size="small"
            style={{ marginBottom: 16 }}
            orientation={mobile ? 'vertical' : 'horizontal'}
            current={chainStep(p)}
            status={p.status === 'rejected' ? 'error' : undefined}
            items={[
              { title: `申报：${p.orgName}`, status: 'finish' as const },
              ...p.approvalChain.map((c) => ({
                title: c.orgName,
                content: c.done ? '已审批' : c.current ? '审批中' : '待审批',
                status: c.done ? ('finish' as const) : c.current ? ('process' as const) : ('wait' as const),
              })),
              { title: p.filingNo ? `备案 ${p.filingNo}` : '备案', status: p.filingNo ? ('finish' as const) : ('wait' as const) },
            ]}
            data-testid="approval-chain"
          />
        )}
        <Descriptions
          size="small"
          column={mobile ? 1 : 3}
          items={[
            { key: 'code', label: '项目编号', children: p.code },
            { key: 'filing', label: '备案号', children: p.filingNo ?? '—' },
            { key: 'level', label: '项目级别', children: label(PROJECT_LEVELS, p.level) },
            { key: 'form', label: '培训形式', children: label(PROJECT_FORMS, p.form) },
            {
              key: 'cats',
              label: '培训类别',
              children: p.categories.map((c) => (
                <Tag key={c} color="blue">
                  {label(CATEGORIES, c)}
                </Tag>
              )),
            },
            { key: 'hours', label: '计划学时', children: `${p.targetHours} 学时` },
            { key: 'dates', label: '起止日期', children: `${p.startDate} 至 ${p.endDate}` },
            { key: 'org', label: '申报单位', children: p.orgName },
            {
              key: 'enrolled',
              label: '学员 / 计划',
              children: `${p.enrolledCount} / ${capacityText(p.capacity)}${p.pendingCount ? `（待审核 ${p.pendingCount}）` : ''}`,
            },
            { key: 'budget', label: '预算', children: `${(p.budget ?? 0).toLocaleString('zh-CN')} 元` },
            { key: 'aud', label: '培训对象', children: p.audienceText || '不限' },
            { key: 'thr', label: '出勤要求', children: `每场 ≥ ${pct(p.participationThreshold.threshold)}%` },
          ]}
        />
        {pendingRecognition && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            title={`学时认定已提交，等待「${p.pendingOrgName ?? '审批单位'}」确认；考勤和学员名单已冻结。`}
            data-testid="recognition-pending"
          />
        )}
        {frozen && p.status !== 'rejected' && (
          <Alert type="info" showIcon style={{ marginTop: 12 }} title="项目已结项，学时已认定；场次、考勤和学员名单只读。" />
        )}
        {p.status === 'rejected' && <Alert type="error" showIcon style={{ marginTop: 12 }} title="项目未获立项，意见见“流转记录”。" />}
        {p.viewOnly && (
          <Alert type="info" showIcon style={{ marginTop: 12 }} title="本校教师参加的项目：只读，学员与考勤仅显示本校教师。" data-testid="view-only" />
        )}
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
                  <Space wrap style={{ marginBottom: 12 }}>
                    {canManage && !frozen && !pendingRecognition && (
                      <Button type="primary" icon={<PlusOutlined />} onClick={() => setAddingSession(true)}>
                        添加场次
                      </Button>
                    )}
                    {p.sessions.length > 0 && (
                      <Button href={apiUrl(`/projects/${p.id}/attendance.xlsx`)} download data-testid="export-project-attendance">
                        导出全部考勤
                      </Button>
                    )}
                  </Space>
                  {!running && !frozen && !pendingRecognition && (
                    <Alert type="info" showIcon style={{ marginBottom: 12 }} title="方案审核通过（报名中）后才能开启签到。" />
                  )}
                  <Table<SessionDto>
                    rowKey="id"
                    size="small"
                    dataSource={[...p.sessions].sort((a, b) => (a.date + a.startTime).localeCompare(b.date + b.startTime))}
                    columns={sessionColumns}
                    pagination={false}
                    // Fits a 1366 px screen, so 出勤率 is not hidden under the fixed 操作 column.
                    scroll={{ x: 1040 }}
                    locale={{ emptyText: <EmptyState text="暂无场次，请先添加场次" /> }}
                    data-testid="session-table"
                  />
                </>
              ),
            },
            {
              key: 'enrolments',
              label: `学员（${p.enrolledCount}）`,
              children: tab === 'enrolments' ? <EnrolmentsTab project={p} canManage={canManage} onChanged={reload} /> : null,
            },
            { key: 'plan', label: '培训方案', children: <PlanTab p={p} /> },
            ...(RECOGNITION_TAB_STATES.includes(p.status)
              ? [
                  {
                    key: 'recognition',
                    label: pendingRecognition ? (
                      <Badge dot offset={[6, 0]}>
                        学时认定
                      </Badge>
                    ) : (
                      '学时认定'
                    ),
                    children:
                      tab === 'recognition' ? (
                        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                          {recognitionActions.length > 0 && (
                            <Space wrap>
                              {recognitionActions.map((a) => (
                                <Button
                                  key={a.action}
                                  type={BACKWARD.has(a.action) ? 'default' : 'primary'}
                                  onClick={() => setActing(a)}
                                  data-testid={`recognition-${a.action}`}
                                >
                                  {a.action === 'returnRecognition' ? '退回' : a.label}
                                </Button>
                              ))}
                            </Space>
                          )}
                          <Suspense fallback={<PageLoading />}>
                            <RecognitionPanel key={p.status} projectId={p.id} />
                          </Suspense>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
            { key: 'history', label: '流转记录', children: tab === 'history' ? <HistoryTab id={p.id} /> : null },
            {
              key: 'quotas',
              label: '名额分配',
              children:
                tab === 'quotas' ? (
                  <Suspense fallback={<PageLoading />}>
                    <QuotasPanel projectId={p.id} mode="top" editable={canManage && !frozen} onChanged={reload} />
                  </Suspense>
                ) : null,
            },
            {
              key: 'needs',
              label: '需求调研',
              children:
                tab === 'needs' ? (
                  <Suspense fallback={<PageLoading />}>
                    <NeedsSurveyPanel projectId={p.id} canManage={canManage} />
                  </Suspense>
                ) : null,
            },
            {
              key: 'enrolLog',
              label: '报名记录',
              children:
                tab === 'enrolLog' ? (
                  <Suspense fallback={<PageLoading />}>
                    <EnrolmentLogPanel projectId={p.id} />
                  </Suspense>
                ) : null,
            },
            ...(['open', 'running', 'recognitionPending', 'closed', 'evaluated'].includes(p.status)
              ? [
                  {
                    key: 'evaluation',
                    label: '绩效评估',
                    children:
                      tab === 'evaluation' ? (
                        <Suspense fallback={<PageLoading />}>
                          <ProjectEvaluationPanel projectId={p.id} />
                        </Suspense>
                      ) : null,
                  },
                ]
              : []),
          ].filter((t) => !p.viewOnly || VIEW_ONLY_TABS.has(t.key))}
        />
      </Card>
      <SessionModal
        project={p}
        open={addingSession}
        onClose={() => setAddingSession(false)}
        onSaved={() => {
          setAddingSession(false);
          reload();
        }}
      />
      <AttendanceDrawer
        session={attendance}
        readOnly={!canManage || !running}
        onClose={(changed) => {
          setAttendance(null);
          if (changed) reload();
        }}
      />
      <ActionModal project={p} action={acting} onClose={() => setActing(null)} onDone={done} />
    </Space>
  );
}
