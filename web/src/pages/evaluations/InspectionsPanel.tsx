import { useState } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, List, Modal, Row, Select, Space, Tag, Typography, Upload } from 'antd';
import { PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ApiError, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import type { InspectionDto } from './types';
import { afterChinaToday, chinaToday } from '../../china-time';

/** An inspection was recorded or given a file: the project's inspections and evaluation, and the scorecards. */
const inspectionsChanged = (projectId: number) => invalidate(['projects', projectId], ['evaluations']);

interface InspectionForm {
  inspectedOn: Dayjs;
  inspectors: string;
  findings: string;
  score: number;
  issues: string[];
}

function InspectionModal({ projectId, open, onClose, onSaved }: { projectId: number; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<InspectionForm>();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const { busy, submit } = useFormSubmit(form, async (v: InspectionForm) => {
    await api.post<InspectionDto>(`/projects/${projectId}/inspections`, {
      inspectedOn: v.inspectedOn.format('YYYY-MM-DD'),
      inspectors: v.inspectors.trim(),
      findings: v.findings.trim(),
      score: v.score,
      issues: (v.issues ?? []).map((i) => i.trim()).filter(Boolean),
    });
    message.success('督导记录已保存，可在列表中上传附件');
    form.resetFields();
    void inspectionsChanged(projectId);
    onSaved();
  });
  return (
    <Modal
      title="记录督导检查"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={busy}
      width={mobile ? '100%' : 620}
      destroyOnHidden
      forceRender
    >
      <Form<InspectionForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ inspectedOn: chinaToday(), issues: [] }}
        data-testid="inspection-form"
      >
        <Row gutter={12}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="inspectedOn" label="督导日期" rules={[{ required: true, message: '请选择督导日期' }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={afterChinaToday} />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="score" label="督导评分（0–100）" rules={[{ required: true, message: '请填写评分' }]}>
              <InputNumber min={0} max={100} step={1} precision={1} style={{ width: '100%' }} placeholder="0–100" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="inspectors"
          label="督导人员"
          rules={[
            { required: true, whitespace: true, message: '请填写督导人员' },
            { max: 100, message: '不超过 100 字' },
          ]}
        >
          <Input placeholder="如：市政府教育督导室 王督学、李督学" />
        </Form.Item>
        <Form.Item
          name="findings"
          label="督导情况"
          rules={[
            { required: true, whitespace: true, message: '请填写督导情况' },
            { min: 5, message: '至少 5 个字' },
            { max: 2000, message: '不超过 2000 字' },
          ]}
        >
          <Input.TextArea rows={4} placeholder="培训组织、课程实施、学员出勤、经费使用等情况" />
        </Form.Item>
        <Form.Item name="issues" label="发现的问题" extra="每条问题输入后回车">
          <Select mode="tags" open={false} placeholder="如：部分学员迟到早退" aria-label="发现的问题" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 督导检查: the inspections of a project; bureau admins record new ones and attach PDF/images. */
export default function InspectionsPanel({ projectId }: { projectId: number }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['projects', projectId, 'inspections'],
    queryFn: () => api.get<InspectionDto[]>(`/projects/${projectId}/inspections`),
  });
  const [adding, setAdding] = useState(false);
  const supervise = can('evaluations.supervise');
  const uploadFile = useMutation({
    mutationFn: (v: { inspectionId: number; file: File }) => {
      const fd = new FormData();
      fd.append('file', v.file);
      return api.post(`/inspections/${v.inspectionId}/files`, fd);
    },
    onSuccess: (_, v) => message.success(`已上传 ${v.file.name}`),
    onError: (e) => message.error(e instanceof ApiError ? e.message : errorText(e)),
    onSettled: () => inspectionsChanged(projectId),
  });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const upload = (inspectionId: number, file: File) => uploadFile.mutate({ inspectionId, file });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="inspections-panel">
      {supervise && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          记录督导
        </Button>
      )}
      {!data?.length ? (
        <EmptyState text="暂无督导记录" />
      ) : (
        data.map((i) => (
          <Card
            key={i.id}
            size="small"
            title={`${i.inspectedOn} 督导检查`}
            extra={<Tag color={i.score >= 80 ? 'green' : i.score >= 60 ? 'gold' : 'red'}>{i.score} 分</Tag>}
          >
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary">督导人员：</Typography.Text>
              {i.inspectors}
              <Typography.Text type="secondary">（{i.recordedBy ?? '—'} 录入）</Typography.Text>
            </Typography.Paragraph>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{i.findings}</Typography.Paragraph>
            {i.issues.length > 0 && (
              <List
                size="small"
                header={<b>发现的问题</b>}
                dataSource={i.issues}
                renderItem={(x, n) => (
                  <List.Item key={`${n}-${x}`}>
                    {n + 1}. {x}
                  </List.Item>
                )}
                style={{ marginBottom: 8 }}
              />
            )}
            <Space wrap>
              {i.files.map((f) => (
                <a key={f.id} href={`/api/inspections/${i.id}/files/${f.id}`} target="_blank" rel="noreferrer">
                  <PaperClipOutlined /> {f.name}
                </a>
              ))}
              {supervise && (
                <Upload accept=".pdf,.png,.jpg,.jpeg" showUploadList={false} beforeUpload={(f) => (upload(i.id, f), false)}>
                  <Button size="small" icon={<UploadOutlined />}>
                    上传附件
                  </Button>
                </Upload>
              )}
            </Space>
          </Card>
        ))
      )}
      <InspectionModal projectId={projectId} open={adding} onClose={() => setAdding(false)} onSaved={() => setAdding(false)} />
    </Space>
  );
}
