import { Card } from 'antd';
import { api } from '../../api/client';
import type { TeacherHours } from '../../api/types';
import HoursLedger from '../../components/HoursLedger';
import { LoadError, PageLoading } from '../../components/Status';
import { useApi, useIsMobile } from '../../hooks';

/** 我的学时: the teacher's own ledger (GET /hours/me). */
export default function MyHoursPage() {
  const mobile = useIsMobile();
  const { data, loading, error, reload } = useApi(() => api.get<TeacherHours>('/hours/me'), []);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  return mobile ? (
    <HoursLedger data={data} />
  ) : (
    <Card title="我的学时">
      <HoursLedger data={data} />
    </Card>
  );
}
