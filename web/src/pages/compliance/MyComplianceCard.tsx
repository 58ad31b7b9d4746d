import { Alert, Card, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import type { TeacherCompliance } from '../../api/types';
import { useIsMobile } from '../../hooks';
import TeacherComplianceView from './TeacherComplianceView';
import { STATUS_COLORS } from './parts';

/** The teacher's home card: what they still need this year and this cycle (GET /compliance/me). */
export default function MyComplianceCard() {
  const mobile = useIsMobile();
  const { data, isPending, error } = useQuery({ queryKey: ['compliance', 'me'], queryFn: () => api.get<TeacherCompliance>('/compliance/me') });
  return (
    <Card
      title="我还需完成的培训要求"
      size={mobile ? 'small' : undefined}
      loading={isPending}
      extra={
        data &&
        // No tag when no policy requirement applies (nothing to be 全部达标 of).
        data.thisYear.length + data.thisCycle.length + data.standing.length > 0 &&
        (data.outstanding ? (
          <Tag color={data.overdue ? STATUS_COLORS.overdue : STATUS_COLORS.inProgress}>
            {data.outstanding} 项未完成{data.overdue ? `，${data.overdue} 项已逾期` : ''}
          </Tag>
        ) : (
          <Tag color={STATUS_COLORS.compliant}>全部达标</Tag>
        ))
      }
      data-testid="my-compliance"
    >
      {error ? <Alert type="warning" showIcon title={errorText(error)} /> : data ? <TeacherComplianceView data={data} compact /> : null}
    </Card>
  );
}
