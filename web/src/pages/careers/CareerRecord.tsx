import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import { LoadError } from '../../components/Status';
import { useAuth } from '../../auth';

/** 交流轮岗 and 表彰荣誉 in a teacher's record (issue 14 items 2, 4): the teacher detail tab and the teacher's own page. */

export const ROTATION_KIND_LABELS: Record<string, string> = { exchange: '交流', rotation: '轮岗', supportTeaching: '支教', sendTeaching: '送教下乡' };
export const HONOUR_LEVEL_LABELS: Record<string, string> = { national: '国家级', province: '省级', city: '市级', county: '县级', school: '校级' };

interface RotationRow {
  id: number;
  fromOrgName: string;
  toOrgName: string;
  kind: string;
  startDate: string;
  endDate: string | null;
  rural: boolean;
  note: string | null;
  supersededAt: string | null;
  supersedeReason: string | null;
}
interface TeacherRotations {
  records: RotationRow[];
  summary?: { hasRotation: boolean; ruralDays: number; ruralYears: number };
}
interface TeacherHonours {
  honours: { id: number; title: string; level: string; awardedOn: string; awardingOrg: string; revokedAt: string | null; revokedReason: string | null }[];
  retirement: { retiredOn: string; ceremonyOn: string; serviceYears: number; orgName: string } | null;
}

export function CareerRecord({ teacherId }: { teacherId: number }) {
  const rot = useQuery({ queryKey: ['teachers', teacherId, 'rotations'], queryFn: () => api.get<TeacherRotations>(`/teachers/${teacherId}/rotations`) });
  const hon = useQuery({ queryKey: ['teachers', teacherId, 'honours'], queryFn: () => api.get<TeacherHonours>(`/teachers/${teacherId}/honours`) });
  if (rot.error) return <LoadError error={rot.error} onRetry={() => void rot.refetch()} />;
  if (hon.error) return <LoadError error={hon.error} onRetry={() => void hon.refetch()} />;
  const s = rot.data?.summary;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title="交流轮岗经历" data-testid="career-rotations">
        {s ? (
          <Typography.Paragraph>
            {s.hasRotation ? <Tag color="green">有交流轮岗经历</Tag> : <Tag>无交流轮岗经历</Tag>} 乡村学校任教累计 {s.ruralDays} 天（{s.ruralYears} 年）
          </Typography.Paragraph>
        ) : null}
        <Table
          rowKey="id"
          size="small"
          loading={rot.isPending}
          pagination={false}
          scroll={{ x: true }}
          dataSource={rot.data?.records ?? []}
          locale={{ emptyText: '暂无交流轮岗记录' }}
          columns={[
            { title: '类型', key: 'kind', render: (_, r) => ROTATION_KIND_LABELS[r.kind] ?? r.kind },
            { title: '派出学校', dataIndex: 'fromOrgName' },
            { title: '交流学校', dataIndex: 'toOrgName' },
            { title: '起止', key: 'd', render: (_, r) => `${r.startDate} 至 ${r.endDate ?? '今'}` },
            { title: '乡村', key: 'rural', render: (_, r) => (r.rural ? <Tag color="gold">乡村</Tag> : '') },
            {
              title: '状态',
              key: 'st',
              render: (_, r) => (r.supersededAt ? <Tag>已更正：{r.supersedeReason}</Tag> : r.endDate ? <Tag>已结束</Tag> : <Tag color="blue">进行中</Tag>),
            },
          ]}
        />
      </Card>
      <Card size="small" title="获得荣誉" data-testid="career-honours">
        <Table
          rowKey="id"
          size="small"
          loading={hon.isPending}
          pagination={false}
          scroll={{ x: true }}
          dataSource={hon.data?.honours ?? []}
          locale={{ emptyText: '暂无荣誉' }}
          columns={[
            { title: '荣誉', dataIndex: 'title' },
            { title: '级别', key: 'level', render: (_, r) => HONOUR_LEVEL_LABELS[r.level] ?? r.level },
            { title: '授予日期', dataIndex: 'awardedOn' },
            { title: '授予单位', dataIndex: 'awardingOrg' },
            { title: '状态', key: 'st', render: (_, r) => (r.revokedAt ? <Tag color="red">已撤销：{r.revokedReason}</Tag> : <Tag color="green">有效</Tag>) },
          ]}
        />
        {hon.data?.retirement ? (
          <Descriptions
            style={{ marginTop: 12 }}
            size="small"
            bordered
            title="荣退"
            items={[
              { key: 'r', label: '退休日期', children: hon.data.retirement.retiredOn },
              { key: 'c', label: '荣退仪式', children: `${hon.data.retirement.ceremonyOn}（${hon.data.retirement.orgName}）` },
              { key: 'y', label: '从教年限', children: `${hon.data.retirement.serviceYears} 年` },
            ]}
          />
        ) : null}
      </Card>
    </Space>
  );
}

/** The teacher's own page: 我的交流与荣誉. */
export default function MyCareerPage() {
  const { me } = useAuth();
  if (!me?.teacherId) return <Typography.Text type="secondary">当前账号未关联教师档案</Typography.Text>;
  return <CareerRecord teacherId={me.teacherId} />;
}
