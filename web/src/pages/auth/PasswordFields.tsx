import { Form, Input } from 'antd';
// The server's own rule, so the form refuses exactly what the server would.
import { newPasswordProblem, PASSWORD_RULE_HINT } from '../../../../server/src/modules/auth/password-rules';

export interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** 当前密码 / 新密码 / 确认新密码 with the server's rules checked as the user types. */
export default function PasswordFields({ username, currentLabel = '当前密码' }: { username: string; currentLabel?: string }) {
  return (
    <>
      <Form.Item name="currentPassword" label={currentLabel} rules={[{ required: true, message: `请输入${currentLabel}` }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        dependencies={['currentPassword']}
        extra={PASSWORD_RULE_HINT}
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
    </>
  );
}
