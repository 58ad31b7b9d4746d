import { useEffect } from 'react';
import { Alert, App, Button, Col, Descriptions, Form, Input, InputNumber, Row, Switch, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { queryClient } from '../../api/query';
import { LoadError, PageLoading } from '../../components/Status';
import { applyFormError, useIsMobile } from '../../hooks';
import { chinaTime, type Settings, type SettingsView } from './types';

type Policy = Omit<Settings, 'version' | 'changedAt' | 'changedBy' | 'reason'>;
type FormValues = Policy & { reason: string };

const FIELDS: { name: keyof Omit<Policy, 'totpRequired'>; label: string; unit: string; min: number; max: number; help: string }[] = [
  { name: 'lockoutThreshold', label: '连续登录失败锁定', unit: '次', min: 3, max: 10, help: '密码或动态口令连续输错达到此次数即锁定账号' },
  { name: 'lockoutMinutes', label: '锁定时长', unit: '分钟', min: 5, max: 1440, help: '到时自动解锁；安全管理员也可提前解锁' },
  { name: 'sessionIdleMinutes', label: '空闲超时', unit: '分钟', min: 5, max: 60, help: '无操作超过此时长须重新登录' },
  { name: 'sessionAbsoluteHours', label: '会话最长时长', unit: '小时', min: 1, max: 24, help: '自登录起超过此时长须重新登录' },
  { name: 'passwordHistory', label: '密码历史', unit: '次', min: 1, max: 24, help: '新密码不能与最近这么多次使用过的密码相同（含当前密码）' },
];

const policyText = (s: Policy) =>
  `锁定 ${s.lockoutThreshold} 次/${s.lockoutMinutes} 分钟；空闲 ${s.sessionIdleMinutes} 分钟；最长 ${s.sessionAbsoluteHours} 小时；密码历史 ${s.passwordHistory}；动态口令${s.totpRequired ? '必需' : '未要求'}`;

/** 安全策略: the settings in force (form for the top bureau's 安全管理员), 等保 recommended values, history. */
export default function SettingsPanel() {
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<FormValues>();
  const q = useQuery({ queryKey: ['security', 'settings'], queryFn: () => api.get<SettingsView>('/security/settings') });
  const save = useMutation({
    mutationFn: (v: FormValues) => api.put<Settings>('/security/settings', v),
    onSuccess: () => {
      message.success('安全策略已发布，立即生效');
      form.setFieldValue('reason', '');
      void queryClient.invalidateQueries({ queryKey: ['security'] });
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  useEffect(() => {
    if (q.data) form.setFieldsValue({ ...q.data.current, reason: '' });
  }, [q.data, form]);

  if (q.isPending) return <PageLoading />;
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const { current, recommended, history, canEdit } = q.data;

  return (
    <>
      {current.totpRequired ? (
        <Alert
          type="success"
          showIcon
          title="管理员须使用动态口令登录（等保二级以上要求的双因素认证已开启）"
          style={{ marginBottom: 16 }}
          data-testid="totp-status"
        />
      ) : (
        <Alert
          type="warning"
          showIcon
          data-testid="totp-status"
          title="当前未要求管理员使用动态口令（双因素认证已关闭）"
          description={`${current.reason ? `原因：${current.reason}。` : ''}管理员仅凭密码即可登录，不符合等保2.0 三级要求；正式部署前请开启。已绑定动态口令的账号仍须输入。`}
          style={{ marginBottom: 16 }}
        />
      )}
      {!canEdit && <Alert type="info" showIcon title="安全策略适用于整个系统，由最上级单位的安全管理员设置；此处仅供查看。" style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" disabled={!canEdit} onFinish={(v) => save.mutate(v)} data-testid="settings-form">
        <Row gutter={16}>
          {FIELDS.map((f) => (
            <Col key={f.name} xs={24} sm={12} lg={8}>
              <Form.Item
                name={f.name}
                label={f.label}
                extra={`${f.help}（等保推荐 ${recommended[f.name]} ${f.unit}）`}
                rules={[{ required: true, message: `请填写${f.label}` }]}
              >
                <InputNumber min={f.min} max={f.max} precision={0} addonAfter={f.unit} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
          <Col xs={24} sm={12} lg={8}>
            <Form.Item
              name="totpRequired"
              label="管理员须使用动态口令"
              valuePropName="checked"
              extra="除教师、评审专家外的所有角色登录时须输入手机验证器的动态口令（等保推荐：开启）"
            >
              <Switch checkedChildren="开启" unCheckedChildren="关闭" />
            </Form.Item>
          </Col>
        </Row>
        {canEdit && (
          <>
            <Form.Item name="reason" label="变更原因" rules={[{ required: true, whitespace: true, message: '请填写变更原因' }]}>
              <Input.TextArea rows={2} maxLength={200} showCount placeholder="例如：按等保测评意见调整" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              发布新策略
            </Button>
          </>
        )}
      </Form>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        变更历史
      </Typography.Title>
      {mobile ? (
        history.map((h) => (
          <Descriptions key={h.version} size="small" column={1} bordered style={{ marginBottom: 8 }}>
            <Descriptions.Item label={`第 ${h.version} 版`}>{chinaTime(h.changedAt)}</Descriptions.Item>
            <Descriptions.Item label="变更人">{h.changedBy ?? '系统'}</Descriptions.Item>
            <Descriptions.Item label="原因">{h.reason}</Descriptions.Item>
            <Descriptions.Item label="内容">{policyText(h)}</Descriptions.Item>
          </Descriptions>
        ))
      ) : (
        <Table
          size="small"
          rowKey="version"
          pagination={false}
          dataSource={history}
          columns={[
            { title: '版本', dataIndex: 'version', width: 70, render: (v: number) => (v === current.version ? <Tag color="blue">{v} 生效中</Tag> : v) },
            { title: '时间', dataIndex: 'changedAt', width: 150, render: (v: string) => chinaTime(v) },
            { title: '变更人', dataIndex: 'changedBy', width: 110, render: (v: string | null) => v ?? '系统' },
            { title: '原因', dataIndex: 'reason' },
            { title: '内容', key: 'policy', render: (_: unknown, h: Settings) => policyText(h) },
          ]}
        />
      )}
    </>
  );
}
