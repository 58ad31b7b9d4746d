import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Col, Popconfirm, Result, Row, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { api, apiUrl, errorText } from '../../api/client';
import type { ImportError, ImportPreview, ImportResult, ImportRowPreview } from '../../api/types';

type ColumnMapping = ImportPreview['mapping'][number];
type NameConflict = ImportPreview['conflicts'][number];
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/Status';
import { useIsMobile } from '../../hooks';

const ACTIONS: Record<ImportRowPreview['action'], { text: string; color: string }> = {
  create: { text: '新增', color: 'green' },
  update: { text: '更新', color: 'blue' },
  unchanged: { text: '无变化', color: 'default' },
  conflict: { text: '姓名不一致', color: 'orange' },
  error: { text: '错误', color: 'red' },
};

const MAX_MB = 10;

/** 批量导入: template → upload → preview with row errors → commit all or only valid rows. Nothing is half-imported. */
export default function TeacherImportPage() {
  const { can } = useAuth();
  const nav = useNavigate();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [fileName, setFileName] = useState<string>('');
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [committing, setCommitting] = useState<'all' | 'validOnly' | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [rowFilter, setRowFilter] = useState<ImportRowPreview['action'] | null>(null);
  // 确认更名: the conflict rows (registered 身份证号, another name) the user confirmed; the rest are skipped.
  const [confirmed, setConfirmed] = useState<Set<number>>(new Set());

  if (!can('teachers.import')) return <Result status="403" title="无权导入" subTitle="您没有批量导入教师的权限" />;

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const f = file as File;
    setUploadError(null);
    setPreview(null);
    setResult(null);
    setFileName(f.name);
    setUploading(true);
    try {
      const fd = new FormData();
      fd.append('file', f, f.name);
      const p = await api.post<ImportPreview>('/teachers/import/preview', fd);
      setPreview(p);
      setRowFilter(null);
      setConfirmed(new Set());
      onSuccess?.(p);
    } catch (e) {
      setUploadError(errorText(e));
      onError?.(e as Error);
    } finally {
      setUploading(false);
    }
  };

  const beforeUpload: UploadProps['beforeUpload'] = (f) => {
    if (!/\.(xlsx|csv)$/i.test(f.name)) {
      setUploadError('只支持 .xlsx 或 .csv 文件，请使用导入模板');
      return Upload.LIST_IGNORE;
    }
    if (f.size > MAX_MB * 1024 * 1024) {
      setUploadError(`文件过大：不能超过 ${MAX_MB} MB`);
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const commit = async (mode: 'all' | 'validOnly') => {
    if (!preview) return;
    setCommitting(mode);
    try {
      setResult(await api.post<ImportResult>(`/teachers/import/${preview.batchId}/commit`, { mode, confirmRenames: [...confirmed] }));
      message.success('导入完成');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setCommitting(null);
    }
  };

  // 放弃: the server deletes the previewed batch (its stored rows hold personal data), then start over.
  const discard = async () => {
    if (!preview) return;
    setDiscarding(true);
    try {
      await api.del(`/teachers/import/${preview.batchId}`);
      message.success('已放弃本次导入');
      reset();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setDiscarding(false);
    }
  };

  const reset = () => {
    setPreview(null);
    setResult(null);
    setUploadError(null);
    setFileName('');
  };

  const step = result ? 2 : preview ? 1 : 0;
  const counts = preview?.counts;
  const hasErrors = !!counts && (counts.error > 0 || preview.errors.length > 0);
  const validRows = counts ? counts.create + counts.update + counts.unchanged + counts.conflict : 0;
  const toggle = (row: number, on: boolean) =>
    setConfirmed((prev) => {
      const next = new Set(prev);
      if (on) next.add(row);
      else next.delete(row);
      return next;
    });
  const rows = preview?.rows.filter((r) => !rowFilter || r.action === rowFilter) ?? [];

  return (
    <Card title="批量导入教师" extra={<Link to="/teachers">返回教师列表</Link>}>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        items={[{ title: '上传文件' }, { title: '预览核对' }, { title: '完成' }]}
        orientation={mobile ? 'vertical' : 'horizontal'}
      />

      {step === 0 && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon
            title="导入说明"
            description={
              <ol style={{ margin: 0, paddingInlineStart: 18 }}>
                <li>请先下载导入模板，按模板列填写；身份证号列请设为“文本”格式，避免被 Excel 转成科学计数法。</li>
                <li>以身份证号识别教师：已存在的教师将被更新（空白单元格保留原值），新身份证号将新增教师；姓名与已登记的不一致时需逐行确认。</li>
                <li>请直接填写内容，不要使用公式；日期请写成 2020-09-01、2020年9月1日，参加工作年月可写 2019-09 或 2019年9月。</li>
                <li>上传后先预览，确认无误再导入；有错误的文件不会被部分导入。</li>
              </ol>
            }
          />
          <Button icon={<DownloadOutlined />} href={apiUrl('/teachers/import/template')} download data-testid="template-link">
            下载模板
          </Button>
          <Upload.Dragger
            name="file"
            accept=".xlsx,.csv"
            multiple={false}
            maxCount={1}
            showUploadList={false}
            beforeUpload={beforeUpload}
            customRequest={customRequest}
            disabled={uploading}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">{uploading ? <CloudUploadOutlined /> : <InboxOutlined />}</p>
            <p className="ant-upload-text">{uploading ? `正在上传并校验 ${fileName} …` : '点击或拖拽文件到此处上传'}</p>
            <p className="ant-upload-hint">支持 .xlsx、.csv，单个文件不超过 {MAX_MB} MB</p>
          </Upload.Dragger>
          {uploadError && (
            <Alert
              type="error"
              showIcon
              title="上传失败"
              description={uploadError}
              data-testid="upload-error"
              closable={{ onClose: () => setUploadError(null) }}
            />
          )}
        </Space>
      )}

      {step === 1 && preview && counts && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="import-preview">
          <Typography.Text type="secondary">文件：{fileName}</Typography.Text>
          <Row gutter={[12, 12]}>
            {(
              [
                ['create', '新增', '#389e0d'],
                ['update', '更新', '#1677ff'],
                ['unchanged', '无变化', undefined],
                ['conflict', '姓名不一致', '#d46b08'],
                ['error', '错误', '#cf1322'],
              ] as const
            ).map(([k, t, color]) => (
              <Col xs={12} md={k === 'unchanged' ? 4 : 5} key={k}>
                <Card
                  size="small"
                  hoverable
                  onClick={() => setRowFilter(rowFilter === k ? null : k)}
                  style={{ borderColor: rowFilter === k ? '#1677ff' : undefined }}
                  data-testid={`count-${k}`}
                >
                  <Statistic title={t} value={counts[k]} suffix="行" styles={{ content: { color } }} />
                </Card>
              </Col>
            ))}
          </Row>
          {preview.previouslyCommitted && (
            <Alert
              type="warning"
              showIcon
              title="这个文件之前已经导入过"
              description={`同一文件已于 ${new Date(preview.previouslyCommitted.committedAt).toLocaleString('zh-CN', { hour12: false })} 导入；再次导入不会产生重复数据，未变化的行不会写入。`}
            />
          )}
          {!!preview.mapping?.length && (
            <Card size="small" title="列的识别（表头 → 字段）" data-testid="import-mapping">
              <Table<ColumnMapping>
                size="small"
                rowKey="letter"
                dataSource={preview.mapping}
                pagination={false}
                columns={[
                  { title: '列', dataIndex: 'letter', width: 60 },
                  { title: '文件中的表头', dataIndex: 'header' },
                  {
                    title: '识别为',
                    dataIndex: 'column',
                    render: (c: string, m) => (
                      <Space size={4}>
                        {c}
                        {m.checkOnly && <Tag>仅与身份证号核对，不导入</Tag>}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          )}
          {!!preview.ignoredColumns?.length && <Alert type="info" showIcon title={`以下列不在模板中，已忽略：${preview.ignoredColumns.join('、')}`} />}
          {preview.conflicts?.length > 0 && (
            <Card
              size="small"
              title={`姓名与已登记的不一致（${preview.conflicts.length} 行）`}
              data-testid="import-conflicts"
              extra={
                <Space>
                  <Button size="small" type="link" onClick={() => setConfirmed(new Set(preview.conflicts.map((c) => c.row)))}>
                    全部确认更名
                  </Button>
                  <Button size="small" type="link" onClick={() => setConfirmed(new Set())}>
                    全部跳过
                  </Button>
                </Space>
              }
            >
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                这些行的身份证号已登记，但姓名不同。勾选“确认更名”的行将按表中内容更新（含姓名）；未勾选的行将被跳过，不做任何修改。
              </Typography.Paragraph>
              <Table<NameConflict>
                size="small"
                rowKey="row"
                dataSource={preview.conflicts}
                pagination={preview.conflicts.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                scroll={{ x: 640 }}
                columns={[
                  { title: '行号', dataIndex: 'row', width: 90, render: (r: number) => `第 ${r} 行` },
                  { title: '已登记姓名', dataIndex: 'registeredName', width: 120 },
                  { title: '表中姓名', dataIndex: 'name', width: 120 },
                  { title: '身份证号', dataIndex: 'nationalIdMasked', width: 180, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
                  {
                    title: '处理',
                    key: 'confirm',
                    width: 140,
                    render: (_: unknown, c) => (
                      <Checkbox checked={confirmed.has(c.row)} onChange={(e) => toggle(c.row, e.target.checked)} data-testid={`confirm-rename-${c.row}`}>
                        确认更名
                      </Checkbox>
                    ),
                  },
                ]}
              />
            </Card>
          )}
          {hasErrors ? (
            <Alert
              type="error"
              showIcon
              title={`有 ${counts.error} 行存在错误`}
              description="请修改文件后重新上传；也可以只导入无误的行，有错误的行将被跳过。"
            />
          ) : (
            <Alert type="success" showIcon title="校验通过，可以导入" />
          )}
          <Space wrap>
            <Button
              type="primary"
              disabled={hasErrors || validRows === 0}
              loading={committing === 'all'}
              onClick={() => void commit('all')}
              data-testid="commit-all"
            >
              确认导入
            </Button>
            {hasErrors && (
              <Button disabled={validRows === 0} loading={committing === 'validOnly'} onClick={() => void commit('validOnly')} data-testid="commit-valid">
                仅导入无误的行
              </Button>
            )}
            <Button onClick={reset}>重新上传</Button>
            <Popconfirm title="放弃本次导入？" description="预览数据将被删除，不会导入任何教师。" okText="放弃" cancelText="取消" onConfirm={() => discard()}>
              <Button danger loading={discarding} disabled={committing !== null} data-testid="discard-import">
                放弃
              </Button>
            </Popconfirm>
          </Space>
          {preview.errors.length > 0 && (
            <Card
              size="small"
              title="错误明细"
              data-testid="import-errors"
              extra={
                <Button size="small" type="link" icon={<DownloadOutlined />} href={apiUrl(`/teachers/import/${preview.batchId}/errors`)} download>
                  下载错误清单
                </Button>
              }
            >
              <Table<ImportError>
                size="small"
                rowKey={(e) => `${e.row}-${e.column ?? e.field ?? ''}-${e.message}`}
                dataSource={preview.errors}
                pagination={preview.errors.length > 10 ? { pageSize: 10, showTotal: (t) => `共 ${t} 条错误` } : false}
                scroll={{ x: 560 }}
                columns={[
                  { title: '行号', dataIndex: 'row', width: 90, render: (r: number) => `第 ${r} 行` },
                  { title: '列', key: 'column', width: 140, render: (_: unknown, e) => e.column ?? e.field ?? '—' },
                  { title: '单元格', dataIndex: 'cell', width: 80, render: (c?: string) => c ?? '' },
                  { title: '错误', dataIndex: 'message', render: (m: string) => <Typography.Text type="danger">{m}</Typography.Text> },
                ]}
              />
            </Card>
          )}
          <Card
            size="small"
            title={`${rowFilter ? `逐行预览（${ACTIONS[rowFilter].text}）` : '逐行预览'}${preview.total && preview.total > preview.rows.length ? `：共 ${preview.total} 行，显示前 ${preview.rows.length} 行` : ''}`}
            extra={
              rowFilter && (
                <Button size="small" type="link" onClick={() => setRowFilter(null)}>
                  显示全部
                </Button>
              )
            }
          >
            <Table<ImportRowPreview>
              size="small"
              rowKey="row"
              dataSource={rows}
              pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (t) => `共 ${t} 行` }}
              scroll={{ x: 960 }}
              locale={{ emptyText: <EmptyState text="没有数据行" /> }}
              columns={[
                { title: '行号', dataIndex: 'row', width: 80, render: (r: number) => `第 ${r} 行` },
                { title: '姓名', dataIndex: 'name', width: 110, render: (v: string | null) => v ?? '—' },
                {
                  title: '身份证号',
                  dataIndex: 'nationalIdMasked',
                  width: 180,
                  render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
                },
                { title: '学校', dataIndex: 'orgName', width: 180, ellipsis: true, render: (v: string | null) => v ?? '—' },
                {
                  title: '处理',
                  dataIndex: 'action',
                  width: 80,
                  render: (a: ImportRowPreview['action']) => <Tag color={ACTIONS[a]?.color}>{ACTIONS[a]?.text ?? a}</Tag>,
                },
                {
                  title: '说明',
                  dataIndex: 'messages',
                  render: (m: string[], r) =>
                    m?.length ? <Typography.Text type={r.action === 'error' ? 'danger' : 'secondary'}>{m.join('；')}</Typography.Text> : '',
                },
              ]}
            />
          </Card>
        </Space>
      )}

      {step === 2 && result && (
        <Result
          status="success"
          title="导入完成"
          subTitle={`新增 ${result.created} 人，更新 ${result.updated} 人，无变化 ${result.unchanged} 人，跳过 ${result.skipped} 行`}
          extra={[
            <Button type="primary" key="list" onClick={() => nav('/teachers')}>
              查看教师列表
            </Button>,
            <Button key="again" onClick={reset}>
              继续导入
            </Button>,
          ]}
          data-testid="import-result"
        />
      )}
    </Card>
  );
}
