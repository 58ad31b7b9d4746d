import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import { LoadError } from '../../components/Status';

interface TermEvent {
  id: number;
  kind: string;
  onDate: string;
  year: number | null;
  result: string | null;
  duties: string[] | null;
  note: string | null;
  superseded: boolean;
}
interface View {
  source: string;
  duties: { code: string; label: string }[];
  designations: {
    id: number;
    tierLabel: string;
    categoryLabel: string | null;
    from: string | null;
    until: string | null;
    superseded: boolean;
    events: TermEvent[];
  }[];
}

const KIND: Record<string, string> = { designated: '认定', assessed: '年度考核', renewed: '续任', exited: '退出' };

/** 我的骨干认定: the teacher's designations (层级、类别、任期), yearly duties and every term step. */
export function KeyTeacherView({ path }: { path: string }) {
  const { data, error, isPending, refetch } = useQuery({ queryKey: path.split('/').filter(Boolean), queryFn: () => api.get<View>(path) });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <Card loading />;
  const dutyLabel = (c: string) => data.duties.find((d) => d.code === c)?.label ?? c;
  const current = data.designations.filter((d) => !d.superseded);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title="任期内年度职责">
        <Typography.Paragraph type="secondary">依据：{data.source}</Typography.Paragraph>
        <ul>
          {data.duties.map((d) => (
            <li key={d.code}>{d.label}</li>
          ))}
        </ul>
      </Card>
      {current.length === 0 ? <Empty description="暂无骨干教师认定" /> : null}
      {current.map((d) => (
        <Card key={d.id} size="small" title={`${d.tierLabel}${d.categoryLabel ?? ''}`} extra={`任期 ${d.from ?? '—'} 至 ${d.until ?? '长期'}`}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.events}
            locale={{ emptyText: '暂无记录' }}
            columns={[
              { title: '日期', dataIndex: 'onDate' },
              { title: '事项', key: 'kind', render: (_, e) => (e.kind === 'assessed' ? `${e.year} 年度考核` : (KIND[e.kind] ?? e.kind)) },
              {
                title: '结果',
                key: 'result',
                render: (_, e) =>
                  e.result ? <Tag color={e.result === 'qualified' ? 'green' : 'red'}>{e.result === 'qualified' ? '合格' : '不合格'}</Tag> : null,
              },
              { title: '完成职责', key: 'duties', render: (_, e) => (e.duties ?? []).map(dutyLabel).join('、') },
              { title: '说明', key: 'note', render: (_, e) => (e.superseded ? <Typography.Text delete>{e.note}</Typography.Text> : e.note) },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}

export default function MyKeyTeacherPage() {
  return <KeyTeacherView path="/my/key-teacher" />;
}
