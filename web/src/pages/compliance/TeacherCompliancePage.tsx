import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Card, DatePicker, Space, Typography } from 'antd';
import { ArrowLeftOutlined, UserOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { TeacherCompliance } from '../../api/types';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import TeacherComplianceView from './TeacherComplianceView';

/** 教师合规情况 (admins): one teacher's requirements under every policy in force at their school. */
export default function TeacherCompliancePage() {
  const id = Number(useParams().id);
  const nav = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const valid = Number.isInteger(id) && id > 0;
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['compliance', 'teachers', id, { asOf }],
    queryFn: () => api.get<TeacherCompliance>(`/compliance/teachers/${id}`, { asOf }),
    enabled: valid,
  });
  if (!valid) return <LoadError error={new Error('教师编号无效')} />;
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (!data) return null;
  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav(-1)} aria-label="返回" />
          <span data-testid="teacher-name">{data.teacher.name}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {data.teacher.orgName} · 合规情况
          </Typography.Text>
        </Space>
      }
      extra={
        <Space wrap>
          <DatePicker
            value={dayjs(data.asOf)}
            allowClear={false}
            onChange={(d) => {
              const next = new URLSearchParams(params);
              if (d) next.set('asOf', d.format('YYYY-MM-DD'));
              setParams(next);
            }}
            aria-label="评估日期"
            size={mobile ? 'small' : undefined}
          />
          <Link to={`/teachers/${id}`}>
            <Button icon={<UserOutlined />} size={mobile ? 'small' : undefined}>
              教师档案
            </Button>
          </Link>
        </Space>
      }
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      <div style={{ maxWidth: 860 }}>
        <TeacherComplianceView data={data} />
      </div>
    </Card>
  );
}
