import { useState } from 'react';
import { App, Button, Input, Modal, Space, Typography } from 'antd';
import { CheckSquareOutlined, DownloadOutlined } from '@ant-design/icons';
import { api, apiUrl, errorText } from '../../api/client';
import type { AttendanceRow } from '../../api/types';
import { projectsChanged } from './query';
import { BATCH_MARKS, type BatchMark, type BatchResult } from './organiser-types';

/**
 * 全部签到 / 批量标记 and 导出 for one session's attendance: mark every teacher not yet present 出勤, or the
 * selected rows 出勤/缺勤/请假, in one action (one audit row on the server); download the session's
 * attendance as .xlsx (audited too).
 */
export default function AttendanceBatchBar({
  sessionId,
  rows,
  selected,
  readOnly,
  onMarked,
}: {
  sessionId: number;
  rows: AttendanceRow[];
  selected: number[];
  readOnly: boolean;
  onMarked: (items: AttendanceRow[]) => void;
}) {
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<BatchMark | 'all' | null>(null);
  const [leaveOpen, setLeaveOpen] = useState(false);
  const [reason, setReason] = useState('');

  const mark = async (teacherIds: number[], m: BatchMark, why?: string, key: BatchMark | 'all' = m) => {
    setBusy(key);
    try {
      const r = await api.put<BatchResult>(`/sessions/${sessionId}/attendance`, { teacherIds, mark: m, reason: why || undefined });
      message.success(`已将 ${r.count} 人标记为${r.markLabel}`);
      onMarked(r.items);
      void projectsChanged();
    } catch (e) {
      modal.error({ title: '标记未成功', content: errorText(e) });
    } finally {
      setBusy(null);
    }
  };
  const absentees = rows.filter((r) => !r.present).map((r) => r.teacherId);
  const markAll = () =>
    modal.confirm({
      title: '全部签到',
      content: `将尚未签到的 ${absentees.length} 名学员全部标记为出勤？已签到的记录保持不变。`,
      okText: '全部标记出勤',
      cancelText: '取消',
      onOk: () => mark(absentees, 'present', undefined, 'all'),
    });

  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="attendance-batch">
      {!readOnly && (
        <>
          <Button icon={<CheckSquareOutlined />} disabled={!absentees.length} loading={busy === 'all'} onClick={markAll} data-testid="mark-all-present">
            全部签到
          </Button>
          <Typography.Text type="secondary">{selected.length ? `已选 ${selected.length} 人：` : '勾选学员后可批量标记'}</Typography.Text>
          {(Object.keys(BATCH_MARKS) as BatchMark[]).map((m) => (
            <Button
              key={m}
              size="small"
              disabled={!selected.length}
              loading={busy === m}
              danger={m === 'absent'}
              onClick={() => (m === 'leave' ? setLeaveOpen(true) : void mark(selected, m))}
              data-testid={`mark-${m}`}
            >
              标记{BATCH_MARKS[m]}
            </Button>
          ))}
        </>
      )}
      <Button size="small" icon={<DownloadOutlined />} href={apiUrl(`/sessions/${sessionId}/attendance.xlsx`)} download data-testid="export-session-attendance">
        导出本场考勤
      </Button>
      <Modal
        title={`标记请假（${selected.length} 人）`}
        open={leaveOpen}
        okText="标记请假"
        onCancel={() => setLeaveOpen(false)}
        onOk={async () => {
          setLeaveOpen(false);
          await mark(selected, 'leave', reason.trim());
          setReason('');
        }}
        destroyOnHidden
      >
        <Input.TextArea
          rows={2}
          maxLength={200}
          showCount
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="请假原因（选填，如：参加区教研活动）"
          aria-label="请假原因"
        />
      </Modal>
    </Space>
  );
}
