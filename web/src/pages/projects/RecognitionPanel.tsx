import { Alert, Descriptions, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import type { RecognitionView } from './workflow-types';
import { dateTime } from '../../format';
import { CloseWarningsAlert } from './CloseWarnings';

const time = dateTime;

/** Where the 学时认定 stands, in one line for the people who act on it. */
function stage(v: RecognitionView): { type: 'info' | 'warning' | 'success'; text: string } {
  if (v.status === 'recognitionPending')
    return {
      type: 'warning',
      text: `已由${v.submitted?.orgName ?? '组织单位'}${v.submitted?.userName ?? ''}于 ${v.submitted ? time(v.submitted.at) : ''} 提交，等待「${v.approverOrgName ?? '审批单位'}」确认；考勤和学员名单已冻结。`,
    };
  if (v.confirmed) return { type: 'success', text: `「${v.confirmed.orgName ?? ''}」已于 ${time(v.confirmed.at)} 确认学时认定，学时已记入教师学时档案。` };
  if (v.returned) return { type: 'warning', text: `学时认定被「${v.returned.orgName ?? ''}」退回：${v.returned.comment ?? ''}。请核对考勤后重新提交。` };
  return { type: 'info', text: `按签到记录预览：每条出勤记录生成一条学时记录。提交后考勤冻结，由「${v.approverOrgName ?? '审批单位'}」确认后生效。` };
}

/**
 * 学时认定 preview: per teacher the sessions attended and the hours they will get, with the totals. Used on
 * the project page, in the submit/confirm dialogs and in the approvals inbox.
 */
export default function RecognitionPanel({ projectId, compact = false }: { projectId: number; compact?: boolean }) {
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['projects', projectId, 'recognition'],
    queryFn: () => api.get<RecognitionView>(`/projects/${projectId}/recognition`),
  });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const s = stage(data);
  const missing = Math.max(0, data.enrolledCount - data.totals.teachers);
  const doubtful = data.items.filter((i) => i.duplicates.length > 0).length;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="recognition-panel">
      {!compact && <Alert type={s.type} showIcon title={s.text} />}
      <CloseWarningsAlert warnings={data.warnings} />
      <Descriptions
        size="small"
        column={compact ? 3 : { xs: 1, sm: 3 }}
        items={[
          { key: 't', label: '认定教师', children: <span data-testid="recognition-teachers">{data.totals.teachers} 人</span> },
          { key: 'e', label: '出勤人次', children: `${data.totals.entries} 人次` },
          { key: 'h', label: '认定学时合计', children: <span data-testid="recognition-hours">{data.totals.hours} 学时</span> },
        ]}
      />
      {missing > 0 && <Typography.Text type="secondary">另有 {missing} 名学员没有出勤记录，不认定学时。</Typography.Text>}
      {doubtful > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="recognition-duplicates"
          title={`${doubtful} 名教师已有疑似同一培训的学时记录（个人申报或平台导入），见下表“疑似重复”列。认定不受影响，请核对后在学时审核中处理重复申报。`}
        />
      )}
      <Table
        size="small"
        rowKey="teacherId"
        dataSource={data.items}
        pagination={data.items.length > (compact ? 8 : 50) ? { pageSize: compact ? 8 : 50, size: 'small' } : false}
        locale={{ emptyText: <EmptyState text="暂无出勤记录，提交后不会产生学时" /> }}
        columns={[
          { title: '教师', dataIndex: 'name', width: 110 },
          { title: '学校', dataIndex: 'orgName', ellipsis: true },
          { title: '出勤场次', dataIndex: 'sessions', width: 90, align: 'right' },
          { title: '认定学时', dataIndex: 'hours', width: 90, align: 'right' },
          {
            title: '疑似重复',
            dataIndex: 'duplicates',
            render: (d: string[]) => (d.length ? <Typography.Text type="warning">{d.join('；')}</Typography.Text> : '—'),
          },
        ]}
        data-testid="recognition-table"
      />
    </Space>
  );
}
