import { useState } from 'react';
import { Alert, Button, Form, Input, Result, Space, Spin, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import type { Returned } from '../../api/wire';
import type { setupTotp } from '../../../../server/src/modules/auth/totp.service';
import { useAuth } from '../../auth';
import { applyFormError } from '../../hooks';
import AuthCardLayout from './AuthCardLayout';

type Setup = Returned<typeof setupTotp>;

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (s: string) => s.replace(/(.{4})/g, '$1 ').trim();

function downloadText(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * 绑定动态口令: an admin account must bind a TOTP authenticator (等保2.0 三级: two factors for administrators)
 * before it may do anything else. Scan the QR code (or type the key), enter the first code; then the 10
 * recovery codes are shown this once, to be kept somewhere safe.
 */
export default function TotpEnrolPage() {
  const { me, refresh, logout } = useAuth();
  const [form] = Form.useForm<{ code: string }>();
  const [error, setError] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  // A new secret each time the page opens (an unfinished enrolment is simply replaced).
  const setup = useQuery({
    queryKey: ['auth', 'totp', 'setup'],
    queryFn: () => api.post<Setup>('/auth/totp/setup'),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const enable = useMutation({
    mutationFn: (code: string) => api.post<{ recoveryCodes: string[] }>('/auth/totp/enable', { code }),
    onSuccess: (r) => setCodes(r.recoveryCodes),
    onError: (e) => applyFormError(form, e, setError),
  });

  if (codes)
    return (
      <AuthCardLayout title="动态口令已绑定" testId="totp-recovery">
        <Result status="success" title="绑定成功" subTitle="以后每次登录，输入密码后还需输入验证器中的 6 位动态口令。" style={{ padding: '8px 0' }} />
        <Alert
          type="warning"
          showIcon
          title="请妥善保存以下 10 个恢复码"
          description="手机丢失或无法使用验证器时，可用一个恢复码代替动态口令登录，每个只能用一次。恢复码只显示这一次。"
          style={{ marginBottom: 12 }}
        />
        <div
          data-testid="recovery-codes"
          style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', gap: 8, fontFamily: 'monospace', fontSize: 16, marginBottom: 16 }}
        >
          {codes.map((c) => (
            <span key={c}>{c}</span>
          ))}
        </div>
        <Space wrap style={{ marginBottom: 16 }}>
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              downloadText(`强师恢复码-${me?.username ?? ''}.txt`, `强师 ${me?.username ?? ''} 的恢复码（每个只能用一次）\n\n${codes.join('\n')}\n`)
            }
          >
            下载
          </Button>
          <Button icon={<CopyOutlined />} onClick={() => void navigator.clipboard?.writeText(codes.join('\n'))}>
            复制
          </Button>
        </Space>
        <Button type="primary" block onClick={() => void refresh()} data-testid="totp-done">
          我已保存，进入系统
        </Button>
      </AuthCardLayout>
    );

  return (
    <AuthCardLayout title="绑定动态口令" testId="totp-enrol">
      <Typography.Paragraph type="secondary">
        {me?.displayName}，管理员账号须使用动态口令登录。请在手机上安装验证器应用（如 Microsoft Authenticator、Google Authenticator 或其他支持 TOTP
        的应用），然后：
      </Typography.Paragraph>
      {setup.isPending ? (
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      ) : setup.isError ? (
        <Alert type="error" showIcon title={errorText(setup.error)} action={<Button onClick={() => void setup.refetch()}>重试</Button>} />
      ) : (
        <>
          <Typography.Paragraph>
            1. 用验证器扫描二维码：
            <br />
            <img
              src={setup.data.qrDataUrl}
              alt="动态口令绑定二维码"
              width={200}
              height={200}
              style={{ display: 'block', margin: '8px auto' }}
              data-testid="totp-qr"
            />
            无法扫描时，在应用中选择「手动输入密钥」，账号填 {me?.username}，密钥：
            <Typography.Text code copyable={{ text: setup.data.secret }} data-testid="totp-secret">
              {grouped(setup.data.secret)}
            </Typography.Text>
          </Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={(v) => enable.mutate(v.code.trim())} autoComplete="off">
            <Form.Item
              name="code"
              label="2. 输入应用中显示的 6 位数字"
              rules={[
                { required: true, message: '请输入 6 位动态口令' },
                { pattern: /^\s*\d{6}\s*$/, message: '动态口令为 6 位数字' },
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder="6 位数字" data-testid="totp-code" />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
            <Button type="primary" htmlType="submit" block loading={enable.isPending}>
              完成绑定
            </Button>
          </Form>
        </>
      )}
      <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
        退出登录
      </Button>
    </AuthCardLayout>
  );
}
