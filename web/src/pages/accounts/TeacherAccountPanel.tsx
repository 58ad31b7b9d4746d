import { Descriptions, Empty, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LoadError, PageLoading } from '../../components/Status';
import { dateTime } from '../../format';
import { useIsMobile } from '../../hooks';
import AccountActions from './AccountActions';
import AccountStatusTag from './AccountStatusTag';
import { keys, type TeacherAccount } from './api';

/** The teacher page's 登录账号 tab (accounts.read): username, state and, for the 系统管理员, the actions. */
export default function TeacherAccountPanel({ teacherId }: { teacherId: number }) {
  const mobile = useIsMobile();
  const q = useQuery({ queryKey: keys.ofTeacher(teacherId), queryFn: () => api.get<TeacherAccount>(`/teachers/${teacherId}/account`) });
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const a = q.data.account;
  if (!a)
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未开通登录账号" data-testid="teacher-account-none">
        <Link to="/accounts">到“账号管理”开通</Link>
      </Empty>
    );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="teacher-account">
      <Descriptions
        bordered
        size="small"
        column={mobile ? 1 : 2}
        items={[
          { key: 'u', label: '用户名', children: <Typography.Text code>{a.username}</Typography.Text> },
          { key: 's', label: '账号状态', children: <AccountStatusTag status={a.status} reason={a.statusReason} inline /> },
          {
            key: 'r',
            label: '角色',
            children: (
              <Space size={[4, 4]} wrap>
                {a.roles.length ? a.roles.map((r) => <Tag key={r.id}>{`${r.orgName} · ${r.roleLabel}`}</Tag>) : '—'}
              </Space>
            ),
          },
          { key: 'c', label: '开通时间', children: dateTime(a.createdAt) },
          { key: 'l', label: '登录方式', children: '用户名、本人身份证号或登记的手机号' },
        ]}
      />
      <AccountActions account={{ id: a.id, username: a.username, displayName: a.displayName, status: a.status, blockedReason: a.blockedReason }} />
    </Space>
  );
}
