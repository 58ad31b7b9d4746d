import { Card, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { TeacherHours } from '../../api/types';
import HoursLedger from '../../components/HoursLedger';
import { LoadError, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import MyComplianceCard from '../compliance/MyComplianceCard';
import StatementButton from '../hours/StatementButton';

/**
 * 我的学时: the teacher's requirements with their outcome (已达标 / 进行中 with the pace / 临期 / 未达标; the
 * deadline reminders link here), then the teacher's own ledger (GET /hours/me).
 */
export default function MyHoursPage() {
  const mobile = useIsMobile();
  const { data, isPending, error, refetch } = useQuery({ queryKey: ['hours', 'me'], queryFn: () => api.get<TeacherHours>('/hours/me') });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Space orientation="vertical" size={mobile ? 12 : 16} style={{ width: '100%' }}>
      <MyComplianceCard />
      <Card size={mobile ? 'small' : undefined} title="学时证明">
        <StatementButton path="/hours/me/statement.pdf" teacherName={data.teacher.name} />
      </Card>
      {mobile ? (
        <HoursLedger data={data} />
      ) : (
        <Card title="我的学时">
          <HoursLedger data={data} />
        </Card>
      )}
    </Space>
  );
}
