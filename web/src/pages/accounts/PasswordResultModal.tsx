import { useState } from 'react';
import { Alert, App, Button, List, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { errorText } from '../../api/client';
import { dateTime } from '../../format';
import { useIsMobile } from '../../hooks';
import { downloadSlip } from './api';

/** One account whose initial password is shown (开通, 重置, 新建). */
export interface IssuedLine {
  key: string | number;
  name: string;
  orgName: string;
  username: string;
  password: string;
}

export interface PasswordResult {
  title: string;
  lines: IssuedLine[];
  skipped?: { key: string | number; name: string | null; reason: string }[];
  slipId: number | null;
  expiresAt: string | null;
  /** A run cut short (error or 停止): what was done stays done. */
  error?: string | null;
}

function Password({ value }: { value: string }) {
  return (
    <Typography.Text code copyable={{ text: value, tooltips: ['复制', '已复制'] }} style={{ fontSize: 15, letterSpacing: 1 }} data-testid="initial-password">
      {value}
    </Typography.Text>
  );
}

/**
 * The initial passwords of a run, shown this once, with the 账号单 download (once, by its issuer, within
 * 24 h). Closing before downloading asks first: the slip stays downloadable from the page for the day.
 */
export default function PasswordResultModal({ result, onClose }: { result: PasswordResult; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const [downloaded, setDownloaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const { lines, skipped = [] } = result;

  const download = async () => {
    if (!result.slipId) return;
    setBusy(true);
    try {
      await downloadSlip(result.slipId);
      setDownloaded(true);
      message.success('账号单已下载；服务器上的初始密码已销毁');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    if (downloaded || !lines.length || !result.slipId) return onClose();
    modal.confirm({
      title: '账号单尚未下载',
      content: `关闭后，初始密码不再显示。24 小时内（至 ${dateTime(result.expiresAt)}）仍可在本页“待下载的账号单”中下载一次。`,
      okText: '仍然关闭',
      cancelText: '返回',
      onOk: onClose,
    });
  };

  return (
    <Modal
      title={result.title}
      open
      onCancel={close}
      width={mobile ? '100%' : 820}
      maskClosable={false}
      footer={
        <Space wrap>
          {result.slipId && lines.length > 0 && (
            <Button type="primary" icon={<DownloadOutlined />} loading={busy} disabled={downloaded} onClick={() => void download()} data-testid="download-slip">
              {downloaded ? '账号单已下载' : '下载账号单（.xlsx）'}
            </Button>
          )}
          <Button onClick={close}>关闭</Button>
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="password-result">
        {result.error && <Alert type="error" showIcon title={result.error} description="已完成的部分已保存，下表即为已开通的账号。" />}
        {lines.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title="初始密码只在此显示一次"
            description="请下载账号单逐人分发（账号单只能下载一次，24 小时后自动销毁）。首次登录时须设置新密码；教师也可用本人身份证号或手机号登录。"
          />
        )}
        {mobile ? (
          <List
            size="small"
            dataSource={lines}
            rowKey="key"
            renderItem={(l) => (
              <List.Item data-testid={`issued-${l.username}`}>
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>
                    {l.name} <Typography.Text type="secondary">{l.orgName}</Typography.Text>
                  </Typography.Text>
                  <span>
                    用户名 <Typography.Text code>{l.username}</Typography.Text>
                  </span>
                  <span>
                    初始密码 <Password value={l.password} />
                  </span>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Table<IssuedLine>
            size="small"
            rowKey="key"
            dataSource={lines}
            pagination={lines.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            onRow={(l) => ({ 'data-testid': `issued-${l.username}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: '姓名', dataIndex: 'name', width: 110 },
              { title: '学校/单位', dataIndex: 'orgName', ellipsis: true },
              { title: '用户名', dataIndex: 'username', width: 130, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { title: '初始密码', dataIndex: 'password', width: 170, render: (v: string) => <Password value={v} /> },
            ]}
          />
        )}
        {skipped.length > 0 && (
          <Alert
            type="info"
            showIcon
            title={`${skipped.length} 人未开通`}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 160, overflow: 'auto' }} data-testid="issue-skipped">
                {skipped.map((s) => (
                  <li key={s.key}>
                    {s.name ?? `编号 ${s.key}`}：{s.reason}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Modal>
  );
}
