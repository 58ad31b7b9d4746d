import { Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Wire } from '../../api/wire';
import PageCard from '../../components/PageCard';
import { LoadError } from '../../components/Status';
import { dateTime } from '../../format';
import type { schoolCases } from '../../../../server/src/modules/ethics-cases/cases.own.service';

type Item = Wire<Awaited<ReturnType<typeof schoolCases>>>['items'][number];

/** 师德案件告知 (school admin): only that a case concerns one of the school's teachers, when the bureau told the school. */
export default function SchoolCasesPage() {
  const q = useQuery({ queryKey: ['ethics', 'school-cases'], queryFn: () => api.get<{ items: Item[] }>('/ethics/school-cases') });
  return (
    <PageCard title="师德案件告知" testId="school-cases">
      <Typography.Paragraph type="secondary">教育局告知本校的师德案件：只显示涉及的教师和立案日期，案件内容由教育局师德专干办理。</Typography.Paragraph>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<Item>
          rowKey="id"
          size="small"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '没有告知本校的案件' }}
          columns={[
            { title: '教师', dataIndex: 'teacherName' },
            { title: '立案日期', dataIndex: 'openedOn', width: 130 },
            { title: '告知时间', width: 180, render: (_, r) => dateTime(r.informedAt) },
          ]}
        />
      )}
    </PageCard>
  );
}
