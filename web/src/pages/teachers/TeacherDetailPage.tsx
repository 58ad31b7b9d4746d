import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Dropdown, Form, Input, Modal, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { ArrowLeftOutlined, EditOutlined, EyeOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import { queryClient } from '../../api/query';
import type { HistoryEntry, LedgerEntry, TeacherDto, TeacherHours, Unmasked } from '../../api/types';
import { useAuth } from '../../auth';
import HoursLedger from '../../components/HoursLedger';
import StatementButton from '../hours/StatementButton';
import { useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useApi, useFormSubmit, useIsMobile } from '../../hooks';
import {
  CATEGORIES,
  EDUCATION,
  EMPLOYMENT,
  GENDERS,
  KEY_CATEGORIES,
  KEY_LEVELS,
  label,
  MANDARIN_LEVELS,
  STAGES,
  TEACHER_ROLES,
  TEACHER_STATUS,
  TITLES,
} from '../../vocab';
import { displayValue, FIELD_LABELS, HISTORY_SOURCES, yearsSince } from './teacherFields';
import { dateTime } from '../../format';
import TeacherAccountPanel from '../accounts/TeacherAccountPanel';
import TeacherTimeline from './TeacherTimeline';
import { IntegrityRecordView } from '../integrity/IntegrityRecord';
import { chinaTodayISO } from '../../china-time';
import { KeyTeacherView } from '../key-teachers/MyKeyTeacherPage';
import { TeacherAppraisals } from '../appraisals/TeacherAppraisals';
import { CareerRecord } from '../careers/CareerRecord';

const STATUS_COLORS: Record<string, string> = {
  active: 'green',
  retired: 'default',
  transferred: 'orange',
  resigned: 'orange',
  deceased: 'default',
  banned: 'red',
};
const v = (x: string | null | undefined) => x || '—';

function Section({ title, items, column }: { title: string; items: DescriptionsProps['items']; column: DescriptionsProps['column'] }) {
  return <Descriptions title={title} bordered size="small" column={column} items={items} style={{ marginBottom: 20 }} styles={{ label: { width: 130 } }} />;
}

function Profile({
  t,
  unmasked,
  onUnmask,
  canUnmask,
  unmasking,
}: {
  t: TeacherDto;
  unmasked: Unmasked | null;
  onUnmask: () => void;
  canUnmask: boolean;
  unmasking: boolean;
}) {
  const mobile = useIsMobile();
  const column = mobile ? 1 : { xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 };
  const teachingYears = yearsSince(t.hireDate);
  return (
    <div data-testid="teacher-profile">
      {unmasked && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="完整身份证号和手机号仅供核对使用，本次查看已记入审计日志。"
          data-testid="unmask-notice"
        />
      )}
      <Section
        title="基本信息"
        column={column}
        items={[
          { key: 'name', label: '姓名', children: t.name },
          {
            key: 'nid',
            label: '身份证号',
            children: (
              <Space wrap size={4}>
                <Typography.Text style={{ fontFamily: 'monospace' }} data-testid="national-id">
                  {unmasked ? unmasked.nationalId : t.nationalIdMasked}
                </Typography.Text>
                {canUnmask && !unmasked && (
                  <Button size="small" type="link" icon={<EyeOutlined />} loading={unmasking} onClick={onUnmask}>
                    查看完整
                  </Button>
                )}
              </Space>
            ),
          },
          { key: 'gender', label: '性别', children: label(GENDERS, t.gender) },
          // Roles that may not unmask get an age band instead of the birth date (PIPL minimum necessary).
          t.birthDate ? { key: 'birth', label: '出生日期', children: v(t.birthDate) } : { key: 'age', label: '年龄段', children: v(t.ageBand) },
          {
            key: 'phone',
            label: '手机号',
            children: (
              <span style={{ fontFamily: 'monospace' }} data-testid="phone">
                {unmasked ? v(unmasked.phone) : v(t.phoneMasked)}
              </span>
            ),
          },
          ...(t.partyMember === null ? [] : [{ key: 'party', label: '中共党员', children: t.partyMember ? '是' : '否' }]),
        ]}
      />
      <Section
        title="任教"
        column={column}
        items={[
          { key: 'org', label: '学校', children: t.orgName },
          { key: 'emp', label: '编制', children: label(EMPLOYMENT, t.employment) },
          { key: 'stage', label: '学段', children: label(STAGES, t.stage) },
          { key: 'subjects', label: '任教学科', children: t.subjects.length ? t.subjects.join('、') : '—' },
          { key: 'hire', label: '参加工作日期', children: v(t.hireDate) },
          { key: 'years', label: '教龄', children: teachingYears === null ? '—' : `${teachingYears} 年` },
        ]}
      />
      <Section
        title="学历与职称"
        column={column}
        items={[
          { key: 'edu', label: '最高学历', children: label(EDUCATION, t.education) },
          { key: 'second', label: '第二学历', children: v(t.secondDegree) },
          { key: 'title', label: '职称', children: label(TITLES, t.title) },
          { key: 'titleDate', label: '职称取得日期', children: v(t.titleDate) },
        ]}
      />
      <Section
        title="教师资格"
        column={column}
        items={[
          { key: 'qt', label: '资格种类', children: v(t.qualificationType) },
          { key: 'qs', label: '资格学段', children: label(STAGES, t.qualificationStage) },
          { key: 'qsub', label: '资格任教学科', children: v(t.qualificationSubject) },
          { key: 'qno', label: '证书编号', children: v(t.qualificationNo) },
          {
            key: 'qexp',
            label: '定期注册有效期至',
            children: t.qualificationExpiry ? (
              <Space size={4}>
                {t.qualificationExpiry}
                {t.qualificationExpiry < chinaTodayISO() && <Tag color="red">已过期</Tag>}
              </Space>
            ) : (
              '—'
            ),
          },
        ]}
      />
      <Section
        title="普通话与证书"
        column={column}
        items={[
          { key: 'mandarin', label: '普通话等级', children: label(MANDARIN_LEVELS, t.mandarinLevel) },
          { key: 'certs', label: '其他证书', children: t.certificates.length ? t.certificates.map((c) => <Tag key={c}>{c}</Tag>) : '—' },
        ]}
      />
      <Descriptions title="岗位角色" size="small" style={{ marginBottom: 8 }} />
      <Table
        size="small"
        bordered
        rowKey="role"
        pagination={false}
        dataSource={t.roles}
        locale={{ emptyText: '无' }}
        style={{ marginBottom: 20 }}
        columns={[
          { title: '角色', dataIndex: 'role', render: (r: string) => label(TEACHER_ROLES, r) },
          { title: '起始日期', dataIndex: 'since', render: (s: string | null) => v(s) },
          { title: '年限', key: 'years', render: (_: unknown, r: { since: string | null }) => (r.since ? `${yearsSince(r.since)} 年` : '—') },
        ]}
        data-testid="roles-table"
      />
      <Section
        title="骨干"
        column={column}
        items={[
          { key: 'kl', label: '骨干级别', children: label(KEY_LEVELS, t.keyLevel) },
          { key: 'kc', label: '骨干类别', children: label(KEY_CATEGORIES, t.keyCategory) },
          { key: 'kt', label: '任期至', children: v(t.keyTermEnd) },
        ]}
      />
      <Section
        title="状态"
        column={column}
        items={[{ key: 'status', label: '状态', children: <Tag color={STATUS_COLORS[t.status]}>{label(TEACHER_STATUS, t.status)}</Tag> }]}
      />
    </div>
  );
}

