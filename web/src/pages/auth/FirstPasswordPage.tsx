import { App, Button, Card, Form, Typography } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { useFormSubmit, useIsMobile } from '../../hooks';
import PasswordFields, { type PasswordForm } from './PasswordFields';

/**
 * The first sign-in with an initial password (or after a reset by the 系统管理员): the person sets their own
 * password before anything else, on a phone as well as a desktop.
 */
export default function FirstPasswordPage() {
  const { me, refresh, logout } = useAuth();
  const [form] = Form.useForm<PasswordForm>();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const { busy, submit } = useFormSubmit(form, async (v: PasswordForm) => {
    await api.post<void>('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
    message.success('密码已设置，欢迎使用强师');
    await refresh();
  });
  if (!me) return null;
  return (
    <div
      style={{
        minHeight: '100vh',
        background: '#f5f7fa',
        display: 'flex',
        justifyContent: 'center',
        alignItems: mobile ? 'flex-start' : 'center',
        padding: mobile ? '24px 12px' : 24,
      }}
    >
      <Card title="首次登录，请设置新密码" style={{ width: '100%', maxWidth: 440 }} data-testid="first-password">
        <Typography.Paragraph type="secondary">
          {me.displayName}，您正在使用管理员发放的初始密码。为保护您的账号，请先设置只有您自己知道的新密码。
        </Typography.Paragraph>
        <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="password-form">
          <PasswordFields username={me.username} currentLabel="初始密码" />
          <Button type="primary" htmlType="submit" block loading={busy}>
            设置新密码并进入
          </Button>
          <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
            退出登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
