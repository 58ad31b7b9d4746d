import { useState } from 'react';
import { Alert, App, Button, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { api, apiUrl, errorText } from '../../api/client';
import type { IndicatorImportResult, IndicatorKind, IndicatorPreview, IndicatorPreviewRow } from './types';

const ACTIONS: Record<IndicatorPreviewRow['action'], { text: string; color: string }> = {
  new: { text: '新增', color: 'green' },
  change: { text: '更新', color: 'blue' },
  unchanged: { text: '无变化（跳过）', color: 'default' },
  error: { text: '错误', color: 'red' },
};

/** Excel import: template → upload → preview with row/column errors → record all or only the valid rows. */
export default function ImportModal({ kind, open, onClose }: { kind: IndicatorKind; open: boolean; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [preview, setPreview] = useState<IndicatorPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'upload' | 'all' | 'validOnly' | null>(null);
  const [result, setResult] = useState<IndicatorImportResult | null>(null);

  const reset = () => {
    setPreview(null);
    setError(null);
    setResult(null);
  };

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const f = file as File;
    reset();
    setBusy('upload');
    try {
      const fd = new FormData();
      fd.append('file', f, f.name);
      const p = await api.post<IndicatorPreview>(`/indicators/${kind}/import/preview`, fd);
      setPreview(p);
      onSuccess?.(p);
    } catch (e) {
      setError(errorText(e));
      onError?.(e as Error);
    } finally {
      setBusy(null);
    }
  };

  const commit = async (mode: 'all' | 'validOnly') => {
    if (!preview) return;
    setBusy(mode);
    try {
      const r = await api.post<IndicatorImportResult>(`/indicators/${kind}/import/${preview.batchId}/commit`, { mode });
      setResult(r);
      message.success(`导入完成：记录 ${r.recorded} 条`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const close = () => {
    const changed = !!result && result.recorded > 0;
    reset();
    onClose(changed);
  };
  const c = preview?.counts;
  const valid = c ? c.new + c.change : 0;

  return (
    <Modal open={open} title={kind === 'funding' ? '导入经费数据' : '导入区域目标数据'} onCancel={close} footer={null} width={900} destroyOnHidden>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Alert
          type="info"
          showIcon
          title="按模板填写：单位代码、年度、指标、数值、来源/依据。上传后先预览核对，确认后才记录；与当前数值和来源相同的行自动跳过。"
        />
        <Button icon={<DownloadOutlined />} href={apiUrl(`/indicators/${kind}/template`)} download>
          下载导入模板
        </Button>
        {!result && (
          <Upload.Dragger accept=".xlsx,.csv" showUploadList={false} customRequest={customRequest} disabled={busy !== null} data-testid="indicator-upload">
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖拽 .xlsx / .csv 文件到这里</p>
          </Upload.Dragger>
        )}
        {error && <Alert type="error" showIcon title={error} />}
        {preview && !result && (
          <>
            <Typography.Text>
              {preview.fileName}：共 {preview.total} 行，新增 {c!.new}，更新 {c!.change}，无变化 {c!.unchanged}，错误 {c!.error}
            </Typography.Text>
            <Table<IndicatorPreviewRow>
              rowKey="row"
              size="small"
              dataSource={preview.rows}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 760 }}
              columns={[
                { title: '行', dataIndex: 'row', width: 50 },
                { title: '单位', render: (_, r) => r.orgName || r.orgCode },
                { title: '年度', dataIndex: 'year', width: 70 },
                { title: '指标', dataIndex: 'metricLabel' },
                {
                  title: '数值',
                  render: (_, r) => (r.value === null ? '' : r.previous !== null && r.previous !== r.value ? `${r.previous} → ${r.value}` : r.value),
                },
                { title: '结果', render: (_, r) => <Tag color={ACTIONS[r.action].color}>{ACTIONS[r.action].text}</Tag> },
                { title: '问题', render: (_, r) => r.messages.map((m) => <div key={m}>{m}</div>) },
              ]}
            />
            <Space wrap>
              <Button type="primary" onClick={() => commit('all')} loading={busy === 'all'} disabled={c!.error > 0 || valid === 0}>
                全部导入
              </Button>
              {c!.error > 0 && (
                <Button onClick={() => commit('validOnly')} loading={busy === 'validOnly'} disabled={valid === 0}>
                  仅导入无误的 {valid} 行
                </Button>
              )}
              <Button onClick={reset}>重新上传</Button>
            </Space>
          </>
        )}
        {result && (
          <Alert
            type="success"
            showIcon
            title={`已记录 ${result.recorded} 条，无变化跳过 ${result.unchanged} 条，错误未导入 ${result.skipped} 条`}
            action={<Button onClick={close}>完成</Button>}
          />
        )}
      </Space>
    </Modal>
  );
}
