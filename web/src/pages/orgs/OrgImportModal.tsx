import { useState } from 'react';
import { Alert, App, Button, Modal, Space, Table, Tag, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidateOrgs } from '../../components/orgs';
import type { OrgPreview } from './api';

const ACTIONS: Record<string, { text: string; color: string }> = {
  create: { text: '新建', color: 'green' },
  update: { text: '更新', color: 'blue' },
  unchanged: { text: '无变化', color: 'default' },
  error: { text: '错误', color: 'red' },
};

/** 导入组织机构: template → upload → preview with row errors → commit all, or only the valid rows. */
export default function OrgImportModal({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const [preview, setPreview] = useState<OrgPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return api.post<OrgPreview>('/orgs/import/preview', fd);
    },
    onSuccess: (p) => (setPreview(p), setError(null)),
    onError: (e) => setError(errorText(e)),
  });
  const commit = useMutation({
    mutationFn: (mode: 'all' | 'validOnly') =>
      api.post<{ created: number; updated: number; unchanged: number; skipped: number }>(`/orgs/import/${preview?.batchId}/commit`, { mode }),
    onSuccess: async (r) => {
      await invalidateOrgs();
      message.success(`导入完成：新建 ${r.created} 个，更新 ${r.updated} 个，无变化 ${r.unchanged} 个，跳过 ${r.skipped} 个`);
      onClose();
    },
    onError: (e) => setError(errorText(e)),
  });
  const c = preview?.counts;
  return (
    <Modal title="导入组织机构" open onCancel={onClose} footer={null} width={860} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Button icon={<DownloadOutlined />} href={apiUrl('/orgs/import/template')} download>
          下载导入模板
        </Button>
        <Upload.Dragger
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(f) => (upload.mutate(f), false)}
          disabled={upload.isPending}
          data-testid="org-import-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{upload.isPending ? '正在上传并校验…' : '点击或拖拽 .xlsx / .csv 文件到此处'}</p>
        </Upload.Dragger>
        {error && <Alert type="error" showIcon message={error} data-testid="org-import-error" />}
        {preview && c && (
          <>
            <Alert
              type={c.error ? 'warning' : 'success'}
              showIcon
              message={`共 ${preview.total} 行：新建 ${c.create}，更新 ${c.update}，无变化 ${c.unchanged}，错误 ${c.error}`}
            />
            <Table
              size="small"
              rowKey="row"
              dataSource={preview.rows}
              pagination={{ pageSize: 8 }}
              columns={[
                { title: '行', dataIndex: 'row', width: 60 },
                { title: '单位代码', dataIndex: 'code', width: 120 },
                { title: '单位名称', dataIndex: 'name' },
                { title: '处理', dataIndex: 'action', width: 80, render: (a: string) => <Tag color={ACTIONS[a].color}>{ACTIONS[a].text}</Tag> },
                { title: '说明', dataIndex: 'messages', render: (m: string[]) => m.join('；') },
              ]}
            />
            <Space>
              <Button type="primary" disabled={!!c.error || !(c.create + c.update)} loading={commit.isPending} onClick={() => commit.mutate('all')}>
                全部导入
              </Button>
              {!!c.error && (
                <Button disabled={!(c.create + c.update)} loading={commit.isPending} onClick={() => commit.mutate('validOnly')}>
                  仅导入无误的行
                </Button>
              )}
            </Space>
          </>
        )}
      </Space>
    </Modal>
  );
}
