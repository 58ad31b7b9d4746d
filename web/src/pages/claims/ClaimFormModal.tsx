import { useEffect, useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Typography, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { applyFormError } from '../../hooks';
import { CATEGORIES, options } from '../../vocab';
import { claimsChanged } from './query';
import { MAX_CLAIM_FILES, MAX_FILE_MB, type ClaimDetail, type ClaimDto, type ClaimInput } from './types';
import { afterChinaToday } from '../../china-time';

interface FormValues {
  title: string;
  category: string;
  hours: number;
  occurredOn: Dayjs;
  description?: string;
}

const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

/** Upload one evidence file to a claim; the server checks the real type and size. */
export async function uploadEvidence(claimId: number, file: File): Promise<void> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  await api.post(`/claims/${claimId}/files`, fd);
}

/**
 * 新建 / 修改学时申报: the form and its evidence in one dialog. Saving creates or updates the claim, then
 * uploads the newly chosen files one by one; 保存并提交 also submits it for review.
 */
export default function ClaimFormModal({
  open,
  claim,
  onClose,
  onSaved,
}: {
  open: boolean;
  claim?: ClaimDetail;
  onClose: () => void;
  onSaved: (id: number) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const existing = claim?.files.length ?? 0;

  useEffect(() => {
    if (!open) return;
    setFiles([]);
    form.resetFields();
    if (claim)
      form.setFieldsValue({
        title: claim.title,
        category: claim.category,
        hours: claim.hours,
        occurredOn: dayjs(claim.occurredOn),
        description: claim.description,
      });
  }, [open, claim, form]);

  const save = async (submit: boolean) => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (submit && existing + files.length === 0) {
      message.error('请至少上传 1 个证明材料后再提交');
      return;
    }
    setBusy(submit ? 'submit' : 'draft');
    const body: ClaimInput = {
      title: v.title,
      category: v.category as ClaimInput['category'],
      hours: v.hours,
      occurredOn: v.occurredOn.format('YYYY-MM-DD'),
      description: v.description ?? '',
    };
    let id = claim?.id;
    try {
      id = claim ? (await api.put<ClaimDto>(`/claims/${claim.id}`, body)).id : (await api.post<ClaimDto>('/claims', body)).id;
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
      setBusy(null);
      return;
    }
    try {
      for (const f of files) if (f.originFileObj) await uploadEvidence(id, f.originFileObj);
      if (submit) await api.post(`/claims/${id}/transitions`, { action: 'submit' });
      message.success(submit ? '已提交，等待学校审核' : '已保存草稿');
      onSaved(id);
    } catch (e) {
      // The claim itself is saved; show what went wrong with the files or the submission.
      message.error(errorText(e));
      onSaved(id);
    } finally {
      setBusy(null);
      void claimsChanged();
    }
  };

  return (
    <Modal
      open={open}
      title={claim ? '修改学时申报' : '新建学时申报'}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button loading={busy === 'draft'} disabled={busy !== null} onClick={() => void save(false)}>
            保存草稿
          </Button>
          <Button type="primary" loading={busy === 'submit'} disabled={busy !== null} onClick={() => void save(true)}>
            保存并提交
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="title" label="培训名称" rules={[{ required: true, message: '请填写培训名称' }, { min: 2, message: '至少 2 个字' }, { max: 100 }]}>
          <Input placeholder="如：国家智慧教育平台暑期研修" maxLength={100} />
        </Form.Item>
        <Space wrap size={16} style={{ width: '100%' }}>
          <Form.Item name="category" label="培训类别" rules={[{ required: true, message: '请选择培训类别' }]} style={{ minWidth: 200 }}>
            <Select placeholder="请选择培训类别" options={options(CATEGORIES)} />
          </Form.Item>
          <Form.Item name="hours" label="学时" rules={[{ required: true, message: '请填写学时' }]}>
            <InputNumber placeholder="学时" min={0.1} max={200} step={0.5} precision={1} suffix="学时" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="occurredOn" label="培训日期" rules={[{ required: true, message: '请选择培训日期' }]}>
            <DatePicker placeholder="培训日期" disabledDate={afterChinaToday} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label="说明">
          <Input.TextArea placeholder="培训内容、主办单位、完成情况等" rows={3} maxLength={1000} showCount />
        </Form.Item>
        <Form.Item
          label="证明材料"
          extra={
            <Typography.Text type="secondary">
              PDF 或图片（PNG/JPG），每个不超过 {MAX_FILE_MB} MB，每条申报最多 {MAX_CLAIM_FILES} 个{existing ? `（已上传 ${existing} 个）` : ''}
            </Typography.Text>
          }
        >
          <Upload
            accept={ACCEPT}
            multiple
            fileList={files}
            beforeUpload={(f) => {
              if (f.size > MAX_FILE_MB * 1024 * 1024) {
                message.error(`「${f.name}」超过 ${MAX_FILE_MB} MB`);
                return Upload.LIST_IGNORE;
              }
              return false; // uploaded after the claim is saved
            }}
            onChange={({ fileList }) => setFiles(fileList.slice(0, Math.max(0, MAX_CLAIM_FILES - existing)))}
          >
            <Button icon={<UploadOutlined />} disabled={existing + files.length >= MAX_CLAIM_FILES}>
              选择文件
            </Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
