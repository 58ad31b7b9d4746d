import { useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Form, Input, Select, Space, Typography, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { applyFormError, useIsMobile } from '../../hooks';
import { recordsChanged } from './query';
import { EVIDENCE_ACCEPT, MAX_CHANGE_FILES, MAX_FILE_MB, type ChangeDto, type RecordEntry, type RecordSection } from './types';
import { afterChinaToday } from '../../china-time';

/** What the drawer does: add an entry, edit one, or correct a change (draft or returned) already started. */
export type EntryMode = { kind: 'add' } | { kind: 'edit'; entry: RecordEntry } | { kind: 'fix'; change: ChangeDto };

type Values = Record<string, string | Dayjs | null | undefined>;

/** Upload one evidence file to a change; the server checks the real type and size. */
async function uploadEvidence(changeId: number, file: File): Promise<void> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  await api.post(`/records/changes/${changeId}/files`, fd);
}

/**
 * 新增 / 修改 an entry of one section of the teacher's record: a form built from the section's field definitions,
 * the evidence files, and 报送 (the change goes to the school's 信息管理员). A phone gets the drawer full width.
 */
export default function EntryDrawer({ section, mode, onClose }: { section: RecordSection; mode: EntryMode; onClose: () => void }) {
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const existing = mode.kind === 'edit' ? mode.entry.files.length : mode.kind === 'fix' ? mode.change.fileCount : 0;

  useEffect(() => {
    const source = mode.kind === 'edit' ? mode.entry.fields : mode.kind === 'fix' ? mode.change.fields : {};
    const v: Values = {};
    for (const f of section.fields) {
      const raw = (source as Record<string, string | null>)[f.key] ?? null;
      v[f.key] = f.type === 'date' ? (raw ? dayjs(raw) : null) : raw;
    }
    form.setFieldsValue(v);
    if (mode.kind === 'fix') form.setFieldValue('__note', mode.change.note);
  }, [form, mode, section]);

  const save = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (section.evidenceRequired && existing + files.length === 0) {
      message.error(`请上传${section.label}的证明材料（证书、文件的照片或扫描件）`);
      return;
    }
    const fields: Record<string, string | null> = {};
    for (const f of section.fields) {
      const x = v[f.key];
      fields[f.key] = x == null || x === '' ? null : dayjs.isDayjs(x) ? x.format('YYYY-MM-DD') : String(x);
    }
    const note = typeof v.__note === 'string' ? v.__note : '';
    setBusy(true);
    let id: number;
    try {
      if (mode.kind === 'fix') id = (await api.put<ChangeDto>(`/records/changes/${mode.change.id}`, { fields, note })).id;
      else if (mode.kind === 'edit') id = (await api.post<ChangeDto>('/records/changes', { kind: 'edit', entryId: mode.entry.entryId, fields, note })).id;
      else id = (await api.post<ChangeDto>('/records/changes', { kind: 'add', section: section.key, fields, note })).id;
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
      setBusy(false);
      return;
    }
    try {
      for (const f of files) if (f.originFileObj) await uploadEvidence(id, f.originFileObj);
      await api.post(`/records/changes/${id}/transitions`, { action: 'submit' });
      message.success('已报送，等待学校信息管理员审核');
      onClose();
    } catch (e) {
      // The change is saved (a draft): say what went wrong with the files or the 报送.
      message.error(errorText(e));
    } finally {
      setBusy(false);
      void recordsChanged();
    }
  };

  const title = `${mode.kind === 'add' ? '新增' : '修改'}${section.label}`;
  return (
    <Drawer
      open
      title={title}
      onClose={onClose}
      size={mobile ? '100%' : 480}
      destroyOnHidden
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => void save()}>
            报送审核
          </Button>
        </Space>
      }
    >
      {mode.kind === 'fix' && mode.change.returnReason && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`退回原因：${mode.change.returnReason}`} />
      )}
      <Form form={form} layout="vertical" requiredMark>
        {section.fields.map((f) => (
          <Form.Item
            key={f.key}
            name={f.key}
            label={f.label}
            extra={f.hint ?? undefined}
            rules={[
              ...(f.required ? [{ required: true, message: f.type === 'text' ? `请填写${f.label}` : `请选择${f.label}` }] : []),
              ...(f.type === 'text' ? [{ max: f.max, message: `${f.label}不能超过 ${f.max} 个字符` }] : []),
            ]}
          >
            {f.type === 'date' ? (
              <DatePicker style={{ width: '100%' }} placeholder={`请选择${f.label}`} disabledDate={afterChinaToday} />
            ) : f.type === 'select' ? (
              <Select
                placeholder={`请选择${f.label}`}
                allowClear={!f.required}
                options={Object.entries(f.options ?? {}).map(([value, label]) => ({ value, label }))}
              />
            ) : (
              <Input placeholder={`请填写${f.label}`} maxLength={f.max} />
            )}
          </Form.Item>
        ))}
        <Form.Item name="__note" label="说明（可选）">
          <Input.TextArea rows={2} maxLength={500} placeholder="需要向审核人说明的情况" />
        </Form.Item>
        <Form.Item
          label="证明材料"
          required={section.evidenceRequired}
          extra={
            <Typography.Text type="secondary">
              证书或文件的照片、扫描件：PDF 或图片（PNG/JPG），每个不超过 {MAX_FILE_MB} MB，最多 {MAX_CHANGE_FILES} 个
              {existing ? `（已有 ${existing} 个，将一并报送）` : ''}
            </Typography.Text>
          }
        >
          <Upload
            accept={EVIDENCE_ACCEPT}
            multiple
            fileList={files}
            beforeUpload={(f) => {
              if (f.size > MAX_FILE_MB * 1024 * 1024) {
                message.error(`「${f.name}」超过 ${MAX_FILE_MB} MB`);
                return Upload.LIST_IGNORE;
              }
              return false; // uploaded after the change is saved
            }}
            onChange={({ fileList }) => setFiles(fileList.slice(0, Math.max(0, MAX_CHANGE_FILES - existing)))}
          >
            <Button icon={<UploadOutlined />} disabled={existing + files.length >= MAX_CHANGE_FILES}>
              选择文件
            </Button>
          </Upload>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
