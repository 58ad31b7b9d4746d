import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { api, errorText } from '../../api/client';
import { CertificateResult, PublicCard, type Verification } from './VerifyCertificatePage';

/**
 * Public /verify page: anyone types a certificate number and the holder's full name and sees the verification
 * result (name masked). The name is required so that numbers cannot be walked; the server rate-limits it.
 */
export default function VerifyLookupPage() {
  const [form] = Form.useForm<{ certNo: string; name: string }>();
  const lookup = useMutation({
    mutationFn: (v: { certNo: string; name: string }) => api.post<Verification>('/public/certificates/lookup', v, { noAuthRedirect: true }),
  });
  const result = lookup.data;
  const error = lookup.error ? errorText(lookup.error) : null;
  return (
    <PublicCard title="强师 · 证书查询">
      <Typography.Paragraph type="secondary">输入结业证书上的证书编号和持证人姓名，查询证书真伪。扫描证书上的二维码也可直接验证。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => lookup.mutate(v)} requiredMark={false} data-testid="lookup-form">
        <Form.Item name="certNo" label="证书编号" rules={[{ required: true, whitespace: true, message: '请填写证书编号' }]}>
          <Input placeholder="例如 ZS2026000123" maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label="持证人姓名" rules={[{ required: true, whitespace: true, message: '请填写持证人姓名' }]}>
          <Input placeholder="证书上的姓名" maxLength={40} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={lookup.isPending}>
          查询
        </Button>
      </Form>
      {error && <Alert type="error" showIcon style={{ marginTop: 16 }} title={error} />}
      {result && (
        <div style={{ marginTop: 16 }} data-testid="lookup-result">
          <CertificateResult data={result} />
        </div>
      )}
    </PublicCard>
  );
}
