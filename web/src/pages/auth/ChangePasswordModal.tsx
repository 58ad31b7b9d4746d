import { App, Form, Input, Modal, Typography } from 'antd';
import { api } from '../../api/client';
import { useFormSubmit } from '../../hooks';
// The server's own rule, so the form refuses exactly what the server would.
import { newPasswordProblem, PASSWORD_MIN_LENGTH } from '../../../../server/src/modules/auth/password-rules';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** 修改密码 for whoever is logged in (every role); other sessions of the user end on success. */
export default function ChangePasswordModal({ username, open, onClose }: { username: string; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<PasswordForm>();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: PasswordForm) => {
    await api.post<void>('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
    message.success('密码已修改');
    form.resetFields();
    onClose();
  });
  return (
    <Modal
      title="修改密码"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确定修改"
      confirmLoading={busy}
      destroyOnHidden
      forceRender
      width={420}
    >
      <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} data-testid="password-form" autoComplete="off">
        <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          dependencies={['currentPassword']}
          extra={`至少 ${PASSWORD_MIN_LENGTH} 位，含字母和数字，不能与用户名或当前密码相同`}
          rules={[
            { required: true, message: '请输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_r, value: string | undefined) => {
                if (!value) return;
                const current = getFieldValue('currentPassword') as string | undefined;
                const problem = newPasswordProblem(value, { username, currentPassword: current || undefined });
                if (problem) throw new Error(problem);
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_r, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Typography.Text type="secondary">修改后，您在其他设备上的登录将失效，需要用新密码重新登录。</Typography.Text>
      </Form>
    </Modal>
  );
}
