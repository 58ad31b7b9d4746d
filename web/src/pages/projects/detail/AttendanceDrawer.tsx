import { useState } from 'react';
import { App, Button, Drawer, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { api, errorText } from '../../../api/client';
import type { AttendanceList, AttendanceRow, SessionDto } from '../../../api/types';
import { EmptyState, LoadError, PageLoading } from '../../../components/Status';
import { dateTime as time } from '../../../format';
import { useApi, useIsMobile } from '../../../hooks';
import AttendanceBatchBar from '../AttendanceBatchBar';

const METHODS: Record<string, string> = { qr: '扫码签到', manual: '手工补录', import: '导入' };

/** 考勤 of one session: who came, how, and the switch to mark attendance by hand. */
export default function AttendanceDrawer({
  session,
  onClose,
  readOnly,
}: {
  session: SessionDto | null;
  onClose: (changed: boolean) => void;
  readOnly: boolean;
}) {
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
