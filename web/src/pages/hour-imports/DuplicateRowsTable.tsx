import { Checkbox, Space, Table, Tag, Typography } from 'antd';
import type { ImportReport } from './types';

type DuplicateRow = ImportReport['duplicateRows'][number];

/**
 * Import rows that look like hours the teacher already has, each with its match. In the preview the
 * importer ticks 仍导入 for rows that are not duplicates (the rest are left out, and reported so); after
 * the import, whether each was written.
 */
export default function DuplicateRowsTable({
  rows,
  writeAnyway,
  onChange,
}: {
  rows: DuplicateRow[];
  writeAnyway?: number[];
  onChange?: (rows: number[]) => void;
}) {
  return (
    <Table<DuplicateRow>
      size="small"
      rowKey="row"
      data-testid="duplicate-rows"
      dataSource={rows}
      pagination={{ pageSize: 20 }}
      scroll={{ x: 760 }}
      locale={{ emptyText: '没有疑似重复的行' }}
      columns={[
        { title: '行号', dataIndex: 'row', width: 70 },
        { title: '教师', dataIndex: 'teacherName', width: 90, render: (v?: string) => v ?? '—' },
        { title: '课程名称', dataIndex: 'course' },
        { title: '学时', dataIndex: 'hours', width: 70 },
        { title: '完成时间', dataIndex: 'date', width: 110 },
        {
          title: '已有记录',
          render: (_: unknown, r) => (
            <Space orientation="vertical" size={2}>
              {r.matches.map((m) => (
                <span key={`${m.kind}:${m.id}`}>
                  <Tag color="orange">{m.sourceLabel}</Tag>
                  {m.title}（{m.occurredOn}
                  {m.occurredTo ? ` 至 ${m.occurredTo}` : ''}，{m.hours} 学时）
                </span>
              ))}
            </Space>
          ),
        },
        {
          title: onChange ? '仍导入' : '结果',
          width: 90,
          render: (_: unknown, r) =>
            onChange && writeAnyway ? (
              <Checkbox
                aria-label={`第 ${r.row} 行仍导入`}
                checked={writeAnyway.includes(r.row)}
                onChange={(e) => onChange(e.target.checked ? [...writeAnyway, r.row] : writeAnyway.filter((x) => x !== r.row))}
              />
            ) : r.written ? (
              <Typography.Text>已导入</Typography.Text>
            ) : (
              <Typography.Text type="secondary">未导入</Typography.Text>
            ),
        },
      ]}
    />
  );
}
