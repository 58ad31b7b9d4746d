import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Divider, Form, Space, Table, Typography } from 'antd';
import { api } from '../../api/client';
import type { DemoAccount, Me } from '../../api/types';
import { useAuth } from '../../auth';
import LoginForm, { loginAndLoad, type Credentials } from '../../components/LoginForm';
import { useIsMobile } from '../../hooks';
import ForgotPassword from '../accounts/ForgotPassword';

/** Only same-site paths are followed after login, so ?next= can't send the user elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const { me, loading, refresh } = useAuth();
  const [params] = useSearchParams();
  const nav = useNavigate();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<Credentials>();
  const [demo, setDemo] = useState<DemoAccount[]>([]);
  const [busyUser, setBusyUser] = useState<string | null>(null);
  const next = safeNext(params.get('next'));
  // 统一身份认证: the button is shown when the server is configured for the region's identity provider.
  const oidc = useQuery({
    queryKey: ['auth', 'oidc'],
    queryFn: () => api.get<{ enabled: boolean; label: string | null }>('/auth/oidc', undefined, { noAuthRedirect: true }),
    staleTime: Number.POSITIVE_INFINITY,
  });

  useEffect(() => {
    api.get<DemoAccount[]>('/auth/demo-accounts', undefined, { noAuthRedirect: true }).then(setDemo, () => setDemo([]));
  }, []);

  if (!loading && me) return <Navigate to={next} replace />;

  const done = (m: Me) => {
    message.success(`欢迎，${m.displayName}`);
    nav(next, { replace: true });
  };
  const quickLogin = async (a: DemoAccount) => {
    setBusyUser(a.username);
    form.setFieldsValue({ username: a.username, password: a.password });
    try {
      done(await loginAndLoad({ username: a.username, password: a.password }, refresh));
    } catch (e) {
      message.error(e instanceof Error ? e.message : '登录失败');
    } finally {
      setBusyUser(null);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(135deg, #e6f4ff 0%, #f5f7fa 60%)',
        display: 'flex',
        alignItems: mobile ? 'flex-start' : 'center',
        justifyContent: 'center',
        padding: mobile ? '32px 12px' : 24,
      }}
    >
      <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 420 }}>
        <div style={{ textAlign: 'center' }}>
          <div
            style={{
              width: 56,
              height: 56,
              borderRadius: 12,
              background: '#1677ff',
              color: '#fff',
              fontSize: 30,
              fontWeight: 700,
              display: 'inline-grid',
              placeItems: 'center',
            }}
          >
            师
          </div>
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            强师 · 教师专业发展平台
          </Typography.Title>
          <Typography.Text type="secondary">教师信息 · 培训项目 · 学时认定</Typography.Text>
        </div>
        <Card title="账号登录">
          {oidc.data?.enabled && (
            <>
              <Button type="primary" ghost block size="large" href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(next)}`} data-testid="oidc-login">
                {oidc.data.label}
              </Button>
              <Divider plain>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  或使用账号密码
                </Typography.Text>
              </Divider>
            </>
          )}
          <LoginForm form={form} onSuccess={done} />
          <ForgotPassword />
        </Card>
        {demo.length > 0 && (
          <Card title="演示账号" size="small" data-testid="demo-accounts" extra={<Typography.Text type="secondary">点击即可登录</Typography.Text>}>
            <Table<DemoAccount>
              size="small"
              rowKey="username"
              pagination={false}
              dataSource={demo}
              columns={[
                {
                  title: '角色',
                  dataIndex: 'label',
                  render: (v: string, a) => (
                    <span>
                      {v}
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
                        {a.username}
                      </Typography.Text>
                    </span>
                  ),
                },
                {
                  title: '操作',
                  key: 'op',
                  width: 150,
                  render: (_: unknown, a) => (
                    <Space size={4}>
                      <Button size="small" type="link" onClick={() => form.setFieldsValue({ username: a.username, password: a.password })}>
                        填入
                      </Button>
                      <Button
                        size="small"
                        type="primary"
                        loading={busyUser === a.username}
                        onClick={() => void quickLogin(a)}
                        data-testid={`demo-login-${a.username}`}
                      >
                        一键登录
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              演示密码：{demo[0].password}
            </Typography.Text>
          </Card>
        )}
      </Space>
    </div>
  );
}
