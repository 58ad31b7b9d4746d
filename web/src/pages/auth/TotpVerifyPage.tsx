import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { applyFormError } from '../../hooks';
import AuthCardLayout from './AuthCardLayout';

interface CodeForm {
  code: string;
}

/**
 * The second step of signing in to an account with a TOTP authenticator: the password is proven, the
 * 6-digit code of the app (or one of the recovery codes) completes the login. Wrong codes count towards
 * the account's lockout like wrong passwords.
 */
export default function TotpVerifyPage() {
  const { me, refresh, logout } = useAuth();
  const [form] = Form.useForm<CodeForm>();
  const [recovery, setRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: CodeForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/totp/verify', { code: v.code.trim() }, { noAuthRedirect: true });
      await refresh();
    } catch (e) {
      applyFormError(form, e, setError);
      // Locked or timed out: the pending session is gone, back to the login page.
      if ((e as { status?: number }).status === 401) setTimeout(() => void refresh(), 2500);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCardLayout title="动态口令验证" testId="totp-verify">
      <Typography.Paragraph type="secondary">
        {me?.displayName}，您的账号已开启动态口令。请打开手机上的验证器应用，输入「强师」显示的 6 位数字。
      </Typography.Paragraph>
      <Form<CodeForm> form={form} layout="vertical" onFinish={submit} autoComplete="off">
        <Form.Item
          name="code"
          label={recovery ? '恢复码' : '动态口令'}
          rules={
            recovery
              ? [{ required: true, message: '请输入恢复码' }]
              : [
                  { required: true, message: '请输入 6 位动态口令' },
                  { pattern: /^\s*\d{6}\s*$/, message: '动态口令为 6 位数字' },
                ]
          }
          extra={recovery ? '每个恢复码只能使用一次，形如 ABCDE-23456' : undefined}
        >
          <Input
            prefix={<SafetyOutlined />}
            placeholder={recovery ? 'XXXXX-XXXXX' : '6 位数字'}
            inputMode={recovery ? 'text' : 'numeric'}
            autoComplete="one-time-code"
            maxLength={recovery ? 20 : 6}
            autoFocus
            data-testid="totp-code"
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="totp-error" />}
        <Button type="primary" htmlType="submit" block loading={busy}>
          验证并登录
        </Button>
        <Button
          type="link"
          block
          onClick={() => {
            setRecovery(!recovery);
            form.resetFields();
            setError(null);
          }}
          style={{ marginTop: 8 }}
        >
          {recovery ? '使用动态口令' : '手机不在身边？使用恢复码'}
        </Button>
        <Button type="link" block onClick={() => void logout()}>
          退出登录
        </Button>
      </Form>
    </AuthCardLayout>
  );
}
