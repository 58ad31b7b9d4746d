import { Tabs } from 'antd';
import PageCard from '../../components/PageCard';
import AccountsPanel from './AccountsPanel';
import FailedLoginsPanel from './FailedLoginsPanel';
import SettingsPanel from './SettingsPanel';

/** 安全管理 (安全管理员): 安全策略, locked accounts and second factors, recent failed sign-ins. */
export default function SecurityPage() {
  return (
    <PageCard title="安全管理" testId="security-page">
      <Tabs
        items={[
          { key: 'settings', label: '安全策略', children: <SettingsPanel /> },
          { key: 'accounts', label: '账号锁定与动态口令', children: <AccountsPanel /> },
          { key: 'failed', label: '登录失败记录', children: <FailedLoginsPanel /> },
        ]}
      />
    </PageCard>
  );
}
