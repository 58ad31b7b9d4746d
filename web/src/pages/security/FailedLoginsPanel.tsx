import { useState } from 'react';
import { Segmented, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LoadError } from '../../components/Status';
import { LOGIN_FAILURE_REASONS } from '../../../../server/src/modules/audit/audit-actions';
import { chinaTime, type FailedLogin } from './types';

const BY: Record<string, string> = { username: '用户名', nationalId: '身份证号', phone: '手机号', secondFactor: '动态口令' };

/** 登录失败记录: failed sign-ins and locks of the last hours in the subtree. */
export default function FailedLoginsPanel() {
  const [hours, setHours] = useState(24);
  const q = useQuery({ queryKey: ['security', 'failed-logins', hours], queryFn: () => api.get<FailedLogin[]>('/security/failed-logins', { hours }) });
  return (
    <>
      <Segmented
        value={hours}
        onChange={(v) => setHours(Number(v))}
        options={[
          { value: 24, label: '24 小时' },
          { value: 72, label: '3 天' },
          { value: 168, label: '7 天' },
        ]}
        style={{ marginBottom: 12 }}
      />
      {q.isError ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<FailedLogin>
          size="small"
          rowKey="id"
          loading={q.isFetching}
          dataSource={q.data ?? []}
          scroll={{ x: 760 }}
          locale={{ emptyText: '这段时间没有登录失败' }}
          data-testid="failed-logins"
          columns={[
            { title: '时间', dataIndex: 'at', width: 150, render: (v: string) => chinaTime(v, true) },
            {
              title: '账号',
              key: 'user',
              width: 170,
              render: (_, r) => (r.displayName ? `${r.displayName}（${r.username}）` : (r.username ?? '（未知账号）')),
            },
            { title: '单位', dataIndex: 'orgName', ellipsis: true },
            {
              title: '情况',
              key: 'what',
              width: 190,
              render: (_, r) =>
                r.action === 'account.locked' ? <Tag color="red">账号被锁定</Tag> : <Tag>{(r.reason && LOGIN_FAILURE_REASONS[r.reason]) ?? '登录失败'}</Tag>,
            },
            { title: '方式', dataIndex: 'by', width: 90, render: (v: string | null) => (v ? (BY[v] ?? v) : '') },
            { title: 'IP 地址', dataIndex: 'ip', width: 130 },
          ]}
        />
      )}
    </>
  );
}
