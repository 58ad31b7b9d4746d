import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Badge, Button, Input, Modal, Popconfirm, Progress, Segmented, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { api, errorText } from '../../../api/client';
import type { EnrolmentDto, EnrolResult, Page, ProjectDetail } from '../../../api/types';
import { useAuth } from '../../../auth';
import TeacherPicker from '../../../components/TeacherPicker';
import { EmptyState, LoadError } from '../../../components/Status';
import { useApi } from '../../../hooks';
import { label, STAGES } from '../../../vocab';
import { ENROLMENT_STATES, isFrozen, isRunning } from '../status';

const SOURCES: Record<string, string> = { organiser: '组织者报名', nomination: '学员选派', self: '自主报名' };

/** 学员 tab: the enrolment list by state, adding teachers, approving self-enrolment, withdrawing. */
export default function EnrolmentsTab({ project, canManage, onChanged }: { project: ProjectDetail; canManage: boolean; onChanged: () => void }) {
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
