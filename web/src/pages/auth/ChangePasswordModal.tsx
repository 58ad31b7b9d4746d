import { App, Form, Modal, Typography } from 'antd';
import { api } from '../../api/client';
import { useFormSubmit } from '../../hooks';
import PasswordFields, { type PasswordForm } from './PasswordFields';

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
        <PasswordFields username={username} />
        <Typography.Text type="secondary">修改后，您在其他设备上的登录将失效，需要用新密码重新登录。</Typography.Text>
      </Form>
    </Modal>
  );
}
