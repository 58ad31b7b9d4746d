import { Suspense, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App, Avatar, Button, Drawer, Dropdown, Layout, Menu, Space, Tag, Typography } from 'antd';
import { BankOutlined, KeyOutlined, SwapOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';
import type { MyRole } from '../api/types';
import { useAuth } from '../auth';
import { useIsMobile } from '../hooks';
import { MENUS, selectedKey } from './menu';
import { PageLoading } from './Status';
import NotificationBell, { MenuLabel } from '../pages/notifications/NotificationBell';
import ChangePasswordModal from '../pages/auth/ChangePasswordModal';

const { Header, Sider, Content } = Layout;

function Brand({ collapsed }: { collapsed?: boolean }) {
  return (
    <div
      style={{
        height: 56,
        display: 'flex',
        alignItems: 'center',
        justifyContent: collapsed ? 'center' : 'flex-start',
        padding: collapsed ? 0 : '0 20px',
        gap: 10,
        color: '#fff',
      }}
    >
      <div style={{ width: 30, height: 30, borderRadius: 6, background: '#1677ff', display: 'grid', placeItems: 'center', fontWeight: 700, flex: 'none' }}>
        师
      </div>
      {!collapsed && <span style={{ fontSize: 17, fontWeight: 600, letterSpacing: 1, whiteSpace: 'nowrap' }}>强师 · 教师发展</span>}
    </div>
  );
}

/** The console frame: role menu on the left (a drawer on phones), org / user / 退出登录 in the header. */
/** The signed-in frame; `banner` shows above every page (App puts the to-do centre there on a role's start page). */
export default function AppLayout({ banner }: { banner?: ReactNode } = {}) {
  const { me, logout, refresh } = useAuth();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const loc = useLocation();
  const mobile = useIsMobile();
  const [collapsed, setCollapsed] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);
  if (!me) return null;

  const items = MENUS[me.role].map((m) => ({ key: m.key, icon: m.icon, label: <MenuLabel menuKey={m.key} label={m.label} /> }));
  const selected = selectedKey(me.role, loc.pathname);
  const onMenu = ({ key }: { key: string }) => {
    setDrawer(false);
    nav(key);
  };
  // 切换角色: the session acts in another of the person's roles; everything cached belonged to the old one.
  const switchTo = async (r: MyRole) => {
    try {
      await api.post('/auth/role', { roleId: r.id });
      qc.clear();
      await refresh();
      message.success(`已切换为 ${r.orgName} · ${r.roleLabel}`);
      nav('/', { replace: true });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const otherRoles = me.roles.filter((r) => r.id !== me.roleId);
  const doLogout = async () => {
    await logout();
    nav('/login', { replace: true });
  };
  const menu = <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} onClick={onMenu} data-testid="main-menu" />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Sider collapsible collapsed={collapsed} trigger={null} width={208} style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
          <Brand collapsed={collapsed} />
          {menu}
        </Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawer}
          onClose={() => setDrawer(false)}
          size={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <Brand />
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: mobile ? '0 12px' : '0 20px',
            height: 56,
            lineHeight: '56px',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Button
            type="text"
            aria-label={mobile ? '打开菜单' : collapsed ? '展开菜单' : '收起菜单'}
            icon={mobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => (mobile ? setDrawer(true) : setCollapsed(!collapsed))}
          />
          {mobile ? (
            <Typography.Text strong style={{ flex: 1, minWidth: 0, lineHeight: 'normal' }} ellipsis>
              {MENUS[me.role].find((m) => m.key === selected)?.label ?? '强师'}
            </Typography.Text>
          ) : (
            <div style={{ flex: 1, minWidth: 0, display: 'flex', alignItems: 'center', gap: 8, lineHeight: 'normal' }} data-testid="header-org">
              <BankOutlined style={{ color: '#1677ff' }} />
              <Typography.Text strong ellipsis>
                {me.orgName}
              </Typography.Text>
            </div>
          )}
          <NotificationBell />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'who',
                  disabled: true,
                  label: (
                    <span>
                      {me.orgName}
                      <br />
                      {me.displayName} · {me.roleLabel}
                    </span>
                  ),
                },
                ...(otherRoles.length
                  ? [
                      { type: 'divider' as const },
                      {
                        key: 'roles',
                        type: 'group' as const,
                        label: '切换角色',
                        children: otherRoles.map((r) => ({
                          key: `role-${r.id}`,
                          icon: <SwapOutlined />,
                          label: (
                            <span data-testid={`switch-role-${r.role}`}>
                              {r.orgName} · {r.roleLabel}
                            </span>
                          ),
                          onClick: () => void switchTo(r),
                        })),
                      },
                    ]
                  : []),
                { type: 'divider' },
                { key: 'password', icon: <KeyOutlined />, label: '修改密码', onClick: () => setPwOpen(true) },
                { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void doLogout() },
              ],
            }}
          >
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
              {!mobile && <span data-testid="header-user">{me.displayName}</span>}
              {!mobile && (
                <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                  {me.roleLabel}
                </Tag>
              )}
            </Space>
          </Dropdown>
          {!mobile && (
            <Button type="link" icon={<LogoutOutlined />} onClick={() => void doLogout()}>
              退出登录
            </Button>
          )}
        </Header>
        <Content style={{ padding: mobile ? 12 : 20, minWidth: 0 }}>
          {banner}
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
      <ChangePasswordModal username={me.username} open={pwOpen} onClose={() => setPwOpen(false)} />
    </Layout>
  );
}
