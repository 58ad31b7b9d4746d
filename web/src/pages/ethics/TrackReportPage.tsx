import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Alert, Button, Descriptions, Form, Input, Tag, Typography } from 'antd';
import { api, errorText } from '../../api/client';
import { PublicCard } from '../certificates/VerifyCertificatePage';
import { STATUS_COLORS, type Tracking } from './ethics';

const day = (s: string | null) => (s ? s.slice(0, 10) : '');

/** Public /report/track: the tracking code and the secret → status in plain words, dates, the answer. */
export default function TrackReportPage() {
  const track = useMutation({ mutationFn: (v: { code: string; secret: string }) => api.post<Tracking>('/public/ethics/track', v, { noAuthRedirect: true }) });
  const result = track.data;
  const error = track.error ? errorText(track.error) : null;
  return (
    <PublicCard title="强师 · 举报办理查询">
      <Form layout="vertical" onFinish={(v) => track.mutate(v)} requiredMark={false} data-testid="ethics-track-form">
        <Form.Item name="code" label="查询码" rules={[{ required: true, whitespace: true, message: '请填写查询码' }]}>
          <Input placeholder="例如 ACDE-FGHJ" maxLength={20} autoComplete="off" data-testid="ethics-track-code" />
        </Form.Item>
        <Form.Item name="secret" label="查询密码" rules={[{ required: true, whitespace: true, message: '请填写查询密码' }]}>
          <Input.Password maxLength={40} autoComplete="off" data-testid="ethics-track-secret" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={track.isPending} data-testid="ethics-track-submit">
          查询
        </Button>
      </Form>
      {error && <Alert type="error" showIcon style={{ marginTop: 16 }} title={error} />}
      {result && (
        <Descriptions column={1} bordered size="small" style={{ marginTop: 16 }} data-testid="ethics-track-result">
          <Descriptions.Item label="办理状态">
            <Tag color={STATUS_COLORS[result.status]}>{result.statusLabel}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="受理单位">{result.handlingOrgName}</Descriptions.Item>
          <Descriptions.Item label="问题类别">{result.categoryLabel}</Descriptions.Item>
          <Descriptions.Item label="收到日期">{day(result.receivedAt)}</Descriptions.Item>
          {result.status === 'received' && <Descriptions.Item label="答复是否受理">{result.respondBy} 前</Descriptions.Item>}
          {result.firstResponseAt && <Descriptions.Item label="答复日期">{day(result.firstResponseAt)}</Descriptions.Item>}
          {(result.status === 'accepted' || result.status === 'investigating') && (
            <Descriptions.Item label="办结期限">{result.concludeBy} 前</Descriptions.Item>
          )}
          {result.answer && (
            <Descriptions.Item label="答复">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="ethics-track-answer">
                {result.answer}
              </Typography.Paragraph>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        <Link to="/report">我要举报</Link>
      </div>
    </PublicCard>
  );
}
