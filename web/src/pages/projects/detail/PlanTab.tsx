import { Descriptions, Space, Table, Tag } from 'antd';
import type { ProjectDetail } from '../../../api/types';
import { CATEGORIES, label } from '../../../vocab';

/** 培训方案 tab: the modules with their hours, and who may attend. */
export default function PlanTab({ p }: { p: ProjectDetail }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={p.plan.map((m, i) => ({ ...m, i: i + 1 }))}
        columns={[
          { title: '序号', dataIndex: 'i', width: 60 },
          { title: '模块', dataIndex: 'title' },
          {
            title: '类别',
            dataIndex: 'category',
            width: 120,
            render: (c: string) => <Tag color={c === 'ethics' ? 'red' : 'blue'}>{label(CATEGORIES, c)}</Tag>,
          },
          { title: '学时', dataIndex: 'hours', width: 80, align: 'right' },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={3}>
              合计
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {p.targetHours}
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
        data-testid="plan-table"
      />
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'aud', label: '培训对象', children: p.audienceText || '不限' },
          { key: 'self', label: '自主报名', children: p.selfEnrol ? '允许（由学校审核）' : '不允许' },
          { key: 'out', label: '外出培训', children: p.outbound ? '是（结项后学员须返岗分享）' : '否' },
        ]}
      />
    </Space>
  );
}
