import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useFormSubmit } from '../../hooks';
import { STATUS_COLORS, type OrgOption, type ReportDetail } from './ethics';

type Action = 'reject' | 'transfer' | 'note' | null;

function ActionModal({ id, action, onClose }: { id: number; action: Action; onClose: () => void }) {
  const [form] = Form.useForm<{ reason?: string; orgId?: number; comment?: string }>();
  const bureaus = useQuery({
    queryKey: ['ethics', 'bureaus'],
    queryFn: () => api.get<{ items: OrgOption[] }>('/ethics/bureaus'),
    enabled: action === 'transfer',
  });
  const { busy, submit } = useFormSubmit(form, async (v: { reason?: string; orgId?: number; comment?: string }) => {
    const path = action === 'reject' ? 'reject' : action === 'transfer' ? 'transfer' : 'notes';
    await api.post(`/ethics/reports/${id}/${path}`, v);
    await invalidate(['ethics']);
    form.resetFields();
    onClose();
  });
  const title = action === 'reject' ? '不予受理' : action === 'transfer' ? '转办' : '补充说明';
  return (
    <Modal title={title} open={action !== null} onCancel={onClose} footer={null} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {action === 'reject' && (
          <Form.Item name="reason" label="不予受理的理由（举报人凭查询码可以看到）" rules={[{ required: true, whitespace: true, message: '请写明理由' }]}>
            <Input.TextArea rows={5} maxLength={1000} showCount data-testid="ethics-reject-reason" />
          </Form.Item>
        )}
        {action === 'transfer' && (
          <>
            <Form.Item name="orgId" label="转给" rules={[{ required: true, message: '请选择教育局' }]}>
              <Select options={(bureaus.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))} />
            </Form.Item>
            <Form.Item name="comment" label="转办说明" rules={[{ required: true, whitespace: true, message: '请填写转办说明' }]}>
              <Input.TextArea rows={3} maxLength={500} />
            </Form.Item>
          </>
        )}
        {action === 'note' && (
          <Form.Item name="comment" label="补充内容" rules={[{ required: true, whitespace: true, message: '请填写补充内容' }]}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={busy} danger={action === 'reject'} data-testid="ethics-action-submit">
          确定
        </Button>
      </Form>
    </Modal>
  );
}

/** One report: the account, the reporter masked (查看 unmasks, audited), attachments, the trail, first response. */
export default function EthicsReportDetailPage() {
  const id = Number(useParams().id);
  const { message } = App.useApp();
  const [action, setAction] = useState<Action>(null);
  const [reporter, setReporter] = useState<{ name: string; phone: string; relation: string } | null>(null);
  const q = useQuery({ queryKey: ['ethics', 'reports', id], queryFn: () => api.get<ReportDetail>(`/ethics/reports/${id}`) });
  if (q.isPending) return <Spin />;
  if (q.error || !q.data) return <Alert type="error" showIcon title={q.error?.message ?? '举报不存在或无权访问'} />;
  const r = q.data;
  const unmask = async () => {
    try {
      setReporter(await api.post(`/ethics/reports/${id}/reporter`));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const who = reporter ?? r.reporter;
  return (
    <Card
      title={
        <Space>
          <Link to="/ethics/reports">举报受理</Link>
          <span>/ {r.trackingCode}</span>
        </Space>
      }
      extra={
        <Space wrap>
          {r.canRespond && (
            <Link to={`/ethics/cases?acceptReport=${r.id}`}>
              <Button type="primary" data-testid="ethics-accept">
                受理立案
              </Button>
            </Link>
          )}
          {r.canRespond && (
            <Button danger onClick={() => setAction('reject')} data-testid="ethics-reject">
              不予受理
            </Button>
          )}
          {r.canRespond && <Button onClick={() => setAction('transfer')}>转办</Button>}
          <Button onClick={() => setAction('note')}>补充说明</Button>
        </Space>
      }
    >
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
        <Descriptions.Item label="状态">
          <Space size={4}>
            <Tag color={STATUS_COLORS[r.status]} data-testid="ethics-status">
              {r.statusLabel}
            </Tag>
            {r.overdue && <Tag color="red">{r.overdue === 'respond' ? '超期未答复' : '超期未办结'}</Tag>}
            {r.escalatedToName && <Tag color="volcano">已升级至{r.escalatedToName}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="渠道">
          {r.channelLabel}
          {r.receivedByName ? `（${r.receivedByName}登记）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label="收到">{r.receivedAt?.slice(0, 16).replace('T', ' ')}</Descriptions.Item>
        <Descriptions.Item label="受理单位">{r.handlingOrgName}</Descriptions.Item>
        <Descriptions.Item label="答复期限">{r.respondBy}</Descriptions.Item>
        <Descriptions.Item label="办结期限">{r.concludeBy}</Descriptions.Item>
        <Descriptions.Item label="类别">{r.categoryLabel}</Descriptions.Item>
        <Descriptions.Item label="发生日期">{r.occurredOn ?? '未填写'}</Descriptions.Item>
        <Descriptions.Item label="被举报教师">{r.subjectName || '未填写'}</Descriptions.Item>
        <Descriptions.Item label="学校">{r.schoolName ?? '未填写'}</Descriptions.Item>
        <Descriptions.Item label="举报人" span={2}>
          {who ? (
            <Space wrap>
              <span data-testid="ethics-reporter">
                {who.name} {who.phone} {who.relation}
              </span>
              {!reporter && r.canUnmask && (
                <Button size="small" onClick={() => void unmask()} data-testid="ethics-unmask">
                  查看
                </Button>
              )}
            </Space>
          ) : (
            '匿名'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="反映内容" span={2}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.content}</Typography.Paragraph>
        </Descriptions.Item>
        {r.files.length > 0 && (
          <Descriptions.Item label="附件" span={2}>
            <Space wrap>
              {r.files.map((f) => (
                <a key={f.id} href={apiUrl(`/ethics/reports/${id}/files/${f.id}`)} target="_blank" rel="noreferrer">
                  {f.name}
                </a>
              ))}
            </Space>
          </Descriptions.Item>
        )}
        {r.answer && (
          <Descriptions.Item label="给举报人的答复" span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.answer}</Typography.Paragraph>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
        期限依据：{r.deadlinesSource}。查看本页和举报人身份均记入审计日志。
      </Typography.Paragraph>
      <Typography.Title level={5}>办理记录</Typography.Title>
      <Timeline
        items={r.events.map((e) => ({
          children: (
            <div>
              <strong>{e.actionLabel}</strong> {e.at?.slice(0, 16).replace('T', ' ')} {e.byName ?? '系统'}
              {e.fromOrgName && e.toOrgName ? `：${e.fromOrgName} → ${e.toOrgName}` : ''}
              {e.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{e.comment}</div>}
            </div>
          ),
        }))}
      />
      <ActionModal id={id} action={action} onClose={() => setAction(null)} />
    </Card>
  );
}
