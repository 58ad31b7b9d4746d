import { Link, useParams } from 'react-router-dom';
import { Card, Descriptions, Result, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../api/client';

export type Verification =
  | {
      valid: true;
      certNo: string;
      name: string;
      projectName: string;
      hours: number;
      startDate: string | null;
      endDate: string | null;
      issuedOn: string;
      issuer: string;
    }
  | { valid: false; revoked: true; revokedOn: string; certNo: string; projectName: string; message: string }
  | { valid: false; revoked?: undefined; message: string };

/** The public pages' frame: no login, phone-sized, one card. */
export function PublicCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', padding: 16, display: 'flex', justifyContent: 'center' }}>
      <Card style={{ width: '100%', maxWidth: 480, alignSelf: 'flex-start' }} title={title}>
        {children}
      </Card>
    </div>
  );
}

/** What a verification answered: valid (masked name, project, hours, dates, issuer), revoked with its date, or invalid. */
export function CertificateResult({ data }: { data: Verification }) {
  if (data.valid)
    return (
      <>
        <Result status="success" title="证书有效" subTitle={`证书编号 ${data.certNo}`} style={{ padding: '16px 0' }} />
        <Descriptions column={1} bordered size="small" data-testid="verify-details">
          <Descriptions.Item label="姓名">{data.name}</Descriptions.Item>
          <Descriptions.Item label="培训项目">{data.projectName}</Descriptions.Item>
          <Descriptions.Item label="认定学时">{data.hours} 学时</Descriptions.Item>
          {data.startDate && (
            <Descriptions.Item label="培训时间">
              {data.startDate} 至 {data.endDate}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="发证单位">{data.issuer}</Descriptions.Item>
          <Descriptions.Item label="发证日期">{data.issuedOn}</Descriptions.Item>
        </Descriptions>
      </>
    );
  if (data.revoked)
    // Revoked after issue (its hours were corrected): say so, with the date, so an old printout is not trusted.
    return (
      <>
        <Result status="error" title="证书已撤销" subTitle={`证书编号 ${data.certNo}`} style={{ padding: '16px 0' }} />
        <Descriptions column={1} bordered size="small" data-testid="verify-revoked">
          <Descriptions.Item label="培训项目">{data.projectName}</Descriptions.Item>
          <Descriptions.Item label="状态">已撤销</Descriptions.Item>
          <Descriptions.Item label="撤销日期">{data.revokedOn}</Descriptions.Item>
          <Descriptions.Item label="说明">{data.message}</Descriptions.Item>
        </Descriptions>
      </>
    );
  return <Result status="error" title="证书无效" subTitle={data.message} />;
}

/**
 * Public page behind a certificate's QR code (/verify/:code): no login, phone-sized, shows only what is
 * needed to verify — masked name, project, hours, dates, issuer — or that the certificate is invalid.
 */
export default function VerifyCertificatePage() {
  const { code = '' } = useParams();
  const { data, isPending, error } = useQuery({
    queryKey: ['public', 'certificates', code],
    queryFn: () => api.get<Verification>(`/public/certificates/${encodeURIComponent(code)}`, undefined, { noAuthRedirect: true }),
  });
  return (
    <PublicCard title="强师 · 结业证书验证">
      {isPending ? (
        <div style={{ textAlign: 'center', padding: 40 }}>
          <Spin />
        </div>
      ) : error || !data ? (
        <Result status="warning" title="暂时无法验证" subTitle={error instanceof Error ? error.message : '请稍后再试'} />
      ) : (
        <CertificateResult data={data} />
      )}
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        <Link to="/verify">按证书编号查询其他证书</Link>
      </div>
    </PublicCard>
  );
}
