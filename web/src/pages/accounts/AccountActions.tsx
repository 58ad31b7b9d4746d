import { useState } from 'react';
import { App, Button, Dropdown, Form, Input, Modal, Space, Tooltip, Typography } from 'antd';
import { KeyOutlined, MoreOutlined, StopOutlined, CheckCircleOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { applyFormError, useIsMobile } from '../../hooks';
import { invalidateAccounts, type AccountStatus, type ResetResult } from './api';
import PasswordResultModal, { type PasswordResult } from './PasswordResultModal';
import RolesDrawer from './RolesDrawer';

/** What the row actions need to know about an account. */
export interface ActionAccount {
  id: number;
  username: string;
  displayName: string;
  status: AccountStatus;
  /** Why the caller may not change it (their own account, roles outside their subtree …). */
  blockedReason: string | null;
}

/** 停用 (reason required) or 启用 (reason optional). */
function StatusModal({ account, mode, onClose }: { account: ActionAccount; mode: 'deactivate' | 'activate'; onClose: () => void }) {
  const [form] = Form.useForm<{ reason?: string }>();
  const { message } = App.useApp();
  const m = useMutation({
    mutationFn: (v: { reason?: string }) =>
      api.post<{ sessionsEnded?: number; teacherRoleRestored?: boolean }>(
        `/accounts/${account.id}/${mode}`,
        v.reason?.trim() ? { reason: v.reason.trim() } : {},
      ),
    onSuccess: async (r) => {
      await invalidateAccounts();
      message.success(
        mode === 'deactivate'
          ? `已停用 ${account.displayName} 的账号${r.sessionsEnded ? `，已结束其 ${r.sessionsEnded} 个登录会话` : ''}`
          : `已启用 ${account.displayName} 的账号${r.teacherRoleRestored ? '，并恢复其教师角色' : ''}`,
      );
      onClose();
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  const stop = mode === 'deactivate';
  return (
    <Modal
      title={`${stop ? '停用' : '启用'}账号：${account.displayName}（${account.username}）`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={stop ? '停用' : '启用'}
      okButtonProps={{ danger: stop }}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {stop ? '停用后该账号立即无法登录，已登录的会话随即结束；账号和历史记录保留，可随时启用。' : '启用后该账号可以重新登录。'}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item
          name="reason"
          label={stop ? '停用原因' : '启用说明（选填）'}
          rules={
            stop
              ? [
                  { required: true, whitespace: true, message: '请填写停用原因' },
                  { max: 200, message: '不超过 200 字' },
                ]
              : [{ max: 200, message: '不超过 200 字' }]
          }
        >
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={stop ? '如：长期病假、借调外单位' : ''} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The row actions on an account: 重置密码, 停用 / 启用, 角色. Disabled with the reason when the caller may
 * not change it; read-only callers (安全管理员) see only 角色 (the roles, without changing them).
 */
export default function AccountActions({ account, compact }: { account: ActionAccount; compact?: boolean }) {
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const mobile = useIsMobile();
  const manage = can('accounts.manage');
  const [statusMode, setStatusMode] = useState<'deactivate' | 'activate' | null>(null);
  const [roles, setRoles] = useState(false);
  const [reset, setReset] = useState<PasswordResult | null>(null);
  const resetMutation = useMutation({
    mutationFn: () => api.post<ResetResult>(`/accounts/${account.id}/password-reset`, {}),
    onSuccess: async (r) => {
      await invalidateAccounts();
      setReset({
        title: `已重置 ${r.name} 的密码${r.sessionsEnded ? `（已结束 ${r.sessionsEnded} 个登录会话）` : ''}`,
        lines: [{ key: r.userId, name: r.name, orgName: '', username: r.username, password: r.initialPassword }],
        slipId: r.slipId,
        expiresAt: r.expiresAt,
        error: r.accountActive ? null : '该账号处于停用状态，启用后才能用新密码登录',
      });
    },
    onError: (e) => message.error(e instanceof Error ? e.message : '重置失败'),
  });
  const confirmReset = () =>
    modal.confirm({
      title: `重置 ${account.displayName}（${account.username}）的密码？`,
      content: '将生成新的初始密码（只显示一次），该账号的所有登录会话立即结束，对方下次登录须修改密码。',
      okText: '重置密码',
      onOk: () => resetMutation.mutateAsync().then(() => undefined),
    });

  const blocked = account.blockedReason;
  const stopped = account.status === 'deactivated';
  const items = [
    { key: 'reset', icon: <KeyOutlined />, label: '重置密码', disabled: !manage || !!blocked, onClick: confirmReset },
    stopped
      ? { key: 'activate', icon: <CheckCircleOutlined />, label: '启用', disabled: !manage || !!blocked, onClick: () => setStatusMode('activate') }
      : { key: 'deactivate', icon: <StopOutlined />, label: '停用', danger: true, disabled: !manage || !!blocked, onClick: () => setStatusMode('deactivate') },
    { key: 'roles', icon: <TeamOutlined />, label: '角色', onClick: () => setRoles(true) },
  ];
  const dialogs = (
    <>
      {statusMode && <StatusModal account={account} mode={statusMode} onClose={() => setStatusMode(null)} />}
      {roles && <RolesDrawer accountId={account.id} onClose={() => setRoles(false)} />}
      {reset && <PasswordResultModal result={reset} onClose={() => setReset(null)} />}
    </>
  );
  if (compact || mobile)
    return (
      <>
        <Dropdown trigger={['click']} menu={{ items }}>
          <Button size="small" icon={<MoreOutlined />} aria-label={`${account.displayName} 的操作`} data-testid={`account-actions-${account.username}`}>
            操作
          </Button>
        </Dropdown>
        {dialogs}
      </>
    );
  return (
    <>
      <Space size={0} wrap data-testid={`account-actions-${account.username}`}>
        {items.map((i) => {
          const button = (
            <Button
              key={i.key}
              type="link"
              size="small"
              icon={i.icon}
              danger={'danger' in i && i.danger}
              disabled={i.disabled}
              onClick={i.onClick}
              loading={i.key === 'reset' && resetMutation.isPending}
            >
              {i.label}
            </Button>
          );
          return i.disabled && blocked ? (
            <Tooltip key={i.key} title={blocked}>
              {button}
            </Tooltip>
          ) : (
            button
          );
        })}
      </Space>
      {dialogs}
    </>
  );
}