function HoursTab({ id }: { id: number }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data, loading, error, reload } = useApi(() => api.get<TeacherHours>(`/teachers/${id}/hours`), [id]);
  const [entry, setEntry] = useState<LedgerEntry | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, submit } = useFormSubmit(form, async ({ reason }: { reason: string }) => {
    if (!entry) return;
    // A record another org above recognised goes to it as a correction request (202) instead of being reversed.
    const r = await api.post<{ requested?: boolean; message?: string }>(`/ledger/${entry.id}/reverse`, { reason });
    if (r?.requested) message.info(r.message ?? '已提交更正申请，待认定单位审核');
    else message.success('已冲销该学时记录');
    void queryClient.invalidateQueries({ queryKey: ['ledger-corrections'] });
    setEntry(null);
    form.resetFields();
    reload();
  });
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  return (
    <>
      <div style={{ marginBottom: 12 }}>
        <StatementButton path={`/teachers/${id}/hours/statement.pdf`} teacherName={data.teacher.name} />
      </div>
      <HoursLedger data={data} linkProjects onReverse={can('hours.correct') ? (e) => setEntry(e) : undefined} />
      <Modal
        title="冲销学时记录"
        open={!!entry}
        onCancel={() => setEntry(null)}
        onOk={() => form.submit()}
        okText="确认冲销"
        okButtonProps={{ danger: true, loading: busy }}
        destroyOnHidden
      >
        {entry && (
          <Alert
            type="info"
            style={{ marginBottom: 16 }}
            title={`${entry.occurredOn} ${label(CATEGORIES, entry.category)} ${entry.hours} 学时${entry.projectName ? `（${entry.projectName}）` : ''}`}
            description="学时档案只增不改：冲销会新增一条负数记录抵消原记录，原记录保留可查。"
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="reason"
            label="冲销原因"
            rules={[
              { required: true, whitespace: true, message: '请填写冲销原因' },
              { max: 200, message: '原因不超过 200 字' },
            ]}
          >
            <Input.TextArea rows={3} placeholder="例如：重复认定、认定学时有误" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function HistoryTab({ id }: { id: number }) {
  const { me } = useAuth();
  const { tree } = useOrgTree(me?.id);
  const { data, loading, error, reload } = useApi(() => api.get<HistoryEntry[]>(`/teachers/${id}/history`), [id]);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data?.length) return <EmptyState text="暂无变更记录" />;
  return (
    <Timeline
      data-testid="history"
      items={data.map((h) => {
        const fields = Object.entries(h.changes ?? {}).filter(([f]) => !f.endsWith('_enc') && !f.endsWith('_idx'));
        return {
          key: h.id,
          content: (
            <div>
              <Typography.Text strong>{dateTime(h.at)}</Typography.Text> <Tag>{HISTORY_SOURCES[h.source] ?? h.source}</Tag>
              <Typography.Text type="secondary">{h.userName ?? '系统'}</Typography.Text>
              <ul style={{ margin: '6px 0 0', paddingInlineStart: 18 }}>
                {fields.map(([f, c]) => (
                  <li key={f}>
                    {FIELD_LABELS[f] ?? f}：
                    <Typography.Text delete type="secondary">
                      {displayValue(f, c.from, tree)}
                    </Typography.Text>{' '}
                    → {displayValue(f, c.to, tree)}
                  </li>
                ))}
              </ul>
            </div>
          ),
        };
      })}
    />
  );
}

/** 教师档案: the full record (PII masked; 查看完整 is audited), the hours ledger and the change history. */
export default function TeacherDetailPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { data: t, loading, error, reload } = useApi(() => api.get<TeacherDto>(`/teachers/${id}`), [id]);
  const [unmasked, setUnmasked] = useState<Unmasked | null>(null);
  const [unmasking, setUnmasking] = useState(false);
  const [tab, setTab] = useState('profile');
  const mobile = useIsMobile();

  if (!Number.isInteger(id) || id <= 0) return <LoadError error={new Error('教师编号无效')} />;
  if (loading && !t) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!t) return null;

  const unmask = async () => {
    setUnmasking(true);
    try {
      setUnmasked(await api.post<Unmasked>(`/teachers/${id}/unmask`));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setUnmasking(false);
    }
  };

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav(-1)} aria-label="返回" />
          <span data-testid="teacher-name">{t.name}</span>
          <Tag color={STATUS_COLORS[t.status]}>{label(TEACHER_STATUS, t.status)}</Tag>
          {!mobile && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              <Link to={`/teachers?orgId=${t.orgId}`}>{t.orgName}</Link>
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        can('teachers.write') && (
          <Space wrap>
            {/* 人员变动 (issue 10 item 5): 调动, 退休, 离职 of a teacher in post. */}
            {t.status === 'active' && (
              <Dropdown
                menu={{
                  items: [
                    { key: 'transfer', label: '发起调动' },
                    { key: 'retire', label: '发起退休' },
                    { key: 'resign', label: '发起离职' },
                  ],
                  onClick: ({ key }) => nav(`/moves?teacherId=${id}&kind=${key}`),
                }}
              >
                <Button size={mobile ? 'small' : undefined} data-testid="teacher-moves">
                  人员变动
                </Button>
              </Dropdown>
            )}
            <Button type="primary" icon={<EditOutlined />} onClick={() => nav(`/teachers/${id}/edit`)} size={mobile ? 'small' : undefined}>
              编辑
            </Button>
          </Space>
        )
      }
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden={false}
        items={[
          {
            key: 'profile',
            label: '档案信息',
            children: <Profile t={t} unmasked={unmasked} onUnmask={() => void unmask()} canUnmask={can('teachers.unmask')} unmasking={unmasking} />,
          },
          { key: 'hours', label: '学时档案', children: tab === 'hours' ? <HoursTab id={id} /> : null },
          { key: 'timeline', label: '时间线', children: tab === 'timeline' ? <TeacherTimeline id={id} /> : null },
          { key: 'history', label: '变更记录', children: tab === 'history' ? <HistoryTab id={id} /> : null },
          ...(can('accounts.read') ? [{ key: 'account', label: '登录账号', children: tab === 'account' ? <TeacherAccountPanel teacherId={id} /> : null }] : []),
          ...(can('ethics.integrity') || can('teachers.write')
            ? [
                {
                  key: 'integrity',
                  label: '诚信档案',
                  children: tab === 'integrity' ? <IntegrityRecordView path={`/teachers/${id}/integrity`} canRecord={can('teachers.write')} /> : null,
                },
              ]
            : []),
          // 骨干教师 (issue 13 item 2): designations with their term, 年度考核 / 续任 / 退出 for the bureau.
          ...(can('keyTeachers.manage')
            ? [{ key: 'keyTeacher', label: '骨干教师', children: tab === 'keyTeacher' ? <KeyTeacherView path={`/teachers/${id}/key-teacher`} manage /> : null }]
            : []),
          // 年度考核 (issue 14 item 1): results with corrections, this year's 家访/学业述评.
          {
            key: 'appraisal',
            label: '年度考核',
            children: tab === 'appraisal' ? <TeacherAppraisals teacherId={Number(id)} manage={can('appraisals.manage')} /> : null,
          },
          // 交流轮岗与荣誉 (issue 14 items 2, 4)
          { key: 'career', label: '交流与荣誉', children: tab === 'career' ? <CareerRecord teacherId={id} /> : null },
        ]}
      />
    </Card>
  );
}
