import { Card, Progress, Table, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import { LoadError } from '../../components/Status';
import { useApi } from '../../hooks';
import { PROJECT_LEVELS, label } from '../../vocab';
import { DownloadCertificateButton } from './CertificateButton';
import type { Completion } from './certificates';

/** 我的证书: every finished project, whether it earns a certificate (出勤 ≥ 80 % of the hours) and the download. */
export default function MyCertificatesPage() {
  const { data, loading, error, reload } = useApi(() => api.get<Completion[]>('/my/certificates'), []);
  if (error) return <LoadError error={error} onRetry={reload} />;
  return (
    <Card title="我的证书">
      <Typography.Paragraph type="secondary">项目结项后，出勤学时达到全部场次学时的 80% 且学时已认定，即可下载结业证书。证书上的二维码可供他人扫码验证真伪。</Typography.Paragraph>
      <Table<Completion>
        rowKey="projectId"
        loading={loading}
        dataSource={data}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: '暂无已结项的培训' }}
        columns={[
          { title: '培训项目', dataIndex: 'projectName' },
          { title: '级别', dataIndex: 'level', width: 90, render: (v: string) => label(PROJECT_LEVELS, v) },
          { title: '主办单位', dataIndex: 'orgName', width: 150, ellipsis: true },
          {
            title: '出勤',
            width: 170,
            render: (_: unknown, c) => (
              <span>
                <Progress percent={Math.round(c.attendanceShare * 100)} size="small" status={c.completed ? 'success' : 'normal'} style={{ width: 90, marginInlineEnd: 8 }} />
                {c.attendedHours}/{c.totalHours}
              </span>
            ),
          },
          { title: '认定学时', dataIndex: 'recognisedHours', width: 90 },
          {
            title: '证书',
            width: 170,
            render: (_: unknown, c) =>
              c.completed ? (
                <span>
                  <DownloadCertificateButton path={`/my/certificates/${c.projectId}/pdf`} name={`结业证书-${c.projectName}.pdf`} size="small" />
                  {c.certNo && <div style={{ fontSize: 12, color: '#888' }}>{c.certNo}</div>}
                </span>
              ) : (
                <Tag>{c.reason}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
