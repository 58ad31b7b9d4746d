import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { useAuth } from '../auth';
import { applyFormError } from '../hooks';

export interface Credentials {
  username: string;
  password: string;
}

/** POST /auth/login, then load /auth/me. Shared by the login page and the phone check-in page. */
export async function loginAndLoad(c: Credentials, refresh: () => Promise<Me | null>): Promise<Me> {
  await api.post('/auth/login', c, { noAuthRedirect: true });
  const me = await refresh();
  if (!me) throw new Error('登录状态未能保存，请检查浏览器是否允许 Cookie');
  return me;
}

/** The username/password form; `form` is passed in so a demo-account card can fill it. */
export default function LoginForm({
  onSuccess,
  form: external,
  size = 'large',
}: {
  onSuccess: (me: Me) => void;
  form?: ReturnType<typeof Form.useForm<Credentials>>[0];
  size?: 'large' | 'middle';
}) {
  const [own] = Form.useForm<Credentials>();
  const form = external ?? own;
  const { refresh } = useAuth();
  const [busy, setBusy] = useState(false);
  // Shown inline (not as a toast) so the reason stays visible while the user retypes.
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      onSuccess(await loginAndLoad(v, refresh));
    } catch (e) {
      applyFormError(form, e, setError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} onFinish={submit} size={size} autoComplete="on" data-testid="login-form">
      <Form.Item name="username" rules={[{ required: true, message: '请输入用户名、身份证号或手机号' }]}>
        <Input prefix={<UserOutlined />} placeholder="用户名 / 身份证号 / 手机号" autoComplete="username" autoCapitalize="off" />
      </Form.Item>
      <Form.Item name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} placeholder="密码" autoComplete="current-password" />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form.Item>
    </Form>
  );
}
