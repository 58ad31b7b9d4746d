import { Table, Tag, Typography } from 'antd';
import { GRADE_COLOR, type Result } from './types';

const SOURCE: Record<string, string> = { round: '年度考核', import: '导入', correction: '更正' };

/** A teacher's 年度考核 results, newest first; superseded rows struck through with what replaced them. */
export function ResultsTable({ results, extra }: { results: Result[]; extra?: (r: Result) => React.ReactNode }) {
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={results}
      scroll={{ x: true }}
      locale={{ emptyText: '暂无年度考核结果' }}
      columns={[
        { title: '年度', dataIndex: 'year' },
        {
          title: '等次',
          key: 'grade',
          render: (_, r) => (r.inForce ? <Tag color={GRADE_COLOR[r.grade]}>{r.gradeLabel}</Tag> : <Typography.Text delete>{r.gradeLabel}</Typography.Text>),
        },
        { title: '来源', key: 'source', render: (_, r) => `${SOURCE[r.source] ?? r.source}${r.roundTitle ? `：${r.roundTitle}` : ''}` },
        { title: '单位', dataIndex: 'orgName' },
        { title: '说明', key: 'note', render: (_, r) => (r.correctionReason ? `更正原因：${r.correctionReason}` : (r.note ?? '')) },
        { title: '状态', key: 'st', render: (_, r) => (r.inForce ? '现行' : '已被更正') },
        ...(extra ? [{ title: '操作', key: 'op', render: (_: unknown, r: Result) => extra(r) }] : []),
      ]}
    />
  );
}
