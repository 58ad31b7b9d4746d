import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Space, Tabs, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { errorText } from '../../api/client';
import { useAuth } from '../../auth';
import PageCard from '../../components/PageCard';
import { dateTime } from '../../format';
import AdminAccountsTab from './AdminAccountsTab';
import { downloadSlip, fetchSlips, keys } from './api';
import TeacherAccountsTab from './TeacherAccountsTab';

/** The caller's 账号单 not yet downloaded (24 h, once): a closed result dialog is not the end of them. */
function PendingSlips() {
  const { message } = App.useApp();
  const q = useQuery({ queryKey: keys.slips, queryFn: fetchSlips });
  const [busy, setBusy] = useState<number | null>(null);
  const pending = (q.data ?? []).filter((s) => !s.downloadedAt && s.count > 0);
  if (!pending.length) return null;
  const download = async (id: number) => {
    setBusy(id);
    try {
      await downloadSlip(id);
      message.success('账号单已下载；服务器上的初始密码已销毁');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      title={`您有 ${pending.length} 份账号单待下载`}
      description={
        <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="pending-slips">
          <Typography.Text type="secondary">每份只能下载一次，生成 24 小时后自动销毁。</Typography.Text>
          {pending.map((s) => (
            <Space key={s.id} wrap>
              <span>
                {s.kindLabel} · {s.count} 个账号 · {dateTime(s.createdAt)}（{dateTime(s.expiresAt)} 前有效）
              </span>
              <Button size="small" icon={<DownloadOutlined />} loading={busy === s.id} onClick={() => void download(s.id)}>
                下载
              </Button>
            </Space>
          ))}
        </Space>
      }
    />
  );
}

/** 账号管理 (系统管理员; 安全管理员 reads): 教师账号 and 管理员账号 of the caller's subtree. */
export default function AccountsPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'admins' ? 'admins' : 'teachers';
  return (
    <PageCard title="账号管理" testId="accounts-page">
      {can('accounts.manage') && <PendingSlips />}
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'admins' ? { tab: 'admins' } : {}, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'teachers', label: '教师账号', children: <TeacherAccountsTab /> },
          { key: 'admins', label: '管理员账号', children: <AdminAccountsTab /> },
        ]}
      />
    </PageCard>
  );
}
