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

/** 绑定动态口令: the 6 digits the authenticator app shows. */
export const TotpCodeBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '请输入应用中显示的 6 位数字'),
});

/** Second step of a sign-in: the 6-digit code, or a recovery code (XXXXX-XXXXX). */
export const SecondFactorBody = z.object({
  code: z.string().trim().min(1, '请输入动态口令或恢复码').max(32, '动态口令或恢复码格式不正确'),
});

/** 统一身份认证: the app page to return to after sign-in (a local path; anything else returns to the start page). */
export const OidcStartQuery = z.object({ returnTo: Text(500, '返回页面').optional() });

/** The provider's answer (RFC 6749 4.1.2; RFC 9207 iss); other parameters a provider adds are passed on. */
export const OidcCallbackQuery = z
  .object({
    code: Text(2000, 'code').optional(),
    state: Text(500, 'state').optional(),
    iss: Text(500, 'iss').optional(),
    error: Text(200, 'error').optional(),
    error_description: Text(1000, 'error_description').optional(),
  })
  .loose();
