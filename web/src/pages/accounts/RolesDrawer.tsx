import { useState } from 'react';
import { Alert, App, Button, Checkbox, Descriptions, Drawer, Empty, Form, Input, Modal, Select, Space, Tag, Timeline, TreeSelect, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { useAuth } from '../../auth';
import { useOrgTree } from '../../components/orgs';
import { LoadError, PageLoading } from '../../components/Status';
import { dateTime } from '../../format';
import { applyFormError, useIsMobile } from '../../hooks';
import { fetchAccount, GRANTABLE_ROLES, invalidateAccounts, keys, placeText, ROLE_ORG_KINDS, type AccountDetail } from './api';
import AccountStatusTag from './AccountStatusTag';
import { orgOptions, ROLE_OPTIONS, roleLabel } from './roles';

function GrantForm({ account }: { account: AccountDetail }) {
  const { me } = useAuth();
  const { tree } = useOrgTree(me?.id);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ role: Role; orgId?: number }>();
  const role = Form.useWatch('role', form);
  const m = useMutation({
    mutationFn: (v: { role: Role; orgId?: number }) => api.post<{ message: string }>(`/accounts/${account.id}/roles`, v),
    onSuccess: async (r) => {
      await invalidateAccounts();
      message.success(r.message);
      form.resetFields();
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} data-testid="grant-form">
      <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
        <Select
          placeholder="选择要授予的角色"
          options={ROLE_OPTIONS.filter((o) => GRANTABLE_ROLES.includes(o.value))}
          onChange={() => form.setFieldValue('orgId', undefined)}
        />
      </Form.Item>
      <Form.Item name="orgId" label="任职单位" rules={[{ required: true, message: '请选择任职单位' }]} extra={role ? placeText(role) : '先选择角色'}>
        <TreeSelect<number>
          treeData={orgOptions(tree, role ? ROLE_ORG_KINDS[role] : [])}
          placeholder="本单位及下级单位"
          disabled={!role}
          showSearch={{ treeNodeFilterProp: 'title' }}
          treeDefaultExpandAll={tree.length > 0 && tree[0].children.length <= 30}
          popupMatchSelectWidth={false}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={m.isPending} data-testid="grant-submit">
        授予角色
      </Button>
    </Form>
  );
}

/** 结束角色: a reason; the last role in force also stops the account, which the administrator confirms. */
function EndRoleModal({ account, role, onClose }: { account: AccountDetail; role: AccountDetail['roles'][number]; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string; deactivateAccount?: boolean }>();
  const { message } = App.useApp();
  const last = account.roles.length === 1 && account.status !== 'deactivated';
  const m = useMutation({
    mutationFn: (v: { reason: string; deactivateAccount?: boolean }) =>
      api.post<{ message: string }>(`/accounts/${account.id}/roles/${role.id}/end`, { reason: v.reason.trim(), deactivateAccount: !!v.deactivateAccount }),
    onSuccess: async (r) => {
      await invalidateAccounts();
      message.success(r.message);
      onClose();
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Modal
      title={`结束角色：${role.orgName} · ${role.roleLabel}`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="结束角色"
      okButtonProps={{ danger: true }}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        {last && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title="这是该账号唯一的有效角色"
            description="结束后该账号将无法登录，系统会同时停用该账号（之后授予新角色并启用即可恢复）。"
          />
        )}
        <Form.Item
          name="reason"
          label="原因"
          rules={[
            { required: true, whitespace: true, message: '请填写原因' },
            { max: 200, message: '不超过 200 字' },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} placeholder="如：岗位调整、任期届满" />
        </Form.Item>
        {last && (
          <Form.Item
            name="deactivateAccount"
            valuePropName="checked"
            rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请确认同时停用账号'))) }]}
          >
            <Checkbox>同时停用账号</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 角色: an account's roles in force (end one), grant another, and the history of roles and of stops and restarts. */
export default function RolesDrawer({ accountId, onClose }: { accountId: number; onClose: () => void }) {
  const { can } = useAuth();
  const mobile = useIsMobile();
  const q = useQuery({ queryKey: keys.detail(accountId), queryFn: () => fetchAccount(accountId) });
  const [ending, setEnding] = useState<AccountDetail['roles'][number] | null>(null);
  const a = q.data;
  const manage = can('accounts.manage') && !!a && !a.blockedReason;
  return (
    <Drawer title={a ? `角色：${a.displayName}（${a.username}）` : '角色'} open onClose={onClose} size={mobile ? '100%' : 560}>
      {q.isPending && <PageLoading />}
      {q.isError && <LoadError error={q.error} onRetry={() => void q.refetch()} />}
      {a && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="roles-drawer">
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 's', label: '状态', children: <AccountStatusTag status={a.status} reason={a.statusReason} inline /> },
              ...(a.teacher ? [{ key: 't', label: '教师档案', children: `${a.teacher.name}（${a.teacher.orgName}，${a.teacher.statusLabel}）` }] : []),
              ...(a.nationalIdMasked ? [{ key: 'n', label: '身份证号', children: a.nationalIdMasked }] : []),
              ...(a.phoneMasked ? [{ key: 'p', label: '手机号', children: a.phoneMasked }] : []),
              { key: 'c', label: '开通时间', children: dateTime(a.createdAt) },
            ]}
          />
          {a.blockedReason && <Alert type="info" showIcon title={a.blockedReason} />}
          <div>
            <Typography.Title level={5}>当前角色</Typography.Title>
            {a.roles.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有有效角色，无法登录" />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }} data-testid="roles-in-force">
                {a.roles.map((r) => (
                  <Space key={r.id} style={{ justifyContent: 'space-between', width: '100%' }}>
                    <span>
                      <Tag color="blue">{r.roleLabel}</Tag>
                      {r.orgName}
                    </span>
                    {manage && r.role !== 'teacher' && r.role !== 'expert' && (
                      <Button size="small" danger type="link" onClick={() => setEnding(r)} data-testid={`end-role-${r.role}`}>
                        结束
                      </Button>
                    )}
                  </Space>
                ))}
              </Space>
            )}
          </div>
          {manage && (
            <div>
              <Typography.Title level={5}>授予角色</Typography.Title>
              <GrantForm account={a} />
            </div>
          )}
          <div>
            <Typography.Title level={5}>角色记录</Typography.Title>
            <Timeline
              items={a.roleHistory.map((h) => ({
                color: h.endedAt ? 'gray' : 'green',
                children: (
                  <div>
                    <Typography.Text strong>
                      {h.orgName ?? ''} · {roleLabel(h.role)}
                    </Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {dateTime(h.grantedAt)} 授予{h.grantedBy ? `（${h.grantedBy}）` : ''}
                      {h.endedAt ? `；${dateTime(h.endedAt)} 结束${h.endedBy ? `（${h.endedBy}）` : ''}${h.endReason ? `：${h.endReason}` : ''}` : ''}
                    </Typography.Text>
                  </div>
                ),
              }))}
            />
          </div>
          {a.statusHistory.length > 0 && (
            <div>
              <Typography.Title level={5}>停用与启用记录</Typography.Title>
              <Timeline
                items={a.statusHistory.map((s, i) => ({
                  key: i,
                  color: s.active ? 'green' : 'red',
                  children: `${dateTime(s.at)} ${s.text}${s.note ? `：${s.note}` : ''}${s.by ? `（${s.by}）` : ''}`,
                }))}
              />
            </div>
          )}
        </Space>
      )}
      {a && ending && <EndRoleModal account={a} role={ending} onClose={() => setEnding(null)} />}
    </Drawer>
  );
}
