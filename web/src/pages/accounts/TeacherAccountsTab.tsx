import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Empty, Input, List, Pagination, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { UserAddOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useAuth } from '../../auth';
import { findOrgPath, OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import AccountActions from './AccountActions';
import AccountStatusTag from './AccountStatusTag';
import { ACCOUNT_STATUS, type AccountStatus, fetchTeacherAccounts, keys, type TeacherAccountRow } from './api';
import IssueRun, { type IssueTarget } from './IssueRun';

interface Filters {
  orgId?: number;
  status?: AccountStatus;
  q?: string;
  page: number;
  pageSize: number;
}

function Actions({ row, onIssue }: { row: TeacherAccountRow; onIssue: () => void }) {
  const { can } = useAuth();
  if (!row.account)
    return row.teacherStatus === 'active' && can('accounts.manage') ? (
      <Button size="small" type="link" icon={<UserAddOutlined />} onClick={onIssue} data-testid={`issue-one-${row.teacherId}`}>
        开通
      </Button>
    ) : null;
  return (
    <AccountActions
      account={{ id: row.account.id, username: row.account.username, displayName: row.name, status: row.status, blockedReason: row.blockedReason }}
    />
  );
}

function StatusCell({ row }: { row: TeacherAccountRow }) {
  return (
    <Space size={4} wrap>
      <AccountStatusTag status={row.status} reason={row.statusReason} />
      {row.teacherStatus !== 'active' && <Tag>{row.teacherStatusLabel}</Tag>}
      {row.otherRoles.map((r) => (
        <Tag key={r.id} color="blue">
          {r.roleLabel}
        </Tag>
      ))}
    </Space>
  );
}

/** 教师账号: the teachers of the subtree with their account state; 开通 one, the selected or all of an org. */
export default function TeacherAccountsTab() {
  const { me, can } = useAuth();
  const { modal } = App.useApp();
  const mobile = useIsMobile();
  const { tree } = useOrgTree(me?.id);
  const [f, setF] = useState<Filters>({ page: 1, pageSize: 20 });
  const [selected, setSelected] = useState<number[]>([]);
  const [issuing, setIssuing] = useState<IssueTarget | null>(null);
  const q = useQuery({ queryKey: keys.teachers({ ...f }), queryFn: () => fetchTeacherAccounts({ ...f }), placeholderData: keepPreviousData });
  const manage = can('accounts.manage');
  const set = (patch: Partial<Filters>) => {
    setF((old) => ({ ...old, page: 1, ...patch }));
    setSelected([]);
  };
  const data = q.data;
  const counts = data?.counts;
  const orgId = f.orgId ?? me?.orgId;
  const orgName = (orgId && findOrgPath(tree, orgId).at(-1)?.name) || me?.orgName || '本单位';

  const issueAll = () => {
    if (!orgId || !counts) return;
    // The counts follow the name/username search; the org run does not (it takes every teacher without an account).
    const n = f.q ? null : counts.none;
    modal.confirm({
      title: `为「${orgName}」全部未开通的在职教师开通账号？`,
      content: `${n === null ? '不限于当前搜索结果。' : `共 ${n} 人。`}将为每人生成初始密码（只显示一次）并生成账号单。人数较多时分批进行，请勿关闭页面。`,
      okText: '开始开通',
      onOk: () => setIssuing({ kind: 'org', orgId, label: `${orgName}全部未开通教师`, expected: n ?? 0 }),
    });
  };
  const statusOptions = (Object.keys(ACCOUNT_STATUS) as AccountStatus[]).map((s) => ({
    value: s,
    label: `${ACCOUNT_STATUS[s]}${counts ? `（${counts[s]}）` : ''}`,
  }));

  const columns: TableColumnsType<TeacherAccountRow> = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 110,
      render: (v: string, r) => (can('teachers.read') ? <Link to={`/teachers/${r.teacherId}`}>{v}</Link> : v),
    },
    { title: '学校', dataIndex: 'orgName', ellipsis: true },
    {
      title: '身份证号',
      dataIndex: 'nationalIdMasked',
      width: 190,
      render: (v: string) => <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text>,
    },
    { title: '用户名', key: 'username', width: 110, render: (_, r) => (r.account ? <Typography.Text code>{r.account.username}</Typography.Text> : '—') },
    { title: '账号状态', key: 'status', width: 220, render: (_, r) => <StatusCell row={r} /> },
    {
      title: '操作',
      key: 'op',
      width: 250,
      render: (_, r) => <Actions row={r} onIssue={() => setIssuing({ kind: 'teachers', teacherIds: [r.teacherId], label: r.name })} />,
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap orientation={mobile ? 'vertical' : 'horizontal'} style={mobile ? { width: '100%' } : undefined}>
        <OrgTreeSelect tree={tree} value={f.orgId} onChange={(v) => set({ orgId: v })} placeholder="全部学校/单位" style={{ width: mobile ? '100%' : 240 }} />
        <Select<AccountStatus>
          allowClear
          placeholder="账号状态"
          value={f.status}
          onChange={(v) => set({ status: v })}
          options={statusOptions}
          style={{ width: mobile ? '100%' : 180 }}
          aria-label="账号状态"
          data-testid="status-filter"
        />
        <Input.Search
          allowClear
          placeholder="姓名或用户名"
          onSearch={(v) => set({ q: v.trim() || undefined })}
          style={{ width: mobile ? '100%' : 200 }}
          data-testid="account-search"
        />
      </Space>
      {manage && (
        <Space wrap>
          {!mobile && (
            <Button
              type="primary"
              icon={<UserAddOutlined />}
              disabled={!selected.length}
              onClick={() => setIssuing({ kind: 'teachers', teacherIds: selected, label: `所选 ${selected.length} 名教师` })}
              data-testid="issue-selected"
            >
              为所选教师开通（{selected.length}）
            </Button>
          )}
          <Button icon={<UsergroupAddOutlined />} disabled={!f.q && !counts?.none} onClick={issueAll} data-testid="issue-all">
            {f.q ? '为全部未开通的教师开通' : `为全部未开通的教师开通（${counts?.none ?? 0}）`}
          </Button>
        </Space>
      )}
      {q.isError ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : mobile ? (
        <>
          <List<TeacherAccountRow>
            loading={q.isFetching && !data}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的教师" /> }}
            renderItem={(r) => (
              <Card size="small" style={{ marginBottom: 8 }} data-testid={`teacher-account-${r.teacherId}`}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    <Actions row={r} onIssue={() => setIssuing({ kind: 'teachers', teacherIds: [r.teacherId], label: r.name })} />
                  </Space>
                  <Typography.Text type="secondary">{r.orgName}</Typography.Text>
                  <span>
                    {r.account ? <Typography.Text code>{r.account.username}</Typography.Text> : null} <StatusCell row={r} />
                  </span>
                  {r.statusReason && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.statusReason}
                    </Typography.Text>
                  )}
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
        <Table<TeacherAccountRow>
          size="small"
          rowKey="teacherId"
          loading={q.isFetching}
          dataSource={data?.items ?? []}
          columns={columns}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的教师" /> }}
          rowSelection={
            manage
              ? {
                  selectedRowKeys: selected,
                  preserveSelectedRowKeys: true,
                  onChange: (keys) => setSelected(keys as number[]),
                  getCheckboxProps: (r) => ({ disabled: !!r.account || r.teacherStatus !== 'active', name: r.name }),
                }
              : undefined
          }
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (t) => `共 ${t} 人`,
            onChange: (page, pageSize) => setF((o) => ({ ...o, page, pageSize })),
          }}
          scroll={{ x: 1000 }}
          data-testid="teacher-accounts"
        />
      )}
      {issuing && (
        <IssueRun
          target={issuing}
          onClose={() => {
            setIssuing(null);
            setSelected([]);
          }}
        />
      )}
    </Space>
  );
}
