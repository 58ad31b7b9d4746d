import { z } from 'zod';
import { Id, Text } from '../../platform/schemas.js';

/** `username` is what the person typed: a username, a 身份证号 or a mobile number. */
export const LoginBody = z.object({
  username: Text(64, '用户名').refine((s) => s.length > 0, '请输入用户名、身份证号或手机号'),
  password: z.string().min(1, '请输入密码').max(200),
});
export type LoginInput = z.infer<typeof LoginBody>;

export const SwitchRoleBody = z.object({ roleId: Id });

/** 修改密码. The strength rules (password-rules.ts) are checked in the service, so each gets its own field message. */
export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(200, '密码过长'),
  newPassword: z.string().min(1, '请输入新密码').max(200, '新密码不能超过 200 位'),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordBody>;
