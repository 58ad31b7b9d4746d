import { useState } from 'react';
import { Button, Card, Empty, Input, List, Pagination, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Role } from '../../api/types';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import AccountActions from './AccountActions';
import AccountStatusTag from './AccountStatusTag';
import { ACCOUNT_STATUS, type AccountStatus, type AdminAccount, fetchAdminAccounts, keys } from './api';
import CreateAdminModal from './CreateAdminModal';
import { ROLE_OPTIONS } from './roles';

interface Filters {
  orgId?: number;
  role?: Role;
  status?: AccountStatus;
  q?: string;
  page: number;
  pageSize: number;
}

function RoleTags({ a }: { a: AdminAccount }) {
  if (!a.roles.length) return <Typography.Text type="secondary">无有效角色</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {a.roles.map((r) => (
        <Tag key={r.id} color={r.role === 'teacher' ? 'default' : 'blue'}>
          {r.orgName} · {r.roleLabel}
        </Tag>
      ))}
    </Space>
  );
}

const actionAccount = (a: AdminAccount) => ({ id: a.id, username: a.username, displayName: a.displayName, status: a.status, blockedReason: a.blockedReason });

/** 管理员账号: accounts holding (or having held) a role other than 教师 in the subtree, with their roles. */
export default function AdminAccountsTab() {
  const { me, can } = useAuth();
  const mobile = useIsMobile();
  const { tree } = useOrgTree(me?.id);
  const [f, setF] = useState<Filters>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const q = useQuery({ queryKey: keys.admins({ ...f }), queryFn: () => fetchAdminAccounts({ ...f }), placeholderData: keepPreviousData });
  const set = (patch: Partial<Filters>) => setF((old) => ({ ...old, page: 1, ...patch }));
  const data = q.data;

  const columns: TableColumnsType<AdminAccount> = [
    { title: '姓名', dataIndex: 'displayName', width: 110 },
    { title: '用户名', dataIndex: 'username', width: 140, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: '角色', key: 'roles', render: (_, a) => <RoleTags a={a} /> },
    {
      title: '登录标识',
      key: 'ids',
      width: 190,
      render: (_, a) => (
        <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
          {[a.nationalIdMasked, a.phoneMasked].filter(Boolean).join(' / ') || '仅用户名'}
        </Typography.Text>
      ),
    },
    { title: '状态', key: 'status', width: 120, render: (_, a) => <AccountStatusTag status={a.status} reason={a.statusReason} /> },
    { title: '操作', key: 'op', width: 250, render: (_, a) => <AccountActions account={actionAccount(a)} /> },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap orientation={mobile ? 'vertical' : 'horizontal'} style={mobile ? { width: '100%' } : undefined}>
        <OrgTreeSelect tree={tree} value={f.orgId} onChange={(v) => set({ orgId: v })} placeholder="全部单位" style={{ width: mobile ? '100%' : 220 }} />
        <Select<Role>
          allowClear
          placeholder="角色"
          value={f.role}
          onChange={(v) => set({ role: v })}
          options={ROLE_OPTIONS}
          style={{ width: mobile ? '100%' : 150 }}
          aria-label="角色"
        />
        <Select<AccountStatus>
          allowClear
          placeholder="账号状态"
          value={f.status}
          onChange={(v) => set({ status: v })}
          options={(Object.keys(ACCOUNT_STATUS) as AccountStatus[]).filter((s) => s !== 'none').map((s) => ({ value: s, label: ACCOUNT_STATUS[s] }))}
          style={{ width: mobile ? '100%' : 150 }}
          aria-label="账号状态"
        />
        <Input.Search allowClear placeholder="姓名或用户名" onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: mobile ? '100%' : 200 }} />
        {can('accounts.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-admin">
            新建管理员账号
          </Button>
        )}
      </Space>
      {q.isError ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : mobile ? (
        <>
          <List<AdminAccount>
            loading={q.isFetching && !data}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的账号" /> }}
            renderItem={(a) => (
              <Card size="small" style={{ marginBottom: 8 }}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                    <span>
                      <Typography.Text strong>{a.displayName}</Typography.Text> <Typography.Text code>{a.username}</Typography.Text>
                    </span>
                    <AccountActions account={actionAccount(a)} compact />
                  </Space>
                  <RoleTags a={a} />
                  <AccountStatusTag status={a.status} reason={a.statusReason} inline />
                </Space>
              </Card>
            )}
          />
          <Pagination
            simple
            current={f.page}
            pageSize={f.pageSize}
            total={data?.total ?? 0}
            onChange={(page) => setF((o) => ({ ...o, page }))}
            style={{ textAlign: 'center' }}
          />
        </>
      ) : (
        <Table<AdminAccount>
          size="small"
          rowKey="id"
          loading={q.isFetching}
          dataSource={data?.items ?? []}
          columns={columns}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的账号" /> }}
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (t) => `共 ${t} 个账号`,
            onChange: (page, pageSize) => setF((o) => ({ ...o, page, pageSize })),
          }}
          scroll={{ x: 1000 }}
          data-testid="admin-accounts"
        />
      )}
      {creating && <CreateAdminModal onClose={() => setCreating(false)} />}
    </Space>
  );
}
