import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Wire } from '../../api/wire';
import PageCard from '../../components/PageCard';
import { EmptyState, LoadError } from '../../components/Status';
import { dateTime } from '../../format';
import { applyFormError } from '../../hooks';
import type { MyCaseDto as ServerMyCaseDto } from '../../../../server/src/modules/ethics-cases/cases.own.service';

type MyCaseDto = Wire<ServerMyCaseDto>;
const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

/**
 * 师德处理告知 (the teacher, phone-friendly): own cases once told — each decision and its reasons, the appeal
 * deadline, and the 申诉 form (text and files) while it is open. The 诚信档案 is /my/integrity.
 */
export default function MyEthicsPage() {
  const q = useQuery({ queryKey: ['my', 'ethics', 'cases'], queryFn: () => api.get<{ items: MyCaseDto[] }>('/my/ethics/cases') });
  return (
    <PageCard title="师德处理告知" testId="my-ethics">
      <Typography.Paragraph type="secondary">
        这里列出教育局已告知您的师德案件处理决定。对处理决定有异议的，可在申诉期限内提出申诉。全部处理记录见 <Link to="/my/integrity">我的诚信档案</Link>。
      </Typography.Paragraph>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data && !q.data.items.length ? (
        <EmptyState text="没有告知您的处理决定" />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {(q.data?.items ?? []).map((c) => (
            <MyCase key={c.id} c={c} />
          ))}
        </Space>
      )}
    </PageCard>
  );
}

function MyCase({ c }: { c: MyCaseDto }) {
  const [appealing, setAppealing] = useState(false);
  return (
    <Card size="small" title={`${c.handlingOrgName} · 告知于 ${dateTime(c.notifiedAt)}`} extra={<Tag>{c.stageLabel}</Tag>} data-testid={`my-case-${c.id}`}>
      {c.decisions.map((d, i) => (
        <Descriptions key={d.eventId} column={1} size="small" bordered style={{ marginBottom: 12 }} title={i === 0 ? '处理决定' : '复核决定'}>
          {d.resultLabel && <Descriptions.Item label="复核结果">{d.resultLabel}</Descriptions.Item>}
          <Descriptions.Item label="处理结果">
            <span data-testid="my-case-outcome">{d.outcomeLabel}</span>
          </Descriptions.Item>
          {d.validFrom && (
            <Descriptions.Item label="期限">
              {d.validFrom} 起{d.validUntil ? `至 ${d.validUntil}` : '（无截止日期）'}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="决定日期">{d.decidedOn}</Descriptions.Item>
          {d.decisionNo && <Descriptions.Item label="文号">{d.decisionNo}</Descriptions.Item>}
          <Descriptions.Item label="理由">{d.reason}</Descriptions.Item>
        </Descriptions>
      ))}
      {c.appeal && (
        <Alert
          type="info"
          showIcon
          message={`您已于 ${dateTime(c.appeal.at)} 提出申诉`}
          description={
            <div>
              <div style={{ whiteSpace: 'pre-wrap' }}>{c.appeal.text}</div>
              {c.appeal.files.map((f) => (
                <div key={f.id}>附件：{f.name}</div>
              ))}
            </div>
          }
        />
      )}
      {c.canAppeal && !appealing && (
        <Space orientation="vertical">
          <Typography.Text>如有异议，可在 {c.appealBy}（含）前提出申诉。</Typography.Text>
          <Button type="primary" onClick={() => setAppealing(true)} data-testid="appeal-open">
            提出申诉
          </Button>
        </Space>
      )}
      {!c.canAppeal && !c.appeal && c.appealBy && c.stage === 'notified' && <Typography.Text type="secondary">申诉期限（{c.appealBy}）已过。</Typography.Text>}
      {appealing && <AppealForm c={c} onDone={() => setAppealing(false)} />}
    </Card>
  );
}

function AppealForm({ c, onDone }: { c: MyCaseDto; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const [files, setFiles] = useState<{ id: number; name: string }[]>([]);
  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<{ id: number; name: string }>(`/my/ethics/cases/${c.id}/files`, fd);
    },
    onSuccess: (f) => setFiles((x) => [...x, { id: f.id, name: f.name }]),
    onError: (e) => message.error(errorText(e)),
  });
  const appeal = useMutation({
    mutationFn: (v: { text: string }) => api.post(`/my/ethics/cases/${c.id}/appeal`, { text: v.text, fileIds: files.map((f) => f.id) }),
    onSuccess: () => {
      message.success('申诉已提交，请等待复核决定');
      void invalidate(['my']);
      onDone();
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => appeal.mutate(v)} style={{ marginTop: 12 }}>
      <Form.Item name="text" label="申诉理由" rules={[{ required: true, whitespace: true, message: '请填写申诉理由' }]}>
        <Input.TextArea rows={5} maxLength={4000} showCount data-testid="appeal-text" />
      </Form.Item>
      <Space wrap style={{ marginBottom: 12 }}>
        <Upload accept={ACCEPT} showUploadList={false} beforeUpload={(f) => (upload.mutate(f as File), false)} disabled={files.length >= 5}>
          <Button icon={<UploadOutlined />} loading={upload.isPending}>
            上传证明材料（PDF/图片，最多 5 个）
          </Button>
        </Upload>
        {files.map((f) => (
          <Tag key={f.id}>{f.name}</Tag>
        ))}
      </Space>
      <Space>
        <Button type="primary" htmlType="submit" loading={appeal.isPending} data-testid="appeal-submit">
          提交申诉
        </Button>
        <Button onClick={onDone}>取消</Button>
      </Space>
    </Form>
  );
}
