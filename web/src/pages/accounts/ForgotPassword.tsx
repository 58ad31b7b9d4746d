import { useState } from 'react';
import { Button, Modal } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { PasswordHelp } from './api';

// Shown when the server cannot be asked (offline): the same words the server keeps.
const FALLBACK = [
  '忘记密码时，请联系本校（本单位）的系统管理员，在“账号管理”中为您重置密码。',
  '系统管理员会给您一个新的初始密码；用它登录后，须立即设置只有您自己知道的新密码。',
];

/** 忘记密码？ on the login page: whom to ask (the school's 系统管理员; see server/src/modules/accounts/password-help.ts). */
export default function ForgotPassword() {
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: ['auth', 'password-help'],
    queryFn: () => api.get<PasswordHelp>('/auth/password-help', undefined, { noAuthRedirect: true }),
    enabled: open,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const steps = q.data?.steps ?? FALLBACK;
  return (
    <>
      <Button
        type="link"
        size="small"
        icon={<QuestionCircleOutlined />}
        onClick={() => setOpen(true)}
        style={{ paddingInline: 0 }}
        data-testid="forgot-password"
      >
        忘记密码？
      </Button>
      <Modal
        title="忘记密码"
        open={open}
        onCancel={() => setOpen(false)}
        footer={<Button onClick={() => setOpen(false)}>知道了</Button>}
        data-testid="forgot-password-help"
      >
        <ol style={{ paddingInlineStart: 20, margin: 0 }}>
          {steps.map((s) => (
            <li key={s} style={{ marginBottom: 8 }}>
              {s}
            </li>
          ))}
        </ol>
      </Modal>
    </>
  );
}
