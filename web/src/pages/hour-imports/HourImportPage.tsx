import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Row, Select, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { CATEGORIES, HOUR_PLATFORMS, options } from '../../vocab';
import { refreshBadges } from '../notifications/badges';
import ImportReportView from './ImportReportView';
import { FIELD_LABELS, type Analysis, type ImportReport, type MappedField, type Mapping, type RunSummary } from './types';

const FIELDS = Object.keys(FIELD_LABELS) as MappedField[];

function upload(path: string, file: File, mapping?: Mapping, skipRows?: number[]) {
  const fd = new FormData();
  // The mapping goes first so the server has it before it reads the file.
  if (mapping) fd.append('mapping', JSON.stringify(mapping));
  if (skipRows?.length) fd.append('skipRows', JSON.stringify(skipRows));
  fd.append('file', file, file.name);
  return api.post<Analysis | ImportReport>(path, fd);
}

/**
 * 平台学时导入: upload another platform's export (国家中小学智慧教育平台 …), say which column is which and
 * how its categories map to ours, check it (预检, nothing written), then import. The same file twice adds
 * nothing; every rejected or skipped row is reported with its row number.
 */
export default function HourImportPage() {
  const { message, modal } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [platform, setPlatform] = useState('smartEdu');
  const [columns, setColumns] = useState<Partial<Record<MappedField, number | null>>>({});
  const [categoryMap, setCategoryMap] = useState<Record<string, string>>({});
  const [defaultCategory, setDefaultCategory] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  /** Rows flagged as likely duplicates that the importer chose to import anyway (the others are left out). */
  const [writeAnyway, setWriteAnyway] = useState<number[]>([]);
  const [busy, setBusy] = useState<'analyse' | 'dry' | 'run' | null>(null);
  const runs = useQuery({
    queryKey: ['hour-imports', 'list', { pageSize: 10 }],
    queryFn: () => api.get<{ items: RunSummary[]; total: number }>('/hour-imports', { pageSize: 10 }),
  });

  const analyse = async (f: File) => {
    setBusy('analyse');
    setReport(null);
    try {
      const a = (await upload('/hour-imports/analyse', f)) as Analysis;
      setFile(f);
      setWriteAnyway([]);
      setAnalysis(a);
      setColumns(a.guess.columns);
      const catCol = a.guess.columns.category;
      const values = catCol !== undefined ? (a.columnValues[catCol] ?? []) : [];
      setCategoryMap(Object.fromEntries(values.filter((v) => a.guess.categoryGuesses[v]).map((v) => [v, a.guess.categoryGuesses[v]])));
      setDefaultCategory(null);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const categoryValues = useMemo(() => {
    const c = columns.category;
    return analysis && c !== undefined && c !== null ? (analysis.columnValues[c] ?? null) : null;
  }, [analysis, columns.category]);

  const missing = FIELDS.filter((f) => FIELD_LABELS[f].required && (columns[f] === undefined || columns[f] === null));
  const noCategory = (columns.category === undefined || columns.category === null) && !defaultCategory;

  // The selects offer only vocabulary keys, so the strings they hold are the server's enum values.
  const mapping = (): Mapping => ({
    platform: platform as Mapping['platform'],
    headerRow: analysis?.headerRow ?? 1,
    columns: {
      nationalId: columns.nationalId as number,
      course: columns.course as number,
      hours: columns.hours as number,
      date: columns.date as number,
      name: columns.name ?? null,
      category: columns.category ?? null,
    },
    categoryMap: (categoryValues ? Object.fromEntries(Object.entries(categoryMap).filter(([k]) => categoryValues.includes(k))) : {}) as Mapping['categoryMap'],
    defaultCategory: defaultCategory as Mapping['defaultCategory'],
  });

  const run = async (dryRun: boolean, skipRows?: number[]) => {
    if (!file) return;
    setBusy(dryRun ? 'dry' : 'run');
    try {
      const r = (await upload(`/hour-imports${dryRun ? '?dryRun=1' : ''}`, file, mapping(), skipRows)) as ImportReport;
      setReport(r);
      if (!dryRun) {
        message.success(`导入完成：新增 ${r.added} 条`);
        refreshBadges();
        // The imported hours count towards the teachers' ledgers, the summaries and compliance.
        void invalidate(['hour-imports'], ['hours'], ['compliance'], ['my']);
      }
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  /**
   * 开始导入: check the file again (nothing written), then show what will be written — rows, hours, teachers,
   * and the likely duplicates left out or imported anyway — and import only when confirmed.
   */
  const confirmAndImport = async () => {
    if (!file) return;
    setBusy('dry');
    let preview: ImportReport;
    try {
      preview = (await upload('/hour-imports?dryRun=1', file, mapping())) as ImportReport;
    } catch (e) {
      message.error(errorText(e));
      return;
    } finally {
      setBusy(null);
    }
    setReport(preview);
    const skip = preview.duplicateRows.filter((d) => !writeAnyway.includes(d.row));
    const rows = preview.added - skip.length;
    const hours = Math.round((preview.hoursAdded - skip.reduce((n, d) => n + d.hours, 0)) * 10) / 10;
    modal.confirm({
      title: '确认导入',
      okText: '确认写入',
      cancelText: '取消',
      width: 520,
      content: (
        <div data-testid="import-confirm">
          <p>
            将写入学时：{rows} 条，共 {hours} 学时。
          </p>
          {preview.duplicateRows.length > 0 && (
            <p>
              疑似重复 {preview.duplicateRows.length} 行：不导入 {skip.length} 行，仍导入 {preview.duplicateRows.length - skip.length}{' '}
              行（可在“疑似重复”中调整）。
            </p>
          )}
          {preview.skipped + preview.rejected > 0 && (
            <p>
              另有跳过 {preview.skipped} 行、有错误未导入 {preview.rejected} 行。
            </p>
          )}
        </div>
      ),
      onOk: () =>
        run(
          false,
          skip.map((d) => d.row),
        ),
    });
  };

  const columnOptions = analysis?.columns.map((c) => ({ value: c.index, label: `${c.letter} 列：${c.header}` })) ?? [];
  const step = !analysis ? 0 : report && !report.dryRun ? 2 : 1;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="平台学时导入">
        <Steps current={step} style={{ marginBottom: 20 }} items={[{ title: '上传文件' }, { title: '设置列映射并预检' }, { title: '导入结果' }]} />
        <Upload.Dragger
          accept=".xlsx,.csv"
          showUploadList={false}
          disabled={busy !== null}
          beforeUpload={(f) => {
            void analyse(f);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? `已选择：${file.name}（点击或拖入以更换）` : '点击或拖入其他平台导出的学习记录（.xlsx 或 .csv）'}</p>
          <p className="ant-upload-hint">如国家中小学智慧教育平台导出的表格，需包含身份证号、课程名称、学时、完成时间等列</p>
        </Upload.Dragger>

        {analysis && (
          <div style={{ marginTop: 20 }}>
            {analysis.previousRuns.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={`这个文件已于 ${dayjs(analysis.previousRuns[0].createdAt).format('YYYY-MM-DD HH:mm')} 导入过；再次导入时已有的记录会自动跳过，不会重复计入。`}
              />
            )}
            <Typography.Paragraph type="secondary">
              表头在第 {analysis.headerRow} 行，共 {analysis.dataRows} 行数据。请确认每个字段对应的列（已按表头自动识别）。
            </Typography.Paragraph>
            <Form layout="vertical">
              <Row gutter={16}>
                <Col xs={24} md={8}>
                  <Form.Item label="来源平台" required>
                    <Select aria-label="来源平台" value={platform} onChange={setPlatform} options={options(HOUR_PLATFORMS)} />
                  </Form.Item>
                </Col>
                {FIELDS.map((f) => (
                  <Col xs={24} md={8} key={f}>
                    <Form.Item label={FIELD_LABELS[f].label} required={FIELD_LABELS[f].required}>
                      <Select
                        aria-label={FIELD_LABELS[f].label}
                        placeholder={FIELD_LABELS[f].required ? '请选择列' : '（不使用）'}
                        allowClear={!FIELD_LABELS[f].required}
                        value={columns[f] ?? undefined}
                        onChange={(v: number | undefined) => setColumns({ ...columns, [f]: v ?? null })}
                        options={columnOptions}
                      />
                    </Form.Item>
                  </Col>
                ))}
                <Col xs={24} md={8}>
                  <Form.Item
                    label="默认培训类别"
                    required={columns.category === undefined || columns.category === null}
                    extra="无类别列时使用；类别为空或未对应时也使用"
                  >
                    <Select
                      aria-label="默认培训类别"
                      placeholder="请选择"
                      allowClear
                      value={defaultCategory ?? undefined}
                      onChange={(v?: string) => setDefaultCategory(v ?? null)}
                      options={options(CATEGORIES)}
                    />
                  </Form.Item>
                </Col>
              </Row>
            </Form>

            {categoryValues && (
              <Card size="small" title="培训类别对应" style={{ marginBottom: 16 }}>
                <Table
                  size="small"
                  rowKey="value"
                  pagination={false}
                  dataSource={categoryValues.map((v) => ({ value: v }))}
                  columns={[
                    { title: '平台中的类别', dataIndex: 'value' },
                    {
                      title: '本系统类别',
                      render: (_: unknown, r: { value: string }) => (
                        <Select
                          aria-label={`类别对应：${r.value}`}
                          style={{ width: 200 }}
                          placeholder={defaultCategory ? `（默认：${CATEGORIES[defaultCategory as keyof typeof CATEGORIES]}）` : '请选择'}
                          allowClear
                          value={categoryMap[r.value]}
                          onChange={(v?: string) => {
                            const next = { ...categoryMap };
                            if (v) next[r.value] = v;
                            else delete next[r.value];
                            setCategoryMap(next);
                          }}
                          options={options(CATEGORIES)}
                        />
                      ),
                    },
                  ]}
                />
              </Card>
            )}
            {!categoryValues && columns.category !== undefined && columns.category !== null && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} title="类别列的取值较多，将按本系统类别名称直接识别，其余使用默认类别" />
            )}

            <Typography.Title level={5}>样例数据（前 5 行，身份证号已脱敏）</Typography.Title>
            <Table
              size="small"
              rowKey="row"
              pagination={false}
              scroll={{ x: true }}
              dataSource={analysis.sample}
              columns={[
                { title: '行号', dataIndex: 'row', width: 60 },
                ...analysis.columns.map((c) => {
                  const field = FIELDS.find((f) => columns[f] === c.index);
                  return {
                    title: (
                      <span>
                        {c.letter} {c.header} {field && <Tag color="blue">{FIELD_LABELS[field].label.replace(/（.*）/, '')}</Tag>}
                      </span>
                    ),
                    key: String(c.index),
                    render: (_: unknown, r: { cells: string[] }) => r.cells[c.index],
                  };
                }),
              ]}
            />
            {(missing.length > 0 || noCategory) && (
              <Alert
                type="error"
                showIcon
                style={{ marginTop: 12 }}
                title={[
                  missing.length ? `请选择：${missing.map((f) => FIELD_LABELS[f].label).join('、')}` : '',
                  noCategory ? '没有类别列时请选择默认培训类别' : '',
                ]
                  .filter(Boolean)
                  .join('；')}
              />
            )}
            <Space style={{ marginTop: 16 }}>
              <Button disabled={missing.length > 0 || noCategory || busy !== null} loading={busy === 'dry'} onClick={() => void run(true)}>
                预检（不写入）
              </Button>
              <Button
                type="primary"
                disabled={missing.length > 0 || noCategory || busy !== null}
                loading={busy === 'run'}
                onClick={() => void confirmAndImport()}
              >
                开始导入
              </Button>
            </Space>
          </div>
        )}
      </Card>

      {report && (
        <Card title={report.dryRun ? '预检结果' : '导入结果'}>
          <ImportReportView report={report} writeAnyway={writeAnyway} onWriteAnywayChange={setWriteAnyway} />
        </Card>
      )}

      <Card title="导入记录">
        <Table<RunSummary>
          size="small"
          rowKey="id"
          loading={runs.isPending}
          dataSource={runs.data?.items}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: '暂无导入记录' }}
          columns={[
            { title: '时间', dataIndex: 'createdAt', width: 150, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
            { title: '文件', dataIndex: 'fileName', render: (v: string, r) => <Link to={`/hour-imports/${r.id}`}>{v}</Link> },
            { title: '来源平台', dataIndex: 'platform', width: 170, render: (v: string) => HOUR_PLATFORMS[v as keyof typeof HOUR_PLATFORMS] ?? v },
            { title: '新增', dataIndex: 'added', width: 70 },
            { title: '跳过', dataIndex: 'skipped', width: 70 },
            { title: '未导入', dataIndex: 'rejected', width: 70 },
            { title: '操作人', dataIndex: 'userName', width: 110 },
          ]}
        />
      </Card>
    </Space>
  );
}
