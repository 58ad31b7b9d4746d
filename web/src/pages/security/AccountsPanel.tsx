import { useState } from 'react';
import { App, Button, Input, Modal, Form, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { queryClient } from '../../api/query';
import { LoadError } from '../../components/Status';
import { applyFormError } from '../../hooks';
import { chinaTime, type AccountSecurity } from './types';

/** 账号安全: accounts of the subtree by name, or the locked ones; 解锁 and 重置动态口令. */
export default function AccountsPanel() {
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [lockedOnly, setLockedOnly] = useState(true);
  const [resetting, setResetting] = useState<AccountSecurity | null>(null);
  const [resetForm] = Form.useForm<{ reason: string }>();
  const query = { q: q.trim() || undefined, locked: lockedOnly ? '1' : undefined };
  const list = useQuery({
    queryKey: ['security', 'accounts', query],
    queryFn: () => api.get<AccountSecurity[]>('/security/accounts', query),
    enabled: lockedOnly || !!query.q,
  });
  const done = (text: string) => {
    message.success(text);
    void queryClient.invalidateQueries({ queryKey: ['security'] });
  };
  const unlock = useMutation({
    mutationFn: (a: AccountSecurity) => api.post<AccountSecurity>(`/security/accounts/${a.id}/unlock`),
    onSuccess: (a) => done(`已解锁 ${a.displayName}（${a.username}）`),
    onError: (e) => message.error((e as Error).message),
  });
  const reset = useMutation({
    mutationFn: (v: { id: number; reason: string }) => api.post<AccountSecurity>(`/security/accounts/${v.id}/totp-reset`, { reason: v.reason }),
    onSuccess: (a) => {
      setResetting(null);
      resetForm.resetFields();
      done(`已重置 ${a.displayName} 的动态口令，其下次登录时须重新绑定`);
    },
    onError: (e) => applyFormError(resetForm, e, (t) => message.error(t)),
  });

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder="用户名或姓名" allowClear onSearch={setQ} style={{ width: 240 }} data-testid="account-search" />
        <Space>
          <Switch checked={lockedOnly} onChange={setLockedOnly} />
          <span>只看已锁定</span>
        </Space>
      </Space>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<AccountSecurity>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          scroll={{ x: 900 }}
          locale={{ emptyText: lockedOnly ? '当前没有被锁定的账号' : query.q ? '没有匹配的账号' : '请输入用户名或姓名查询' }}
          data-testid="locked-accounts"
          columns={[
            { title: '用户名', dataIndex: 'username', width: 150 },
            { title: '姓名', dataIndex: 'displayName', width: 100 },
            { title: '单位', dataIndex: 'orgs', ellipsis: true },
            {
              title: '锁定',
              key: 'lock',
              width: 170,
              render: (_, a) =>
                a.lockedUntil ? (
                  <Tag color="red">锁定至 {chinaTime(a.lockedUntil)}</Tag>
                ) : a.failedLogins ? (
                  <Tag>连续失败 {a.failedLogins} 次</Tag>
                ) : (
                  <Tag color="green">正常</Tag>
                ),
            },
            {
              title: '动态口令',
              key: 'totp',
              width: 130,
              render: (_, a) => (a.totpEnrolled ? <Tag color="blue">已绑定（恢复码余 {a.recoveryCodesLeft}）</Tag> : <Tag>未绑定</Tag>),
            },
            { title: '最近登录', dataIndex: 'lastLogin', width: 140, render: (v: string | null) => chinaTime(v) || '—' },
            {
              title: '操作',
              key: 'actions',
              width: 170,
              fixed: 'right',
              render: (_, a) => (
                <Space size={0}>
                  {a.lockedUntil && (
                    <Button
                      type="link"
                      size="small"
                      loading={unlock.isPending && unlock.variables?.id === a.id}
                      onClick={() => unlock.mutate(a)}
                      data-testid={`unlock-${a.username}`}
                    >
                      解锁
                    </Button>
                  )}
                  {a.totpEnrolled && (
                    <Button type="link" size="small" danger onClick={() => setResetting(a)}>
                      重置动态口令
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={!!resetting}
        title={`重置 ${resetting?.displayName ?? ''} 的动态口令`}
        okText="重置"
        okButtonProps={{ danger: true, loading: reset.isPending }}
        onOk={() => resetForm.submit()}
        onCancel={() => setResetting(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">重置后该账号的验证器和恢复码失效，全部会话结束；其下次登录时须重新绑定。请先核实本人身份。</Typography.Paragraph>
        <Form form={resetForm} layout="vertical" onFinish={(v) => resetting && reset.mutate({ id: resetting.id, reason: v.reason })}>
          <Form.Item name="reason" label="重置原因" rules={[{ required: true, whitespace: true, message: '请填写重置原因' }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder="例如：手机丢失，已电话核实本人" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
