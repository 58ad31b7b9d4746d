import { Alert, Button, Col, Row, Statistic, Table, Tabs } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { apiUrl } from '../../api/client';
import DuplicateRowsTable from './DuplicateRowsTable';
import type { ImportReport, RowProblem } from './types';

const problemColumns = [
  { title: '行号', dataIndex: 'row', width: 80 },
  { title: '原因', dataIndex: 'message' },
];

/** Added / skipped / rejected with row numbers and reasons; the Excel report for a real run. */
export default function ImportReportView({
  report,
  writeAnyway,
  onWriteAnywayChange,
}: {
  report: ImportReport;
  /** Preview: the flagged rows the importer chose to import anyway. */
  writeAnyway?: number[];
  onWriteAnywayChange?: (rows: number[]) => void;
}) {
  const duplicates = report.duplicateRows ?? [];
  return (
    <div data-testid="import-report">
      {report.dryRun && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="这是预检结果，尚未写入学时档案" />}
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col xs={12} sm={6}>
          <Statistic title={report.dryRun ? '将新增' : '新增'} value={report.added} suffix="条" styles={{ content: { color: '#389e0d' } }} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="学时合计" value={report.hoursAdded} suffix="学时" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="跳过（已导入过/重复）" value={report.skipped} suffix="条" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="未导入（有错误）" value={report.rejected} suffix="条" styles={{ content: { color: report.rejected ? '#cf1322' : undefined } }} />
        </Col>
      </Row>
      {duplicates.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            report.dryRun
              ? `${duplicates.length} 行可能与教师已有的学时重复（见“疑似重复”）：默认不导入，确认不重复的请勾选“仍导入”`
              : `${duplicates.length} 行可能与已有学时重复：导入 ${duplicates.filter((d) => d.written).length} 行，未导入 ${duplicates.filter((d) => !d.written).length} 行`
          }
        />
      )}
      {report.truncated && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="问题行较多，下表只列出前 5000 行" />}
      <Tabs
        items={[
          ...(duplicates.length
            ? [
                {
                  key: 'duplicates',
                  label: `疑似重复（${duplicates.length}）`,
                  children: <DuplicateRowsTable rows={duplicates} writeAnyway={writeAnyway} onChange={report.dryRun ? onWriteAnywayChange : undefined} />,
                },
              ]
            : []),
          {
            key: 'rejected',
            label: `未导入（${report.rejected}）`,
            children: <Table<RowProblem> size="small" rowKey="row" dataSource={report.rejectedRows} columns={problemColumns} pagination={{ pageSize: 20 }} />,
          },
          {
            key: 'skipped',
            label: `跳过（${report.skipped}）`,
            children: <Table<RowProblem> size="small" rowKey="row" dataSource={report.skippedRows} columns={problemColumns} pagination={{ pageSize: 20 }} />,
          },
        ]}
        tabBarExtraContent={
          report.runId ? (
            <Button icon={<DownloadOutlined />} href={apiUrl(`/hour-imports/${report.runId}/report.xlsx`)}>
              下载导入结果
            </Button>
          ) : null
        }
      />
    </div>
  );
}
