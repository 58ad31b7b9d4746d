import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { EmptyState, LoadError } from '../../components/Status';
import { useApi } from '../../hooks';
import type { EnrolmentLogEntry } from './workflow-types';
import { dateTime } from '../../format';

const time = dateTime;

/** 报名记录: every nomination, decision, withdrawal and replacement of a project, with the reasons. */
export default function EnrolmentLogPanel({ projectId }: { projectId: number }) {
  const { data, loading, error, reload } = useApi(() => api.get<EnrolmentLogEntry[]>(`/projects/${projectId}/enrolment-history`), [projectId]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  const columns: TableColumnsType<EnrolmentLogEntry> = [
    { title: '时间', dataIndex: 'at', width: 170, render: time },
    { title: '教师', dataIndex: 'teacherName', width: 100 },
    {
      title: '事项',
      key: 'a',
      width: 190,
      render: (_: unknown, h) => (
        <>
          {h.actionLabel} <Tag color={h.to === 'approved' ? 'green' : h.to === 'pending' ? 'processing' : 'default'}>{h.toLabel}</Tag>
        </>
      ),
    },
    {
      title: '原因 / 说明',
      key: 'r',
      render: (_: unknown, h) => (
        <>
          {h.otherTeacherName && <Typography.Text>{h.action === 'replace' ? `由 ${h.otherTeacherName} 替换` : `替换 ${h.otherTeacherName}`}；</Typography.Text>}
          {h.reason ?? ''}
        </>
      ),
    },
    { title: '操作人', dataIndex: 'userName', width: 110, responsive: ['md'] },
  ];
  return (
    <Table<EnrolmentLogEntry>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data ?? []}
      columns={columns}
      pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <EmptyState text="暂无报名记录" /> }}
      data-testid="enrolment-log"
    />
  );
}
