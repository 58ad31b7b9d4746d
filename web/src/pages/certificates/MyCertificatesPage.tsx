import { Card, Progress, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { EmptyState, LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { PROJECT_LEVELS, label } from '../../vocab';
import { DownloadCertificateButton } from './CertificateButton';
import type { Completion } from './certificates';

/** The download (with the certificate number) or, when not earned, why not; the reason wraps instead of being cut off. */
function CertificateCell({ c }: { c: Completion }) {
  return c.completed ? (
    <span>
      <DownloadCertificateButton path={`/my/certificates/${c.projectId}/pdf`} name={`结业证书-${c.projectName}.pdf`} size="small" />
      {c.certNo && <div style={{ fontSize: 12, color: '#888' }}>{c.certNo}</div>}
    </span>
  ) : (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {c.reason ?? '未达到结业条件'}
    </Typography.Text>
  );
}

function Attendance({ c, width = 90 }: { c: Completion; width?: number }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Progress percent={Math.round(c.attendanceShare * 100)} size="small" status={c.completed ? 'success' : 'normal'} style={{ width, marginInlineEnd: 8 }} />
      {c.attendedHours}/{c.totalHours} 学时
    </span>
  );
}

/** 我的证书: every finished project, whether it earns a certificate (出勤 ≥ 80 % of the hours) and the download. */
export default function MyCertificatesPage() {
  const mobile = useIsMobile();
  const { data, isPending, error, refetch } = useQuery({ queryKey: ['my', 'certificates'], queryFn: () => api.get<Completion[]>('/my/certificates') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const empty = <EmptyState text="暂无已结项的培训。项目结项、学时认定后，证书会出现在这里。" />;
  return (
    <Card title="我的证书">
      <Typography.Paragraph type="secondary">
        项目结项后，出勤学时达到全部场次学时的 80% 且学时已认定，即可下载结业证书。证书上的二维码可供他人扫码验证真伪。
      </Typography.Paragraph>
      <Table<Completion>
        rowKey="projectId"
        loading={isPending}
        dataSource={data}
        pagination={false}
        scroll={mobile ? undefined : { x: 900 }}
        locale={{ emptyText: empty }}
        columns={
          mobile
            ? // A phone has no room for six columns: the project with its figures and the certificate (or why not)
              // stacked in one column; a second column squeezed the reason to four characters a line.
              [
                {
                  title: '培训项目',
                  key: 'project',
                  render: (_: unknown, c) => (
                    <Space orientation="vertical" size={2}>
                      <Typography.Text strong>{c.projectName}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {label(PROJECT_LEVELS, c.level)} · {c.orgName} · 认定 {c.recognisedHours} 学时
                      </Typography.Text>
                      <Attendance c={c} width={70} />
                      <CertificateCell c={c} />
                    </Space>
                  ),
                },
              ]
            : [
                { title: '培训项目', dataIndex: 'projectName' },
                { title: '级别', dataIndex: 'level', width: 80, render: (v: string) => label(PROJECT_LEVELS, v) },
                { title: '主办单位', dataIndex: 'orgName', width: 150, ellipsis: true },
                { title: '出勤', key: 'att', width: 200, render: (_: unknown, c) => <Attendance c={c} /> },
                { title: '认定学时', dataIndex: 'recognisedHours', width: 90, align: 'right', render: (v: number) => `${v} 学时` },
                { title: '证书', key: 'cert', width: 200, render: (_: unknown, c) => <CertificateCell c={c} /> },
              ]
        }
      />
    </Card>
  );
}
