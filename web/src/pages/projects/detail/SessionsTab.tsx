import { useState } from 'react';
import { Alert, App, Button, Progress, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, QrcodeOutlined, TeamOutlined, WarningOutlined } from '@ant-design/icons';
import { api, apiUrl, errorText } from '../../../api/client';
import type { ProjectDetail, SessionDto } from '../../../api/types';
import { EmptyState } from '../../../components/Status';
import { useIsMobile } from '../../../hooks';
import { CATEGORIES, label } from '../../../vocab';
import { isFrozen, isRunning } from '../status';
import AttendanceDrawer from './AttendanceDrawer';
import SessionModal from './SessionModal';
import { pct } from './shared';

/** 场次 tab: sessions with their attendance rate, check-in/out switches and QR codes, adding a session, the attendance drawer. */
export default function SessionsTab({ project: p, canManage, onChanged }: { project: ProjectDetail; canManage: boolean; onChanged: () => void }) {
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [addingSession, setAddingSession] = useState(false);
  const [attendance, setAttendance] = useState<SessionDto | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);
  const running = isRunning(p.status);
  const frozen = isFrozen(p.status);
  const pendingRecognition = p.status === 'recognitionPending';

  const toggle = async (s: SessionDto, kind: 'checkin' | 'checkout', on: boolean) => {
    setToggling(`${s.id}-${kind}`);
    try {
      await api.post(`/sessions/${s.id}/${kind}/${on ? 'open' : 'close'}`);
      message.success(`${on ? '已开启' : '已关闭'}${kind === 'checkin' ? '签到' : '签退'}`);
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setToggling(null);
    }
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

  return (
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
      {!running && !frozen && !pendingRecognition && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="方案审核通过（报名中）后才能开启签到。" />}
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
      <SessionModal
        project={p}
        open={addingSession}
        onClose={() => setAddingSession(false)}
        onSaved={() => {
          setAddingSession(false);
          onChanged();
        }}
      />
      <AttendanceDrawer
        session={attendance}
        readOnly={!canManage || !running}
        onClose={(changed) => {
          setAttendance(null);
          if (changed) onChanged();
        }}
      />
    </>
  );
}
