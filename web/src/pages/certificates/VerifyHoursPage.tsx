import { useParams } from 'react-router-dom';
import { Alert, Descriptions, Result, Spin, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { PublicCard } from './VerifyCertificatePage';

type StatementVerification =
  | {
      valid: true;
      statementNo: string;
      name: string;
      schoolName: string;
      fromYear: number;
      toYear: number;
      totalHours: number;
      byCategory: { category: string; hours: number }[];
      byYear: { year: number; hours: number }[];
      issuer: string;
      issuedOn: string;
      current: boolean;
      notice: string | null;
    }
  | { valid: false; message: string };

/**
 * Public page behind a 学时证明's QR code (/verify/hours/:code): the figures as printed — masked name, school,
 * period, hours by category and the total, issuer and date — and a warning when the hours were corrected since.
 */
export default function VerifyHoursPage() {
  const { code = '' } = useParams();
  const { data, isPending, error } = useQuery({
    queryKey: ['public', 'hours-statements', code],
    queryFn: () => api.get<StatementVerification>(`/public/hours-statements/${encodeURIComponent(code)}`, undefined, { noAuthRedirect: true }),
  });
  return (
    <PublicCard title="强师 · 学时证明验证">
      {isPending ? (
        <div style={{ textAlign: 'center', padding: 40 }}>
          <Spin />
        </div>
      ) : error || !data ? (
        <Result status="warning" title="暂时无法验证" subTitle={error instanceof Error ? error.message : '请稍后再试'} />
      ) : data.valid ? (
        <>
          <Result status="success" title="学时证明有效" subTitle={`编号 ${data.statementNo}`} style={{ padding: '16px 0' }} />
          {data.notice && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={data.notice} />}
          <Descriptions column={1} bordered size="small" data-testid="verify-hours">
            <Descriptions.Item label="姓名">{data.name}</Descriptions.Item>
            <Descriptions.Item label="工作单位">{data.schoolName}</Descriptions.Item>
            <Descriptions.Item label="证明期间">
              {data.fromYear === data.toYear ? `${data.fromYear}年度` : `${data.fromYear}—${data.toYear}年`}
            </Descriptions.Item>
            <Descriptions.Item label="合计学时">
              <b data-testid="verify-total">{data.totalHours}</b> 学时
            </Descriptions.Item>
            <Descriptions.Item label="开具单位">{data.issuer}</Descriptions.Item>
            <Descriptions.Item label="开具日期">{data.issuedOn}</Descriptions.Item>
          </Descriptions>
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey="category"
            pagination={false}
            dataSource={data.byCategory}
            columns={[
              { title: '培训类别', dataIndex: 'category' },
              { title: '学时', dataIndex: 'hours', align: 'right' },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {data.totalHours}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </>
      ) : (
        <Result status="error" title="学时证明无效" subTitle={data.message} />
      )}
    </PublicCard>
  );
}
