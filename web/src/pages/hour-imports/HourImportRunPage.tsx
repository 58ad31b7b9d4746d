import { Link, useParams } from 'react-router-dom';
import { Card, Descriptions, Space } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LoadError, PageLoading } from '../../components/Status';
import { HOUR_PLATFORMS } from '../../vocab';
import ImportReportView from './ImportReportView';
import type { RunDetail } from './types';

/** One import run: who, when, which file and platform, and its report. */
export default function HourImportRunPage() {
  const { id } = useParams();
  const { data, isPending, error, refetch } = useQuery({ queryKey: ['hour-imports', Number(id)], queryFn: () => api.get<RunDetail>(`/hour-imports/${id}`) });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={`导入记录 #${data.id}`} extra={<Link to="/hour-imports">返回平台学时导入</Link>}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label="文件">{data.fileName}</Descriptions.Item>
          <Descriptions.Item label="来源平台">{HOUR_PLATFORMS[data.platform as keyof typeof HOUR_PLATFORMS] ?? data.platform}</Descriptions.Item>
          <Descriptions.Item label="时间">{dayjs(data.createdAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
          <Descriptions.Item label="操作人">{data.userName}</Descriptions.Item>
          <Descriptions.Item label="单位">{data.orgName}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="导入结果">
        <ImportReportView report={data.report} />
      </Card>
    </Space>
  );
}
